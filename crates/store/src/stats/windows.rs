//! Twelve-month windows (migration 0049, `domain::stats::window`): per
//! level, start month and dimensions, how many volunteers first served on
//! each day of the twelve months from the start, in `stats_firsts` under
//! scope `w` (the day as its word, six more in the start's next year, and
//! bit). The last twelve months, its previous period and any period from a
//! 1st up to twelve months long are then a sum of counts, like the year so
//! far (`rollup::people`). Kept by the drain (`credit_windows!`, moves
//! computed in Rust from the volunteer's day bits of the years around the
//! entry's day, before the day bits take it), rebuilt from the day bits
//! (`REBUILD`). Not kept at the level holding every dimension (15), which
//! the counts never answer (a volunteer may have several rows in a unit).

use std::collections::BTreeMap;
use std::sync::LazyLock;

use tongxing_domain::stats::rollup::{LEVELS, WORDS};
use tongxing_domain::stats::window::{self, Move};

use super::firsts::{year_first, ADD, COLUMNS};
use super::rollup::{keys, levels, ENTRY};

/// The levels the windows are kept at.
fn kept() -> Vec<i64> {
    LEVELS.iter().copied().filter(|l| *l != 15).collect()
}

/// The entry `$1` at each kept level, with the volunteer's rows of day
/// bits from the year before its day to the year after (none: NULL).
pub(crate) static ROWS: LazyLock<String> = LazyLock::new(|| {
    let year = |d: i64| format!("CAST(CAST(substr(y.served_on, 1, 4) AS INTEGER) + ({d}) AS TEXT)");
    format!(
        "SELECT CAST(y.level AS BIGINT) AS level, y.team_id, y.district_id, y.theme, y.unit_id, y.served_on, p.year, \
           p.w0, p.w1, p.w2, p.w3, p.w4, p.w5 \
         FROM (SELECT l.column1 AS level, {keys}, e.volunteer_id AS volunteer_id, e.served_on AS served_on \
               FROM {ENTRY} e CROSS JOIN {levels} WHERE e.id = $1) y \
         LEFT JOIN stats_people p ON p.level = y.level AND p.team_id = y.team_id AND p.district_id = y.district_id \
           AND p.theme = y.theme AND p.unit_id = y.unit_id AND p.volunteer_id = y.volunteer_id \
           AND p.year >= {before} AND p.year <= {after}",
        keys = keys("e."),
        levels = levels(&kept()),
        before = year(-1),
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
type Years = Vec<(i32, [i64; WORDS])>;

/// The moves of an entry's rows (`ROWS`), per level and dimensions.
pub(crate) fn moves(rows: &[Row]) -> Vec<(Key, Move)> {
    let mut by: BTreeMap<Key, (String, Years)> = BTreeMap::new();
    for r in rows {
        let key = (r.level, r.team_id, r.district_id, r.theme.clone(), r.unit_id);
        let at = by.entry(key).or_insert_with(|| (r.served_on.clone(), Vec::new()));
        if let Some(year) = r.year.as_deref().and_then(|y| y.parse().ok()) {
            let w = [r.w0, r.w1, r.w2, r.w3, r.w4, r.w5].map(Option::unwrap_or_default);
            at.1.push((year, w));
        }
    }
    let mut out = Vec::new();
    for (key, (day, rows)) in by {
        out.extend(window::moves_on(&rows, &day).into_iter().map(|m| (key.clone(), m)));
    }
    out
}

/// Adds a move: `$1` level, `$2` period, `$3`–`$6` dimensions, `$7` word,
/// `$8` low, `$9` people.
pub(crate) static MOVE: LazyLock<String> =
    LazyLock::new(|| format!("INSERT INTO {COLUMNS} VALUES ($1, 'w', $2, $3, $4, $5, $6, $7, $8, $9) {ADD}"));

/// Moves the window counts for the entry `$id` (in `$tx`), before the day
/// bits take it (`pending::drain`).
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
    }};
}
pub(crate) use credit_windows;

