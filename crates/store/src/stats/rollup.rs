//! The rollups kept with the ledger (migration 0033): hours and entries per
//! month and per day, and each volunteer's days of service per year, at
//! every level of `domain::stats::rollup::LEVELS`. `ledger::append_in!`
//! queues an entry and `pending::drain` credits its rows (`credit`) a little
//! later, before any read of them; bulk loads run `rebuild` afterwards. The dashboard reads these rows only, so a
//! figure costs the same whatever the ledger holds.

use std::sync::LazyLock;

use serde::Deserialize;
use tongxing_domain::stats::rollup::{self, cut, DISTRICT, TEAM, UNIT};
use tongxing_domain::stats::Span;

use super::figures::Group;
use super::Filter;
use crate::sections::{self, rows};
use crate::sql::Arg;
use crate::{Backend, Db, Result};

/// `(VALUES (0), (1), …) l`: one row per level kept.
pub(super) fn levels(which: &[i64]) -> String {
    let rows: Vec<String> = which.iter().map(|l| format!("({l})")).collect();
    format!("(VALUES {}) l", rows.join(", "))
}

/// The key columns of a row at level `l.column1` from a source `s` whose
/// columns hold every dimension (0 or '' where it has none), named as the
/// rollups name them.
pub(super) fn keys(s: &str) -> String {
    format!(
        "CASE WHEN (l.column1 & 1) <> 0 THEN {s}team_id ELSE 0 END AS team_id, \
         CASE WHEN (l.column1 & 2) <> 0 THEN {s}district_id ELSE 0 END AS district_id, \
         CASE WHEN (l.column1 & 4) <> 0 THEN {s}theme ELSE '' END AS theme, \
         CASE WHEN (l.column1 & 8) <> 0 THEN {s}unit_id ELSE 0 END AS unit_id"
    )
}

/// An entry's dimensions as a rollup keys them.
pub(super) const ENTRY: &str =
    "(SELECT id, volunteer_id, served_on, hours, COALESCE(team_id, 0) AS team_id, COALESCE(district_id, 0) AS district_id, \
    COALESCE(theme, '') AS theme, COALESCE(unit_id, 0) AS unit_id FROM hours_entries)";

const LEDGER_COLUMNS: &str = "stats_ledger (level, grain, period, team_id, district_id, theme, unit_id, hours, entries)";
const ADD_LEDGER: &str = "ON CONFLICT (level, grain, period, team_id, district_id, theme, unit_id) \
    DO UPDATE SET hours = stats_ledger.hours + excluded.hours, entries = stats_ledger.entries + excluded.entries";

/// Hours and entries of the entries matching `cond` (on `e`), per month and
/// day, at the levels `which`.
fn ledger_from_entries(which: &[i64], cond: &str) -> String {
    format!(
        "INSERT INTO {LEDGER_COLUMNS} SELECT l.column1, g.column1, CASE WHEN g.column1 = 'm' THEN substr(e.served_on, 1, 7) ELSE e.served_on END, \
         {keys}, SUM(e.hours), COUNT(*) FROM {ENTRY} e CROSS JOIN {levels} CROSS JOIN (VALUES ('m'), ('d')) g \
         WHERE {cond} GROUP BY 1, 2, 3, 4, 5, 6, 7 {ADD_LEDGER}",
        keys = keys("e."),
        levels = levels(which),
    )
}

/// The month of `served_on` (1–12) and its day, as `day_bit` reads them.
pub(super) const MONTH: &str = "CAST(substr(e.served_on, 6, 2) AS INTEGER)";
pub(super) const DAY: &str = "CAST(substr(e.served_on, 9, 2) AS INTEGER)";

/// Word `k` of an entry's day: its bit if the day falls in that word.
fn word(k: usize) -> String {
    format!("CASE WHEN ({MONTH} - 1) / 2 = {k} THEN CAST(1 AS BIGINT) << ((({MONTH} - 1) % 2) * 31 + {DAY} - 1) ELSE 0 END")
}

const PEOPLE_COLUMNS: &str = "stats_people (level, year, team_id, district_id, theme, unit_id, volunteer_id, w0, w1, w2, w3, w4, w5)";

