//! The upcoming-activity list's kept pages (PostgreSQL: kept while the
//! instance hears the database's feed of changes, until something on them
//! changes) never show a change later than before: one made through the same
//! instance on its next page, one made anywhere else within the feed's delay,
//! an activity that ends off the list when it ends. Each change comes after
//! the page was kept past the moment every instance keeps pages for
//! (`ACTIVITY_LIST_TTL`). On SQLite pages are kept for that moment only, and
//! the same tests hold.

use std::time::{Duration, Instant};

use reqwest::StatusCode;
use serde_json::{json, Value};
use tongxing_domain::role::Role;
use tongxing_service::cache::ACTIVITY_LIST_TTL;
use tongxing_service::Db;
use tongxing_store::now_ms;

use crate::activities::{create, plan};
use crate::helpers::{body, spawn_app, TestApp};
use crate::instances::second_instance;
use crate::report_in_figures::activity_at;

const HOUR: i64 = 3_600_000;

async fn list_at(app: &TestApp, base: &str) -> Value {
    let r = app
        .api
        .get(format!("{base}/api/v1/activities?community_id={}", app.fx.communities[0]))
        .bearer_auth(app.token(Role::Volunteer))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    body(r).await
}

/// The activity as `base`'s list shows it, if it does.
async fn shown(app: &TestApp, base: &str, id: i64) -> Option<Value> {
    list_at(app, base).await["items"].as_array().unwrap().iter().find(|a| a["id"] == id).cloned()
}

/// Reads the list on `base` until `seen` holds of the activity as shown,
/// for up to five seconds (the feed arrives a moment after the commit).
async fn shown_once(app: &TestApp, base: &str, id: i64, seen: impl Fn(&Option<Value>) -> bool) -> Option<Value> {
    let until = Instant::now() + Duration::from_secs(5);
    loop {
        let a = shown(app, base, id).await;
        if seen(&a) || Instant::now() > until {
            return a;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// Reads the list twice and waits past the moment: what is served next is
/// a page kept while the feed is heard (PostgreSQL), or read afresh.
async fn kept(app: &TestApp, id: i64) -> Value {
    shown(app, &app.base, id).await;
    let a = shown(app, &app.base, id).await.expect("listed");
    tokio::time::sleep(ACTIVITY_LIST_TTL + Duration::from_millis(50)).await;
    a
}

fn confirmed(a: &Option<Value>) -> i64 {
    a.as_ref().and_then(|a| a["confirmed"].as_i64()).unwrap_or(-1)
}

#[tokio::test]
async fn a_sign_up_through_this_instance_shows_on_its_very_next_list_page() {
    let app = spawn_app().await;
    let t = now_ms() + 24 * HOUR;
    let id = create(&app, plan(&app, t, t + 2 * HOUR, 10), json!({})).await;
    for (step, v) in app.fx.volunteers.iter().take(3).enumerate() {
        assert_eq!(kept(&app, id).await["confirmed"], step as i64);
        let r = app.post(Role::Coordinator, &format!("/api/v1/activities/{id}/signups"), &json!({"volunteer_id": v})).await;
        assert_eq!(r.status(), StatusCode::CREATED, "{}", r.text().await.unwrap());
        assert_eq!(confirmed(&shown(&app, &app.base, id).await), step as i64 + 1, "step {step}: the sign-up shows at once");
    }
}

#[tokio::test]
async fn another_instances_sign_up_and_edits_reach_this_instances_list() {
    let app = spawn_app().await;
    let b = second_instance(&app).await;
    let t = now_ms() + 24 * HOUR;
    let id = create(&app, plan(&app, t, t + 2 * HOUR, 10), json!({})).await;

    // A sign-up through the other instance.
    assert_eq!(kept(&app, id).await["confirmed"], 0);
    let r = app
        .api
        .post(format!("{b}/api/v1/activities/{id}/signups"))
        .bearer_auth(app.token(Role::Coordinator))
        .json(&json!({"volunteer_id": app.fx.volunteers[0]}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::CREATED, "{}", r.text().await.unwrap());
    assert_eq!(confirmed(&shown_once(&app, &app.base, id, |a| confirmed(a) == 1).await), 1);

    // A name the list shows, changed straight in the database, as another program would.
    kept(&app, id).await;
    let elsewhere = Db::connect(&app.db_url).await.unwrap();
    let sql = "UPDATE communities SET name = '新华里社区' WHERE id = $1";
    match &elsewhere {
        Db::Postgres(p) => sqlx::query(sql).bind(app.fx.communities[0]).execute(p).await.map(drop).unwrap(),
        Db::Sqlite { write, .. } => sqlx::query(sql).bind(app.fx.communities[0]).execute(write).await.map(drop).unwrap(),
    }
    let renamed = shown_once(&app, &app.base, id, |a| a.as_ref().is_some_and(|a| a["community_name"] == "新华里社区")).await;
    assert_eq!(renamed.unwrap()["community_name"], "新华里社区");

    // Cancelled through the other instance: off the list.
    kept(&app, id).await;
    let r = app.api.post(format!("{b}/api/v1/activities/{id}/cancel")).bearer_auth(app.token(Role::TeamLeader)).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK, "{}", r.text().await.unwrap());
    assert!(shown_once(&app, &app.base, id, Option::is_none).await.is_none(), "a cancelled activity leaves the list");
}

#[tokio::test]
async fn an_activity_leaves_a_kept_list_page_when_it_ends() {
    let app = spawn_app().await;
    let now = now_ms();
    // Begun hours ago (`activity_at` plans it 10,000 s long), ending in 1.5 s.
    let fx = &app.fx;
    let id =
        activity_at(&app, [fx.teams[0], fx.communities[0], fx.districts[0]], None, now + 1_500 - 10_000_000, "ending-token-0001").await;
    let later = create(&app, plan(&app, now + 24 * HOUR, now + 26 * HOUR, 10), json!({})).await;
    while now_ms() < now + 1_300 {
        assert!(shown(&app, &app.base, id).await.is_some(), "not ended yet");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    // Past its end, and past the moment any page read before it is kept.
    tokio::time::sleep(ACTIVITY_LIST_TTL + Duration::from_millis(150)).await;
    assert!(shown(&app, &app.base, id).await.is_none(), "ended: off the list");
    assert!(shown(&app, &app.base, later).await.is_some());
}
