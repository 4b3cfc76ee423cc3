//! This instance's ear on PostgreSQL's feed of changes (`store::feed`): the
//! busiest read a volunteer makes is kept in memory (`Caches::hours_page`)
//! only while the feed is heard, and a page is forgotten the moment the feed
//! names its volunteer, whichever instance made the change. Sessions are
//! kept for a minute instead of seconds while it is heard, and forgotten
//! the moment it names their account; upcoming-activity list pages are kept
//! past their moment until it tells of any activity change
//! (`Caches::put_activity_list`).
//!
//! The feed arrives a moment after the commit. So that a change made through
//! this instance shows at once, as the other caches promise, a kept page is
//! served only once the feed has been heard past every write request this
//! instance has answered (`wrote`): the read first sends a fence down the
//! feed and waits to hear it back, and the reads waiting meanwhile share
//! that fence. While no write was answered since the last fence, as in a
//! run of page views, a kept page costs no round trip at all.
//!
//! When the connection is lost, or a fence sent every few seconds is not
//! heard back, every kept page is forgotten and none is kept until the feed
//! is heard again (`keep_watch`).
//!
//! Every instance's heartbeat fences reach every other: an instance counts
//! the others it heard lately (`sharing`), so that the instances sharing the
//! database share its write groups in flight (`group_commit`).

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock, Weak};
use std::time::{Duration, Instant};

use tokio::sync::watch;
use tongxing_store::feed::{self, Change, Listener};
use tongxing_store::Db;

use crate::cache::Caches;

/// How long a read waits to hear its fence before it reads the database.
const FENCE_WAIT: Duration = Duration::from_secs(1);
/// How often a lost feed is probed, and an unreachable one retried.
const PROBE: Duration = Duration::from_millis(500);
/// How often a heard feed is proven still heard.
const HEARTBEAT: Duration = Duration::from_secs(5);
/// Another instance not heard for this long (two heartbeats and some) has gone.
const PEER_GONE: Duration = Duration::from_secs(12);

pub struct Feed {
    /// This instance's name on the feed, for its fences.
    name: String,
    started: OnceLock<()>,
    /// Heard now: pages may be kept.
    live: AtomicBool,
    /// Write requests this instance has answered.
    wrote: AtomicU64,
    /// Of those, how many the feed has been heard past.
    heard_past: AtomicU64,
    /// Fences sent, and the last of them sent before the feed was lost:
    /// hearing a later one proves it is heard again.
    sent: AtomicU64,
    lost_after: AtomicU64,
    /// The last of this instance's fences heard back (and a nudge to the
    /// reads waiting for one when the feed is lost).
    heard: watch::Sender<u64>,
    /// Held while a fence is awaited, so that the reads waiting share it.
    fencing: tokio::sync::Mutex<()>,
    /// The other instances heard on the feed, by name: when last heard.
    peers: Mutex<HashMap<String, Instant>>,
    /// How many instances share the database: this one and the others
    /// heard within `PEER_GONE` (1 while none is heard, and on SQLite).
    sharing: Arc<AtomicUsize>,
}

impl Default for Feed {
    fn default() -> Self {
        use rand::RngCore;
        let mut b = [0u8; 8];
        rand::thread_rng().fill_bytes(&mut b);
        Feed {
            name: hex::encode(b),
            started: OnceLock::new(),
            live: AtomicBool::new(false),
            wrote: AtomicU64::new(0),
            heard_past: AtomicU64::new(0),
            sent: AtomicU64::new(0),
            lost_after: AtomicU64::new(0),
            heard: watch::Sender::new(0),
            fencing: tokio::sync::Mutex::new(()),
            peers: Mutex::default(),
            sharing: Arc::new(AtomicUsize::new(1)),
        }
    }
}

impl Feed {
    /// A write request was answered (its transaction committed, or nothing
    /// was written).
    pub fn wrote(&self) {
        self.wrote.fetch_add(1, Ordering::AcqRel);
    }

    /// Whether the feed is heard now.
    pub(crate) fn live(&self) -> bool {
        self.live.load(Ordering::Acquire)
    }

    #[cfg(test)]
    pub(crate) fn set_live(&self, live: bool) {
        self.live.store(live, Ordering::Release);
    }

    /// How many instances share the database, as last counted.
    pub(crate) fn sharing(&self) -> Arc<AtomicUsize> {
        self.sharing.clone()
    }

    /// How many instances share the database, as this one hears them (1 on
    /// SQLite, and while the feed is not heard).
    pub fn instances(&self) -> usize {
        self.sharing.load(Ordering::Acquire)
    }