/// Each volunteer's day bits from the entries matching `cond`, at the
/// levels `which`: the distinct (row, word, bit) set first, then its bits added up
/// (a sum of distinct bits is their OR, which SQLite has no aggregate for).
fn people_from_entries(which: &[i64], cond: &str) -> String {
    let words: Vec<String> = (0..6).map(|k| format!("{} AS w{k}", word(k))).collect();
    let sums: Vec<String> = (0..6).map(|k| format!("SUM(x.w{k})")).collect();
    format!(
        "INSERT INTO {PEOPLE_COLUMNS} SELECT x.level, x.year, x.team_id, x.district_id, x.theme, x.unit_id, x.volunteer_id, {sums} \
         FROM (SELECT DISTINCT l.column1 AS level, substr(e.served_on, 1, 4) AS year, {keys}, e.volunteer_id AS volunteer_id, {words} \
               FROM {ENTRY} e CROSS JOIN {levels} WHERE {cond}) x \
         GROUP BY x.level, x.year, x.team_id, x.district_id, x.theme, x.unit_id, x.volunteer_id \
         ON CONFLICT (level, year, team_id, district_id, theme, unit_id, volunteer_id) DO UPDATE SET {or}",
        sums = sums.join(", "),
        keys = keys("e."),
        words = words.join(", "),
        levels = levels(which),
        or = (0..6).map(|k| format!("w{k} = stats_people.w{k} | excluded.w{k}")).collect::<Vec<_>>().join(", "),
    )
}

/// Credits the entry `$1` to the rollups: hours, the volunteer's first
/// days (read before their day bits move), the day bits, and its unit's
/// activities when no entry credited before tied them (`held`). The first
/// days read the row the day bits then move, so two drains must not
/// interleave (`pending::drain`, which runs these).
pub(crate) fn credit(backend: Backend) -> &'static [String] {
    static SQLITE: LazyLock<Vec<String>> = LazyLock::new(|| statements(Backend::Sqlite));
    static POSTGRES: LazyLock<Vec<String>> = LazyLock::new(|| statements(Backend::Postgres));
    fn statements(backend: Backend) -> Vec<String> {
        [
            ledger_from_entries(&rollup::LEDGER_LEVELS, "e.id = $1"),
            super::firsts::CREDIT.clone(),
            people_from_entries(&rollup::LEVELS, "e.id = $1"),
        ]
        .into_iter()
        .chain(super::held::first_of_unit(backend))
        .collect()
    }
    match backend {
        Backend::Sqlite => &SQLITE,
        Backend::Postgres => &POSTGRES,
    }
}

/// The levels `which` read back from the rows of level `from`, which keeps
/// every dimension they keep: a level is rebuilt from far fewer rows than
/// the ledger holds, and the coarse ones from the team, district and theme
/// level (7) rather than from the one that also keeps the unit (15).
fn ledger_from_level(from: i64, which: &[i64]) -> String {
    format!(
        "INSERT INTO {LEDGER_COLUMNS} SELECT l.column1, s.grain, s.period, {keys}, SUM(s.hours), SUM(s.entries) \
         FROM stats_ledger s CROSS JOIN {levels} WHERE s.level = {from} GROUP BY 1, 2, 3, 4, 5, 6, 7 {ADD_LEDGER}",
        keys = keys("s."),
        levels = levels(which),
    )
}

/// A level of the hours missing from a database that kept the others
/// before it (a unit's teams, 0052; a unit in a district, 0057) from the
/// level keeping everything: on the first start after the upgrade and on
/// restoring an older dump (`fill::fill_levels!`).
pub(crate) fn ledger_level_from_all(level: i64) -> String {
    ledger_from_level(15, &[level])
}

/// Day bits OR-ed into `stats_people`: `row` (level, year, dimensions,
/// volunteer) and six `words` of each row of `from` (a FROM … WHERE
/// clause). PostgreSQL groups with `bit_or`; SQLite has no such aggregate,
/// so each row is upserted, OR-ing its words into the row already there.
fn people_or(backend: Backend, row: &str, words: [String; 6], from: &str) -> String {
    match backend {
        Backend::Postgres => {
            let or: Vec<String> = words.iter().map(|w| format!("bit_or({w})")).collect();
            format!("INSERT INTO {PEOPLE_COLUMNS} SELECT {row}, {} {from} GROUP BY 1, 2, 3, 4, 5, 6, 7", or.join(", "))
        }
        Backend::Sqlite => {
            let or: Vec<String> = (0..6).map(|k| format!("w{k} = stats_people.w{k} | excluded.w{k}")).collect();
            format!(
                "INSERT INTO {PEOPLE_COLUMNS} SELECT {row}, {} {from} \
                 ON CONFLICT (level, year, team_id, district_id, theme, unit_id, volunteer_id) DO UPDATE SET {}",
                words.join(", "),
                or.join(", ")
            )
        }
    }
}

