//! The activities rollup (migration 0034): activities held, not cancelled,
//! per region month and day of their start, team, district, theme and
//! project, at the levels without a unit (`LEVELS[..8]`). Kept in the
//! transaction that creates or cancels an activity or moves its theme
//! (`count`), rebuilt after bulk loads (`rebuild`). A unit's activities are
//! those its volunteers served in, which only the ledger knows: they are
//! kept apart per unit (migration 0044), credited by the entry that first
//! ties the unit to the activity (`first_of_unit`, when the entry is
//! drained from the rollups' queue) and moved with the activity like the others;
//! each statement that writes them writes the coarser rows without team or
//! district (migration 0054) and without team (0057) beside it, in the same
//! transaction, which a unit's dashboard reads when it asks for neither, or
//! for a district and no team.

use serde::Deserialize;
use tongxing_domain::stats::rollup::{DISTRICT, LEVELS, TEAM, THEME, UNIT};

use super::figures::Group;
use super::rollup::{args, level, periods};
use super::Filter;
use crate::sections::{self, rows};
use crate::sql::Arg;
use crate::{Backend, Db, Result};

/// The region day (`YYYY-MM-DD`) an activity starts on: the dialects differ.
fn day(backend: Backend) -> &'static str {
    match backend {
        Backend::Sqlite => "strftime('%Y-%m-%d', a.starts_at / 1000 + 28800, 'unixepoch')",
        Backend::Postgres => "to_char(to_timestamp(a.starts_at / 1000 + 28800) AT TIME ZONE 'UTC', 'YYYY-MM-DD')",
    }
}

/// An activity that may have entries already (cancelled, moved to another
/// theme): `count`, and `sign` per unit that served in it to that unit's
/// rows. Only credited entries count: a queued one ties its unit when it is
/// drained, to the activity as it is then (`first_of_unit`).
pub(crate) fn moved(backend: Backend, cond: &str, sign: i64) -> [String; 4] {
    let served = format!(
        "SELECT DISTINCT e.activity_id, e.unit_id FROM activities a JOIN hours_entries e ON e.activity_id = a.id \
         WHERE {cond} AND e.unit_id IS NOT NULL AND {}",
        super::pending::credited("e")
    );
    let [fine, coarse, districts] = by_unit(backend, &served, sign);
    [count(backend, cond, sign), fine, coarse, districts]
}

/// Adds `sign` (1 or -1) per activity matching `cond` (on `a`, not
/// cancelled) to its rows at every level.
pub(crate) fn count(backend: Backend, cond: &str, sign: i64) -> String {
    let levels: Vec<String> = LEVELS[..8].iter().map(|l| format!("({l})")).collect();
    let day = day(backend);
    format!(
        "INSERT INTO stats_activities (level, grain, period, team_id, district_id, theme, project_id, activities) \
         SELECT l.column1, g.column1, CASE WHEN g.column1 = 'm' THEN substr({day}, 1, 7) ELSE {day} END, \
           CASE WHEN (l.column1 & 1) <> 0 THEN a.team_id ELSE 0 END, CASE WHEN (l.column1 & 2) <> 0 THEN a.district_id ELSE 0 END, \
           CASE WHEN (l.column1 & 4) <> 0 THEN COALESCE(a.theme, '') ELSE '' END, COALESCE(a.project_id, 0), {sign} * COUNT(*) \
         FROM activities a CROSS JOIN (VALUES {levels}) l CROSS JOIN (VALUES ('m'), ('d')) g \
         WHERE a.cancelled_at IS NULL AND {cond} GROUP BY 1, 2, 3, 4, 5, 6, 7 \
         ON CONFLICT (level, grain, period, team_id, district_id, theme, project_id) \
         DO UPDATE SET activities = stats_activities.activities + excluded.activities",
        levels = levels.join(", "),
    )
}

