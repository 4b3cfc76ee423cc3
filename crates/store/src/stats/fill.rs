//! The window, head and month-day counts set from the day bits as they
//! stand (`fill_windows!`), after a rebuild or a restore, or on the first
//! start after migrations 0055–0056 (`fill_new`); the drain keeps them
//! afterwards (`windows::credit_windows!`).

use std::sync::LazyLock;

use tongxing_domain::stats::head::{self, Head};
use tongxing_domain::stats::rollup::{LEDGER_LEVELS, LEVELS};
use tongxing_domain::stats::window;

pub(crate) use super::windows::Key;
use super::windows::{kept, Years, DAY_COLUMNS, HEAD_COLUMNS};

/// Window rows inserted per statement (nine values each).
pub(crate) const BATCH: usize = crate::needs::past::MAX_BINDS / 9;

/// The years holding day bits (level 0 holds every volunteer's).
pub(crate) const YEARS: &str = "SELECT DISTINCT year FROM stats_people WHERE level = 0 ORDER BY year";

/// The kept levels' dimensions holding day bits, in order.
pub(crate) static PREFIXES: LazyLock<String> = LazyLock::new(|| {
    let kept = kept().iter().map(i64::to_string).collect::<Vec<_>>().join(", ");
    format!(
        "SELECT DISTINCT level, team_id, district_id, theme, unit_id FROM stats_people WHERE level IN ({kept}) \
         ORDER BY level, team_id, district_id, theme, unit_id"
    )
});

/// The day bits of one level and dimensions (`$1`–`$5`), each volunteer's
/// years together and in order. The years are listed so both databases
/// read each year's rows from the primary key (level, year, dimensions, volunteer).
pub(crate) fn rows_of(years: &[i32]) -> String {
    let years = years.iter().map(|y| format!("'{y}'")).collect::<Vec<_>>().join(", ");
    format!(
        "SELECT volunteer_id, year, w0, w1, w2, w3, w4, w5 FROM stats_people WHERE level = $1 AND year IN ({years}) \
         AND team_id = $2 AND district_id = $3 AND theme = $4 AND unit_id = $5 ORDER BY volunteer_id, year"
    )
}

/// One row of `rows_of`.
pub(crate) type PeopleRow = (i64, String, i64, i64, i64, i64, i64, i64);

/// A row of counts to insert: level and dimensions, period, its two places
/// (a window's first day as word and low, a head's last and next days, a
/// month day and its previous day), people.
pub(crate) type Count = (Key, String, i64, i64, i64);

/// The counts a fill keeps, each in its table.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Counted {
    Windows,
    Heads,
    Days,
}

impl Counted {
    pub(crate) const ALL: [Counted; 3] = [Counted::Windows, Counted::Heads, Counted::Days];

    /// Inserts `n` rows of these counts.
    pub(crate) fn insert(self, db: &crate::Db, n: usize) -> String {
        let (columns, tail) = match self {
            Counted::Windows => ("stats_firsts (level, team_id, district_id, theme, unit_id, period, word, low, people, scope)", ", 'w'"),
            Counted::Heads => (HEAD_COLUMNS, ""),
            Counted::Days => (DAY_COLUMNS, ""),
        };
        format!("INSERT INTO {columns} VALUES {}", crate::needs::past::value_rows(db, 9, n, tail))
    }
}

/// A start month's counts: a first day's word (twelve, the start's year
/// and the next) by its bit (62).
const SLOTS: usize = 12 * 62;

/// A month's head counts: a last day (31) by a next day (0 to `NEVER`).
const HEAD_SLOTS: usize = 31 * (head::NEVER as usize + 1);

/// A month's day counts: a day (31) by its previous day (0 to 31).
const DAY_SLOTS: usize = 31 * 32;

/// One level and dimensions' window, head and month-day counts at a time,
/// built volunteer by volunteer from their rows in (volunteer, year) order
/// (`window::firsts`, `head::heads`, `head::pairs`), in tables of every
/// month from the year before the first with day bits: their size is set
/// by the years, not by the volunteers, a count costs an index where a
/// map's look-up took a third of the pass, and the counts leave a batch at
/// a time (`take`), so a level's million rows are never held as rows.
pub(crate) struct Fill {
    volunteer: Option<i64>,
    years: Years,
    from: i32,
    windows: bool,
    heads: bool,
    counts: Vec<i64>,
    touched: Vec<usize>,
    head_counts: Vec<u32>,
    head_touched: Vec<usize>,
    day_counts: Vec<u32>,
    day_touched: Vec<usize>,
}

