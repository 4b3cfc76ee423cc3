//! The figures of the record a round can weigh, one query per measure over a
//! period, each grouped by volunteer, and who may stand as a candidate.

use std::ops::RangeInclusive;

use sqlx::FromRow;

use crate::{Db, Result};

/// One record-backed measure: `$1`/`$2` are the period's first and last day
/// (YYYY-MM-DD), `$3`/`$4` the same span in unix ms; it yields (volunteer, figure).
/// Each text names all four (a trivial `$1 <= $2` or `$3 <= $4` where one pair
/// is unused) so PostgreSQL can type every parameter.
/// `$1`/`$2` are the period's first and last day, `$3`/`$4` its bounds in
/// unix ms (the second excluded); every measure names all four. A
/// capability's own measure lives in its store folder.
pub struct Measure(pub &'static str);

/// The ledger's own measures in one pass, grouped by volunteer: confirmed
/// hours served in the period (corrections included), the activities and the
/// needs with hours credited. The volunteers drive the loop (`CROSS JOIN`
/// keeps that order in SQLite; PostgreSQL plans it as the inner join it is)
/// so each one's entries of the period are a range of the covering index
/// `hours_entries_volunteer_day (volunteer_id, served_on, hours, activity_id,
/// need_id)`, already grouped: no sort of 100,000 groups, no table row, and
/// the period's entries are read once rather than once per measure. `$3`/`$4`
/// bound the volunteers' ids: one volunteer's standing reads only theirs, and
/// on SQLite the pass is read in parts (see [`PARTS`]). The placeholders come
/// in order, as a direct read needs.
const LEDGER_PASS: &str = "SELECT v.id, SUM(e.hours), CAST(COUNT(DISTINCT e.activity_id) AS DOUBLE PRECISION), \
     CAST(COUNT(DISTINCT e.need_id) AS DOUBLE PRECISION) FROM volunteers v CROSS JOIN hours_entries e \
     WHERE e.served_on >= $1 AND e.served_on <= $2 AND v.id >= $3 AND v.id <= $4 AND e.volunteer_id = v.id GROUP BY v.id";

/// The ranges of volunteers' ids the ledger pass is read in at once on
/// SQLite, each a statement of its own on its own connection and thread:
/// one statement keeps one core busy, and SQLite's readers do not wait for
/// one another. Three rather than the machine's two cores: the ranges are
/// of equal width, not of equal entries (one volunteer may hold a tenth of
/// the ledger), and three threads on two cores even that out where two
/// would wait for the larger (bench/README.md, recognition). Each volunteer
/// is in one range, so the parts put together are the one pass's rows.
const PARTS: i64 = 3;

/// One volunteer's figures from the ledger pass.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Ledger {
    pub hours: f64,
    pub activities: f64,
    pub needs_served: f64,
}

/// (volunteer, hours, activities, needs served) as the pass reads them.
type LedgerRow = (i64, Option<f64>, f64, f64);

/// (volunteer, ledger figures) for every volunteer with an entry in the
/// period whose id is in `ids`, by id.
pub async fn ledger(db: &Db, p: &Period, ids: RangeInclusive<i64>) -> Result<Vec<(i64, Ledger)>> {
    let (lo, hi) = ids.into_inner();
    let rows: Vec<LedgerRow> = match db {
        Db::Sqlite { direct, .. } => {
            // The ranges are cut from the ids there are (two index ends), not from `ids`.
            let bounds = "SELECT (SELECT MIN(id) FROM volunteers), (SELECT MAX(id) FROM volunteers)";
            let Some((Some(first), Some(last))) = direct.optional::<(Option<i64>, Option<i64>)>(bounds, ())? else {
                return Ok(Vec::new());
            };
            let reads = parts(lo.max(first), hi.min(last), PARTS)
                .map(|(a, b)| direct.all_blocking::<LedgerRow, _>(LEDGER_PASS, (p.first_day.clone(), p.last_day.clone(), a, b)));
            futures_util::future::try_join_all(reads).await?.concat()
        }
        Db::Postgres(c) => sqlx::query_as(LEDGER_PASS).bind(&p.first_day).bind(&p.last_day).bind(lo).bind(hi).fetch_all(c).await?,
    };
    Ok(rows
        .into_iter()
        .map(|(v, hours, activities, needs_served)| (v, Ledger { hours: hours.unwrap_or(0.0), activities, needs_served }))
        .collect())
}

