//! Connecting to SQLite or PostgreSQL, chosen by the URL scheme.

use std::path::Path;
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use sqlx::postgres::{PgPool, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous};

use crate::direct::Direct;
use crate::{Error, Result};

/// Runs `$body` with `$p` bound to the pool that serves reads.
macro_rules! db_read {
    ($db:expr, |$p:ident| $body:expr) => {
        match $db {
            $crate::db::Db::Sqlite { read: $p, .. } => $body,
            $crate::db::Db::Postgres($p) => $body,
        }
    };
}

/// Runs `$body` with `$p` bound to the pool that serves writes. On SQLite that
/// pool has one connection, so write transactions queue instead of failing
/// with SQLITE_BUSY.
macro_rules! db_write {
    ($db:expr, |$p:ident| $body:expr) => {
        match $db {
            $crate::db::Db::Sqlite { write: $p, .. } => $body,
            $crate::db::Db::Postgres($p) => $body,
        }
    };
}

/// Bytes of heap all SQLite connections of the process may use before
/// SQLite recycles cached pages (a process-wide setting, `PRAGMA
/// soft_heap_limit`).
pub(crate) const SOFT_HEAP_LIMIT: &str = "33554432";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

#[derive(Clone, Debug)]
pub enum Db {
    Sqlite { read: SqlitePool, write: SqlitePool, direct: Arc<Direct> },
    Postgres(PgPool),
}

/// PostgreSQL connections an instance keeps by default (`database_pool`).
/// The database server does best with about four busy connections per core
/// in all, so instances sharing it split them: two instances with 16 each
/// on a 2-core server wrote sign-ups slower than one, with 8 each as fast
/// (README, "How many instances").
pub const DEFAULT_POOL: u32 = 16;

impl Db {
    /// Opens the database a `sqlite://…` or `postgres://…` URL names, creating
    /// an SQLite file (and its folder) on first use; on PostgreSQL with a
    /// pool of `DEFAULT_POOL` connections.
    pub async fn connect(url: &str) -> Result<Db> {
        Self::connect_pooled(url, DEFAULT_POOL).await
    }

    /// `connect`, with at most `pool` connections to PostgreSQL (SQLite's
    /// connections are fixed: one writer, four readers).
    pub async fn connect_pooled(url: &str, pool: u32) -> Result<Db> {
        match Backend::of_url(url)? {
            Backend::Sqlite => Self::connect_sqlite(url).await,
            Backend::Postgres => {
                // No ping before each use: it doubled the round trips of every
                // query. A connection is still checked when it comes back to the
                // pool (and one left inside a transaction is rolled back there).
                let pool = PgPoolOptions::new()
                    .max_connections(pool)
                    .test_before_acquire(false)
                    .acquire_timeout(Duration::from_secs(10))
                    .connect(url)
                    .await?;
                Ok(Db::Postgres(pool))
            }
        }
    }

    async fn connect_sqlite(url: &str) -> Result<Db> {
        let opts = SqliteConnectOptions::from_str(url)?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            // NORMAL in WAL mode: a power cut may lose the last transactions
            // committed before it, never corrupt the file (see README).
            .synchronous(SqliteSynchronous::Normal)
            .busy_timeout(Duration::from_secs(10))
            .foreign_keys(true)
            // Each connection keeps its own page cache: 8 MiB for the writer,
            // 4 MiB for each of the four readers keeps the server well under
            // 150 MB while the OS page cache serves repeated reads.
            .pragma("cache_size", "-8000")
            // The process's SQLite connections (these, and direct.rs's) may
            // hold 44 MiB of pages between them when each has filled its
            // cache; past this limit SQLite reuses pages instead of adding
            // more, so their sum stays bounded (bench/README.md, memory).
            .pragma("soft_heap_limit", SOFT_HEAP_LIMIT);
        if let Some(dir) = Path::new(opts.get_filename()).parent() {
            if !dir.as_os_str().is_empty() {
                std::fs::create_dir_all(dir).map_err(|e| Error::Config(format!("cannot create {}: {e}", dir.display())))?;
            }
        }
        let direct = Arc::new(Direct::new(Path::new(opts.get_filename())));
        let write = SqlitePoolOptions::new().max_connections(1).connect_with(opts.clone()).await?;
        // Two cores: more readers than four only queue on the CPU and add caches.
        let read = SqlitePoolOptions::new().max_connections(4).connect_with(opts.read_only(true).pragma("cache_size", "-4000")).await?;
        Ok(Db::Sqlite { read, write, direct })
    }

