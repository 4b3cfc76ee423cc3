//! Campaigns, goals, the rotation and the calendar through the API, on
//! whichever database `TEST_DATABASE_URL` names.

use reqwest::StatusCode;
use serde_json::{json, Value};
use tongxing_domain::role::Role;
use tongxing_domain::time::region_date;
use tongxing_store::now_ms;

use crate::activities::plan;
use crate::helpers::{body, expect_error, spawn_app, TestApp};

const DAY: i64 = 86_400_000;

/// A campaign around today: from 70 days ago to 300 days ahead.
fn year(app: &TestApp) -> Value {
    let today = region_date(now_ms());
    json!({"name": "情暖西城 携手同行", "starts_on": (today - chrono::Duration::days(70)).to_string(),
           "ends_on": (today + chrono::Duration::days(300)).to_string(),
           "themes": ["health", "green", "happiness", "harmony", "integrity"],
           "goals": [{"metric": "activities", "target": 10}, {"metric": "hours", "theme": "health", "target": 5},
                     {"metric": "activities", "district_id": app.fx.districts[0], "target": 2}]})
}

async fn create(app: &TestApp, input: &Value) -> i64 {
    let r = app.post(Role::Coordinator, "/api/v1/campaigns", input).await;
    assert_eq!(r.status(), StatusCode::CREATED);
    body(r).await["id"].as_i64().unwrap()
}

fn day(offset: i64) -> String {
    (region_date(now_ms()) + chrono::Duration::days(offset)).to_string()
}

async fn field_error(r: reqwest::Response, code: &str, field: &str) {
    let e = expect_error(r, StatusCode::UNPROCESSABLE_ENTITY, code).await;
    assert_eq!(e["field"], field, "{e}");
}

#[tokio::test]
async fn a_campaign_shows_goals_against_the_records_and_slot_status() {
    let app = spawn_app().await;
    let id = create(&app, &year(&app)).await;
    let d0 = app.fx.districts[0];
    // A past slot with a held health activity (done), a past slot with none (owing), and the current one.
    let slot = |district: i64, theme: &str, from: i64, to: i64| json!({"district_id": district, "theme": theme, "starts_on": day(from), "ends_on": day(to)});
    for s in [slot(d0, "health", -60, -20), slot(app.fx.districts[1], "green", -60, -20), slot(d0, "green", -10, 10)] {
        assert_eq!(app.post(Role::Coordinator, &format!("/api/v1/campaigns/{id}/slots"), &s).await.status(), StatusCode::CREATED);
    }
    let t = now_ms() - 30 * DAY;
    let mut a = plan(&app, t, t + 2 * 3_600_000, 10);
    a["theme"] = json!("health");
    assert_eq!(app.post(Role::TeamLeader, "/api/v1/activities", &a).await.status(), StatusCode::CREATED);

    let c = body(app.get(Role::Viewer, &format!("/api/v1/campaigns/{id}")).await).await;
    assert_eq!(c["name"], "情暖西城 携手同行");
    let statuses: Vec<&str> = c["slots"].as_array().unwrap().iter().map(|s| s["status"].as_str().unwrap()).collect();
    assert_eq!(statuses, ["done", "owing", "in_progress"], "{c}");
    assert_eq!(c["slots"][0]["activities"], 1);
    assert_eq!(c["goals"][0]["actual"], 1.0);
    assert_eq!(c["goals"][2]["actual"], 1.0);
    assert_eq!(c["progress"]["overall"]["activities"], 1);
    assert_eq!(c["progress"]["by_theme"][0]["theme"], "health");

    // The month of the held activity shows it; the owing district's green is a gap.
    let month = &region_date(t).format("%Y-%m").to_string();
    let m = body(app.get(Role::Coordinator, &format!("/api/v1/campaigns/{id}/calendar?month={month}")).await).await;
    assert_eq!(m["activities"].as_array().unwrap().len(), 1, "{m}");
    assert!(m["gaps"].as_array().unwrap().iter().any(|g| g["district_id"] == app.fx.districts[1] && g["theme"] == "green"), "{m}");
    field_error(app.get(Role::Coordinator, &format!("/api/v1/campaigns/{id}/calendar?month=2026-13")).await, "month_format", "month").await;

    let x = app.get(Role::Coordinator, &format!("/api/v1/campaigns/{id}?format=rotation")).await;
    assert_eq!(x.status(), StatusCode::OK);
    assert!(x.headers()["content-type"].to_str().unwrap().contains("spreadsheet"));
}

