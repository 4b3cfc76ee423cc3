//! Group commit, for sign-ups and check-ins (activities' and childcare's). Each write alone is a
//! transaction of its own, with its own commit (a WAL sync on SQLite, a WAL
//! flush on PostgreSQL), and sign-ups to one activity all queue on its row,
//! which caps them at a few thousand a second on SQLite and about a thousand
//! on PostgreSQL. Writes that arrive while a batch is being written wait in
//! a queue; one task takes up to `BATCH` of them at a time into one
//! transaction (the store's `*_many`: the same statements one after another)
//! and answers each request on its own once it has committed.
//!
//! The queue is also what makes these writes cancel-safe: once queued, a
//! write is done by the queue's task whether or not its request is still
//! waiting for the answer.
//!
//! The same queue groups the busiest read on PostgreSQL, a volunteer's hours
//! page: there each statement's round trip, and the pool's ping when its
//! connection comes back, cost more CPU than reading one volunteer's page, so
//! the pages asked for while a group is being read are read in one statement.
//! The session checks that miss the session cache are grouped the same way.
//! SQLite's direct reads cost less than the hand-off, so they are not queued.

use std::future::Future;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};

use tokio::sync::{mpsc, oneshot, Semaphore};
use tongxing_domain::hours::Entry as LedgerEntry;
use tongxing_domain::model::User;
use tongxing_domain::paging::Page;
use tongxing_store::activities::attendance::{self, CheckIn};
use tongxing_store::activities::signups::{self, Outcome, Request};
use tongxing_store::childcare::days::{self as childcare_days, Entry};
use tongxing_store::{ledger, users};
use tongxing_store::{Backend, Db, Result};

/// At most this many writes share one transaction.
const BATCH: usize = 64;

/// A write that can share a transaction with others of its kind.
pub(crate) trait Grouped: Clone + Send + 'static {
    type Out: Send + 'static;
    /// All of `items` in one transaction, or nothing.
    fn together(db: &Db, items: Vec<Self>) -> impl Future<Output = Result<Vec<Self::Out>>> + Send;
    /// This one in its own transaction.
    fn alone(self, db: &Db) -> impl Future<Output = Result<Self::Out>> + Send;
    /// How many groups may be in flight at once: for writes on SQLite one
    /// (it has one writer); on PostgreSQL two, so that one batch gathers and
    /// sends its statements while the one before waits for its commit to be
    /// flushed.
    fn in_flight(backend: Backend) -> usize {
        match backend {
            Backend::Sqlite => 1,
            Backend::Postgres => 2,
        }
    }
    /// Whether `in_flight` is the database's, shared by the instances on it.
    /// Writes are: their groups queue on the same rows' locks and commits
    /// whichever instance sends them, so more groups in flight only make
    /// each smaller, and each group's statements and commit cost the same
    /// however few it carries (two instances each with two in flight wrote
    /// sign-ups at 0.73 of one instance's speed).
    const SHARED: bool = true;
}

/// One volunteer's hours page (a read).
#[derive(Clone, Copy)]
pub(crate) struct HoursPage {
    pub volunteer_id: i64,
    pub page: Page,
}

impl Grouped for HoursPage {
    type Out = (f64, i64, Vec<LedgerEntry>);
    async fn together(db: &Db, items: Vec<Self>) -> Result<Vec<Self::Out>> {
        let asked: Vec<(i64, Page)> = items.iter().map(|h| (h.volunteer_id, h.page)).collect();
        ledger::summary_pages(db, &asked).await
    }
    async fn alone(self, db: &Db) -> Result<Self::Out> {
        ledger::summary_page(db, self.volunteer_id, self.page).await
    }
    /// Reads hold no lock and wait for no flush: a quarter of the pool.
    fn in_flight(_: Backend) -> usize {
        4
    }
    const SHARED: bool = false;
}

/// The account behind a session token, checked when the session cache
/// misses (a read, PostgreSQL only, like the hours pages).
#[derive(Clone)]
pub(crate) struct SessionCheck(pub String);

impl Grouped for SessionCheck {
    type Out = Option<User>;
    async fn together(db: &Db, items: Vec<Self>) -> Result<Vec<Self::Out>> {
        let hashes: Vec<String> = items.into_iter().map(|s| s.0).collect();
        users::by_sessions(db, &hashes).await
    }
    async fn alone(self, db: &Db) -> Result<Self::Out> {
        users::by_session(db, &self.0).await
    }
    fn in_flight(_: Backend) -> usize {
        4
    }
    const SHARED: bool = false;
}

impl Grouped for Request {
    type Out = Outcome;
    async fn together(db: &Db, items: Vec<Self>) -> Result<Vec<Outcome>> {
        signups::sign_up_many(db, items).await
    }
    async fn alone(self, db: &Db) -> Result<Outcome> {
        signups::sign_up(db, self.activity_id, self.volunteer_id, self.role_id, self.span).await
    }
}

impl Grouped for Entry {
    type Out = (i64, bool);
    async fn together(db: &Db, items: Vec<Self>) -> Result<Vec<(i64, bool)>> {
        childcare_days::record_many(db, items).await
    }
    async fn alone(self, db: &Db) -> Result<(i64, bool)> {
        childcare_days::record(db, &self).await
    }
}

