//! Accounts and their password hashes.

use sqlx::FromRow;
use tongxing_domain::model::{Paged, User};
use tongxing_domain::paging::Page;
use tongxing_domain::role::Role;

use crate::{now_ms, Db, Error, Result};

#[derive(FromRow, serde::Deserialize)]
struct Row {
    id: i64,
    login: String,
    role: String,
    unit_id: Option<i64>,
    team_id: Option<i64>,
    volunteer_id: Option<i64>,
    active: bool,
    name: Option<String>,
}

impl TryFrom<Row> for User {
    type Error = Error;
    fn try_from(r: Row) -> Result<User> {
        let role = Role::parse(&r.role).ok_or_else(|| Error::Dump(format!("unknown role {:?}", r.role)))?;
        Ok(User {
            id: r.id,
            login: r.login,
            role,
            unit_id: r.unit_id,
            team_id: r.team_id,
            volunteer_id: r.volunteer_id,
            active: r.active,
            name: r.name,
        })
    }
}

/// An account's columns and the name it is shown by (`u` the account); a
/// macro so the per-request session statement can be a literal.
macro_rules! user_columns {
    () => {
        "u.id, u.login, u.role, u.unit_id, u.team_id, u.volunteer_id, u.active, \
         COALESCE(u.name, (SELECT v.name FROM volunteers v WHERE v.id = u.volunteer_id)) AS name"
    };
}
const COLUMNS: &str = user_columns!();

fn select() -> String {
    format!("SELECT {COLUMNS} FROM users u")
}

/// What it takes to create an account; the password is already hashed.
#[derive(Debug, Clone)]
pub struct NewUser<'a> {
    pub login: &'a str,
    pub password_hash: &'a str,
    pub role: Role,
    pub unit_id: Option<i64>,
    pub team_id: Option<i64>,
    pub volunteer_id: Option<i64>,
    pub name: Option<&'a str>,
}

pub async fn create(db: &Db, u: &NewUser<'_>) -> Result<i64> {
    let sql = "INSERT INTO users (login, password_hash, role, unit_id, team_id, volunteer_id, created_at, name) \
               VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id";
    db_write!(db, |p| Ok(sqlx::query_scalar(sql)
        .bind(u.login)
        .bind(u.password_hash)
        .bind(u.role.as_str())
        .bind(u.unit_id)
        .bind(u.team_id)
        .bind(u.volunteer_id)
        .bind(now_ms())
        .bind(u.name)
        .fetch_one(p)
        .await?))
}

#[derive(FromRow)]
struct WithHash {
    #[sqlx(flatten)]
    user: Row,
    password_hash: String,
}

/// The account and its password hash, for checking a login.
pub async fn by_login(db: &Db, login: &str) -> Result<Option<(User, String)>> {
    let sql = format!("SELECT {COLUMNS}, u.password_hash FROM users u WHERE u.login = $1");
    let row: Option<WithHash> = db_read!(db, |p| sqlx::query_as(sqlx::AssertSqlSafe(&*sql)).bind(login).fetch_optional(p).await?);
    row.map(|r| Ok((User::try_from(r.user)?, r.password_hash))).transpose()
}

pub async fn get(db: &Db, id: i64) -> Result<User> {
    let sql = format!("{} WHERE u.id = $1", select());
    db_read!(db, |p| sqlx::query_as::<_, Row>(sqlx::AssertSqlSafe(&*sql)).bind(id).fetch_one(p).await?.try_into())
}

pub async fn list(db: &Db, page: Page) -> Result<Paged<User>> {
    let sql = format!("{} ORDER BY u.id LIMIT $1 OFFSET $2", select());
    db_read!(db, |p| {
        let rows: Vec<Row> = sqlx::query_as(sqlx::AssertSqlSafe(&*sql)).bind(page.limit()).bind(page.offset()).fetch_all(p).await?;
        let total: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM users").fetch_one(p).await?;
        Ok(Paged { items: rows.into_iter().map(User::try_from).collect::<Result<_>>()?, total })
    })
}

pub async fn count(db: &Db) -> Result<i64> {
    db_read!(db, |p| Ok(sqlx::query_scalar("SELECT COUNT(*) FROM users").fetch_one(p).await?))
}

pub async fn set_password(db: &Db, id: i64, password_hash: &str) -> Result<()> {
    let sql = "UPDATE users SET password_hash = $1 WHERE id = $2";
    crate::expect_one(db_write!(db, |p| sqlx::query(sql).bind(password_hash).bind(id).execute(p).await?.rows_affected()))
}

/// Deactivating an account ends its sessions at once (they check `active`).
pub async fn set_active(db: &Db, id: i64, active: bool) -> Result<()> {
    let sql = "UPDATE users SET active = $1 WHERE id = $2";
    crate::expect_one(db_write!(db, |p| sqlx::query(sql).bind(active).bind(id).execute(p).await?.rows_affected()))
}

/// The active account behind a live session, in one statement (it runs on every request).
pub async fn by_session(db: &Db, token_hash: &str) -> Result<Option<User>> {
    let sql = concat!(
        "SELECT ",
        user_columns!(),
        " FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = $1 AND s.expires_at > $2 AND u.active = TRUE"
    );
    let now = crate::now_ms();
    let row: Option<Row> = fetch_optional!(db, sql, token_hash, now)?;
    row.map(User::try_from).transpose()
}

/// `by_session` for several tokens at once, in the order asked. On
/// PostgreSQL one statement for all of them (the service groups the
/// session checks that miss its cache at the same moment, as it groups
/// hours pages: a round trip costs more than the lookup); on SQLite each is
/// its own direct read.
pub async fn by_sessions(db: &Db, token_hashes: &[String]) -> Result<Vec<Option<User>>> {
    let p = match db {
        Db::Sqlite { .. } => {
            let mut out = Vec::with_capacity(token_hashes.len());
            for h in token_hashes {
                out.push(by_session(db, h).await?);
            }
            return Ok(out);
        }
        Db::Postgres(p) => p,
    };
    #[derive(FromRow)]
    struct Found {
        i: i64,
        #[sqlx(flatten)]
        row: Row,
    }
    let sql = concat!(
        "SELECT q.i, ",
        user_columns!(),
        " FROM UNNEST($1::TEXT[]) WITH ORDINALITY AS q(token_hash, i) JOIN sessions s ON s.token_hash = q.token_hash \
         JOIN users u ON u.id = s.user_id WHERE s.expires_at > $2 AND u.active = TRUE"
    );
    let found: Vec<Found> = sqlx::query_as(sql).bind(token_hashes).bind(crate::now_ms()).fetch_all(p).await?;
    let mut out: Vec<Option<User>> = vec![None; token_hashes.len()];
    for f in found {
        if let Some(slot) = usize::try_from(f.i - 1).ok().and_then(|i| out.get_mut(i)) {
            *slot = Some(User::try_from(f.row)?);
        }
    }
    Ok(out)
}
