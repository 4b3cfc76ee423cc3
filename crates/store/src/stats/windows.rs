//! Twelve-month windows (migration 0049, `domain::stats::window`): per
//! level, start month and dimensions, how many volunteers first served on
//! each day of the twelve months from the start, in `stats_firsts` under
//! scope `w` (the day as its word, six more in the start's next year, and
//! bit). The last twelve months, its previous period and any period from a
//! 1st up to twelve months long are then a sum of counts, like the year so
//! far (`people::people`). Kept by the drain (`credit_windows!`, moves
//! computed in Rust from the volunteer's day bits of the years around the
//! entry's day, before the day bits take it), rebuilt from the day bits
//! (`fill_windows!`, one ordered pass; migration 0049's SQL fill is its
//! oracle in the tests). Not kept at the level holding every dimension (15), which
//! the counts never answer (a volunteer may have several rows in a unit).

use std::collections::BTreeMap;
use std::sync::LazyLock;

use tongxing_domain::stats::head;
use tongxing_domain::stats::rollup::{LEVELS, WORDS};
use tongxing_domain::stats::window::{self, Move};

use super::firsts::{ADD, COLUMNS};
use super::rollup::{keys, levels, ENTRY};

/// The levels the windows are kept at.
pub(super) fn kept() -> Vec<i64> {
    LEVELS.iter().copied().filter(|l| *l != 15).collect()
}

/// The entry `$1` at each kept level, with the volunteer's rows of day
/// bits from the year before its day to the year after (none: NULL). The
/// three years are listed, not a range: a range of the key's second column
/// reads every volunteer's rows of the level in those years to find one's.
pub(crate) static ROWS: LazyLock<String> = LazyLock::new(|| {
    let year = |d: i64| format!("CAST(CAST(substr(y.served_on, 1, 4) AS INTEGER) + ({d}) AS TEXT)");
    format!(
        "SELECT CAST(y.level AS BIGINT) AS level, y.team_id, y.district_id, y.theme, y.unit_id, y.served_on, p.year, \
           p.w0, p.w1, p.w2, p.w3, p.w4, p.w5 \
         FROM (SELECT l.column1 AS level, {keys}, e.volunteer_id AS volunteer_id, e.served_on AS served_on \
               FROM {ENTRY} e CROSS JOIN {levels} WHERE e.id = $1) y \
         LEFT JOIN stats_people p ON p.level = y.level AND p.team_id = y.team_id AND p.district_id = y.district_id \
           AND p.theme = y.theme AND p.unit_id = y.unit_id AND p.volunteer_id = y.volunteer_id \
           AND p.year IN ({before}, {same}, {after})",
        keys = keys("e."),
        levels = levels(&kept()),
        before = year(-1),
        same = year(0),
        after = year(1),
    )
});

/// One row of `ROWS`.
#[derive(sqlx::FromRow)]
pub(crate) struct Row {
    level: i64,
    team_id: i64,
    district_id: i64,
    theme: String,
    unit_id: i64,
    served_on: String,
    year: Option<String>,
    w0: Option<i64>,
    w1: Option<i64>,
    w2: Option<i64>,
    w3: Option<i64>,
    w4: Option<i64>,
    w5: Option<i64>,
}

/// A window row's level and dimensions.
pub(crate) type Key = (i64, i64, i64, String, i64);

/// A volunteer's rows of day bits by year.
pub(crate) type Years = Vec<(i32, [i64; WORDS])>;

/// An entry's rows (`ROWS`) by level and dimensions: its day, and the
/// volunteer's day bits there by year.
fn by_key(rows: &[Row]) -> BTreeMap<Key, (String, Years)> {
    let mut by: BTreeMap<Key, (String, Years)> = BTreeMap::new();
    for r in rows {
        let key = (r.level, r.team_id, r.district_id, r.theme.clone(), r.unit_id);
        let at = by.entry(key).or_insert_with(|| (r.served_on.clone(), Vec::new()));
        if let Some(year) = r.year.as_deref().and_then(|y| y.parse().ok()) {
            let w = [r.w0, r.w1, r.w2, r.w3, r.w4, r.w5].map(Option::unwrap_or_default);
            at.1.push((year, w));
        }
    }
    by
}

