//! The dashboard's rollups against the rows they count: periods cut at any
//! day (whole months from monthly rows, edge days from daily ones), distinct
//! people across teams and across a new year, entries recorded after a
//! month was closed, and a rebuild after a bulk load giving the same
//! figures as the rows written one by one, entries still queued for the
//! rollups included. The twelve-month windows: `stats_windows`.

use std::collections::HashSet;

use reqwest::StatusCode;
use serde_json::{json, Value};
use tongxing_domain::role::Role;
use tongxing_store::stats::{figures, Filter};
use tongxing_store::{ledger, Db};

use crate::helpers::{body, spawn_app, TestApp};
use crate::report_in_figures::entry;
use crate::stats::region;

/// (hours, active volunteers, activities) of the overview.
async fn figures_of(app: &TestApp, query: &str) -> (f64, i64, i64) {
    let resp = app.get(Role::Viewer, &format!("/api/v1/stats/overview?{query}")).await;
    assert_eq!(resp.status(), StatusCode::OK, "{query}");
    let o = body(resp).await;
    (o["hours"].as_f64().unwrap(), o["active_volunteers"].as_i64().unwrap(), o["activities"].as_i64().unwrap())
}

/// The same three read from the lists behind them: hours added up, people
/// by name counted once, activities counted.
pub(crate) async fn lists_of(app: &TestApp, query: &str) -> (f64, i64, i64) {
    let path = |metric: &str| format!("/api/v1/stats/lines?metric={metric}&per_page=100&{query}");
    let entries: Value = body(app.get(Role::Viewer, &path("entries")).await).await;
    let items = entries["items"].as_array().unwrap();
    assert_eq!(entries["total"].as_i64(), Some(items.len() as i64), "every row on one page: {query}");
    let hours = items.iter().map(|r| r["value"].as_f64().unwrap()).sum::<f64>();
    let people: HashSet<&str> = items.iter().map(|r| r["person"].as_str().unwrap()).collect();
    let activities = body(app.get(Role::Viewer, &path("activities")).await).await["total"].as_i64().unwrap();
    (hours, people.len() as i64, activities)
}

/// Team `team`'s activity in March.
async fn activity_of(app: &TestApp, team: usize) -> i64 {
    let query = format!("metric=activities&from=2026-03-01&to=2026-03-31&team_id={}", app.fx.teams[team]);
    body(app.get(Role::Viewer, &format!("/api/v1/stats/lines?{query}")).await).await["items"][0]["id"].as_i64().unwrap()
}

pub(crate) async fn same(app: &TestApp, query: &str) -> (f64, i64, i64) {
    let f = figures_of(app, query).await;
    assert_eq!(f, lists_of(app, query).await, "figures and lists: {query}");
    f
}

#[tokio::test]
async fn a_period_cut_at_any_day_counts_exactly_what_its_rows_hold() {
    let app = spawn_app().await;
    region(&app).await;
    let (t0, u0, d1) = (app.fx.teams[0], app.fx.units[0], app.fx.districts[1]);
    let filters = [
        String::new(),
        format!("&team_id={t0}"),
        format!("&unit_id={u0}"),
        format!("&district_id={d1}"),
        "&theme=health".into(),
        format!("&district_id={d1}&unit_id={u0}"),
    ];
    for filter in filters {
        for period in [
            "from=2026-02-10&to=2026-03-11",
            "from=2026-03-11&to=2026-03-12",
            "from=2026-02-01&to=2026-03-10",
            "from=2025-12-01&to=2026-04-30",
            // Twelve-month windows: a last twelve months cut at any day, and today's.
            "from=2025-04-01&to=2026-03-10",
            "from=2025-04-01&to=2026-03-31",
            // Heads: twelve months to any day, and across a new year.
            "from=2025-03-11&to=2026-03-10",
            "from=2025-12-20&to=2026-03-11",
            "period=last12",
        ] {
            same(&app, &format!("{period}{filter}")).await;
        }
    }
    // Feb 15 (v2, 1.0), Mar 10 (v0, 2.5), Mar 11 (v0 2.0, v2 4.0): the edges of two months.
    assert_eq!(same(&app, "from=2026-02-10&to=2026-03-11").await, (9.5, 2, 3));
    assert_eq!(same(&app, "from=2026-03-11&to=2026-03-11").await, (6.0, 2, 1));
}

