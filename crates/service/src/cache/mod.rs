//! Small in-process caches that spare the database its hottest reads. Each
//! instance keeps its own: a change made through this instance shows at once,
//! one made through another instance within the TTL below.

use std::any::Any;
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tongxing_domain::honours::view::Candidate;
use tongxing_domain::model::User;

pub use flights::Flights;
use hours::HoursPages;
pub use hours::{HoursMark, HoursPage};
pub use lists::ListMarks;
use lists::ListPage;

mod flights;
mod hours;
mod lists;

/// How long a bearer token or session cookie is trusted without asking the
/// database again. Logout, deactivation and a password reset through this
/// instance take effect at once; through another instance within this window.
pub const SESSION_TTL: Duration = Duration::from_secs(5);
/// How long on PostgreSQL while the feed is heard (`crate::feed`): the feed
/// drops a session the moment its account or its sessions change, through
/// whichever instance; this bounds how long past its expiry one is trusted.
pub const SESSION_TTL_HEARD: Duration = Duration::from_secs(60);
/// How long a page of the upcoming activities is served from memory. Planning,
/// cancelling or insuring an activity here drops the pages at once; the
/// places-left counters that sign-ups move may be this much behind.
pub const ACTIVITY_LIST_TTL: Duration = Duration::from_millis(250);
/// How long past that on PostgreSQL while the feed is heard (`crate::feed`),
/// which drops every page the moment anything a page shows changes, and
/// until the first of its activities ends: the backstop for a change the
/// feed could not hear.
pub const ACTIVITY_LIST_TTL_HEARD: Duration = Duration::from_secs(60);
/// How long the figures on the center's and a liaison's first screen are
/// served from memory: counting 100,000 volunteers, or a unit's month of
/// hours, cost 20–30 ms a visit; on a screen that answers "what needs me now"
/// a count this far behind loses nothing, and what needs action is read fresh.
pub const FIGURES_TTL: Duration = Duration::from_secs(30);
/// How long a round's live candidate list is kept while the marks it was read
/// at hold: the backstop for what the marks do not see (a visit's outcome
/// edited, a unit renamed, a teacher's class changed in place).
pub const HONOUR_SCORES_TTL: Duration = Duration::from_secs(600);
/// How long a volunteer's hours page is kept on PostgreSQL, where the feed
/// (`crate::feed`) drops it the moment anything on it changes: the backstop
/// for a change the feed could not hear.
pub const HOURS_PAGE_TTL: Duration = Duration::from_secs(60);
/// What each cache may hold. An entry's weight is its key and value in
/// bytes, or an estimate where the value's size is not known; past either
/// bound the expired entries go first, then the oldest. The pages are
/// weighed exactly because their keys are whatever query a client sends.
const SESSIONS: Bound = Bound { entries: 100_000, bytes: 32 << 20 };
const ACTIVITY_PAGES: Bound = Bound { entries: 4_096, bytes: 8 << 20 };
const FIGURES: Bound = Bound { entries: 1_024, bytes: 16 << 20 };
/// A user or a set of figures is weighed at this much beside its key.
const SESSION_WEIGHT: usize = 256;
const FIGURES_WEIGHT: usize = 16 << 10;

/// Cached figures of any type.
type Figures = Arc<dyn Any + Send + Sync>;

/// A round's scored candidates, the marks they were read at, and when.
type HonourScores = (Vec<i64>, Instant, Arc<Vec<Candidate>>);

#[derive(Clone, Copy)]
struct Bound {
    entries: usize,
    bytes: usize,
}

/// A map kept within its bound: each value with when it was put and its weight.
struct Held<V> {
    map: HashMap<String, (V, Instant, usize)>,
    bytes: usize,
    bound: Bound,
}

impl<V> Held<V> {
    fn new(bound: Bound) -> Self {
        Held { map: HashMap::new(), bytes: 0, bound }
    }

    /// The value under `key` if it was put less than `ttl` ago.
    fn get(&self, key: &str, ttl: Duration) -> Option<&V> {
        self.map.get(key).filter(|(_, at, _)| at.elapsed() < ttl).map(|(v, _, _)| v)
    }

    /// Puts `value`, first making room: what `fresh` says is no longer good
    /// goes, then the oldest, until the new entry fits.
    fn put(&mut self, key: String, value: V, weight: usize, fresh: impl Fn(&V, Instant) -> bool) {
        let weight = weight + key.len();
        self.remove(&key);
        if self.map.len() + 1 > self.bound.entries || self.bytes + weight > self.bound.bytes {
            self.map.retain(|_, (v, at, _)| fresh(v, *at));
            self.bytes = self.map.values().map(|(_, _, w)| w).sum();
            let mut oldest: Vec<(Instant, String)> = Vec::new();
            if self.map.len() + 1 > self.bound.entries || self.bytes + weight > self.bound.bytes {
                oldest = self.map.iter().map(|(k, (_, at, _))| (*at, k.clone())).collect();
                oldest.sort_unstable();
            }
            for (_, k) in oldest {
                if self.map.len() < self.bound.entries && self.bytes + weight <= self.bound.bytes {
                    break;
                }
                self.remove(&k);
            }
        }
        if weight <= self.bound.bytes {
            self.bytes += weight;
            self.map.insert(key, (value, Instant::now(), weight));
        }
    }

