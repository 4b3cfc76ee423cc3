//! 师带徒 agreements and what became of each apprentice.

use serde::Deserialize;
use tongxing_domain::skills::views::{Assessment, Mentorship};

use super::{count, level_code, select};
use crate::sql::Arg;
use crate::{now_ms, Db, Error, Result};

#[derive(Debug, Clone)]
pub struct NewMentorship {
    pub mentor_id: i64,
    pub apprentice_id: i64,
    pub trade_id: i64,
    pub from_level: i64,
    pub target_level: i64,
    pub starts_on: String,
    pub ends_on: String,
    pub goals: Option<String>,
    pub by: Option<i64>,
}

const INSERT: &str =
    "INSERT INTO skill_apprenticeships (mentor_id, apprentice_id, trade_id, from_level, target_level, starts_on, ends_on, \
    goals, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id";

/// Writes agreements in one transaction; their ids in order.
pub async fn insert(db: &Db, all: &[NewMentorship]) -> Result<Vec<i64>> {
    let now = now_ms();
    db_write!(db, |p| {
        let mut tx = p.begin().await?;
        let mut ids = Vec::with_capacity(all.len());
        for m in all {
            let id: i64 = sqlx::query_scalar(INSERT)
                .bind(m.mentor_id)
                .bind(m.apprentice_id)
                .bind(m.trade_id)
                .bind(m.from_level)
                .bind(m.target_level)
                .bind(&m.starts_on)
                .bind(&m.ends_on)
                .bind(&m.goals)
                .bind(m.by)
                .bind(now)
                .fetch_one(&mut *tx)
                .await?;
            ids.push(id);
        }
        tx.commit().await?;
        Ok::<_, Error>(ids)
    })
}

fn mentorship_select() -> String {
    format!(
        "SELECT m.id AS id, m.mentor_id AS mentor_id, mv.name AS mentor_name, m.apprentice_id AS apprentice_id, av.name AS apprentice_name, \
         t.code AS trade, t.name AS trade_name, {} AS from_level, {} AS target_level, m.starts_on AS starts_on, m.ends_on AS ends_on, \
         m.goals AS goals, m.completed_on AS completed_on, m.final_score AS final_score, m.final_comment AS final_comment, \
         (SELECT COUNT(*) FROM skill_apprenticeship_assessments s WHERE s.apprenticeship_id = m.id) AS assessments \
         FROM skill_apprenticeships m JOIN volunteers mv ON mv.id = m.mentor_id JOIN volunteers av ON av.id = m.apprentice_id \
         JOIN skill_trades t ON t.id = m.trade_id",
        level_code("m.from_level"),
        level_code("m.target_level")
    )
}

/// Agreements of a mentor, an apprentice, or the apprentices of a unit (0: any).
pub async fn list(db: &Db, person_id: i64, unit_id: i64, limit: i64, offset: i64) -> Result<(Vec<Mentorship>, i64)> {
    let which = "($1 = 0 OR m.mentor_id = $1 OR m.apprentice_id = $1) AND ($2 = 0 OR av.unit_id = $2)";
    let sql = format!("{} WHERE {which} ORDER BY m.id DESC LIMIT {limit} OFFSET {offset}", mentorship_select());
    let args = [Arg::I64(person_id), Arg::I64(unit_id)];
    let items = select(db, &sql, &args).await?;
    let total = count(
        db,
        &format!("SELECT COUNT(*) AS n FROM skill_apprenticeships m JOIN volunteers av ON av.id = m.apprentice_id WHERE {which}"),
        &args,
    )
    .await?;
    Ok((items, total))
}

/// One agreement, with the apprentice's unit (for reach).
pub async fn get(db: &Db, id: i64) -> Result<(Mentorship, i64)> {
    #[derive(Deserialize)]
    struct Row {
        #[serde(flatten)]
        m: Mentorship,
        apprentice_unit: i64,
    }
    let sql = format!("{} WHERE m.id = $1", mentorship_select().replacen("SELECT ", "SELECT av.unit_id AS apprentice_unit, ", 1));
    let r: Row = select(db, &sql, &[Arg::I64(id)]).await?.pop().ok_or(Error::NotFound)?;
    Ok((r.m, r.apprentice_unit))
}

