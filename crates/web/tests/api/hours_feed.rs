//! Kept hours pages (PostgreSQL: each instance keeps the pages it read while
//! it hears the database's feed of changes) never show a change late: one
//! made through the same instance shows on the next page, one made anywhere
//! else as soon as the feed tells of it, and a lost feed keeps nothing.
//! On SQLite every page is read afresh, and the same tests hold.

use std::time::{Duration, Instant};

use reqwest::StatusCode;
use serde_json::{json, Value};
use tongxing_domain::role::Role;
use tongxing_service::Db;
use tongxing_store::ledger::{self, NewEntry};

use crate::helpers::{body, spawn_app, TestApp};
use crate::instances::second_instance;

fn entry(volunteer: i64, hours: f64) -> NewEntry {
    NewEntry { volunteer_id: volunteer, kind: "need_service", hours, served_on: "2026-11-20".into(), ..Default::default() }
}

async fn page_at(app: &TestApp, base: &str, volunteer: i64) -> Value {
    let r =
        app.api.get(format!("{base}/api/v1/volunteers/{volunteer}/hours")).bearer_auth(app.token(Role::Coordinator)).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    body(r).await
}

/// Reads `volunteer`'s page on `base` until `seen` holds, for up to five
/// seconds (the feed arrives a moment after the commit); the last page read.
async fn page_once(app: &TestApp, base: &str, volunteer: i64, seen: impl Fn(&Value) -> bool) -> Value {
    let until = Instant::now() + Duration::from_secs(5);
    loop {
        let page = page_at(app, base, volunteer).await;
        if seen(&page) || Instant::now() > until {
            return page;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

#[tokio::test]
async fn a_change_through_this_instance_shows_on_its_very_next_page() {
    let app = spawn_app().await;
    let v = app.fx.volunteers[0];
    ledger::append(&app.svc.db, &[entry(v, 2.0)]).await.unwrap();
    let first = page_at(&app, &app.base, v).await;
    assert_eq!(first["total_hours"], 2.0);
    let id = first["entries"][0]["id"].as_i64().unwrap();
    let mut total = 2.0;
    for step in 1..=5 {
        // Read twice first: the second is the kept page, where there is one.
        assert_eq!(page_at(&app, &app.base, v).await["total_hours"], total);
        let fix = json!({"hours": 2.0 + f64::from(step), "reason": "核对后调整"});
        let r = app.post(Role::Coordinator, &format!("/api/v1/hours/{id}/corrections"), &fix).await;
        assert_eq!(r.status(), StatusCode::NO_CONTENT, "{}", r.text().await.unwrap());
        total = 2.0 + f64::from(step);
        let page = page_at(&app, &app.base, v).await;
        assert_eq!(page["total_hours"], total, "step {step}: the correction shows at once");
        assert_eq!(page["total_entries"], 1 + step);
    }
    let r = app.post(Role::Volunteer, &format!("/api/v1/hours/{id}/disputes"), &json!({"reason": "时长不对"})).await;
    assert_eq!(r.status(), StatusCode::CREATED, "{}", r.text().await.unwrap());
    let page = page_at(&app, &app.base, v).await;
    let disputed = page["entries"].as_array().unwrap().iter().find(|e| e["id"] == id).unwrap();
    assert_eq!(disputed["disputed"], true, "the dispute shows at once: {page}");
}

#[tokio::test]
async fn a_change_made_elsewhere_reaches_the_kept_pages() {
    let app = spawn_app().await;
    let b = second_instance(&app).await;
    let [v, other] = [app.fx.volunteers[0], app.fx.volunteers[2]];
    ledger::append(&app.svc.db, &[entry(v, 2.0), entry(other, 1.0)]).await.unwrap();
    for _ in 0..2 {
        assert_eq!(page_at(&app, &app.base, v).await["total_hours"], 2.0);
        assert_eq!(page_at(&app, &app.base, other).await["total_hours"], 1.0);
    }
    let id = page_at(&app, &app.base, v).await["entries"][0]["id"].as_i64().unwrap();

    // Through the other instance.
    let fix = json!({"hours": 3.0, "reason": "核对后调整"});
    let r = app
        .api
        .post(format!("{b}/api/v1/hours/{id}/corrections"))
        .bearer_auth(app.token(Role::Coordinator))
        .json(&fix)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    assert_eq!(page_once(&app, &app.base, v, |p| p["total_hours"] == 3.0).await["total_hours"], 3.0);

    // Straight into the database, as another program would.
    let elsewhere = Db::connect(&app.db_url).await.unwrap();
    ledger::append(&elsewhere, &[entry(v, 1.5)]).await.unwrap();
    assert_eq!(page_once(&app, &app.base, v, |p| p["total_hours"] == 4.5).await["total_hours"], 4.5);
    assert_eq!(page_at(&app, &app.base, other).await["total_hours"], 1.0, "another volunteer's page is unchanged");

    // A name the pages show: who recorded an entry.
    let coordinator = app.user(Role::Coordinator).await;
    let mut recorded = entry(other, 1.0);
    recorded.recorded_by = Some(coordinator.id);
    ledger::append(&app.svc.db, &[recorded]).await.unwrap();
    let shown = |p: &Value| p["entries"][0]["recorded_by"].as_str().map(str::to_string);
    let before = shown(&page_once(&app, &app.base, other, |p| p["total_hours"] == 2.0).await);
    assert!(before.is_some());
    rename_account(&elsewhere, coordinator.id, "center-desk").await;
    let after = page_once(&app, &app.base, other, |p| shown(p).as_deref() == Some("center-desk")).await;
    assert_eq!(shown(&after).as_deref(), Some("center-desk"), "renamed: {after}");
}

async fn rename_account(db: &Db, user: i64, login: &str) {
    let sql = "UPDATE users SET login = $1 WHERE id = $2";
    match db {
        Db::Postgres(p) => sqlx::query(sql).bind(login).bind(user).execute(p).await.map(drop).unwrap(),
        Db::Sqlite { write, .. } => sqlx::query(sql).bind(login).bind(user).execute(write).await.map(drop).unwrap(),
    }
}

/// PostgreSQL only: the connection that hears the feed is cut. The feed is
/// heard again on another, and kept pages still hear of every change.
/// (What a loss means for the kept pages, the moment by moment, is the
/// service's unit test `feed::tests`.)
#[tokio::test]
async fn a_cut_feed_is_heard_again_and_kept_pages_still_hear_of_changes() {
    let app = spawn_app().await;
    let Db::Postgres(pool) = &app.svc.db else { return };
    let v = app.fx.volunteers[0];
    ledger::append(&app.svc.db, &[entry(v, 2.0)]).await.unwrap();
    // The first page asked starts the listening; the next are kept.
    assert_eq!(page_at(&app, &app.base, v).await["total_hours"], 2.0);
    tokio::time::sleep(Duration::from_millis(300)).await;
    for _ in 0..2 {
        assert_eq!(page_at(&app, &app.base, v).await["total_hours"], 2.0);
    }
    let listening = "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'LISTEN%'";
    let until = Instant::now() + Duration::from_secs(10);
    let mut pids: Vec<i32> = Vec::new();
    while pids.is_empty() && Instant::now() < until {
        pids = sqlx::query_scalar(listening).fetch_all(pool).await.unwrap();
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(pids.len(), 1, "one connection hears the feed");
    sqlx::query("SELECT pg_terminate_backend($1)").bind(pids[0]).execute(pool).await.unwrap();
    let elsewhere = Db::connect(&app.db_url).await.unwrap();
    ledger::append(&elsewhere, &[entry(v, 1.0)]).await.unwrap();
    assert_eq!(page_once(&app, &app.base, v, |p| p["total_hours"] == 3.0).await["total_hours"], 3.0);

    let until = Instant::now() + Duration::from_secs(10);
    loop {
        let now: Vec<i32> = sqlx::query_scalar(listening).fetch_all(pool).await.unwrap();
        if now.iter().any(|p| *p != pids[0]) || Instant::now() > until {
            assert!(now.iter().any(|p| *p != pids[0]), "the feed is heard on a new connection");
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    // Proven heard by a fence sent after the cut (one every half second).
    tokio::time::sleep(Duration::from_millis(1500)).await;
    for step in 1..=3 {
        assert_eq!(page_at(&app, &app.base, v).await["total_hours"], 3.0 + f64::from(step - 1) * 0.5);
        ledger::append(&elsewhere, &[entry(v, 0.5)]).await.unwrap();
        let want = 3.0 + f64::from(step) * 0.5;
        assert_eq!(page_once(&app, &app.base, v, |p| p["total_hours"] == want).await["total_hours"], want);
    }
}
