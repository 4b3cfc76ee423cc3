//! PostgreSQL's feed of changes to what instances keep in memory (migration
//! 0050): the triggers name on `CHANNEL` each volunteer whose hours pages
//! changed (or `*`: any page), each account whose sessions or details
//! changed, and `a` for any change an upcoming-activity list shows (migration
//! 0053), after the change commits and in commit order, to every instance
//! listening. An instance also sends its own fences down the same
//! channel: once it hears one back, it has heard every change committed
//! before the fence was sent.

use sqlx::postgres::PgListener;

use crate::{Db, Result};

const CHANNEL: &str = "tongxing_feed";

/// What the feed says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// This volunteer's hours pages changed.
    Volunteer(i64),
    /// Any hours page may have changed.
    All,
    /// This account's details or sessions changed.
    Account(i64),
    /// Something an activity list shows changed.
    Activities,
    /// A fence some instance sent, with its text.
    Fence(String),
}

impl Change {
    fn of(payload: &str) -> Change {
        match payload {
            "*" => Change::All,
            "a" => Change::Activities,
            p => match (p.strip_prefix("fence:"), p.strip_prefix("u:")) {
                (Some(f), _) => Change::Fence(f.to_string()),
                (_, Some(u)) => u.parse().map(Change::Account).unwrap_or(Change::All),
                // Anything unreadable is taken as the widest change.
                _ => p.parse().map(Change::Volunteer).unwrap_or(Change::All),
            },
        }
    }
}

/// A connection listening to the feed, on a connection of the pool's own.
pub struct Listener(PgListener);

impl Listener {
    /// Listens, on PostgreSQL; SQLite has no feed (`None`).
    pub async fn open(db: &Db) -> Result<Option<Listener>> {
        let Db::Postgres(p) = db else { return Ok(None) };
        let mut l = PgListener::connect_with(p).await?;
        // A lost connection is told at once (`next` answers `None`), and
        // opened again on the next call, not before the loss is told.
        l.eager_reconnect(false);
        l.listen(CHANNEL).await?;
        Ok(Some(Listener(l)))
    }

    /// The next change, or `None` when the connection was lost and has been
    /// opened again: what changed meanwhile was not heard. An error when it
    /// could not be opened again, or the pool was closed.
    pub async fn next(&mut self) -> Result<Option<Change>> {
        Ok(self.0.try_recv().await?.map(|n| Change::of(n.payload())))
    }
}

/// Sends a fence down the feed.
pub async fn fence(db: &Db, text: &str) -> Result<()> {
    let Db::Postgres(p) = db else { return Ok(()) };
    sqlx::query("SELECT pg_notify($1, $2)").bind(CHANNEL).bind(format!("fence:{text}")).execute(p).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::Change;

    #[test]
    fn payloads_read_as_changes() {
        assert_eq!(Change::of("42"), Change::Volunteer(42));
        assert_eq!(Change::of("*"), Change::All);
        assert_eq!(Change::of("u:7"), Change::Account(7));
        assert_eq!(Change::of("a"), Change::Activities);
        assert_eq!(Change::of("fence:a1:7"), Change::Fence("a1:7".into()));
        assert_eq!(Change::of("garbled"), Change::All);
    }
}
