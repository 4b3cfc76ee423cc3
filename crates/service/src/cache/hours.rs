//! Volunteers' hours pages kept on PostgreSQL while its feed of changes is
//! heard (`crate::feed`), and the marks that keep a page read across a
//! change from being kept.

use std::sync::Arc;
use std::time::Instant;

use tongxing_domain::hours::Entry as LedgerEntry;
use tongxing_domain::paging::Page as ListPage;

use super::{Bound, Caches, Held, HOURS_PAGE_TTL};

const HOURS_PAGES: Bound = Bound { entries: 100_000, bytes: 32 << 20 };
/// An hours page is weighed at this much beside its key, plus this much
/// per entry on it.
const HOURS_PAGE_WEIGHT: usize = 64;
const HOURS_ENTRY_WEIGHT: usize = 256;
/// Volunteers share this many marks (`HoursMark`): a change to one
/// volunteer's pages refuses to keep what was being read of the few others
/// on the same mark, which costs them one more read, never a stale page.
const HOURS_MARKS: usize = 4_096;

/// A volunteer's hours page as read: total, entries, the page's entries.
pub type HoursPage = Arc<(f64, i64, Vec<LedgerEntry>)>;

/// The hours pages kept, per volunteer (each page with when it was read),
/// and the marks that tell whether a page read a moment ago may still be
/// kept: `forget` moves the volunteer's mark, `forget_all` the epoch.
pub(super) struct HoursPages {
    held: Held<Vec<(ListPage, Instant, HoursPage)>>,
    marks: Vec<u64>,
    epoch: u64,
}

/// What a volunteer's pages stood at when a read of them began.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct HoursMark {
    epoch: u64,
    mark: u64,
}

impl Default for HoursPages {
    fn default() -> Self {
        HoursPages { held: Held::new(HOURS_PAGES), marks: vec![0; HOURS_MARKS], epoch: 0 }
    }
}

impl HoursPages {
    fn slot(volunteer_id: i64) -> usize {
        volunteer_id.rem_euclid(HOURS_MARKS as i64) as usize
    }

    fn mark(&self, volunteer_id: i64) -> HoursMark {
        HoursMark { epoch: self.epoch, mark: self.marks[Self::slot(volunteer_id)] }
    }
}

impl Caches {
    /// A volunteer's hours page as kept, if read within the TTL.
    pub fn hours_page(&self, volunteer_id: i64, page: ListPage) -> Option<HoursPage> {
        let pages = self.hours.lock().unwrap_or_else(|e| e.into_inner());
        let kept = pages.held.get(&volunteer_id.to_string(), HOURS_PAGE_TTL)?;
        kept.iter().find(|(p, at, _)| *p == page && at.elapsed() < HOURS_PAGE_TTL).map(|(_, _, out)| out.clone())
    }

    /// Where the volunteer's pages stand: taken before reading one.
    pub fn hours_mark(&self, volunteer_id: i64) -> HoursMark {
        self.hours.lock().unwrap_or_else(|e| e.into_inner()).mark(volunteer_id)
    }

    /// Keeps a page read from `mark` on, unless the volunteer's pages
    /// changed (or all were forgotten) since: then it may be stale.
    pub fn put_hours_page(&self, volunteer_id: i64, page: ListPage, mark: HoursMark, out: HoursPage) {
        let mut pages = self.hours.lock().unwrap_or_else(|e| e.into_inner());
        if pages.mark(volunteer_id) != mark {
            return;
        }
        let key = volunteer_id.to_string();
        let mut kept: Vec<(ListPage, Instant, HoursPage)> = pages.held.get(&key, HOURS_PAGE_TTL).cloned().unwrap_or_default();
        kept.retain(|(p, at, _)| *p != page && at.elapsed() < HOURS_PAGE_TTL);
        kept.push((page, Instant::now(), out));
        let weight = kept.iter().map(|(_, _, o)| HOURS_PAGE_WEIGHT + o.2.len() * HOURS_ENTRY_WEIGHT).sum();
        pages.held.put(key, kept, weight, |_, at| at.elapsed() < HOURS_PAGE_TTL);
    }

    /// The volunteer's pages changed.
    pub fn forget_hours(&self, volunteer_id: i64) {
        let mut pages = self.hours.lock().unwrap_or_else(|e| e.into_inner());
        pages.marks[HoursPages::slot(volunteer_id)] += 1;
        pages.held.remove(&volunteer_id.to_string());
    }

    /// Any page may have changed.
    pub fn forget_all_hours(&self) {
        let mut pages = self.hours.lock().unwrap_or_else(|e| e.into_inner());
        pages.epoch += 1;
        pages.held.retain(|_| false);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_hours_page_read_across_a_change_is_not_kept() {
        let c = Caches::default();
        let page = ListPage::new(None, None);
        let out = |total: f64| -> HoursPage { Arc::new((total, 1, Vec::new())) };
        let mark = c.hours_mark(7);
        c.put_hours_page(7, page, mark, out(1.0));
        assert_eq!(c.hours_page(7, page).map(|p| p.0), Some(1.0));
        assert!(c.hours_page(7, ListPage::new(Some(2), None)).is_none(), "another page of theirs was not read");
        // Read before the volunteer's change, kept after it: refused.
        let before = c.hours_mark(7);
        c.forget_hours(7);
        assert!(c.hours_page(7, page).is_none());
        c.put_hours_page(7, page, before, out(1.0));
        assert!(c.hours_page(7, page).is_none());
        // Another volunteer's change leaves this page alone, unless they share a mark.
        let mark = c.hours_mark(7);
        c.put_hours_page(7, page, mark, out(2.0));
        c.forget_hours(8);
        assert_eq!(c.hours_page(7, page).map(|p| p.0), Some(2.0));
        let shared = c.hours_mark(7 + HOURS_MARKS as i64);
        c.forget_hours(7);
        c.put_hours_page(7 + HOURS_MARKS as i64, page, shared, out(3.0));
        assert!(c.hours_page(7 + HOURS_MARKS as i64, page).is_none());
        // Everything forgotten: nothing read before is kept.
        let mark = c.hours_mark(9);
        c.put_hours_page(9, page, mark, out(4.0));
        c.forget_all_hours();
        assert!(c.hours_page(9, page).is_none());
        c.put_hours_page(9, page, mark, out(4.0));
        assert!(c.hours_page(9, page).is_none());
    }
}
