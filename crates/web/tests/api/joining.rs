//! Joining by oneself (实名注册): the code sent to the phone, its expiry and
//! tries, duplicates by phone and ID number, and the rate limits.

use reqwest::StatusCode;
use serde_json::{json, Value};
use tongxing_domain::paging::Page;
use tongxing_domain::role::Role;
use tongxing_service::Settings;
use tongxing_store::registry::registrations;

use crate::helpers::{body, expect_error, id_number, spawn_app_with, TestApp};

/// An app whose SMS go to a gateway: each code waits in the outbox, where the test reads it.
pub async fn app_with_gateway() -> TestApp {
    spawn_app_with(Settings { sms_gateway_url: Some("http://127.0.0.1:9/sms".into()), ..Settings::default() }).await
}

/// Asks for a code for `phone` and returns it, read from the SMS queued for it.
pub async fn code_for(app: &TestApp, phone: &str) -> String {
    let r = app.api.post(app.url("/api/v1/registrations/code")).json(&json!({"phone": phone})).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::ACCEPTED);
    assert_eq!(body(r).await["delivery"], "sms");
    let sent = tongxing_store::outbox::list(&app.svc.db, None, Page { page: 1, per_page: 50 }).await.unwrap();
    let sms = sent.items.iter().find(|d| d.kind == "sms" && d.target == phone).expect("an SMS to the phone");
    sms.body.chars().filter(char::is_ascii_digit).take(6).collect()
}

/// An application of a new person choosing team 0 (unit 0).
pub fn application(app: &TestApp, phone: &str, id: &str, code: &str) -> Value {
    json!({"name": "孙志愿", "phone": phone, "code": code, "id_number": id, "password": "my-own-secret",
           "unit_id": app.fx.units[0], "community_id": app.fx.communities[0], "team_ids": [app.fx.teams[0]],
           "skills": ["急救"], "party_member": true})
}

pub async fn apply(app: &TestApp, body: &Value) -> reqwest::Response {
    app.api.post(app.url("/api/v1/registrations")).json(body).send().await.unwrap()
}

#[tokio::test]
async fn joining_takes_only_the_code_sent_to_that_phone_and_only_once() {
    let app = app_with_gateway().await;
    let (phone, id) = ("13911110001", id_number("37050219900101123"));
    let code = code_for(&app, phone).await;
    assert_eq!(code.len(), 6);

    let mut without = application(&app, phone, &id, "");
    without.as_object_mut().unwrap().remove("code");
    let e = expect_error(apply(&app, &without).await, StatusCode::UNPROCESSABLE_ENTITY, "required").await;
    assert_eq!(e["field"], "code");
    let wrong = if code == "000000" { "111111" } else { "000000" };
    let e = expect_error(apply(&app, &application(&app, phone, &id, wrong)).await, StatusCode::UNPROCESSABLE_ENTITY, "code_wrong").await;
    assert_eq!(e["field"], "code");
    // Another phone's code does not open this one.
    let other = code_for(&app, "13911110002").await;
    if other != code {
        expect_error(apply(&app, &application(&app, phone, &id, &other)).await, StatusCode::UNPROCESSABLE_ENTITY, "code_wrong").await;
    }

    let r = apply(&app, &application(&app, phone, &id, &code)).await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let made = body(r).await;
    assert_eq!(made["status"], "pending");
    let stored = registrations::get(&app.svc.db, made["id"].as_i64().unwrap()).await.unwrap();
    assert_ne!(stored.id_number_enc, id, "the ID number is stored encrypted");
    assert_eq!(app.svc.crypto.decrypt(&stored.id_number_enc).as_deref(), Some(id.as_str()));
}

#[tokio::test]
async fn an_expired_code_and_a_code_guessed_five_times_are_refused() {
    let app = app_with_gateway().await;
    let phone = "13911110003";
    let id = id_number("37050219900101124");
    // A code that ran out a moment ago, planted as the store keeps it.
    let hash = app.svc.crypto.keyed_hash(&format!("{phone}:246810"));
    let now = tongxing_store::now_ms();
    registrations::put_code(&app.svc.db, phone, &hash, now - 1, &[], now - 600_001).await.unwrap();
    let e =
        expect_error(apply(&app, &application(&app, phone, &id, "246810")).await, StatusCode::UNPROCESSABLE_ENTITY, "code_expired").await;
    assert_eq!(e["field"], "code");

    let phone = "13911110004";
    let code = code_for(&app, phone).await;
    let wrong = if code == "000000" { "111111" } else { "000000" };
    for _ in 0..5 {
        expect_error(apply(&app, &application(&app, phone, &id, wrong)).await, StatusCode::UNPROCESSABLE_ENTITY, "code_wrong").await;
    }
    expect_error(apply(&app, &application(&app, phone, &id, &code)).await, StatusCode::UNPROCESSABLE_ENTITY, "code_attempts").await;
}

