//! The service-project catalogue through the API: names unique among active
//! projects, retiring with activities ahead (ask, keep, cancel), bad input,
//! who may write, pinyin search, export, and what a project's page counts.

use reqwest::StatusCode;
use serde_json::{json, Value};
use tongxing_domain::role::Role;
use tongxing_domain::time::rfc3339;
use tongxing_store::now_ms;

use crate::activities::{create, plan};
use crate::helpers::{body, expect_error, spawn_app, TestApp};

const HOUR: i64 = 3_600_000;

pub(crate) fn project(name: &str) -> Value {
    json!({"name": name, "category": "health", "theme": "health", "description": "为居民讲健康知识", "default_minutes": 90,
           "default_capacity": 20, "default_roles": [{"name": "讲解员", "capacity": 2}], "risky": false, "adults_only": true,
           "what_to_bring": "血压计"})
}

pub(crate) async fn add(app: &TestApp, input: &Value) -> i64 {
    let r = app.post(Role::Coordinator, "/api/v1/projects", input).await;
    assert_eq!(r.status(), StatusCode::CREATED);
    body(r).await["id"].as_i64().unwrap()
}

async fn retire(app: &TestApp, id: i64, b: Value) -> reqwest::Response {
    app.post(Role::Coordinator, &format!("/api/v1/projects/{id}/retire"), &b).await
}

/// An activity of `project` starting `hours_ahead` from now (negative: past).
async fn activity_of(app: &TestApp, project: i64, hours_ahead: i64) -> i64 {
    let t = now_ms() + hours_ahead * HOUR;
    create(app, plan(app, t, t + HOUR, 10), json!({"project_id": project})).await
}

#[tokio::test]
async fn a_name_is_unique_among_active_projects_only() {
    let app = spawn_app().await;
    let first = add(&app, &project("健康知识讲座")).await;
    let e = expect_error(
        app.post(Role::Coordinator, "/api/v1/projects", &project(" 健康知识讲座 ")).await,
        StatusCode::CONFLICT,
        "duplicate_name",
    )
    .await;
    assert_eq!(e["field"], "name");
    let other = add(&app, &project("急救知识培训")).await;
    let r = app.put(Role::Coordinator, &format!("/api/v1/projects/{other}"), &project("健康知识讲座")).await;
    expect_error(r, StatusCode::CONFLICT, "duplicate_name").await;
    // Once retired, its name may be given to a new project; the old one keeps it.
    assert_eq!(retire(&app, first, json!({})).await.status(), StatusCode::OK);
    let again = add(&app, &project("健康知识讲座")).await;
    assert_ne!(again, first);
    let old = body(app.get(Role::Coordinator, &format!("/api/v1/projects/{first}")).await).await;
    assert_eq!((old["name"].as_str(), old["active"].as_bool()), (Some("健康知识讲座"), Some(false)));
    assert!(old["retired_at"].is_string());
    expect_error(retire(&app, first, json!({})).await, StatusCode::CONFLICT, "already_retired").await;
}

#[tokio::test]
async fn retiring_with_activities_ahead_asks_then_keeps_them() {
    let app = spawn_app().await;
    let p = add(&app, &project("健康知识讲座")).await;
    let past = activity_of(&app, p, -48).await;
    let ahead = activity_of(&app, p, 48).await;
    let r = retire(&app, p, json!({})).await;
    assert_eq!(r.status(), StatusCode::CONFLICT);
    let b = body(r).await;
    assert_eq!(b["error"]["code"], "future_activities");
    let listed: Vec<i64> = b["activities"].as_array().unwrap().iter().map(|a| a["id"].as_i64().unwrap()).collect();
    assert_eq!(listed, vec![ahead], "only what lies ahead: {b}");
    assert_eq!(body(app.get(Role::Coordinator, &format!("/api/v1/projects/{p}")).await).await["active"], true, "nothing changed yet");
    let r = retire(&app, p, json!({"future_activities": "keep"})).await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(body(r).await["cancelled"], 0);
    for id in [past, ahead] {
        let a = body(app.get(Role::Coordinator, &format!("/api/v1/activities/{id}")).await).await;
        assert_eq!((a["cancelled"].as_bool(), a["project_name"].as_str()), (Some(false), Some("健康知识讲座")), "{a}");
    }
    assert!(app.audited(Role::Coordinator, "retire", "project", p).await);
    // A retired project is not offered to a new plan.
    let t = now_ms() + 72 * HOUR;
    let r = app
        .post(Role::TeamLeader, "/api/v1/activities", &{
            let mut b = plan(&app, t, t + HOUR, 5);
            b["project_id"] = json!(p);
            b
        })
        .await;
    let e = expect_error(r, StatusCode::UNPROCESSABLE_ENTITY, "project_retired").await;
    assert_eq!(e["field"], "project_id");
}

