//! The need history read as a feed of changes, for pages that update live.
//! Every status change appends a `need_events` row in its own transaction, so
//! following the table's ids tells each server instance what changed, whichever
//! instance made the change.

use crate::sql::placeholders;
use crate::{Db, Result};

/// The newest history line's id (0 for none): where a new reader starts.
pub async fn latest(db: &Db) -> Result<i64> {
    let sql = "SELECT COALESCE(MAX(id), 0) FROM need_events";
    db_read!(db, |p| Ok(sqlx::query_scalar(sql).fetch_one(p).await?))
}

/// History lines after `after` as (line id, need id), oldest first, at most `limit`.
pub async fn after(db: &Db, after: i64, limit: i64) -> Result<Vec<(i64, i64)>> {
    let sql = "SELECT id, need_id FROM need_events WHERE id > $1 ORDER BY id LIMIT $2";
    db_read!(db, |p| Ok(sqlx::query_as(sql).bind(after).bind(limit).fetch_all(p).await?))
}

/// Those of `ids` that exist now, as (line id, need id). On PostgreSQL a line
/// can become visible after a higher one (ids are taken before commit), so a
/// reader looks again for the ids it skipped.
pub async fn among(db: &Db, ids: &[i64]) -> Result<Vec<(i64, i64)>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!("SELECT id, need_id FROM need_events WHERE id IN ({}) ORDER BY id", placeholders(1, ids.len()));
    db_read!(db, |p| {
        let mut q = sqlx::query_as(sqlx::AssertSqlSafe(&*sql));
        for id in ids {
            q = q.bind(*id);
        }
        Ok(q.fetch_all(p).await?)
    })
}

/// Whether one need's history grew after line `since`.
pub async fn changed_since(db: &Db, need_id: i64, since: i64) -> Result<bool> {
    let sql = "SELECT COUNT(*) FROM need_events WHERE need_id = $1 AND id > $2";
    db_read!(db, |p| Ok(sqlx::query_scalar::<_, i64>(sql).bind(need_id).bind(since).fetch_one(p).await? > 0))
}

/// The need a tracking code names.
pub async fn need_of_code(db: &Db, code: &str) -> Result<i64> {
    let sql = "SELECT id FROM needs WHERE tracking_code = $1";
    db_read!(db, |p| Ok(sqlx::query_scalar(sql).bind(code).fetch_one(p).await?))
}

/// The sum of the open needs' warning levels, read from the queue index.
/// Warning levels change without a history line, but between status changes
/// they only rise, so any rise changes this sum.
pub async fn warning_total(db: &Db) -> Result<i64> {
    let sql = "SELECT CAST(COALESCE(SUM(warning_level), 0) AS BIGINT) FROM needs WHERE status IN ('submitted', 'published', 'claimed')";
    db_read!(db, |p| Ok(sqlx::query_scalar(sql).fetch_one(p).await?))
}
