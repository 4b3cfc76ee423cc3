//! Distinct volunteers by their first day (migration 0045): per level,
//! year (scope `y`) or month (scope `m`) and dimensions, how many
//! volunteers first served on each day, the day kept as its word and bit
//! of `stats_people`'s rows (`domain::stats::rollup::day_bit`). A period
//! from the first day of its year or month is then a sum of a few counts
//! (`domain::stats::rollup::prefix`) instead of one row per volunteer (the
//! year so far and its previous period read 100,000 rows each at the
//! bench's size). Kept with the ledger: an entry earlier than its
//! volunteer's first day moves them from the old day's count to its own
//! (`CREDIT`, read before the day bits move); rebuilt from the day bits.

use std::sync::LazyLock;

use tongxing_domain::stats::rollup::LEVELS;

use super::rollup::{keys, levels, DAY, ENTRY, MONTH};

pub(super) const COLUMNS: &str = "stats_firsts (level, scope, period, team_id, district_id, theme, unit_id, word, low, people)";
pub(super) const ADD: &str = "ON CONFLICT (level, scope, period, team_id, district_id, theme, unit_id, word, low) \
    DO UPDATE SET people = stats_firsts.people + excluded.people";
const DIMS: &str = "team_id, district_id, theme, unit_id";

/// The first day of a year's row `p`: its first word with a bit set, and
/// that word's lowest bit (`x & (-x)`; the parentheses keep PostgreSQL from
/// reading `&-` as one operator). NULL for no row.
pub(super) fn year_first(p: &str) -> (String, String) {
    let word = (0..6).map(|k| format!("WHEN {p}w{k} <> 0 THEN {k}")).collect::<Vec<_>>().join(" ");
    let low = (0..6).map(|k| format!("WHEN {p}w{k} <> 0 THEN {p}w{k} & (-{p}w{k})")).collect::<Vec<_>>().join(" ");
    (format!("CASE {word} END"), format!("CASE {low} END"))
}

/// Word `k` (an expression) of row `p`.
fn pick_word(p: &str, k: &str) -> String {
    let arms = (0..6).map(|i| format!("WHEN {i} THEN {p}w{i}")).collect::<Vec<_>>().join(" ");
    format!("CASE {k} {arms} END")
}

/// The bits of month `m` (1–12, an expression) in its word.
fn month_mask(m: &str) -> String {
    format!("(CAST(2147483647 AS BIGINT) << ((({m}) - 1) % 2 * 31))")
}

/// Moves the volunteer of entry `$1` at every level: into the count of the
/// entry's day when it is earlier than their first day of its year (or
/// month), out of the count of the old first day. Runs before the day bits
/// take the entry.
pub(super) static CREDIT: LazyLock<String> = LazyLock::new(|| {
    let (yword, ylow) = year_first("p.");
    let seg = format!("(COALESCE({}, 0) & y.mask)", pick_word("p.", "y.k"));
    let earlier = "(x.yword IS NULL OR x.k < x.yword OR (x.k = x.yword AND x.bit < x.ylow))";
    let branch = |scope: &str, period: &str, word: &str, low: &str, n: i64, cond: &str| {
        format!("SELECT x.level AS level, '{scope}' AS scope, x.{period} AS period, {DIMS}, {word} AS word, {low} AS low, {n} AS n FROM x WHERE {cond}")
    };
    let moves = [
        branch("y", "year", "x.k", "x.bit", 1, earlier),
        branch("y", "year", "x.yword", "x.ylow", -1, &format!("x.yword IS NOT NULL AND {earlier}")),
        branch("m", "month", "x.k", "x.bit", 1, "(x.mlow = 0 OR x.bit < x.mlow)"),
        branch("m", "month", "x.k", "x.mlow", -1, "x.mlow <> 0 AND x.bit < x.mlow"),
    ]
    .join(" UNION ALL ");
    format!(
        "WITH x AS (SELECT y.*, {yword} AS yword, {ylow} AS ylow, {seg} & (-{seg}) AS mlow \
           FROM (SELECT l.column1 AS level, substr(e.served_on, 1, 4) AS year, substr(e.served_on, 1, 7) AS month, {keys}, \
                   e.volunteer_id AS volunteer_id, ({MONTH} - 1) / 2 AS k, \
                   CAST(1 AS BIGINT) << ((({MONTH} - 1) % 2) * 31 + {DAY} - 1) AS bit, {mask} AS mask \
                 FROM {ENTRY} e CROSS JOIN {levels} WHERE e.id = $1) y \
           LEFT JOIN stats_people p ON p.level = y.level AND p.year = y.year AND p.team_id = y.team_id \
             AND p.district_id = y.district_id AND p.theme = y.theme AND p.unit_id = y.unit_id AND p.volunteer_id = y.volunteer_id) \
         INSERT INTO {COLUMNS} SELECT f.level, f.scope, f.period, f.team_id, f.district_id, f.theme, f.unit_id, f.word, f.low, SUM(f.n) \
         FROM ({moves}) f WHERE TRUE GROUP BY f.level, f.scope, f.period, f.team_id, f.district_id, f.theme, f.unit_id, f.word, f.low {ADD}",
        keys = keys("e."),
        mask = month_mask(MONTH),
        levels = levels(&LEVELS),
    )
});

/// Every row of `stats_people` matching `cond` (on `p`) counted at its
/// first day of the year.
pub(super) fn years(cond: &str) -> String {
    let (word, low) = year_first("p.");
    format!(
        "INSERT INTO {COLUMNS} SELECT p.level, 'y', p.year, p.team_id, p.district_id, p.theme, p.unit_id, {word}, {low}, COUNT(*) \
         FROM stats_people p WHERE {cond} GROUP BY p.level, p.year, p.team_id, p.district_id, p.theme, p.unit_id, {word}, {low}"
    )
}

/// Every row of `stats_people` matching `cond` (on `p`) counted at its
/// first day of each month it has a day in.
pub(super) fn months(cond: &str) -> String {
    let months = (1..=12).map(|m| format!("({m}, '{m:02}')")).collect::<Vec<_>>().join(", ");
    let seg = format!("({} & {})", pick_word("p.", "((m.column1 - 1) / 2)"), month_mask("m.column1"));
    format!(
        "INSERT INTO {COLUMNS} SELECT s.level, 'm', s.period, s.team_id, s.district_id, s.theme, s.unit_id, s.word, s.seg & (-s.seg), COUNT(*) \
         FROM (SELECT p.level, p.year || '-' || m.column2 AS period, p.team_id, p.district_id, p.theme, p.unit_id, \
                 (m.column1 - 1) / 2 AS word, {seg} AS seg \
               FROM stats_people p CROSS JOIN (VALUES {months}) m WHERE {cond}) s \
         WHERE s.seg <> 0 GROUP BY s.level, s.period, s.team_id, s.district_id, s.theme, s.unit_id, s.word, s.seg & (-s.seg)"
    )
}
