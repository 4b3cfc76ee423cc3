//! The monthly and yearly reports: the workbook read back (its sheets, its
//! figures equal to the dashboard's, native charts, A4 landscape), its
//! tables by district, unit and theme equal to the rows behind them, and a
//! closed month frozen as reported while a late entry shows as an
//! adjustment in the next month's report.

use calamine::{Data, Reader};
use reqwest::StatusCode;
use serde_json::{json, Value};
use tongxing_domain::role::Role;
use tongxing_store::ledger;
use tongxing_store::stats::series::Split;
use tongxing_store::stats::{tables, Filter};

use crate::helpers::{body, expect_error, spawn_app, TestApp};
use crate::report_in_figures::entry;
use crate::stats::{region, MARCH};
use crate::stats_rollups::{filters, lists_of};

type Book = calamine::Xlsx<std::io::Cursor<Vec<u8>>>;

async fn xlsx(app: &TestApp, path: &str) -> (Book, Vec<u8>) {
    let resp = app.get(Role::Viewer, path).await;
    assert_eq!(resp.status(), StatusCode::OK, "{path}");
    let bytes = resp.bytes().await.unwrap().to_vec();
    (calamine::open_workbook_from_rs(std::io::Cursor::new(bytes.clone())).unwrap(), bytes)
}

/// The parts of the zip whose names start with `prefix`.
fn parts(bytes: &[u8], prefix: &str) -> Vec<String> {
    let zip = zip::ZipArchive::new(std::io::Cursor::new(bytes.to_vec())).unwrap();
    zip.file_names().filter(|n| n.starts_with(prefix)).map(str::to_string).collect()
}

/// The numbers of one column of a sheet, top to bottom.
fn column(book: &mut Book, sheet: usize, col: usize) -> Vec<f64> {
    let name = book.sheet_names()[sheet].clone();
    let range = book.worksheet_range(&name).unwrap();
    range
        .rows()
        .filter_map(|r| match r.get(col) {
            Some(Data::Float(f)) => Some(*f),
            Some(Data::Int(i)) => Some(*i as f64),
            _ => None,
        })
        .collect()
}

async fn report(app: &TestApp, path: &str) -> Value {
    let resp = app.get(Role::Viewer, path).await;
    assert_eq!(resp.status(), StatusCode::OK, "{path}");
    body(resp).await
}

fn dashboard_values(d: &Value) -> Vec<f64> {
    d["sections"].as_array().unwrap().iter().flat_map(|s| s["figures"].as_array().unwrap()).filter_map(|f| f["value"].as_f64()).collect()
}

#[tokio::test]
async fn the_monthly_report_carries_the_dashboards_figures_tables_and_native_charts() {
    let app = spawn_app().await;
    region(&app).await;
    let (mut book, bytes) = xlsx(&app, "/api/v1/stats/reports/monthly?month=2026-03").await;
    assert_eq!(book.sheet_names().len(), 5, "summary, district, unit, theme, charts: {:?}", book.sheet_names());
    let d = body(app.get(Role::Viewer, &format!("/api/v1/stats/dashboard?{MARCH}")).await).await;
    assert_eq!(column(&mut book, 0, 2), dashboard_values(&d), "every figure as the dashboard has it, in its order");
    let by_district = column(&mut book, 1, 2);
    assert_eq!(by_district, vec![7.5, 6.0], "hours by the activity's district");
    assert_eq!(column(&mut book, 2, 2).iter().sum::<f64>(), 13.5, "hours by the volunteers' unit add up");
    let charts = parts(&bytes, "xl/charts/chart");
    assert!(charts.len() >= 3 + 4, "a chart per table and per dashboard chart: {charts:?}");
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut sheet = String::new();
    std::io::Read::read_to_string(&mut zip.by_name("xl/worksheets/sheet1.xml").unwrap(), &mut sheet).unwrap();
    assert!(sheet.contains("paperSize=\"9\"") && sheet.contains("orientation=\"landscape\""), "A4 landscape");
    assert!(sheet.contains("fitToWidth") || sheet.contains("fitToPage"), "one page wide");
    let mut names = String::new();
    std::io::Read::read_to_string(&mut zip.by_name("xl/workbook.xml").unwrap(), &mut names).unwrap();
    assert!(names.contains("_xlnm.Print_Titles"), "the letterhead repeats on every page");
    let j = report(&app, "/api/v1/stats/reports/monthly?month=2026-03&format=json").await;
    assert_eq!((j["kind"].as_str(), j["period"].as_str(), j["closed_at"].as_i64()), (Some("monthly"), Some("2026-03"), None));
    assert_eq!(j["by_theme"].as_array().unwrap().len(), 2, "health and green");
}