    fn remove(&mut self, key: &str) {
        if let Some((_, _, w)) = self.map.remove(key) {
            self.bytes -= w;
        }
    }

    fn retain(&mut self, keep: impl Fn(&V) -> bool) {
        self.map.retain(|_, (v, _, _)| keep(v));
        self.bytes = self.map.values().map(|(_, _, w)| w).sum();
    }
}

pub struct Caches {
    sessions: Mutex<Held<User>>,
    /// Moved by every forgetting of sessions: a session read before is not kept.
    sessions_mark: AtomicU64,
    activity_version: AtomicU64,
    /// Moved by every activity change the feed tells of, and when the feed
    /// is lost or heard again: a page read before is kept only for a moment.
    activities_heard: AtomicU64,
    activity_lists: Mutex<Held<ListPage>>,
    /// The activity list pages being read.
    pub activity_reads: Flights<Arc<[u8]>>,
    figures: Mutex<Held<Figures>>,
    /// Each open round's live candidate list, the marks it was read at and when.
    honour_scores: Mutex<HashMap<i64, HonourScores>>,
    /// Volunteers' hours pages, on PostgreSQL while the feed is heard.
    hours: Mutex<HoursPages>,
    /// What keeps `hours` true: PostgreSQL's change feed, as this instance hears it.
    pub feed: crate::feed::Feed,
    /// Not caches: this instance's group-commit queues.
    pub(crate) signups: crate::group_commit::Queue<tongxing_store::activities::signups::Request>,
    pub(crate) checkins: crate::group_commit::Queue<tongxing_store::activities::attendance::CheckIn>,
    pub(crate) childcare_door: crate::group_commit::Queue<tongxing_store::childcare::days::Entry>,
    /// PostgreSQL's grouped hours pages.
    pub(crate) hours_pages: crate::group_commit::Queue<crate::group_commit::HoursPage>,
    /// PostgreSQL's grouped session checks.
    pub(crate) session_checks: crate::group_commit::Queue<crate::group_commit::SessionCheck>,
}

impl Default for Caches {
    fn default() -> Self {
        let feed = crate::feed::Feed::default();
        let sharing = feed.sharing();
        Caches {
            sessions: Mutex::new(Held::new(SESSIONS)),
            sessions_mark: AtomicU64::default(),
            activity_version: AtomicU64::default(),
            activities_heard: AtomicU64::default(),
            activity_lists: Mutex::new(Held::new(ACTIVITY_PAGES)),
            activity_reads: Flights::default(),
            figures: Mutex::new(Held::new(FIGURES)),
            honour_scores: Mutex::default(),
            hours: Mutex::default(),
            signups: crate::group_commit::Queue::new(sharing.clone()),
            checkins: crate::group_commit::Queue::new(sharing.clone()),
            childcare_door: crate::group_commit::Queue::new(sharing.clone()),
            hours_pages: crate::group_commit::Queue::new(sharing.clone()),
            session_checks: crate::group_commit::Queue::new(sharing),
            feed,
        }
    }
}

impl Caches {
    /// Each group-commit queue's groups written so far and the requests they
    /// carried, by kind (for /metrics).
    pub fn group_commits(&self) -> [(&'static str, u64, u64); 5] {
        let row = |kind, (groups, items)| (kind, groups, items);
        [
            row("signups", self.signups.counts()),
            row("checkins", self.checkins.counts()),
            row("childcare_door", self.childcare_door.counts()),
            row("hours_pages", self.hours_pages.counts()),
            row("session_checks", self.session_checks.counts()),
        ]
    }

    /// The account behind a token hash, if it was checked within the TTL
    /// (the longer one while the feed is heard).
    pub fn session(&self, token_hash: &str) -> Option<User> {
        let ttl = if self.feed.live() { SESSION_TTL_HEARD } else { SESSION_TTL };
        self.sessions.lock().unwrap_or_else(|e| e.into_inner()).get(token_hash, ttl).cloned()
    }

    /// Where the sessions stand: taken before reading one.
    pub fn session_mark(&self) -> u64 {
        self.sessions_mark.load(Ordering::Acquire)
    }

    /// Keeps a session read from `mark` on, unless sessions were forgotten since.
    pub fn put_session(&self, token_hash: &str, user: &User, mark: u64) {
        let mut map = self.sessions.lock().unwrap_or_else(|e| e.into_inner());
        if self.session_mark() == mark {
            map.put(token_hash.to_string(), user.clone(), SESSION_WEIGHT, |_, at| at.elapsed() < SESSION_TTL);
        }
    }

    pub fn forget_session(&self, token_hash: &str) {
        let mut map = self.sessions.lock().unwrap_or_else(|e| e.into_inner());
        self.sessions_mark.fetch_add(1, Ordering::AcqRel);
        map.remove(token_hash);
    }

    /// Forgets every session of an account (deactivated, new password).
    pub fn forget_user(&self, user_id: i64) {
        let mut map = self.sessions.lock().unwrap_or_else(|e| e.into_inner());
        self.sessions_mark.fetch_add(1, Ordering::AcqRel);
        map.retain(|u| u.id != user_id);
    }

    /// Forgets every session (what changed is not known).
    pub fn forget_all_sessions(&self) {
        let mut map = self.sessions.lock().unwrap_or_else(|e| e.into_inner());
        self.sessions_mark.fetch_add(1, Ordering::AcqRel);
        map.retain(|_| false);
    }

    /// Figures cached under `key` within `FIGURES_TTL`.
    pub fn figures<T: Clone + Send + Sync + 'static>(&self, key: &str) -> Option<T> {
        let map = self.figures.lock().unwrap_or_else(|e| e.into_inner());
        map.get(key, FIGURES_TTL).and_then(|v| v.downcast_ref::<T>().cloned())
    }

