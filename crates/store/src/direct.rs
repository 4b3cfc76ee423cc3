//! SQLite with no thread hand-off per statement, for what every busy request
//! does: its reads (the session, a volunteer's hours, the facts a sign-up or
//! check-in is checked against) and the grouped sign-up and check-in writes.
//!
//! sqlx runs each SQLite connection on a thread of its own: every statement is
//! sent there and every row sent back, two or more thread wake-ups each. On two
//! cores those wake-ups cost more than the reads themselves (bench/README.md,
//! "Activities and hours"). Here a read runs on a plain connection of the same
//! file, on the thread that asks, in one short read transaction: index
//! look-ups on a warm cache, shorter than a hand-off (a cold page read holds
//! that runtime thread for the read). A group of writes runs on one plain
//! connection on a blocking thread. Both use the same query texts as the sqlx
//! path (SQLite binds `$1` by position either way), so each statement still
//! lives once, in its aggregate's module. One catch: SQLite numbers `$N`
//! placeholders in the order they first appear in the text, so a statement
//! read directly must use `$1`, `$2`, … in that order.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use rusqlite::{Connection, OpenFlags, Params};
use serde::de::DeserializeOwned;

use crate::{Error, Result};

/// More idle connections than this are closed rather than kept: the runtime
/// has a worker thread per core, and only they ask.
const KEEP: usize = 4;

/// A small pool of read-only connections to one SQLite file, and one
/// connection that writes batches (group commit).
#[derive(Debug)]
pub struct Direct {
    path: PathBuf,
    idle: Mutex<Vec<Connection>>,
    writer: Mutex<Option<Connection>>,
}

impl Direct {
    pub(crate) fn new(path: &Path) -> Direct {
        Direct { path: path.to_path_buf(), idle: Mutex::new(Vec::new()), writer: Mutex::new(None) }
    }

    fn open(&self, flags: OpenFlags) -> Result<Connection> {
        let c = Connection::open_with_flags(&self.path, flags | OpenFlags::SQLITE_OPEN_NO_MUTEX).map_err(direct_error)?;
        c.busy_timeout(Duration::from_secs(10)).map_err(direct_error)?;
        // The same page cache as each sqlx reader, and the writer's settings (db.rs).
        c.pragma_update(None, "cache_size", -4000).map_err(direct_error)?;
        c.pragma_update(None, "soft_heap_limit", crate::db::SOFT_HEAP_LIMIT).map_err(direct_error)?;
        c.pragma_update(None, "synchronous", "NORMAL").map_err(direct_error)?;
        c.pragma_update(None, "foreign_keys", true).map_err(direct_error)?;
        Ok(c)
    }

    /// Runs `write` in one IMMEDIATE transaction on the writing connection
    /// and commits it, or keeps nothing if it fails. SQLite lets one writer
    /// in at a time: when sqlx's writer holds the lock, this waits for it
    /// (busy timeout), and the other way round.
    pub(crate) fn write<T>(&self, write: impl FnOnce(&rusqlite::Transaction) -> Result<T>) -> Result<T> {
        let mut writer = self.writer.lock().unwrap_or_else(|p| p.into_inner());
        let conn = match writer.as_mut() {
            Some(c) => c,
            None => writer.insert(self.open(OpenFlags::SQLITE_OPEN_READ_WRITE)?),
        };
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate).map_err(direct_error)?;
        let out = write(&tx)?;
        tx.commit().map_err(direct_error)?;
        Ok(out)
    }

    /// Runs `read` in one read transaction (its statements see one snapshot)
    /// on an idle connection, opening one if none is idle, and gives the
    /// connection back. The reads are short index look-ups, so they
    /// run on the calling thread instead of paying for a hand-off.
    pub(crate) fn read<T>(&self, read: impl FnOnce(&Connection) -> rusqlite::Result<T>) -> Result<T> {
        let conn = self.idle.lock().unwrap_or_else(|p| p.into_inner()).pop();
        let conn = match conn {
            Some(c) => c,
            None => self.open(OpenFlags::SQLITE_OPEN_READ_ONLY)?,
        };
        let out = conn.unchecked_transaction().and_then(|tx| read(&tx)).map_err(direct_error);
        let mut idle = self.idle.lock().unwrap_or_else(|p| p.into_inner());
        if idle.len() < KEEP {
            idle.push(conn);
        }
        out
    }

    /// The first row `sql` finds, if any.
    pub(crate) fn optional<T: DeserializeOwned>(&self, sql: &str, params: impl Params) -> Result<Option<T>> {
        self.read(|c| first(c, sql, params))
    }

    /// Every row `sql` finds.
    pub(crate) fn all<T: DeserializeOwned>(&self, sql: &str, params: impl Params) -> Result<Vec<T>> {
        self.read(|c| all(c, sql, params))
    }

    /// Every row `sql` finds, read on a blocking thread: for a statement
    /// that reads much (a pass over the ledger), which would hold a runtime
    /// thread for its whole length; several run at once on as many connections.
    pub(crate) async fn all_blocking<T, P>(self: &Arc<Self>, sql: &'static str, params: P) -> Result<Vec<T>>
    where
        T: DeserializeOwned + Send + 'static,
        P: Params + Send + 'static,
    {
        let direct = self.clone();
        blocking(move || direct.all(sql, params)).await
    }
}