#[tokio::test]
async fn duplicates_by_phone_or_id_number_are_refused_beside_the_field() {
    let app = app_with_gateway().await;
    // The fixture's first volunteer holds this phone and this ID number.
    let e = expect_error(
        app.api.post(app.url("/api/v1/registrations/code")).json(&json!({"phone": "13800000001"})).send().await.unwrap(),
        StatusCode::CONFLICT,
        "phone_registered",
    )
    .await;
    assert_eq!(e["field"], "phone");
    let code = code_for(&app, "13911110005").await;
    let e = expect_error(
        apply(&app, &application(&app, "13911110005", "11010519491231002X", &code)).await,
        StatusCode::CONFLICT,
        "id_number_registered",
    )
    .await;
    assert_eq!(e["field"], "id_number");

    // A waiting application holds its phone and its ID number too.
    let id = id_number("37050219900101125");
    assert_eq!(apply(&app, &application(&app, "13911110005", &id, &code)).await.status(), StatusCode::CREATED);
    let e = expect_error(
        app.api.post(app.url("/api/v1/registrations/code")).json(&json!({"phone": "13911110005"})).send().await.unwrap(),
        StatusCode::CONFLICT,
        "phone_pending",
    )
    .await;
    assert_eq!(e["field"], "phone");
    let code = code_for(&app, "13911110006").await;
    let e = expect_error(apply(&app, &application(&app, "13911110006", &id, &code)).await, StatusCode::CONFLICT, "id_number_pending").await;
    assert_eq!(e["field"], "id_number");
}

#[tokio::test]
async fn codes_are_rate_limited_per_phone_and_per_address() {
    let app = app_with_gateway().await;
    let ask = |phone: &str| app.api.post(app.url("/api/v1/registrations/code")).json(&json!({"phone": phone})).send();
    assert_eq!(ask("13911110007").await.unwrap().status(), StatusCode::ACCEPTED);
    // One code a minute per phone.
    expect_error(ask("13911110007").await.unwrap(), StatusCode::TOO_MANY_REQUESTS, "rate_limited").await;
    // Twenty an hour from one address, whatever the phone (the refused one counted).
    for n in 2..20 {
        assert_eq!(ask(&format!("139222{n:05}")).await.unwrap().status(), StatusCode::ACCEPTED, "code {n}");
    }
    expect_error(ask("13933330000").await.unwrap(), StatusCode::TOO_MANY_REQUESTS, "rate_limited").await;
}

#[tokio::test]
async fn applications_are_rate_limited_per_address() {
    let app = app_with_gateway().await;
    // Ten applications an hour from one address, even ones refused.
    for n in 0..10 {
        let r = apply(&app, &application(&app, &format!("139444{n:05}"), &id_number("37050219900101126"), "123456")).await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY, "application {n} is heard (and refused: no code was sent)");
    }
    let r = apply(&app, &application(&app, "13944400099", &id_number("37050219900101126"), "123456")).await;
    expect_error(r, StatusCode::TOO_MANY_REQUESTS, "rate_limited").await;
}

#[tokio::test]
async fn the_center_sees_that_a_code_was_sent_but_never_the_code() {
    let app = app_with_gateway().await;
    let code = code_for(&app, "13911110009").await;
    let seen = body(app.get(Role::Coordinator, "/api/v1/outbox").await).await;
    let sms = seen["items"].as_array().unwrap().iter().find(|d| d["target"] == "139****0009").expect("the SMS is listed");
    let text = sms["body"].as_str().unwrap();
    assert!(!text.contains(&code) && text.contains("验证码"), "{text}");
    let held = tongxing_store::outbox::list(&app.svc.db, None, Page { page: 1, per_page: 5 }).await.unwrap();
    assert!(held.items.iter().any(|d| d.body.contains(&code)), "the gateway still gets it as written");
}