impl Grouped for CheckIn {
    type Out = (i64, bool);
    async fn together(db: &Db, items: Vec<Self>) -> Result<Vec<(i64, bool)>> {
        attendance::check_in_many(db, items).await
    }
    async fn alone(self, db: &Db) -> Result<(i64, bool)> {
        attendance::check_in(db, &self).await
    }
}

type Job<T> = (T, oneshot::Sender<Result<<T as Grouped>::Out>>);

/// One kind's queue; the task behind it starts with the first write.
pub(crate) struct Queue<T: Grouped> {
    sender: OnceLock<mpsc::UnboundedSender<Job<T>>>,
    /// How many instances share the database (`feed::Feed::sharing`).
    sharing: Arc<AtomicUsize>,
    /// Groups written and the requests they carried, for /metrics.
    counts: Arc<Counts>,
}

/// Groups written and the requests they carried.
#[derive(Default)]
pub(crate) struct Counts {
    groups: AtomicU64,
    items: AtomicU64,
}

impl<T: Grouped> Queue<T> {
    pub(crate) fn new(sharing: Arc<AtomicUsize>) -> Self {
        Queue { sender: OnceLock::new(), sharing, counts: Arc::default() }
    }

    /// Groups written so far, and the requests they carried.
    pub(crate) fn counts(&self) -> (u64, u64) {
        (self.counts.groups.load(Ordering::Relaxed), self.counts.items.load(Ordering::Relaxed))
    }

    /// Writes (or reads) `item` in the next batch.
    pub(crate) async fn run(&self, db: &Db, item: T) -> Result<T::Out> {
        let queue = self.sender.get_or_init(|| start(db.clone(), self.sharing.clone(), self.counts.clone()));
        let (reply, answer) = oneshot::channel();
        if let Err(unsent) = queue.send((item.clone(), reply)) {
            // The queue's task is gone (its runtime ended): write directly.
            return unsent.0 .0.alone(db).await;
        }
        match answer.await {
            Ok(out) => out,
            Err(_) => item.alone(db).await,
        }
    }
}

fn start<T: Grouped>(db: Db, sharing: Arc<AtomicUsize>, counts: Arc<Counts>) -> mpsc::UnboundedSender<Job<T>> {
    let (sender, mut jobs) = mpsc::unbounded_channel::<Job<T>>();
    let most = T::in_flight(db.backend());
    let slots = Arc::new(Semaphore::new(most));
    tokio::spawn(async move {
        loop {
            let instances = if T::SHARED { sharing.load(Ordering::Acquire) } else { 1 };
            let Ok(slot) = slots.clone().acquire_many_owned(slots_per_group(most, instances)).await else { return };
            let mut batch = Vec::with_capacity(BATCH);
            let n = jobs.recv_many(&mut batch, BATCH).await;
            if n == 0 {
                return;
            }
            counts.groups.fetch_add(1, Ordering::Relaxed);
            counts.items.fetch_add(n as u64, Ordering::Relaxed);
            let db = db.clone();
            tokio::spawn(async move {
                write_batch(&db, batch).await;
                drop(slot);
            });
        }
    });
    sender
}

/// How many of this instance's `most` slots one group takes when `instances`
/// share the database's `most` groups in flight: each instance gets an
/// equal part of them, and at least one.
fn slots_per_group(most: usize, instances: usize) -> u32 {
    let mine = (most / instances.max(1)).max(1);
    (most / mine) as u32
}

/// Writes one batch and answers each of its requests.
async fn write_batch<T: Grouped>(db: &Db, batch: Vec<Job<T>>) {
    let items: Vec<T> = batch.iter().map(|(item, _)| item.clone()).collect();
    let outs: Vec<Result<T::Out>> = match T::together(db, items.clone()).await {
        Ok(outs) => outs.into_iter().map(Ok).collect(),
        // Nothing was kept: each on its own, so each gets its own answer.
        Err(_) => {
            let mut outs = Vec::with_capacity(items.len());
            for item in items {
                outs.push(item.alone(db).await);
            }
            outs
        }
    };
    for ((_, reply), out) in batch.into_iter().zip(outs) {
        // The request may have gone (client away): its write stands all the same.
        let _ = reply.send(out);
    }
}

#[cfg(test)]
mod tests {
    use super::slots_per_group;

    #[test]
    fn instances_sharing_the_database_share_its_groups_in_flight() {
        // PostgreSQL's writes: two groups in flight for one instance, one each for two or more.
        assert_eq!(slots_per_group(2, 1), 1);
        assert_eq!(slots_per_group(2, 2), 2);
        assert_eq!(slots_per_group(2, 5), 2);
        // SQLite's one writer; reads (not shared) always take one of four.
        assert_eq!(slots_per_group(1, 1), 1);
        assert_eq!(slots_per_group(1, 3), 1);
        assert_eq!(slots_per_group(4, 1), 1);
        // Nothing counted yet reads as this instance alone.
        assert_eq!(slots_per_group(2, 0), 1);
    }
}
