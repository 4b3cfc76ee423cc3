//! Trades with their ladder rules, and people's certifications.

use serde::Deserialize;
use tongxing_domain::skills::views::Certification;

use super::{level_code, select};
use crate::sections::{read, rows};
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
    let sql = "SELECT level, certified_on FROM skill_highest WHERE volunteer_id = $1 AND trade_id = $2";
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
    direct_reason, recorded_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id";

/// Keeps `skill_highest` the person's highest level in the trade: a level
/// above the one kept replaces it (levels only go up, so one recorded below
/// the top changes nothing).
const KEEP_HIGHEST: &str = "INSERT INTO skill_highest (volunteer_id, trade_id, certification_id, level, certified_on) \
    VALUES ($1, $2, $3, $4, $5) ON CONFLICT (volunteer_id, trade_id) DO UPDATE SET certification_id = excluded.certification_id, \
    level = excluded.level, certified_on = excluded.certified_on WHERE excluded.level > skill_highest.level";

/// Fills `skill_highest` for every person and trade it lacks, from the
/// certifications (a restored dump written before the table existed).
pub(crate) const FILL_HIGHEST: &str = "INSERT INTO skill_highest (volunteer_id, trade_id, certification_id, level, certified_on) \
    SELECT c.volunteer_id, c.trade_id, c.id, c.level, c.certified_on FROM skill_certifications c \
    WHERE NOT EXISTS (SELECT 1 FROM skill_certifications h WHERE h.volunteer_id = c.volunteer_id AND h.trade_id = c.trade_id AND h.level > c.level) \
    ON CONFLICT (volunteer_id, trade_id) DO NOTHING";

