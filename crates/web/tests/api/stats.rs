//! The leadership dashboard against figures worked out by hand: distinct
//! people never double counted across teams, hours attributed to the team,
//! place and theme of the activity they were served in, the previous
//! period, the rows behind a figure adding up to it, scoping, the workbook.

use std::io::Read;

use reqwest::StatusCode;
use serde_json::Value;
use tongxing_domain::role::Role;
use tongxing_store::ledger;

use crate::helpers::{body, spawn_app, TestApp};
use crate::report_in_figures::{activity_at, entry};

pub(crate) const MARCH: &str = "from=2026-03-01&to=2026-03-31";

/// An activity of team `team` in community `place` (and its district).
pub(crate) async fn activity(app: &TestApp, team: usize, place: usize, theme: &'static str, starts_at: i64, token: &str) -> i64 {
    let fx = &app.fx;
    activity_at(app, [fx.teams[team], fx.communities[place], fx.districts[place]], Some(theme), starts_at, token).await
}

/// 张晓静 (v0, unit 0) serves in team 0's health activity in district 0 and
/// team 1's green one in district 1; 李国强 (v1, unit 0) in team 0's; 王秀英
/// (v2, unit 1) in team 1's in March and in team 0's once in February.
pub(crate) async fn region(app: &TestApp) {
    let [v0, v1, v2] = app.fx.volunteers;
    let a0 = activity(app, 0, 0, "health", 1_773_100_800_000, "stats-a0").await;
    let a1 = activity(app, 1, 1, "green", 1_773_187_200_000, "stats-a1").await;
    let feb = activity(app, 0, 0, "health", 1_771_113_600_000, "stats-feb").await;
    ledger::append(
        &app.svc.db,
        &[
            entry(v0, a0, 3.0, "2026-03-10", "activity"),
            entry(v0, a0, -0.5, "2026-03-10", "correction"),
            entry(v0, a1, 2.0, "2026-03-11", "activity"),
            entry(v2, a1, 4.0, "2026-03-11", "activity"),
            entry(v1, a0, 5.0, "2026-03-12", "manual"),
            entry(v2, feb, 1.0, "2026-02-15", "activity"),
        ],
    )
    .await
    .unwrap();
}

async fn overview(app: &TestApp, role: Role, query: &str) -> Value {
    let resp = app.get(role, &format!("/api/v1/stats/overview?{query}")).await;
    assert_eq!(resp.status(), StatusCode::OK, "{query}");
    body(resp).await
}

/// (hours, active volunteers, activities) of the overview.
fn service(o: &Value) -> (f64, i64, i64) {
    (o["hours"].as_f64().unwrap(), o["active_volunteers"].as_i64().unwrap(), o["activities"].as_i64().unwrap())
}

#[tokio::test]
async fn people_are_counted_once_and_hours_summed_whatever_the_filter() {
    let app = spawn_app().await;
    region(&app).await;
    let (t0, t1) = (app.fx.teams[0], app.fx.teams[1]);
    assert_eq!(service(&overview(&app, Role::Viewer, MARCH).await), (13.5, 3, 2), "the region");
    // 张晓静 served in both teams: each team counts her, the region once.
    assert_eq!(service(&overview(&app, Role::Viewer, &format!("{MARCH}&team_id={t0}")).await), (7.5, 2, 1));
    assert_eq!(service(&overview(&app, Role::Viewer, &format!("{MARCH}&team_id={t1}")).await), (6.0, 2, 1));
    // A unit counts its own volunteers' service, in whichever team's activity.
    let u0 = app.fx.units[0];
    assert_eq!(service(&overview(&app, Role::Viewer, &format!("{MARCH}&unit_id={u0}")).await), (9.5, 2, 2));
    // Place and theme are the activity's.
    let d1 = app.fx.districts[1];
    assert_eq!(service(&overview(&app, Role::Viewer, &format!("{MARCH}&district_id={d1}")).await), (6.0, 2, 1));
    assert_eq!(service(&overview(&app, Role::Viewer, &format!("{MARCH}&theme=health")).await), (7.5, 2, 1));
    let o = overview(&app, Role::Viewer, MARCH).await;
    for field in ["teams", "volunteers", "active_volunteers", "activities", "projects", "hours", "needs_completed", "people_served"] {
        assert!(o[field].is_number(), "{field} in {o}");
    }
    assert_eq!((o["teams"].as_i64(), o["volunteers"].as_i64()), (Some(2), Some(3)));
    let team = overview(&app, Role::Viewer, &format!("{MARCH}&team_id={t0}")).await;
    assert_eq!((team["teams"].as_i64(), team["volunteers"].as_i64()), (Some(1), Some(1)), "team 0's own members");
}

