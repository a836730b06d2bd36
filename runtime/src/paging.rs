//! Paged lists walked item by item: how a list pages is data (a [`Pager`]), and one walk
//! turns a call that fetches a page into a `Stream` ([`stream`]) or an `Iterator` ([`iter`])
//! of every item of every page.
//!
//! Two styles come ready-made, each a value of fn pointers that says where the request's
//! and the page's fields are:
//! - [`Offset`]: the request says where the page starts (`skip`, `offset`), and the next
//!   page starts after the items seen. The walk goes on ([`More`]) while the page says there
//!   are more, up to a total count, while pages come back full, or until one comes back
//!   empty.
//! - [`Token`]: the page carries the token (cursor) of the next one, sent back in the
//!   request.
//!
//! Any other style is a [`Pager`] of your own, or a closure through [`from_fn`].
//!
//! ```no_run
//! use askui_runtime::paging::{self, More, Offset};
//! use askui_runtime::{askui_endpoint, askui_endpoints, Client, Error};
//! use futures_core::Stream;
//! use serde::{Deserialize, Serialize};
//!
//! #[derive(Clone, Default, Serialize)]
//! pub struct PetsQuery { pub skip: Option<u64>, pub limit: Option<u32> }
//!
//! #[derive(Deserialize)]
//! #[serde(rename_all = "camelCase")]
//! pub struct PetsPage { pub data: Vec<String>, pub has_more: bool }
//!
//! /// `skip` advanced past the items seen, while the page says `hasMore`.
//! const PETS: Offset<PetsQuery, PetsPage, String> = Offset::new(
//!     |query| query.skip,
//!     |query, skip| PetsQuery { skip: Some(skip), ..query },
//!     |page| page.data,
//!     More::HasMore(|page| page.has_more),
//! );
//!
//! #[askui_endpoints]
//! pub trait Pets: AsRef<Client> {
//!     #[askui_endpoint(get, "/pets")]
//!     async fn list_pets(&self, #[query(flatten)] query: &PetsQuery) -> Result<PetsPage, Error>;
//!
//!     /// Every pet, a page fetched as the stream is read.
//!     fn all_pets(&self, query: PetsQuery) -> impl Stream<Item = Result<String, Error>> + Send + '_
//!     where
//!         Self: Sync,
//!     {
//!         paging::stream(PETS, query, move |page| async move { self.list_pets(&page).await })
//!     }
//! }
//! ```
//!
//! Both walks fetch a page only once the previous one is used up, and end after the first
//! error (handed out as the last item).

use std::collections::VecDeque;
use std::future::Future;
use std::marker::PhantomData;

use futures_core::Stream;

use crate::error::Error;

/// How a list pages: which request asks for the first page, and, given a page and the
/// request that asked for it, the page's items and the request of the next page.
///
/// [`Offset`] and [`Token`] are the common styles; [`from_fn`] makes one of a closure.
///
/// ```
/// use askui_runtime::paging::{self, Pager};
///
/// /// Numbered pages (`page=1`, `page=2`, …) until one comes back empty.
/// struct Numbered;
///
/// impl Pager for Numbered {
///     type Request = u32;
///     type Page = Vec<char>;
///     type Item = char;
///
///     fn read(&self, number: u32, page: Vec<char>) -> (Vec<char>, Option<u32>) {
///         let next = (!page.is_empty()).then_some(number + 1);
///         (page, next)
///     }
/// }
///
/// let pages = [vec!['a', 'b'], vec!['c'], vec![]];
/// let items: Result<String, _> =
///     paging::iter(Numbered, 0, |&number| Ok(pages[number as usize].clone())).collect();
/// assert_eq!(items?, "abc");
/// # Ok::<(), askui_runtime::Error>(())
/// ```
pub trait Pager {
    /// What asks for one page (a query, a whole call's arguments).
    type Request;
    /// One page's answer.
    type Page;
    /// The items listed.
    type Item;

    /// The request of the first page, from the one the caller gave (by default, that one).
    fn first(&self, request: Self::Request) -> Self::Request {
        request
    }

    /// The items of `page`, the answer to `request`, and the request of the next page, if
    /// there is one.
    fn read(
        &self,
        request: Self::Request,
        page: Self::Page,
    ) -> (Vec<Self::Item>, Option<Self::Request>);
}

impl<P: Pager + ?Sized> Pager for &P {
    type Request = P::Request;
    type Page = P::Page;
    type Item = P::Item;

    fn first(&self, request: P::Request) -> P::Request {
        (**self).first(request)
    }

    fn read(&self, request: P::Request, page: P::Page) -> (Vec<P::Item>, Option<P::Request>) {
        (**self).read(request, page)
    }
}

