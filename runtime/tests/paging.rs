//! The paging rules, through both walks: which request comes next, when a walk stops, that a
//! page is fetched only once the last one is used up, and that the first error ends it.

use std::sync::{Arc, Mutex};

use askui_runtime::Error;
use askui_runtime::paging::{self, More, Offset, Pager, Token};
use futures_util::StreamExt;

#[derive(Clone, Debug, PartialEq)]
struct Query {
    skip: Option<u64>,
    limit: u64,
    token: Option<String>,
}

fn query(skip: Option<u64>, limit: u64) -> Query {
    Query {
        skip,
        limit,
        token: None,
    }
}

/// A page of numbers, with all the signs of more a list may give.
struct Numbers {
    data: Vec<u64>,
    has_more: bool,
    total: Option<u64>,
    next: Option<String>,
}

/// The page of `total` numbers that `query` asks for.
fn page(query: &Query, total: u64) -> Numbers {
    let start = query.skip.unwrap_or(0);
    let end = (start + query.limit).min(total);
    Numbers {
        data: (start..end).collect(),
        has_more: end < total,
        total: Some(total),
        next: None,
    }
}

/// Offset paging of [`Numbers`] by the rule `more`.
const fn offset(more: More<Query, Numbers>) -> Offset<Query, Numbers, u64> {
    Offset::new(
        |query| query.skip,
        |query, skip| Query {
            skip: Some(skip),
            ..query
        },
        |page| page.data,
        more,
    )
}
const UNTIL_EMPTY: Offset<Query, Numbers, u64> = offset(More::UntilEmpty);
const HAS_MORE: Offset<Query, Numbers, u64> = offset(More::HasMore(|page| page.has_more));
const TOTAL: Offset<Query, Numbers, u64> = offset(More::UpToTotal(|page| page.total));
const FULL: Offset<Query, Numbers, u64> = offset(More::WhileFull(|query| query.limit));
const TOKEN: Token<Query, Numbers, u64> = Token::new(
    |query| query.token.as_deref(),
    |query, token| Query {
        token: Some(token),
        ..query
    },
    |page| (page.data, page.next),
);

/// The items of a blocking walk over `total` numbers from `first`, and the skips asked.
fn walk(
    pager: impl Pager<Request = Query, Page = Numbers, Item = u64>,
    first: Query,
    total: u64,
) -> (Vec<u64>, Vec<Option<u64>>) {
    let mut asked = Vec::new();
    let items = paging::iter(pager, first, |query| {
        asked.push(query.skip);
        Ok(page(query, total))
    })
    .map(Result::unwrap)
    .collect();
    (items, asked)
}

#[test]
fn offset_pages_follow_one_another_while_has_more() {
    let (items, asked) = walk(HAS_MORE, query(Some(1), 2), 6);
    assert_eq!(items, [1, 2, 3, 4, 5]);
    assert_eq!(asked, [Some(1), Some(3), Some(5)]);
}

#[test]
fn the_first_offset_is_sent_explicitly() {
    let (items, asked) = walk(HAS_MORE, query(None, 4), 6);
    assert_eq!(items, [0, 1, 2, 3, 4, 5]);
    assert_eq!(asked, [Some(0), Some(4)]);
}

#[test]
fn offset_pages_follow_one_another_up_to_the_total() {
    let (items, asked) = walk(TOTAL, query(None, 2), 5);
    assert_eq!(items, [0, 1, 2, 3, 4]);
    assert_eq!(asked, [Some(0), Some(2), Some(4)]);
    // A page without a total ends the walk.
    let items: Vec<_> = paging::iter(TOTAL, query(None, 2), |query| {
        Ok(Numbers {
            total: None,
            ..page(query, 10)
        })
    })
    .collect();
    assert_eq!(items.len(), 2);
}

#[test]
fn offset_pages_follow_one_another_while_full() {
    // 6 in pages of 2: the empty page after the last full one is asked for, and ends it.
    let (items, asked) = walk(FULL, query(None, 2), 6);
    assert_eq!(items, [0, 1, 2, 3, 4, 5]);
    assert_eq!(asked, [Some(0), Some(2), Some(4), Some(6)]);
    let (items, asked) = walk(FULL, query(None, 4), 6);
    assert_eq!(items.len(), 6);
    assert_eq!(asked, [Some(0), Some(4)]);
}

#[test]
fn offset_pages_follow_one_another_until_an_empty_one() {
    let (items, asked) = walk(UNTIL_EMPTY, query(None, 4), 6);
    assert_eq!(items.len(), 6);
    assert_eq!(asked, [Some(0), Some(4), Some(6)]);
}

#[test]
fn an_empty_page_ends_an_offset_walk_even_with_more() {
    for pager in [HAS_MORE, TOTAL, FULL] {
        let mut calls = 0;
        let items: Vec<_> = paging::iter(pager, query(None, 0), |_| {
            calls += 1;
            Ok(Numbers {
                data: Vec::new(),
                has_more: true,
                total: Some(10),
                next: None,
            })
        })
        .collect();
        assert!(items.is_empty());
        assert_eq!(calls, 1);
    }
}

#[test]
fn token_pages_follow_the_token_until_it_stops_moving_on() {
    // Tokens t1, t2, then t2 again: the walk ends instead of looping.
    let mut asked = Vec::new();
    let items: Vec<u64> = paging::iter(TOKEN, query(None, 2), |query| {
        asked.push(query.token.clone());
        let (data, next) = match query.token.as_deref() {
            None => (vec![1, 2], Some("t1")),
            Some("t1") => (vec![3], Some("t2")),
            _ => (vec![4], Some("t2")),
        };
        Ok(Numbers {
            data,
            has_more: false,
            total: None,
            next: next.map(String::from),
        })
    })
    .map(Result::unwrap)
    .collect();
    assert_eq!(items, [1, 2, 3, 4]);
    assert_eq!(asked, [None, Some("t1".into()), Some("t2".into())]);
}