pub(crate) fn figure<'a>(d: &'a Value, key: &str) -> &'a Value {
    d["sections"].as_array().unwrap().iter().flat_map(|s| s["figures"].as_array().unwrap()).find(|f| f["key"] == key).unwrap()
}

fn chart<'a>(d: &'a Value, key: &str) -> &'a Value {
    d["sections"].as_array().unwrap().iter().flat_map(|s| s["charts"].as_array().unwrap()).find(|c| c["key"] == key).unwrap()
}

#[tokio::test]
async fn each_figure_says_how_it_counts_and_compares_with_the_previous_period() {
    let app = spawn_app().await;
    region(&app).await;
    let d = body(app.get(Role::Coordinator, &format!("/api/v1/stats/dashboard?{MARCH}")).await).await;
    assert_eq!((d["filter"]["previous_from"].as_str(), d["filter"]["previous_to"].as_str()), (Some("2026-02-01"), Some("2026-02-28")));
    let hours = figure(&d, "hours");
    assert_eq!((hours["tally"].as_str(), hours["value"].as_f64(), hours["previous"].as_f64()), (Some("sum"), Some(13.5), Some(1.0)));
    assert_eq!(hours["change_pct"].as_f64(), Some(1250.0));
    let people = figure(&d, "active_volunteers");
    assert_eq!((people["tally"].as_str(), people["value"].as_f64(), people["previous"].as_f64()), (Some("distinct"), Some(3.0), Some(1.0)));
    let share = figure(&d, "party_share");
    assert_eq!((share["value"].as_f64(), share["previous"].as_f64()), (Some(100.0), None), "the registry is today's, not compared");
    let by_team = chart(&d, "hours_by_team")["bars"].as_array().unwrap().clone();
    let bar = |t: i64| by_team.iter().find(|b| b["key"].as_str() == Some(t.to_string().as_str())).unwrap()["value"].as_f64().unwrap();
    assert_eq!((bar(app.fx.teams[0]), bar(app.fx.teams[1])), (7.5, 6.0), "attributed to the activity's team");
    let themes = &chart(&d, "activities_by_theme")["bars"];
    assert_eq!(themes.as_array().unwrap().len(), 2, "{themes}");
    let months = &chart(&d, "hours_by_month")["bars"];
    assert_eq!((months[0]["key"].as_str(), months[0]["value"].as_f64()), (Some("2026-03"), Some(13.5)));
}

/// The sum of `value` over every row behind a figure, and the row count.
async fn lines(app: &TestApp, query: &str) -> (f64, i64) {
    let l = body(app.get(Role::Viewer, &format!("/api/v1/stats/lines?{query}")).await).await;
    let sum = l["items"].as_array().unwrap().iter().map(|r| r["value"].as_f64().unwrap_or(0.0)).sum();
    (sum, l["total"].as_i64().unwrap())
}

