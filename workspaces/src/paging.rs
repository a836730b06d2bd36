//! Walking every item of a paged list, page after page: as a `Stream` for async clients and
//! as an `Iterator` for blocking ones. Both walk the same [`Walk`], and the paging rules
//! (which page comes next, when to stop) are here, once: [`Paged`] for each list query.

use std::collections::VecDeque;
use std::future::Future;

use askui_runtime::Error;
use futures_core::Stream;

/// One page: its items, and the query of the next page if there is one.
pub(crate) struct Page<T, Q> {
    pub items: Vec<T>,
    pub next: Option<Q>,
}

/// A list query that knows how its list pages.
pub(crate) trait Paged: Sized {
    /// One page's answer.
    type Answer;
    /// The items listed.
    type Item;

    /// The query of the first page.
    fn first(self) -> Self {
        self
    }

    /// The items of the page this query asked for, and the query of the next page.
    fn next_page(self, answer: Self::Answer) -> Page<Self::Item, Self>;
}

/// A `skip`/`limit` list: each page starts after the items seen, while the answer says there
/// are more and its page was not empty. The query says only where its fields are.
pub(crate) trait BySkip: Sized {
    type Answer;
    type Item;

    fn skip_of(&self) -> Option<u64>;
    fn at(self, skip: u64) -> Self;
    /// The page's items, and whether the answer says there are more.
    fn items(&self, answer: Self::Answer) -> (Vec<Self::Item>, bool);
}

impl<Q: BySkip> Paged for Q {
    type Answer = Q::Answer;
    type Item = Q::Item;

    /// The start is sent explicitly (`skip=0`), as on every later page.
    fn first(self) -> Self {
        let skip = self.skip_of().unwrap_or(0);
        self.at(skip)
    }

    fn next_page(self, answer: Q::Answer) -> Page<Q::Item, Q> {
        let (items, more) = self.items(answer);
        let next = self.skip_of().unwrap_or(0) + items.len() as u64;
        Page {
            next: (more && !items.is_empty()).then(|| self.at(next)),
            items,
        }
    }
}

/// The rule of a continuation-token list: the next page is asked for with the token the
/// answer carries. A missing or empty token ends the walk, and so does one that does not
/// move on (the token this page was asked for), rather than looping.
pub(crate) fn next_token(asked: Option<&str>, answered: Option<String>) -> Option<String> {
    answered.filter(|token| !token.is_empty() && Some(token.as_str()) != asked)
}

/// The state both walks share: items of the last page not yet handed out, and the query of
/// the next page. The first error ends the walk after it is handed out.
struct Walk<Q: Paged> {
    buffered: VecDeque<Q::Item>,
    next: Option<Q>,
}

enum Step<Q: Paged> {
    Item(Q::Item),
    Fetch(Q),
    End,
}

impl<Q: Paged> Walk<Q> {
    fn new(query: Q) -> Self {
        Walk {
            buffered: VecDeque::new(),
            next: Some(query.first()),
        }
    }

    /// The next item, else the query of the page to fetch (only once the last page is used
    /// up), else the end.
    fn step(&mut self) -> Step<Q> {
        if let Some(item) = self.buffered.pop_front() {
            return Step::Item(item);
        }
        match self.next.take() {
            Some(query) => Step::Fetch(query),
            None => Step::End,
        }
    }

    /// Takes the answer to `query`, the query [`step`](Self::step) gave. After an error
    /// there is nothing more to fetch.
    fn answer(&mut self, query: Q, answer: Result<Q::Answer, Error>) -> Result<(), Error> {
        let page = query.next_page(answer?);
        self.buffered.extend(page.items);
        self.next = page.next;
        Ok(())
    }
}

/// Every item of every page from `query`'s, as a `Stream`: a page is fetched (`fetch`, with
/// the page's query) only once the previous one is used up.
pub(crate) fn stream<Q, F, Fut>(query: Q, fetch: F) -> impl Stream<Item = Result<Q::Item, Error>>
where
    Q: Paged + Clone,
    F: FnMut(Q) -> Fut,
    Fut: Future<Output = Result<Q::Answer, Error>>,
{
    futures_util::stream::unfold(
        (Walk::new(query), fetch),
        |(mut walk, mut fetch)| async move {
            loop {
                match walk.step() {
                    Step::Item(item) => return Some((Ok(item), (walk, fetch))),
                    Step::End => return None,
                    Step::Fetch(query) => {
                        let answer = fetch(query.clone()).await;
                        if let Err(error) = walk.answer(query, answer) {
                            return Some((Err(error), (walk, fetch)));
                        }
                    }
                }
            }
        },
    )
}

