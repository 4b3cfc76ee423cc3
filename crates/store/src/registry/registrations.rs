//! People joining by themselves: one-time phone codes, and applications
//! until a leader or liaison decides. Approval writes the volunteer, their
//! account and the decision in one transaction.

use std::collections::HashMap;

use sqlx::FromRow;
use tongxing_domain::joining::{StoredCode, MAX_CODE_ATTEMPTS};
use tongxing_domain::model::{Paged, TeamRef};
use tongxing_domain::paging::Page;

use super::volunteers::{bind_record, replace_links, Record, INSERT};
use crate::outbox::{enqueue_in, Message};
use crate::sql::{paged, placeholders, Arg, Where};
use crate::{Db, Result};

/// Stores a fresh code for `phone` (replace_rank an earlier one and its count of
/// tries) and, when there is a gateway, the SMS that carries it.
pub async fn put_code(db: &Db, phone: &str, code_hash: &str, expires_at: i64, sms: &[Message], now: i64) -> Result<()> {
    let sql = "INSERT INTO phone_codes (phone, code_hash, expires_at, attempts, created_at) VALUES ($1, $2, $3, 0, $4) \
               ON CONFLICT (phone) DO UPDATE SET code_hash = $2, expires_at = $3, attempts = 0, created_at = $4";
    db_write!(db, |p| {
        let mut tx = p.begin().await?;
        sqlx::query(sql).bind(phone).bind(code_hash).bind(expires_at).bind(now).execute(&mut *tx).await?;
        enqueue_in!(tx, None::<i64>, sms, now, true);
        tx.commit().await?;
        Ok(())
    })
}

/// Uses up the code if it matches, is not expired and has tries left: one
/// conditional DELETE, so a code works once however many requests race.
pub async fn take_code(db: &Db, phone: &str, code_hash: &str, now: i64) -> Result<bool> {
    let sql = "DELETE FROM phone_codes WHERE phone = $1 AND code_hash = $2 AND expires_at > $3 AND attempts < $4";
    let n =
        db_write!(db, |p| sqlx::query(sql).bind(phone).bind(code_hash).bind(now).bind(MAX_CODE_ATTEMPTS).execute(p).await?.rows_affected());
    Ok(n == 1)
}

/// Counts a wrong try; returns the code as it was before it (none if there is no code).
pub async fn count_wrong_code(db: &Db, phone: &str) -> Result<Option<StoredCode>> {
    let sql = "UPDATE phone_codes SET attempts = attempts + 1 WHERE phone = $1 RETURNING expires_at, attempts - 1";
    let row: Option<(i64, i64)> = db_write!(db, |p| sqlx::query_as(sql).bind(phone).fetch_optional(p).await?);
    Ok(row.map(|(expires_at, attempts)| StoredCode { expires_at, attempts }))
}

/// Whether a waiting application already holds the phone or the ID number.
pub async fn pending_duplicate(db: &Db, phone: &str, id_hash: &str) -> Result<Option<&'static str>> {
    let sql = "SELECT phone = $1 FROM registrations WHERE status = 'pending' AND (phone = $1 OR id_number_hash = $2) LIMIT 1";
    let by_phone: Option<bool> = db_read!(db, |p| sqlx::query_scalar(sql).bind(phone).bind(id_hash).fetch_optional(p).await?);
    Ok(by_phone.map(|phone| if phone { "phone" } else { "id_number" }))
}

/// Whether an account already signs in with `login` (a joiner's login is their phone).
pub async fn login_taken(db: &Db, login: &str) -> Result<bool> {
    let n: i64 = db_read!(db, |p| sqlx::query_scalar("SELECT COUNT(*) FROM users WHERE login = $1").bind(login).fetch_one(p).await?);
    Ok(n > 0)
}

/// An application ready to store: checked, the ID encrypted, the password hashed.
#[derive(Debug, Clone)]
pub struct NewRegistration {
    pub name: String,
    pub phone: String,
    pub id_number_enc: String,
    pub id_number_hash: String,
    pub birth_date: String,
    pub unit_id: i64,
    pub community_id: i64,
    pub skills: Vec<String>,
    pub party_member: bool,
    pub password_hash: String,
    pub team_ids: Vec<i64>,
}

