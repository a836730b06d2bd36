//! Draws the LLVM lines per operation of benches/compile's results as an SVG:
//!
//!     askui-compile-plot RESULTS.json OUT.svg
//!
//! Left: LLVM lines per operation (client crate + consumer, divided by the operations) for
//! the whole AskUI API (ours, progenitor), the 11-operation sample (ours, hand-written
//! reqwest) and the slope of the generated endpoints (ours, hand-written). Right: the
//! generated endpoints' LLVM lines against N, with the least-squares lines.

use std::error::Error;

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use serde_json::Value;

const OURS: RGBColor = RGBColor(0x1f, 0x77, 0xb4);
const HAND: RGBColor = RGBColor(0x2c, 0xa0, 0x2c);
const PROGENITOR: RGBColor = RGBColor(0xff, 0x7f, 0x0e);

fn number(value: &Value, path: &[&str]) -> Option<f64> {
    path.iter()
        .try_fold(value, |value, key| value.get(key))
        .and_then(Value::as_f64)
}

/// A bar: its series, colour and value.
type Bar = (&'static str, RGBColor, f64);

fn main() -> Result<(), Box<dyn Error>> {
    let args: Vec<String> = std::env::args().collect();
    let [_, input, output] = args.as_slice() else {
        return Err("usage: askui-compile-plot RESULTS.json OUT.svg".into());
    };
    let results: Value = serde_json::from_str(&std::fs::read_to_string(input)?)?;

    let per_op = |name: &str| number(&results, &["3", name, "llvm_lines_per_op"]);
    let slope = |name: &str| {
        number(
            &results,
            &["4", "fits", name, "llvm_lines_per_endpoint", "slope"],
        )
    };
    let ops = |name: &str| number(&results, &["3", name, "operations"]).unwrap_or(0.0);
    let groups: Vec<(String, Vec<Bar>)> = [
        (
            format!("AskUI API, {} operations", ops("ours")),
            vec![
                ("askui-endpoint", OURS, per_op("ours")),
                ("progenitor 0.15", PROGENITOR, per_op("progenitor")),
            ],
        ),
        (
            format!("sample, {} operations", ops("ours-sample")),
            vec![
                ("askui-endpoint", OURS, per_op("ours-sample")),
                ("hand-written reqwest", HAND, per_op("hand-sample")),
            ],
        ),
        (
            "generated, slope per endpoint".to_owned(),
            vec![
                ("askui-endpoint", OURS, slope("ours")),
                ("hand-written reqwest", HAND, slope("hand")),
            ],
        ),
    ]
    .into_iter()
    .map(|(group, bars)| {
        let bars = bars
            .into_iter()
            .filter_map(|(series, colour, value)| value.map(|v| (series, colour, v)))
            .collect();
        (group, bars)
    })
    .collect();

    let root = SVGBackend::new(output, (1100, 500)).into_drawing_area();
    root.fill(&WHITE)?;
    let (left, right) = root.split_horizontally(600);

    let top = groups
        .iter()
        .flat_map(|(_, bars)| bars.iter().map(|bar| bar.2))
        .fold(0.0, f64::max)
        * 1.15;
    let mut chart = ChartBuilder::on(&left)
        .caption("LLVM lines per operation", ("sans-serif", 20))
        .margin(12)
        .x_label_area_size(30)
        .y_label_area_size(60)
        .build_cartesian_2d(0.0..(3.0 * groups.len() as f64), 0.0..top.max(1.0))?;
    chart
        .configure_mesh()
        .disable_x_mesh()
        .x_labels(0)
        .y_labels(8)
        .light_line_style(TRANSPARENT)
        .y_label_formatter(&|y| format!("{y:.0}"))
        .draw()?;
    // The group names under the axis, in pixels of the left area.
    for (g, (group, _)) in groups.iter().enumerate() {
        let (x, y) = chart.backend_coord(&(3.0 * g as f64 + 1.45, 0.0));
        let style = ("sans-serif", 14)
            .into_font()
            .color(&BLACK)
            .pos(Pos::new(HPos::Center, VPos::Top));
        left.draw(&Text::new(group.clone(), (x, y + 8), style))?;
    }
    let mut legend_done: Vec<&str> = Vec::new();
    for (g, (_, bars)) in groups.iter().enumerate() {
        for (i, (series, colour, value)) in bars.iter().enumerate() {
            let x0 = 3.0 * g as f64 + 0.5 + i as f64;
            let bar = Rectangle::new([(x0, 0.0), (x0 + 0.9, *value)], colour.filled());
            let drawn = chart.draw_series(std::iter::once(bar))?;
            if !legend_done.contains(series) {
                legend_done.push(series);
                let colour = *colour;
                drawn.label(*series).legend(move |(x, y)| {
                    Rectangle::new([(x, y - 5), (x + 10, y + 5)], colour.filled())
                });
            }
            let style = ("sans-serif", 14)
                .into_font()
                .color(&BLACK)
                .pos(Pos::new(HPos::Center, VPos::Bottom));
            chart.draw_series(std::iter::once(Text::new(
                format!("{value:.0}"),
                (x0 + 0.45, *value),
                style,
            )))?;
        }
    }
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::UpperRight)
        .background_style(WHITE.mix(0.9))
        .border_style(BLACK)
        .draw()?;

    // Right: the generated endpoints against N.
    let points = |name: &str| -> Vec<(f64, f64)> {
        let mut points: Vec<(f64, f64)> = results["4"]["points"][name]
            .as_object()
            .map(|map| {
                map.iter()
                    .filter_map(|(n, entry)| {
                        Some((n.parse().ok()?, number(entry, &["llvm_lines_total"])?))
                    })
                    .collect()
            })
            .unwrap_or_default();
        points.sort_by(|a, b| a.0.total_cmp(&b.0));
        points
    };
    let series = [
        ("askui-endpoint", OURS, points("ours"), "ours"),
        ("hand-written reqwest", HAND, points("hand"), "hand"),
    ];
    let max_n = series
        .iter()
        .flat_map(|s| s.2.iter().map(|p| p.0))
        .fold(0.0, f64::max)
        * 1.08;
    let max_lines = series
        .iter()
        .flat_map(|s| s.2.iter().map(|p| p.1))
        .fold(0.0, f64::max)
        * 1.1;
    let mut chart = ChartBuilder::on(&right)
        .caption("generated endpoints: LLVM lines", ("sans-serif", 20))
        .margin(12)
        .x_label_area_size(40)
        .y_label_area_size(70)
        .build_cartesian_2d(0.0..max_n.max(1.0), 0.0..max_lines.max(1.0))?;
    chart
        .configure_mesh()
        .x_desc("endpoints (N)")
        .light_line_style(TRANSPARENT)
        .x_label_formatter(&|x| format!("{x:.0}"))
        .y_label_formatter(&|y| format!("{:.0}k", y / 1000.0))
        .draw()?;
    for (label, colour, points, key) in &series {
        let colour = *colour;
        chart
            .draw_series(LineSeries::new(
                points.iter().copied(),
                colour.stroke_width(2),
            ))?
            .label(*label)
            .legend(move |(x, y)| PathElement::new([(x, y), (x + 16, y)], colour.stroke_width(2)));
        chart.draw_series(
            points
                .iter()
                .map(|&(x, y)| Circle::new((x, y), 4, colour.filled())),
        )?;
        if let (Some(slope), Some(intercept)) = (
            number(
                &results,
                &["4", "fits", key, "llvm_lines_per_endpoint", "slope"],
            ),
            number(
                &results,
                &["4", "fits", key, "llvm_lines_per_endpoint", "intercept"],
            ),
        ) {
            chart.draw_series(LineSeries::new(
                [0.0, max_n].map(|x| (x, intercept + slope * x)),
                colour.mix(0.35).stroke_width(1),
            ))?;
        }
    }
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::UpperLeft)
        .background_style(WHITE.mix(0.9))
        .border_style(BLACK)
        .draw()?;
    root.present()?;
    Ok(())
}