/// [`stream`] for blocking calls: an `Iterator` that fetches a page as it is advanced.
#[cfg(feature = "blocking")]
pub(crate) fn iter<Q, F>(query: Q, mut fetch: F) -> impl Iterator<Item = Result<Q::Item, Error>>
where
    Q: Paged,
    F: FnMut(&Q) -> Result<Q::Answer, Error>,
{
    let mut walk = Walk::new(query);
    std::iter::from_fn(move || {
        loop {
            match walk.step() {
                Step::Item(item) => return Some(Ok(item)),
                Step::End => return None,
                Step::Fetch(query) => {
                    let answer = fetch(&query);
                    if let Err(error) = walk.answer(query, answer) {
                        return Some(Err(error));
                    }
                }
            }
        }
    })
}

// The rules through the blocking walk, which needs no executor; the wire tests walk both.
#[cfg(all(test, feature = "blocking"))]
mod tests {
    use super::*;

    /// A skip list of `total` numbers in pages of `limit`, answering `has_more`.
    #[derive(Clone, Debug, PartialEq)]
    struct Numbers {
        skip: Option<u64>,
        limit: u64,
    }

    impl BySkip for Numbers {
        type Answer = (Vec<u64>, bool);
        type Item = u64;
        fn skip_of(&self) -> Option<u64> {
            self.skip
        }
        fn at(self, skip: u64) -> Self {
            Numbers {
                skip: Some(skip),
                ..self
            }
        }
        fn items(&self, answer: (Vec<u64>, bool)) -> (Vec<u64>, bool) {
            answer
        }
    }

    fn page(query: &Numbers, total: u64) -> (Vec<u64>, bool) {
        let start = query.skip.unwrap_or(0);
        let end = (start + query.limit).min(total);
        ((start..end).collect(), end < total)
    }

    #[test]
    fn skip_pages_follow_one_another_until_no_more() {
        let mut asked = Vec::new();
        let walk = iter(
            Numbers {
                skip: Some(1),
                limit: 2,
            },
            |query| {
                asked.push(query.skip);
                Ok(page(query, 6))
            },
        );
        let items: Vec<u64> = walk.map(Result::unwrap).collect();
        assert_eq!(items, [1, 2, 3, 4, 5]);
        assert_eq!(asked, [Some(1), Some(3), Some(5)]);
    }

    #[test]
    fn an_empty_page_ends_the_walk_even_with_more() {
        let mut calls = 0;
        let items: Vec<_> = iter(
            Numbers {
                skip: None,
                limit: 2,
            },
            |_| {
                calls += 1;
                Ok((Vec::new(), true))
            },
        )
        .collect();
        assert!(items.is_empty());
        assert_eq!(calls, 1);
    }

    #[test]
    fn the_first_error_ends_the_walk() {
        let mut calls = 0;
        let mut walk = iter(
            Numbers {
                skip: None,
                limit: 2,
            },
            |query| {
                calls += 1;
                match query.skip {
                    Some(0) => Ok(page(query, 10)),
                    _ => Err(Error::invalid_argument("page", "broken")),
                }
            },
        );
        assert_eq!(walk.next().unwrap().unwrap(), 0);
        assert_eq!(walk.next().unwrap().unwrap(), 1);
        assert!(walk.next().unwrap().is_err());
        assert!(walk.next().is_none());
        assert!(walk.next().is_none());
        drop(walk);
        assert_eq!(calls, 2);
    }

    #[test]
    fn tokens_that_do_not_move_on_end_the_walk() {
        assert_eq!(next_token(None, Some("t2".into())), Some("t2".into()));
        assert_eq!(next_token(Some("t1"), Some("t2".into())), Some("t2".into()));
        assert_eq!(next_token(Some("t2"), Some("t2".into())), None);
        assert_eq!(next_token(None, Some(String::new())), None);
        assert_eq!(next_token(Some("t1"), None), None);
    }
}