#[tokio::test]
async fn retiring_and_cancelling_tells_everyone_signed_up() {
    let app = spawn_app().await;
    let p = add(&app, &project("健康知识讲座")).await;
    let ahead = activity_of(&app, p, 48).await;
    let me = app.fx.volunteers[0];
    let r = app.post(Role::Coordinator, &format!("/api/v1/activities/{ahead}/signups"), &json!({"volunteer_id": me})).await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let r = retire(&app, p, json!({"future_activities": "cancel"})).await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(body(r).await["cancelled"], 1);
    assert_eq!(body(app.get(Role::Coordinator, &format!("/api/v1/activities/{ahead}")).await).await["cancelled"], true);
    let inbox = body(app.get(Role::Volunteer, "/api/v1/notifications").await).await;
    let told = inbox["items"].as_array().unwrap().iter().any(|n| n["kind"] == "activity_cancelled" && n["activity_id"] == ahead);
    assert!(told, "the volunteer is told: {inbox}");
    assert!(app.audited(Role::Coordinator, "cancel", "activity", ahead).await);
}

#[tokio::test]
async fn bad_projects_are_refused_with_the_field() {
    let app = spawn_app().await;
    let with = |patch: Value| {
        let mut b = project("健康知识讲座");
        for (k, v) in patch.as_object().unwrap() {
            b[k] = v.clone();
        }
        b
    };
    for (patch, field) in [
        (json!({"name": " "}), "name"),
        (json!({"category": "fun"}), "category"),
        (json!({"theme": "fun"}), "theme"),
        (json!({"default_minutes": 0}), "default_minutes"),
        (json!({"default_capacity": 0}), "default_capacity"),
        (json!({"default_roles": [{"name": "讲解员", "capacity": 30}]}), "default_roles[0].capacity"),
        (json!({"unit_id": 999_999}), "unit_id"),
        (json!({"team_id": 999_999}), "team_id"),
    ] {
        let r = app.post(Role::Coordinator, "/api/v1/projects", &with(patch)).await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY, "{field}");
        assert_eq!(body(r).await["error"]["field"], field);
    }
    let p = add(&app, &project("健康知识讲座")).await;
    for q in ["theme=fun", "category=fun"] {
        expect_error(
            app.get(Role::Coordinator, &format!("/api/v1/projects?{q}")).await,
            StatusCode::UNPROCESSABLE_ENTITY,
            "unknown_choice",
        )
        .await;
    }
    let r = app.get(Role::Coordinator, &format!("/api/v1/projects/{p}?from=2026-05-01&to=2026-04-01")).await;
    assert_eq!(body(r).await["error"]["field"], "to");
    let r = retire(&app, p, json!({"future_activities": "burn"})).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    expect_error(app.get(Role::Coordinator, "/api/v1/projects/999999").await, StatusCode::NOT_FOUND, "not_found").await;
}

#[tokio::test]
async fn only_the_center_keeps_the_catalogue_and_everyone_reads_it() {
    let app = spawn_app().await;
    let p = add(&app, &project("健康知识讲座")).await;
    for role in [Role::Liaison, Role::TeamLeader, Role::Volunteer, Role::Observer, Role::Viewer] {
        expect_error(app.post(role, "/api/v1/projects", &project("新项目")).await, StatusCode::FORBIDDEN, "forbidden").await;
        expect_error(app.put(role, &format!("/api/v1/projects/{p}"), &project("改名")).await, StatusCode::FORBIDDEN, "forbidden").await;
        expect_error(app.post(role, &format!("/api/v1/projects/{p}/retire"), &json!({})).await, StatusCode::FORBIDDEN, "forbidden").await;
        assert_eq!(app.get(role, &format!("/api/v1/projects/{p}")).await.status(), StatusCode::OK, "{role:?} reads");
        assert_eq!(body(app.get(role, "/api/v1/projects").await).await["total"], 1);
    }
    let r = app.put(Role::Admin, &format!("/api/v1/projects/{p}"), &project("健康讲座")).await;
    assert_eq!(r.status(), StatusCode::OK);
}

fn ids(b: Value) -> Vec<i64> {
    b["items"].as_array().unwrap().iter().map(|p| p["id"].as_i64().unwrap()).collect()
}

