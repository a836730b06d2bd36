//! Walking every item of a paged list, page after page, as a `Stream`.

use std::collections::VecDeque;
use std::future::Future;

use askui_runtime::Error;
use futures_core::Stream;

/// One page: its items, and the cursor of the next page if there is one.
pub(crate) struct Page<T, C> {
    pub items: Vec<T>,
    pub next: Option<C>,
}

/// Every item of every page, fetching a page only when the previous one is used up. The
/// first error ends the stream after it is yielded.
pub(crate) fn items<T, C, F, Fut>(first: C, mut fetch: F) -> impl Stream<Item = Result<T, Error>>
where
    F: FnMut(C) -> Fut,
    Fut: Future<Output = Result<Page<T, C>, Error>>,
{
    let state = (VecDeque::new(), Some(first));
    futures_util::stream::unfold(state, move |(mut buffered, mut next)| {
        let fetched = if buffered.is_empty() {
            next.take().map(&mut fetch)
        } else {
            None
        };
        async move {
            if let Some(fetched) = fetched {
                match fetched.await {
                    Ok(page) => {
                        buffered.extend(page.items);
                        next = page.next;
                    }
                    Err(error) => return Some((Err(error), (buffered, None))),
                }
            }
            let item = buffered.pop_front()?;
            Some((Ok(item), (buffered, next)))
        }
    })
}

/// Every item of a `skip`/`limit` list from `start`: each page starts after the items seen,
/// while `fetch` answers that there are more (and its page was not empty).
pub(crate) fn by_skip<T, F, Fut>(start: u64, mut fetch: F) -> impl Stream<Item = Result<T, Error>>
where
    F: FnMut(u64) -> Fut,
    Fut: Future<Output = Result<(Vec<T>, bool), Error>>,
{
    items(start, move |skip| {
        let page = fetch(skip);
        async move {
            let (items, more) = page.await?;
            let next = skip + items.len() as u64;
            Ok(Page {
                next: (more && !items.is_empty()).then_some(next),
                items,
            })
        }
    })
}