    /// Counts again the instances sharing the database, forgetting those
    /// not heard within `PEER_GONE`.
    fn count_peers(&self, now: Instant) {
        let mut peers = self.peers.lock().unwrap_or_else(|e| e.into_inner());
        peers.retain(|_, heard| now.duration_since(*heard) < PEER_GONE);
        self.sharing.store(1 + peers.len(), Ordering::Release);
    }

    /// Starts listening, once: on PostgreSQL (SQLite has no feed).
    pub(crate) fn start(&self, db: &Db, caches: &Arc<Caches>) {
        if db.backend() == tongxing_store::Backend::Postgres {
            self.started.get_or_init(|| {
                tokio::spawn(listen(db.clone(), Arc::downgrade(caches)));
            });
        }
    }

    /// Whether kept pages may be served and read pages kept now: the feed is
    /// heard, and heard past every write this instance has answered. Starts
    /// listening on first use (PostgreSQL only; SQLite has no feed).
    pub(crate) async fn caught_up(&self, db: &Db, caches: &Arc<Caches>) -> bool {
        self.start(db, caches);
        let target = self.wrote.load(Ordering::Acquire);
        if !self.live() || self.heard_past.load(Ordering::Acquire) >= target {
            return self.live();
        }
        let _turn = self.fencing.lock().await;
        // A fence heard while this read waited its turn may cover it.
        if !self.live() || self.heard_past.load(Ordering::Acquire) >= target {
            return self.live();
        }
        let covers = self.wrote.load(Ordering::Acquire);
        let heard = self.round_trip(db).await;
        if heard {
            self.heard_past.fetch_max(covers, Ordering::AcqRel);
        }
        heard
    }

    /// Sends the next fence; its number (one that fails to go is never heard).
    async fn send_fence(&self, db: &Db) -> u64 {
        let n = self.sent.fetch_add(1, Ordering::AcqRel) + 1;
        if let Err(e) = feed::fence(db, &format!("{}:{n}", self.name)).await {
            tracing::debug!("hours feed: fence not sent ({e})");
        }
        n
    }

    /// What one change from the feed means for the kept pages.
    fn hear(&self, caches: &Caches, change: Change) {
        match change {
            Change::Volunteer(id) => caches.forget_hours(id),
            Change::All => caches.forget_all_hours(),
            Change::Account(id) => caches.forget_user(id),
            Change::Activities => caches.activities_heard(),
            Change::Fence(text) => {
                let Some((name, n)) = text.rsplit_once(':') else { return };
                if name != self.name {
                    let mut peers = self.peers.lock().unwrap_or_else(|e| e.into_inner());
                    match peers.get_mut(name) {
                        Some(heard) => *heard = Instant::now(),
                        None => {
                            peers.insert(name.to_string(), Instant::now());
                        }
                    }
                    return;
                }
                let Ok(n) = n.parse::<u64>() else { return };
                if !self.live() && n > self.lost_after.load(Ordering::Acquire) {
                    // Sent after the loss and heard: listening again since
                    // before it, so pages read from now on hear of changes.
                    caches.forget_all_hours();
                    caches.forget_all_sessions();
                    caches.activities_heard();
                    self.live.store(true, Ordering::Release);
                    tracing::info!("hours feed: heard again");
                }
                self.heard.send_modify(|h| *h = (*h).max(n));
            }
        }
    }

    /// The feed was lost: what changed meanwhile is not known.
    fn lose(&self, caches: &Caches) {
        self.lost_after.store(self.sent.load(Ordering::Acquire), Ordering::Release);
        self.live.store(false, Ordering::Release);
        caches.forget_all_hours();
        caches.activities_heard();
        self.heard.send_modify(|_| ());
    }

    /// Sends a fence and waits to hear it back (false: not within
    /// `FENCE_WAIT`, or the feed was lost meanwhile).
    async fn round_trip(&self, db: &Db) -> bool {
        let mut heard = self.heard.subscribe();
        let n = self.send_fence(db).await;
        let back = tokio::time::timeout(FENCE_WAIT, heard.wait_for(|h| *h >= n || !self.live())).await;
        matches!(back, Ok(Ok(_))) && self.live()
    }
}