/// Runs a direct write, or a long direct read (either blocks its thread),
/// on a blocking thread.
pub(crate) async fn blocking<T: Send + 'static>(work: impl FnOnce() -> Result<T> + Send + 'static) -> Result<T> {
    tokio::task::spawn_blocking(work).await.map_err(|e| Error::Direct(format!("direct thread: {e}")))?
}

/// The indexes of `items` sorted by `key`, equal keys in arrival order: the
/// order a batch takes its locks in.
pub(crate) fn in_order_of<T, K: Ord>(items: &[T], key: impl Fn(&T) -> K) -> Vec<usize> {
    let mut order: Vec<usize> = (0..items.len()).collect();
    order.sort_by_key(|&i| key(&items[i]));
    order
}

/// `done[k]` is the answer for item `order[k]`: puts them back in item order.
pub(crate) fn back_in_order<T>(order: Vec<usize>, done: Vec<T>) -> Vec<T> {
    let mut slots: Vec<Option<T>> = done.iter().map(|_| None).collect();
    for (i, out) in order.into_iter().zip(done) {
        slots[i] = Some(out);
    }
    slots.into_iter().flatten().collect()
}

/// The first row of `sql` on `c`, decoded as sqlx would: a struct by column
/// name, a tuple by position.
pub(crate) fn first<T: DeserializeOwned>(c: &Connection, sql: &str, params: impl Params) -> rusqlite::Result<Option<T>> {
    let mut stmt = c.prepare_cached(sql)?;
    let mut rows = stmt.query(params)?;
    rows.next()?.map(decode).transpose()
}

/// Every row of `sql` on `c`, decoded as `first` does. The column names are
/// read once for all rows, not once a row (100,000 rows made 700,000
/// small allocations).
pub(crate) fn all<T: DeserializeOwned>(c: &Connection, sql: &str, params: impl Params) -> rusqlite::Result<Vec<T>> {
    let mut stmt = c.prepare_cached(sql)?;
    let columns = serde_rusqlite::columns_from_statement(&stmt);
    let mut rows = stmt.query(params)?;
    let mut out = Vec::new();
    while let Some(r) = rows.next()? {
        out.push(serde_rusqlite::from_row_with_columns(r, &columns).map_err(conversion)?);
    }
    Ok(out)
}

fn decode<T: DeserializeOwned>(r: &rusqlite::Row) -> rusqlite::Result<T> {
    serde_rusqlite::from_row(r).map_err(conversion)
}

fn conversion(e: serde_rusqlite::Error) -> rusqlite::Error {
    rusqlite::Error::ToSqlConversionFailure(Box::new(e))
}

