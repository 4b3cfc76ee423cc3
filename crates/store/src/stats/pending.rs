//! The rollups' queue (migration 0048). Crediting a ledger entry to the
//! rollups is dozens of row upserts (`rollup::credit`), many times the
//! entry itself, and the ledger is the hottest write there is (check-in
//! confirmations, hours entries, group commits). So `append_in!` only
//! names the entry here (`QUEUE`), and `drain` credits the queued entries
//! afterwards: the serve loop every few seconds, and every read of the
//! rollups first, so a figure never misses an entry committed before it
//! was asked for. Crediting is the same per-entry statements as before,
//! run in the order of the entries, so the rows end up as they were, and
//! the twelve-month windows' moves (`windows::credit_windows!`).

use crate::{Db, Error, Result};

/// Names the entry `$1` (just appended) for the next drain.
pub(crate) const QUEUE: &str = "INSERT INTO stats_pending (entry_id) VALUES ($1)";

/// The entry `e` (an alias of `hours_entries`) is credited: it has left
/// the queue (`held` asks this of the entries of an activity).
pub(crate) fn credited(e: &str) -> String {
    format!("NOT EXISTS (SELECT 1 FROM stats_pending q WHERE q.entry_id = {e}.id)")
}

/// The rollups' lock on PostgreSQL: a drain, and a fill of the counts it
/// keeps, hold it to the end of their transaction.
pub(crate) const LOCK: &str = "SELECT pg_advisory_xact_lock(17, 0)";

/// Entries credited per transaction: the single SQLite writer is held for
/// one batch at a time, so the ledger's own writes slip in between.
const BATCH: i64 = 200;

/// Credits every queued entry to the rollups, oldest first; returns how
/// many. Free when the queue is empty (one read). Drains never overlap:
/// SQLite has one writer; PostgreSQL takes the rollups' advisory lock
/// (class 17), since the first days read the day bits the same entry then
/// moves.
pub async fn drain(db: &Db) -> Result<u64> {
    let any: bool = db_read!(db, |p| sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM stats_pending)").fetch_one(p).await?);
    if !any {
        return Ok(0);
    }
    let credit = super::rollup::credit(db.backend());
    let lock = (db.backend() == crate::Backend::Postgres).then_some(LOCK);
    let next = "SELECT entry_id FROM stats_pending ORDER BY entry_id LIMIT $1";
    let mut done = 0;
    loop {
        let n: u64 = db_write!(db, |p| {
            let mut tx = p.begin().await?;
            if let Some(sql) = lock {
                sqlx::query(sql).execute(&mut *tx).await?;
            }
            let ids: Vec<i64> = sqlx::query_scalar(next).bind(BATCH).fetch_all(&mut *tx).await?;
            for id in &ids {
                super::windows::credit_windows!(tx, *id);
                for sql in credit {
                    sqlx::query(sqlx::AssertSqlSafe(sql.as_str())).bind(id).execute(&mut *tx).await?;
                }
                sqlx::query("DELETE FROM stats_pending WHERE entry_id = $1").bind(id).execute(&mut *tx).await?;
            }
            tx.commit().await?;
            Ok::<_, Error>(ids.len() as u64)
        })?;
        done += n;
        if n < BATCH as u64 {
            return Ok(done);
        }
    }
}
