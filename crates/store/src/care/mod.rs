//! 爱心守护 one-to-one care (issue #15): pairs with their stored next due day
//! and warning level, so every overdue list is an indexed read, and their
//! visits. A pair's status changes; no row is ever deleted.

pub mod figures;
pub mod visits;
mod warnings;

pub use warnings::{due_soon, escalate, pending_escalations, recompute_levels, remind};

use sqlx::FromRow;
use tongxing_domain::care::due::date_of;
use tongxing_domain::care::suggest::Nearby;
use tongxing_domain::care::Pair;
use tongxing_domain::model::Paged;
use tongxing_domain::needs::WarningLevel;
use tongxing_domain::paging::Page;

use crate::sections::{read, rows};
use crate::sql::{paged, Arg, Where};
use crate::{now_ms, Db, Error, Result};

#[derive(FromRow, serde::Deserialize)]
struct Row {
    id: i64,
    status: String,
    role: String,
    volunteer_id: i64,
    volunteer_name: String,
    beneficiary_id: i64,
    beneficiary_name: String,
    beneficiary_kind: String,
    community_id: i64,
    community_name: String,
    district_id: i64,
    district_name: String,
    unit_id: i64,
    unit_name: String,
    every_days: i64,
    starts_on: String,
    help: Option<String>,
    due_day: i64,
    warning_level: i64,
    paused_day: Option<i64>,
    paused_until: Option<i64>,
    pause_reason: Option<String>,
    needs_handover: i64,
    end_reason: Option<String>,
    previous_pair_id: Option<i64>,
    handed_over_to: Option<i64>,
    handover_note: Option<String>,
}

/// A pair with the day numbers the rules work on.
#[derive(Debug, Clone)]
pub struct Stored {
    pub pair: Pair,
    pub due_day: i64,
    pub paused_day: Option<i64>,
}

impl From<Row> for Stored {
    fn from(r: Row) -> Self {
        let day = |d: i64| date_of(d).to_string();
        Stored {
            due_day: r.due_day,
            paused_day: r.paused_day,
            pair: Pair {
                id: r.id,
                status: r.status,
                role: r.role,
                volunteer_id: r.volunteer_id,
                volunteer_name: r.volunteer_name,
                beneficiary_id: r.beneficiary_id,
                beneficiary_name: r.beneficiary_name,
                beneficiary_kind: r.beneficiary_kind,
                community_id: r.community_id,
                community_name: r.community_name,
                district_id: r.district_id,
                district_name: r.district_name,
                unit_id: r.unit_id,
                unit_name: r.unit_name,
                every_days: r.every_days,
                starts_on: r.starts_on,
                help: r.help,
                next_due: day(r.due_day),
                warning_level: WarningLevel::from_rank(r.warning_level),
                paused_until: r.paused_until.map(day),
                pause_reason: r.pause_reason,
                needs_handover: r.needs_handover != 0,
                end_reason: r.end_reason,
                previous_pair_id: r.previous_pair_id,
                handed_over_to: r.handed_over_to,
                handover_note: r.handover_note,
            },
        }
    }
}

const SELECT: &str = "SELECT p.id, p.status, p.role, p.volunteer_id, v.name AS volunteer_name, p.beneficiary_id, \
    b.name AS beneficiary_name, b.kind AS beneficiary_kind, p.community_id, c.name AS community_name, p.district_id, \
    d.name AS district_name, p.unit_id, u.name AS unit_name, p.every_days, p.starts_on, p.help, p.due_day, p.warning_level, \
    p.paused_day, p.paused_until, p.pause_reason, CAST(CASE WHEN p.needs_handover THEN 1 ELSE 0 END AS BIGINT) AS needs_handover, p.end_reason, \
    p.previous_pair_id, (SELECT n.id FROM care_pairs n WHERE n.previous_pair_id = p.id) AS handed_over_to, p.handover_note \
    FROM care_pairs p JOIN volunteers v ON v.id = p.volunteer_id JOIN beneficiaries b ON b.id = p.beneficiary_id \
    JOIN communities c ON c.id = p.community_id JOIN districts d ON d.id = p.district_id JOIN units u ON u.id = p.unit_id";
const FROM: &str = "care_pairs p";

#[derive(Debug, Default, Clone)]
pub struct Filter {
    pub status: Option<String>,
    /// Only active pairs past their due day (any warning level): due on or
    /// before `overdue_by`, which the service sets from the limits and today.
    pub overdue: bool,
    pub overdue_by: i64,
    pub district_id: Option<i64>,
    pub community_id: Option<i64>,
    pub unit_id: Option<i64>,
    pub team_id: Option<i64>,
    pub volunteer_id: Option<i64>,
    pub beneficiary_id: Option<i64>,
    pub needs_handover: bool,
}