#[tokio::test]
async fn bad_campaigns_and_slots_are_refused_with_their_field() {
    let app = spawn_app().await;
    let mut bad = year(&app);
    bad["ends_on"] = json!("2020-01-01");
    field_error(app.post(Role::Coordinator, "/api/v1/campaigns", &bad).await, "before_start", "ends_on").await;
    let mut bad = year(&app);
    bad["themes"] = json!(["sports"]);
    field_error(app.post(Role::Coordinator, "/api/v1/campaigns", &bad).await, "unknown_theme", "themes").await;
    let mut bad = year(&app);
    bad["goals"] = json!([{"metric": "hours", "district_id": 999_999, "target": 1}]);
    field_error(app.post(Role::Coordinator, "/api/v1/campaigns", &bad).await, "unknown_reference", "goals").await;

    let mut input = year(&app);
    input["themes"] = json!(["health", "green"]);
    let id = create(&app, &input).await;
    let path = format!("/api/v1/campaigns/{id}/slots");
    let d = app.fx.districts[0];
    let slot = |theme: &str, from: String, to: String| json!({"district_id": d, "theme": theme, "starts_on": from, "ends_on": to});
    field_error(app.post(Role::Coordinator, &path, &slot("integrity", day(0), day(10))).await, "unknown_theme", "theme").await;
    field_error(app.post(Role::Coordinator, &path, &slot("health", day(10), day(0))).await, "before_start", "ends_on").await;
    field_error(app.post(Role::Coordinator, &path, &slot("health", day(-100), day(0))).await, "outside_campaign", "starts_on").await;
    field_error(app.post(Role::Coordinator, &path, &slot("health", day(0), day(400))).await, "outside_campaign", "ends_on").await;
    let unknown = json!({"district_id": 999_999, "theme": "health", "starts_on": day(0), "ends_on": day(10)});
    field_error(app.post(Role::Coordinator, &path, &unknown).await, "unknown_reference", "district_id").await;
    // One district never hosts two overlapping slots (the campaign does not allow it).
    assert_eq!(app.post(Role::Coordinator, &path, &slot("health", day(0), day(30))).await.status(), StatusCode::CREATED);
    field_error(app.post(Role::Coordinator, &path, &slot("green", day(20), day(40))).await, "slot_overlaps", "starts_on").await;
    let other = json!({"district_id": app.fx.districts[1], "theme": "health", "starts_on": day(20), "ends_on": day(40)});
    assert_eq!(app.post(Role::Coordinator, &path, &other).await.status(), StatusCode::CREATED);
    // Shrinking the campaign past its slots is refused too.
    let mut narrow = input.clone();
    narrow["ends_on"] = json!(day(5));
    field_error(app.put(Role::Coordinator, &format!("/api/v1/campaigns/{id}"), &narrow).await, "slots_outside", "ends_on").await;
    expect_error(app.post(Role::Liaison, &path, &slot("health", day(50), day(60))).await, StatusCode::FORBIDDEN, "forbidden").await;
    expect_error(
        app.post(Role::Coordinator, "/api/v1/campaigns/999999/slots", &slot("health", day(50), day(60))).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
}

#[tokio::test]
async fn the_default_rotation_gives_every_district_a_slot_and_edits_move_them() {
    let app = spawn_app().await;
    let mut input = year(&app);
    input["exclusive_themes"] = json!(true);
    let id = create(&app, &input).await;
    let r = body(app.post(Role::Coordinator, &format!("/api/v1/campaigns/{id}/rotation"), &json!({})).await).await;
    let c = body(app.get(Role::Coordinator, &format!("/api/v1/campaigns/{id}")).await).await;
    let slots = c["slots"].as_array().unwrap();
    assert_eq!(r["slots"].as_u64().unwrap() as usize, slots.len());
    for d in app.fx.districts {
        assert!(slots.iter().any(|s| s["district_id"] == d), "{c}");
    }
    assert!(c["clashes"].as_array().unwrap().is_empty(), "{c}");
    // Moving the second slot onto the first's theme and days shows a clash; deleting it leaves its district without a slot.
    let (first, second) = (&slots[0], &slots[1]);
    let moved = json!({"district_id": second["district_id"], "theme": first["theme"], "starts_on": first["starts_on"], "ends_on": first["ends_on"]});
    let path = format!("/api/v1/campaigns/{id}/slots/{}", second["id"]);
    assert_eq!(app.put(Role::Coordinator, &path, &moved).await.status(), StatusCode::OK);
    let c = body(app.get(Role::Coordinator, &format!("/api/v1/campaigns/{id}")).await).await;
    assert!(c["clashes"].as_array().unwrap().iter().any(|k| k["kind"] == "same_theme"), "{c}");
    let gone = app.api.delete(app.url(&path)).bearer_auth(app.token(Role::Coordinator)).send().await.unwrap();
    assert_eq!(gone.status(), StatusCode::NO_CONTENT);
    let list = body(app.get(Role::Volunteer, "/api/v1/campaigns").await).await;
    assert_eq!(list["total"], 1);
}

#[tokio::test]
async fn liaisons_and_coordinators_are_warned_once_before_a_slot_and_when_it_ends_owing() {
    let app = spawn_app().await;
    let id = create(&app, &year(&app)).await;
    let d = app.fx.districts[0];
    let slot = |from: i64, to: i64| json!({"district_id": d, "theme": "harmony", "starts_on": day(from), "ends_on": day(to)});
    for s in [slot(3, 20), slot(-40, -10)] {
        assert_eq!(app.post(Role::Coordinator, &format!("/api/v1/campaigns/{id}/slots"), &s).await.status(), StatusCode::CREATED);
    }
    let now = now_ms();
    assert_eq!(app.svc.warn_campaign_slots(now).await.unwrap(), 2);
    assert_eq!(app.svc.warn_campaign_slots(now).await.unwrap(), 0, "never twice");
    let kinds = |v: Value| v["items"].as_array().unwrap().iter().map(|n| n["kind"].as_str().unwrap().to_string()).collect::<Vec<_>>();
    let coordinator = kinds(body(app.get(Role::Coordinator, "/api/v1/notifications").await).await);
    assert_eq!(coordinator.iter().filter(|k| k.starts_with("slot_")).count(), 2, "{coordinator:?}");
    let liaison = kinds(body(app.get(Role::Liaison, "/api/v1/notifications").await).await);
    assert!(liaison.contains(&"slot_owing".to_string()) && liaison.contains(&"slot_upcoming".to_string()), "{liaison:?}");
}
