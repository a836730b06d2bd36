//! Files in an AskUI workspace: upload a local file (streamed from disk), list its folder
//! page by page, download it back through its signed URL, and delete it. The upload and the
//! download show their progress: a bar (`indicatif`) on a terminal, plain lines otherwise.
//!
//! Offline against the AskUI fake by default; against the real API (or the server at
//! `ASKUI_WORKSPACES_ENDPOINT`) with `ASKUI_TOKEN` and `ASKUI_WORKSPACE_ID` set, where it
//! works under `workspaces/<id>/askui-endpoint-example-<run>/` and deletes what it uploads,
//! even when a step fails.
//!
//! ```sh
//! cargo run -p askui-examples --example files
//! ```

use std::io::IsTerminal as _;
use std::process::ExitCode;
use std::sync::Mutex;

use askui_examples::{Failure, Target, exit};
use askui_runtime::{CallOptions, Progress, Transferred};
use askui_workspaces::files::{FileListItem, Files, ListFilesQuery, UploadFile};
use askui_workspaces::{Client, Uuid};
use futures_util::TryStreamExt;

#[tokio::main]
async fn main() -> ExitCode {
    exit(run().await)
}

async fn run() -> Result<(), Failure> {
    let target = Target::from_env().await?;
    // One folder per run, so that two runs against one workspace do not delete each
    // other's files.
    let run = Uuid::new_v4().simple().to_string();
    let folder = format!(
        "workspaces/{}/askui-endpoint-example-{}/",
        target.workspace_id,
        &run[..8]
    );
    let local = std::env::temp_dir().join(format!("askui-example-{}.txt", std::process::id()));
    // Large enough for the progress to move in steps.
    let content: Vec<u8> = (0..4 * 1024 * 1024)
        .map(|i| b'a' + (i % 26) as u8)
        .collect();
    std::fs::write(&local, &content).map_err(|e| format!("{}: {e}", local.display()))?;

    let mut uploaded = Vec::new();
    let result = walk_through(&target.client, &folder, &local, &content, &mut uploaded).await;
    let _ = std::fs::remove_file(&local);
    if result.is_err() {
        // Leave nothing behind in the workspace: delete what was uploaded before the failure.
        for path in &uploaded {
            let _ = target.client.delete_file(path).await;
        }
    }
    result
}

async fn walk_through(
    client: &Client,
    folder: &str,
    local: &std::path::Path,
    content: &[u8],
    uploaded: &mut Vec<String>,
) -> Result<(), Failure> {
    println!(
        "\n1. Upload {} (streamed from disk) and two small files:",
        local.display()
    );
    let report_path = format!("{folder}reports/report.txt");
    // The whole multipart body as it goes on the wire, per attempt.
    let progress = shown("upload");
    let options = CallOptions::new().upload_progress(&progress);
    let report = client
        .upload_file(&report_path, None, UploadFile::path(local), Some(&options))
        .await?;
    println!("   {} ({})", report.file_path, report.content_type);
    uploaded.push(report.file_path);
    for name in ["a.txt", "b.txt"] {
        let path = format!("{folder}{name}");
        let file = UploadFile::bytes(name.as_bytes().to_vec(), name, "text/plain");
        // The API may clean up a path: the stored one is in the answer.
        let stored = client.upload_file(&path, None, file, None).await?.file_path;
        println!("   {stored}");
        uploaded.push(stored);
    }

    println!("\n2. The folder, two entries per page (folders grouped by `/`):");
    let mut query = ListFilesQuery::new(folder).folders().limit(2)?;
    for page_number in 1.. {
        let page = client.list_files(&query).await?;
        for item in &page.data {
            match item {
                FileListItem::File(file) => {
                    println!(
                        "   page {page_number}: file   {} ({} bytes)",
                        file.name, file.size
                    )
                }
                FileListItem::Folder(folder) => {
                    println!("   page {page_number}: folder {}", folder.path)
                }
            }
        }
        match page.next_continuation_token {
            Some(token) => query = query.continuation_token(token),
            None => break,
        }
    }

    println!("\n3. Download the report back through its signed URL:");
    let listed: Vec<FileListItem> = client
        .all_files(ListFilesQuery::new(format!("{folder}reports/")).with_urls())
        .try_collect()
        .await?;
    let Some(FileListItem::File(file)) = listed.into_iter().next() else {
        return Err("the uploaded report is not listed".into());
    };
    // Its total is the answer's `Content-Length`.
    let mut download = file.download(client).await?.progress(&shown("download"));
    let mut received = Vec::new();
    while let Some(chunk) = download.chunk().await? {
        received.extend_from_slice(&chunk);
    }
    println!(
        "   {} bytes, {} the uploaded file",
        received.len(),
        if received == content {
            "identical to"
        } else {
            "DIFFERENT from"
        }
    );
    if received != content {
        return Err("the download differs from the upload".into());
    }

    println!("\n4. Delete the three files:");
    for path in uploaded.iter() {
        client.delete_file(path).await?;
        println!("   deleted {path}");
    }
    let left: Vec<FileListItem> = client
        .all_files(ListFilesQuery::new(folder))
        .try_collect()
        .await?;
    println!("   {} files left under {folder}", left.len());
    Ok(())
}

/// A progress shown as it moves: a bar on a terminal, a line at each quarter otherwise (a
/// log or a pipe gets no control codes).
fn shown(label: &'static str) -> Progress {
    if std::io::stdout().is_terminal() {
        let bar =
            indicatif::ProgressBar::with_draw_target(None, indicatif::ProgressDrawTarget::stdout());
        if let Ok(style) = indicatif::ProgressStyle::with_template(
            "   {prefix:8} [{bar:30}] {binary_bytes}/{binary_total_bytes}",
        ) {
            bar.set_style(style.progress_chars("=> "));
        }
        bar.set_prefix(label);
        Progress::with_callback(move |now: &Transferred| {
            if let Some(total) = now.total {
                bar.set_length(total);
            }
            // A retried upload starts again from 0: so does the bar.
            bar.set_position(now.bytes);
            if now.done {
                // The bar makes way for a line, as in a log.
                bar.finish_and_clear();
                println!("   {label}: {} bytes", now.bytes);
            }
        })
    } else {
        // The quarter last printed, per attempt.
        let printed = Mutex::new((0, None));
        Progress::with_callback(move |now: &Transferred| {
            let quarter = match now.fraction() {
                _ if now.done => 4,
                Some(fraction) => (fraction * 4.0) as u32,
                None => 0,
            };
            let mut printed = printed
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner());
            if *printed == (now.attempt, Some(quarter)) {
                return;
            }
            *printed = (now.attempt, Some(quarter));
            match now.total {
                Some(total) => println!("   {label}: {} of {total} bytes", now.bytes),
                None => println!("   {label}: {} bytes", now.bytes),
            }
        })
    }
}
