//! Counters for rate limits (failed logins, public submissions), shared by
//! every instance through the database. A hit is one atomic UPSERT that
//! returns the count after it, so concurrent requests can never all read
//! the same count below the limit and all pass (which counting rows first
//! and inserting after allowed: 20 racing wrong passwords all got 401).

use crate::{Db, Result};

/// Counts one hit on `key` in a fixed window of `window_ms` starting at the
/// key's first hit, and returns the hits in the current window, this one
/// included, and when that window started. A key whose window has passed
/// starts again at 1.
pub async fn hit(db: &Db, key: &str, window_ms: i64, now: i64) -> Result<(i64, i64)> {
    let sql = "INSERT INTO throttle (key, window_start, hits) VALUES ($1, $2, 1) \
               ON CONFLICT (key) DO UPDATE SET \
                 hits = CASE WHEN throttle.window_start <= $2 - $3 THEN 1 ELSE throttle.hits + 1 END, \
                 window_start = CASE WHEN throttle.window_start <= $2 - $3 THEN $2 ELSE throttle.window_start END \
               RETURNING hits, window_start";
    db_write!(db, |p| Ok(sqlx::query_as(sql).bind(key).bind(now).bind(window_ms).fetch_one(p).await?))
}

/// Takes one hit back (an attempt that turned out not to count, e.g. a
/// successful login against the address's failure limit).
pub async fn undo(db: &Db, key: &str) -> Result<()> {
    let sql = "UPDATE throttle SET hits = hits - 1 WHERE key = $1 AND hits > 0";
    db_write!(db, |p| sqlx::query(sql).bind(key).execute(p).await?.rows_affected());
    Ok(())
}

/// Forgets a key's hits.
pub async fn reset(db: &Db, key: &str) -> Result<()> {
    db_write!(db, |p| sqlx::query("DELETE FROM throttle WHERE key = $1").bind(key).execute(p).await?.rows_affected());
    Ok(())
}

/// Drops counters whose window ended before `before_ms`.
pub async fn prune(db: &Db, before_ms: i64) -> Result<()> {
    db_write!(db, |p| sqlx::query("DELETE FROM throttle WHERE window_start <= $1").bind(before_ms).execute(p).await?.rows_affected());
    Ok(())
}