/// Adds `sign` per pair of `pairs` (a SELECT of distinct `activity_id,
/// unit_id`) whose activity is not cancelled to the unit's rows: those
/// keeping team and district, those without (0054), and those keeping the
/// district alone (0057). Run one after the other in one transaction, all
/// see the same pairs, so they agree.
fn by_unit(backend: Backend, pairs: &str, sign: i64) -> [String; 3] {
    let day = day(backend);
    // `keep`: the dimensions kept beside unit, period, theme and project.
    let add = |table: &str, keep: &[&str]| {
        let key: String = keep.iter().map(|k| format!("{k}, ")).collect();
        let value: String = keep.iter().map(|k| format!("a.{k}, ")).collect();
        let groups: Vec<String> = (1..=5 + keep.len()).map(|i| i.to_string()).collect();
        format!(
            "INSERT INTO {table} (unit_id, grain, period, {key}theme, project_id, activities) \
             SELECT u.unit_id, g.column1, CASE WHEN g.column1 = 'm' THEN substr({day}, 1, 7) ELSE {day} END, {value}\
               COALESCE(a.theme, ''), COALESCE(a.project_id, 0), {sign} * COUNT(*) \
             FROM ({pairs}) u JOIN activities a ON a.id = u.activity_id CROSS JOIN (VALUES ('m'), ('d')) g \
             WHERE a.cancelled_at IS NULL GROUP BY {groups} \
             ON CONFLICT (unit_id, grain, period, {key}theme, project_id) \
             DO UPDATE SET activities = {table}.activities + excluded.activities",
            groups = groups.join(", "),
        )
    };
    [
        add("stats_unit_activities", &["team_id", "district_id"]),
        add("stats_unit_themes", &[]),
        add("stats_unit_districts", &["district_id"]),
    ]
}

/// The entry `$1` (being credited) ties its volunteer's unit to its
/// activity when no credited entry did: the unit's activities count it
/// from then on. Entries still queued are left to their own turn, so
/// whichever of a pair is credited first counts it, once. `$1` leaves the
/// queue only after both statements (`pending::drain`), so both see the
/// same entries credited.
pub(crate) fn first_of_unit(backend: Backend) -> [String; 3] {
    by_unit(
        backend,
        &format!(
            "SELECT e.activity_id, e.unit_id FROM hours_entries e WHERE e.id = $1 AND e.activity_id IS NOT NULL AND e.unit_id IS NOT NULL \
             AND NOT EXISTS (SELECT 1 FROM hours_entries o WHERE o.activity_id = e.activity_id AND o.unit_id = e.unit_id AND o.id <> e.id \
             AND {})",
            super::pending::credited("o")
        ),
        1,
    )
}

/// A unit's activities without team or district (0054), and without team
/// (0057), from the rows keeping both: after a rebuild, which reads the
/// ledger once for the finer rows, and on restore (dumps leave them out).
pub(crate) const FILL_UNIT_COARSE: [&str; 2] = [
    "INSERT INTO stats_unit_themes (unit_id, grain, period, theme, project_id, activities) \
     SELECT unit_id, grain, period, theme, project_id, SUM(activities) FROM stats_unit_activities \
     GROUP BY unit_id, grain, period, theme, project_id",
    "INSERT INTO stats_unit_districts (unit_id, district_id, grain, period, theme, project_id, activities) \
     SELECT unit_id, district_id, grain, period, theme, project_id, SUM(activities) FROM stats_unit_activities \
     GROUP BY unit_id, district_id, grain, period, theme, project_id",
];

/// The rollups set again from every activity and the ledger, after a bulk load.
pub(crate) fn rebuild(backend: Backend) -> [String; 8] {
    let [fine, _, _] = by_unit(
        backend,
        "SELECT DISTINCT e.activity_id, e.unit_id FROM hours_entries e WHERE e.activity_id IS NOT NULL AND e.unit_id IS NOT NULL",
        1,
    );
    [
        "DELETE FROM stats_activities WHERE TRUE".to_string(),
        count(backend, "TRUE", 1),
        "DELETE FROM stats_unit_activities WHERE TRUE".to_string(),
        fine,
        "DELETE FROM stats_unit_themes WHERE TRUE".to_string(),
        "DELETE FROM stats_unit_districts WHERE TRUE".to_string(),
        FILL_UNIT_COARSE[0].to_string(),
        FILL_UNIT_COARSE[1].to_string(),
    ]
}

