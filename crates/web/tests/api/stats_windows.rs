//! The dashboard's twelve-month windows (migration 0049) and heads of
//! periods (migration 0055): the counts kept entry by entry equal a
//! rebuild's, a rebuild's pass in Rust equals the windows migration's own
//! SQL fill, row for row, and a first start after the heads migration fills
//! them as a rebuild does. The unit in a district (migration 0057): kept
//! entry by entry as a rebuild sets it and a first start derives it.

use std::collections::HashSet;

use tongxing_store::{ledger, Db};

use crate::helpers::{spawn_app, TestApp};
use crate::report_in_figures::entry;
use crate::stats::region;
use crate::stats_rollups::same;

/// The window first-day counts (scope `w`) that are not zero, in order.
async fn windows(app: &TestApp) -> Vec<(i64, String, i64, i64, String, i64, i64, i64, i64)> {
    let sql = "SELECT level, period, team_id, district_id, theme, unit_id, word, low, people FROM stats_firsts \
        WHERE scope = 'w' AND people <> 0 ORDER BY level, period, team_id, district_id, theme, unit_id, word, low";
    match &app.svc.db {
        Db::Sqlite { write, .. } => sqlx::query_as(sql).fetch_all(write).await,
        Db::Postgres(p) => sqlx::query_as(sql).fetch_all(p).await,
    }
    .unwrap()
}

type DayCount = (i64, String, i64, i64, String, i64, i64, i64, i64);

/// The head counts that are not zero, in order, then the month days'.
async fn heads(app: &TestApp) -> (Vec<DayCount>, Vec<DayCount>) {
    let sql = "SELECT level, period, team_id, district_id, theme, unit_id, last_day, next_day, people FROM stats_heads \
        WHERE people <> 0 ORDER BY level, period, team_id, district_id, theme, unit_id, last_day, next_day";
    let days = "SELECT level, period, team_id, district_id, theme, unit_id, day, prev_day, people FROM stats_month_days \
        WHERE people <> 0 ORDER BY level, period, team_id, district_id, theme, unit_id, day, prev_day";
    (rows(app, sql).await, rows(app, days).await)
}

async fn rows(app: &TestApp, sql: &'static str) -> Vec<DayCount> {
    match &app.svc.db {
        Db::Sqlite { write, .. } => sqlx::query_as(sql).fetch_all(write).await,
        Db::Postgres(p) => sqlx::query_as(sql).fetch_all(p).await,
    }
    .unwrap()
}