/// Stores a waiting application and its teams; `Conflict` when another
/// waiting one holds the phone or ID number (the partial unique indexes).
pub async fn create(db: &Db, r: &NewRegistration, now: i64) -> Result<i64> {
    let sql = "INSERT INTO registrations (name, phone, id_number_enc, id_number_hash, birth_date, unit_id, community_id, skills, \
               party_member, password_hash, status, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'pending', $11) RETURNING id";
    db_write!(db, |p| {
        let mut tx = p.begin().await?;
        let id: i64 = sqlx::query_scalar(sql)
            .bind(&r.name)
            .bind(&r.phone)
            .bind(&r.id_number_enc)
            .bind(&r.id_number_hash)
            .bind(&r.birth_date)
            .bind(r.unit_id)
            .bind(r.community_id)
            .bind(r.skills.join("\n"))
            .bind(r.party_member)
            .bind(&r.password_hash)
            .bind(now)
            .fetch_one(&mut *tx)
            .await?;
        for t in &r.team_ids {
            sqlx::query("INSERT INTO registration_teams (registration_id, team_id) VALUES ($1, $2)")
                .bind(id)
                .bind(*t)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(id)
    })
}

/// A stored application, the ID number still encrypted.
#[derive(Debug, Clone, FromRow, serde::Deserialize)]
pub struct Registration {
    pub id: i64,
    pub name: String,
    pub phone: String,
    pub id_number_enc: String,
    pub id_number_hash: String,
    pub birth_date: String,
    pub unit_id: i64,
    pub unit_name: String,
    pub community_id: i64,
    pub community_name: String,
    pub skills: String,
    pub party_member: bool,
    pub status: String,
    pub reason: Option<String>,
    pub decided_by: Option<i64>,
    pub decided_at: Option<i64>,
    pub volunteer_id: Option<i64>,
    pub created_at: i64,
    #[sqlx(skip)]
    #[serde(skip)]
    pub teams: Vec<TeamRef>,
}

const SELECT: &str =
    "SELECT r.id, r.name, r.phone, r.id_number_enc, r.id_number_hash, r.birth_date, r.unit_id, u.name AS unit_name, r.community_id, \
    c.name AS community_name, r.skills, r.party_member, r.status, r.reason, r.decided_by, r.decided_at, r.volunteer_id, r.created_at \
    FROM registrations r JOIN units u ON u.id = r.unit_id JOIN communities c ON c.id = r.community_id";

/// Which applications: one status, and the reach of who asks (a unit's
/// liaison sees the unit's, a leader those naming the team; both for one who is both).
#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub status: Option<String>,
    pub unit_id: Option<i64>,
    pub team_id: Option<i64>,
}

fn filter(f: &Filter) -> Where {
    let mut w = Where::default();
    if let Some(s) = &f.status {
        w.and("r.status = ?", [Arg::Text(s.clone())]);
    }
    let team = "EXISTS (SELECT 1 FROM registration_teams rt WHERE rt.registration_id = r.id AND rt.team_id = ?)";
    match (f.unit_id, f.team_id) {
        (Some(u), Some(t)) => w.and(&format!("r.unit_id = ? OR {team}"), [Arg::I64(u), Arg::I64(t)]),
        (Some(u), None) => w.and("r.unit_id = ?", [Arg::I64(u)]),
        (None, Some(t)) => w.and(team, [Arg::I64(t)]),
        (None, None) => &mut w,
    };
    w
}

/// Oldest first: the one who has waited longest is decided first.
pub async fn list(db: &Db, f: &Filter, page: Page) -> Result<Paged<Registration>> {
    let (rows, total) = paged::<Registration>(db, SELECT, "registrations r", &filter(f), "r.id", page).await?;
    Ok(Paged { items: with_teams(db, rows).await?, total })
}

