//! Rounds and their stages; the scores frozen when review starts.

use sqlx::FromRow;
use tongxing_domain::honours::round::{CheckedRound, RoundInput, Stage};
use tongxing_domain::honours::view::Round;
use tongxing_domain::model::Paged;
use tongxing_domain::paging::Page;

use crate::outbox::Message;
use crate::{expect_one, now_ms, Db, Error, Result};

/// A stored round's row; criteria and quotas are JSON and the stage a code.
#[derive(FromRow)]
struct Row {
    id: i64,
    title: String,
    kind: String,
    period_from: String,
    period_to: String,
    min_hours: f64,
    min_activities: i64,
    criteria: String,
    quota_per_unit: Option<i64>,
    nominate_until: String,
    notice_days: i64,
    stage: String,
    scored_at: Option<i64>,
    notice_from: Option<i64>,
    notice_until: Option<i64>,
    published_at: Option<i64>,
    quotas: String,
}

/// A stored round as the domain shows it.
fn round(r: Row) -> Round {
    Round {
        id: r.id,
        title: r.title,
        kind: r.kind,
        period_from: r.period_from,
        period_to: r.period_to,
        min_hours: r.min_hours,
        min_activities: r.min_activities,
        criteria: serde_json::from_str(&r.criteria).unwrap_or_default(),
        quota_per_unit: r.quota_per_unit,
        quotas: serde_json::from_str(&r.quotas).unwrap_or_default(),
        nominate_until: r.nominate_until,
        notice_days: r.notice_days,
        stage: Stage::parse(&r.stage).unwrap_or(Stage::Nominating),
        scored_at: r.scored_at,
        notice_from: r.notice_from,
        notice_until: r.notice_until,
        published_at: r.published_at,
    }
}

/// One candidate's frozen score.
#[derive(Debug, Clone, FromRow)]
pub struct Score {
    pub subject_id: i64,
    pub eligible: bool,
    pub reason: Option<String>,
    pub score: f64,
    pub hours: f64,
    pub breakdown: String,
}

const COLUMNS: &str = "id, title, kind, period_from, period_to, min_hours, min_activities, criteria, quota_per_unit, nominate_until, \
                       notice_days, stage, scored_at, notice_from, notice_until, published_at, quotas";

/// Stores a checked round with its criteria and its own quotas as JSON.
pub async fn create(db: &Db, r: &RoundInput, c: &CheckedRound, (criteria, quotas): (&str, &str), by: i64) -> Result<i64> {
    let sql = "INSERT INTO honour_rounds (title, kind, period_from, period_to, min_hours, min_activities, criteria, quota_per_unit, \
               nominate_until, notice_days, stage, created_by, created_at, updated_at, quotas) \
               VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'nominating', $11, $12, $12, $13) RETURNING id";
    db_write!(db, |p| Ok(sqlx::query_scalar(sql)
        .bind(r.title.trim())
        .bind(&r.kind)
        .bind(c.period_from.to_string())
        .bind(c.period_to.to_string())
        .bind(c.min_hours)
        .bind(c.min_activities)
        .bind(criteria)
        .bind(r.quota_per_unit)
        .bind(c.nominate_until.to_string())
        .bind(r.notice_days)
        .bind(by)
        .bind(now_ms())
        .bind(quotas)
        .fetch_one(p)
        .await?))
}

pub async fn get(db: &Db, id: i64) -> Result<Round> {
    let sql = format!("SELECT {COLUMNS} FROM honour_rounds WHERE id = $1");
    let row: Row = db_read!(db, |p| sqlx::query_as(sqlx::AssertSqlSafe(&*sql)).bind(id).fetch_one(p).await?);
    Ok(round(row))
}

/// Newest first.
pub async fn list(db: &Db, page: Page) -> Result<Paged<Round>> {
    let sql = format!("SELECT {COLUMNS} FROM honour_rounds ORDER BY id DESC LIMIT $1 OFFSET $2");
    db_read!(db, |p| {
        let rows: Vec<Row> = sqlx::query_as(sqlx::AssertSqlSafe(&*sql)).bind(page.limit()).bind(page.offset()).fetch_all(p).await?;
        let total: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM honour_rounds").fetch_one(p).await?;
        Ok(Paged { items: rows.into_iter().map(round).collect(), total })
    })
}

