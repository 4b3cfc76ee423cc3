//! Trades with their ladder rules, and people's certifications.

use serde::Deserialize;
use tongxing_domain::skills::ladder::{default_rule, Level, Rule};
use tongxing_domain::skills::views::Certification;

use super::{level_code, select};
use crate::sections::{read, rows};
use crate::sql::Arg;
use crate::{now_ms, Backend, Db, Error, Result};

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

/// The rule for moving up from `level` in a trade: its own row, or the default.
pub fn rule_of(own: &[RuleRow], trade_id: i64, level: Level) -> Rule {
    own.iter()
        .find(|r| r.trade_id == trade_id && r.level == level.rank())
        .map_or_else(|| default_rule(level), |r| Rule { years: r.years, hours: r.hours })
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
/// the top changes nothing). Its due day and hours follow (`due_sql`;
/// the top level has none, so a replaced row starts without).
const KEEP_HIGHEST: &str = "INSERT INTO skill_highest (volunteer_id, trade_id, certification_id, level, certified_on) \
    VALUES ($1, $2, $3, $4, $5) ON CONFLICT (volunteer_id, trade_id) DO UPDATE SET certification_id = excluded.certification_id, \
    level = excluded.level, certified_on = excluded.certified_on, years_met_on = NULL, hours_required = NULL \
    WHERE excluded.level > skill_highest.level";

/// Fills `skill_highest` for every person and trade it lacks, from the
/// certifications (a restored dump written before the table existed).
pub(crate) const FILL_HIGHEST: &str = "INSERT INTO skill_highest (volunteer_id, trade_id, certification_id, level, certified_on) \
    SELECT c.volunteer_id, c.trade_id, c.id, c.level, c.certified_on FROM skill_certifications c \
    WHERE NOT EXISTS (SELECT 1 FROM skill_certifications h WHERE h.volunteer_id = c.volunteer_id AND h.trade_id = c.trade_id AND h.level > c.level) \
    ON CONFLICT (volunteer_id, trade_id) DO NOTHING";

/// `day` (a `YYYY-MM-DD` column) plus `years` whole years, stopping at a
/// month's end as `ladder::years_met_on` does (29 Feb + 1 year is 28 Feb):
/// SQLite's `date` runs over into March, PostgreSQL's interval does not.
fn years_after(backend: Backend, day: &str, years: &str) -> String {
    match backend {
        Backend::Sqlite => {
            let plain = format!("date({day}, '+' || {years} || ' years')");
            format!(
                "CASE WHEN substr({plain}, 9) = substr({day}, 9) THEN {plain} \
                 ELSE date({day}, '+' || {years} || ' years', 'start of month', '-1 day') END"
            )
        }
        Backend::Postgres => format!("to_char({day}::date + make_interval(years => {years}::int), 'YYYY-MM-DD')"),
    }
}

/// Sets the kept rows' due day (the years at the level complete) and the
/// hours the next level asks, from each trade's rules (else the default),
/// so the eligibility list compares rows with a day instead of a rule each.
/// The top level has no rule and keeps NULL. `scope` narrows the rows (SQL
/// on `skill_highest`, e.g. one person and trade); anything that changes a
/// trade's rules must run it for that trade in its transaction.
pub(crate) fn due_sql(backend: Backend, scope: &str) -> String {
    let defaults: Vec<String> = Level::ALL[..4]
        .iter()
        .map(|l| {
            let r = default_rule(*l);
            format!("({}, {}, {})", l.rank(), r.years, r.hours)
        })
        .collect();
    format!(
        "WITH lv (level, years, hours) AS (VALUES {}), \
         rule AS (SELECT t.id AS trade_id, lv.level AS level, COALESCE(r.years, lv.years) AS years, COALESCE(r.hours, lv.hours) AS hours \
         FROM skill_trades t CROSS JOIN lv LEFT JOIN skill_trade_rules r ON r.trade_id = t.id AND r.level = lv.level) \
         UPDATE skill_highest SET years_met_on = {}, hours_required = rule.hours \
         FROM rule WHERE rule.trade_id = skill_highest.trade_id AND rule.level = skill_highest.level AND {scope}",
        defaults.join(", "),
        years_after(backend, "skill_highest.certified_on", "rule.years")
    )
}

/// Records certifications in one transaction, each person's highest per
/// trade kept with them. A duplicate number of the same issuer, or a second
/// certificate of a level, fails the whole (409).
pub async fn insert(db: &Db, certs: &[NewCertification]) -> Result<()> {
    let now = now_ms();
    let due = due_sql(db.backend(), "skill_highest.volunteer_id = $1 AND skill_highest.trade_id = $2");
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
            sqlx::query(sqlx::AssertSqlSafe(&*due)).bind(c.volunteer_id).bind(c.trade_id).execute(&mut *tx).await?;
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

/// Which lines of the list: active people of a unit and trade (0: any) at
/// a level below the top whose years complete by `soon_by` (with `soon`;
/// else only those eligible on `today`); with `unreminded`, only people
/// not yet reminded of their next level.
#[derive(Debug, Clone)]
pub struct Lines {
    pub unit_id: i64,
    pub trade_id: i64,
    pub today: String,
    pub soon_by: String,
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

/// The lines' statement with its arguments (`$1` today, `$2` the horizon),
/// each line's standing in `is_now`. The kept due day comes first, so the
/// exam and the hours are looked at only for those whose years are complete.
fn lines_sql(l: &Lines) -> (String, Vec<Arg>) {
    let mut args = vec![Arg::Text(l.today.clone()), Arg::Text(if l.soon { l.soon_by.clone() } else { l.today.clone() })];
    let mut sql = "SELECT h.certification_id, h.volunteer_id, h.trade_id, h.level, h.certified_on, v.unit_id, ".to_string();
    sql += &format!("CASE WHEN {} THEN 1 ELSE 0 END AS is_now ", now_test());
    // People first (the unit's index), then their few rows by key: SQLite
    // takes CROSS JOIN's order as written; PostgreSQL plans it as any join.
    sql += "FROM volunteers v CROSS JOIN skill_highest h \
            WHERE h.volunteer_id = v.id AND v.active = TRUE AND h.years_met_on <= $2";
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
    format!("(h.years_met_on <= $1 AND {} AND {} >= h.hours_required)", assessed_of("h"), hours_of("h"))
}

/// One page of the lines, earliest certified first, and the counts of all,
/// from one walk of the unit: the lines are kept once (`MATERIALIZED`), the
/// counts are its first row (`part` 0) and the page the rest. The page's
/// lines are picked first, then named (reading each person's name while
/// walking would visit every row of the unit).
pub async fn progress(db: &Db, l: &Lines, limit: i64, offset: i64) -> Result<(LineCounts, Vec<ProgressRow>)> {
    let (lines, mut args) = lines_sql(l);
    args.push(Arg::I64(limit));
    args.push(Arg::I64(offset));
    let sql = format!(
        "WITH x AS MATERIALIZED ({lines}) \
         SELECT 0 AS part, 0 AS certification_id, 0 AS person_id, 0 AS unit_id, '' AS name, '' AS unit_name, 0 AS trade_id, \
         '' AS trade, '' AS trade_name, 0 AS level, '' AS certified_on, 0.0 AS hours, 0 AS assessed, \
         COUNT(*) AS total, COUNT(CASE WHEN x.is_now = 1 THEN 1 END) AS now FROM x \
         UNION ALL SELECT 1, p.certification_id, p.volunteer_id, p.unit_id, v.name, u.name, p.trade_id, t.code, t.name, p.level, \
         p.certified_on, {}, CASE WHEN {} THEN 1 ELSE 0 END, 0, 0 \
         FROM (SELECT * FROM x ORDER BY x.certified_on, x.volunteer_id, x.trade_id LIMIT ${} OFFSET ${}) p \
         JOIN volunteers v ON v.id = p.volunteer_id JOIN units u ON u.id = p.unit_id JOIN skill_trades t ON t.id = p.trade_id \
         ORDER BY part, certified_on, person_id, trade_id",
        hours_of("p"),
        assessed_of("p"),
        args.len() - 1,
        args.len()
    );
    let mut all = read(db, &[&sql], &args).await?.pop().unwrap_or_default().into_iter();
    let counts: LineCounts = rows(all.next().into_iter().collect())?.pop().unwrap_or_default();
    Ok((counts, rows(all.collect())?))
}
