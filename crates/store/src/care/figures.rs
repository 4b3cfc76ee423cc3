//! The programme's figures: coverage for the center and the counts each
//! role's first screen shows, each read in one round from indexed columns.

use serde::Deserialize;
use tongxing_domain::care::{Coverage, GroupCount, LevelCount};
use tongxing_domain::needs::WarningLevel;

use crate::sections::{read, rows};
use crate::sql::Arg;
use crate::{Db, Result};

const OPEN: &str = "status IN ('active', 'paused')";

#[derive(Deserialize)]
struct Totals {
    beneficiaries: i64,
    paired: i64,
    active_pairs: i64,
    paused_pairs: i64,
    needs_handover: i64,
    visits: i64,
    concerns: i64,
    concerns_to_needs: i64,
}

#[derive(Deserialize)]
struct Level {
    level: i64,
    pairs: i64,
}

#[derive(Deserialize)]
struct Group {
    name: String,
    count: i64,
}

/// Coverage of the whole region; visits and concerns since `month_start` (ms).
pub async fn coverage(db: &Db, month_start: i64) -> Result<Coverage> {
    let totals = format!(
        "SELECT (SELECT COUNT(*) FROM beneficiaries WHERE active = TRUE) AS beneficiaries, \
         (SELECT COUNT(DISTINCT beneficiary_id) FROM care_pairs WHERE {OPEN}) AS paired, \
         (SELECT COUNT(*) FROM care_pairs WHERE status = 'active') AS active_pairs, \
         (SELECT COUNT(*) FROM care_pairs WHERE status = 'paused') AS paused_pairs, \
         (SELECT COUNT(*) FROM care_pairs WHERE needs_handover = TRUE AND {OPEN}) AS needs_handover, \
         (SELECT COUNT(*) FROM care_visits WHERE visited_at >= $1) AS visits, \
         (SELECT COUNT(*) FROM care_visits WHERE visited_at >= $1 AND concern IS NOT NULL) AS concerns, \
         (SELECT COUNT(*) FROM care_visits WHERE visited_at >= $1 AND need_id IS NOT NULL) AS concerns_to_needs"
    );
    let levels = "SELECT warning_level AS level, COUNT(*) AS pairs FROM care_pairs WHERE warning_level > 0 GROUP BY warning_level";
    let unpaired = format!(
        "beneficiaries b WHERE b.active = TRUE AND NOT EXISTS (SELECT 1 FROM care_pairs p WHERE p.beneficiary_id = b.id AND p.{OPEN})"
    );
    let by_kind = format!("SELECT b.kind AS name, COUNT(*) AS count FROM {unpaired} GROUP BY b.kind ORDER BY b.kind");
    let mut r = read(db, &[&totals, levels, &by_kind, &by_community_sql(&unpaired)], &[Arg::I64(month_start)]).await?;
    let by_community: Vec<Group> = rows(r.pop().unwrap_or_default())?;
    let by_kind: Vec<Group> = rows(r.pop().unwrap_or_default())?;
    let levels: Vec<Level> = rows(r.pop().unwrap_or_default())?;
    let t: Totals = rows(r.pop().unwrap_or_default())?.pop().ok_or(crate::Error::NotFound)?;
    let group = |g: Vec<Group>| g.into_iter().map(|g| GroupCount { name: g.name, count: g.count }).collect();
    let by_level: Vec<LevelCount> =
        levels.into_iter().map(|l| LevelCount { level: WarningLevel::from_rank(l.level), pairs: l.pairs }).collect();
    Ok(Coverage {
        beneficiaries: t.beneficiaries,
        paired: t.paired,
        unpaired: t.beneficiaries - t.paired,
        active_pairs: t.active_pairs,
        paused_pairs: t.paused_pairs,
        overdue: by_level.iter().map(|l| l.pairs).sum(),
        by_level,
        needs_handover: t.needs_handover,
        visits_this_month: t.visits,
        concerns_this_month: t.concerns,
        concerns_to_needs: t.concerns_to_needs,
        unpaired_by_kind: group(by_kind),
        unpaired_by_community: group(by_community),
    })
}

fn by_community_sql(unpaired: &str) -> String {
    let (from, rest) = unpaired.split_once(" WHERE ").unwrap_or((unpaired, "TRUE"));
    format!(
        "SELECT c.name AS name, COUNT(*) AS count FROM {from} JOIN communities c ON c.id = b.community_id WHERE {rest} \
         GROUP BY c.name ORDER BY COUNT(*) DESC, c.name"
    )
}

/// What a first screen counts: overdue pairs (any level), the worst of them
/// red, and pairs waiting for a new volunteer.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
pub struct Counts {
    pub overdue: i64,
    pub red: i64,
    pub handover: i64,
}

