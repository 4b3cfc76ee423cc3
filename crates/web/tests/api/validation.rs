//! Bad input gets a clear, specific error — 400, 409 or 422 naming the field
//! at fault — and never a 500.

use futures_util::future::join_all;
use reqwest::StatusCode;
use serde_json::{json, Value};
use tongxing_domain::role::Role;

use crate::helpers::{body, expect_error, spawn_app, TestApp};

struct Case {
    what: &'static str,
    path: &'static str,
    body: Value,
    field: &'static str,
    code: &'static str,
}

fn case(what: &'static str, path: &'static str, body: Value, field: &'static str, code: &'static str) -> Case {
    Case { what, path, body, field, code }
}

/// `base` with `key` set to `value`.
fn with(mut base: Value, key: &str, value: Value) -> Value {
    base[key] = value;
    base
}

/// `base` without `key`.
fn without(mut base: Value, key: &str) -> Value {
    base.as_object_mut().unwrap().remove(key);
    base
}

async fn check(app: &TestApp, cases: Vec<Case>, status: StatusCode) {
    for c in cases {
        let resp = app.post(Role::Coordinator, c.path, &c.body).await;
        assert_ne!(resp.status(), StatusCode::INTERNAL_SERVER_ERROR, "{}: never a 500", c.what);
        assert_eq!(resp.status(), status, "{}", c.what);
        let err = body(resp).await["error"].clone();
        assert_eq!(err["field"], c.field, "{}: {err}", c.what);
        assert_eq!(err["code"], c.code, "{}: {err}", c.what);
        assert!(err["message"].as_str().is_some_and(|m| !m.is_empty() && m != format!("error.{}", c.code)), "{}: a real message", c.what);
    }
}