#[test]
fn a_missing_or_empty_token_ends_a_token_walk() {
    for next in [None, Some(String::new())] {
        let mut calls = 0;
        let items: Vec<_> = paging::iter(TOKEN, query(None, 2), |_| {
            calls += 1;
            Ok(Numbers {
                data: vec![7],
                has_more: true,
                total: None,
                next: next.clone(),
            })
        })
        .collect();
        assert_eq!(items.len(), 1);
        assert_eq!(calls, 1);
    }
}

/// A style of its own: pages numbered from 1, the last one says so with a `last` flag.
struct Numbered;

struct Sheet {
    lines: Vec<&'static str>,
    last: bool,
}

impl Pager for Numbered {
    type Request = u32;
    type Page = Sheet;
    type Item = &'static str;

    fn first(&self, _: u32) -> u32 {
        1
    }

    fn read(&self, number: u32, sheet: Sheet) -> (Vec<&'static str>, Option<u32>) {
        (sheet.lines, (!sheet.last).then_some(number + 1))
    }
}

fn sheet(number: u32) -> Result<Sheet, Error> {
    match number {
        1 => Ok(Sheet {
            lines: vec!["a", "b"],
            last: false,
        }),
        2 => Ok(Sheet {
            lines: vec![],
            last: false,
        }),
        3 => Ok(Sheet {
            lines: vec!["c"],
            last: true,
        }),
        _ => Err(Error::invalid_argument("page", "past the end")),
    }
}

#[test]
fn a_style_of_its_own_pages_as_it_says() {
    let mut asked = Vec::new();
    let items: Vec<_> = paging::iter(Numbered, 0, |&number| {
        asked.push(number);
        sheet(number)
    })
    .map(Result::unwrap)
    .collect();
    // An empty page in between does not end a walk the style does not end.
    assert_eq!(items, ["a", "b", "c"]);
    assert_eq!(asked, [1, 2, 3]);
}

#[test]
fn a_closure_pages_as_it_says() {
    let pager = paging::from_fn(|number: u32, sheet: Sheet| {
        (sheet.lines, (!sheet.last).then_some(number + 1))
    });
    let items: Vec<_> = paging::iter(&pager, 1, |&number| sheet(number))
        .map(Result::unwrap)
        .collect();
    assert_eq!(items, ["a", "b", "c"]);
}

#[test]
fn the_first_error_ends_a_blocking_walk() {
    let mut calls = 0;
    let mut walk = paging::iter(HAS_MORE, query(None, 2), |query| {
        calls += 1;
        match query.skip {
            Some(0) => Ok(page(query, 10)),
            _ => Err(Error::invalid_argument("page", "broken")),
        }
    });
    assert_eq!(walk.next().unwrap().unwrap(), 0);
    assert_eq!(walk.next().unwrap().unwrap(), 1);
    assert!(walk.next().unwrap().is_err());
    assert!(walk.next().is_none());
    assert!(walk.next().is_none());
    drop(walk);
    assert_eq!(calls, 2);
}

#[tokio::test]
async fn a_stream_fetches_a_page_only_once_the_last_is_read() {
    let asked = Arc::new(Mutex::new(Vec::new()));
    let log = asked.clone();
    let stream = paging::stream(HAS_MORE, query(None, 2), move |query| {
        let log = log.clone();
        async move {
            log.lock().unwrap().push(query.skip);
            Ok(page(&query, 5))
        }
    });
    let mut stream = std::pin::pin!(stream);
    assert!(
        asked.lock().unwrap().is_empty(),
        "nothing is fetched before the stream is read"
    );
    assert_eq!(stream.next().await.unwrap().unwrap(), 0);
    assert_eq!(*asked.lock().unwrap(), [Some(0)]);
    assert_eq!(stream.next().await.unwrap().unwrap(), 1);
    assert_eq!(*asked.lock().unwrap(), [Some(0)]);
    assert_eq!(stream.next().await.unwrap().unwrap(), 2);
    assert_eq!(*asked.lock().unwrap(), [Some(0), Some(2)]);
    let rest: Vec<u64> = stream.map(Result::unwrap).collect().await;
    assert_eq!(rest, [3, 4]);
    assert_eq!(*asked.lock().unwrap(), [Some(0), Some(2), Some(4)]);
}

#[tokio::test]
async fn the_first_error_ends_a_stream() {
    let calls = Arc::new(Mutex::new(0));
    let count = calls.clone();
    let stream = paging::stream(Numbered, 0, move |number| {
        *count.lock().unwrap() += 1;
        async move {
            match number {
                1 => sheet(1),
                _ => Err(Error::invalid_argument("page", "broken")),
            }
        }
    });
    let items: Vec<_> = stream.collect().await;
    assert_eq!(items.len(), 3);
    assert_eq!(*items[1].as_ref().unwrap(), "b");
    assert!(items[2].is_err());
    assert_eq!(*calls.lock().unwrap(), 2);
}

#[test]
fn the_walks_are_send_with_send_calls() {
    fn send<T: Send>(_: T) {}
    send(paging::stream(
        HAS_MORE,
        query(None, 2),
        |query| async move { Ok(page(&query, 3)) },
    ));
    send(paging::iter(TOKEN, query(None, 2), |query| {
        Ok(page(query, 3))
    }));
}