/// `Option<T>` of the first row of `$sql` bound to `$arg`s: a direct read on
/// SQLite, the read pool on PostgreSQL. `T` derives both `sqlx::FromRow` and
/// `serde::Deserialize` (or is a tuple).
macro_rules! fetch_optional {
    ($db:expr, $sql:expr $(, $arg:expr)* $(,)?) => {
        match $db {
            $crate::db::Db::Sqlite { direct, .. } => direct.optional($sql, rusqlite::params![$($arg),*]),
            $crate::db::Db::Postgres(p) => sqlx::query_as($sql)$(.bind($arg))*.fetch_optional(p).await.map_err($crate::Error::from),
        }
    };
}

/// `Vec<T>` of every row, as `fetch_optional!`.
macro_rules! fetch_all {
    ($db:expr, $sql:expr $(, $arg:expr)* $(,)?) => {
        match $db {
            $crate::db::Db::Sqlite { direct, .. } => direct.all($sql, rusqlite::params![$($arg),*]),
            $crate::db::Db::Postgres(p) => sqlx::query_as($sql)$(.bind($arg))*.fetch_all(p).await.map_err($crate::Error::from),
        }
    };
}

/// The store's error for a direct read or write, constraints mapped as
/// `From<sqlx::Error>` maps them.
pub(crate) fn direct_error(e: rusqlite::Error) -> Error {
    use rusqlite::ffi::ErrorCode;
    match &e {
        rusqlite::Error::QueryReturnedNoRows => Error::NotFound,
        rusqlite::Error::SqliteFailure(f, _) if f.code == ErrorCode::ConstraintViolation => match f.extended_code {
            rusqlite::ffi::SQLITE_CONSTRAINT_UNIQUE | rusqlite::ffi::SQLITE_CONSTRAINT_PRIMARYKEY => Error::Conflict,
            rusqlite::ffi::SQLITE_CONSTRAINT_FOREIGNKEY => Error::BadReference,
            _ => Error::Direct(e.to_string()),
        },
        _ => Error::Direct(e.to_string()),
    }
}

/// Runs one statement of a macro written for both paths on an open sqlx
/// transaction: `execute` gives the rows changed, `one` the row (or
/// `NotFound`), `optional` the row if any.
macro_rules! in_sqlx {
    (execute $tx:expr, $sql:expr $(, $arg:expr)*) => {
        sqlx::query($sql)$(.bind($arg))*.execute(&mut *$tx).await?.rows_affected()
    };
    (one $tx:expr, $sql:expr $(, $arg:expr)*) => {
        sqlx::query_as($sql)$(.bind($arg))*.fetch_one(&mut *$tx).await?
    };
    (optional $tx:expr, $sql:expr $(, $arg:expr)*) => {
        sqlx::query_as($sql)$(.bind($arg))*.fetch_optional(&mut *$tx).await?
    };
}

/// The same on a direct transaction (`Direct::write`).
macro_rules! in_direct {
    (execute $tx:expr, $sql:expr $(, $arg:expr)*) => {
        $tx.prepare_cached($sql).and_then(|mut s| s.execute(rusqlite::params![$($arg),*])).map_err($crate::direct::direct_error)? as u64
    };
    (one $tx:expr, $sql:expr $(, $arg:expr)*) => {
        in_direct!(optional $tx, $sql $(, $arg)*).ok_or($crate::Error::NotFound)?
    };
    (optional $tx:expr, $sql:expr $(, $arg:expr)*) => {
        $crate::direct::first($tx, $sql, rusqlite::params![$($arg),*]).map_err($crate::direct::direct_error)?
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_batch_is_taken_in_key_order_and_answered_in_arrival_order() {
        let items = [(3, 'a'), (1, 'b'), (3, 'c'), (2, 'd'), (1, 'e')];
        let order = in_order_of(&items, |i| i.0);
        assert_eq!(order, [1, 4, 3, 0, 2], "by key, arrival order among equal keys");
        let done: Vec<char> = order.iter().map(|&i| items[i].1).collect();
        assert_eq!(back_in_order(order, done), ['a', 'b', 'c', 'd', 'e']);
    }
}
