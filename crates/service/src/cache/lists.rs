//! The upcoming-activity list pages, kept as their JSON bytes: for a moment
//! everywhere, and on PostgreSQL past it while the feed of changes is heard
//! (`crate::feed`) and tells of no activity change.

use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Instant;

use tongxing_domain::permission::{Action, Resource};

use super::{Caches, ACTIVITY_LIST_TTL, ACTIVITY_LIST_TTL_HEARD};

/// A cached activity list page: its bytes, the marks it was read at, and
/// the moment (unix ms) it changes by itself.
#[derive(Clone)]
pub(super) struct ListPage {
    body: Arc<[u8]>,
    marks: ListMarks,
    until: i64,
}

/// Where the activity list pages stood when a read of one began: the
/// changes made through this instance, and those the feed told of.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct ListMarks {
    version: u64,
    heard: u64,
}

impl Caches {
    /// The version cached activity pages are checked against.
    pub fn activity_version(&self) -> u64 {
        self.activity_version.load(Ordering::Acquire)
    }

    /// Where the activity pages stand: taken before reading one.
    pub fn activity_marks(&self) -> ListMarks {
        ListMarks { version: self.activity_version(), heard: self.activities_heard.load(Ordering::Acquire) }
    }

    /// An activity was planned, changed or cancelled: no cached page is good any more.
    pub fn activities_changed(&self) {
        self.activity_version.fetch_add(1, Ordering::AcqRel);
    }

    /// The feed told of an activity change, or was lost or heard again: no
    /// page read before is kept past the moment.
    pub(crate) fn activities_heard(&self) {
        self.activities_heard.fetch_add(1, Ordering::AcqRel);
    }

    /// A cached answer for this list query, if read a moment ago and no
    /// activity changed here since.
    pub fn activity_list(&self, key: &str) -> Option<Arc<[u8]>> {
        let now = self.activity_marks();
        let map = self.activity_lists.lock().unwrap_or_else(|e| e.into_inner());
        map.get(key, ACTIVITY_LIST_TTL).filter(|p| p.marks.version == now.version).map(|p| p.body.clone())
    }

    /// A cached answer for this list query kept past the moment: while the
    /// feed is heard, nothing changed since it was read, and none of its
    /// activities has ended. Served only once the feed has been heard past
    /// this instance's writes (`Feed::caught_up`).
    fn kept_activity_list(&self, key: &str) -> Option<Arc<[u8]>> {
        if !self.feed.live() {
            return None;
        }
        let (now, at) = (self.activity_marks(), tongxing_store::now_ms());
        let map = self.activity_lists.lock().unwrap_or_else(|e| e.into_inner());
        map.get(key, ACTIVITY_LIST_TTL_HEARD).filter(|p| p.marks == now && at < p.until).map(|p| p.body.clone())
    }

    /// Keeps an answer read from `marks` on (taken before the read), with
    /// the moment it changes by itself.
    pub fn put_activity_list(&self, key: &str, body: Arc<[u8]>, marks: ListMarks, until: i64) {
        let now = self.activity_marks();
        let weight = body.len();
        let mut map = self.activity_lists.lock().unwrap_or_else(|e| e.into_inner());
        let fresh = |p: &ListPage, at: Instant| {
            p.marks.version == now.version
                && (at.elapsed() < ACTIVITY_LIST_TTL || (p.marks.heard == now.heard && at.elapsed() < ACTIVITY_LIST_TTL_HEARD))
        };
        map.put(key.to_string(), ListPage { body, marks, until }, weight, fresh);
    }
}