#[tokio::test]
async fn the_rows_behind_a_figure_add_up_to_it_under_every_filter() {
    let app = spawn_app().await;
    region(&app).await;
    let (t0, u0, d1) = (app.fx.teams[0], app.fx.units[0], app.fx.districts[1]);
    for filter in [String::new(), format!("&team_id={t0}"), format!("&unit_id={u0}"), format!("&district_id={d1}"), "&theme=green".into()] {
        let o = overview(&app, Role::Viewer, &format!("{MARCH}{filter}")).await;
        let (hours, _) = lines(&app, &format!("metric=entries&{MARCH}{filter}")).await;
        assert_eq!(hours, o["hours"].as_f64().unwrap(), "hours {filter}");
        let (_, n) = lines(&app, &format!("metric=activities&{MARCH}{filter}")).await;
        assert_eq!(n, o["activities"].as_i64().unwrap(), "activities {filter}");
    }
    // A unit's figures read without team or district (migration 0054), on their own and by theme.
    for unit in [u0, app.fx.units[1]] {
        for filter in [format!("&unit_id={unit}"), format!("&unit_id={unit}&theme=green"), format!("&unit_id={unit}&theme=health")] {
            let o = overview(&app, Role::Viewer, &format!("{MARCH}{filter}")).await;
            let (_, n) = lines(&app, &format!("metric=activities&{MARCH}{filter}")).await;
            assert_eq!(n, o["activities"].as_i64().unwrap(), "activities {filter}");
        }
    }
    // Each team's bar of a unit's hours (their own level, migration 0052)
    // and each theme's bar of its activities add up to their rows.
    for unit in [u0, app.fx.units[1]] {
        let d = body(app.get(Role::Viewer, &format!("/api/v1/stats/dashboard?{MARCH}&unit_id={unit}")).await).await;
        let themes = chart(&d, "activities_by_theme")["bars"].as_array().unwrap().clone();
        assert!(!themes.is_empty(), "both units' volunteers served in March");
        for b in &themes {
            let theme = b["key"].as_str().unwrap();
            let (_, n) = lines(&app, &format!("metric=activities&{MARCH}&unit_id={unit}&theme={theme}")).await;
            assert_eq!(b["value"].as_f64(), Some(n as f64), "unit {unit}, theme {theme}");
        }
        let bars = chart(&d, "hours_by_team")["bars"].as_array().unwrap().clone();
        assert!(!bars.is_empty() || unit != u0, "u0's volunteers served in March");
        for b in &bars {
            let team = b["key"].as_str().unwrap();
            let (hours, _) = lines(&app, &format!("metric=entries&{MARCH}&unit_id={unit}&team_id={team}")).await;
            assert_eq!(b["value"].as_f64(), Some(hours), "unit {unit}, team {team}");
        }
    }
    let resp = app.get(Role::Viewer, &format!("/api/v1/stats/lines?metric=entries&{MARCH}&format=xlsx")).await;
    assert_eq!(resp.status(), StatusCode::OK);
    let bad = app.get(Role::Viewer, "/api/v1/stats/lines?metric=nonsense").await;
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn a_liaison_sees_their_unit_and_a_leader_their_team_whatever_they_ask() {
    let app = spawn_app().await;
    region(&app).await;
    let u1 = app.fx.units[1];
    assert_eq!(service(&overview(&app, Role::Liaison, &format!("{MARCH}&unit_id={u1}")).await), (9.5, 2, 2), "unit 0's");
    assert_eq!(service(&overview(&app, Role::TeamLeader, MARCH).await), (7.5, 2, 1), "team 0's");
    assert_eq!(app.get(Role::Volunteer, "/api/v1/stats/overview").await.status(), StatusCode::FORBIDDEN);
    assert_eq!(app.get(Role::Observer, "/api/v1/stats/dashboard").await.status(), StatusCode::FORBIDDEN);
    let bad = app.get(Role::Viewer, "/api/v1/stats/overview?from=2026-04-01&to=2026-03-01").await;
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let bad = app.get(Role::Viewer, "/api/v1/stats/overview?theme=nonsense").await;
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn the_dashboard_workbook_has_a_sheet_per_section_and_native_charts() {
    use calamine::Reader;
    let app = spawn_app().await;
    region(&app).await;
    let resp = app.get(Role::Viewer, &format!("/api/v1/stats/dashboard?{MARCH}&format=xlsx")).await;
    assert_eq!(resp.status(), StatusCode::OK);
    let bytes = resp.bytes().await.unwrap().to_vec();
    let book: calamine::Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(bytes.clone())).unwrap();
    let sections =
        body(app.get(Role::Viewer, &format!("/api/v1/stats/dashboard?{MARCH}")).await).await["sections"].as_array().unwrap().len();
    assert_eq!(sections, 8, "registry, service, needs, calls, care, childcare, honours, skills");
    assert_eq!(book.sheet_names().len(), sections, "a sheet per section: {:?}", book.sheet_names());
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let charts = (0..zip.len()).filter(|i| zip.by_index(*i).unwrap().name().starts_with("xl/charts/chart")).count();
    assert!(charts >= 6, "a chart per breakdown: {charts}");
    let mut sheet = String::new();
    zip.by_name("xl/worksheets/sheet2.xml").unwrap().read_to_string(&mut sheet).unwrap();
    assert!(sheet.contains("<pageSetup") && sheet.contains("paperSize=\"9\""), "A4");
}

#[tokio::test]
async fn the_dashboard_page_draws_its_charts_and_the_leaders_home_leads_to_it() {
    let app = spawn_app().await;
    region(&app).await;
    let (client, _) = app.browser_as(Role::Viewer).await;
    let home = client.get(app.url("/")).send().await.unwrap().text().await.unwrap();
    assert!(home.contains("href=\"/stats\""), "the viewer's home links the dashboard");
    let page = client.get(app.url(&format!("/stats?{MARCH}"))).send().await.unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    let html = page.text().await.unwrap();
    assert!(html.contains("id=\"chart-hours_by_month\"") && html.contains("<svg"), "a drawn chart");
    assert!(!html.contains(" style=\""), "no inline style (CSP)");
    assert!(html.contains("/stats/lines?"), "figures drill down");
    let lines = client.get(app.url(&format!("/stats/lines?metric=entries&{MARCH}"))).send().await.unwrap();
    assert_eq!(lines.status(), StatusCode::OK);
    assert!(lines.text().await.unwrap().contains("张晓静"), "people by name");
    let (vol, _) = app.browser_as(Role::Volunteer).await;
    assert_eq!(vol.get(app.url("/stats")).send().await.unwrap().status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn a_series_has_a_line_per_district_with_every_month_of_the_period() {
    let app = spawn_app().await;
    region(&app).await;
    let s =
        body(app.get(Role::Viewer, "/api/v1/stats/series?metric=hours&by=month&group=district&from=2026-02-01&to=2026-03-31").await).await;
    assert_eq!((s["metric"].as_str(), s["unit"].as_str()), (Some("hours"), Some("hours")));
    let line = |d: i64| {
        s["series"].as_array().unwrap().iter().find(|l| l["key"].as_str() == Some(d.to_string().as_str())).unwrap()["points"].clone()
    };
    let d0 = line(app.fx.districts[0]);
    assert_eq!((d0[0]["period"].as_str(), d0[0]["value"].as_f64(), d0[1]["value"].as_f64()), (Some("2026-02"), Some(1.0), Some(7.5)));
    assert_eq!(line(app.fx.districts[1])[0]["value"].as_f64(), Some(0.0), "an empty month is there, at zero");
    let people =
        body(app.get(Role::Viewer, "/api/v1/stats/series?metric=active_volunteers&group=unit&from=2026-03-01&to=2026-03-31").await).await;
    let u0 = people["series"].as_array().unwrap().iter().find(|l| l["key"].as_str() == Some(app.fx.units[0].to_string().as_str())).unwrap();
    assert_eq!(u0["points"][0]["value"].as_f64(), Some(2.0), "distinct per unit and month");
    let themes =
        body(app.get(Role::Viewer, "/api/v1/stats/series?metric=activities&group=theme&from=2026-03-01&to=2026-03-31").await).await;
    assert_eq!(themes["series"].as_array().unwrap().len(), 2, "{themes}");
    let bad = app.get(Role::Viewer, "/api/v1/stats/series?metric=nonsense").await;
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn needs_served_count_each_need_and_each_resident_once() {
    use serde_json::json;
    let app = spawn_app().await;
    let mut codes = Vec::new();
    for phone in ["13911110001", "13911110001", "13911110002"] {
        let (id, code) = crate::needs::published(&app, phone).await;
        app.post(Role::TeamLeader, &format!("/api/v1/needs/{id}/claim"), &json!({"team_id": app.fx.teams[0]})).await;
        let done = json!({"summary": "已完成", "hours": [{"volunteer_id": app.fx.volunteers[0], "hours": 1.0}]});
        assert_eq!(app.post(Role::TeamLeader, &format!("/api/v1/needs/{id}/complete"), &done).await.status(), StatusCode::NO_CONTENT);
        codes.push((code, phone));
    }
    for ((code, phone), stars) in codes.iter().zip([5, 4]) {
        let rated = app.api.post(app.url(&format!("/api/v1/needs/track/{code}/rating"))).json(&json!({"phone": phone, "stars": stars}));
        assert_eq!(rated.send().await.unwrap().status(), StatusCode::NO_CONTENT);
    }
    let o = overview(&app, Role::Viewer, "period=month").await;
    assert_eq!((o["needs_completed"].as_i64(), o["people_served"].as_i64(), o["average_rating"].as_f64()), (Some(3), Some(2), Some(4.5)));
    let (_, n) = lines(&app, "metric=needs&period=month").await;
    assert_eq!(n, 3, "the list behind the figure");
    let other = overview(&app, Role::Viewer, &format!("period=month&team_id={}", app.fx.teams[1])).await;
    assert_eq!(other["needs_completed"].as_i64(), Some(0), "another team's");
    let d = body(app.get(Role::Viewer, "/api/v1/stats/dashboard?period=month").await).await;
    assert!(figure(&d, "hours_to_complete")["value"].as_f64().is_some(), "a median time to completion");
}

#[tokio::test]
async fn skills_and_recognition_have_sections_narrowed_like_the_rest() {
    use serde_json::json;
    let app = spawn_app().await;
    let t = app.post(Role::Coordinator, "/api/v1/trades", &json!({"code": "cy", "name": "采油"})).await;
    assert_eq!(t.status(), StatusCode::CREATED);
    let [v0, _, v2] = app.fx.volunteers;
    for (v, on, no) in [(v0, "2026-03-15", "C-1"), (v2, "2026-03-20", "C-2"), (v2, "2026-04-02", "C-3")] {
        let level = if no == "C-3" { "intermediate" } else { "junior" };
        let b = json!({"trade": "cy", "level": level, "certified_on": on, "certificate_no": no, "issuer": "胜利油田职业技能鉴定中心"});
        let r = app.post(Role::Coordinator, &format!("/api/v1/people/{v}/certifications"), &b).await;
        assert_eq!(r.status(), StatusCode::CREATED, "{no}");
    }
    let at = |d: &Value, k: &str| figure(d, k)["value"].as_f64();
    let d = body(app.get(Role::Viewer, &format!("/api/v1/stats/dashboard?{MARCH}")).await).await;
    assert_eq!((at(&d, "skill_certifications"), at(&d, "skill_certified")), (Some(2.0), Some(2.0)), "March's, not April's");
    assert_eq!(figure(&d, "skill_certified")["tally"], "distinct");
    assert_eq!(at(&d, "honoured_volunteers"), Some(0.0), "recognition's section is there");
    let u0 = app.fx.units[0];
    let unit = body(app.get(Role::Viewer, &format!("/api/v1/stats/dashboard?{MARCH}&unit_id={u0}")).await).await;
    assert_eq!(at(&unit, "skill_certifications"), Some(1.0), "unit 0's own people");
    let theme = body(app.get(Role::Viewer, &format!("/api/v1/stats/dashboard?{MARCH}&theme=health")).await).await;
    assert_eq!(at(&theme, "skill_certifications"), Some(0.0), "skills carry no theme");
    let year = body(app.get(Role::Viewer, "/api/v1/stats/dashboard?from=2026-01-01&to=2026-12-31").await).await;
    assert_eq!((at(&year, "skill_certifications"), at(&year, "skill_certified")), (Some(3.0), Some(2.0)), "people once, certificates each");
}

#[tokio::test]
async fn recognition_and_skills_figures_open_the_rows_behind_them() {
    use serde_json::json;
    let app = spawn_app().await;
    app.post(Role::Coordinator, "/api/v1/trades", &json!({"code": "cy", "name": "采油"})).await;
    let [v0, _, v2] = app.fx.volunteers;
    for (v, level, no) in [(v0, "junior", "C-1"), (v2, "junior", "C-2"), (v2, "intermediate", "C-3")] {
        let b = json!({"trade": "cy", "level": level, "certified_on": "2026-03-15", "certificate_no": no, "issuer": "胜利油田职业技能鉴定中心"});
        assert_eq!(app.post(Role::Coordinator, &format!("/api/v1/people/{v}/certifications"), &b).await.status(), StatusCode::CREATED);
    }
    let u1 = app.fx.units[1];
    for filter in [String::new(), format!("&unit_id={u1}"), "&theme=health".into()] {
        let d = body(app.get(Role::Viewer, &format!("/api/v1/stats/dashboard?{MARCH}{filter}")).await).await;
        for (key, kind, distinct) in [
            ("skill_certifications", "certifications", false),
            ("skill_certified", "certifications", true),
            ("skill_trainees", "trainees", true),
            ("skill_problems_solved", "problems", false),
            ("honoured_volunteers", "honours", true),
        ] {
            let f = figure(&d, key);
            assert_eq!(f["drill"].as_str(), Some(kind), "{key}");
            let l = body(app.get(Role::Viewer, &format!("/api/v1/stats/lines?metric={kind}&per_page=100&{MARCH}{filter}")).await).await;
            let items = l["items"].as_array().unwrap();
            let n = if distinct {
                items.iter().filter_map(|r| r["person"].as_str()).collect::<std::collections::HashSet<_>>().len() as f64
            } else {
                l["total"].as_f64().unwrap()
            };
            assert_eq!(Some(n), f["value"].as_f64(), "{key} {filter}");
        }
    }
    let certs = body(app.get(Role::Viewer, &format!("/api/v1/stats/lines?metric=certifications&{MARCH}")).await).await;
    assert_eq!((certs["total"].as_i64(), certs["items"][0]["what"].as_str()), (Some(3), Some("采油")), "each certificate, by trade");
    assert!(certs["items"].as_array().unwrap().iter().any(|r| r["person"] == "王秀英"), "people by name");
    let resp = app.get(Role::Viewer, &format!("/api/v1/stats/lines?metric=certifications&{MARCH}&format=xlsx")).await;
    assert_eq!(resp.status(), StatusCode::OK);
    let page = app.browser_as(Role::Viewer).await.0.get(app.url(&format!("/stats/lines?metric=trainees&{MARCH}"))).send().await.unwrap();
    assert_eq!(page.status(), StatusCode::OK);
}