/// Moves a round from nominating to review and freezes its scores, at `now`;
/// `Conflict` when it was no longer nominating.
pub async fn start_review(db: &Db, id: i64, now: i64, scores: &[Score]) -> Result<()> {
    let mark = "UPDATE honour_rounds SET stage = 'review', scored_at = $1, updated_at = $1 WHERE id = $2 AND stage = 'nominating'";
    let put =
        "INSERT INTO honour_scores (round_id, subject_id, eligible, reason, score, hours, breakdown) VALUES ($1, $2, $3, $4, $5, $6, $7)";
    db_write!(db, |p| {
        let mut tx = p.begin().await?;
        if sqlx::query(mark).bind(now).bind(id).execute(&mut *tx).await?.rows_affected() != 1 {
            return Err(Error::Conflict);
        }
        for s in scores {
            sqlx::query(put)
                .bind(id)
                .bind(s.subject_id)
                .bind(s.eligible)
                .bind(&s.reason)
                .bind(s.score)
                .bind(s.hours)
                .bind(&s.breakdown)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(())
    })
}

/// The scores frozen when review started.
pub async fn frozen(db: &Db, id: i64) -> Result<Vec<Score>> {
    let sql = "SELECT subject_id, eligible, reason, score, hours, breakdown FROM honour_scores WHERE round_id = $1";
    db_read!(db, |p| Ok(sqlx::query_as(sql).bind(id).fetch_all(p).await?))
}

/// Puts a round under review on public notice from `from` to `until`.
pub async fn start_notice(db: &Db, id: i64, from: i64, until: i64) -> Result<()> {
    let sql = "UPDATE honour_rounds SET stage = 'notice', notice_from = $1, notice_until = $2, updated_at = $1 WHERE id = $3 AND stage = 'review'";
    let done = db_write!(db, |p| sqlx::query(sql).bind(from).bind(until).bind(id).execute(p).await?.rows_affected());
    expect_one(done).map_err(|_| Error::Conflict)
}

/// One honour to write when a round is published.
pub struct NewAward {
    pub nomination_id: i64,
    pub volunteer_id: Option<i64>,
    pub team_id: Option<i64>,
    pub code: String,
}

/// Publishes a round on notice: its honours are written, its approved
/// nominations become honoured and the honourees' messages (SMS) are queued
/// in the outbox, together; `Conflict` when it was not on notice.
pub async fn publish(db: &Db, id: i64, year: i32, now: i64, awards: &[NewAward], messages: &[Message]) -> Result<()> {
    let mark = "UPDATE honour_rounds SET stage = 'published', published_at = $1, updated_at = $1 WHERE id = $2 AND stage = 'notice'";
    let put = "INSERT INTO honour_awards (round_id, nomination_id, volunteer_id, team_id, year, code, issued_at) VALUES ($1, $2, $3, $4, $5, $6, $7)";
    let honoured = "UPDATE honour_nominations SET status = 'honoured' WHERE id = $1";
    // The honouree's own account is told in-app, with the round's title; an
    // honoured team's, its leaders' accounts.
    let tell = "INSERT INTO notifications (user_id, at, kind, detail) SELECT u.id, $1, 'honoured', r.title || ' ' || $2 \
                FROM users u JOIN honour_rounds r ON r.id = $4 WHERE u.volunteer_id = $3";
    let tell_team = "INSERT INTO notifications (user_id, at, kind, detail) SELECT u.id, $1, 'honoured', r.title || ' ' || $2 \
                     FROM users u JOIN honour_rounds r ON r.id = $4 WHERE u.team_id = $3 AND u.role = 'team_leader' AND u.active = TRUE";
    db_write!(db, |p| {
        let mut tx = p.begin().await?;
        if sqlx::query(mark).bind(now).bind(id).execute(&mut *tx).await?.rows_affected() != 1 {
            return Err(Error::Conflict);
        }
        for a in awards {
            let q = sqlx::query(put).bind(id).bind(a.nomination_id).bind(a.volunteer_id).bind(a.team_id);
            q.bind(year as i64).bind(&a.code).bind(now).execute(&mut *tx).await?;
            sqlx::query(honoured).bind(a.nomination_id).execute(&mut *tx).await?;
            let (sql, subject) = match (a.volunteer_id, a.team_id) {
                (Some(v), _) => (tell, v),
                (None, Some(t)) => (tell_team, t),
                (None, None) => continue,
            };
            sqlx::query(sql).bind(now).bind(&a.code).bind(subject).bind(id).execute(&mut *tx).await?;
        }
        crate::outbox::enqueue_in!(tx, None::<i64>, messages.iter(), now);
        tx.commit().await?;
        Ok(())
    })
}

/// What the center's first screen says of the newest round still running.
#[derive(Debug, Clone, FromRow)]
pub struct Running {
    pub id: i64,
    pub title: String,
    pub stage: String,
    pub notice_until: Option<i64>,
    pub nominations: i64,
    pub undecided: i64,
    pub open_objections: i64,
}

/// The newest round not yet published, with its counts, in one read.
pub async fn running(db: &Db) -> Result<Option<Running>> {
    let sql = "SELECT r.id, r.title, r.stage, r.notice_until, \
               (SELECT COUNT(*) FROM honour_nominations n WHERE n.round_id = r.id) AS nominations, \
               (SELECT COUNT(*) FROM honour_nominations n WHERE n.round_id = r.id AND n.status = 'nominated') AS undecided, \
               (SELECT COUNT(*) FROM honour_objections o WHERE o.round_id = r.id AND o.status = 'open') AS open_objections \
               FROM honour_rounds r WHERE r.stage <> 'published' ORDER BY r.id DESC LIMIT 1";
    db_read!(db, |p| Ok(sqlx::query_as(sql).fetch_optional(p).await?))
}

/// The newest round taking nominations until `today` or later: (id, title, last day).
pub async fn nominating(db: &Db, today: &str) -> Result<Option<(i64, String, String)>> {
    let sql = "SELECT id, title, nominate_until FROM honour_rounds WHERE stage = 'nominating' AND nominate_until >= $1 \
               ORDER BY id DESC LIMIT 1";
    db_read!(db, |p| Ok(sqlx::query_as(sql).bind(today).fetch_optional(p).await?))
}
