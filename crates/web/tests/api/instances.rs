//! Several instances behind a balancer share one database: whatever one
//! instance knows about a client, the others know too.

use std::net::SocketAddr;

use reqwest::StatusCode;
use serde_json::json;
use tongxing_domain::role::Role;
use tongxing_service::{Db, Service};

use crate::helpers::{body, password, spawn_app, TestApp};

/// A second server with its own connection pool on the same database.
pub async fn second_instance(app: &TestApp) -> String {
    second_instance_serving(app).await.0
}

/// A second server on the same database, and its service, with half the
/// pool (`database_pool`), as README advises for two instances.
async fn second_instance_serving(app: &TestApp) -> (String, Service) {
    let db = Db::connect_pooled(&app.db_url, tongxing_store::DEFAULT_POOL / 2).await.expect("second pool");
    if let Db::Postgres(pool) = &db {
        assert_eq!(pool.options().get_max_connections(), tongxing_store::DEFAULT_POOL / 2, "the pool is the size asked for");
    }
    let svc = Service {
        db,
        crypto: app.svc.crypto.clone(),
        settings: app.svc.settings.clone(),
        caches: Default::default(),
        call_pool: Default::default(),
    };
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let router = tongxing_web::app(tongxing_web::AppState::new(svc.clone()));
    tokio::spawn(async move { axum::serve(listener, router.into_make_service_with_connect_info::<SocketAddr>()).await.unwrap() });
    (format!("http://{addr}"), svc)
}

/// On PostgreSQL the instances hear each other's heartbeats on the feed and
/// count each other, so that they share the database's write groups in
/// flight (`group_commit`); SQLite serves one process.
#[tokio::test]
async fn instances_on_one_database_count_each_other() {
    let app = spawn_app().await;
    let (b, svc_b) = second_instance_serving(&app).await;
    let token = app.token(Role::Volunteer);
    // The first signed-in request starts each instance's ear on the feed.
    assert_eq!(me(&app, &app.base, token).await, StatusCode::OK);
    assert_eq!(me(&app, &b, token).await, StatusCode::OK);
    let expected = match app.svc.db.backend() {
        tongxing_store::Backend::Postgres => 2,
        tongxing_store::Backend::Sqlite => 1,
    };
    // A heartbeat every 5 s, counted every half second.
    let until = std::time::Instant::now() + std::time::Duration::from_secs(15);
    let counts = || (app.svc.caches.feed.instances(), svc_b.caches.feed.instances());
    while counts() != (expected, expected) && std::time::Instant::now() < until {
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(counts(), (expected, expected));
}

#[tokio::test]
async fn a_token_from_one_instance_works_on_another_and_logout_ends_it_everywhere() {
    let app = spawn_app().await;
    let b = second_instance(&app).await;
    let login = json!({"login": "coordinator", "password": password(Role::Coordinator)});
    let token =
        body(app.api.post(app.url("/api/v1/auth/login")).json(&login).send().await.unwrap()).await["token"].as_str().unwrap().to_string();
    let on_b = app.api.get(format!("{b}/api/v1/auth/me")).bearer_auth(&token).send().await.unwrap();
    assert_eq!(on_b.status(), StatusCode::OK);
    let out = app.api.post(format!("{b}/api/v1/auth/logout")).bearer_auth(&token).send().await.unwrap();
    assert_eq!(out.status(), StatusCode::NO_CONTENT);
    let on_a = app.api.get(app.url("/api/v1/auth/me")).bearer_auth(&token).send().await.unwrap();
    assert_eq!(on_a.status(), StatusCode::UNAUTHORIZED);
}

async fn me(app: &TestApp, base: &str, token: &str) -> StatusCode {
    app.api.get(format!("{base}/api/v1/auth/me")).bearer_auth(token).send().await.unwrap().status()
}

/// Asks `app` (the first instance) for the session until it has ended, for up to `within`.
async fn ends_on_a(app: &TestApp, token: &str, within: std::time::Duration) -> StatusCode {
    let until = std::time::Instant::now() + within;
    loop {
        let s = me(app, &app.base, token).await;
        if s == StatusCode::UNAUTHORIZED || std::time::Instant::now() > until {
            return s;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
}

/// A session one instance keeps ends there when it ends through another:
/// on PostgreSQL as soon as the feed of changes tells of it (well within the
/// few seconds sessions are otherwise trusted), on SQLite within those.
#[tokio::test]
async fn a_session_kept_by_one_instance_ends_there_when_ended_through_another() {
    let app = spawn_app().await;
    let b = second_instance(&app).await;
    let within = match app.svc.db {
        Db::Postgres(_) => std::time::Duration::from_secs(2),
        Db::Sqlite { .. } => tongxing_service::cache::SESSION_TTL + std::time::Duration::from_secs(2),
    };
    // Logged out through the other instance.
    let login = json!({"login": "coordinator", "password": password(Role::Coordinator)});
    let token =
        body(app.api.post(app.url("/api/v1/auth/login")).json(&login).send().await.unwrap()).await["token"].as_str().unwrap().to_string();
    for _ in 0..2 {
        assert_eq!(me(&app, &app.base, &token).await, StatusCode::OK);
    }
    let out = app.api.post(format!("{b}/api/v1/auth/logout")).bearer_auth(&token).send().await.unwrap();
    assert_eq!(out.status(), StatusCode::NO_CONTENT);
    assert_eq!(ends_on_a(&app, &token, within).await, StatusCode::UNAUTHORIZED);

    // The account deactivated through the other instance.
    let viewer = app.token(Role::Viewer).to_string();
    assert_eq!(me(&app, &app.base, &viewer).await, StatusCode::OK);
    let id = app.user(Role::Viewer).await.id;
    let off = app.api.post(format!("{b}/api/v1/users/{id}/deactivate")).bearer_auth(app.token(Role::Admin)).send().await.unwrap();
    assert_eq!(off.status(), StatusCode::NO_CONTENT);
    assert_eq!(ends_on_a(&app, &viewer, within).await, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn failed_logins_count_across_instances() {
    let app = spawn_app().await;
    let b = second_instance(&app).await;
    let wrong = json!({"login": "viewer", "password": "not-the-password"});
    for i in 0..5 {
        let base = if i % 2 == 0 { app.base.clone() } else { b.clone() };
        let r = app.api.post(format!("{base}/api/v1/auth/login")).json(&wrong).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    }
    let right = json!({"login": "viewer", "password": password(Role::Viewer)});
    let r = app.api.post(format!("{b}/api/v1/auth/login")).json(&right).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS, "the sixth attempt is throttled whichever instance gets it");
}

#[tokio::test]
async fn a_retry_that_lands_on_another_instance_is_not_applied_twice() {
    let app = spawn_app().await;
    let b = second_instance(&app).await;
    let v = app.new_volunteer("13900000088");
    let send = |base: String| {
        app.api
            .post(format!("{base}/api/v1/volunteers"))
            .bearer_auth(app.token(Role::Coordinator))
            .header("Idempotency-Key", "phone-retry")
            .json(&v)
            .send()
    };
    let first = send(app.base.clone()).await.unwrap();
    assert_eq!(first.status(), StatusCode::CREATED);
    let retry = send(b).await.unwrap();
    assert_eq!(retry.status(), StatusCode::CREATED);
    assert_eq!(retry.headers().get("idempotent-replayed").unwrap(), "true");
    assert_eq!(body(app.get(Role::Coordinator, "/api/v1/volunteers?q=0088").await).await["total"], 1);
}