#[tokio::test]
async fn the_head_counts_kept_entry_by_entry_equal_a_rebuild_and_a_first_starts_fill() {
    let app = spawn_app().await;
    region(&app).await;
    let [v0, v1, v2] = app.fx.volunteers;
    let (d1, t0) = (app.fx.districts[1], app.fx.teams[0]);
    let a0 = crate::stats::activity(&app, 0, 0, "health", 1_709_596_800_000, "head-a0").await;
    let a1 = crate::stats::activity(&app, 1, 1, "green", 1_732_060_800_000, "head-a1").await;
    // Out of order: a day before a month's last, a later month's day that
    // becomes an earlier month's next day, a next day over twelve months
    // on, the last day of a year and the first of the next.
    let days = [
        (v0, a0, "2026-03-20"),
        (v0, a1, "2025-12-31"),
        (v0, a0, "2026-01-01"),
        (v0, a1, "2026-03-02"),
        (v1, a1, "2025-12-08"),
        (v1, a0, "2027-02-10"),
        (v2, a0, "2025-11-30"),
        (v2, a1, "2026-02-15"),
        (v2, a0, "2025-12-09"),
        (v1, a0, "2026-06-14"),
    ];
    for (i, (v, a, day)) in days.into_iter().enumerate() {
        ledger::append(&app.svc.db, &[entry(v, a, 1.0, day, "manual")]).await.unwrap();
        // A different last day each time: the figures cache keeps a period's figures.
        same(&app, &format!("from=2025-12-08&to=2026-11-{:02}", 10 + i)).await;
    }
    for filter in [
        String::new(),
        format!("&district_id={d1}"),
        "&theme=health".into(),
        format!("&district_id={d1}&theme=green"),
        format!("&team_id={t0}"),
    ] {
        for period in [
            "from=2025-12-08&to=2026-12-07",
            "from=2025-12-10&to=2026-01-01",
            "from=2025-11-15&to=2026-11-14",
            "from=2026-02-16&to=2027-02-10",
        ] {
            same(&app, &format!("{period}{filter}")).await;
        }
    }
    let kept = heads(&app).await;
    for counts in [&kept.0, &kept.1] {
        let levels: HashSet<i64> = counts.iter().map(|h| h.0).collect();
        assert_eq!(levels, HashSet::from([0, 2, 4, 6]), "the levels without a team or unit");
    }
    assert!(kept.1.contains(&(0, "2026-03".into(), 0, 0, String::new(), 0, 20, 11, 1)), "v0's 20 March, after the 11th");
    assert!(kept.1.contains(&(0, "2026-03".into(), 0, 0, String::new(), 0, 2, 0, 1)), "v0's 2 March, her first of the month");
    assert!(kept.1.contains(&(0, "2025-12".into(), 0, 0, String::new(), 0, 9, 0, 1)), "v2's 9 December, her first of the month");
    assert!(kept.0.contains(&(0, "2025-12".into(), 0, 0, String::new(), 0, 31, 0, 1)), "v0's December, next on New Year's Day");
    assert!(kept.0.contains(&(0, "2026-06".into(), 0, 0, String::new(), 0, 14, 224, 1)), "v1's June, next on 10 February");
    assert!(kept.0.contains(&(0, "2027-02".into(), 0, 0, String::new(), 0, 10, 366, 1)), "v1's last day, none after");
    ledger::rebuild_all(&app.svc.db).await.unwrap();
    assert_eq!(heads(&app).await, kept, "a rebuild's fill");
    match &app.svc.db {
        Db::Sqlite { write, .. } => sqlx::query("DELETE FROM stats_month_days").execute(write).await.map(|_| ()),
        Db::Postgres(p) => sqlx::query("DELETE FROM stats_month_days").execute(p).await.map(|_| ()),
    }
    .unwrap();
    app.svc.db.migrate().await.unwrap();
    assert_eq!(heads(&app).await, kept, "the first start's fill after the migration");
}

#[tokio::test]
async fn the_window_counts_kept_entry_by_entry_equal_a_rebuild() {
    let app = spawn_app().await;
    region(&app).await;
    let [v0, v1, v2] = app.fx.volunteers;
    let dec = crate::stats::activity(&app, 1, 1, "green", 1_766_188_800_000, "window-dec").await;
    // Earlier than first days, across a new year, a year after: credited by the drain.
    ledger::append(
        &app.svc.db,
        &[
            entry(v0, dec, 1.5, "2025-12-20", "activity"),
            entry(v2, dec, 1.0, "2025-01-31", "manual"),
            entry(v1, dec, 2.0, "2027-01-05", "manual"),
        ],
    )
    .await
    .unwrap();
    same(&app, "from=2025-02-01&to=2026-01-31").await;
    let kept = windows(&app).await;
    assert!(kept.iter().any(|w| w.1 == "2025-02" && w.0 == 0), "v0's December in the window from February 2025");
    ledger::rebuild_all(&app.svc.db).await.unwrap();
    assert_eq!(windows(&app).await, kept);
}

/// Migration 0049's fill of the windows from the day bits, for `app`'s
/// database: the SQL the rebuild's pass in Rust must agree with, at the
/// levels kept then and the unit in a district kept since (0057).
fn migration_fill(app: &TestApp) -> String {
    let text = match &app.svc.db {
        Db::Sqlite { .. } => include_str!("../../../store/migrations/sqlite/0049_stats_windows.sql"),
        Db::Postgres(_) => include_str!("../../../store/migrations/postgres/0049_stats_windows.sql"),
    };
    let (_, fill) = text.split_once("-- The windows of the day bits as they stand").expect("the migration's fill");
    let (_, fill) = fill.split_once('\n').unwrap();
    let then = "p.level IN (0, 1, 2, 3, 4, 5, 6, 7, 8)";
    assert_eq!(fill.matches(then).count(), 2, "the levels kept then, in both halves");
    fill.trim().trim_end_matches(';').replace(then, "p.level IN (0, 1, 2, 3, 4, 5, 6, 7, 8, 10)")
}