impl Fill {
    /// For the rows of `years` (in order); the windows too with `windows`.
    pub(crate) fn new(years: &[i32], windows: bool) -> Self {
        let from = years.first().map_or(0, |y| y - 1);
        let months = years.last().map_or(0, |y| (y - from + 1) as usize * 12);
        Fill {
            volunteer: None,
            years: Vec::new(),
            from,
            windows,
            heads: false,
            counts: vec![0; if windows { months * SLOTS } else { 0 }],
            touched: Vec::new(),
            head_counts: vec![0; months * HEAD_SLOTS],
            head_touched: Vec::new(),
            day_counts: vec![0; months * DAY_SLOTS],
            day_touched: Vec::new(),
        }
    }

    /// The rows to come are of `level`: counts its heads and month days if
    /// it keeps them.
    pub(crate) fn level(&mut self, level: i64) {
        self.heads = head::LEVELS.contains(&level);
    }

    pub(crate) fn add(&mut self, (volunteer, year, w0, w1, w2, w3, w4, w5): PeopleRow) {
        if self.volunteer != Some(volunteer) {
            self.count();
            self.volunteer = Some(volunteer);
        }
        if let Ok(year) = year.parse() {
            self.years.push((year, [w0, w1, w2, w3, w4, w5]));
        }
    }

    fn count(&mut self) {
        fn add<T: Copy + Default + PartialEq + std::ops::AddAssign + From<u8>>(counts: &mut [T], touched: &mut Vec<usize>, at: usize) {
            if counts[at] == T::default() {
                touched.push(at);
            }
            counts[at] += T::from(1);
        }
        let month = |year: i32, m: u32| (year - self.from) as usize * 12 + m as usize - 1;
        if self.windows {
            for f in window::firsts(&self.years) {
                let at = month(f.year, f.month) * SLOTS + f.word as usize * 62 + f.low.trailing_zeros() as usize;
                add(&mut self.counts, &mut self.touched, at);
            }
        }
        if self.heads {
            for h in head::heads(&self.years) {
                let at = month(h.year, h.month) * HEAD_SLOTS + (h.last as usize - 1) * (head::NEVER as usize + 1) + h.next as usize;
                add(&mut self.head_counts, &mut self.head_touched, at);
            }
            for p in head::pairs(&self.years) {
                let at = month(p.year, p.month) * DAY_SLOTS + (p.day as usize - 1) * 32 + p.prev as usize;
                add(&mut self.day_counts, &mut self.day_touched, at);
            }
        }
        self.years.clear();
    }

    /// The last volunteer of a level and dimensions counted: its counts
    /// are ready to `take`.
    pub(crate) fn finish(&mut self) {
        self.count();
        self.volunteer = None;
    }

    /// Up to `n` of the finished counts of `what`, as rows of `key`, out of
    /// the tables (empty when all are taken).
    pub(crate) fn take(&mut self, what: Counted, key: &Key, n: usize) -> Vec<Count> {
        let touched = match what {
            Counted::Windows => &mut self.touched,
            Counted::Heads => &mut self.head_touched,
            Counted::Days => &mut self.day_touched,
        };
        let at = touched.split_off(touched.len().saturating_sub(n));
        let year = |month: usize| self.from + (month / 12) as i32;
        let mut out = Vec::with_capacity(at.len());
        for at in at {
            out.push(match what {
                Counted::Windows => {
                    let (month, slot) = (at / SLOTS, at % SLOTS);
                    let f = window::First {
                        year: year(month),
                        month: (month % 12) as u32 + 1,
                        word: (slot / 62) as i64,
                        low: 1 << (slot % 62),
                    };
                    (key.clone(), f.period(), f.word, f.low, std::mem::take(&mut self.counts[at]))
                }
                Counted::Heads => {
                    let (month, slot, width) = (at / HEAD_SLOTS, at % HEAD_SLOTS, head::NEVER as usize + 1);
                    let h = Head {
                        year: year(month),
                        month: (month % 12) as u32 + 1,
                        last: (slot / width) as u32 + 1,
                        next: (slot % width) as i64,
                    };
                    (key.clone(), h.period(), i64::from(h.last), h.next, i64::from(std::mem::take(&mut self.head_counts[at])))
                }
                Counted::Days => {
                    let (month, slot) = (at / DAY_SLOTS, at % DAY_SLOTS);
                    let p = head::Pair {
                        year: year(month),
                        month: (month % 12) as u32 + 1,
                        day: (slot / 32) as u32 + 1,
                        prev: (slot % 32) as u32,
                    };
                    (key.clone(), p.period(), i64::from(p.day), i64::from(p.prev), i64::from(std::mem::take(&mut self.day_counts[at])))
                }
            });
        }
        out
    }
}

