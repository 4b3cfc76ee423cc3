//! The delivery outbox: messages for outside systems, stored with the change
//! that causes them and sent by a worker, so nothing is lost when a receiver
//! is down and nothing is sent twice by two instances.

use sqlx::FromRow;
use tongxing_domain::model::Paged;
use tongxing_domain::paging::Page;

use crate::sql::{paged, Arg, Where};
use crate::{now_ms, Db, Result};

/// A message to send: `kind` is `webhook` (target: URL) or `sms` (target: phone).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    pub kind: &'static str,
    pub target: String,
    pub body: String,
}

/// A stored delivery, as the worker and the coordinator's page see it.
#[derive(Debug, Clone, PartialEq, Eq, FromRow, serde::Serialize, serde::Deserialize)]
pub struct Delivery {
    pub id: i64,
    pub kind: String,
    pub target: String,
    pub body: String,
    pub need_id: Option<i64>,
    pub status: String,
    pub attempts: i64,
    #[serde(serialize_with = "tongxing_domain::time::ms_as_rfc3339")]
    pub next_attempt_at: i64,
    pub last_error: Option<String>,
    #[serde(serialize_with = "tongxing_domain::time::ms_as_rfc3339")]
    pub created_at: i64,
    #[serde(serialize_with = "tongxing_domain::time::opt_ms_as_rfc3339")]
    pub sent_at: Option<i64>,
    /// A one-time code: sent as written, never shown to anyone.
    #[serde(skip_serializing, default)]
    pub secret: bool,
}

impl Delivery {
    /// Whether the center may send it again (the condition of [`retry`], bar the lease).
    pub fn retryable(&self) -> bool {
        self.status == "dead" || (self.status == "pending" && self.attempts > 0)
    }
}

const COLUMNS: &str = "id, kind, target, body, need_id, status, attempts, next_attempt_at, last_error, created_at, sent_at, secret";

/// How long a claimed delivery is reserved for the instance sending it.
const LEASE_MS: i64 = 60_000;

/// Inserts `messages` inside an open transaction (the caller's change);
/// `secret` marks one-time codes, whose text the outbox never shows.
macro_rules! enqueue_in {
    ($tx:expr, $need:expr, $messages:expr, $now:expr) => {
        $crate::outbox::enqueue_in!($tx, $need, $messages, $now, false)
    };
    ($tx:expr, $need:expr, $messages:expr, $now:expr, $secret:expr) => {
        for m in $messages {
            sqlx::query(
                "INSERT INTO outbox (kind, target, body, need_id, next_attempt_at, created_at, secret) VALUES ($1, $2, $3, $4, $5, $5, $6)",
            )
            .bind(m.kind)
            .bind(&m.target)
            .bind(&m.body)
            .bind($need)
            .bind($now)
            .bind($secret)
            .execute(&mut *$tx)
            .await?;
        }
    };
}
pub(crate) use enqueue_in;

/// Reserves up to `limit` due deliveries for this instance. The conditional
/// UPDATE is the arbiter: a row another instance holds is not returned.
pub async fn claim_due(db: &Db, limit: i64) -> Result<Vec<Delivery>> {
    let now = now_ms();
    let sql = format!(
        "UPDATE outbox SET locked_until = $1 WHERE id IN (SELECT id FROM outbox WHERE status = 'pending' AND next_attempt_at <= $2 \
         AND (locked_until IS NULL OR locked_until < $2) ORDER BY id LIMIT $3) AND (locked_until IS NULL OR locked_until < $2) \
         RETURNING {COLUMNS}"
    );
    db_write!(db, |p| Ok(sqlx::query_as(sqlx::AssertSqlSafe(&*sql)).bind(now + LEASE_MS).bind(now).bind(limit).fetch_all(p).await?))
}

pub async fn mark_sent(db: &Db, id: i64) -> Result<()> {
    let sql =
        "UPDATE outbox SET status = 'sent', attempts = attempts + 1, sent_at = $1, locked_until = NULL, last_error = NULL WHERE id = $2";
    db_write!(db, |p| sqlx::query(sql).bind(now_ms()).bind(id).execute(p).await?.rows_affected());
    Ok(())
}

/// Records a failed attempt; after `max_attempts` the delivery is given up (`dead`).
pub async fn mark_failed(db: &Db, id: i64, error: &str, retry_at: i64, max_attempts: i64) -> Result<()> {
    let sql = "UPDATE outbox SET attempts = attempts + 1, last_error = $1, next_attempt_at = $2, locked_until = NULL, \
               status = CASE WHEN attempts + 1 >= $3 THEN 'dead' ELSE 'pending' END WHERE id = $4";
    let error: String = error.chars().take(500).collect();
    db_write!(db, |p| sqlx::query(sql).bind(error).bind(retry_at).bind(max_attempts).bind(id).execute(p).await?.rows_affected());
    Ok(())
}

/// Sends a given-up or failing delivery again from scratch: attempts back to
/// zero, due now. Returns false unless the row is `dead`, or `pending` after a
/// failure and not leased right now (a worker may be sending it this moment).
pub async fn retry(db: &Db, id: i64) -> Result<bool> {
    let sql = "UPDATE outbox SET status = 'pending', attempts = 0, next_attempt_at = $1, locked_until = NULL WHERE id = $2 \
               AND (status = 'dead' OR (status = 'pending' AND attempts > 0)) AND (locked_until IS NULL OR locked_until < $1)";
    Ok(db_write!(db, |p| sqlx::query(sql).bind(now_ms()).bind(id).execute(p).await?.rows_affected()) == 1)
}

pub async fn get(db: &Db, id: i64) -> Result<Delivery> {
    let sql = format!("SELECT {COLUMNS} FROM outbox WHERE id = $1");
    db_read!(db, |p| Ok(sqlx::query_as(sqlx::AssertSqlSafe(&*sql)).bind(id).fetch_one(p).await?))
}

/// The stored statuses, in the order a delivery goes through them.
pub const STATUSES: [&str; 3] = ["pending", "sent", "dead"];

/// Newest first, optionally only one status.
pub async fn list(db: &Db, status: Option<&str>, page: Page) -> Result<Paged<Delivery>> {
    let mut w = Where::default();
    if let Some(s) = status {
        w.and("status = ?", [Arg::Text(s.to_string())]);
    }
    let select = format!("SELECT {COLUMNS} FROM outbox");
    let (items, total) = paged::<Delivery>(db, &select, "outbox", &w, "id DESC", page).await?;
    Ok(Paged { items, total })
}