fn filter(f: &Filter) -> Where {
    let mut w = Where::default();
    if let Some(s) = &f.status {
        w.and("p.status = ?", [Arg::Text(s.clone())]);
    }
    if f.overdue {
        w.and("p.status = 'active' AND p.due_day <= ?", [Arg::I64(f.overdue_by)]);
    }
    for (col, v) in [
        ("p.district_id", f.district_id),
        ("p.community_id", f.community_id),
        ("p.unit_id", f.unit_id),
        ("p.volunteer_id", f.volunteer_id),
        ("p.beneficiary_id", f.beneficiary_id),
    ] {
        if let Some(v) = v {
            w.and(&format!("{col} = ?"), [Arg::I64(v)]);
        }
    }
    if let Some(t) = f.team_id {
        w.and("p.volunteer_id IN (SELECT volunteer_id FROM volunteer_teams WHERE team_id = ?)", [Arg::I64(t)]);
    }
    if f.needs_handover {
        w.and("p.needs_handover = TRUE AND p.status IN ('active', 'paused')", []);
    }
    w
}

/// The soonest due first — for overdue lists the most overdue, and so the
/// highest level, first (`overdue_cutoffs`).
pub async fn list(db: &Db, f: &Filter, page: Page) -> Result<Paged<Stored>> {
    let (rows, total) = paged::<Row>(db, SELECT, FROM, &filter(f), "p.due_day, p.id", page).await?;
    Ok(Paged { items: rows.into_iter().map(Stored::from).collect(), total })
}

pub async fn get(db: &Db, id: i64) -> Result<Stored> {
    let sql = format!("{SELECT} WHERE p.id = $1");
    let mut found: Vec<Row> = rows(read(db, &[&sql], &[Arg::I64(id)]).await?.pop().unwrap_or_default())?;
    found.pop().map(Stored::from).ok_or(Error::NotFound)
}

/// Every pair a beneficiary ever had, oldest first.
pub async fn of_beneficiary(db: &Db, beneficiary_id: i64) -> Result<Vec<Stored>> {
    let sql = format!("{SELECT} WHERE p.beneficiary_id = $1 ORDER BY p.id");
    let found: Vec<Row> = rows(read(db, &[&sql], &[Arg::I64(beneficiary_id)]).await?.pop().unwrap_or_default())?;
    Ok(found.into_iter().map(Stored::from).collect())
}

/// A volunteer's open pairs, the soonest due first: their home screen's card.
pub async fn of_volunteer(db: &Db, volunteer_id: i64) -> Result<Vec<Stored>> {
    let sql = format!("{SELECT} WHERE p.volunteer_id = $1 AND p.status IN ('active', 'paused') ORDER BY p.due_day, p.id");
    let found: Vec<Row> = rows(read(db, &[&sql], &[Arg::I64(volunteer_id)]).await?.pop().unwrap_or_default())?;
    Ok(found.into_iter().map(Stored::from).collect())
}

/// What a new pair is made of; the places are the beneficiary's and the unit the volunteer's.
#[derive(Debug, Clone)]
pub struct NewPair {
    pub beneficiary_id: i64,
    pub volunteer_id: i64,
    pub role: &'static str,
    pub unit_id: i64,
    pub community_id: i64,
    pub district_id: i64,
    pub every_days: i64,
    pub starts_on: String,
    pub help: Option<String>,
    pub due_day: i64,
    pub previous_pair_id: Option<i64>,
    pub handover_note: Option<String>,
    pub created_by: Option<i64>,
}

pub(crate) const INSERT: &str =
    "INSERT INTO care_pairs (beneficiary_id, volunteer_id, role, unit_id, community_id, district_id, every_days, \
    starts_on, help, status, due_day, previous_pair_id, handover_note, created_by, created_at, updated_at) \
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'active', $10, $11, $12, $13, $14, $14) RETURNING id";