/// Sets the head and month-day counts, and with `$windows` the window
/// counts (in `$tx`, none there yet), of the kept levels among `$levels`
/// (a slice), from the day bits as they stand,
/// after a rebuild or a restore set them (or migrations 0055–0056 added the
/// heads and month days: `fill_new`): one level and dimensions at a time,
/// its rows streamed volunteer by volunteer, so memory holds one table of
/// counts (`Fill`) and one batch of rows to insert, however many
/// volunteers and counts there are. Each level and dimensions is read on
/// its own and inserted after its read ends: sqlx cannot run a statement on
/// a connection while a read streams from it, and no other connection sees
/// the rebuild's uncommitted day bits.
macro_rules! fill_windows {
    ($tx:ident, $db:expr, $windows:expr, $levels:expr) => {{
        use $crate::stats::fill as w;
        let started = std::time::Instant::now();
        let (mut filled, mut filled_heads) = (0, 0);
        let windows: bool = $windows;
        let levels: &[i64] = $levels;
        let years: Vec<String> = sqlx::query_scalar(w::YEARS).fetch_all(&mut *$tx).await?;
        let years: Vec<i32> = years.iter().filter_map(|y| y.parse().ok()).collect();
        let mut prefixes: Vec<w::Key> =
            if years.is_empty() { Vec::new() } else { sqlx::query_as(sqlx::AssertSqlSafe(w::PREFIXES.as_str())).fetch_all(&mut *$tx).await? };
        prefixes.retain(|k| levels.contains(&k.0) && (windows || tongxing_domain::stats::head::LEVELS.contains(&k.0)));
        let rows_of = w::rows_of(&years);
        let mut fill = w::Fill::new(&years, windows);
        for key in &prefixes {
            fill.level(key.0);
            let q = sqlx::query_as::<_, w::PeopleRow>(sqlx::AssertSqlSafe(rows_of.as_str()));
            let mut rows = q.bind(key.0).bind(key.1).bind(key.2).bind(&key.3).bind(key.4).fetch(&mut *$tx);
            while let Some(r) = futures_util::TryStreamExt::try_next(&mut rows).await? {
                fill.add(r);
            }
            drop(rows);
            fill.finish();
            for what in w::Counted::ALL {
                loop {
                    let batch = fill.take(what, key, w::BATCH);
                    if batch.is_empty() {
                        break;
                    }
                    match what {
                        w::Counted::Windows => filled += batch.len(),
                        _ => filled_heads += batch.len(),
                    }
                    // A statement of thousands of values is megabytes
                    // prepared: only the full batch's, the same text each
                    // time, is kept in the connection's cache of 100.
                    let sql = what.insert($db, batch.len());
                    let mut q = sqlx::query(sqlx::AssertSqlSafe(sql)).persistent(batch.len() == w::BATCH);
                    for ((level, team, district, theme, unit), period, a, b, people) in batch {
                        q = q.bind(level).bind(team).bind(district).bind(theme).bind(unit).bind(period).bind(a).bind(b).bind(people);
                    }
                    q.execute(&mut *$tx).await?;
                }
            }
        }
        // Not one statement, so sqlx's slow-statement log does not time it.
        tracing::info!(target: "tongxing_store::stats::windows", rows = filled, heads = filled_heads, levels_and_dimensions = prefixes.len(), seconds = started.elapsed().as_secs_f64(), "twelve-month windows, heads and month days filled");
    }};
}
pub(crate) use fill_windows;

/// The database holds rows of `table` at the level keeping every
/// dimension but none at `level`: it kept them before that level was.
/// Every entry is credited at every level, so a level is empty only when
/// all are.
fn missing_expr(table: &str, level: i64) -> String {
    format!("EXISTS (SELECT 1 FROM {table} WHERE level = 15) AND NOT EXISTS (SELECT 1 FROM {table} WHERE level = {level})")
}

/// The levels below the one keeping everything.
pub(crate) fn derived(levels: &[i64]) -> impl Iterator<Item = i64> + '_ {
    levels.iter().copied().filter(|l| *l != 15)
}

/// Is `level` of `table` missing (`missing_expr`)?
pub(crate) fn missing(table: &str, level: i64) -> String {
    format!("SELECT {}", missing_expr(table, level))
}