/// Records certifications in one transaction, each person's highest per
/// trade kept with them. A duplicate number of the same issuer, or a second
/// certificate of a level, fails the whole (409).
pub async fn insert(db: &Db, certs: &[NewCertification]) -> Result<()> {
    let now = now_ms();
    db_write!(db, |p| {
        let mut tx = p.begin().await?;
        for c in certs {
            let id: i64 = sqlx::query_scalar(INSERT_CERT)
                .bind(c.volunteer_id)
                .bind(c.trade_id)
                .bind(c.level)
                .bind(&c.certified_on)
                .bind(&c.certificate_no)
                .bind(&c.issuer)
                .bind(&c.direct_reason)
                .bind(c.by)
                .bind(now)
                .fetch_one(&mut *tx)
                .await?;
            sqlx::query(KEEP_HIGHEST)
                .bind(c.volunteer_id)
                .bind(c.trade_id)
                .bind(id)
                .bind(c.level)
                .bind(&c.certified_on)
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

/// A line of the eligibility list as stored: a person's highest
/// certification in a trade, with the training hours attended in that trade
/// since it and whether they passed an exam since.
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

/// What one trade's level asks, as days the stored day is compared with:
/// certified on or before `now_by`, the years are complete today; on or
/// before `soon_by`, within the window looked at.
#[derive(Debug, Clone)]
pub struct Cutoff {
    pub trade_id: i64,
    pub level: i64,
    pub now_by: String,
    pub soon_by: String,
    pub hours: i64,
}

/// Which lines of the list: active people of a unit and trade (0: any) at
/// a level below the top (one `Cutoff` each); with `soon`, those whose
/// years complete by `soon_by` too, else only those eligible now; with
/// `unreminded`, only people not yet reminded of their next level.
#[derive(Debug, Clone)]
pub struct Lines<'a> {
    pub unit_id: i64,
    pub trade_id: i64,
    pub cutoffs: &'a [Cutoff],
    pub soon: bool,
    pub unreminded: bool,
}

/// How many lines, and how many of them may apply now.
#[derive(Debug, Clone, Copy, Default, Deserialize)]
pub struct LineCounts {
    pub total: i64,
    pub now: i64,
}

/// Lesson hours attended in the trade since the level of `h`. Reached from
/// the attendance's person index, so a person who attended nothing costs one seek.
fn hours_of(h: &str) -> String {
    format!(
        "COALESCE((SELECT SUM(l.hours) FROM skill_training_attendance a JOIN skill_training_lessons l ON l.id = a.lesson_id \
         JOIN skill_trainings tr ON tr.id = l.training_id \
         WHERE a.volunteer_id = {h}.volunteer_id AND tr.trade_id = {h}.trade_id AND l.held_on >= {h}.certified_on), 0.0)"
    )
}

/// Whether an exam in the trade was passed since the level of `h` (the
/// enrolments' person index, then the class by its key).
fn assessed_of(h: &str) -> String {
    format!(
        "EXISTS (SELECT 1 FROM skill_training_enrolments e JOIN skill_trainings tr ON tr.id = e.training_id \
         WHERE e.volunteer_id = {h}.volunteer_id AND e.passed AND tr.trade_id = {h}.trade_id AND tr.ends_on >= {h}.certified_on)"
    )
}

/// The lines' statement with its arguments; `is_now` tells each line's
/// standing (for counting), else it is 0 (a page sums only its own hours).
/// The cheap day test comes first, so the hours are summed only for those
/// whose years are complete and who passed an exam.
fn lines_sql(l: &Lines, is_now: bool) -> (String, Vec<Arg>) {
    let mut args = Vec::new();
    let mut values = Vec::new();
    for c in l.cutoffs {
        let n = args.len();
        values.push(format!("(${}, ${}, ${}, ${}, ${})", n + 1, n + 2, n + 3, n + 4, n + 5));
        args.extend([
            Arg::I64(c.trade_id),
            Arg::I64(c.level),
            Arg::Text(c.now_by.clone()),
            Arg::Text(c.soon_by.clone()),
            Arg::I64(c.hours),
        ]);
    }
    let mut sql = format!("WITH cut (trade_id, level, now_by, soon_by, hours) AS (VALUES {}) ", values.join(", "));
    sql += "SELECT h.certification_id, h.volunteer_id, h.trade_id, h.level, h.certified_on, v.unit_id, v.name, ";
    sql += &if is_now { format!("CASE WHEN {} THEN 1 ELSE 0 END AS is_now ", now_test()) } else { "0 AS is_now ".to_string() };
    // People first, then their few rows, then the cut-off of each: SQLite
    // takes CROSS JOIN's order as written (joined on `cut` first, it walked
    // the unit once per trade and level); PostgreSQL plans it as any join.
    sql += "FROM volunteers v CROSS JOIN skill_highest h CROSS JOIN cut \
            WHERE h.volunteer_id = v.id AND cut.trade_id = h.trade_id AND cut.level = h.level \
            AND v.active = TRUE AND h.certified_on <= cut.soon_by";
    // Static conditions, so the unit's index is used (`$n = 0 OR …` would hide it).
    if l.unit_id != 0 {
        args.push(Arg::I64(l.unit_id));
        sql += &format!(" AND v.unit_id = ${}", args.len());
    }
    if l.trade_id != 0 {
        args.push(Arg::I64(l.trade_id));
        sql += &format!(" AND h.trade_id = ${}", args.len());
    }
    if l.unreminded {
        sql += " AND NOT EXISTS (SELECT 1 FROM skill_eligibility_reminders r WHERE r.certification_id = h.certification_id)";
    }
    if !l.soon {
        sql += &format!(" AND {}", now_test());
    }
    (sql, args)
}

/// Eligible now: the years complete today, an exam passed and the hours reached.
fn now_test() -> String {
    format!("(h.certified_on <= cut.now_by AND {} AND {} >= cut.hours)", assessed_of("h"), hours_of("h"))
}

/// One page of the lines, earliest certified first, and the counts of all.
pub async fn progress(db: &Db, l: &Lines<'_>, limit: i64, offset: i64) -> Result<(LineCounts, Vec<ProgressRow>)> {
    if l.cutoffs.is_empty() {
        return Ok((LineCounts::default(), Vec::new()));
    }
    let (lines, _) = lines_sql(l, true);
    let counts = format!("SELECT COUNT(*) AS total, COUNT(CASE WHEN x.is_now = 1 THEN 1 END) AS now FROM ({lines}) x");
    let (picked, mut args) = lines_sql(l, false);
    args.push(Arg::I64(limit));
    args.push(Arg::I64(offset));
    let page = format!(
        "SELECT p.certification_id AS certification_id, p.volunteer_id AS person_id, p.unit_id AS unit_id, p.name AS name, \
         u.name AS unit_name, p.trade_id AS trade_id, t.code AS trade, t.name AS trade_name, p.level AS level, \
         p.certified_on AS certified_on, {} AS hours, CASE WHEN {} THEN 1 ELSE 0 END AS assessed \
         FROM ({picked} ORDER BY h.certified_on, h.volunteer_id, h.trade_id LIMIT ${} OFFSET ${}) p \
         JOIN units u ON u.id = p.unit_id JOIN skill_trades t ON t.id = p.trade_id \
         ORDER BY p.certified_on, p.volunteer_id, p.trade_id",
        hours_of("p"),
        assessed_of("p"),
        args.len() - 1,
        args.len()
    );
    let mut both = read(db, &[&counts, &page], &args).await?.into_iter();
    let counts: LineCounts = rows(both.next().unwrap_or_default())?.pop().unwrap_or_default();
    let page = rows(both.next().unwrap_or_default())?;
    Ok((counts, page))
}
