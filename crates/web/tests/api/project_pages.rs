//! The catalogue's pages: the shared form (422 and 409 re-render beside the
//! field, 303 on success), the list with pinyin search and export, a
//! project's page, the retire question, and planning from a project.

use reqwest::StatusCode;
use serde_json::json;
use tongxing_domain::role::Role;

use crate::helpers::{body, TestApp};
use crate::pages::{location, page, submit};
use crate::projects::{add, project};

fn form<'a>(csrf: &'a str, name: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("_csrf", csrf),
        ("name", name),
        ("category", "health"),
        ("theme", "health"),
        ("default_minutes", "90"),
        ("default_capacity", "20"),
        ("default_roles", "讲解员×2、引导员×3"),
        ("adults_only", "true"),
        ("what_to_bring", "血压计"),
    ]
}

#[tokio::test]
async fn the_center_creates_and_edits_a_project_with_one_form() {
    let app = crate::helpers::spawn_app().await;
    let (client, csrf) = app.browser_as(Role::Coordinator).await;
    let (status, html) = page(&app, &client, "/projects/new").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("id=\"project-form\"") && html.contains("name=\"default_roles\""));
    let resp = submit(&app, &client, "/projects", &form(&csrf, "健康知识讲座")).await;
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    let to = location(&resp);
    assert!(to.starts_with("/projects/") && to.contains("flash=saved"), "{to}");
    let id: i64 = to.trim_start_matches("/projects/").split('?').next().unwrap().parse().unwrap();
    let saved = body(app.get(Role::Coordinator, &format!("/api/v1/projects/{id}")).await).await;
    assert_eq!(saved["default_roles"], json!([{"name": "讲解员", "capacity": 2}, {"name": "引导员", "capacity": 3}]));
    assert_eq!((saved["adults_only"].as_bool(), saved["risky"].as_bool()), (Some(true), Some(false)));
    // The same name again: 409, the form back with the message beside the name.
    let resp = submit(&app, &client, "/projects", &form(&csrf, "健康知识讲座")).await;
    assert_eq!(resp.status(), StatusCode::CONFLICT);
    assert!(resp.text().await.unwrap().contains("名称已存在"));
    // Bad input: 422 beside the field, what was typed kept.
    let mut bad = form(&csrf, "急救知识培训");
    bad.retain(|(k, _)| *k != "default_roles" && *k != "default_minutes");
    bad.extend([("default_roles", "讲解员"), ("default_minutes", "0")]);
    let resp = submit(&app, &client, "/projects", &bad).await;
    assert_eq!(resp.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = resp.text().await.unwrap();
    assert!(html.contains("急救知识培训") && html.contains("岗位×人数"), "{html}");
    // Editing goes through the same form.
    let (status, html) = page(&app, &client, &format!("/projects/{id}/edit")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("讲解员×2、引导员×3"));
    let resp = submit(&app, &client, &format!("/projects/{id}"), &form(&csrf, "健康讲座")).await;
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    assert_eq!(body(app.get(Role::Coordinator, &format!("/api/v1/projects/{id}")).await).await["name"], "健康讲座");
}

#[tokio::test]
async fn the_list_searches_by_pinyin_and_exports_and_others_only_read() {
    let app = crate::helpers::spawn_app().await;
    add(&app, &project("健康知识讲座")).await;
    add(&app, &project("急救知识培训")).await;
    let (client, _) = app.browser_as(Role::Volunteer).await;
    let (status, html) = page(&app, &client, "/projects?q=jjzs").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("急救知识培训") && !html.contains("健康知识讲座"), "{html}");
    assert!(!html.contains("href=\"/projects/new\""), "a volunteer is not offered 新建");
    let resp = client.get(app.url("/projects?format=xlsx")).send().await.unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    assert!(resp.headers()["content-disposition"].to_str().unwrap().contains(".xlsx"));
    let (status, _) = page(&app, &client, "/projects/new").await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (client, _) = app.browser_as(Role::Coordinator).await;
    let (_, html) = page(&app, &client, "/projects?theme=health&category=health").await;
    assert!(html.contains("href=\"/projects/new\"") && html.contains("健康知识讲座"));
}

