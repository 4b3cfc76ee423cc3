//! Trades with their ladder rules, and people's certifications.

use serde::Deserialize;
use tongxing_domain::skills::views::Certification;

use super::{level_code, select};
use crate::sql::Arg;
use crate::{now_ms, Db, Error, Result};

#[derive(Debug, Clone, Deserialize)]
pub struct TradeRow {
    pub id: i64,
    pub code: String,
    pub name: String,
}

/// A trade's own rule: (trade, level moved up from, years, hours).
#[derive(Debug, Clone, Copy, Deserialize)]
pub struct RuleRow {
    pub trade_id: i64,
    pub level: i64,
    pub years: i64,
    pub hours: i64,
}

/// A new trade and its own rules (level, years, hours); 409 on a taken code or name.
pub async fn insert_trade(db: &Db, code: &str, name: &str, rules: &[(i64, i64, i64)]) -> Result<i64> {
    let now = now_ms();
    db_write!(db, |p| {
        let mut tx = p.begin().await?;
        let id: i64 = sqlx::query_scalar("INSERT INTO skill_trades (code, name, created_at) VALUES ($1, $2, $3) RETURNING id")
            .bind(code)
            .bind(name)
            .bind(now)
            .fetch_one(&mut *tx)
            .await?;
        for &(level, years, hours) in rules {
            sqlx::query("INSERT INTO skill_trade_rules (trade_id, level, years, hours) VALUES ($1, $2, $3, $4)")
                .bind(id)
                .bind(level)
                .bind(years)
                .bind(hours)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok::<_, Error>(id)
    })
}

pub async fn trades(db: &Db) -> Result<Vec<TradeRow>> {
    select(db, "SELECT id, code, name FROM skill_trades ORDER BY id", &[]).await
}

pub async fn rules(db: &Db) -> Result<Vec<RuleRow>> {
    select(db, "SELECT trade_id, level, years, hours FROM skill_trade_rules ORDER BY trade_id, level", &[]).await
}

pub async fn trade_by_code(db: &Db, code: &str) -> Result<Option<TradeRow>> {
    let sql = "SELECT id, code, name FROM skill_trades WHERE code = $1";
    Ok(select(db, sql, &[Arg::Text(code.trim().to_string())]).await?.pop())
}

/// A person's highest certification in a trade: (level, day).
pub async fn highest(db: &Db, volunteer_id: i64, trade_id: i64) -> Result<Option<(i64, String)>> {
    #[derive(Deserialize)]
    struct H {
        level: i64,
        certified_on: String,
    }
    let sql = "SELECT level, certified_on FROM skill_certifications WHERE volunteer_id = $1 AND trade_id = $2 ORDER BY level DESC LIMIT 1";
    let h: Option<H> = select(db, sql, &[Arg::I64(volunteer_id), Arg::I64(trade_id)]).await?.pop();
    Ok(h.map(|h| (h.level, h.certified_on)))
}

/// Whether an issuer already gave a certificate number.
pub async fn number_taken(db: &Db, issuer: &str, certificate_no: &str) -> Result<bool> {
    let sql = "SELECT COUNT(*) AS n FROM skill_certifications WHERE issuer = $1 AND certificate_no = $2";
    Ok(super::count(db, sql, &[Arg::Text(issuer.to_string()), Arg::Text(certificate_no.to_string())]).await? > 0)
}

/// A certification to record.
#[derive(Debug, Clone)]
pub struct NewCertification {
    pub volunteer_id: i64,
    pub trade_id: i64,
    pub level: i64,
    pub certified_on: String,
    pub certificate_no: String,
    pub issuer: String,
    pub direct_reason: Option<String>,
    pub by: Option<i64>,
}

const INSERT_CERT: &str = "INSERT INTO skill_certifications (volunteer_id, trade_id, level, certified_on, certificate_no, issuer, \
    direct_reason, recorded_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)";

/// Records certifications in one transaction. A duplicate number of the
/// same issuer, or a second certificate of a level, fails the whole (409).
pub async fn insert(db: &Db, certs: &[NewCertification]) -> Result<()> {
    let now = now_ms();
    db_write!(db, |p| {
        let mut tx = p.begin().await?;
        for c in certs {
            sqlx::query(INSERT_CERT)
                .bind(c.volunteer_id)
                .bind(c.trade_id)
                .bind(c.level)
                .bind(&c.certified_on)
                .bind(&c.certificate_no)
                .bind(&c.issuer)
                .bind(&c.direct_reason)
                .bind(c.by)
                .bind(now)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok::<_, Error>(())
    })
}

fn cert_select() -> String {
    format!(
        "SELECT c.id AS id, c.volunteer_id AS person_id, v.name AS person_name, t.code AS trade, t.name AS trade_name, {} AS level, \
         c.certified_on AS certified_on, c.certificate_no AS certificate_no, c.issuer AS issuer, c.direct_reason AS direct_reason \
         FROM skill_certifications c JOIN volunteers v ON v.id = c.volunteer_id JOIN skill_trades t ON t.id = c.trade_id",
        level_code("c.level")
    )
}

/// A person's certifications, by trade and level.
pub async fn of_person(db: &Db, volunteer_id: i64) -> Result<Vec<Certification>> {
    let sql = format!("{} WHERE c.volunteer_id = $1 ORDER BY t.id, c.level", cert_select());
    select(db, &sql, &[Arg::I64(volunteer_id)]).await
}

/// Each person's highest certification per trade, with the training hours
/// attended in that trade since it and whether they passed an exam since.
#[derive(Debug, Clone, Deserialize)]
pub struct ProgressRow {
    /// The highest certification's own id (what a reminder is kept by).
    pub certification_id: i64,
    pub person_id: i64,
    pub unit_id: i64,
    pub name: String,
    pub unit_name: String,
    pub trade_id: i64,
    pub trade: String,
    pub trade_name: String,
    pub level: i64,
    pub certified_on: String,
    pub hours: f64,
    pub assessed: i64,
}

/// The progress of active people below the top level, of one unit and
/// trade (0: any), certified no later than `latest` (a later day cannot
/// meet the years within the window); with `unreminded`, only those not yet
/// reminded of the level above.
pub async fn progress(db: &Db, unit_id: i64, trade_id: i64, latest: &str, unreminded: bool) -> Result<Vec<ProgressRow>> {
    const SQL: &str = "SELECT c.id AS certification_id, c.volunteer_id AS person_id, v.unit_id AS unit_id, v.name AS name, u.name AS unit_name, c.trade_id AS trade_id, t.code AS trade, \
        t.name AS trade_name, c.level AS level, c.certified_on AS certified_on, \
        COALESCE((SELECT SUM(l.hours) FROM skill_training_attendance a JOIN skill_training_lessons l ON l.id = a.lesson_id \
            JOIN skill_trainings tr ON tr.id = l.training_id \
            WHERE a.volunteer_id = c.volunteer_id AND tr.trade_id = c.trade_id AND l.held_on >= c.certified_on), 0.0) AS hours, \
        CASE WHEN EXISTS (SELECT 1 FROM skill_training_enrolments e JOIN skill_trainings tr ON tr.id = e.training_id \
            WHERE e.volunteer_id = c.volunteer_id AND tr.trade_id = c.trade_id AND e.passed AND tr.ends_on >= c.certified_on) \
            THEN 1 ELSE 0 END AS assessed \
        FROM skill_certifications c JOIN volunteers v ON v.id = c.volunteer_id JOIN units u ON u.id = v.unit_id \
        JOIN skill_trades t ON t.id = c.trade_id \
        WHERE v.active = TRUE AND c.level < 5 AND ($1 = 0 OR v.unit_id = $1) AND ($2 = 0 OR c.trade_id = $2) AND c.certified_on <= $3 \
        AND NOT EXISTS (SELECT 1 FROM skill_certifications h WHERE h.volunteer_id = c.volunteer_id AND h.trade_id = c.trade_id AND h.level > c.level) \
        AND ($4 = 0 OR NOT EXISTS (SELECT 1 FROM skill_eligibility_reminders r WHERE r.certification_id = c.id)) \
        ORDER BY c.certified_on, c.volunteer_id";
    let args = [Arg::I64(unit_id), Arg::I64(trade_id), Arg::Text(latest.to_string()), Arg::I64(i64::from(unreminded))];
    select(db, SQL, &args).await
}