/// Months as `(n, 'MM')`.
fn months(from: u32) -> String {
    (from..=12).map(|m| format!("({m}, '{m:02}')")).collect::<Vec<_>>().join(", ")
}

/// Word `k` of row `p` keeping only the months from `m.column1` on (`late`)
/// or before it.
fn masked(p: &str, k: usize, late: bool) -> String {
    let half = "(m.column1 - 1) / 2";
    if late {
        format!("CASE WHEN {k} > {half} THEN {p}w{k} WHEN {k} = {half} THEN {p}w{k} & (CAST(-1 AS BIGINT) << ((m.column1 - 1) % 2 * 31)) ELSE 0 END")
    } else {
        format!("CASE WHEN {k} < {half} THEN {p}w{k} WHEN {k} = {half} THEN {p}w{k} & (CAST(2147483647 AS BIGINT) * ((m.column1 - 1) % 2)) ELSE 0 END")
    }
}

fn words(p: &str, late: bool) -> String {
    (0..WORDS).map(|k| format!("{} AS w{k}", masked(p, k, late))).collect::<Vec<_>>().join(", ")
}

/// Every kept row of `stats_people` counted at its first day in each window
/// it has a day in: the window from month m of its year (its days from m
/// on), and from month m of the year before (its days before m) when the
/// year before's row has no day from m on.
pub(crate) static REBUILD: LazyLock<String> = LazyLock::new(|| {
    let dims = "p.team_id, p.district_id, p.theme, p.unit_id";
    let same = |q: &str| {
        format!(
            "q.level = p.level AND q.team_id = p.team_id AND q.district_id = p.district_id AND q.theme = p.theme \
             AND q.unit_id = p.unit_id AND q.volunteer_id = p.volunteer_id AND q.year = {q}"
        )
    };
    let any_late = (0..WORDS).map(|k| format!("({})", masked("q.", k, true))).collect::<Vec<_>>().join(" | ");
    let prev = "CAST(CAST(p.year AS INTEGER) - 1 AS TEXT)";
    let kept = kept().iter().map(i64::to_string).collect::<Vec<_>>().join(", ");
    let (word, low) = year_first("c.");
    format!(
        "INSERT INTO {COLUMNS} SELECT c.level, 'w', c.period, c.team_id, c.district_id, c.theme, c.unit_id, c.shift + {word}, {low}, COUNT(*) \
         FROM (SELECT p.level, p.year || '-' || m.column2 AS period, {dims}, 0 AS shift, {late} \
                 FROM stats_people p CROSS JOIN (VALUES {all}) m WHERE p.level IN ({kept}) \
               UNION ALL \
               SELECT p.level, {prev} || '-' || m.column2 AS period, {dims}, 6 AS shift, {early} \
                 FROM stats_people p CROSS JOIN (VALUES {later}) m WHERE p.level IN ({kept}) \
                 AND NOT EXISTS (SELECT 1 FROM stats_people q WHERE {same_prev} AND ({any_late}) <> 0)) c \
         WHERE (c.w0 | c.w1 | c.w2 | c.w3 | c.w4 | c.w5) <> 0 \
         GROUP BY c.level, c.period, c.team_id, c.district_id, c.theme, c.unit_id, c.shift + {word}, {low}",
        late = words("p.", true),
        early = words("p.", false),
        all = months(1),
        later = months(2),
        same_prev = same(prev),
    )
});

#[cfg(test)]
mod tests {
    use super::REBUILD;

    #[test]
    fn the_migration_fills_the_windows_as_a_rebuild_does() {
        for migration in [
            include_str!("../../migrations/sqlite/0049_stats_windows.sql"),
            include_str!("../../migrations/postgres/0049_stats_windows.sql"),
        ] {
            assert!(migration.contains(REBUILD.as_str()));
        }
    }
}
