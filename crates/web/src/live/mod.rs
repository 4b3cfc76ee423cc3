//! Live page updates. Several instances may share one database, so a change
//! made on one must reach pages served by another: while anyone on this
//! instance listens, one task follows the need history table (every status
//! change appends a line in its own transaction) and broadcasts which needs
//! changed. Pages listen over server-sent events (`routes`) and re-fetch
//! themselves, so the permission checks of the page itself still apply.
//!
//! Warning levels are raised by the minute-by-minute recompute without a
//! history line; the follower also watches the sum of open needs' levels every
//! few seconds, so queues show a need turning red without a reload.

mod cursor;
pub(crate) mod dispatch;
mod routes;

use std::collections::BTreeSet;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::sync::{broadcast, watch, Mutex};
use tongxing_store::needs::feed as need_feed;
use tongxing_store::Db;

use cursor::Cursor;
pub use routes::router;

/// How often the history table is read while someone listens.
const POLL: Duration = Duration::from_millis(500);
/// The warning sum is read every this many polls (every 5 s).
const WARNING_POLLS: u32 = 10;
/// History lines read per query; a longer backlog is read in several.
const BATCH: i64 = 500;

/// What changed, as broadcast to every stream on this instance.
#[derive(Debug, Clone)]
pub enum Change {
    /// These needs' history grew; `upto` is the last history line read.
    Needs { upto: i64, ids: Arc<[i64]> },
    /// Some open need's warning level changed.
    Warnings,
}

/// One instance's follower of the need history and the streams listening to it.
pub struct Hub {
    db: Db,
    running: Mutex<Option<Running>>,
    closing: watch::Sender<bool>,
}

#[derive(Clone)]
struct Running {
    tx: broadcast::Sender<Change>,
    /// The last history line broadcast.
    seen: Arc<AtomicI64>,
}

/// A stream's hold on the broadcast.
pub struct Subscription {
    pub rx: broadcast::Receiver<Change>,
    /// History lines up to here came before `rx` existed and are not sent to it.
    pub seen: i64,
    pub closing: watch::Receiver<bool>,
}

impl Hub {
    pub fn new(db: Db) -> Hub {
        Hub { db, running: Mutex::new(None), closing: watch::channel(false).0 }
    }

    /// Joins the broadcast, starting the follower if nobody listened yet.
    /// None while shutting down or when the database cannot be read.
    pub async fn subscribe(self: &Arc<Self>) -> Option<Subscription> {
        let closing = self.closing.subscribe();
        if *closing.borrow() {
            return None;
        }
        let mut running = self.running.lock().await;
        let r = match running.as_ref() {
            Some(r) => r.clone(),
            None => {
                let start = self.latest().await?;
                let r = Running { tx: broadcast::channel(64).0, seen: Arc::new(AtomicI64::new(start)) };
                tokio::spawn(follow(self.clone(), r.clone(), Cursor::new(start)));
                *running = Some(r.clone());
                r
            }
        };
        // Subscribe before reading `seen`: the follower stores it before it sends.
        let rx = r.tx.subscribe();
        Some(Subscription { rx, seen: r.seen.load(Ordering::SeqCst), closing })
    }

    /// A history position no later than what a page rendered next will show,
    /// for its stream's `since`: nothing after it is missed.
    pub async fn position(&self) -> Option<i64> {
        if let Some(r) = self.running.lock().await.as_ref() {
            return Some(r.seen.load(Ordering::SeqCst));
        }
        self.latest().await
    }

    async fn latest(&self) -> Option<i64> {
        need_feed::latest(&self.db).await.map_err(|e| tracing::warn!(error = %e, "reading the need history failed")).ok()
    }

    /// Turns true when the server shuts down: streams end then.
    pub fn closing(&self) -> watch::Receiver<bool> {
        self.closing.subscribe()
    }

    /// Ends every stream, so a graceful shutdown is not held open by them.
    pub fn close(&self) {
        self.closing.send_replace(true);
    }

    /// Stops the follower once no stream listens; under the lock, so a new
    /// listener either joins this follower in time or starts the next one.
    async fn unwatched(&self, r: &Running) -> bool {
        let mut running = self.running.lock().await;
        if r.tx.receiver_count() > 0 && !*self.closing.borrow() {
            return false;
        }
        *running = None;
        true
    }
}

/// The follower: reads new history lines every `POLL` and broadcasts them.
async fn follow(hub: Arc<Hub>, r: Running, mut cursor: Cursor) {
    let mut tick = tokio::time::interval(POLL);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
    let mut warnings: Option<i64> = None;
    let mut failing = false;
    for n in 1u32.. {
        tick.tick().await;
        if hub.unwatched(&r).await {
            return;
        }
        let read = async {
            let ids = read_new(&hub.db, &mut cursor).await?;
            if !ids.is_empty() {
                r.seen.store(cursor.high(), Ordering::SeqCst);
                let _ = r.tx.send(Change::Needs { upto: cursor.high(), ids: ids.into() });
            }
            if n % WARNING_POLLS == 1 {
                let total = need_feed::warning_total(&hub.db).await?;
                if warnings.replace(total).is_some_and(|before| before != total) {
                    let _ = r.tx.send(Change::Warnings);
                }
            }
            Ok::<_, tongxing_store::Error>(())
        };
        // One line when reading starts failing and one when it recovers, not one per poll.
        match (read.await, failing) {
            (Err(e), false) => {
                tracing::warn!(error = %e, "following the need history failed; live pages wait");
                failing = true;
            }
            (Ok(()), true) => {
                tracing::info!("following the need history again");
                failing = false;
            }
            _ => {}
        }
    }
}

/// New lines and late ones that were skipped; the needs they name.
async fn read_new(db: &Db, cursor: &mut Cursor) -> Result<Vec<i64>, tongxing_store::Error> {
    let now = Instant::now();
    let mut needs = BTreeSet::new();
    let late = need_feed::among(db, &cursor.awaited(now)).await?;
    needs.extend(cursor.take(&late, now));
    loop {
        let rows = need_feed::after(db, cursor.high(), BATCH).await?;
        needs.extend(cursor.take(&rows, now));
        if (rows.len() as i64) < BATCH {
            return Ok(needs.into_iter().collect());
        }
    }
}
