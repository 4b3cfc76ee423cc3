//! Distinct volunteers of a period from the rollups: counts where a period
//! has them (prefixes, windows, heads, month days), day bits otherwise.

use tongxing_domain::stats::head;
use tongxing_domain::stats::rollup::{self, masks, prefix, Prefix};

use super::rollup::{dims, level, span};
use super::Filter;
use crate::sql::Arg;

/// A breakdown by one dimension: its bit, its column in the rollups, and
/// the argument (`$N`) holding the level that keeps it too (`level(f, bit)`).
pub(super) struct By {
    pub bit: i64,
    pub column: &'static str,
    pub level: String,
}

/// Distinct volunteers with a day of service in the period; with `by`, per
/// value of its column (`key`), each counted once in each group. A period from
/// the first day of its month or year (this month, this year, their
/// previous periods), or from any month's first day up to twelve months
/// long (the last twelve months and its previous period: `windows`), sums
/// the counts of volunteers by first day (`firsts`) when its level has one
/// row per volunteer (and group). A period from another day (twelve months
/// to today, a custom period) adds to its rest's counts its head's, and one
/// inside a month sums its month days (`domain::stats::head`), at the
/// levels keeping them. Otherwise per
/// year the rows sharing a bit with its days (arguments added after
/// `args`: the year, then six masks); one year below the unit level has one row per volunteer, so its
/// rows are counted as they are; otherwise their volunteers are merged.
pub(super) fn people(f: &Filter, args: &mut Vec<Arg>, by: Option<&By>) -> String {
    let dims = dims(f);
    let (at_level, level_arg) = by.map_or((level(f, 0), "$1"), |b| (level(f, b.bit), b.level.as_str()));
    let key = by.map_or(String::new(), |b| format!("{} AS key, ", b.column));
    if at_level != 15 {
        let counted =
            |table: &str, clause: String| format!("SELECT {key}people FROM {table} WHERE level = {level_arg} AND {clause} AND {dims}");
        let prefix_of = |args: &mut Vec<Arg>, p: Prefix| {
            let at = args.len() + 1;
            args.extend([Arg::Text(p.period), Arg::I64(p.word), Arg::I64(p.low)]);
            counted(
                "stats_firsts",
                format!(
                    "scope = '{}' AND period = ${at} AND (word < ${w} OR (word = ${w} AND low <= ${l}))",
                    p.scope,
                    w = at + 1,
                    l = at + 2
                ),
            )
        };
        let parts = match (prefix(span(f)), head::split(span(f)).filter(|_| head::LEVELS.contains(&at_level))) {
            (Some(p), _) => vec![prefix_of(args, p)],
            (None, Some(h)) => {
                let rest = prefix_of(args, h.rest);
                let at = args.len() + 1;
                args.extend([Arg::Text(h.period), Arg::I64(h.last), Arg::I64(h.next)]);
                let head = counted("stats_heads", format!("period = ${at} AND last_day >= ${} AND next_day > ${}", at + 1, at + 2));
                vec![rest, head]
            }
            (None, None) => match head::within(span(f)).filter(|_| head::LEVELS.contains(&at_level)) {
                Some(w) => {
                    let at = args.len() + 1;
                    args.extend([Arg::Text(w.period), Arg::I64(w.from), Arg::I64(w.to)]);
                    vec![counted(
                        "stats_month_days",
                        format!("period = ${at} AND day >= ${f} AND day <= ${} AND prev_day < ${f}", at + 2, f = at + 1),
                    )]
                }
                None => Vec::new(),
            },
        };
        if !parts.is_empty() {
            let (key, group) = by.map_or((String::new(), String::new()), |_| ("x.key AS key, ".to_string(), " GROUP BY x.key".to_string()));
            return format!(
                "SELECT {key}CAST(COALESCE(SUM(x.people), 0) AS BIGINT) AS people FROM ({}) x{group}",
                parts.join(" UNION ALL ")
            );
        }
    }
    let years = masks(span(f));
    let mut branches = Vec::new();
    for (year, words) in &years {
        let at = args.len() + 1;
        args.push(Arg::Text(year.to_string()));
        let hit: Vec<String> = (0..rollup::WORDS).map(|k| format!("(w{k} & ${}) <> 0", at + 1 + k)).collect();
        args.extend(words.iter().map(|w| Arg::I64(*w)));
        branches.push(format!(
            "SELECT {key}volunteer_id FROM stats_people WHERE level = {level_arg} AND year = ${at} AND {dims} AND ({})",
            hit.join(" OR ")
        ));
    }
    let (key, group) = by.map_or((String::new(), String::new()), |_| ("x.key AS key, ".to_string(), " GROUP BY x.key".to_string()));
    match branches.as_slice() {
        [one] if at_level != 15 => format!("SELECT {key}COUNT(*) AS people FROM ({one}) x{group}"),
        _ => format!("SELECT {key}COUNT(DISTINCT x.volunteer_id) AS people FROM ({}) x{group}", branches.join(" UNION ALL ")),
    }
}
