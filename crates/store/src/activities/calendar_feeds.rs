//! Private calendar feed tokens (one per volunteer, one per team) and the
//! activities each feed lists.

use sqlx::FromRow;

use crate::{now_ms, Db, Error, Result};

/// Whose calendar a token opens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Owner {
    Volunteer(i64),
    Team(i64),
}

impl Owner {
    fn ids(self) -> (Option<i64>, Option<i64>) {
        match self {
            Owner::Volunteer(v) => (Some(v), None),
            Owner::Team(t) => (None, Some(t)),
        }
    }
}

const WHERE_OWNER: &str = "((volunteer_id = $1 AND $1 IS NOT NULL) OR (team_id = $2 AND $2 IS NOT NULL))";

/// The owner's current token, if they have one.
pub async fn token_of(db: &Db, owner: Owner) -> Result<Option<String>> {
    let (v, t) = owner.ids();
    let sql = format!("SELECT token FROM calendar_feeds WHERE {WHERE_OWNER}");
    db_read!(db, |p| Ok(sqlx::query_scalar(sqlx::AssertSqlSafe(&*sql)).bind(v).bind(t).fetch_optional(p).await?))
}

/// Gives the owner `token`, replace_rank (revoking) any token they had, in one
/// transaction: the old link stops working the moment the new one exists.
pub async fn replace(db: &Db, owner: Owner, token: &str) -> Result<()> {
    let (v, t) = owner.ids();
    let delete = format!("DELETE FROM calendar_feeds WHERE {WHERE_OWNER}");
    let insert = "INSERT INTO calendar_feeds (token, volunteer_id, team_id, created_at) VALUES ($1, $2, $3, $4)";
    db_write!(db, |p| {
        let mut tx = p.begin().await?;
        sqlx::query(sqlx::AssertSqlSafe(&*delete)).bind(v).bind(t).execute(&mut *tx).await?;
        sqlx::query(insert).bind(token).bind(v).bind(t).bind(now_ms()).execute(&mut *tx).await?;
        tx.commit().await?;
        Ok(())
    })
}

/// Gives the owner `token` unless they already have one; returns the one they hold.
pub async fn ensure(db: &Db, owner: Owner, token: &str) -> Result<String> {
    let (v, t) = owner.ids();
    let insert = "INSERT INTO calendar_feeds (token, volunteer_id, team_id, created_at) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING";
    db_write!(db, |p| sqlx::query(insert).bind(token).bind(v).bind(t).bind(now_ms()).execute(p).await?.rows_affected());
    token_of(db, owner).await?.ok_or(Error::NotFound)
}

/// Whose feed `token` is.
pub async fn owner(db: &Db, token: &str) -> Result<Option<Owner>> {
    let sql = "SELECT volunteer_id, team_id FROM calendar_feeds WHERE token = $1";
    let r: Option<(Option<i64>, Option<i64>)> = db_read!(db, |p| sqlx::query_as(sql).bind(token).fetch_optional(p).await?);
    Ok(r.and_then(|(v, t)| v.map(Owner::Volunteer).or(t.map(Owner::Team))))
}

/// One activity as a feed lists it.
#[derive(Debug, Clone, FromRow)]
pub struct FeedItem {
    pub id: i64,
    pub title: String,
    pub starts_at: i64,
    pub ends_at: i64,
    pub team_name: String,
    pub community_name: String,
    pub address: Option<String>,
    pub description: Option<String>,
    /// The volunteer's sign-up status (`confirmed`, `waitlisted`); `confirmed` for a team.
    pub status: String,
}

const ITEM: &str = "SELECT a.id, a.title, a.starts_at, a.ends_at, t.name AS team_name, c.name AS community_name, a.address, \
    a.description";
const JOINS: &str = "JOIN teams t ON t.id = a.team_id JOIN communities c ON c.id = a.community_id";

/// The activities a feed lists: ending after `since`, not cancelled, at most `limit`, soonest first.
pub async fn items(db: &Db, owner: Owner, since: i64, limit: i64) -> Result<Vec<FeedItem>> {
    let (sql, id) = match owner {
        Owner::Volunteer(v) => (
            format!(
                "{ITEM}, s.status FROM signups s JOIN activities a ON a.id = s.activity_id {JOINS} WHERE s.volunteer_id = $1 \
                 AND s.status IN ('confirmed', 'waitlisted') AND a.ends_at > $2 AND a.cancelled_at IS NULL \
                 ORDER BY a.starts_at, a.id LIMIT $3"
            ),
            v,
        ),
        Owner::Team(t) => (
            format!(
                "{ITEM}, 'confirmed' AS status FROM activities a {JOINS} WHERE a.team_id = $1 AND a.ends_at > $2 AND a.cancelled_at IS NULL \
                 ORDER BY a.starts_at, a.id LIMIT $3"
            ),
            t,
        ),
    };
    db_read!(db, |p| Ok(sqlx::query_as(sqlx::AssertSqlSafe(&*sql)).bind(id).bind(since).bind(limit).fetch_all(p).await?))
}