/// An agreement's assessments, by period.
pub async fn assessments(db: &Db, id: i64) -> Result<Vec<Assessment>> {
    let sql = "SELECT s.id AS id, s.scope AS scope, s.period AS period, s.score AS score, s.comment AS comment, \
        COALESCE(v.name, u.name) AS by_name, s.recorded_at AS recorded_at FROM skill_apprenticeship_assessments s \
        LEFT JOIN users u ON u.id = s.recorded_by LEFT JOIN volunteers v ON v.id = u.volunteer_id \
        WHERE s.apprenticeship_id = $1 ORDER BY s.period, s.scope, s.id";
    select(db, sql, &[Arg::I64(id)]).await
}

/// An assessment to record.
#[derive(Debug, Clone)]
pub struct NewAssessment {
    pub apprenticeship_id: i64,
    pub scope: String,
    pub period: String,
    pub score: i64,
    pub comment: Option<String>,
    pub by: Option<i64>,
}

/// Records assessments in one transaction; a second of the same scope and
/// period fails the whole (409).
pub async fn assess(db: &Db, all: &[NewAssessment]) -> Result<()> {
    let now = now_ms();
    db_write!(db, |p| {
        let mut tx = p.begin().await?;
        for a in all {
            sqlx::query(
                "INSERT INTO skill_apprenticeship_assessments (apprenticeship_id, scope, period, score, comment, recorded_by, recorded_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7)",
            )
            .bind(a.apprenticeship_id)
            .bind(&a.scope)
            .bind(&a.period)
            .bind(a.score)
            .bind(&a.comment)
            .bind(a.by)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok::<_, Error>(())
    })
}

/// 出师: completes an agreement not yet completed; false when it already was
/// (the conditional UPDATE decides between racing requests).
pub async fn complete(db: &Db, id: i64, on: &str, score: i64, comment: Option<&str>) -> Result<bool> {
    let sql =
        "UPDATE skill_apprenticeships SET completed_on = $1, final_score = $2, final_comment = $3 WHERE id = $4 AND completed_on IS NULL";
    db_write!(db, |p| Ok(sqlx::query(sql).bind(on).bind(score).bind(comment).bind(id).execute(p).await?.rows_affected() == 1))
}

/// One apprentice of a mentor, read from the records.
#[derive(Debug, Clone, Deserialize)]
pub struct ApprenticeRow {
    pub mentorship_id: i64,
    pub person_id: i64,
    pub name: String,
    pub trade: String,
    pub trade_name: String,
    pub starts_on: String,
    /// The highest level in the agreement's trade now (0: none).
    pub level: i64,
    pub certifications_since: i64,
    pub completed: i64,
    /// Competition awards won since the agreement started.
    pub awards: i64,
}

/// A trade an apprentice was certified in since their agreement started.
#[derive(Debug, Clone, Deserialize)]
pub struct CertifiedSince {
    pub person_id: i64,
    pub trade_name: String,
}

/// A mentor's apprentices (latest agreement per apprentice and trade) and
/// the trades each was certified in since.
pub async fn apprentices(db: &Db, mentor_id: i64) -> Result<(Vec<ApprenticeRow>, Vec<CertifiedSince>)> {
    let people = "SELECT m.id AS mentorship_id, m.apprentice_id AS person_id, v.name AS name, t.code AS trade, t.name AS trade_name, m.starts_on AS starts_on, \
        COALESCE((SELECT MAX(c.level) FROM skill_certifications c WHERE c.volunteer_id = m.apprentice_id AND c.trade_id = m.trade_id), 0) AS level, \
        (SELECT COUNT(*) FROM skill_certifications c WHERE c.volunteer_id = m.apprentice_id AND c.certified_on >= m.starts_on) AS certifications_since, \
        CASE WHEN m.completed_on IS NULL THEN 0 ELSE 1 END AS completed, \
        (SELECT COUNT(*) FROM skill_competition_entries e JOIN skill_competitions c ON c.id = e.competition_id \
            WHERE e.volunteer_id = m.apprentice_id AND e.award IS NOT NULL AND c.held_on >= m.starts_on) AS awards \
        FROM skill_apprenticeships m JOIN volunteers v ON v.id = m.apprentice_id JOIN skill_trades t ON t.id = m.trade_id \
        WHERE m.mentor_id = $1 ORDER BY v.name, m.id";
    let trades = "SELECT DISTINCT m.apprentice_id AS person_id, t.name AS trade_name FROM skill_apprenticeships m \
        JOIN skill_certifications c ON c.volunteer_id = m.apprentice_id AND c.certified_on >= m.starts_on \
        JOIN skill_trades t ON t.id = c.trade_id WHERE m.mentor_id = $1";
    let args = [Arg::I64(mentor_id)];
    Ok((select(db, people, &args).await?, select(db, trades, &args).await?))
}