async fn planned_tomorrow(app: &TestApp, project: i64) -> i64 {
    let t = tongxing_store::now_ms() + 48 * 3_600_000;
    let mut b = crate::activities::plan(app, t, t + 3_600_000, 10);
    b["project_id"] = json!(project);
    body(app.post(Role::TeamLeader, "/api/v1/activities", &b).await).await["id"].as_i64().unwrap()
}

#[tokio::test]
async fn planning_from_a_project_fills_the_form_with_its_defaults() {
    let app = crate::helpers::spawn_app().await;
    let p = add(&app, &project("健康知识讲座")).await;
    let (client, _) = app.browser_as(Role::TeamLeader).await;
    let (_, html) = page(&app, &client, &format!("/projects/{p}")).await;
    assert!(html.contains(&format!("href=\"/activities/new?project_id={p}\"")), "a plan button on the project's page");
    let (status, html) = page(&app, &client, &format!("/activities/new?project_id={p}")).await;
    assert_eq!(status, StatusCode::OK);
    let value_of = |name: &str| {
        let at = html.find(&format!("name=\"{name}\"")).unwrap_or_else(|| panic!("no {name}"));
        let tag_end = at + html[at..].find('>').unwrap();
        let tag_start = html[..at].rfind('<').unwrap();
        let tag = &html[tag_start..tag_end];
        tag.split("value=\"").nth(1).map(|v| v.split('"').next().unwrap().to_string()).unwrap_or_default()
    };
    assert_eq!(value_of("title"), "健康知识讲座");
    assert_eq!(value_of("capacity"), "20");
    assert_eq!(value_of("role_name_1"), "讲解员");
    assert_eq!(value_of("role_capacity_1"), "2");
    let (start, end) = (value_of("starts_at"), value_of("ends_at"));
    assert!(start.ends_with("T09:00") && end.ends_with("T10:30"), "ninety minutes: {start} – {end}");
    assert!(html.contains("血压计") && html.contains("为居民讲健康知识"), "what to bring and the description");
    assert!(html.contains(&format!("<option value=\"{p}\" selected")), "the project chosen");
    assert!(html.contains("value=\"health\" selected"), "its theme");
}

#[tokio::test]
async fn retiring_from_the_page_asks_about_activities_ahead() {
    let app = crate::helpers::spawn_app().await;
    let p = add(&app, &project("健康知识讲座")).await;
    let ahead = planned_tomorrow(&app, p).await;
    let (client, csrf) = app.browser_as(Role::Coordinator).await;
    let (status, html) = page(&app, &client, &format!("/projects/{p}/retire")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains(&format!("/activities/{ahead}")) && html.contains("value=\"cancel\"") && html.contains("value=\"keep\""));
    // Without a choice nothing happens: the question again.
    let resp = submit(&app, &client, &format!("/projects/{p}/retire"), &[("_csrf", &csrf)]).await;
    assert_eq!(resp.status(), StatusCode::CONFLICT);
    let resp = submit(&app, &client, &format!("/projects/{p}/retire"), &[("_csrf", &csrf), ("future_activities", "cancel")]).await;
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    assert!(location(&resp).contains("flash=project_retired"));
    assert_eq!(body(app.get(Role::Coordinator, &format!("/api/v1/activities/{ahead}")).await).await["cancelled"], true);
    let (_, html) = page(&app, &client, &format!("/projects/{p}")).await;
    assert!(html.contains("已停用") && html.contains(&format!("/activities/{ahead}")), "the old activity still listed");
    // A retired project is no longer offered when planning.
    let (_, html) = page(&app, &client, "/activities/new").await;
    assert!(!html.contains("健康知识讲座"), "hidden from the plan form");
}