    pub fn backend(&self) -> Backend {
        match self {
            Db::Sqlite { .. } => Backend::Sqlite,
            Db::Postgres(_) => Backend::Postgres,
        }
    }

    /// Applies pending migrations, then fills what a migration added and
    /// only Rust can compute (`stats::fill::fill_new`); safe to run from
    /// several instances at once (sqlx takes an advisory lock on PostgreSQL).
    pub async fn migrate(&self) -> Result<()> {
        match self {
            Db::Sqlite { write, .. } => sqlx::migrate!("./migrations/sqlite").run(write).await?,
            Db::Postgres(p) => sqlx::migrate!("./migrations/postgres").run(p).await?,
        }
        crate::stats::fill::fill_new(self).await
    }

    /// The newest migration this binary knows, recorded in dumps.
    pub fn schema_version() -> i64 {
        sqlx::migrate!("./migrations/sqlite").iter().map(|m| m.version).max().unwrap_or(0)
    }

    pub async fn ping(&self) -> Result<()> {
        db_read!(self, |p| sqlx::query("SELECT 1").execute(p).await.map(|_| ()).map_err(Error::from))
    }

    /// SQLite's online backup into a new file (`VACUUM INTO`), consistent
    /// while the server keeps running.
    pub async fn backup_sqlite(&self, dest: &str) -> Result<()> {
        match self {
            Db::Sqlite { write, .. } => {
                sqlx::query("VACUUM INTO $1").bind(dest).execute(write).await?;
                Ok(())
            }
            Db::Postgres(_) => Err(Error::Config("backup is for SQLite; use pg_dump or `tongxing dump` for PostgreSQL".into())),
        }
    }

    pub async fn close(&self) {
        match self {
            Db::Sqlite { read, write, .. } => {
                read.close().await;
                write.close().await;
            }
            Db::Postgres(p) => p.close().await,
        }
    }
}

impl Backend {
    /// Refuses bare paths and unknown schemes with a message that shows the right form.
    pub fn of_url(url: &str) -> Result<Backend> {
        let scheme = url.split_once(':').map(|(s, _)| s).unwrap_or("");
        match scheme {
            "sqlite" => Ok(Backend::Sqlite),
            "postgres" | "postgresql" => Ok(Backend::Postgres),
            _ => Err(Error::Config(format!(
                "unsupported database URL {:?}: use sqlite:///abs/path.db, sqlite://relative/path.db or postgres://user@host/db",
                redact(url)
            ))),
        }
    }
}

/// The URL without its password, for logs and messages.
pub fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s => {
            let userinfo = &url[s + 3..at];
            match userinfo.split_once(':') {
                Some((user, _)) => format!("{}{}:***{}", &url[..s + 3], user, &url[at..]),
                None => url.to_string(),
            }
        }
        _ => url.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_choose_the_backend_or_are_refused() {
        assert_eq!(Backend::of_url("sqlite://data/x.db").unwrap(), Backend::Sqlite);
        assert_eq!(Backend::of_url("postgresql://u@h/db").unwrap(), Backend::Postgres);
        assert!(Backend::of_url("/var/lib/x.db").is_err());
        assert!(Backend::of_url("mysql://u@h/db").is_err());
    }

    #[test]
    fn passwords_are_redacted() {
        assert_eq!(redact("postgres://u:secret@h/db"), "postgres://u:***@h/db");
        assert_eq!(redact("sqlite://data/x.db"), "sqlite://data/x.db");
    }
}