#[tokio::test]
async fn each_broken_field_gets_a_422_naming_it() {
    let app = spawn_app().await;
    let fx = app.fx.clone();
    let v = app.new_volunteer("13911113333");
    let community = json!({"name": "新小区", "district_id": fx.districts[0], "lat": 37.4, "lng": 118.5});
    let team = json!({"name": "新服务队", "district_id": fx.districts[0], "category": "health"});
    let cases = vec![
        case("a phone that is not a mobile", "/api/v1/volunteers", with(v.clone(), "phone", json!("12345")), "phone", "phone_format"),
        case("a blank phone", "/api/v1/volunteers", with(v.clone(), "phone", json!(" ")), "phone", "required"),
        case(
            "an ID with a wrong check digit",
            "/api/v1/volunteers",
            with(v.clone(), "id_number", json!("110105194912310021")),
            "id_number",
            "id_checksum",
        ),
        case("a blank name", "/api/v1/volunteers", with(v.clone(), "name", json!("  ")), "name", "required"),
        case("a name over 64 characters", "/api/v1/volunteers", with(v.clone(), "name", json!("张".repeat(65))), "name", "too_long"),
        case("a unit that does not exist", "/api/v1/volunteers", with(v.clone(), "unit_id", json!(99_999)), "unit_id", "unknown_reference"),
        case(
            "a community that does not exist",
            "/api/v1/volunteers",
            with(v.clone(), "community_id", json!(99_999)),
            "community_id",
            "unknown_reference",
        ),
        case(
            "a team that does not exist",
            "/api/v1/volunteers",
            with(v.clone(), "team_ids", json!([fx.teams[0], 99_999])),
            "team_ids",
            "unknown_reference",
        ),
        case("a community off the map", "/api/v1/communities", with(community.clone(), "lat", json!(91.0)), "lat", "out_of_range"),
        case("a community at 0,0", "/api/v1/communities", with(community.clone(), "lng", json!(0.0)), "lng", "out_of_range"),
        case(
            "a community in a missing district",
            "/api/v1/communities",
            with(community, "district_id", json!(99_999)),
            "district_id",
            "unknown_reference",
        ),
        case("a unit of an unknown kind", "/api/v1/units", json!({"name": "某单位", "kind": "factory"}), "kind", "unknown_choice"),
        case(
            "a team of an unknown category",
            "/api/v1/teams",
            with(team.clone(), "category", json!("juggling")),
            "category",
            "unknown_choice",
        ),
        case(
            "a team led by nobody",
            "/api/v1/teams",
            with(team, "leader_volunteer_id", json!(99_999)),
            "leader_volunteer_id",
            "unknown_reference",
        ),
        case("a district name over 64 characters", "/api/v1/districts", json!({"name": "区".repeat(65)}), "name", "too_long"),
        case(
            "a beneficiary of an unknown kind",
            "/api/v1/beneficiaries",
            json!({"name": "某人", "kind": "vip", "community_id": fx.communities[0]}),
            "kind",
            "unknown_choice",
        ),
    ];
    check(&app, cases, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(app.volunteer_count().await, 3, "nothing invalid was written");
}

#[tokio::test]
async fn a_body_of_the_wrong_shape_is_a_422_naming_the_field() {
    let app = spawn_app().await;
    let v = app.new_volunteer("13911114444");
    let cases = vec![
        case("no phone at all", "/api/v1/volunteers", without(v.clone(), "phone"), "phone", "required"),
        case("no unit at all", "/api/v1/volunteers", without(v.clone(), "unit_id"), "unit_id", "required"),
        case("no district name", "/api/v1/districts", json!({}), "name", "required"),
        case("a name that is a number", "/api/v1/volunteers", with(v.clone(), "name", json!(123)), "name", "invalid"),
        case("a unit id that is text", "/api/v1/volunteers", with(v.clone(), "unit_id", json!("一")), "unit_id", "invalid"),
        case("skills that are not a list", "/api/v1/volunteers", with(v.clone(), "skills", json!("急救")), "skills", "invalid"),
        case(
            "a latitude that is text",
            "/api/v1/communities",
            json!({"name": "x", "district_id": app.fx.districts[0], "lat": "north", "lng": 118.5}),
            "lat",
            "invalid",
        ),
    ];
    check(&app, cases, StatusCode::UNPROCESSABLE_ENTITY).await;
}

#[tokio::test]
async fn malformed_json_is_a_400() {
    let app = spawn_app().await;
    for raw in ["{\"name\": ", "not json", "{\"name\": \"x\",}", ""] {
        let resp = app.post_raw(Role::Coordinator, "/api/v1/districts", "application/json", raw).await;
        expect_error(resp, StatusCode::BAD_REQUEST, "malformed").await;
    }
    // A truncated body is malformed even when its first value already has the wrong type.
    for raw in ["[1, 2", "{\"name\": 123, \"phone\": \"138"] {
        let resp = app.post_raw(Role::Coordinator, "/api/v1/volunteers", "application/json", raw).await;
        expect_error(resp, StatusCode::BAD_REQUEST, "malformed").await;
    }
}

#[tokio::test]
async fn a_second_volunteer_with_a_known_phone_is_a_409_on_phone() {
    let app = spawn_app().await;
    let resp = app.post(Role::Coordinator, "/api/v1/volunteers", &app.new_volunteer("138 0000 0001")).await;
    let err = expect_error(resp, StatusCode::CONFLICT, "duplicate_volunteer").await;
    assert_eq!(err["field"], "phone");
}

#[tokio::test]
async fn a_second_volunteer_with_a_known_id_number_is_a_409_on_id_number() {
    let app = spawn_app().await;
    let dup = with(app.new_volunteer("13911115555"), "id_number", json!("11010519491231002x"));
    let err =
        expect_error(app.post(Role::Coordinator, "/api/v1/volunteers", &dup).await, StatusCode::CONFLICT, "duplicate_volunteer").await;
    assert_eq!(err["field"], "id_number");
    // Editing someone else into a taken phone is refused the same way.
    let mut v1 = app.new_volunteer("13800000001");
    v1["team_ids"] = json!([]);
    let resp = app.put(Role::Coordinator, &format!("/api/v1/volunteers/{}", app.fx.volunteers[1]), &v1).await;
    assert_eq!(expect_error(resp, StatusCode::CONFLICT, "duplicate_volunteer").await["field"], "phone");
    // Their own phone with someone else's ID number: the ID number is at fault.
    let mut v1 = app.new_volunteer("13800000002");
    v1["team_ids"] = json!([]);
    v1["id_number"] = json!("11010519491231002X");
    let resp = app.put(Role::Coordinator, &format!("/api/v1/volunteers/{}", app.fx.volunteers[1]), &v1).await;
    assert_eq!(expect_error(resp, StatusCode::CONFLICT, "duplicate_volunteer").await["field"], "id_number");
    // Saving a volunteer unchanged is no conflict with themselves.
    let mut v0 = app.new_volunteer("13800000001");
    v0["id_number"] = json!("11010519491231002X");
    let resp = app.put(Role::Coordinator, &format!("/api/v1/volunteers/{}", app.fx.volunteers[0]), &v0).await;
    assert_eq!(resp.status(), StatusCode::OK);
}

#[tokio::test]
async fn duplicate_names_and_logins_are_409s() {
    let app = spawn_app().await;
    let resp = app.post(Role::Coordinator, "/api/v1/districts", &json!({"name": "现河片区"})).await;
    assert_eq!(expect_error(resp, StatusCode::CONFLICT, "duplicate_name").await["field"], "name");
    let resp = app.post(Role::Coordinator, "/api/v1/units", &json!({"name": "东胜公司", "kind": "other"})).await;
    assert_eq!(expect_error(resp, StatusCode::CONFLICT, "duplicate_name").await["field"], "name");
    let rename = json!({"name": "现河片区"});
    let resp = app.put(Role::Coordinator, &format!("/api/v1/districts/{}", app.fx.districts[0]), &rename).await;
    assert_eq!(expect_error(resp, StatusCode::CONFLICT, "duplicate_name").await["field"], "name");
    let account = json!({"login": "viewer", "password": "long-enough-pw", "role": "viewer"});
    let resp = app.post(Role::Admin, "/api/v1/users", &account).await;
    assert_eq!(expect_error(resp, StatusCode::CONFLICT, "duplicate_login").await["field"], "login");
}

#[tokio::test]
async fn per_page_is_clamped_to_500() {
    let app = spawn_app().await;
    let extra: Vec<_> = (0..510)
        .map(|i| {
            let input = tongxing_domain::registry::VolunteerInput {
                name: format!("批量{i}"),
                phone: format!("137{i:08}"),
                unit_id: app.fx.units[1],
                community_id: app.fx.communities[1],
                ..Default::default()
            };
            (None, app.svc.record(&input, &input.check().unwrap()))
        })
        .collect();
    tongxing_store::registry::volunteers::save_many(&app.svc.db, &extra).await.unwrap();
    let list = body(app.get(Role::Coordinator, "/api/v1/volunteers?per_page=1000").await).await;
    assert_eq!(list["items"].as_array().unwrap().len(), 500);
    assert_eq!(list["total"], 513);
    let last = body(app.get(Role::Coordinator, "/api/v1/volunteers?per_page=500&page=2").await).await;
    assert_eq!(last["items"].as_array().unwrap().len(), 13, "the second page holds the rest");
    for nonsense in ["per_page=0", "page=0"] {
        let list = body(app.get(Role::Coordinator, &format!("/api/v1/volunteers?{nonsense}")).await).await;
        assert!(!list["items"].as_array().unwrap().is_empty(), "{nonsense} is read as the first page or one row");
    }
}

#[tokio::test]
async fn unreadable_queries_paths_and_routes_answer_with_the_json_error_body() {
    let app = spawn_app().await;
    for path in ["/api/v1/volunteers?per_page=-5", "/api/v1/volunteers?page=abc", "/api/v1/volunteers?unit_id=x", "/api/v1/volunteers/abc"]
    {
        expect_error(app.get(Role::Coordinator, path).await, StatusCode::BAD_REQUEST, "malformed").await;
    }
    expect_error(app.get(Role::Coordinator, "/api/v1/no-such-thing").await, StatusCode::NOT_FOUND, "not_found").await;
    let resp = app.api.delete(app.url("/api/v1/districts")).bearer_auth(app.token(Role::Coordinator)).send().await.unwrap();
    assert!(resp.headers().get("allow").is_some(), "405 names the allowed methods");
    expect_error(resp, StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed").await;
    // Pages keep their HTML.
    let (browser, _) = app.browser_as(Role::Coordinator).await;
    let resp = browser.get(app.url("/no-such-page")).send().await.unwrap();
    assert_eq!(resp.status(), StatusCode::NOT_FOUND);
    assert!(!resp.headers().get("content-type").is_some_and(|c| c.to_str().unwrap().starts_with("application/json")));
}

#[tokio::test]
async fn twenty_concurrent_registrations_of_one_phone_create_exactly_one_volunteer() {
    let app = spawn_app().await;
    let v = app.new_volunteer("13966668888");
    let attempts = (0..20).map(|_| app.post(Role::Coordinator, "/api/v1/volunteers", &v));
    let responses = join_all(attempts).await;
    let statuses: Vec<StatusCode> = responses.iter().map(|r| r.status()).collect();
    assert_eq!(statuses.iter().filter(|s| **s == StatusCode::CREATED).count(), 1, "{statuses:?}");
    assert_eq!(statuses.iter().filter(|s| **s == StatusCode::CONFLICT).count(), 19, "{statuses:?}");
    let conflicts = join_all(responses.into_iter().filter(|r| r.status() == StatusCode::CONFLICT).map(body)).await;
    for c in conflicts {
        assert_eq!(c["error"]["field"], "phone", "even a save that lost the race names the phone: {c}");
    }
    let found = body(app.get(Role::Coordinator, "/api/v1/volunteers?q=66668888").await).await;
    assert_eq!(found["total"], 1);
}

#[tokio::test]
async fn garbage_in_any_field_is_never_a_500() {
    let app = spawn_app().await;
    let garbage = [json!(null), json!(-1), json!(i64::MAX), json!(1e308), json!("😀"), json!([]), json!({}), json!("\u{0000}")];
    let v = app.new_volunteer("13911116666");
    for key in ["name", "phone", "id_number", "unit_id", "community_id", "team_ids", "skills", "party_member", "vest_number"] {
        for g in &garbage {
            let resp = app.post(Role::Coordinator, "/api/v1/volunteers", &with(v.clone(), key, g.clone())).await;
            let status = resp.status();
            assert!(status.is_client_error() || status == StatusCode::CREATED, "{key} = {g}: {status} {}", resp.text().await.unwrap());
            if status == StatusCode::CREATED {
                // A value that was accepted must still leave a readable record; then free the phone again.
                let id = body(resp).await["id"].as_i64().unwrap();
                assert_eq!(app.get(Role::Coordinator, &format!("/api/v1/volunteers/{id}")).await.status(), StatusCode::OK);
                let moved = with(v.clone(), "phone", json!(format!("136{id:08}")));
                assert_eq!(app.put(Role::Coordinator, &format!("/api/v1/volunteers/{id}"), &moved).await.status(), StatusCode::OK);
            }
        }
    }
    for (key, g) in [("lat", json!(f64::MAX)), ("district_id", json!(-1)), ("name", json!("雅苑\u{0000}"))] {
        let c = with(json!({"name": "x", "district_id": app.fx.districts[0], "lat": 37.0, "lng": 118.0}), key, g.clone());
        let status = app.post(Role::Coordinator, "/api/v1/communities", &c).await.status();
        assert!(status.is_client_error() || status == StatusCode::CREATED, "community {key} = {g}: {status}");
    }
}

#[tokio::test]
async fn control_characters_in_text_are_a_422_not_a_database_error() {
    let app = spawn_app().await;
    let v = app.new_volunteer("13911117777");
    let cases = vec![
        case("a NUL in a name", "/api/v1/volunteers", with(v.clone(), "name", json!("赵\u{0000}新")), "name", "control_chars"),
        case("a NUL in a skill", "/api/v1/volunteers", with(v.clone(), "skills", json!(["急\u{0000}救"])), "skills", "control_chars"),
        case("a bell in a vest number", "/api/v1/volunteers", with(v, "vest_number", json!("XC\u{0007}1")), "vest_number", "control_chars"),
        case("a NUL in a district", "/api/v1/districts", json!({"name": "\u{0000}"}), "name", "control_chars"),
        case(
            "a NUL in a webhook",
            "/api/v1/units",
            json!({"name": "某单位", "kind": "other", "webhook_url": "https://x/\u{0000}"}),
            "webhook_url",
            "bad_url",
        ),
        case(
            "a NUL in notes",
            "/api/v1/beneficiaries",
            json!({"name": "某人", "kind": "other", "community_id": app.fx.communities[0], "notes": "a\u{0000}"}),
            "notes",
            "control_chars",
        ),
    ];
    check(&app, cases, StatusCode::UNPROCESSABLE_ENTITY).await;
    // Line breaks in notes are ordinary text.
    let notes = json!({"name": "某人", "kind": "other", "community_id": app.fx.communities[0], "notes": "第一行\n第二行\t完"});
    assert_eq!(app.post(Role::Coordinator, "/api/v1/beneficiaries", &notes).await.status(), StatusCode::CREATED);
    // Searching for one finds nothing rather than failing.
    for path in [
        "/api/v1/volunteers?q=%00",
        "/api/v1/volunteers?q=%E5%BC%A0%00",
        "/api/v1/volunteers?skill=%00",
        "/api/v1/districts?q=%00",
        "/api/v1/communities?q=%00",
        "/api/v1/units?kind=%00",
        "/api/v1/teams?category=%00",
        "/api/v1/beneficiaries?q=%00",
    ] {
        assert_eq!(app.get(Role::Coordinator, path).await.status(), StatusCode::OK, "{path}");
    }
    let (browser, _) = app.browser_as(Role::Coordinator).await;
    for path in ["/volunteers?q=%00", "/districts?q=%00", "/beneficiaries?q=%00"] {
        assert_eq!(browser.get(app.url(path)).send().await.unwrap().status(), StatusCode::OK, "{path}");
    }
}