    pub fn put_figures<T: Send + Sync + 'static>(&self, key: &str, value: T) {
        let mut map = self.figures.lock().unwrap_or_else(|e| e.into_inner());
        map.put(key.to_string(), Arc::new(value), FIGURES_WEIGHT, |_, at| at.elapsed() < FIGURES_TTL);
    }

    /// Drops figures cached under `key`: what they count changed here.
    pub fn forget_figures(&self, key: &str) {
        self.figures.lock().unwrap_or_else(|e| e.into_inner()).remove(key);
    }

    /// Round `round`'s live candidates if they were read at `marks` within the TTL.
    pub fn honour_scores(&self, round: i64, marks: &[i64]) -> Option<Arc<Vec<Candidate>>> {
        let map = self.honour_scores.lock().unwrap_or_else(|e| e.into_inner());
        map.get(&round).filter(|(m, at, _)| m == marks && at.elapsed() < HONOUR_SCORES_TTL).map(|(_, _, c)| c.clone())
    }

    /// Keeps one list per round (the one read last replaces the one before).
    pub fn put_honour_scores(&self, round: i64, marks: Vec<i64>, list: Arc<Vec<Candidate>>) {
        self.honour_scores.lock().unwrap_or_else(|e| e.into_inner()).insert(round, (marks, Instant::now(), list));
    }

    /// The round's scores froze: its live list is not read again.
    pub fn forget_honour_scores(&self, round: i64) {
        self.honour_scores.lock().unwrap_or_else(|e| e.into_inner()).remove(&round);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tongxing_domain::role::Role;

    fn user(id: i64) -> User {
        User {
            id,
            login: format!("u{id}"),
            role: Role::Volunteer,
            unit_id: None,
            team_id: None,
            volunteer_id: Some(id),
            active: true,
            name: None,
        }
    }

    #[test]
    fn sessions_are_kept_until_forgotten() {
        let c = Caches::default();
        assert!(c.session("h1").is_none());
        c.put_session("h1", &user(1), c.session_mark());
        c.put_session("h2", &user(2), c.session_mark());
        assert_eq!(c.session("h1").map(|u| u.id), Some(1));
        c.forget_session("h1");
        assert!(c.session("h1").is_none());
        c.forget_user(2);
        assert!(c.session("h2").is_none());
        // Read before a forgetting, kept after it: refused.
        let before = c.session_mark();
        c.forget_user(3);
        c.put_session("h3", &user(3), before);
        assert!(c.session("h3").is_none());
        c.put_session("h3", &user(3), c.session_mark());
        c.forget_all_sessions();
        assert!(c.session("h3").is_none());
    }

    #[test]
    fn a_cache_stays_within_its_bound_dropping_the_expired_then_the_oldest() {
        let mut held = Held::new(Bound { entries: 3, bytes: 100 });
        held.put("a".into(), 1, 9, |_, _| true);
        held.put("b".into(), 2, 9, |_, _| true);
        held.put("c".into(), 3, 9, |_, _| true);
        // Full by count: the oldest goes.
        held.put("d".into(), 4, 9, |_, _| true);
        assert!(held.get("a", Duration::MAX).is_none());
        assert_eq!(held.get("d", Duration::MAX), Some(&4));
        // What is no longer fresh goes before anything older that is.
        held.put("e".into(), 5, 9, |v, _| *v != 3);
        assert!(held.get("c", Duration::MAX).is_none());
        assert_eq!(held.get("b", Duration::MAX), Some(&2));
        // By bytes: one heavy entry pushes out as many as it needs.
        held.put("f".into(), 6, 89, |_, _| true);
        assert_eq!(held.map.len(), 2);
        assert!(held.bytes <= 100);
        assert_eq!(held.get("f", Duration::MAX), Some(&6));
        // Heavier than the whole bound: not kept, and nothing is lost for it.
        held.put("g".into(), 7, 200, |_, _| true);
        assert!(held.get("g", Duration::MAX).is_none());
        assert_eq!(held.bytes, held.map.values().map(|(_, _, w)| w).sum::<usize>());
    }
}