/// What the dashboard's figures read of the activities rollups.
const COLUMNS: &str = "theme, project_id, activities";

#[derive(Deserialize, Default)]
pub struct Held {
    pub activities: i64,
    /// Distinct service projects the activities came from.
    pub projects: i64,
}

/// The filter's rows (their `cols`) at the level keeping its dimensions and
/// `extra`'s, held in `level` (a `$N`); a unit's (or each unit's, `extra`
/// naming the unit) from their own rollup, which keeps every dimension, or
/// one unit's without team or district from the coarser one when neither
/// is asked for (a liaison's dashboard, by theme too, or narrowed to a
/// theme: 23,390 rows a year fewer to read), or without team from the one
/// keyed by unit and district when a district is asked for and no team
/// (only that district's rows are read, not every one of the unit's).
pub(super) fn rows_at(f: &Filter, extra: i64, level_arg: &str, cols: &str) -> String {
    let at = level(f, extra);
    // What the coarser rows lack is asked for by the filter or the breakdown.
    let no_team = f.team_id == 0 && extra & TEAM == 0;
    let coarse = no_team && f.district_id == 0 && extra & DISTRICT == 0;
    match (at & UNIT != 0, f.unit_id != 0) {
        (false, _) => periods("stats_activities", cols, f, &format!("level = {level_arg}")),
        (true, true) if coarse => periods("stats_unit_themes", cols, f, &format!("{level_arg} >= {UNIT}")),
        (true, true) if no_team && f.district_id != 0 => periods("stats_unit_districts", cols, f, &format!("{level_arg} >= {UNIT}")),
        (true, true) => periods("stats_unit_activities", cols, f, &format!("{level_arg} >= {UNIT}")),
        // Each unit's rows sought through the key that starts with the unit:
        // without it every unit's rows of every period are read (250 ms at
        // 1,000,000 entries against 18 ms).
        (true, false) => periods("stats_unit_activities", cols, f, "unit_id IN (SELECT id FROM units)"),
    }
}

/// Activities and projects within the filter; with `by`, activities by
/// month and by theme (`$13` is the by-theme level).
pub async fn read(db: &Db, f: &Filter, by: bool) -> Result<(Held, Vec<Group>, Vec<Group>)> {
    super::pending::drain(db).await?;
    let mut a = args(f);
    a.push(Arg::I64(level(f, THEME)));
    let mut sqls = vec![format!(
        "SELECT COALESCE(SUM(x.activities), 0) AS activities, \
           COUNT(DISTINCT CASE WHEN x.activities > 0 AND x.project_id <> 0 THEN x.project_id END) AS projects FROM {} x",
        rows_at(f, 0, "$1", COLUMNS)
    )];
    if by {
        sqls.push(format!(
            "SELECT substr(x.period, 1, 7) AS key, NULL AS name, SUM(x.activities) AS n FROM {} x \
             GROUP BY substr(x.period, 1, 7) HAVING SUM(x.activities) <> 0 ORDER BY 1",
            rows_at(f, 0, "$1", COLUMNS)
        ));
        sqls.push(format!(
            "SELECT x.theme AS key, NULL AS name, SUM(x.activities) AS n FROM {} x GROUP BY x.theme HAVING SUM(x.activities) <> 0 \
             ORDER BY 3 DESC, 1",
            rows_at(f, THEME, "$13", COLUMNS)
        ));
    }
    let sqls: Vec<&str> = sqls.iter().map(String::as_str).collect();
    let mut s = sections::read(db, &sqls, &a).await?.into_iter();
    let held = rows::<Held>(s.next().unwrap_or_default())?.pop().unwrap_or_default();
    Ok((held, rows(s.next().unwrap_or_default())?, rows(s.next().unwrap_or_default())?))
}
