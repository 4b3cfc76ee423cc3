//! Disputes of ledger entries: who may answer one (the team behind the
//! entry), the open ones a leader or the center must answer, and a
//! volunteer's own with their answers.

use sqlx::FromRow;
use tongxing_domain::dispute::Dispute;

use crate::{Db, Error, Result};

#[derive(FromRow)]
struct Row {
    id: i64,
    entry_id: i64,
    volunteer_id: i64,
    volunteer_name: String,
    reason: String,
    status: String,
    answer: Option<String>,
    answered_by: Option<String>,
    created_at: i64,
    what: Option<String>,
    served_on: String,
    hours: f64,
    team_id: Option<i64>,
}

impl From<Row> for Dispute {
    fn from(r: Row) -> Dispute {
        Dispute {
            id: r.id,
            entry_id: r.entry_id,
            volunteer_id: r.volunteer_id,
            volunteer_name: r.volunteer_name,
            reason: r.reason,
            status: r.status,
            answer: r.answer,
            answered_by: r.answered_by,
            created_at: r.created_at,
            what: r.what,
            served_on: r.served_on,
            hours: r.hours,
            team_id: r.team_id,
        }
    }
}

// Who answered, by name as the ledger shows people (`ledger.rs`).
const SELECT: &str = "SELECT d.id, d.entry_id, d.volunteer_id, v.name AS volunteer_name, d.reason, d.status, d.answer, \
    COALESCE(va.name, la.name, u.login) AS answered_by, d.created_at, COALESCE(a.title, n.title) AS what, e.served_on, e.hours, COALESCE(a.team_id, n.team_id) AS team_id \
    FROM hours_disputes d JOIN volunteers v ON v.id = d.volunteer_id JOIN hours_entries e ON e.id = d.entry_id \
    LEFT JOIN activities a ON a.id = e.activity_id LEFT JOIN needs n ON n.id = e.need_id LEFT JOIN users u ON u.id = d.answered_by \
    LEFT JOIN volunteers va ON va.id = u.volunteer_id LEFT JOIN teams ta ON ta.id = u.team_id \
    LEFT JOIN volunteers la ON la.id = ta.leader_volunteer_id";

/// One dispute, or `NotFound`.
pub async fn get(db: &Db, id: i64) -> Result<Dispute> {
    let sql = format!("{SELECT} WHERE d.id = $1");
    let r: Option<Row> = db_read!(db, |p| sqlx::query_as(sqlx::AssertSqlSafe(&*sql)).bind(id).fetch_optional(p).await?);
    r.map(Dispute::from).ok_or(Error::NotFound)
}

/// Open disputes, oldest first; only those of `team_id`'s activities and needs when given.
pub async fn open(db: &Db, team_id: Option<i64>, limit: i64) -> Result<Vec<Dispute>> {
    let sql = format!("{SELECT} WHERE d.status = 'open' AND ($1 IS NULL OR COALESCE(a.team_id, n.team_id) = $1) ORDER BY d.id LIMIT $2");
    let rows: Vec<Row> = db_read!(db, |p| sqlx::query_as(sqlx::AssertSqlSafe(&*sql)).bind(team_id).bind(limit).fetch_all(p).await?);
    Ok(rows.into_iter().map(Dispute::from).collect())
}

/// A volunteer's disputes, newest first, with their answers.
pub async fn of_volunteer(db: &Db, volunteer_id: i64, limit: i64) -> Result<Vec<Dispute>> {
    let sql = format!("{SELECT} WHERE d.volunteer_id = $1 ORDER BY d.id DESC LIMIT $2");
    let rows: Vec<Row> = db_read!(db, |p| sqlx::query_as(sqlx::AssertSqlSafe(&*sql)).bind(volunteer_id).bind(limit).fetch_all(p).await?);
    Ok(rows.into_iter().map(Dispute::from).collect())
}