#[tokio::test]
async fn the_list_searches_by_pinyin_and_filters_by_theme_category_and_state() {
    let app = spawn_app().await;
    let talk = add(&app, &project("健康知识讲座")).await;
    let mut green = project("河道巡护清理");
    green["category"] = json!("environment");
    green["theme"] = json!("green");
    let river = add(&app, &green).await;
    let a = &app;
    let find = move |q: &'static str| async move { ids(body(a.get(Role::Volunteer, &format!("/api/v1/projects?{q}")).await).await) };
    assert_eq!(find("q=jkzsjz").await, vec![talk], "initials");
    assert_eq!(find("q=zhishi").await, vec![talk], "full pinyin, inside the name");
    assert_eq!(find("q=HDXH").await, vec![river], "upper case");
    assert_eq!(find("q=巡护").await, vec![river], "characters");
    assert_eq!(find("theme=green").await, vec![river]);
    assert_eq!(find("category=health").await, vec![talk]);
    assert_eq!(retire(&app, river, json!({})).await.status(), StatusCode::OK);
    assert_eq!(find("").await, vec![talk, river], "both, by category");
    assert_eq!(find("active=true").await, vec![talk]);
    assert_eq!(find("active=false").await, vec![river]);
}

#[tokio::test]
async fn projects_stored_before_the_pinyin_keys_get_them_at_start() {
    let app = spawn_app().await;
    let talk = add(&app, &project("健康知识讲座")).await;
    // As a project carried over by migration 0015 is: no keys.
    tongxing_store::campaigns::projects::set_pinyin(&app.svc.db, talk, "", "").await.unwrap();
    let found = |q: &'static str| {
        let a = &app;
        async move { ids(body(a.get(Role::Volunteer, &format!("/api/v1/projects?{q}")).await).await) }
    };
    assert!(found("q=jkzsjz").await.is_empty());
    assert_eq!(app.svc.index_project_names().await.unwrap(), 1);
    assert_eq!(found("q=jkzsjz").await, vec![talk]);
    assert_eq!(app.svc.index_project_names().await.unwrap(), 0, "a no-op once every name has keys");
}

#[tokio::test]
async fn the_catalogue_exports_to_xlsx() {
    use calamine::Reader;
    let app = spawn_app().await;
    add(&app, &project("健康知识讲座")).await;
    add(&app, &project("急救知识培训")).await;
    let resp = app.get(Role::Viewer, "/api/v1/projects?format=xlsx&q=jkzs").await;
    assert_eq!(resp.status(), StatusCode::OK);
    let mut book = calamine::Xlsx::new(std::io::Cursor::new(resp.bytes().await.unwrap().to_vec())).expect("a workbook");
    let rows: Vec<Vec<String>> =
        book.worksheet_range_at(0).unwrap().unwrap().rows().map(|r| r.iter().map(|c| c.to_string()).collect()).collect();
    assert_eq!(rows.len(), 2, "a heading and the one match: {rows:?}");
    assert!(
        rows[0].iter().any(|h| h == "项目名称") && rows[1].iter().any(|c| c == "健康知识讲座") && rows[1].iter().any(|c| c == "讲解员×2"),
        "{rows:?}"
    );
}

#[tokio::test]
async fn a_projects_page_counts_its_activities_people_and_hours_over_a_period() {
    let app = spawn_app().await;
    let p = add(&app, &project("健康知识讲座")).await;
    // A walk-up activity that has ended: the leader records attendance from the roster.
    let start = now_ms() - 4 * HOUR;
    let a = create(&app, plan(&app, start, start + 2 * HOUR, 10), json!({"project_id": p, "walk_ups": true})).await;
    let me = app.fx.volunteers[0];
    for (kind, at) in [("in", start), ("out", start + HOUR)] {
        let b = json!({"volunteer_id": me, "kind": kind, "at": rfc3339(at)});
        assert!(app.post(Role::TeamLeader, &format!("/api/v1/activities/{a}/checkins"), &b).await.status().is_success());
    }
    assert!(app.post(Role::TeamLeader, &format!("/api/v1/activities/{a}/confirm"), &json!({})).await.status().is_success());
    let today = tongxing_domain::time::region_date(start).to_string();
    let page = body(app.get(Role::Viewer, &format!("/api/v1/projects/{p}?from={today}&to={today}")).await).await;
    let s = &page["stats"];
    assert_eq!((s["activities"].as_i64(), s["volunteers"].as_i64(), s["attendances"].as_i64()), (Some(1), Some(1), Some(1)), "{page}");
    assert!((s["hours"].as_f64().unwrap() - 1.0).abs() < 0.01, "{page}");
    assert_eq!(page["activities"], 1);
    let before = body(app.get(Role::Viewer, &format!("/api/v1/projects/{p}?from=2020-01-01&to=2020-12-31")).await).await;
    assert_eq!((before["stats"]["activities"].as_i64(), before["stats"]["hours"].as_f64()), (Some(0), Some(0.0)));
}