/// `lo..=hi` cut into at most `n` ranges of (nearly) equal width, in order.
fn parts(lo: i64, hi: i64, n: i64) -> impl Iterator<Item = (i64, i64)> {
    let width = (i128::from(hi) - i128::from(lo) + 1).max(0);
    let n = i128::from(n).min(width).max(1);
    let start = move |k: i128| i128::from(lo) + width * k / n;
    // Both ends lie in lo..=hi, so they fit an i64.
    (0..n).filter(move |&k| start(k) < start(k + 1)).map(move |k| (start(k) as i64, (start(k + 1) - 1) as i64))
}

/// The average rating (1–5 stars) of the needs served in the period that
/// were rated: the rated needs drive the loop (`CROSS JOIN` keeps that order
/// in SQLite), each one's entries of the period a range of the covering index
/// `hours_entries_need (need_id, served_on, volunteer_id)`, so the cost follows
/// the rated needs, not the ledger, and no ledger row is read.
pub const NEED_RATING: Measure = Measure(
    "SELECT e.volunteer_id, AVG(CAST(e.rating_stars AS DOUBLE PRECISION)) FROM \
     (SELECT DISTINCT x.volunteer_id, n.id, n.rating_stars FROM needs n CROSS JOIN hours_entries x WHERE x.need_id = n.id \
      AND n.rating_stars IS NOT NULL AND x.served_on >= $1 AND x.served_on <= $2 AND $3 <= $4) e GROUP BY e.volunteer_id",
);
/// Emergency calls of the period the volunteer said yes to (confirmed or on standby).
pub const EMERGENCY_ANSWERED: Measure = Measure(
    "SELECT r.volunteer_id, CAST(COUNT(*) AS DOUBLE PRECISION) FROM dispatch_responses r JOIN dispatches d ON d.id = r.dispatch_id \
     WHERE $1 <= $2 AND d.starts_at >= $3 AND d.starts_at < $4 AND r.status IN ('confirmed', 'standby') GROUP BY r.volunteer_id",
);
/// Emergency calls of the period the volunteer was confirmed on.
pub const EMERGENCY_ATTENDED: Measure = Measure(
    "SELECT r.volunteer_id, CAST(COUNT(*) AS DOUBLE PRECISION) FROM dispatch_responses r JOIN dispatches d ON d.id = r.dispatch_id \
     WHERE $1 <= $2 AND d.starts_at >= $3 AND d.starts_at < $4 AND r.status = 'confirmed' GROUP BY r.volunteer_id",
);

/// A period as the measures read it.
#[derive(Debug, Clone)]
pub struct Period {
    pub first_day: String,
    pub last_day: String,
    pub from_ms: i64,
    pub until_ms: i64,
}

/// (volunteer, figure) for every volunteer with a figure in the period.
pub async fn read(db: &Db, m: &Measure, p: &Period) -> Result<Vec<(i64, f64)>> {
    let rows: Vec<(i64, Option<f64>)> =
        db_read!(db, |c| sqlx::query_as(m.0).bind(&p.first_day).bind(&p.last_day).bind(p.from_ms).bind(p.until_ms).fetch_all(c).await?);
    Ok(rows.into_iter().map(|(v, f)| (v, f.unwrap_or(0.0))).collect())
}

/// A person or team that may stand, with its quota group (unit or district) and its name.
#[derive(Debug, Clone, FromRow, serde::Deserialize)]
pub struct Subject {
    pub id: i64,
    pub name: String,
    pub group_id: i64,
    pub group_name: String,
    pub active: bool,
    pub real_name: bool,
}

