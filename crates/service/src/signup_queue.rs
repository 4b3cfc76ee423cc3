//! Group commit for sign-ups on SQLite. SQLite has one writer, and each
//! sign-up alone is a transaction of its own (and its own WAL commit), which
//! caps sign-ups at a few hundred to a thousand a second. Sign-ups that
//! arrive while the writer is busy wait in a queue; one task takes up to
//! `BATCH` of them at a time into one transaction
//! (`tongxing_store::signups::sign_up_many`, the same rules one after
//! another) and answers each request on its own. PostgreSQL has many writers
//! and signs up directly.

use std::sync::OnceLock;

use tokio::sync::{mpsc, oneshot};
use tongxing_store::signups::{self, Outcome, Request};
use tongxing_store::{Backend, Db};

use crate::{Result, Service};

/// At most this many sign-ups share one transaction.
const BATCH: usize = 64;

type Job = (Request, oneshot::Sender<tongxing_store::Result<Outcome>>);

/// The queue's sending end; the task behind it starts with the first sign-up.
#[derive(Default)]
pub struct SignupQueue {
    sender: OnceLock<mpsc::UnboundedSender<Job>>,
}

fn start(db: Db) -> mpsc::UnboundedSender<Job> {
    let (sender, mut jobs) = mpsc::unbounded_channel::<Job>();
    tokio::spawn(async move {
        let mut batch = Vec::with_capacity(BATCH);
        while jobs.recv_many(&mut batch, BATCH).await > 0 {
            let requests: Vec<Request> = batch.iter().map(|(r, _)| *r).collect();
            let outcomes = signups::sign_up_many(&db, &requests).await;
            for ((_, reply), outcome) in batch.drain(..).zip(outcomes) {
                // The request may have gone (client away): its sign-up stands all the same.
                let _ = reply.send(outcome);
            }
        }
    });
    sender
}

impl Service {
    /// Stores one sign-up: through the group-commit queue on SQLite.
    pub(crate) async fn store_sign_up(&self, r: Request) -> Result<Outcome> {
        let direct = || signups::sign_up(&self.db, r.activity_id, r.volunteer_id, r.role_id, r.span);
        if self.db.backend() != Backend::Sqlite {
            return Ok(direct().await?);
        }
        let queue = self.caches.signup_queue.sender.get_or_init(|| start(self.db.clone()));
        let (reply, answer) = oneshot::channel();
        if queue.send((r, reply)).is_err() {
            // The queue's task is gone (its runtime ended): sign up directly.
            return Ok(direct().await?);
        }
        match answer.await {
            Ok(outcome) => Ok(outcome?),
            Err(_) => Ok(direct().await?),
        }
    }
}
