//! Logins, sessions, throttling and account creation.

use reqwest::StatusCode;
use serde_json::{json, Value};
use tongxing_domain::role::Role;

use crate::helpers::{body, expect_error, password, spawn_app, TestApp};

async fn login(app: &TestApp, login: &str, password: &str) -> reqwest::Response {
    app.api.post(app.url("/api/v1/auth/login")).json(&json!({"login": login, "password": password})).send().await.unwrap()
}

async fn me(app: &TestApp, token: &str) -> reqwest::Response {
    app.api.get(app.url("/api/v1/auth/me")).bearer_auth(token).send().await.unwrap()
}

#[tokio::test]
async fn a_right_password_gives_a_working_token_and_the_account() {
    let app = spawn_app().await;
    let resp = login(&app, "liaison", &password(Role::Liaison)).await;
    assert_eq!(resp.status(), StatusCode::OK);
    let b = body(resp).await;
    assert_eq!(b["user"]["role"], "liaison");
    assert_eq!(b["user"]["login"], "liaison");
    assert_eq!(b["user"]["unit_id"], app.fx.units[0]);
    assert!(b["user"].get("password_hash").is_none(), "the hash never leaves the server");
    let token = b["token"].as_str().unwrap();
    assert!(token.len() >= 32, "a long random token: {token}");
    let who = body(me(&app, token).await).await;
    assert_eq!(who["id"], b["user"]["id"]);
    assert_eq!(who["role"], "liaison");
}

#[tokio::test]
async fn a_wrong_password_or_an_unknown_login_is_401() {
    let app = spawn_app().await;
    let wrong = login(&app, "coordinator", "not-the-password").await;
    let a = expect_error(wrong, StatusCode::UNAUTHORIZED, "unauthorized").await;
    let unknown = login(&app, "nobody-here", "whatever-password").await;
    let b = expect_error(unknown, StatusCode::UNAUTHORIZED, "unauthorized").await;
    assert_eq!(a, b, "an unknown login is told apart from a wrong password by nothing");
}

