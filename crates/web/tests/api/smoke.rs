use reqwest::StatusCode;
use tongxing_domain::role::Role;

use crate::helpers::{body, expect_error, password, spawn_app};

#[tokio::test]
async fn health_and_readiness_answer() {
    let app = spawn_app().await;
    assert_eq!(app.api.get(app.url("/healthz")).send().await.unwrap().status(), StatusCode::OK);
    assert_eq!(app.api.get(app.url("/readyz")).send().await.unwrap().status(), StatusCode::OK);
}

#[tokio::test]
async fn a_coordinator_logs_in_and_finds_a_volunteer_by_pinyin_initials() {
    let app = spawn_app().await;
    let login = serde_json::json!({"login": "coordinator", "password": password(Role::Coordinator)});
    let resp = app.api.post(app.url("/api/v1/auth/login")).json(&login).send().await.unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    let b = body(resp).await;
    assert_eq!(b["user"]["role"], "coordinator");
    let token = b["token"].as_str().unwrap();
    let found = body(app.api.get(app.url("/api/v1/volunteers?q=zxj")).bearer_auth(token).send().await.unwrap()).await;
    assert_eq!(found["total"], 1);
    assert_eq!(found["items"][0]["name"], "张晓静");
    assert_eq!(found["items"][0]["phone"], "138****0001");
}

#[tokio::test]
async fn a_request_without_a_token_is_401() {
    let app = spawn_app().await;
    let resp = app.api.get(app.url("/api/v1/volunteers")).send().await.unwrap();
    expect_error(resp, StatusCode::UNAUTHORIZED, "unauthorized").await;
}