#[tokio::test]
async fn one_volunteer_over_a_new_year_and_in_two_teams_is_one_person() {
    let app = spawn_app().await;
    region(&app).await;
    let [v0, ..] = app.fx.volunteers;
    let a = crate::stats::activity(&app, 1, 1, "green", 1_766_188_800_000, "rollup-dec").await;
    ledger::append(&app.svc.db, &[entry(v0, a, 1.5, "2025-12-20", "activity")]).await.unwrap();
    let (hours, people, _) = same(&app, "from=2025-12-01&to=2026-03-31").await;
    assert_eq!((hours, people), (16.0, 3), "v0 in December and March, in team 0 and team 1: once");
    assert_eq!(same(&app, "from=2025-12-01&to=2026-01-31").await.1, 1, "a window across the new year");
    assert_eq!(same(&app, "from=2025-04-01&to=2026-03-31").await.1, 3);
    let team1 = format!("from=2025-12-01&to=2026-03-31&team_id={}", app.fx.teams[1]);
    assert_eq!(same(&app, &team1).await.1, 2, "v0 and v2 served team 1");
}

#[tokio::test]
async fn entries_recorded_after_a_month_closed_count_in_its_figures_and_lists_alike() {
    let app = spawn_app().await;
    region(&app).await;
    let closed = app.post(Role::Coordinator, "/api/v1/stats/months/2026-03/close", &json!({})).await;
    assert_eq!(closed.status(), StatusCode::CREATED);
    let (v1, a0) = (app.fx.volunteers[1], activity_of(&app, 0).await);
    ledger::append(&app.svc.db, &[entry(v1, a0, 2.0, "2026-03-20", "manual")]).await.unwrap();
    // A period the figures cache has not seen: the rollup as the ledger stands.
    assert_eq!(same(&app, "from=2026-03-01&to=2026-03-30").await, (15.5, 3, 2));
    let april = body(app.get(Role::Viewer, "/api/v1/stats/reports/monthly?month=2026-04&format=json").await).await;
    assert_eq!(april["adjustments"][0]["hours"].as_f64(), Some(2.0), "the next report adjusts");
}

/// Every figure and chart of the service section, read from the store (no cache).
async fn service(app: &TestApp, f: &Filter) -> String {
    let s = figures::service(&app.svc.db, f, true).await.unwrap();
    format!("{:?} {:?} {:?} {:?} {:?}", s.totals, s.hours_by_month, s.activities_by_month, s.activities_by_theme, s.hours_by_team)
}

pub(crate) fn filters(app: &TestApp) -> Vec<Filter> {
    let base = Filter {
        from: "2026-02-10".into(),
        to: "2026-03-31".into(),
        from_ms: 1_770_652_800_000,
        until_ms: 1_774_972_800_000,
        ..Default::default()
    };
    // From the first day of the year or of a month: read from first days.
    let year = Filter { from: "2026-01-01".into(), from_ms: 1_767_196_800_000, ..base.clone() };
    let march = Filter { from: "2026-03-01".into(), from_ms: 1_772_294_400_000, ..base.clone() };
    // From a month's first day, twelve months: read from window first days.
    let twelve = Filter { from: "2025-04-01".into(), from_ms: 1_743_436_800_000, ..base.clone() };
    let (twelve_again, year_again) = (twelve.clone(), year.clone());
    vec![
        Filter { team_id: app.fx.teams[1], ..twelve.clone() },
        Filter { unit_id: app.fx.units[0], ..twelve.clone() },
        Filter { district_id: app.fx.districts[1], theme: "green".into(), ..twelve.clone() },
        twelve,
        Filter { unit_id: app.fx.units[0], ..year.clone() },
        year,
        Filter { team_id: app.fx.teams[1], ..march.clone() },
        march,
        base.clone(),
        Filter { team_id: app.fx.teams[0], ..base.clone() },
        Filter { unit_id: app.fx.units[0], ..base.clone() },
        Filter { district_id: app.fx.districts[1], theme: "green".into(), ..base.clone() },
        // A unit in a district: its own level (migration 0057), read from
        // first days, windows, or day bits (not merged).
        Filter { district_id: app.fx.districts[1], unit_id: app.fx.units[0], ..base.clone() },
        Filter { district_id: app.fx.districts[0], unit_id: app.fx.units[0], ..twelve_again },
        Filter { district_id: app.fx.districts[1], unit_id: app.fx.units[1], ..year_again },
        Filter { team_id: app.fx.teams[1], unit_id: app.fx.units[1], ..base },
    ]
}