/// The window moves of an entry's rows (`ROWS`), per level and dimensions.
pub(crate) fn moves(rows: &[Row]) -> Vec<(Key, Move)> {
    let mut out = Vec::new();
    for (key, (day, rows)) in by_key(rows) {
        out.extend(window::moves_on(&rows, &day).into_iter().map(|m| (key.clone(), m)));
    }
    out
}

/// Adds a window move: `$1` level, `$2` period, `$3`–`$6` dimensions, `$7`
/// word, `$8` low, `$9` people.
pub(crate) static MOVE: LazyLock<String> =
    LazyLock::new(|| format!("INSERT INTO {COLUMNS} VALUES ($1, 'w', $2, $3, $4, $5, $6, $7, $8, $9) {ADD}"));

/// The head and month-day moves of an entry's rows (`ROWS`), at the levels
/// keeping them: the statement adding each (`HEAD_MOVE`, `DAY_MOVE`), its
/// level and dimensions, month, two days and count.
pub(crate) fn day_moves(rows: &[Row]) -> Vec<(&'static str, Key, String, i64, i64, i64)> {
    let mut out = Vec::new();
    for (key, (day, rows)) in by_key(rows).into_iter().filter(|(k, _)| head::LEVELS.contains(&k.0)) {
        let heads = head::moves_on(&rows, &day).into_iter();
        out.extend(heads.map(|(h, n)| (HEAD_MOVE.as_str(), key.clone(), h.period(), i64::from(h.last), h.next, n)));
        let pairs = head::pair_moves_on(&rows, &day).into_iter();
        out.extend(pairs.map(|(p, n)| (DAY_MOVE.as_str(), key.clone(), p.period(), i64::from(p.day), i64::from(p.prev), n)));
    }
    out
}

/// The heads' and the month days' columns (level, dimensions, month, two days, count).
pub(crate) const HEAD_COLUMNS: &str = "stats_heads (level, team_id, district_id, theme, unit_id, period, last_day, next_day, people)";
pub(crate) const DAY_COLUMNS: &str = "stats_month_days (level, team_id, district_id, theme, unit_id, period, day, prev_day, people)";

/// Adds a move to `columns`' table (`$1` level, `$2`–`$5` dimensions, `$6`
/// month, `$7`–`$8` days, `$9` people) to the count already there.
fn add_move(columns: &str) -> String {
    let (table, cols) = columns.split_once(' ').unwrap_or_default();
    let key = cols.trim_matches(|c| c == '(' || c == ')').rsplit_once(", people").map_or("", |(k, _)| k);
    format!(
        "INSERT INTO {columns} VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) \
         ON CONFLICT ({key}) DO UPDATE SET people = {table}.people + excluded.people"
    )
}

pub(crate) static HEAD_MOVE: LazyLock<String> = LazyLock::new(|| add_move(HEAD_COLUMNS));
pub(crate) static DAY_MOVE: LazyLock<String> = LazyLock::new(|| add_move(DAY_COLUMNS));

/// Moves the window, head and month-day counts for the entry `$id` (in
/// `$tx`), before the day bits take it (`pending::drain`).
macro_rules! credit_windows {
    ($tx:ident, $id:expr) => {{
        let rows: Vec<$crate::stats::windows::Row> =
            sqlx::query_as(sqlx::AssertSqlSafe($crate::stats::windows::ROWS.as_str())).bind($id).fetch_all(&mut *$tx).await?;
        for ((level, team, district, theme, unit), m) in $crate::stats::windows::moves(&rows) {
            sqlx::query(sqlx::AssertSqlSafe($crate::stats::windows::MOVE.as_str()))
                .bind(level)
                .bind(m.period)
                .bind(team)
                .bind(district)
                .bind(theme)
                .bind(unit)
                .bind(m.word)
                .bind(m.low)
                .bind(m.people)
                .execute(&mut *$tx)
                .await?;
        }
        for (sql, (level, team, district, theme, unit), period, a, b, people) in $crate::stats::windows::day_moves(&rows) {
            sqlx::query(sqlx::AssertSqlSafe(sql))
                .bind(level)
                .bind(team)
                .bind(district)
                .bind(theme)
                .bind(unit)
                .bind(period)
                .bind(a)
                .bind(b)
                .bind(people)
                .execute(&mut *$tx)
                .await?;
        }
    }};
}
pub(crate) use credit_windows;