/// A report's table as (key, hours, distinct people, activities), in its order.
fn table(r: &Value, name: &str) -> Vec<(String, f64, i64, i64)> {
    let rows = r[name].as_array().unwrap();
    let n = |row: &Value, k: &str| row[k].as_f64().unwrap();
    rows.iter().map(|g| (g["key"].as_str().unwrap().to_string(), n(g, "hours"), n(g, "people") as i64, n(g, "activities") as i64)).collect()
}

#[tokio::test]
async fn the_reports_tables_by_district_unit_and_theme_equal_the_rows_behind_them() {
    let app = spawn_app().await;
    region(&app).await;
    // December 2025 in district 1, a green activity: the year before's only.
    let [v0, v1, _] = app.fx.volunteers;
    let dec = crate::stats::activity(&app, 1, 1, "green", 1_766_188_800_000, "tables-dec").await;
    ledger::append(&app.svc.db, &[entry(v0, dec, 1.5, "2025-12-20", "activity"), entry(v1, dec, 1.0, "2025-12-20", "activity")])
        .await
        .unwrap();
    let (d0, d1) = (app.fx.districts[0].to_string(), app.fx.districts[1].to_string());
    let (u0, u1) = (app.fx.units[0].to_string(), app.fx.units[1].to_string());
    let year = report(&app, "/api/v1/stats/reports/yearly?year=2026&format=json").await;
    // 张晓静 served in both districts and both themes: once in each group's count.
    assert_eq!(table(&year, "by_district"), vec![(d0.clone(), 8.5, 3, 2), (d1.clone(), 6.0, 2, 1)]);
    assert_eq!(table(&year, "by_unit"), vec![(u0, 9.5, 2, 2), (u1, 5.0, 1, 2)]);
    assert_eq!(table(&year, "by_theme"), vec![("health".into(), 8.5, 3, 2), ("green".into(), 6.0, 2, 1)]);
    assert_eq!(table(&report(&app, "/api/v1/stats/reports/yearly?year=2025&format=json").await, "by_district"), vec![(d1, 2.5, 2, 1)]);
    for (path, days) in [
        ("yearly?year=2026", "from=2026-01-01&to=2026-12-31"),
        ("yearly?year=2025", "from=2025-01-01&to=2025-12-31"),
        ("monthly?month=2026-03", MARCH),
        ("monthly?month=2026-02", "from=2026-02-01&to=2026-02-28"),
    ] {
        let r = report(&app, &format!("/api/v1/stats/reports/{path}&format=json")).await;
        for (name, dimension) in [("by_district", "district_id"), ("by_unit", "unit_id"), ("by_theme", "theme")] {
            let rows = table(&r, name);
            assert!(!rows.is_empty(), "{path} {name}");
            for (key, hours, people, activities) in rows {
                let lists = lists_of(&app, &format!("{days}&{dimension}={key}")).await;
                assert_eq!((hours, people, activities), lists, "{path} {name} {key}: the table and the rows behind it");
            }
        }
    }
}

/// The dashboard's query for a store filter.
fn query(f: &Filter) -> String {
    let mut q = format!("from={}&to={}", f.from, f.to);
    for (k, v) in [("team_id", f.team_id), ("district_id", f.district_id), ("unit_id", f.unit_id)].into_iter().filter(|(_, v)| *v != 0) {
        q += &format!("&{k}={v}");
    }
    if !f.theme.is_empty() {
        q += &format!("&theme={}", f.theme);
    }
    q
}

