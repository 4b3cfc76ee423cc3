//! Group commit on SQLite, for sign-ups and check-ins. SQLite has one writer,
//! and each write alone is a transaction of its own (and its own WAL
//! commit), which caps them at a few thousand a second. Writes that arrive
//! while the writer is busy wait in a queue; one task takes up to `BATCH` of
//! them at a time into one transaction on a blocking thread (the store's
//! `*_many`: the same statements one after another on SQLite's direct
//! writer) and answers each request on its own. PostgreSQL has many writers
//! and writes each directly.

use std::future::Future;
use std::sync::OnceLock;

use tokio::sync::{mpsc, oneshot};
use tongxing_store::attendance::{self, CheckIn};
use tongxing_store::signups::{self, Outcome, Request};
use tongxing_store::{Backend, Db, Result};

/// At most this many writes share one transaction.
const BATCH: usize = 64;

/// A write that can share a transaction with others of its kind.
pub(crate) trait Grouped: Copy + Send + 'static {
    type Out: Send + 'static;
    /// All of `items` in one transaction, or nothing (blocking).
    fn together(db: &Db, items: &[Self]) -> Result<Vec<Self::Out>>;
    /// This one in its own transaction.
    fn alone(self, db: &Db) -> impl Future<Output = Result<Self::Out>> + Send;
}

impl Grouped for Request {
    type Out = Outcome;
    fn together(db: &Db, items: &[Self]) -> Result<Vec<Outcome>> {
        signups::sign_up_many(db, items)
    }
    async fn alone(self, db: &Db) -> Result<Outcome> {
        signups::sign_up(db, self.activity_id, self.volunteer_id, self.role_id, self.span).await
    }
}

impl Grouped for CheckIn {
    type Out = (i64, bool);
    fn together(db: &Db, items: &[Self]) -> Result<Vec<(i64, bool)>> {
        attendance::check_in_many(db, items)
    }
    async fn alone(self, db: &Db) -> Result<(i64, bool)> {
        attendance::check_in(db, &self).await
    }
}

type Job<T> = (T, oneshot::Sender<Result<<T as Grouped>::Out>>);

/// One kind's queue; the task behind it starts with the first write.
pub(crate) struct Queue<T: Grouped> {
    sender: OnceLock<mpsc::UnboundedSender<Job<T>>>,
}

impl<T: Grouped> Default for Queue<T> {
    fn default() -> Self {
        Queue { sender: OnceLock::new() }
    }
}

impl<T: Grouped> Queue<T> {
    /// Writes `item`: through the queue on SQLite, directly on PostgreSQL.
    pub(crate) async fn write(&self, db: &Db, item: T) -> Result<T::Out> {
        if db.backend() != Backend::Sqlite {
            return item.alone(db).await;
        }
        let queue = self.sender.get_or_init(|| start(db.clone()));
        let (reply, answer) = oneshot::channel();
        if queue.send((item, reply)).is_err() {
            // The queue's task is gone (its runtime ended): write directly.
            return item.alone(db).await;
        }
        match answer.await {
            Ok(out) => out,
            Err(_) => item.alone(db).await,
        }
    }
}

fn start<T: Grouped>(db: Db) -> mpsc::UnboundedSender<Job<T>> {
    let (sender, mut jobs) = mpsc::unbounded_channel::<Job<T>>();
    tokio::spawn(async move {
        let mut batch = Vec::with_capacity(BATCH);
        while jobs.recv_many(&mut batch, BATCH).await > 0 {
            let items: Vec<T> = batch.iter().map(|(item, _)| *item).collect();
            let (group, shared) = (db.clone(), items.clone());
            let outs: Vec<Result<T::Out>> = match tokio::task::spawn_blocking(move || T::together(&group, &shared)).await {
                Ok(Ok(outs)) => outs.into_iter().map(Ok).collect(),
                // Nothing was kept: each on its own, so each gets its own answer.
                _ => {
                    let mut outs = Vec::with_capacity(items.len());
                    for item in items {
                        outs.push(item.alone(&db).await);
                    }
                    outs
                }
            };
            for ((_, reply), out) in batch.drain(..).zip(outs) {
                // The request may have gone (client away): its write stands all the same.
                let _ = reply.send(out);
            }
        }
    });
    sender
}