/// Scope for the counts: the whole region, a unit's pairs or a team's.
#[derive(Debug, Clone, Copy)]
pub enum Reach {
    All,
    Unit(i64),
    Team(i64),
}

/// Overdue and red pairs within `reach`: active pairs due on or before the
/// cutoffs (`domain::care::due::overdue_cutoffs`), counted on index ranges.
pub async fn counts(db: &Db, reach: Reach, (overdue_by, red_by): (i64, i64)) -> Result<Counts> {
    let (cond, arg) = match reach {
        Reach::All => ("$1 = $1", 0),
        Reach::Unit(u) => ("unit_id = $1", u),
        Reach::Team(t) => ("volunteer_id IN (SELECT volunteer_id FROM volunteer_teams WHERE team_id = $1)", t),
    };
    let sql = format!(
        "SELECT (SELECT COUNT(*) FROM care_pairs WHERE status = 'active' AND due_day <= $2 AND {cond}) AS overdue, \
         (SELECT COUNT(*) FROM care_pairs WHERE status = 'active' AND due_day <= $3 AND {cond}) AS red, \
         (SELECT COUNT(*) FROM care_pairs WHERE needs_handover = TRUE AND {OPEN} AND {cond}) AS handover"
    );
    let args = [Arg::I64(arg), Arg::I64(overdue_by), Arg::I64(red_by)];
    Ok(rows(read(db, &[&sql], &args).await?.pop().unwrap_or_default())?.pop().unwrap_or_default())
}

/// 爱心守护 on the leadership dashboard, for a period and its narrowing.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
pub struct Dashboard {
    /// Visits logged in the period.
    pub visits: i64,
    /// Distinct beneficiaries visited in the period.
    pub visited: i64,
    pub visit_hours: f64,
    /// Concerns raised in the period, and how many became needs.
    pub concerns: i64,
    pub concerns_to_needs: i64,
    /// Open (active or paused) pairs today, and the active ones overdue.
    pub open_pairs: i64,
    pub overdue: i64,
}

/// The dashboard's care figures: visits within the filter's days (by when
/// they happened), pairs as they stand today. A pair is in a district and a
/// unit as recorded when it was made, in a team through its volunteer.
pub async fn dashboard(db: &Db, f: &crate::stats::Filter) -> Result<Dashboard> {
    const NARROW: &str = "($3 = 0 OR p.district_id = $3) AND ($4 = 0 OR p.unit_id = $4) \
        AND ($5 = 0 OR EXISTS (SELECT 1 FROM volunteer_teams vt WHERE vt.volunteer_id = p.volunteer_id AND vt.team_id = $5))";
    let sql = format!(
        "SELECT v.visits AS visits, v.visited AS visited, v.visit_hours AS visit_hours, v.concerns AS concerns, \
           v.concerns_to_needs AS concerns_to_needs, q.open_pairs AS open_pairs, q.overdue AS overdue \
         FROM (SELECT COUNT(*) AS visits, COUNT(DISTINCT p.beneficiary_id) AS visited, \
                 COALESCE(SUM(cv.minutes), 0) / 60.0 AS visit_hours, \
                 COALESCE(SUM(CASE WHEN cv.concern IS NOT NULL THEN 1 ELSE 0 END), 0) AS concerns, \
                 COALESCE(SUM(CASE WHEN cv.need_id IS NOT NULL THEN 1 ELSE 0 END), 0) AS concerns_to_needs \
               FROM care_visits cv JOIN care_pairs p ON p.id = cv.pair_id \
               WHERE cv.visited_at >= $1 AND cv.visited_at < $2 AND {NARROW}) v, \
              (SELECT COUNT(*) AS open_pairs, \
                 COALESCE(SUM(CASE WHEN p.status = 'active' AND p.warning_level > 0 THEN 1 ELSE 0 END), 0) AS overdue \
               FROM care_pairs p WHERE p.{OPEN} AND {NARROW}) q"
    );
    let args = [Arg::I64(f.from_ms), Arg::I64(f.until_ms), Arg::I64(f.district_id), Arg::I64(f.unit_id), Arg::I64(f.team_id)];
    Ok(rows::<Dashboard>(read(db, &[&sql], &args).await?.pop().unwrap_or_default())?.pop().unwrap_or_default())
}

/// Visits in which the volunteer reached the person (any mode), in the
/// period: a commendation round's care measure.
pub const HONOUR_VISITS: crate::honours::figures::Measure = crate::honours::figures::Measure(
    "SELECT cv.volunteer_id, CAST(COUNT(*) AS DOUBLE PRECISION) FROM care_visits cv \
     WHERE $1 <= $2 AND cv.visited_at >= $3 AND cv.visited_at < $4 AND cv.contact_made = TRUE GROUP BY cv.volunteer_id",
);