#[tokio::test]
async fn the_rebuilds_windows_are_the_migrations_sql_fill() {
    let app = spawn_app().await;
    region(&app).await;
    let [v0, v1, v2] = app.fx.volunteers;
    let a0 = crate::stats::activity(&app, 0, 0, "health", 1_709_596_800_000, "oracle-a0").await;
    let a1 = crate::stats::activity(&app, 1, 1, "green", 1_732_060_800_000, "oracle-a1").await;
    // Consecutive years, the last and first days of a year, a gap year, a
    // January after a year without days, two teams, districts and themes:
    // every level's rows, windows from a year with and without a row of its own.
    let days = [
        (v0, a0, "2024-03-05"),
        (v0, a1, "2024-11-20"),
        (v0, a0, "2025-01-10"),
        (v0, a1, "2025-12-31"),
        (v0, a0, "2026-01-01"),
        (v0, a1, "2026-07-15"),
        (v1, a1, "2025-02-28"),
        (v1, a0, "2025-06-01"),
        (v1, a0, "2027-01-05"),
        (v2, a0, "2024-12-31"),
        (v2, a1, "2025-12-01"),
        (v2, a0, "2026-11-30"),
        (v1, a1, "2024-01-15"),
        (v2, a1, "2028-01-20"),
    ];
    let entries: Vec<_> = days.iter().map(|(v, a, day)| entry(*v, *a, 1.0, day, "manual")).collect();
    ledger::append(&app.svc.db, &entries).await.unwrap();
    ledger::rebuild_all(&app.svc.db).await.unwrap();
    let rebuilt = windows(&app).await;
    let levels: HashSet<i64> = rebuilt.iter().map(|w| w.0).collect();
    assert_eq!(levels.len(), 10, "every kept level: {levels:?}");
    assert!(rebuilt.iter().any(|w| w.1 == "2023-04" && w.6 >= 6), "a window from a year without a row");
    let sql = migration_fill(&app);
    match &app.svc.db {
        Db::Sqlite { write, .. } => {
            sqlx::query("DELETE FROM stats_firsts WHERE scope = 'w'").execute(write).await.unwrap();
            sqlx::query(sqlx::AssertSqlSafe(sql)).execute(write).await.unwrap();
        }
        Db::Postgres(p) => {
            sqlx::query("DELETE FROM stats_firsts WHERE scope = 'w'").execute(p).await.unwrap();
            sqlx::query(sqlx::AssertSqlSafe(sql)).execute(p).await.unwrap();
        }
    }
    assert_eq!(windows(&app).await, rebuilt);
}

type LedgerRow = (i64, String, String, i64, i64, String, i64, f64, i64);
type PeopleRow = (String, i64, i64, i64, i64, i64, i64, i64, i64, i64);
type FirstRow = (i64, String, String, i64, i64, String, i64, i64, i64, i64);

/// The hours (levels 10 and 11), day bits and first days of every scope
/// (level 10) of a unit in a district, in order.
async fn unit_districts(app: &TestApp) -> (Vec<LedgerRow>, Vec<PeopleRow>, Vec<FirstRow>) {
    let ledger = "SELECT level, grain, period, team_id, district_id, theme, unit_id, hours, entries FROM stats_ledger \
        WHERE level IN (10, 11) ORDER BY level, grain, period, team_id, district_id, theme, unit_id";
    // Level 10 keeps no team or theme.
    let people = "SELECT year, district_id, unit_id, volunteer_id, w0, w1, w2, w3, w4, w5 FROM stats_people \
        WHERE level = 10 ORDER BY year, district_id, unit_id, volunteer_id";
    let firsts = "SELECT level, scope, period, team_id, district_id, theme, unit_id, word, low, people FROM stats_firsts \
        WHERE level = 10 AND people <> 0 ORDER BY scope, period, district_id, unit_id, word, low";
    match &app.svc.db {
        Db::Sqlite { write, .. } => (
            sqlx::query_as(ledger).fetch_all(write).await.unwrap(),
            sqlx::query_as(people).fetch_all(write).await.unwrap(),
            sqlx::query_as(firsts).fetch_all(write).await.unwrap(),
        ),
        Db::Postgres(p) => (
            sqlx::query_as(ledger).fetch_all(p).await.unwrap(),
            sqlx::query_as(people).fetch_all(p).await.unwrap(),
            sqlx::query_as(firsts).fetch_all(p).await.unwrap(),
        ),
    }
}

