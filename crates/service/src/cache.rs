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
use tongxing_domain::permission::{Action, Resource};

/// How long a bearer token or session cookie is trusted without asking the
/// database again. Logout, deactivation and a password reset through this
/// instance take effect at once; through another instance within this window.
pub const SESSION_TTL: Duration = Duration::from_secs(5);
/// How long a page of the upcoming activities is served from memory. Planning,
/// cancelling or insuring an activity here drops the pages at once; the
/// places-left counters that sign-ups move may be this much behind.
pub const ACTIVITY_LIST_TTL: Duration = Duration::from_millis(250);
/// How long the figures on the center's and a liaison's first screen are
/// served from memory: counting 100,000 volunteers, or a unit's month of
/// hours, cost 20–30 ms a visit; on a screen that answers "what needs me now"
/// a count this far behind loses nothing, and what needs action is read fresh.
pub const FIGURES_TTL: Duration = Duration::from_secs(30);
/// How long a round's live candidate list is kept while the marks it was read
/// at hold: the backstop for what the marks do not see (a visit's outcome
/// edited, a unit renamed, a teacher's class changed in place).
pub const HONOUR_SCORES_TTL: Duration = Duration::from_secs(600);
/// Past this many entries a cache starts again empty (a crude bound on memory).
const MAX_ENTRIES: usize = 100_000;

/// A cached answer: its bytes, when it was made, the activity version it was read at.
type Page = (Arc<[u8]>, Instant, u64);
/// Cached figures of any type, and when they were read.
type Figures = (Arc<dyn Any + Send + Sync>, Instant);

/// A round's scored candidates, the marks they were read at, and when.
type HonourScores = (Vec<i64>, Instant, Arc<Vec<Candidate>>);

#[derive(Default)]
pub struct Caches {
    sessions: Mutex<HashMap<String, (User, Instant)>>,
    activity_version: AtomicU64,
    activity_lists: Mutex<HashMap<String, Page>>,
    figures: Mutex<HashMap<String, Figures>>,
    /// Each open round's live candidate list, the marks it was read at and when.
    honour_scores: Mutex<HashMap<i64, HonourScores>>,
    /// Not caches: this instance's group-commit queues.
    pub(crate) signups: crate::group_commit::Queue<tongxing_store::activities::signups::Request>,
    pub(crate) checkins: crate::group_commit::Queue<tongxing_store::activities::attendance::CheckIn>,
    pub(crate) childcare_door: crate::group_commit::Queue<tongxing_store::childcare::days::Entry>,
    /// PostgreSQL's grouped hours pages.
    pub(crate) hours_pages: crate::group_commit::Queue<crate::group_commit::HoursPage>,
}

fn bounded<V>(map: &mut HashMap<String, V>) {
    if map.len() >= MAX_ENTRIES {
        map.clear();
    }
}

impl Caches {
    /// The account behind a token hash, if it was checked within the TTL.
    pub fn session(&self, token_hash: &str) -> Option<User> {
        let map = self.sessions.lock().unwrap_or_else(|e| e.into_inner());
        map.get(token_hash).filter(|(_, at)| at.elapsed() < SESSION_TTL).map(|(u, _)| u.clone())
    }

    pub fn put_session(&self, token_hash: &str, user: &User) {
        let mut map = self.sessions.lock().unwrap_or_else(|e| e.into_inner());
        bounded(&mut map);
        map.insert(token_hash.to_string(), (user.clone(), Instant::now()));
    }

    pub fn forget_session(&self, token_hash: &str) {
        self.sessions.lock().unwrap_or_else(|e| e.into_inner()).remove(token_hash);
    }

    /// Forgets every session of an account (deactivated, new password).
    pub fn forget_user(&self, user_id: i64) {
        self.sessions.lock().unwrap_or_else(|e| e.into_inner()).retain(|_, (u, _)| u.id != user_id);
    }

    /// Figures cached under `key` within `FIGURES_TTL`.
    pub fn figures<T: Clone + Send + Sync + 'static>(&self, key: &str) -> Option<T> {
        let map = self.figures.lock().unwrap_or_else(|e| e.into_inner());
        map.get(key).filter(|(_, at)| at.elapsed() < FIGURES_TTL).and_then(|(v, _)| v.downcast_ref::<T>().cloned())
    }

    pub fn put_figures<T: Send + Sync + 'static>(&self, key: &str, value: T) {
        let mut map = self.figures.lock().unwrap_or_else(|e| e.into_inner());
        bounded(&mut map);
        map.insert(key.to_string(), (Arc::new(value), Instant::now()));
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

    /// The version cached activity pages are checked against.
    pub fn activity_version(&self) -> u64 {
        self.activity_version.load(Ordering::Acquire)
    }

    /// An activity was planned, changed or cancelled: no cached page is good any more.
    pub fn activities_changed(&self) {
        self.activity_version.fetch_add(1, Ordering::AcqRel);
    }

    /// A cached answer for this list query, if fresh and no activity changed since.
    pub fn activity_list(&self, key: &str) -> Option<Arc<[u8]>> {
        let version = self.activity_version();
        let map = self.activity_lists.lock().unwrap_or_else(|e| e.into_inner());
        map.get(key).filter(|(_, at, v)| *v == version && at.elapsed() < ACTIVITY_LIST_TTL).map(|(b, _, _)| b.clone())
    }

    /// Keeps an answer computed from data read at `version` (taken before the read).
    pub fn put_activity_list(&self, key: &str, body: Arc<[u8]>, version: u64) {
        let mut map = self.activity_lists.lock().unwrap_or_else(|e| e.into_inner());
        bounded(&mut map);
        map.insert(key.to_string(), (body, Instant::now(), version));
    }
}

impl crate::Service {
    /// The cached JSON answer for this activity list query, if fresh, for
    /// anyone who may read activities (the pages are the same for all of them).
    pub fn cached_activity_list(&self, actor: &crate::Actor, key: &str) -> crate::Result<Option<Arc<[u8]>>> {
        self.require(actor, Action::Read, Resource::Activity)?;
        Ok(self.caches.activity_list(key))
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
        c.put_session("h1", &user(1));
        c.put_session("h2", &user(2));
        assert_eq!(c.session("h1").map(|u| u.id), Some(1));
        c.forget_session("h1");
        assert!(c.session("h1").is_none());
        c.forget_user(2);
        assert!(c.session("h2").is_none());
    }

    #[test]
    fn a_change_drops_cached_activity_pages() {
        let c = Caches::default();
        let v = c.activity_version();
        c.put_activity_list("district_id=1", Arc::from(&b"[]"[..]), v);
        assert!(c.activity_list("district_id=1").is_some());
        c.activities_changed();
        assert!(c.activity_list("district_id=1").is_none());
        // A page read before the change is not kept as current.
        c.put_activity_list("district_id=1", Arc::from(&b"[]"[..]), v);
        assert!(c.activity_list("district_id=1").is_none());
    }
}