#[tokio::test]
async fn the_tables_of_any_period_and_filter_equal_the_rows_behind_them() {
    let app = spawn_app().await;
    region(&app).await;
    // 张晓静 also serves team 0 in district 1 (green): two rows of one team
    // and unit at the level keeping every dimension, one volunteer.
    let x = crate::stats::activity(&app, 0, 1, "green", 1_773_360_000_000, "tables-x").await;
    ledger::append(&app.svc.db, &[entry(app.fx.volunteers[0], x, 1.0, "2026-03-13", "activity")]).await.unwrap();
    let mut all = filters(&app);
    // Across a new year, from no month's first day: the day bits of two years merged.
    let across = Filter {
        from: "2025-12-15".into(),
        to: "2026-03-11".into(),
        from_ms: 1_765_728_000_000,
        until_ms: 1_773_244_800_000,
        ..Default::default()
    };
    all.push(Filter { unit_id: app.fx.units[0], ..across.clone() });
    all.push(across);
    for f in &all {
        for split in [Split::District, Split::Unit, Split::Theme] {
            let groups = tables::totals(&app.svc.db, f, split).await.unwrap();
            assert!(!groups.is_empty(), "{f:?} {split:?}");
            for g in groups {
                let mut at = f.clone();
                match split {
                    Split::District => at.district_id = g.key.parse().unwrap(),
                    Split::Unit => at.unit_id = g.key.parse().unwrap(),
                    Split::Theme => at.theme = g.key.clone(),
                }
                let lists = lists_of(&app, &query(&at)).await;
                assert_eq!((g.hours, g.people as i64, g.activities as i64), lists, "{f:?} {split:?} {}", g.key);
            }
        }
    }
}

#[tokio::test]
async fn a_closed_month_stays_as_reported_and_a_late_entry_adjusts_the_next_report() {
    let app = spawn_app().await;
    region(&app).await;
    assert_eq!(app.post(Role::Viewer, "/api/v1/stats/months/2026-03/close", &json!({})).await.status(), StatusCode::FORBIDDEN);
    assert_eq!(app.post(Role::Liaison, "/api/v1/stats/months/2026-03/close", &json!({})).await.status(), StatusCode::FORBIDDEN);
    expect_error(
        app.post(Role::Coordinator, "/api/v1/stats/months/2099-01/close", &json!({})).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "month_not_over",
    )
    .await;
    expect_error(
        app.post(Role::Coordinator, "/api/v1/stats/months/march/close", &json!({})).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "month_format",
    )
    .await;
    let closed = app.post(Role::Coordinator, "/api/v1/stats/months/2026-03/close", &json!({})).await;
    assert_eq!(closed.status(), StatusCode::CREATED);
    let closed = body(closed).await;
    assert!(closed["closed_at"].as_i64().is_some());
    expect_error(
        app.post(Role::Coordinator, "/api/v1/stats/months/2026-03/close", &json!({})).await,
        StatusCode::CONFLICT,
        "already_closed",
    )
    .await;
    let months = report(&app, "/api/v1/stats/months").await;
    assert_eq!(months[0]["month"].as_str(), Some("2026-03"));
    tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    let (v1, a0) = (app.fx.volunteers[1], first_activity(&app).await);
    ledger::append(&app.svc.db, &[entry(v1, a0, 2.0, "2026-03-20", "manual")]).await.unwrap();

    let march = report(&app, "/api/v1/stats/reports/monthly?month=2026-03&format=json").await;
    let hours = |r: &Value| r["figures"].as_array().unwrap().iter().find(|f| f["key"] == "hours").unwrap()["value"].as_f64();
    assert_eq!(hours(&march), Some(13.5), "March as reported");
    assert_eq!(march["closed_at"], closed["closed_at"]);
    // The ledger itself has the late hours (the dashboard's figures cache may
    // still hold the read the closing made, for up to 30 s).
    let rows = body(app.get(Role::Viewer, &format!("/api/v1/stats/lines?metric=entries&{MARCH}")).await).await;
    let ledger: f64 = rows["items"].as_array().unwrap().iter().map(|r| r["value"].as_f64().unwrap()).sum();
    assert_eq!(ledger, 15.5, "the rows behind the figure as the ledger stands");
    let april = report(&app, "/api/v1/stats/reports/monthly?month=2026-04&format=json").await;
    assert_eq!(april["adjustments"], json!([{"month": "2026-03", "entries": 1, "people": 1, "hours": 2.0}]), "in the next report");
    assert_eq!(hours(&april), Some(0.0), "April's own figures do not take March's hours");

    let year = report(&app, "/api/v1/stats/reports/yearly?year=2026&format=json").await;
    let m = &year["months"][2];
    assert_eq!(
        (m["month"].as_str(), m["closed"].as_bool(), m["hours"].as_f64(), m["adjustment_hours"].as_f64()),
        (Some("2026-03"), Some(true), Some(13.5), Some(2.0))
    );
    assert_eq!(hours(&year), Some(16.5), "the year as the ledger stands (February's hour too)");
    let (book, bytes) = xlsx(&app, "/api/v1/stats/reports/yearly?year=2026").await;
    assert_eq!(book.sheet_names().len(), 6, "with the months: {:?}", book.sheet_names());
    assert!(!parts(&bytes, "xl/charts/chart").is_empty());
    let (mut march_book, _) = xlsx(&app, "/api/v1/stats/reports/monthly?month=2026-03").await;
    assert!(column(&mut march_book, 0, 2).contains(&13.5), "the frozen workbook");
    assert!(app.audit().await.iter().any(|(a, ..)| a == "stats.close_month"));
}