macro_rules! insert_pair {
    ($ex:expr, $n:expr, $now:expr) => {{
        let n: &$crate::care::NewPair = $n;
        let id: i64 = sqlx::query_scalar($crate::care::INSERT)
            .bind(n.beneficiary_id)
            .bind(n.volunteer_id)
            .bind(n.role)
            .bind(n.unit_id)
            .bind(n.community_id)
            .bind(n.district_id)
            .bind(n.every_days)
            .bind(&n.starts_on)
            .bind(&n.help)
            .bind(n.due_day)
            .bind(n.previous_pair_id)
            .bind(&n.handover_note)
            .bind(n.created_by)
            .bind($now)
            .fetch_one($ex)
            .await?;
        id
    }};
}

/// A second open pair of the same volunteer and beneficiary is a `Conflict`.
pub async fn create(db: &Db, n: &NewPair) -> Result<i64> {
    let now = now_ms();
    db_write!(db, |p| Ok(insert_pair!(p, n, now)))
}

/// Hands an open pair over: it ends as `handed_over` and a new pair for the
/// new volunteer names it, in one transaction. `None` if it was not open.
pub async fn hand_over(db: &Db, old: i64, n: &NewPair) -> Result<Option<i64>> {
    let now = now_ms();
    let close = "UPDATE care_pairs SET status = 'handed_over', needs_handover = FALSE, ended_at = $1, updated_at = $1 \
                 WHERE id = $2 AND status IN ('active', 'paused')";
    db_write!(db, |p| {
        let mut tx = p.begin().await?;
        if sqlx::query(close).bind(now).bind(old).execute(&mut *tx).await?.rows_affected() != 1 {
            return Ok(None);
        }
        let id = insert_pair!(&mut *tx, n, now);
        tx.commit().await?;
        Ok(Some(id))
    })
}

/// Runs a conditional change of one pair; false when its status did not allow it.
async fn change(db: &Db, sql: &'static str, args: &[Arg]) -> Result<bool> {
    let n = db_write!(db, |p| bind_args!(sqlx::query(sql), args).execute(p).await?.rows_affected());
    Ok(n == 1)
}

pub async fn pause(db: &Db, id: i64, today: i64, until: Option<i64>, reason: &str) -> Result<bool> {
    let sql = "UPDATE care_pairs SET status = 'paused', paused_day = $1, paused_until = $2, pause_reason = $3, \
               warning_level = 0, notified_level = 0, updated_at = $4 WHERE id = $5 AND status = 'active'";
    let n =
        db_write!(db, |p| sqlx::query(sql).bind(today).bind(until).bind(reason).bind(now_ms()).bind(id).execute(p).await?.rows_affected());
    Ok(n == 1)
}

/// Resumes a paused pair, moving its due day on by the days it was paused.
pub async fn resume(db: &Db, id: i64, today: i64) -> Result<bool> {
    let sql = "UPDATE care_pairs SET status = 'active', due_day = due_day + (CASE WHEN $1 > paused_day THEN $1 - paused_day ELSE 0 END), \
               paused_day = NULL, paused_until = NULL, updated_at = $2 WHERE id = $3 AND status = 'paused'";
    change(db, sql, &[Arg::I64(today), Arg::I64(now_ms()), Arg::I64(id)]).await
}

/// Pauses whose day to end has come resume by themselves, the same way.
pub async fn resume_due(db: &Db, today: i64) -> Result<u64> {
    let sql = "UPDATE care_pairs SET status = 'active', due_day = due_day + (paused_until - paused_day), paused_day = NULL, \
               paused_until = NULL, updated_at = $1 WHERE status = 'paused' AND paused_until <= $2";
    Ok(db_write!(db, |p| sqlx::query(sql).bind(now_ms()).bind(today).execute(p).await?.rows_affected()))
}

pub async fn end(db: &Db, id: i64, reason: &str) -> Result<bool> {
    let sql = "UPDATE care_pairs SET status = 'ended', end_reason = $1, ended_at = $2, warning_level = 0, needs_handover = FALSE, \
               updated_at = $2 WHERE id = $3 AND status IN ('active', 'paused')";
    change(db, sql, &[Arg::Text(reason.into()), Arg::I64(now_ms()), Arg::I64(id)]).await
}

/// A volunteer who leaves or is deactivated: their open pairs wait for a
/// new volunteer. Returns how many were flagged.
pub async fn flag_for_handover(db: &Db, volunteer_id: i64) -> Result<u64> {
    let sql = "UPDATE care_pairs SET needs_handover = TRUE, updated_at = $1 \
               WHERE volunteer_id = $2 AND status IN ('active', 'paused') AND needs_handover = FALSE";
    Ok(db_write!(db, |p| sqlx::query(sql).bind(now_ms()).bind(volunteer_id).execute(p).await?.rows_affected()))
}