/// The day bits of the level keeping every dimension (15), from the whole
/// ledger: one pass over the entries, not one per level.
fn people_of_ledger(backend: Backend) -> String {
    let row = "15, substr(e.served_on, 1, 4), e.team_id, e.district_id, e.theme, e.unit_id, e.volunteer_id";
    people_or(backend, row, std::array::from_fn(word), &format!("FROM {ENTRY} e WHERE TRUE"))
}

/// The levels `which` of the day bits from the rows of level `from`, which
/// keeps every dimension they keep: a coarser row is the OR of the finer
/// rows of its volunteer and year.
fn people_from_level(backend: Backend, from: i64, which: &[i64]) -> String {
    let row = format!("l.column1, s.year, {}, s.volunteer_id", keys("s."));
    let words = std::array::from_fn(|k| format!("s.w{k}"));
    people_or(backend, &row, words, &format!("FROM stats_people s CROSS JOIN {} WHERE s.level = {from}", levels(which)))
}

/// A level of the day bits missing from a database that kept the others
/// before it, as `ledger_level_from_all`.
pub(crate) fn people_level_from_all(backend: Backend, level: i64) -> String {
    people_from_level(backend, 15, &[level])
}

/// Stamps entries written by a bulk load with what they are attributed to
/// (`append_in!` stamps its own), then sets the rollups from the whole
/// ledger (so the queue of entries still to credit is empty): each from
/// its finest level, the coarser levels derived from the fewest finer rows
/// (a DISTINCT over the entries at every level took most of a rebuild). Run
/// in order, in the load's transaction, after `REBUILD_TOTALS`; the
/// twelve-month windows follow from the day bits (`fill::fill_windows!`).
pub(crate) fn rebuild(backend: Backend) -> Vec<String> {
    vec![
        "DELETE FROM stats_pending WHERE TRUE".to_string(),
        "UPDATE hours_entries SET \
            team_id = COALESCE((SELECT a.team_id FROM activities a WHERE a.id = hours_entries.activity_id), \
                               (SELECT n.team_id FROM needs n WHERE n.id = hours_entries.need_id)), \
            district_id = COALESCE((SELECT a.district_id FROM activities a WHERE a.id = hours_entries.activity_id), \
                                   (SELECT n.district_id FROM needs n WHERE n.id = hours_entries.need_id)), \
            theme = (SELECT a.theme FROM activities a WHERE a.id = hours_entries.activity_id), \
            unit_id = (SELECT v.unit_id FROM volunteers v WHERE v.id = hours_entries.volunteer_id) \
         WHERE unit_id IS NULL"
            .to_string(),
        "DELETE FROM stats_ledger WHERE TRUE".to_string(),
        "DELETE FROM stats_people WHERE TRUE".to_string(),
        ledger_from_entries(&[15], "TRUE"),
        ledger_from_level(15, &[7, UNIT | DISTRICT | TEAM]),
        ledger_from_level(UNIT | DISTRICT | TEAM, &[UNIT | DISTRICT, UNIT | TEAM]),
        ledger_from_level(UNIT | TEAM, &[UNIT]),
        ledger_from_level(7, &[0, 1, 2, 3, 4, 5, 6]),
        people_of_ledger(backend),
        people_from_level(backend, 15, &[7, UNIT | DISTRICT]),
        people_from_level(backend, UNIT | DISTRICT, &[UNIT]),
        people_from_level(backend, UNIT, &[0]),
        people_from_level(backend, 7, &[1, 2, 3, 4, 5, 6]),
        "DELETE FROM stats_firsts WHERE TRUE".to_string(),
        "DELETE FROM stats_heads WHERE TRUE".to_string(),
        "DELETE FROM stats_month_days WHERE TRUE".to_string(),
        super::firsts::years("TRUE"),
        super::firsts::months("TRUE"),
    ]
}

pub(super) fn span(f: &Filter) -> Span {
    rollup::days(&f.from, &f.to)
}

/// `level` (a clause on `$1`) picks the rows of `table` (its columns `cols`) matching the
/// filter's dimensions (`$2` team, `$3` district, `$4` theme, `$5` unit; a
/// dimension left out still names its argument), in its whole months
/// (`$6`–`$7`) and edge days (`$8`–`$11`).
pub(super) fn periods(table: &str, cols: &str, f: &Filter, level: &str) -> String {
    let dims = dims(f);
    let branch = |grain: &str, from: u8| {
        format!(
            "SELECT period, {cols} FROM {table} WHERE {level} AND grain = '{grain}' AND period >= ${from} AND period <= ${} AND {dims}",
            from + 1
        )
    };
    format!("({} UNION ALL {} UNION ALL {})", branch("m", 6), branch("d", 8), branch("d", 10))
}

fn ledger_rows(f: &Filter, level: &str) -> String {
    periods("stats_ledger", "team_id, hours, entries", f, &format!("level = {level}"))
}