/// Offset paging (`skip`/`limit`, `offset`/`count`): each page starts after the items seen.
///
/// The first request is sent with its offset set (`0` if it had none), as every later one.
/// The walk goes on by its [`More`] rule, and always ends at an empty page, so that a server
/// that keeps saying "more" cannot make it loop.
pub struct Offset<Request, Page, Item> {
    offset: fn(&Request) -> Option<u64>,
    at: fn(Request, u64) -> Request,
    items: fn(Page) -> Vec<Item>,
    more: More<Request, Page>,
}

/// When an [`Offset`] walk goes on after a page that was not empty.
#[non_exhaustive]
pub enum More<Request, Page> {
    /// While the page says there are more (`hasMore`, `has_more`).
    HasMore(fn(&Page) -> bool),
    /// While the items seen are fewer than the page's total count. A page without a total
    /// ends the walk.
    UpToTotal(fn(&Page) -> Option<u64>),
    /// While pages come back full: with at least as many items as the page size the request
    /// asked for (or the server's default), for lists that say nothing of more.
    WhileFull(fn(&Request) -> u64),
    /// Until a page comes back empty.
    UntilEmpty,
}

// Not derived: a derive would ask the request, page and item types to be `Clone` too.
impl<Request, Page> Clone for More<Request, Page> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<Request, Page> Copy for More<Request, Page> {}
impl<Request, Page, Item> Clone for Offset<Request, Page, Item> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<Request, Page, Item> Copy for Offset<Request, Page, Item> {}

impl<Request, Page, Item> Offset<Request, Page, Item> {
    /// Offset paging that reads a request's offset with `offset` (`None`: from the start),
    /// sets it with `at`, takes a page's items with `items`, and goes on by the rule `more`.
    pub const fn new(
        offset: fn(&Request) -> Option<u64>,
        at: fn(Request, u64) -> Request,
        items: fn(Page) -> Vec<Item>,
        more: More<Request, Page>,
    ) -> Self {
        Offset {
            offset,
            at,
            items,
            more,
        }
    }
}

/// What an [`Offset`] rule read of a page, before its items were taken.
enum Rule {
    Said(bool),
    Total(Option<u64>),
    Full(u64),
}

impl<Request, Page, Item> Pager for Offset<Request, Page, Item> {
    type Request = Request;
    type Page = Page;
    type Item = Item;

    fn first(&self, request: Request) -> Request {
        let start = (self.offset)(&request).unwrap_or(0);
        (self.at)(request, start)
    }

    fn read(&self, request: Request, page: Page) -> (Vec<Item>, Option<Request>) {
        let start = (self.offset)(&request).unwrap_or(0);
        // What the rule needs is read before the page is taken apart for its items.
        let rule = match self.more {
            More::UntilEmpty => Rule::Said(true),
            More::HasMore(has_more) => Rule::Said(has_more(&page)),
            More::UpToTotal(total) => Rule::Total(total(&page)),
            More::WhileFull(limit) => Rule::Full(limit(&request)),
        };
        let items = (self.items)(page);
        let seen = start + items.len() as u64;
        let more = match rule {
            Rule::Said(more) => more,
            Rule::Total(total) => total.is_some_and(|total| seen < total),
            Rule::Full(limit) => items.len() as u64 >= limit,
        };
        let next = (more && !items.is_empty()).then(|| (self.at)(request, seen));
        (items, next)
    }
}

/// Continuation-token (cursor) paging: the page carries the token of the next one, which the
/// next request sends.
///
/// A missing or empty token ends the walk, and so does one that does not move on (the token
/// the page was asked with), rather than looping.
pub struct Token<Request, Page, Item> {
    token: fn(&Request) -> Option<&str>,
    with_token: fn(Request, String) -> Request,
    read: fn(Page) -> (Vec<Item>, Option<String>),
}

impl<Request, Page, Item> Clone for Token<Request, Page, Item> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<Request, Page, Item> Copy for Token<Request, Page, Item> {}

impl<Request, Page, Item> Token<Request, Page, Item> {
    /// Token paging that reads the token a request was sent with (`token`), sets the next
    /// one (`with_token`), and takes a page apart into its items and the next token
    /// (`read`).
    pub const fn new(
        token: fn(&Request) -> Option<&str>,
        with_token: fn(Request, String) -> Request,
        read: fn(Page) -> (Vec<Item>, Option<String>),
    ) -> Self {
        Token {
            token,
            with_token,
            read,
        }
    }
}

impl<Request, Page, Item> Pager for Token<Request, Page, Item> {
    type Request = Request;
    type Page = Page;
    type Item = Item;

    fn read(&self, request: Request, page: Page) -> (Vec<Item>, Option<Request>) {
        let (items, answered) = (self.read)(page);
        let next = answered
            .filter(|token| !token.is_empty() && Some(token.as_str()) != (self.token)(&request))
            .map(|token| (self.with_token)(request, token));
        (items, next)
    }
}