/// Every volunteer as a candidate, by id. On SQLite a direct read on a
/// thread of its own, so it runs beside the ledger pass and its 100,000 rows
/// are not handed from thread to thread one by one.
pub async fn volunteers(db: &Db) -> Result<Vec<Subject>> {
    let sql = "SELECT v.id, v.name, v.unit_id AS group_id, u.name AS group_name, v.active, v.id_number_hash IS NOT NULL AS real_name \
               FROM volunteers v JOIN units u ON u.id = v.unit_id ORDER BY v.id";
    match db {
        Db::Sqlite { direct, .. } => direct.all_blocking(sql, ()).await,
        Db::Postgres(p) => Ok(sqlx::query_as(sql).fetch_all(p).await?),
    }
}

/// One volunteer as a candidate (what eligibility of a nominee reads).
pub async fn volunteer(db: &Db, id: i64) -> Result<Vec<Subject>> {
    let sql = "SELECT v.id, v.name, v.unit_id AS group_id, u.name AS group_name, v.active, v.id_number_hash IS NOT NULL AS real_name \
               FROM volunteers v JOIN units u ON u.id = v.unit_id WHERE v.id = $1";
    db_read!(db, |p| Ok(sqlx::query_as(sql).bind(id).fetch_all(p).await?))
}

pub async fn teams(db: &Db) -> Result<Vec<Subject>> {
    let sql = "SELECT t.id, t.name, t.district_id AS group_id, d.name AS group_name, t.active, t.active AS real_name \
               FROM teams t JOIN districts d ON d.id = t.district_id ORDER BY t.id";
    db_read!(db, |p| Ok(sqlx::query_as(sql).fetch_all(p).await?))
}

/// Every unit (`teams`: every district) a round may set a quota of its own for.
pub async fn quota_groups(db: &Db, teams: bool) -> Result<Vec<i64>> {
    let sql = if teams { "SELECT id FROM districts" } else { "SELECT id FROM units" };
    db_read!(db, |p| Ok(sqlx::query_scalar(sql).fetch_all(p).await?))
}

/// (team, volunteer) for every membership.
pub async fn memberships(db: &Db) -> Result<Vec<(i64, i64)>> {
    db_read!(db, |p| Ok(sqlx::query_as("SELECT team_id, volunteer_id FROM volunteer_teams").fetch_all(p).await?))
}

/// The teams a volunteer belongs to.
pub async fn teams_of(db: &Db, volunteer_id: i64) -> Result<Vec<i64>> {
    let sql = "SELECT team_id FROM volunteer_teams WHERE volunteer_id = $1";
    db_read!(db, |p| Ok(sqlx::query_scalar(sql).bind(volunteer_id).fetch_all(p).await?))
}

/// The volunteers (or teams) an objection was upheld against in the period:
/// a dispute found against them, which bars them from a round.
pub async fn upheld_against(db: &Db, teams: bool, p: &Period) -> Result<Vec<i64>> {
    let sql = if teams {
        "SELECT DISTINCT n.team_id FROM honour_objections o JOIN honour_nominations n ON n.id = o.nomination_id \
         WHERE o.status = 'upheld' AND o.resolved_at >= $1 AND o.resolved_at < $2 AND n.team_id IS NOT NULL"
    } else {
        "SELECT DISTINCT n.volunteer_id FROM honour_objections o JOIN honour_nominations n ON n.id = o.nomination_id \
         WHERE o.status = 'upheld' AND o.resolved_at >= $1 AND o.resolved_at < $2 AND n.volunteer_id IS NOT NULL"
    };
    db_read!(db, |c| Ok(sqlx::query_scalar(sql).bind(p.from_ms).bind(p.until_ms).fetch_all(c).await?))
}