/// Whether the hours or day bits miss a level (`missing_expr`).
fn levels_missing() -> String {
    let ledger = derived(&LEDGER_LEVELS).map(|l| missing_expr("stats_ledger", l));
    let people = derived(&LEVELS).map(|l| missing_expr("stats_people", l));
    format!("({})", ledger.chain(people).collect::<Vec<_>>().join(") OR ("))
}

/// The first days of the year and month of the day bits at `level`, just derived.
pub(crate) fn firsts_of(level: i64) -> [String; 2] {
    let at = format!("p.level = {level}");
    [super::firsts::years(&at), super::firsts::months(&at)]
}

/// Derives in `$tx` each level of the hours and day bits the database
/// misses (`missing`: it kept the rollups before that level was, or a
/// dump from then was restored) from the level keeping every dimension,
/// then the new day bits' first days, windows and heads: the upgrade a
/// new level needs, in one place for every level to come.
macro_rules! fill_levels {
    ($tx:ident, $db:expr) => {{
        use tongxing_domain::stats::rollup::{LEDGER_LEVELS, LEVELS};
        use $crate::stats::fill as w;
        for level in w::derived(&LEDGER_LEVELS) {
            let missing: bool = sqlx::query_scalar(sqlx::AssertSqlSafe(w::missing("stats_ledger", level))).fetch_one(&mut *$tx).await?;
            if missing {
                sqlx::query(sqlx::AssertSqlSafe($crate::stats::rollup::ledger_level_from_all(level))).execute(&mut *$tx).await?;
            }
        }
        let mut people = Vec::new();
        for level in w::derived(&LEVELS) {
            let missing: bool = sqlx::query_scalar(sqlx::AssertSqlSafe(w::missing("stats_people", level))).fetch_one(&mut *$tx).await?;
            if missing {
                let derive = $crate::stats::rollup::people_level_from_all($db.backend(), level);
                sqlx::query(sqlx::AssertSqlSafe(derive)).execute(&mut *$tx).await?;
                for sql in w::firsts_of(level) {
                    sqlx::query(sqlx::AssertSqlSafe(sql)).execute(&mut *$tx).await?;
                }
                people.push(level);
            }
        }
        if !people.is_empty() {
            tracing::info!(target: "tongxing_store::stats::windows", levels = ?people, "day bits derived for levels kept since");
            $crate::stats::fill::fill_windows!($tx, $db, true, &people);
        }
    }};
}
pub(crate) use fill_levels;

/// The database holds day bits but no heads or no month days: it held them
/// before migration 0055 or 0056, or lost those since (every volunteer
/// with a day has a head and a month day at level 0, so they are empty
/// only with the day bits).
const UNFILLED: &str = "EXISTS (SELECT 1 FROM stats_people WHERE level = 0) \
    AND (NOT EXISTS (SELECT 1 FROM stats_heads) OR NOT EXISTS (SELECT 1 FROM stats_month_days))";

/// Fills what a database that held day bits before migrations 0055–0057
/// lacks, once, after migrating: the heads and month days, and the levels
/// kept since (`fill_levels!`). In one transaction holding the drains'
/// lock, so no entry is credited meanwhile and a second instance starting
/// at the same time finds them filled.
pub(crate) async fn fill_new(db: &crate::Db) -> crate::Result<()> {
    let needed = format!("SELECT ({UNFILLED}) OR {}", levels_missing());
    let needed: bool = db_read!(db, |p| sqlx::query_scalar(sqlx::AssertSqlSafe(needed.as_str())).fetch_one(p).await?);
    if !needed {
        return Ok(());
    }
    db_write!(db, |p| {
        let mut tx = p.begin().await?;
        if db.backend() == crate::Backend::Postgres {
            sqlx::query(super::pending::LOCK).execute(&mut *tx).await?;
        }
        let unfilled: bool = sqlx::query_scalar(sqlx::AssertSqlSafe(format!("SELECT {UNFILLED}"))).fetch_one(&mut *tx).await?;
        if unfilled {
            sqlx::query("DELETE FROM stats_heads WHERE TRUE").execute(&mut *tx).await?;
            sqlx::query("DELETE FROM stats_month_days WHERE TRUE").execute(&mut *tx).await?;
            fill_windows!(tx, db, false, &LEVELS);
        }
        fill_levels!(tx, db);
        tx.commit().await?;
        Ok::<_, crate::Error>(())
    })
}
