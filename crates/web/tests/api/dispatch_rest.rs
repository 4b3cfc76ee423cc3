//! Dispatch spreads the load: whoever was confirmed on a call lately is
//! asked for the next one only after the rested, even nearer and keener.

use serde_json::json;
use tongxing_domain::registry::CommunityInput;
use tongxing_domain::role::Role;
use tongxing_domain::time::rfc3339;
use tongxing_service::Settings;
use tongxing_store::now_ms;

use crate::dispatch::{adults, adults_in};
use crate::helpers::{body, spawn_app_with, TestApp};

const HOUR: i64 = 3_600_000;

async fn call_at(app: &TestApp, starts: i64, needed: i64) -> i64 {
    let input = json!({"title": "清理积水", "community_id": app.fx.communities[0], "starts_at": rfc3339(starts),
                       "ends_at": rfc3339(starts + 4 * HOUR), "needed": needed});
    let r = app.post(Role::Coordinator, "/api/v1/dispatches", &input).await;
    assert_eq!(r.status(), reqwest::StatusCode::CREATED);
    body(r).await["id"].as_i64().unwrap()
}

async fn asked(app: &TestApp, call: i64) -> Vec<i64> {
    tongxing_store::dispatch::answers::responses(&app.svc.db, call, &[]).await.unwrap().iter().map(|r| r.volunteer_id).collect()
}

/// Twelve people at the call's place and thirty rested ones 20 km off. Six
/// of the twelve are confirmed on today's call; returns them and who the
/// same call a day later asks first.
async fn todays_crew_and_tomorrows_wave(rest_days: u32) -> (Vec<i64>, Vec<i64>) {
    let app = spawn_app_with(Settings { dispatch_rest_days: rest_days, ..Settings::default() }).await;
    let near = adults(&app, 0, 12, 0).await;
    let input = CommunityInput { name: "广利小区".into(), district_id: app.fx.districts[0], lat: 37.63, lng: 118.50 };
    let far_place = tongxing_store::registry::communities::create(&app.svc.db, &input).await.unwrap();
    adults_in(&app, 0, 30, 100, far_place).await;

    let today = call_at(&app, now_ms() + 2 * HOUR, 6).await;
    let first = asked(&app, today).await;
    assert!(near.iter().all(|v| first.contains(v)), "the near are asked first: {first:?}");
    for &v in &near[..6] {
        let r = app
            .post(Role::Coordinator, &format!("/api/v1/dispatches/{today}/responses"), &json!({"volunteer_id": v, "answer": "accept"}))
            .await;
        assert_eq!(body(r).await["status"], "confirmed");
    }
    let tomorrow = call_at(&app, now_ms() + 26 * HOUR, 6).await;
    (near[..6].to_vec(), asked(&app, tomorrow).await)
}

#[tokio::test]
async fn people_confirmed_on_a_call_lately_are_asked_after_the_rested() {
    let (crew, wave) = todays_crew_and_tomorrows_wave(3).await;
    assert!(wave.len() >= 12, "enough rested people to fill: {wave:?}");
    let again: Vec<&i64> = crew.iter().filter(|v| wave.contains(v)).collect();
    assert!(again.is_empty(), "today's crew asked again tomorrow: {again:?}");
}

#[tokio::test]
async fn with_no_rest_days_the_nearer_keener_crew_is_asked_again() {
    let (crew, wave) = todays_crew_and_tomorrows_wave(0).await;
    assert!(crew.iter().all(|v| wave.contains(v)), "the score alone prefers them: {wave:?}");
}
