//! The request schemas of /api/v1/openapi.json say what the server accepts:
//! formats, choices, lengths, patterns and ranges are in the document, a body
//! valid by the document passes the field rules, and the edges where the
//! rules and the document could part (whole numbers written `2.0`, lists
//! counted before blanks are dropped, text counted before it is trimmed)
//! are held to the document.

use reqwest::StatusCode;
use serde_json::{json, Value};
use tongxing_domain::role::Role;
use tongxing_store::ledger::{self, NewEntry};

use crate::helpers::{body, expect_error, spawn_app, TestApp};

async fn document(app: &TestApp) -> Value {
    body(app.api.get(app.url("/api/v1/openapi.json")).send().await.unwrap()).await
}

fn field<'a>(doc: &'a Value, schema: &str, name: &str) -> &'a Value {
    &doc["components"]["schemas"][schema]["properties"][name]
}

#[tokio::test]
async fn every_request_field_states_its_rule() {
    let app = spawn_app().await;
    let doc = document(&app).await;
    let phone = field(&doc, "VolunteerInput", "phone");
    assert!(phone["pattern"].as_str().is_some_and(|p| p.contains("[3-9]")), "a mobile's pattern: {phone}");
    assert_eq!(field(&doc, "VolunteerInput", "unit_id")["minimum"], 1, "ids start at 1");
    assert_eq!(field(&doc, "VolunteerInput", "skills")["maxItems"], 20);
    assert!(field(&doc, "VolunteerInput", "id_number")["pattern"].is_string(), "the ID number's shape");
    assert_eq!(field(&doc, "UnitInput", "kind")["enum"], json!(["oilfield_unit", "street_office", "school", "other"]));
    assert!(field(&doc, "TeamInput", "category")["enum"].as_array().is_some_and(|c| c.contains(&json!("elderly_care"))));
    let title = field(&doc, "NeedInput", "title");
    assert_eq!((title["minLength"].clone(), title["maxLength"].clone()), (json!(1), json!(60)), "{title}");
    assert!(title["pattern"].is_string(), "blank and control characters are refused: {title}");
    assert_eq!(field(&doc, "ActivityInput", "starts_at")["format"], "date-time");
    assert_eq!(field(&doc, "ActivityInput", "capacity")["maximum"], 5000);
    assert_eq!(field(&doc, "CommunityInput", "lat")["minimum"], 3.0);
    assert_eq!(field(&doc, "DispatchInput", "radius_km")["exclusiveMinimum"], 0.0);
    assert_eq!(field(&doc, "NewAccount", "password")["minLength"], 8);
    let needs = &doc["paths"]["/api/v1/needs"]["get"]["parameters"];
    let status = needs.as_array().unwrap().iter().find(|p| p["name"] == "status").unwrap();
    assert!(status["schema"]["pattern"].as_str().is_some_and(|p| p.contains("published")), "{status}");
    let upload = &doc["paths"]["/api/v1/volunteers/import"]["post"]["requestBody"]["content"]["multipart/form-data"]["schema"];
    assert!(upload.is_object(), "the upload's form is described: {upload}");
}

#[tokio::test]
async fn different_things_have_different_names_in_the_document() {
    let app = spawn_app().await;
    let doc = document(&app).await;
    let schemas = &doc["components"]["schemas"];
    // An account's role and an activity's role; a dispute and a request to open one; an
    // answer to a dispute and to a call; the two rosters: each was one name for two shapes.
    assert!(schemas["Role"]["enum"].is_array() && schemas["ActivityRole"]["properties"]["capacity"].is_object());
    assert!(schemas["DisputeAnswer"]["properties"]["answer"]["type"] == "string" && schemas["Answer"]["enum"].is_array());
    assert!(schemas["DisputeRequest"]["properties"]["reason"].is_object() && schemas["Dispute"]["properties"]["entry_id"].is_object());
    assert!(schemas["RosterLine"]["properties"]["walk_up"].is_object() && schemas["DispatchRosterLine"].is_object());
    let answer = &doc["paths"]["/api/v1/hours/disputes/{id}/answer"]["post"]["requestBody"]["content"]["application/json"]["schema"];
    assert_eq!(answer["$ref"], "#/components/schemas/DisputeAnswer");
}