#[tokio::test]
async fn a_rebuild_after_a_bulk_load_gives_the_figures_kept_entry_by_entry() {
    let app = spawn_app().await;
    region(&app).await;
    let mut kept = Vec::new();
    for f in filters(&app) {
        kept.push(service(&app, &f).await);
    }
    ledger::rebuild_all(&app.svc.db).await.unwrap();
    for (f, before) in filters(&app).iter().zip(&kept) {
        assert_eq!(&service(&app, f).await, before, "{f:?}");
    }
    // An entry written behind the application's back (as a bulk load does)
    // counts once the rollups are rebuilt, attributed like the others.
    let [_, v1, _] = app.fx.volunteers;
    let a0 = activity_of(&app, 0).await;
    let sql = format!(
        "INSERT INTO hours_entries (volunteer_id, kind, activity_id, hours, served_on, created_at) VALUES ({v1}, 'activity', {a0}, 4.0, '2026-03-12', 0)"
    );
    match &app.svc.db {
        Db::Sqlite { write, .. } => sqlx::query(sqlx::AssertSqlSafe(sql)).execute(write).await.map(|_| ()),
        Db::Postgres(p) => sqlx::query(sqlx::AssertSqlSafe(sql)).execute(p).await.map(|_| ()),
    }
    .unwrap();
    ledger::rebuild_all(&app.svc.db).await.unwrap();
    assert_eq!(same(&app, "from=2026-03-01&to=2026-03-31").await, (17.5, 3, 2));
    assert_eq!(same(&app, &format!("from=2026-03-01&to=2026-03-31&team_id={}", app.fx.teams[0])).await, (11.5, 2, 1));
}

async fn sql(app: &TestApp, sql: String) {
    match &app.svc.db {
        Db::Sqlite { write, .. } => sqlx::query(sqlx::AssertSqlSafe(sql)).execute(write).await.map(|_| ()),
        Db::Postgres(p) => sqlx::query(sqlx::AssertSqlSafe(sql)).execute(p).await.map(|_| ()),
    }
    .unwrap();
}

/// The rows of a unit's activities without team or district (migration
/// 0054), and without team (0057), are those with them, added up: kept
/// entry by entry as a rebuild fills them.
async fn unit_themes_agree(app: &TestApp) {
    let coarse =
        "SELECT unit_id, grain, period, theme, project_id, activities FROM stats_unit_themes WHERE activities <> 0 ORDER BY 1, 2, 3, 4, 5";
    let fine = "SELECT unit_id, grain, period, theme, project_id, CAST(SUM(activities) AS BIGINT) FROM stats_unit_activities \
        GROUP BY unit_id, grain, period, theme, project_id HAVING SUM(activities) <> 0 ORDER BY 1, 2, 3, 4, 5";
    // The district in the place of the theme's key, so both read as one row type.
    let districts = "SELECT unit_id, grain, period, theme || '/' || CAST(district_id AS TEXT), project_id, activities \
        FROM stats_unit_districts WHERE activities <> 0 ORDER BY 1, 2, 3, 4, 5";
    let fine_districts = "SELECT unit_id, grain, period, theme || '/' || CAST(district_id AS TEXT), project_id, \
        CAST(SUM(activities) AS BIGINT) FROM stats_unit_activities GROUP BY unit_id, grain, period, theme, district_id, project_id \
        HAVING SUM(activities) <> 0 ORDER BY 1, 2, 3, 4, 5";
    type Row = (i64, String, String, String, i64, i64);
    let read = |sql: &'static str| async move {
        match &app.svc.db {
            Db::Sqlite { write, .. } => sqlx::query_as::<_, Row>(sql).fetch_all(write).await,
            Db::Postgres(p) => sqlx::query_as::<_, Row>(sql).fetch_all(p).await,
        }
        .unwrap()
    };
    let kept = read(coarse).await;
    assert!(!kept.is_empty(), "the region's units served");
    assert_eq!(kept, read(fine).await);
    let kept = read(districts).await;
    assert!(kept.len() > 1, "the region's units served in districts");
    assert_eq!(kept, read(fine_districts).await);
}

/// March's activities of unit `unit`, read from the store (no cache).
async fn unit_activities(app: &TestApp, unit: usize) -> (i64, String) {
    let f = Filter {
        from: "2026-03-01".into(),
        to: "2026-03-31".into(),
        from_ms: 1_772_294_400_000,
        until_ms: 1_774_972_800_000,
        unit_id: app.fx.units[unit],
        ..Default::default()
    };
    let s = figures::service(&app.svc.db, &f, true).await.unwrap();
    (s.totals.activities, format!("{:?} {:?}", s.activities_by_month, s.activities_by_theme))
}