pub(super) fn dims(f: &Filter) -> String {
    let pick = |on: bool, clause: &'static str, off: &'static str| if on { clause } else { off };
    format!(
        "{} AND {} AND {} AND {}",
        pick(f.team_id != 0, "team_id = $2", "$2 = 0"),
        pick(f.district_id != 0, "district_id = $3", "$3 = 0"),
        pick(!f.theme.is_empty(), "theme = $4", "$4 = ''"),
        pick(f.unit_id != 0, "unit_id = $5", "$5 = 0"),
    )
}

pub(super) fn level(f: &Filter, extra: i64) -> i64 {
    rollup::level(f.team_id != 0, f.district_id != 0, !f.theme.is_empty(), f.unit_id != 0, extra)
}

/// The filter's whole months (first, last `YYYY-MM`) and its two ranges
/// of edge days (first, last `YYYY-MM-DD`), as a monthly and daily rollup
/// reads them; an absent range is empty strings, which match nothing.
pub(crate) fn ranges(f: &Filter) -> [String; 6] {
    let c = cut(span(f));
    let (m1, m2) = c.months.unwrap_or_default();
    let mut days = c.days.iter().map(|(a, b)| (a.to_string(), b.to_string())).chain(std::iter::repeat_with(Default::default));
    let (d1, d2) = days.next().unwrap_or_default();
    let (d3, d4) = days.next().unwrap_or_default();
    [m1, m2, d1, d2, d3, d4]
}

/// `$1`–`$12`: the filter's level and dimensions, its months and edge days
/// (`ranges`), and the level of hours by team (`LEDGER_LEVELS`).
pub(super) fn args(f: &Filter) -> Vec<Arg> {
    let mut out =
        vec![Arg::I64(level(f, 0)), Arg::I64(f.team_id), Arg::I64(f.district_id), Arg::Text(f.theme.clone()), Arg::I64(f.unit_id)];
    out.extend(ranges(f).map(Arg::Text));
    out.push(Arg::I64(rollup::ledger_level(f.team_id != 0, f.district_id != 0, !f.theme.is_empty(), f.unit_id != 0, TEAM)));
    out
}

#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
pub struct Ledger {
    pub hours: f64,
    pub entries: i64,
}

#[derive(Deserialize, Default)]
struct People {
    people: i64,
}

/// The period's hours and entries within the filter.
pub async fn totals(db: &Db, f: &Filter) -> Result<Ledger> {
    super::pending::drain(db).await?;
    let sql =
        format!("SELECT COALESCE(SUM(x.hours), 0.0) AS hours, COALESCE(SUM(x.entries), 0) AS entries FROM {} x", ledger_rows(f, "$1"));
    Ok(rows::<Ledger>(sections::read(db, &[&sql], &args(f)).await?.pop().unwrap_or_default())?.pop().unwrap_or_default())
}

/// The period's hours, entries and distinct volunteers within the filter;
/// with `by`, hours by month and by team.
pub async fn ledger(db: &Db, f: &Filter, by: bool) -> Result<(Ledger, i64, Vec<Group>, Vec<Group>)> {
    super::pending::drain(db).await?;
    let mut a = args(f);
    let mut sqls = vec![
        format!("SELECT COALESCE(SUM(x.hours), 0.0) AS hours, COALESCE(SUM(x.entries), 0) AS entries FROM {} x", ledger_rows(f, "$1")),
        super::people::people(f, &mut a, None),
    ];
    if by {
        sqls.push(format!(
            "SELECT substr(x.period, 1, 7) AS key, NULL AS name, SUM(x.hours) AS n FROM {} x GROUP BY substr(x.period, 1, 7) ORDER BY 1",
            ledger_rows(f, "$1")
        ));
        sqls.push(format!(
            "SELECT CAST(t.id AS TEXT) AS key, t.name AS name, SUM(x.hours) AS n FROM {} x JOIN teams t ON t.id = x.team_id \
             GROUP BY t.id, t.name ORDER BY 3 DESC, t.id LIMIT 20",
            ledger_rows(f, "$12")
        ));
    }
    let sqls: Vec<&str> = sqls.iter().map(String::as_str).collect();
    let mut s = sections::read(db, &sqls, &a).await?.into_iter();
    let totals = rows::<Ledger>(s.next().unwrap_or_default())?.pop().unwrap_or_default();
    let people = rows::<People>(s.next().unwrap_or_default())?.pop().unwrap_or_default().people;
    Ok((totals, people, rows(s.next().unwrap_or_default())?, rows(s.next().unwrap_or_default())?))
}