/// The volunteers of a unit (a liaison's reach when nominating).
pub async fn volunteers_of_unit(db: &Db, unit_id: i64) -> Result<Vec<i64>> {
    db_read!(db, |p| Ok(sqlx::query_scalar("SELECT id FROM volunteers WHERE unit_id = $1").bind(unit_id).fetch_all(p).await?))
}

/// The members of a team (a leader's reach when nominating).
pub async fn members_of_team(db: &Db, team_id: i64) -> Result<Vec<i64>> {
    let sql = "SELECT volunteer_id FROM volunteer_teams WHERE team_id = $1";
    db_read!(db, |p| Ok(sqlx::query_scalar(sql).bind(team_id).fetch_all(p).await?))
}

/// The teams of a unit.
pub async fn teams_of_unit(db: &Db, unit_id: i64) -> Result<Vec<i64>> {
    db_read!(db, |p| Ok(sqlx::query_scalar("SELECT id FROM teams WHERE unit_id = $1").bind(unit_id).fetch_all(p).await?))
}

/// What a live candidate list was read at: the high-water marks of what
/// scoring reads, each one index probe or a small count. The ledger and the
/// visits and lessons only grow (a ledger correction is a new entry), so
/// their largest id covers them; volunteers and needs (a rating is set in
/// place) carry `updated_at`; a dispatch answer changes its status in place,
/// so the answers are counted by the statuses the measures read. When none
/// moved, the list read before still holds.
const MARKS: &str = "SELECT \
    (SELECT COALESCE(MAX(id), 0) FROM hours_entries), \
    (SELECT COALESCE(MAX(updated_at), 0) FROM volunteers), \
    (SELECT COALESCE(MAX(updated_at), 0) FROM needs), \
    (SELECT COUNT(*) FROM dispatch_responses WHERE status = 'confirmed'), \
    (SELECT COUNT(*) FROM dispatch_responses WHERE status = 'standby'), \
    (SELECT COALESCE(MAX(updated_at), 0) FROM dispatches), \
    (SELECT COALESCE(MAX(id), 0) FROM care_visits), \
    (SELECT COALESCE(MAX(id), 0) FROM skill_training_lessons), \
    (SELECT COUNT(*) FROM skill_training_teachers), \
    (SELECT COUNT(*) FROM childcare_shifts), \
    (SELECT COALESCE(MAX(resolved_at), 0) FROM honour_objections), \
    (SELECT COUNT(*) FROM volunteer_teams), \
    (SELECT COALESCE(MAX(id), 0) FROM teams)";

/// The marks a live candidate list is keyed by (see [`MARKS`]).
pub async fn marks(db: &Db) -> Result<Vec<i64>> {
    type Row = (i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64);
    let r: Row = db_read!(db, |c| sqlx::query_as(MARKS).fetch_one(c).await?);
    Ok(vec![r.0, r.1, r.2, r.3, r.4, r.5, r.6, r.7, r.8, r.9, r.10, r.11, r.12])
}

#[cfg(test)]
mod tests {
    use super::parts;

    #[test]
    fn the_parts_hold_every_id_once_in_order() {
        for (lo, hi, n, len) in [(1, 100_000, 3, 3), (1, 2, 3, 2), (5, 5, 3, 1), (7, 6, 3, 0), (-3, 4, 2, 2), (i64::MIN, i64::MAX, 3, 3)] {
            let got: Vec<(i64, i64)> = parts(lo, hi, n).collect();
            assert_eq!(got.len(), len, "{lo}..={hi} in {n}");
            let mut next = i128::from(lo);
            for (a, b) in &got {
                assert_eq!(i128::from(*a), next);
                assert!(a <= b);
                next = i128::from(*b) + 1;
            }
            if len > 0 {
                assert_eq!(next, i128::from(hi) + 1);
            }
        }
        assert_eq!(parts(1, 100_000, 3).collect::<Vec<_>>(), [(1, 33_333), (33_334, 66_666), (66_667, 100_000)]);
    }
}
