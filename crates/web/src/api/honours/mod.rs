//! Recognition over HTTP (API.md "Recognition — 评选表彰", issue #18).

pub mod export;
pub mod notice;
pub mod panel;
pub mod rounds;

use tongxing_domain::paging::Page;

use crate::api::ListOf;

/// One page of a list computed whole (candidates are scored all at once).
fn page_of<T: Clone>(all: &[T], page: Page) -> ListOf<T> {
    let total = all.len() as i64;
    let items = all.iter().skip(page.offset() as usize).take(page.limit() as usize).cloned().collect();
    ListOf { items, total }
}