/// A [`Pager`] of a closure that takes a page and the request that asked for it, and gives
/// the page's items and the request of the next page.
///
/// ```
/// use askui_runtime::paging;
///
/// // Pages of the numbers below 7, from a request `(start, size)`.
/// let pager = paging::from_fn(|(start, size): (u32, u32), page: Vec<u32>| {
///     let next = (page.len() as u32 == size).then_some((start + size, size));
///     (page, next)
/// });
/// let numbers = paging::iter(pager, (0, 3), |&(start, size)| Ok((start..(start + size).min(7)).collect()));
/// assert_eq!(numbers.collect::<Result<Vec<_>, _>>()?, [0, 1, 2, 3, 4, 5, 6]);
/// # Ok::<(), askui_runtime::Error>(())
/// ```
pub fn from_fn<Request, Page, Item, F>(read: F) -> FromFn<F, Request, Page, Item>
where
    F: Fn(Request, Page) -> (Vec<Item>, Option<Request>),
{
    FromFn {
        read,
        types: PhantomData,
    }
}

/// The [`Pager`] of [`from_fn`].
pub struct FromFn<F, Request, Page, Item> {
    read: F,
    types: PhantomData<fn(Request, Page) -> Item>,
}

impl<F, Request, Page, Item> Pager for FromFn<F, Request, Page, Item>
where
    F: Fn(Request, Page) -> (Vec<Item>, Option<Request>),
{
    type Request = Request;
    type Page = Page;
    type Item = Item;

    fn read(&self, request: Request, page: Page) -> (Vec<Item>, Option<Request>) {
        (self.read)(request, page)
    }
}

/// The state both walks share: the items of the last page not yet handed out, and the
/// request of the next page. After an error there is no next page.
struct Walk<P: Pager> {
    pager: P,
    buffered: VecDeque<P::Item>,
    next: Option<P::Request>,
}

enum Step<P: Pager> {
    Item(P::Item),
    Fetch(P::Request),
    End,
}

impl<P: Pager> Walk<P> {
    fn new(pager: P, request: P::Request) -> Self {
        Walk {
            next: Some(pager.first(request)),
            pager,
            buffered: VecDeque::new(),
        }
    }

    /// The next item, else the request of the page to fetch (only once the last page is
    /// used up), else the end.
    fn step(&mut self) -> Step<P> {
        if let Some(item) = self.buffered.pop_front() {
            return Step::Item(item);
        }
        match self.next.take() {
            Some(request) => Step::Fetch(request),
            None => Step::End,
        }
    }

    /// Takes the answer to `request`, the one [`step`](Self::step) gave.
    fn answer(&mut self, request: P::Request, page: Result<P::Page, Error>) -> Result<(), Error> {
        let (items, next) = self.pager.read(request, page?);
        self.buffered.extend(items);
        self.next = next;
        Ok(())
    }
}

/// Every item of every page, as a `Stream`: `fetch` is called with a page's request (the
/// first from `request`, through the pager) only once the previous page is used up. The
/// stream ends after the first error, which is its last item.
pub fn stream<P, F, Fut>(
    pager: P,
    request: P::Request,
    fetch: F,
) -> impl Stream<Item = Result<P::Item, Error>>
where
    P: Pager,
    P::Request: Clone,
    F: FnMut(P::Request) -> Fut,
    Fut: Future<Output = Result<P::Page, Error>>,
{
    futures_util::stream::unfold(
        (Walk::new(pager, request), fetch),
        |(mut walk, mut fetch)| async move {
            loop {
                match walk.step() {
                    Step::Item(item) => return Some((Ok(item), (walk, fetch))),
                    Step::End => return None,
                    Step::Fetch(request) => {
                        let page = fetch(request.clone()).await;
                        if let Err(error) = walk.answer(request, page) {
                            return Some((Err(error), (walk, fetch)));
                        }
                    }
                }
            }
        },
    )
}

/// [`stream`] for blocking calls: an `Iterator` that calls `fetch` for the next page as it
/// is advanced, and ends after the first error.
pub fn iter<P, F>(
    pager: P,
    request: P::Request,
    mut fetch: F,
) -> impl Iterator<Item = Result<P::Item, Error>>
where
    P: Pager,
    F: FnMut(&P::Request) -> Result<P::Page, Error>,
{
    let mut walk = Walk::new(pager, request);
    std::iter::from_fn(move || {
        loop {
            match walk.step() {
                Step::Item(item) => return Some(Ok(item)),
                Step::End => return None,
                Step::Fetch(request) => {
                    let page = fetch(&request);
                    if let Err(error) = walk.answer(request, page) {
                        return Some(Err(error));
                    }
                }
            }
        }
    })
}