#[tokio::test]
async fn a_whole_number_written_with_a_fraction_is_an_integer() {
    let app = spawn_app().await;
    let d = app.fx.districts[0] as f64;
    let c = json!({"name": "新小区", "district_id": d, "lat": 37.4, "lng": 118.0});
    assert!(c.to_string().contains(".0"), "sent as {c}");
    assert_eq!(app.post(Role::Coordinator, "/api/v1/communities", &c).await.status(), StatusCode::CREATED, "2.0 is an integer");
    let half = json!({"name": "半个小区", "district_id": d + 0.5, "lat": 37.4, "lng": 118.0});
    let err =
        expect_error(app.post(Role::Coordinator, "/api/v1/communities", &half).await, StatusCode::UNPROCESSABLE_ENTITY, "invalid").await;
    assert_eq!(err["field"], "district_id");
}

#[tokio::test]
async fn lists_and_texts_are_measured_as_sent() {
    let app = spawn_app().await;
    // 21 skills are too many even when some repeat; a skill is measured before trimming.
    let mut many = app.new_volunteer("13911118881");
    many["skills"] = json!(std::iter::repeat_n("急救", 21).collect::<Vec<_>>());
    let err =
        expect_error(app.post(Role::Coordinator, "/api/v1/volunteers", &many).await, StatusCode::UNPROCESSABLE_ENTITY, "too_long").await;
    assert_eq!(err["field"], "skills");
    let mut padded = app.new_volunteer("13911118882");
    padded["skills"] = json!([format!(" {}", "理".repeat(32))]);
    expect_error(app.post(Role::Coordinator, "/api/v1/volunteers", &padded).await, StatusCode::UNPROCESSABLE_ENTITY, "too_long").await;
    // A review's reason follows the rule of every other text.
    let need = json!({"title": "修水管", "description": "漏水", "category": "repair", "community_id": app.fx.communities[0],
                      "requester_name": "王大爷", "requester_phone": "13977771111"});
    let id = body(app.api.post(app.url("/api/v1/needs")).json(&need).send().await.unwrap()).await["id"].as_i64().unwrap();
    let bell = json!({"decision": "reject", "reason": "不属于\u{0007}服务范围"});
    let r = app.post(Role::Coordinator, &format!("/api/v1/needs/{id}/review"), &bell).await;
    expect_error(r, StatusCode::UNPROCESSABLE_ENTITY, "control_chars").await;
    // Hours below zero are refused as typed, not rounded to zero first.
    let v = app.fx.volunteers[0];
    let entry = NewEntry { volunteer_id: v, kind: "need_service", hours: 2.0, served_on: "2026-11-20".into(), ..Default::default() };
    ledger::append(&app.svc.db, &[entry]).await.unwrap();
    let e = ledger::entries(&app.svc.db, v, Default::default()).await.unwrap().items[0].id;
    let below = json!({"hours": -0.000_000_01, "reason": "核对"});
    expect_error(
        app.post(Role::Coordinator, &format!("/api/v1/hours/{e}/corrections"), &below).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "hours_below_zero",
    )
    .await;
}

#[tokio::test]
async fn the_time_limit_and_the_wait_after_a_429_are_in_the_document() {
    let app = spawn_app().await;
    let doc = document(&app).await;
    for (path, method) in [("/api/v1/auth/login", "post"), ("/api/v1/volunteers/import", "post"), ("/api/v1/needs", "get")] {
        let responses = &doc["paths"][path][method]["responses"];
        assert!(responses["408"].is_object(), "{method} {path} may time out: {responses}");
    }
    for path in ["/api/v1/auth/login", "/api/v1/needs", "/api/v1/volunteers/import"] {
        let too_many = &doc["paths"][path]["post"]["responses"]["429"];
        assert_eq!(too_many["headers"]["Retry-After"]["schema"]["type"], "integer", "{path}: {too_many}");
    }
}

/// JSON Schema counts `7.0` as an integer, so a path id written so names the same record.
#[tokio::test]
async fn a_path_id_written_as_a_whole_number_with_zeros_names_the_same_record() {
    let app = spawn_app().await;
    let id = app.fx.communities[0];
    let plain = body(app.get(Role::Coordinator, &format!("/api/v1/communities/{id}")).await).await;
    let r = app.get(Role::Coordinator, &format!("/api/v1/communities/{id}.00")).await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(body(r).await, plain);
    let r = app.get(Role::Coordinator, &format!("/api/v1/communities/{id}.5")).await;
    assert_eq!(r.status(), StatusCode::BAD_REQUEST, "a fraction is no id");
}