/// How many applications match, without reading them (a first screen's count).
pub async fn count(db: &Db, f: &Filter) -> Result<i64> {
    let w = filter(f);
    let sql = format!("SELECT COUNT(*) FROM registrations r{}", w.sql());
    db_read!(db, |p| Ok(bind_args!(sqlx::query_scalar(sqlx::AssertSqlSafe(&*sql)), w.args).fetch_one(p).await?))
}

pub async fn get(db: &Db, id: i64) -> Result<Registration> {
    let sql = format!("{SELECT} WHERE r.id = $1");
    let row: Registration = db_read!(db, |p| sqlx::query_as(sqlx::AssertSqlSafe(&*sql)).bind(id).fetch_one(p).await?);
    Ok(with_teams(db, vec![row]).await?.remove(0))
}

async fn with_teams(db: &Db, mut rows: Vec<Registration>) -> Result<Vec<Registration>> {
    if rows.is_empty() {
        return Ok(rows);
    }
    let sql = format!(
        "SELECT rt.registration_id, t.id, t.name FROM registration_teams rt JOIN teams t ON t.id = rt.team_id \
         WHERE rt.registration_id IN ({}) ORDER BY t.id",
        placeholders(1, rows.len())
    );
    let links: Vec<(i64, i64, String)> = db_read!(db, |p| {
        let mut q = sqlx::query_as(sqlx::AssertSqlSafe(&*sql));
        for r in &rows {
            q = q.bind(r.id);
        }
        q.fetch_all(p).await?
    });
    let mut of: HashMap<i64, Vec<TeamRef>> = HashMap::new();
    for (rid, id, name) in links {
        of.entry(rid).or_default().push(TeamRef { id, name });
    }
    rows.iter_mut().for_each(|r| r.teams = of.remove(&r.id).unwrap_or_default());
    Ok(rows)
}

const DECIDE: &str =
    "UPDATE registrations SET status = $1, reason = $2, decided_by = $3, decided_at = $4 WHERE id = $5 AND status = 'pending'";

/// Declines a waiting application and queues the SMS telling why; false if
/// it was no longer waiting (someone decided first).
pub async fn decline(db: &Db, id: i64, by: i64, reason: &str, sms: &[Message], now: i64) -> Result<bool> {
    db_write!(db, |p| {
        let mut tx = p.begin().await?;
        let n = sqlx::query(DECIDE).bind("declined").bind(reason).bind(by).bind(now).bind(id).execute(&mut *tx).await?.rows_affected();
        if n == 1 {
            enqueue_in!(tx, None::<i64>, sms, now);
        }
        tx.commit().await?;
        Ok(n == 1)
    })
}

/// Approves a waiting application: the volunteer record, an account signing
/// in with the phone and the password chosen at registration (the hash goes
/// from row to row, never through the application), the decision and the
/// SMS, all or nothing. `None` if it was no longer waiting.
pub async fn approve(db: &Db, id: i64, by: i64, volunteer: &Record, note: Option<&str>, sms: &[Message], now: i64) -> Result<Option<i64>> {
    let account = "INSERT INTO users (login, password_hash, role, volunteer_id, created_at) \
                   SELECT phone, password_hash, 'volunteer', $1, $2 FROM registrations WHERE id = $3";
    db_write!(db, |p| {
        let mut tx = p.begin().await?;
        let n = sqlx::query(DECIDE).bind("approved").bind(note).bind(by).bind(now).bind(id).execute(&mut *tx).await?.rows_affected();
        if n == 0 {
            return Ok(None);
        }
        let vid: i64 = bind_record!(sqlx::query_scalar(INSERT), volunteer, now).fetch_one(&mut *tx).await?;
        replace_links!(tx, vid, volunteer);
        sqlx::query(account).bind(vid).bind(now).bind(id).execute(&mut *tx).await?;
        sqlx::query("UPDATE registrations SET volunteer_id = $1 WHERE id = $2").bind(vid).bind(id).execute(&mut *tx).await?;
        enqueue_in!(tx, None::<i64>, sms, now);
        tx.commit().await?;
        Ok(Some(vid))
    })
}
