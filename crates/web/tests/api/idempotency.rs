use reqwest::StatusCode;
use tongxing_domain::role::Role;

use crate::helpers::{body, expect_error, spawn_app};

#[tokio::test]
async fn a_retried_create_with_the_same_key_creates_once_and_replays_the_answer() {
    let app = spawn_app().await;
    let v = app.new_volunteer("13900000077");
    let send = || {
        app.api
            .post(app.url("/api/v1/volunteers"))
            .bearer_auth(app.token(Role::Coordinator))
            .header("Idempotency-Key", "retry-1")
            .json(&v)
            .send()
    };
    let first = send().await.unwrap();
    assert_eq!(first.status(), StatusCode::CREATED);
    let first_id = body(first).await["id"].clone();
    let again = send().await.unwrap();
    assert_eq!(again.status(), StatusCode::CREATED, "the first answer, not a 409 duplicate");
    assert_eq!(again.headers().get("idempotent-replayed").map(|h| h.to_str().unwrap()), Some("true"));
    assert_eq!(body(again).await["id"], first_id);
    let found = body(app.get(Role::Coordinator, "/api/v1/volunteers?q=0077").await).await;
    assert_eq!(found["total"], 1, "one volunteer, not two");
}

#[tokio::test]
async fn the_same_key_with_another_body_is_refused() {
    let app = spawn_app().await;
    let post = |phone: &str| {
        app.api
            .post(app.url("/api/v1/volunteers"))
            .bearer_auth(app.token(Role::Coordinator))
            .header("Idempotency-Key", "k")
            .json(&app.new_volunteer(phone))
            .send()
    };
    assert_eq!(post("13900000078").await.unwrap().status(), StatusCode::CREATED);
    expect_error(post("13900000079").await.unwrap(), StatusCode::UNPROCESSABLE_ENTITY, "idempotency_key_reused").await;
}

#[tokio::test]
async fn keys_belong_to_their_sender() {
    let app = spawn_app().await;
    let post = |role: Role, phone: &str| {
        app.api
            .post(app.url("/api/v1/districts"))
            .bearer_auth(app.token(role))
            .header("Idempotency-Key", "shared")
            .json(&serde_json::json!({"name": phone}))
            .send()
    };
    assert_eq!(post(Role::Coordinator, "甲片区").await.unwrap().status(), StatusCode::CREATED);
    // Another caller's identical key is theirs alone: it runs (and here creates another district).
    assert_eq!(post(Role::Admin, "乙片区").await.unwrap().status(), StatusCode::CREATED);
}
