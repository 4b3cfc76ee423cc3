//! All of Tongxing's SQL, one module per aggregate, for SQLite and PostgreSQL
//! alike. Query texts are portable; `db_read!`/`db_write!` run one text on
//! whichever pool is configured.
#![forbid(unsafe_code)]

#[macro_use]
mod db;
#[macro_use]
mod sql;
#[macro_use]
mod direct;
pub mod activities;
pub mod audit;
pub mod campaigns;
pub mod care;
pub mod certificates;
pub mod childcare;
pub mod dispatch;
pub mod disputes;
pub mod dump;
mod error;
pub mod feed;
pub mod home;
pub mod honours;
pub mod idempotency;
pub mod ledger;
pub mod needs;
pub mod notifications;
pub mod outbox;
pub mod registry;
mod sections;
pub mod sessions;
pub mod skills;
pub mod stats;
pub mod throttle;
pub mod users;

pub use db::{redact, Backend, Db, DEFAULT_POOL};
pub use error::{Error, Result};

/// The clock as the store records it: unix milliseconds.
pub fn now_ms() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_millis() as i64).unwrap_or(0)
}

/// `NotFound` unless a write touched exactly one row.
fn expect_one(rows_affected: u64) -> Result<()> {
    if rows_affected == 1 {
        Ok(())
    } else {
        Err(Error::NotFound)
    }
}

/// Deactivating keeps the row and every record that points at it.
async fn set_active(db: &Db, table: &'static str, id: i64, active: bool) -> Result<()> {
    let sql = format!("UPDATE {table} SET active = $1, updated_at = $2 WHERE id = $3");
    expect_one(db_write!(db, |p| sqlx::query(sqlx::AssertSqlSafe(&*sql))
        .bind(active)
        .bind(now_ms())
        .bind(id)
        .execute(p)
        .await?
        .rows_affected()))
}