async fn first_activity(app: &TestApp) -> i64 {
    let l = body(app.get(Role::Viewer, &format!("/api/v1/stats/lines?metric=activities&{MARCH}")).await).await;
    l["items"][0]["id"].as_i64().unwrap()
}

#[tokio::test]
async fn reports_are_the_centers_and_refuse_periods_out_of_range() {
    let app = spawn_app().await;
    assert_eq!(app.get(Role::Liaison, "/api/v1/stats/reports/monthly?month=2026-03").await.status(), StatusCode::FORBIDDEN);
    assert_eq!(app.get(Role::Volunteer, "/api/v1/stats/reports/yearly?year=2026").await.status(), StatusCode::FORBIDDEN);
    for path in [
        "/api/v1/stats/reports/monthly",
        "/api/v1/stats/reports/monthly?month=2026-13",
        "/api/v1/stats/reports/monthly?month=2999-01",
        "/api/v1/stats/reports/yearly?year=1999",
        "/api/v1/stats/reports/yearly",
    ] {
        assert_eq!(app.get(Role::Viewer, path).await.status(), StatusCode::UNPROCESSABLE_ENTITY, "{path}");
    }
    let (client, csrf) = app.browser_as(Role::Coordinator).await;
    let html = client.get(app.url("/stats")).send().await.unwrap().text().await.unwrap();
    assert!(html.contains("id=\"report-monthly\"") && html.contains("id=\"report-close\""), "the report buttons");
    let closed = client.post(app.url("/stats/months/close")).form(&[("_csrf", csrf.as_str()), ("month", "2026-02")]).send().await.unwrap();
    assert_eq!(closed.status(), StatusCode::SEE_OTHER);
    let page = client.get(app.url("/stats/reports/monthly?month=2026-02")).send().await.unwrap();
    assert_eq!(page.headers()["content-type"], "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    let (leader, _) = app.browser_as(Role::TeamLeader).await;
    let html = leader.get(app.url("/stats")).send().await.unwrap().text().await.unwrap();
    assert!(!html.contains("id=\"report-monthly\""), "a team leader's dashboard has no region reports");
}
