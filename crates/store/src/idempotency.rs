//! Stored answers to writes sent with an `Idempotency-Key`.

use crate::{now_ms, Db, Result};

/// What a key already holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Seen {
    /// The first request with this key: the caller now owns it.
    New,
    /// The same key with a different request.
    Mismatch,
    /// The first request is still being answered.
    InProgress,
    /// The stored answer: status, content type, body.
    Done(u16, String, Vec<u8>),
}

#[derive(sqlx::FromRow)]
struct Stored {
    request_hash: String,
    status: Option<i64>,
    content_type: Option<String>,
    body: Option<Vec<u8>>,
}

/// Claims `key` for this request, or says what it already holds. The insert is
/// the arbiter, so two instances racing on one key cannot both run it.
pub async fn begin(db: &Db, scope: &str, key: &str, request_hash: &str) -> Result<Seen> {
    let insert = "INSERT INTO idempotency_keys (scope, idem_key, request_hash, created_at) VALUES ($1, $2, $3, $4) \
                  ON CONFLICT (scope, idem_key) DO NOTHING";
    let inserted =
        db_write!(db, |p| sqlx::query(insert).bind(scope).bind(key).bind(request_hash).bind(now_ms()).execute(p).await?.rows_affected());
    if inserted == 1 {
        return Ok(Seen::New);
    }
    let select = "SELECT request_hash, status, content_type, body FROM idempotency_keys WHERE scope = $1 AND idem_key = $2";
    let row: Option<Stored> = db_write!(db, |p| sqlx::query_as(select).bind(scope).bind(key).fetch_optional(p).await?);
    Ok(match row {
        None => Seen::InProgress,
        Some(r) if r.request_hash != request_hash => Seen::Mismatch,
        Some(Stored { status: Some(status), content_type, body, .. }) => {
            Seen::Done(status as u16, content_type.unwrap_or_default(), body.unwrap_or_default())
        }
        Some(_) => Seen::InProgress,
    })
}

pub async fn finish(db: &Db, scope: &str, key: &str, status: u16, content_type: &str, body: &[u8]) -> Result<()> {
    let sql = "UPDATE idempotency_keys SET status = $1, content_type = $2, body = $3 WHERE scope = $4 AND idem_key = $5";
    db_write!(db, |p| sqlx::query(sql)
        .bind(i64::from(status))
        .bind(content_type)
        .bind(body)
        .bind(scope)
        .bind(key)
        .execute(p)
        .await?
        .rows_affected());
    Ok(())
}

/// Lets a failed request be retried with the same key.
pub async fn abandon(db: &Db, scope: &str, key: &str) -> Result<()> {
    let sql = "DELETE FROM idempotency_keys WHERE scope = $1 AND idem_key = $2";
    db_write!(db, |p| sqlx::query(sql).bind(scope).bind(key).execute(p).await?.rows_affected());
    Ok(())
}

/// Keys are kept for a day: long enough for any retry.
pub async fn prune(db: &Db) -> Result<()> {
    let before = now_ms() - 24 * 3600 * 1000;
    db_write!(db, |p| sqlx::query("DELETE FROM idempotency_keys WHERE created_at < $1").bind(before).execute(p).await?.rows_affected());
    Ok(())
}