impl crate::Service {
    /// The cached JSON answer for this activity list query, if fresh, for
    /// anyone who may read activities (the pages are the same for all of them).
    pub async fn cached_activity_list(&self, actor: &crate::Actor, key: &str) -> crate::Result<Option<Arc<[u8]>>> {
        self.require(actor, Action::Read, Resource::Activity)?;
        let caches = &self.caches;
        caches.feed.start(&self.db, caches);
        if let Some(body) = caches.activity_list(key) {
            return Ok(Some(body));
        }
        // The fence's round trip only for a page there is to serve.
        if caches.kept_activity_list(key).is_none() || !caches.feed.caught_up(&self.db, caches).await {
            return Ok(None);
        }
        Ok(caches.kept_activity_list(key))
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::super::ACTIVITY_PAGES;
    use super::*;

    #[test]
    fn a_change_drops_cached_activity_pages() {
        let c = Caches::default();
        let v = c.activity_marks();
        c.put_activity_list("district_id=1", Arc::from(&b"[]"[..]), v, 0);
        assert!(c.activity_list("district_id=1").is_some());
        c.activities_changed();
        assert!(c.activity_list("district_id=1").is_none());
        // A page read before the change is not kept as current.
        c.put_activity_list("district_id=1", Arc::from(&b"[]"[..]), v, 0);
        assert!(c.activity_list("district_id=1").is_none());
    }

    /// Ages every kept activity page by `by`, as if read that long ago.
    fn age_lists(c: &Caches, by: Duration) {
        let mut map = c.activity_lists.lock().unwrap();
        for (_, at, _) in map.map.values_mut() {
            *at = at.checked_sub(by).expect("the clock is past it");
        }
    }

    #[test]
    fn activity_pages_are_kept_past_the_moment_only_while_heard_unchanged_and_not_ended() {
        let c = Caches::default();
        let body = || Arc::from(&b"[]"[..]);
        let later = tongxing_store::now_ms() + 3_600_000;
        c.feed.set_live(true);
        c.put_activity_list("a", body(), c.activity_marks(), later);
        c.put_activity_list("ended", body(), c.activity_marks(), tongxing_store::now_ms());
        age_lists(&c, ACTIVITY_LIST_TTL);
        assert!(c.activity_list("a").is_none(), "past the moment");
        assert!(c.kept_activity_list("a").is_some(), "kept while heard");
        assert!(c.kept_activity_list("ended").is_none(), "one of its activities has ended");
        // A change the feed told of: nothing read before is kept, nor what
        // was being read across it.
        let before = c.activity_marks();
        c.activities_heard();
        assert!(c.kept_activity_list("a").is_none());
        c.put_activity_list("a", body(), before, later);
        assert!(c.activity_list("a").is_some(), "for a moment, as any page");
        age_lists(&c, ACTIVITY_LIST_TTL);
        assert!(c.kept_activity_list("a").is_none());
        c.put_activity_list("a", body(), c.activity_marks(), later);
        age_lists(&c, ACTIVITY_LIST_TTL);
        assert!(c.kept_activity_list("a").is_some());
        // Not heard: kept for a moment only.
        c.feed.set_live(false);
        assert!(c.kept_activity_list("a").is_none());
        // The backstop.
        c.feed.set_live(true);
        age_lists(&c, ACTIVITY_LIST_TTL_HEARD);
        assert!(c.kept_activity_list("a").is_none());
        // A change through this instance.
        c.put_activity_list("a", body(), c.activity_marks(), later);
        c.activities_changed();
        assert!(c.activity_list("a").is_none() && c.kept_activity_list("a").is_none());
    }

    #[test]
    fn pages_asked_with_endless_queries_do_not_grow_the_cache() {
        let c = Caches::default();
        let v = c.activity_marks();
        let body: Arc<[u8]> = Arc::from(vec![b' '; 16 << 10]);
        for i in 0..2_000 {
            c.put_activity_list(&format!("junk={i}"), body.clone(), v, 0);
        }
        let held = c.activity_lists.lock().unwrap();
        assert!(held.bytes <= ACTIVITY_PAGES.bytes, "{} bytes", held.bytes);
        assert!(held.map.len() < 2_000);
        assert!(held.get("junk=1999", ACTIVITY_LIST_TTL).is_some());
    }
}