#[tokio::test]
async fn after_five_failures_even_the_right_password_is_429() {
    let app = spawn_app().await;
    for i in 0..5 {
        let resp = login(&app, "coordinator", &format!("guess-{i}")).await;
        expect_error(resp, StatusCode::UNAUTHORIZED, "unauthorized").await;
    }
    let resp = login(&app, "coordinator", &password(Role::Coordinator)).await;
    let retry: u64 = resp.headers()["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((890..=900).contains(&retry), "429 says when the 15-minute window ends: {retry} s");
    expect_error(resp, StatusCode::TOO_MANY_REQUESTS, "rate_limited").await;
    // The throttle is per login: another account still signs in.
    assert_eq!(login(&app, "viewer", &password(Role::Viewer)).await.status(), StatusCode::OK);
}

#[tokio::test]
async fn retry_after_is_when_the_configured_window_ends() {
    let settings = tongxing_service::Settings { login_window_minutes: 2, needs_per_phone_per_hour: 1, ..Default::default() };
    let app = crate::helpers::spawn_app_with(settings).await;
    for i in 0..5 {
        login(&app, "viewer", &format!("guess-{i}")).await;
    }
    let resp = login(&app, "viewer", "guess-5").await;
    assert_eq!(resp.status(), StatusCode::TOO_MANY_REQUESTS);
    let retry: u64 = resp.headers()["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((110..=120).contains(&retry), "a two-minute window: {retry} s, not 900");
    // A resident's second need of the hour, with a limit of one, waits out the hour.
    let need = json!({"title": "修水管", "description": "漏水", "category": "repair", "community_id": app.fx.communities[0],
                      "requester_name": "王大爷", "requester_phone": "13977772222"});
    for expected in [StatusCode::CREATED, StatusCode::TOO_MANY_REQUESTS] {
        let resp = app.api.post(app.url("/api/v1/needs")).json(&need).send().await.unwrap();
        assert_eq!(resp.status(), expected);
        if expected == StatusCode::TOO_MANY_REQUESTS {
            let retry: u64 = resp.headers()["retry-after"].to_str().unwrap().parse().unwrap();
            assert!((3590..=3600).contains(&retry), "the hour's end: {retry} s");
        }
    }
}

#[tokio::test]
async fn a_success_before_the_limit_clears_the_failures() {
    let app = spawn_app().await;
    for _ in 0..4 {
        assert_eq!(login(&app, "observer", "bad-password").await.status(), StatusCode::UNAUTHORIZED);
    }
    assert_eq!(login(&app, "observer", &password(Role::Observer)).await.status(), StatusCode::OK);
    for _ in 0..4 {
        assert_eq!(login(&app, "observer", "bad-password").await.status(), StatusCode::UNAUTHORIZED);
    }
    assert_eq!(login(&app, "observer", &password(Role::Observer)).await.status(), StatusCode::OK);
}

#[tokio::test]
async fn logging_out_ends_the_token() {
    let app = spawn_app().await;
    let token = app.token(Role::Viewer).to_string();
    assert_eq!(me(&app, &token).await.status(), StatusCode::OK);
    let resp = app.api.post(app.url("/api/v1/auth/logout")).bearer_auth(&token).send().await.unwrap();
    assert_eq!(resp.status(), StatusCode::NO_CONTENT);
    expect_error(me(&app, &token).await, StatusCode::UNAUTHORIZED, "unauthorized").await;
    let again = app.api.get(app.url("/api/v1/volunteers")).bearer_auth(&token).send().await.unwrap();
    expect_error(again, StatusCode::UNAUTHORIZED, "unauthorized").await;
    // Other sessions are untouched.
    assert_eq!(me(&app, app.token(Role::Coordinator)).await.status(), StatusCode::OK);
}

#[tokio::test]
async fn me_describes_each_roles_account() {
    let app = spawn_app().await;
    for role in Role::ALL {
        let who = body(me(&app, app.token(role)).await).await;
        assert_eq!(who["role"], role.as_str());
        assert_eq!(who["login"], role.as_str());
        assert_eq!(who["active"], true);
    }
    let tl = body(me(&app, app.token(Role::TeamLeader)).await).await;
    assert_eq!(tl["team_id"], app.fx.teams[0]);
    let vol = body(me(&app, app.token(Role::Volunteer)).await).await;
    assert_eq!(vol["volunteer_id"], app.fx.volunteers[0]);
}

#[tokio::test]
async fn a_forged_or_missing_token_is_401() {
    let app = spawn_app().await;
    expect_error(me(&app, "not-a-real-token").await, StatusCode::UNAUTHORIZED, "unauthorized").await;
    let no_bearer = app.api.get(app.url("/api/v1/auth/me")).header("authorization", "Basic abc").send().await.unwrap();
    expect_error(no_bearer, StatusCode::UNAUTHORIZED, "unauthorized").await;
}

fn account(login: &str, role: &str) -> Value {
    json!({"login": login, "password": "a-good-password", "role": role})
}

#[tokio::test]
async fn an_admin_creates_an_account_that_can_log_in() {
    let app = spawn_app().await;
    let mut new = account("wang.liaison", "liaison");
    new["unit_id"] = json!(app.fx.units[1]);
    let resp = app.post(Role::Admin, "/api/v1/users", &new).await;
    assert_eq!(resp.status(), StatusCode::CREATED);
    let user = body(resp).await;
    assert_eq!(user["role"], "liaison");
    assert_eq!(user["unit_id"], app.fx.units[1]);
    let listed = body(app.get(Role::Admin, "/api/v1/users").await).await;
    assert!(listed["items"].as_array().unwrap().iter().any(|u| u["login"] == "wang.liaison"));
    let resp = login(&app, "wang.liaison", "a-good-password").await;
    assert_eq!(resp.status(), StatusCode::OK);
    let token = body(resp).await["token"].as_str().unwrap().to_string();
    // The new liaison's reach is their unit: volunteers[2] only.
    let list = body(app.api.get(app.url("/api/v1/volunteers")).bearer_auth(&token).send().await.unwrap()).await;
    assert_eq!(list["total"], 1);
    assert_eq!(list["items"][0]["id"], app.fx.volunteers[2]);
    assert!(app.audit().await.iter().any(|a| a.0 == "create" && a.1 == "user" && a.2 == user["id"].as_i64()));
}

#[tokio::test]
async fn only_an_admin_may_create_accounts() {
    let app = spawn_app().await;
    for role in Role::ALL.into_iter().filter(|r| *r != Role::Admin) {
        let resp = app.post(role, "/api/v1/users", &account(&format!("made-by-{}", role.as_str()), "admin")).await;
        expect_error(resp, StatusCode::FORBIDDEN, "forbidden").await;
    }
    let listed = body(app.get(Role::Admin, "/api/v1/users").await).await;
    assert_eq!(listed["total"], 7, "no account was made");
}

#[tokio::test]
async fn account_rules_are_422s_and_a_taken_login_is_409() {
    let app = spawn_app().await;
    let taken = app.post(Role::Admin, "/api/v1/users", &account("coordinator", "viewer")).await;
    assert_eq!(expect_error(taken, StatusCode::CONFLICT, "duplicate_login").await["field"], "login");
    let mut short = account("shorty", "viewer");
    short["password"] = json!("1234567");
    let err = expect_error(app.post(Role::Admin, "/api/v1/users", &short).await, StatusCode::UNPROCESSABLE_ENTITY, "password_short").await;
    assert_eq!(err["field"], "password");
    let cases = [
        (account("liaison2", "liaison"), "unit_id", "required"),
        (account("leader2", "team_leader"), "team_id", "required"),
        (account("vol2", "volunteer"), "volunteer_id", "required"),
        (account("a b", "viewer"), "login", "login_format"),
        (account("x", "viewer"), "login", "login_format"),
    ];
    for (body_, field, code) in cases {
        let err = expect_error(app.post(Role::Admin, "/api/v1/users", &body_).await, StatusCode::UNPROCESSABLE_ENTITY, code).await;
        assert_eq!(err["field"], field, "{body_}");
    }
    let bad_role = app.post(Role::Admin, "/api/v1/users", &account("boss", "emperor")).await;
    assert_eq!(expect_error(bad_role, StatusCode::UNPROCESSABLE_ENTITY, "invalid").await["field"], "role");
    let mut ghost_unit = account("liaison3", "liaison");
    ghost_unit["unit_id"] = json!(99_999);
    let resp = app.post(Role::Admin, "/api/v1/users", &ghost_unit).await;
    assert_eq!(expect_error(resp, StatusCode::UNPROCESSABLE_ENTITY, "unknown_reference").await["field"], "unit_id");
    // A reference to a missing team or volunteer is reported on that field, not on unit_id.
    for (role, field) in [("team_leader", "team_id"), ("volunteer", "volunteer_id")] {
        let mut ghost = account(&format!("ghost-{role}"), role);
        ghost[field] = json!(99_999);
        let resp = app.post(Role::Admin, "/api/v1/users", &ghost).await;
        assert_eq!(expect_error(resp, StatusCode::UNPROCESSABLE_ENTITY, "unknown_reference").await["field"], field);
    }
    assert_eq!(body(app.get(Role::Admin, "/api/v1/users").await).await["total"], 7, "nothing was created");
}

/// The id of a fixture account, from the admin's list.
async fn account_id(app: &TestApp, login: &str) -> i64 {
    let list = body(app.get(Role::Admin, "/api/v1/users?per_page=100").await).await;
    list["items"].as_array().unwrap().iter().find(|u| u["login"] == login).unwrap()["id"].as_i64().unwrap()
}

#[tokio::test]
async fn a_deactivated_account_is_locked_out_at_once_and_can_be_let_back_in() {
    let app = spawn_app().await;
    let id = account_id(&app, "liaison").await;
    let path = format!("/api/v1/users/{id}/deactivate");
    expect_error(app.post(Role::Coordinator, &path, &json!({})).await, StatusCode::FORBIDDEN, "forbidden").await;
    assert_eq!(app.post(Role::Admin, &path, &json!({})).await.status(), StatusCode::NO_CONTENT);
    expect_error(me(&app, app.token(Role::Liaison)).await, StatusCode::UNAUTHORIZED, "unauthorized").await;
    expect_error(login(&app, "liaison", &password(Role::Liaison)).await, StatusCode::UNAUTHORIZED, "unauthorized").await;
    let back = app.post(Role::Admin, &format!("/api/v1/users/{id}/reactivate"), &json!({})).await;
    assert_eq!(back.status(), StatusCode::NO_CONTENT);
    assert_eq!(login(&app, "liaison", &password(Role::Liaison)).await.status(), StatusCode::OK);
}

#[tokio::test]
async fn an_admin_cannot_lock_themselves_out() {
    let app = spawn_app().await;
    let id = account_id(&app, "admin").await;
    expect_error(
        app.post(Role::Admin, &format!("/api/v1/users/{id}/deactivate"), &json!({})).await,
        StatusCode::CONFLICT,
        "cannot_deactivate_self",
    )
    .await;
}

#[tokio::test]
async fn an_admin_resets_a_forgotten_password() {
    let app = spawn_app().await;
    let id = account_id(&app, "observer").await;
    let path = format!("/api/v1/users/{id}/password");
    let short = app.post(Role::Admin, &path, &json!({"password": "short"})).await;
    assert_eq!(expect_error(short, StatusCode::UNPROCESSABLE_ENTITY, "password_short").await["field"], "password");
    assert_eq!(app.post(Role::Admin, &path, &json!({"password": "a-new-long-one"})).await.status(), StatusCode::NO_CONTENT);
    assert_eq!(login(&app, "observer", "a-new-long-one").await.status(), StatusCode::OK);
    expect_error(login(&app, "observer", &password(Role::Observer)).await, StatusCode::UNAUTHORIZED, "unauthorized").await;
}

/// Twenty wrong passwords at once: each attempt is counted before it is
/// checked, in one atomic step, so exactly the limit of them get a verdict
/// and the rest are refused (counting first and recording after let all
/// twenty through as 401).
#[tokio::test]
async fn racing_wrong_passwords_get_no_more_tries_than_the_limit() {
    let app = spawn_app().await;
    let tries: Vec<_> = (0..20)
        .map(|i| {
            let (client, url) = (app.api.clone(), app.url("/api/v1/auth/login"));
            tokio::spawn(async move {
                client.post(url).json(&json!({"login": "coordinator", "password": format!("guess-{i}")})).send().await.unwrap().status()
            })
        })
        .collect();
    let mut answers = Vec::new();
    for t in tries {
        answers.push(t.await.unwrap());
    }
    let refused = answers.iter().filter(|s| **s == StatusCode::TOO_MANY_REQUESTS).count();
    let wrong = answers.iter().filter(|s| **s == StatusCode::UNAUTHORIZED).count();
    assert_eq!((wrong, refused), (5, 15), "{answers:?}");
}

/// A guesser at another address cannot lock the account's owner out: the
/// limit of five is per account and address; from everywhere together an
/// account takes a hundred before it is closed to all.
#[tokio::test]
async fn wrong_passwords_from_elsewhere_do_not_lock_the_owner_out() {
    let app = spawn_app().await;
    let right = password(Role::Admin);
    for i in 0..8 {
        let r = app.svc.login("admin", &format!("guess-{i}"), "203.0.113.7").await;
        assert!(r.is_err());
    }
    assert!(
        matches!(app.svc.login("admin", &right, "203.0.113.7").await, Err(tongxing_service::Error::RateLimited { .. })),
        "the guesser's address is closed"
    );
    assert!(app.svc.login("admin", &right, "198.51.100.2").await.is_ok(), "the owner, elsewhere, signs in");

    // Spread over many addresses, the account closes at its own ceiling.
    for i in 0..100 {
        let _ = app.svc.login("admin", "guess", &format!("192.0.2.{i}")).await;
    }
    assert!(matches!(app.svc.login("admin", &right, "198.51.100.3").await, Err(tongxing_service::Error::RateLimited { .. })));
}