#[tokio::test]
async fn a_units_activities_follow_its_first_entry_a_move_of_unit_and_a_cancellation() {
    let app = spawn_app().await;
    region(&app).await;
    let [_, v1, v2] = app.fx.volunteers;
    let (u1, a0) = (app.fx.units[1], activity_of(&app, 0).await);
    assert_eq!(unit_activities(&app, 1).await.0, 1, "王秀英 (unit 1) served team 1's March activity");
    // Her first entry in team 0's activity ties unit 1 to it; a second does not again.
    ledger::append(&app.svc.db, &[entry(v2, a0, 1.0, "2026-03-12", "activity"), entry(v2, a0, 0.5, "2026-03-12", "manual")]).await.unwrap();
    assert_eq!(unit_activities(&app, 1).await.0, 2);
    assert_eq!(same(&app, &format!("from=2026-03-01&to=2026-03-30&unit_id={u1}")).await, (5.5, 1, 2));
    // She moves to unit 0: her later service is unit 0's, her earlier stays unit 1's.
    sql(&app, format!("UPDATE volunteers SET unit_id = {} WHERE id = {v2}", app.fx.units[0])).await;
    let a3 = crate::stats::activity(&app, 1, 1, "green", 1_773_964_800_000, "rollup-a3").await;
    ledger::append(&app.svc.db, &[entry(v2, a3, 2.0, "2026-03-20", "activity"), entry(v1, a3, 1.0, "2026-03-20", "activity")])
        .await
        .unwrap();
    assert_eq!((unit_activities(&app, 0).await.0, unit_activities(&app, 1).await.0), (3, 2));
    let u0 = app.fx.units[0];
    assert_eq!(same(&app, &format!("from=2026-03-01&to=2026-03-29&unit_id={u0}")).await, (12.5, 3, 3));
    assert_eq!(same(&app, &format!("from=2026-03-01&to=2026-03-29&unit_id={u1}")).await, (5.5, 1, 2));
    // Cancelling team 1's activity takes it out of both units' rows.
    let a1 = body(
        app.get(Role::Viewer, &format!("/api/v1/stats/lines?metric=activities&{}&team_id={}", crate::stats::MARCH, app.fx.teams[1])).await,
    )
    .await["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["id"].as_i64().unwrap())
        .find(|id| *id != a3)
        .unwrap();
    tongxing_store::activities::cancel(&app.svc.db, a1, 1_775_000_000_000).await.unwrap();
    let kept = (unit_activities(&app, 0).await, unit_activities(&app, 1).await);
    assert_eq!((kept.0 .0, kept.1 .0), (2, 1));
    assert_eq!(same(&app, &format!("from=2026-03-01&to=2026-03-28&unit_id={u0}")).await.2, 2);
    assert_eq!(same(&app, &format!("from=2026-03-01&to=2026-03-28&unit_id={u1}")).await.2, 1);
    let (d0, d1) = (app.fx.districts[0], app.fx.districts[1]);
    assert_eq!(same(&app, &format!("from=2026-03-01&to=2026-03-28&unit_id={u0}&district_id={d0}")).await.2, 1, "a0 alone");
    assert_eq!(same(&app, &format!("from=2026-03-01&to=2026-03-28&unit_id={u0}&district_id={d1}")).await.2, 1, "a3");
    assert_eq!(same(&app, &format!("from=2026-03-01&to=2026-03-28&unit_id={u1}&district_id={d1}")).await.2, 0);
    unit_themes_agree(&app).await;
    // A rebuild from the ledger gives the rows kept entry by entry.
    ledger::rebuild_all(&app.svc.db).await.unwrap();
    unit_themes_agree(&app).await;
    assert_eq!((unit_activities(&app, 0).await, unit_activities(&app, 1).await), kept);
}

#[tokio::test]
async fn an_entry_before_a_volunteers_first_day_moves_them_and_prefixes_count_them_once() {
    let app = spawn_app().await;
    region(&app).await;
    let [v0, _, v2] = app.fx.volunteers;
    let (u0, u1, t1) = (app.fx.units[0], app.fx.units[1], app.fx.teams[1]);
    let jan = crate::stats::activity(&app, 1, 1, "green", 1_767_571_200_000, "rollup-jan").await;
    // 张晓静 first served on March 10; 王秀英 on February 15: both now in January too.
    ledger::append(&app.svc.db, &[entry(v0, jan, 1.0, "2026-01-05", "activity"), entry(v2, jan, 2.0, "2026-01-05", "activity")])
        .await
        .unwrap();
    for query in [
        "from=2026-01-01&to=2026-01-04".to_string(),
        "from=2026-01-01&to=2026-01-05".into(),
        "from=2026-01-01&to=2026-03-10".into(),
        "from=2026-01-01&to=2026-03-12".into(),
        format!("from=2026-01-01&to=2026-03-11&unit_id={u0}"),
        format!("from=2026-01-01&to=2026-03-11&unit_id={u1}"),
        format!("from=2026-01-01&to=2026-03-11&team_id={t1}"),
        "from=2026-03-01&to=2026-03-10".into(),
        "from=2026-03-01&to=2026-03-11".into(),
        format!("from=2026-03-01&to=2026-03-11&unit_id={u0}&team_id={t1}"),
        "from=2026-01-01&to=2026-01-31&theme=green".into(),
    ] {
        same(&app, &query).await;
    }
    assert_eq!(same(&app, "from=2026-01-01&to=2026-03-12").await.1, 3, "each volunteer once over the year so far");
    assert_eq!(same(&app, "from=2026-01-01&to=2026-01-04").await.1, 0);
    assert_eq!(same(&app, &format!("from=2026-01-01&to=2026-03-09&unit_id={u0}")).await.1, 1, "only 张晓静 of unit 0 by March 9");
    let before = service(&app, &filters(&app)[0]).await;
    ledger::rebuild_all(&app.svc.db).await.unwrap();
    assert_eq!(service(&app, &filters(&app)[0]).await, before);
}

/// How many ledger entries wait in the rollups' queue.
async fn queued(app: &TestApp) -> i64 {
    let sql = "SELECT COUNT(*) FROM stats_pending";
    match &app.svc.db {
        Db::Sqlite { write, .. } => sqlx::query_scalar(sql).fetch_one(write).await,
        Db::Postgres(p) => sqlx::query_scalar(sql).fetch_one(p).await,
    }
    .unwrap()
}

#[tokio::test]
async fn entries_still_queued_when_their_activity_is_cancelled_or_rethemed_count_as_a_rebuild_counts_them() {
    let app = spawn_app().await;
    region(&app).await;
    let [v0, v1, v2] = app.fx.volunteers;
    let x = crate::stats::activity(&app, 0, 0, "health", 1_773_964_800_000, "queued-x").await;
    let y = crate::stats::activity(&app, 1, 1, "green", 1_774_051_200_000, "queued-y").await;
    ledger::append(
        &app.svc.db,
        &[
            entry(v2, x, 1.0, "2026-03-20", "activity"),
            entry(v0, y, 2.0, "2026-03-21", "activity"),
            entry(v1, y, 1.5, "2026-03-21", "activity"),
        ],
    )
    .await
    .unwrap();
    assert_eq!(queued(&app).await, 9, "a write only queues its entry");
    // Before any entry is credited: one activity cancelled, district 1's
    // green ones of March (y and the region's) moved to health.
    tongxing_store::activities::cancel(&app.svc.db, x, 1_775_000_000_000).await.unwrap();
    let march = Filter { from: "2026-03-01".into(), from_ms: 1_772_294_400_000, ..filters(&app)[4].clone() };
    tongxing_store::campaigns::slots::retheme(&app.svc.db, app.fx.districts[1], "green", "health", march.from_ms, march.until_ms)
        .await
        .unwrap();
    let mut all = filters(&app);
    for theme in ["health", "green"] {
        all.push(Filter { theme: theme.into(), ..march.clone() });
        all.push(Filter { theme: theme.into(), unit_id: app.fx.units[1], ..march.clone() });
    }
    let mut kept = Vec::new();
    for f in &all {
        kept.push(service(&app, f).await);
    }
    assert_eq!(queued(&app).await, 0, "a read of the rollups credits the queue first");
    assert_eq!(
        (unit_activities(&app, 0).await.0, unit_activities(&app, 1).await.0),
        (3, 1),
        "x is cancelled: unit 0 held a0, a1 and y, unit 1 a1"
    );
    unit_themes_agree(&app).await;
    ledger::rebuild_all(&app.svc.db).await.unwrap();
    for (f, before) in all.iter().zip(&kept) {
        assert_eq!(&service(&app, f).await, before, "{f:?}");
    }
}