/// How many open pairs a volunteer has: their load, capped by the region's limit.
pub async fn load(db: &Db, volunteer_id: i64) -> Result<i64> {
    let sql = "SELECT COUNT(*) FROM care_pairs WHERE volunteer_id = $1 AND status IN ('active', 'paused')";
    db_read!(db, |p| Ok(sqlx::query_scalar(sql).bind(volunteer_id).fetch_one(p).await?))
}

/// The active accounts of a pair's volunteer, to remind and warn them.
pub use crate::notifications::accounts_of_volunteer;

/// How many volunteers near a beneficiary the suggestions rank.
const SHORTLIST: i64 = 200;

#[derive(serde::Deserialize)]
struct NearbyRow {
    volunteer_id: i64,
    name: String,
    community_id: i64,
    community_name: String,
    lat: f64,
    lng: f64,
    load: i64,
}

#[derive(serde::Deserialize)]
struct SkillRow {
    volunteer_id: i64,
    skill: String,
}

/// Where the suggestions look: the beneficiary's community and district,
/// and only one unit's or team's volunteers when given.
#[derive(Debug, Clone, Copy)]
pub struct Near {
    pub beneficiary_id: i64,
    pub community_id: i64,
    pub district_id: i64,
    pub lat: f64,
    pub lng: f64,
    pub unit_id: Option<i64>,
    pub team_id: Option<i64>,
}

/// Active volunteers of the beneficiary's district under the load cap and
/// not already caring for them, the nearest `SHORTLIST` (their own community
/// first), with their skills, for `domain::care::suggest` to rank.
pub async fn nearby(db: &Db, n: &Near, cap: i64) -> Result<Vec<Nearby>> {
    const LOAD: &str = "(SELECT COUNT(*) FROM care_pairs p WHERE p.volunteer_id = v.id AND p.status IN ('active', 'paused'))";
    let sql = format!(
        "SELECT v.id AS volunteer_id, v.name, v.community_id, c.name AS community_name, c.lat, c.lng, {LOAD} AS load \
         FROM volunteers v JOIN communities c ON c.id = v.community_id \
         WHERE v.active = TRUE AND c.district_id = $2 AND ($3 = 0 OR v.unit_id = $3) \
         AND ($4 = 0 OR v.id IN (SELECT volunteer_id FROM volunteer_teams WHERE team_id = $4)) AND {LOAD} < $5 \
         AND NOT EXISTS (SELECT 1 FROM care_pairs q WHERE q.volunteer_id = v.id AND q.beneficiary_id = $10 \
           AND q.status IN ('active', 'paused')) \
         ORDER BY CASE WHEN v.community_id = $1 THEN 0 ELSE 1 END, \
         (c.lat - $6) * (c.lat - $6) + (c.lng - $7) * (c.lng - $7) * $8, load, v.id LIMIT $9"
    );
    let cos = n.lat.to_radians().cos();
    let args = [
        Arg::I64(n.community_id),
        Arg::I64(n.district_id),
        Arg::I64(n.unit_id.unwrap_or(0)),
        Arg::I64(n.team_id.unwrap_or(0)),
        Arg::I64(cap),
        Arg::F64(n.lat),
        Arg::F64(n.lng),
        Arg::F64(cos * cos),
        Arg::I64(SHORTLIST),
        Arg::I64(n.beneficiary_id),
    ];
    let found: Vec<NearbyRow> = rows(read(db, &[&sql], &args).await?.pop().unwrap_or_default())?;
    if found.is_empty() {
        return Ok(Vec::new());
    }
    let ids: Vec<Arg> = found.iter().map(|r| Arg::I64(r.volunteer_id)).collect();
    let skills_sql = format!(
        "SELECT volunteer_id, skill FROM volunteer_skills WHERE volunteer_id IN ({}) ORDER BY volunteer_id, skill",
        crate::sql::placeholders(1, ids.len())
    );
    let skills: Vec<SkillRow> = rows(read(db, &[&skills_sql], &ids).await?.pop().unwrap_or_default())?;
    Ok(found
        .into_iter()
        .map(|r| Nearby {
            skills: skills.iter().filter(|s| s.volunteer_id == r.volunteer_id).map(|s| s.skill.clone()).collect(),
            volunteer_id: r.volunteer_id,
            name: r.name,
            community_id: r.community_id,
            community_name: r.community_name,
            lat: r.lat,
            lng: r.lng,
            load: r.load,
        })
        .collect())
}

// After `insert_pair!`, which it uses.
pub mod past;
