//! Nominations with their citations and review decisions.

use sqlx::FromRow;

use crate::{expect_one, now_ms, Db, Error, Result};

/// A nomination with the names it is shown by.
#[derive(Debug, Clone, FromRow)]
pub struct Row {
    pub id: i64,
    pub round_id: i64,
    pub volunteer_id: Option<i64>,
    pub team_id: Option<i64>,
    pub name: String,
    pub quota_group: i64,
    pub group_name: String,
    pub citation: String,
    pub status: String,
    pub decision_note: Option<String>,
    pub nominated_by: Option<i64>,
}

/// What is written for a nomination; the quota is checked in the same transaction.
pub struct New<'a> {
    pub round_id: i64,
    pub volunteer_id: Option<i64>,
    pub team_id: Option<i64>,
    pub quota_group: i64,
    pub citation: &'a str,
    pub quota: Option<i64>,
}

const SELECT: &str = "SELECT n.id, n.round_id, n.volunteer_id, n.team_id, COALESCE(v.name, t.name) AS name, n.quota_group, \
    COALESCE(u.name, d.name) AS group_name, n.citation, n.status, n.decision_note, n.nominated_by \
    FROM honour_nominations n LEFT JOIN volunteers v ON v.id = n.volunteer_id LEFT JOIN units u ON u.id = v.unit_id \
    LEFT JOIN teams t ON t.id = n.team_id LEFT JOIN districts d ON d.id = t.district_id";

/// Inserts a nomination unless its group has used its quota: `Ok(None)` then;
/// `Conflict` for a second nomination of the same person or team.
pub async fn create(db: &Db, n: &New<'_>, by: i64) -> Result<Option<i64>> {
    let used = "SELECT COUNT(*) FROM honour_nominations WHERE round_id = $1 AND quota_group = $2 AND status NOT IN ('rejected', 'removed')";
    let twice = "SELECT COUNT(*) FROM honour_nominations WHERE round_id = $1 AND (volunteer_id = $2 OR team_id = $3)";
    let put = "INSERT INTO honour_nominations (round_id, volunteer_id, team_id, quota_group, citation, status, nominated_by, created_at) \
               VALUES ($1, $2, $3, $4, $5, 'nominated', $6, $7) RETURNING id";
    db_write!(db, |p| {
        let mut tx = p.begin().await?;
        let again: i64 = sqlx::query_scalar(twice).bind(n.round_id).bind(n.volunteer_id).bind(n.team_id).fetch_one(&mut *tx).await?;
        if again > 0 {
            return Err(Error::Conflict);
        }
        let taken: i64 = sqlx::query_scalar(used).bind(n.round_id).bind(n.quota_group).fetch_one(&mut *tx).await?;
        if n.quota.is_some_and(|q| taken >= q) {
            return Ok(None);
        }
        let q = sqlx::query_scalar(put).bind(n.round_id).bind(n.volunteer_id).bind(n.team_id).bind(n.quota_group);
        let id: i64 = q.bind(n.citation).bind(by).bind(now_ms()).fetch_one(&mut *tx).await?;
        tx.commit().await?;
        Ok(Some(id))
    })
}

pub async fn get(db: &Db, id: i64) -> Result<Row> {
    let sql = format!("{SELECT} WHERE n.id = $1");
    db_read!(db, |p| Ok(sqlx::query_as(sqlx::AssertSqlSafe(&*sql)).bind(id).fetch_one(p).await?))
}

/// A round's nominations in the order they came.
pub async fn of_round(db: &Db, round_id: i64) -> Result<Vec<Row>> {
    let sql = format!("{SELECT} WHERE n.round_id = $1 ORDER BY n.id");
    db_read!(db, |p| Ok(sqlx::query_as(sqlx::AssertSqlSafe(&*sql)).bind(round_id).fetch_all(p).await?))
}

/// Records a reviewer's decision (`approved` or `rejected`) on a nomination
/// of a round under review; `Conflict` when the round is not under review.
pub async fn decide(db: &Db, id: i64, status: &str, note: Option<&str>, by: i64) -> Result<()> {
    let sql = "UPDATE honour_nominations SET status = $1, decision_note = $2, decided_by = $3, decided_at = $4 \
               WHERE id = $5 AND status IN ('nominated', 'approved', 'rejected') \
               AND round_id IN (SELECT id FROM honour_rounds WHERE stage = 'review')";
    let done =
        db_write!(db, |p| sqlx::query(sql).bind(status).bind(note).bind(by).bind(now_ms()).bind(id).execute(p).await?.rows_affected());
    expect_one(done).map_err(|_| Error::Conflict)
}

/// One line of the public notice: no phone, no ID.
#[derive(Debug, Clone, FromRow)]
pub struct NoticeRow {
    pub id: i64,
    pub name: String,
    pub group_name: String,
    pub hours: f64,
    pub citation: String,
    pub score: f64,
    pub quota_group: i64,
}

/// A round's approved (or honoured) nominees with their frozen hours and scores, best first.
pub async fn on_notice(db: &Db, round_id: i64) -> Result<Vec<NoticeRow>> {
    let sql = "SELECT n.id, COALESCE(v.name, t.name) AS name, COALESCE(u.name, d.name) AS group_name, COALESCE(s.hours, 0) AS hours, \
               n.citation, COALESCE(s.score, 0) AS score, n.quota_group FROM honour_nominations n \
               LEFT JOIN honour_scores s ON s.round_id = n.round_id AND s.subject_id = COALESCE(n.volunteer_id, n.team_id) \
               LEFT JOIN volunteers v ON v.id = n.volunteer_id LEFT JOIN units u ON u.id = v.unit_id \
               LEFT JOIN teams t ON t.id = n.team_id LEFT JOIN districts d ON d.id = t.district_id \
               WHERE n.round_id = $1 AND n.status IN ('approved', 'honoured') ORDER BY score DESC, n.id";
    db_read!(db, |p| Ok(sqlx::query_as(sql).bind(round_id).fetch_all(p).await?))
}

/// Nominations still waiting for a decision.
pub async fn undecided(db: &Db, round_id: i64) -> Result<i64> {
    let sql = "SELECT COUNT(*) FROM honour_nominations WHERE round_id = $1 AND status = 'nominated'";
    db_read!(db, |p| Ok(sqlx::query_scalar(sql).bind(round_id).fetch_one(p).await?))
}