#[tokio::test]
async fn a_unit_in_a_district_kept_entry_by_entry_is_what_a_rebuild_sets_and_a_first_start_derives() {
    let app = spawn_app().await;
    region(&app).await;
    let [v0, v1, v2] = app.fx.volunteers;
    let (d0, d1, u0, u1) = (app.fx.districts[0], app.fx.districts[1], app.fx.units[0], app.fx.units[1]);
    let a0 = crate::stats::activity(&app, 0, 0, "health", 1_709_596_800_000, "unit-district-a0").await;
    let a1 = crate::stats::activity(&app, 1, 1, "green", 1_732_060_800_000, "unit-district-a1").await;
    // Before first days, across a new year, in both districts for one unit.
    for (i, (v, a, day)) in
        [(v0, a1, "2025-12-31"), (v1, a1, "2026-01-02"), (v2, a0, "2025-06-01"), (v0, a0, "2026-02-01")].into_iter().enumerate()
    {
        ledger::append(&app.svc.db, &[entry(v, a, 1.0, day, "manual")]).await.unwrap();
        same(&app, &format!("from=2025-06-01&to=2026-11-{:02}&district_id={d1}&unit_id={u0}", 10 + i)).await;
    }
    let mut figures = Vec::new();
    for filter in
        [format!("&district_id={d1}&unit_id={u0}"), format!("&district_id={d0}&unit_id={u0}"), format!("&district_id={d0}&unit_id={u1}")]
    {
        for period in [
            "from=2026-01-01&to=2026-03-31",
            "from=2025-04-01&to=2026-03-31",
            "from=2025-12-15&to=2026-03-11",
            "from=2026-03-01&to=2026-03-11",
        ] {
            figures.push(same(&app, &format!("{period}{filter}")).await);
        }
    }
    assert!(figures.iter().filter(|f| f.1 > 0).count() >= 8, "most periods of these filters have volunteers: {figures:?}");
    let kept = unit_districts(&app).await;
    assert!(kept.0.iter().any(|r| r.0 == 10) && kept.0.iter().any(|r| r.0 == 11 && r.3 != 0), "both levels of the hours");
    assert!(kept.1.iter().any(|r| r.1 == d1 && r.2 == u0 && r.3 == v0), "张晓静's day bits in district 1 for unit 0");
    for scope in ["y", "m", "w"] {
        assert!(kept.2.iter().any(|r| r.1 == scope), "first days of scope {scope}");
    }
    ledger::rebuild_all(&app.svc.db).await.unwrap();
    assert_eq!(unit_districts(&app).await, kept, "a rebuild's");
    // A database that kept the rollups before migration 0057.
    for sql in [
        "DELETE FROM stats_ledger WHERE level IN (10, 11)",
        "DELETE FROM stats_people WHERE level = 10",
        "DELETE FROM stats_firsts WHERE level = 10",
    ] {
        match &app.svc.db {
            Db::Sqlite { write, .. } => sqlx::query(sql).execute(write).await.map(|_| ()),
            Db::Postgres(p) => sqlx::query(sql).execute(p).await.map(|_| ()),
        }
        .unwrap();
    }
    app.svc.db.migrate().await.unwrap();
    assert_eq!(unit_districts(&app).await, kept, "the first start's after the migration");
    let before = kept;
    app.svc.db.migrate().await.unwrap();
    assert_eq!(unit_districts(&app).await, before, "a second start derives nothing again");
}