/// Listens for as long as the service is there and its pool is open.
async fn listen(db: Db, caches: Weak<Caches>) {
    let mut listener = loop {
        match Listener::open(&db).await {
            Ok(Some(l)) => break l,
            Ok(None) => return,
            Err(e) if e.pool_closed() => return,
            Err(e) => {
                tracing::warn!("hours feed: cannot listen ({e}); retrying");
                tokio::time::sleep(PROBE).await;
                if caches.strong_count() == 0 {
                    return;
                }
            }
        }
    };
    let Some(c) = caches.upgrade() else { return };
    c.forget_all_hours();
    c.forget_all_sessions();
    c.activities_heard();
    c.feed.live.store(true, Ordering::Release);
    drop(c);
    tokio::spawn(keep_watch(db.clone(), caches.clone()));
    loop {
        let next = listener.next().await;
        let Some(c) = caches.upgrade() else { return };
        match next {
            Ok(Some(change)) => c.feed.hear(&c, change),
            Ok(None) => {
                tracing::warn!("hours feed: connection lost; hours pages are read from the database until it is heard again");
                c.feed.lose(&c);
            }
            Err(e) if e.pool_closed() => return,
            Err(e) => {
                tracing::warn!("hours feed: {e}; retrying");
                c.feed.lose(&c);
                drop(c);
                tokio::time::sleep(PROBE).await;
            }
        }
    }
}

/// Keeps the feed proven. While it is lost, a fence every `PROBE`: the
/// listener opens its new connection when it is next asked for a change,
/// and only hearing a fence sent after the loss proves it listens again.
/// While it is heard, a fence every `HEARTBEAT`: one not heard back means
/// the connection died without a word (a cable pulled), which the listener
/// itself would learn only when the system gives up on it.
async fn keep_watch(db: Db, caches: Weak<Caches>) {
    let mut proven = tokio::time::Instant::now();
    loop {
        tokio::time::sleep(PROBE).await;
        let Some(c) = caches.upgrade() else { return };
        c.feed.count_peers(Instant::now());
        if !c.feed.live() {
            c.feed.send_fence(&db).await;
            proven = tokio::time::Instant::now();
        } else if proven.elapsed() >= HEARTBEAT {
            if !c.feed.round_trip(&db).await && c.feed.live() {
                tracing::warn!("hours feed: a fence was not heard back; hours pages are read from the database until it is");
                c.feed.lose(&c);
            }
            proven = tokio::time::Instant::now();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tongxing_domain::paging::Page;

    fn keep(c: &Caches, volunteer: i64, total: f64) {
        let mark = c.hours_mark(volunteer);
        c.put_hours_page(volunteer, Page::new(None, None), mark, Arc::new((total, 1, Vec::new())));
    }

    fn kept(c: &Caches, volunteer: i64) -> Option<f64> {
        c.hours_page(volunteer, Page::new(None, None)).map(|p| p.0)
    }

    #[test]
    fn a_lost_feed_keeps_nothing_until_a_fence_sent_after_the_loss_is_heard() {
        let c = Caches::default();
        let f = &c.feed;
        f.live.store(true, Ordering::Release);
        keep(&c, 1, 2.0);
        keep(&c, 2, 5.0);
        f.hear(&c, Change::Volunteer(1));
        assert_eq!((kept(&c, 1), kept(&c, 2)), (None, Some(5.0)), "a change drops that volunteer's pages only");
        f.sent.store(3, Ordering::Release);
        f.lose(&c);
        assert!(!f.live());
        assert_eq!(kept(&c, 2), None, "what changed while lost is not known");
        // A change heard, or a fence sent before the loss heard late: not yet proof.
        keep(&c, 2, 5.0);
        f.hear(&c, Change::Volunteer(9));
        f.hear(&c, Change::Fence(format!("{}:3", f.name)));
        assert!(!f.live());
        // Another instance's fence: not proof either.
        f.hear(&c, Change::Fence("someone-else:4".into()));
        assert!(!f.live());
        f.hear(&c, Change::Fence(format!("{}:4", f.name)));
        assert!(f.live());
        assert_eq!(kept(&c, 2), None, "nothing kept from before the feed was heard again");
        assert_eq!(*f.heard.borrow(), 4);
        keep(&c, 2, 6.0);
        f.hear(&c, Change::All);
        assert_eq!(kept(&c, 2), None);
    }

    #[test]
    fn the_instances_sharing_the_database_are_those_heard_lately() {
        let c = Caches::default();
        let f = &c.feed;
        let now = Instant::now();
        f.count_peers(now);
        assert_eq!(f.instances(), 1, "alone until another is heard");
        f.hear(&c, Change::Fence(format!("{}:1", f.name)));
        f.hear(&c, Change::Fence("b0:7".into()));
        f.hear(&c, Change::Fence("b0:8".into()));
        f.hear(&c, Change::Fence("c1:1".into()));
        f.count_peers(now);
        assert_eq!(f.instances(), 3, "its own fence is not another instance; each other is counted once");
        f.count_peers(now + PEER_GONE + Duration::from_secs(1));
        assert_eq!(f.instances(), 1, "instances not heard for two heartbeats have gone");
    }
}
