//! Drawings, photos and PDFs on the problem board: the round trip, the
//! limits (size, type by the bytes, count), who may upload, delete and see.

use reqwest::StatusCode;
use serde_json::{json, Value};
use tongxing_domain::role::Role;

use crate::helpers::{body, expect_error, spawn_app, TestApp};

const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x10\0\0\0\x10\x08\x00\x00\x00\x00";

async fn attach(app: &TestApp, role: Role, problem: i64, step: &str, name: &str, mime: &str, bytes: Vec<u8>) -> reqwest::Response {
    let part = reqwest::multipart::Part::bytes(bytes).file_name(name.to_string()).mime_str(mime).unwrap();
    let form = reqwest::multipart::Form::new().text("step", step.to_string()).part("file", part);
    let url = app.url(&format!("/api/v1/problems/{problem}/attachments"));
    app.api.post(url).bearer_auth(app.token(role)).multipart(form).send().await.unwrap()
}

/// A problem of unit 0 proposed by the volunteer (张晓静), claimed by the leader's team 0.
async fn held_problem(app: &TestApp) -> i64 {
    let p = json!({"title": "计量站管线结垢", "description": "结垢堵塞", "unit_id": app.fx.units[0]});
    let id = body(app.post(Role::Volunteer, "/api/v1/problems", &p).await).await["id"].as_i64().unwrap();
    let r = app.post(Role::TeamLeader, &format!("/api/v1/problems/{id}/claim"), &json!({"team_id": app.fx.teams[0]})).await;
    assert_eq!(r.status(), StatusCode::OK);
    id
}

async fn refused(r: reqwest::Response, status: StatusCode, code: &str, field: &str) {
    let e: Value = expect_error(r, status, code).await;
    assert_eq!(e["field"], field, "{e}");
}

#[tokio::test]
async fn a_drawing_goes_up_and_comes_back_as_a_download_and_is_deleted_by_its_uploader() {
    let app = spawn_app().await;
    let id = held_problem(&app).await;
    let r = attach(&app, Role::TeamLeader, id, "solution", "C:\\图纸\\净化装置流程图.png", "image/png", PNG.to_vec()).await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let a = body(r).await;
    assert_eq!(
        (a["step"].as_str(), a["file_name"].as_str(), a["content_type"].as_str()),
        (Some("solution"), Some("净化装置流程图.png"), Some("image/png"))
    );
    assert_eq!(a["size"].as_i64(), Some(PNG.len() as i64));
    let aid = a["id"].as_i64().unwrap();
    assert!(app.audited(Role::TeamLeader, "attach", "skill_problem", id).await);
    // A PDF sent as "application/octet-stream" is told by its bytes.
    let pdf =
        attach(&app, Role::Coordinator, id, "field_test", "数据.bin", "application/octet-stream", b"%PDF-1.7\n%\xE2\xE3".to_vec()).await;
    assert_eq!(body(pdf).await["content_type"], "application/pdf");

    let detail = body(app.get(Role::Viewer, &format!("/api/v1/problems/{id}")).await).await;
    assert_eq!(detail["attachments"].as_array().map(Vec::len), Some(2), "{detail}");
    let list = body(app.get(Role::Volunteer, &format!("/api/v1/problems/{id}/attachments")).await).await;
    assert_eq!(list["total"], 2);

    let d = app.get(Role::Liaison, &format!("/api/v1/problems/{id}/attachments/{aid}")).await;
    assert_eq!(d.status(), StatusCode::OK);
    let h = d.headers().clone();
    assert_eq!(h["content-type"], "image/png");
    assert_eq!(h["content-disposition"], format!("attachment; filename=\"problem-{id}-{aid}.png\"").as_str());
    assert_eq!(h["x-content-type-options"], "nosniff");
    assert_eq!(d.bytes().await.unwrap().as_ref(), PNG);

    // Another problem's number, or none, is 404; without signing in, 401.
    let other = held_problem(&app).await;
    expect_error(app.get(Role::Liaison, &format!("/api/v1/problems/{other}/attachments/{aid}")).await, StatusCode::NOT_FOUND, "not_found")
        .await;
    let stranger = app.api.get(app.url(&format!("/api/v1/problems/{id}/attachments/{aid}"))).send().await.unwrap();
    assert_eq!(stranger.status(), StatusCode::UNAUTHORIZED);

    // Only the uploader or the center removes it.
    let path = format!("/api/v1/problems/{id}/attachments/{aid}");
    let by = |role: Role| app.api.delete(app.url(&path)).bearer_auth(app.token(role)).send();
    expect_error(by(Role::Volunteer).await.unwrap(), StatusCode::FORBIDDEN, "forbidden").await;
    assert_eq!(by(Role::TeamLeader).await.unwrap().status(), StatusCode::NO_CONTENT);
    assert!(app.audited(Role::TeamLeader, "detach", "skill_problem", id).await);
    expect_error(app.get(Role::Liaison, &path).await, StatusCode::NOT_FOUND, "not_found").await;
}

#[tokio::test]
async fn files_too_large_of_another_kind_or_too_many_are_refused_with_the_field() {
    let app = spawn_app().await;
    let id = held_problem(&app).await;
    let mut big = PNG.to_vec();
    big.resize(5 * 1024 * 1024 + 1, 0);
    refused(
        attach(&app, Role::TeamLeader, id, "solution", "大图.png", "image/png", big).await,
        StatusCode::PAYLOAD_TOO_LARGE,
        "attachment_too_large",
        "file",
    )
    .await;
    let mut whole = PNG.to_vec();
    whole.resize(5 * 1024 * 1024, 0);
    assert_eq!(
        attach(&app, Role::TeamLeader, id, "solution", "刚好.png", "image/png", whole).await.status(),
        StatusCode::CREATED,
        "5 MiB exactly is kept"
    );
    // Far over the limit: refused without reading it all, still with the field.
    let huge = vec![0u8; 12 * 1024 * 1024];
    let r = attach(&app, Role::TeamLeader, id, "solution", "巨大.png", "image/png", huge).await;
    assert_eq!(r.status(), StatusCode::PAYLOAD_TOO_LARGE);

    let page = b"<html><script>alert(1)</script></html>".to_vec();
    refused(
        attach(&app, Role::TeamLeader, id, "solution", "图.png", "image/png", page).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "unsupported_file_type",
        "file",
    )
    .await;
    let svg = b"<svg xmlns=\"http://www.w3.org/2000/svg\"></svg>".to_vec();
    refused(
        attach(&app, Role::TeamLeader, id, "solution", "图.svg", "image/svg+xml", svg).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "unsupported_file_type",
        "file",
    )
    .await;
    refused(
        attach(&app, Role::TeamLeader, id, "solution", "空.png", "image/png", Vec::new()).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "empty_file",
        "file",
    )
    .await;
    refused(
        attach(&app, Role::TeamLeader, id, "closed", "图.png", "image/png", PNG.to_vec()).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "unknown_choice",
        "step",
    )
    .await;
    let none = reqwest::multipart::Form::new().text("step", "solution");
    let r = app
        .api
        .post(app.url(&format!("/api/v1/problems/{id}/attachments")))
        .bearer_auth(app.token(Role::TeamLeader))
        .multipart(none)
        .send()
        .await
        .unwrap();
    refused(r, StatusCode::UNPROCESSABLE_ENTITY, "required", "file").await;

    // Twenty a problem, all steps together (one is kept already).
    for i in 1..20 {
        let r = attach(
            &app,
            Role::TeamLeader,
            id,
            ["problem", "solution", "field_test", "rolled_out"][i % 4],
            &format!("{i}.png"),
            "image/png",
            PNG.to_vec(),
        )
        .await;
        assert_eq!(r.status(), StatusCode::CREATED, "file {i}");
    }
    refused(
        attach(&app, Role::TeamLeader, id, "rolled_out", "21.png", "image/png", PNG.to_vec()).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "too_many_attachments",
        "file",
    )
    .await;
    let list = body(app.get(Role::Coordinator, &format!("/api/v1/problems/{id}/attachments")).await).await;
    assert_eq!(list["total"], 20);
}

#[tokio::test]
async fn only_the_holding_teams_leader_the_center_and_the_proposer_on_the_problem_itself_upload() {
    let app = spawn_app().await;
    // Unit 1's problem held by team 1: the leader of team 0, unit 0's liaison and its members may not.
    let p = json!({"title": "注水泵振动", "description": "振动超标", "unit_id": app.fx.units[1], "proposer_id": app.fx.volunteers[2]});
    let theirs = body(app.post(Role::Coordinator, "/api/v1/problems", &p).await).await["id"].as_i64().unwrap();
    let r = app.post(Role::Coordinator, &format!("/api/v1/problems/{theirs}/claim"), &json!({"team_id": app.fx.teams[1]})).await;
    assert_eq!(r.status(), StatusCode::OK);
    for role in [Role::TeamLeader, Role::Liaison, Role::Volunteer, Role::Viewer, Role::Observer] {
        for step in ["problem", "solution"] {
            let r = attach(&app, role, theirs, step, "图.png", "image/png", PNG.to_vec()).await;
            expect_error(r, StatusCode::FORBIDDEN, "forbidden").await;
        }
    }
    assert_eq!(attach(&app, Role::Admin, theirs, "solution", "图.png", "image/png", PNG.to_vec()).await.status(), StatusCode::CREATED);
    // The first proposer adds a photo to their own problem, not to a team's step.
    let mine = held_problem(&app).await;
    assert_eq!(attach(&app, Role::Volunteer, mine, "problem", "现场.png", "image/png", PNG.to_vec()).await.status(), StatusCode::CREATED);
    expect_error(
        attach(&app, Role::Volunteer, mine, "solution", "方案.png", "image/png", PNG.to_vec()).await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    expect_error(
        attach(&app, Role::TeamLeader, 999_999, "solution", "图.png", "image/png", PNG.to_vec()).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
}

#[tokio::test]
async fn the_problem_page_lists_files_with_a_form_per_step_for_the_holding_leader() {
    let app = spawn_app().await;
    let id = held_problem(&app).await;
    let (leader, csrf) = app.browser_as(Role::TeamLeader).await;
    let page = leader.get(app.url(&format!("/skills/problems/{id}"))).send().await.unwrap().text().await.unwrap();
    assert_eq!(page.matches("enctype=\"multipart/form-data\"").count(), 4, "a form per step");
    // The page's form: the token in its address, the step and the file.
    let part = reqwest::multipart::Part::bytes(PNG.to_vec()).file_name("流程图.png");
    let form = reqwest::multipart::Form::new().text("step", "solution").part("file", part);
    let url = app.url(&format!("/skills/problems/{id}/attachments?_csrf={csrf}"));
    assert_eq!(leader.post(url).multipart(form).send().await.unwrap().status(), StatusCode::SEE_OTHER);
    let forged = reqwest::multipart::Form::new().part("file", reqwest::multipart::Part::bytes(PNG.to_vec()));
    let r = leader.post(app.url(&format!("/skills/problems/{id}/attachments?_csrf=x"))).multipart(forged).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN, "no upload without the page's token");
    let page = leader.get(app.url(&format!("/skills/problems/{id}"))).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("流程图.png") && page.contains("class=\"thumb\""), "a thumbnail and the name");
    let aid = body(app.get(Role::Viewer, &format!("/api/v1/problems/{id}/attachments")).await).await["items"][0]["id"].as_i64().unwrap();
    // The thumbnail is fetched with the page's session.
    let img = leader.get(app.url(&format!("/api/v1/problems/{id}/attachments/{aid}"))).send().await.unwrap();
    assert_eq!(img.status(), StatusCode::OK);
    let (viewer, _) = app.browser_as(Role::Viewer).await;
    let seen = viewer.get(app.url(&format!("/skills/problems/{id}"))).send().await.unwrap().text().await.unwrap();
    assert!(seen.contains("流程图.png") && !seen.contains("multipart/form-data"), "seen, not added to");
    let r = leader
        .post(app.url(&format!("/skills/problems/{id}/attachments/{aid}/delete")))
        .form(&[("_csrf", csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(body(app.get(Role::Viewer, &format!("/api/v1/problems/{id}/attachments")).await).await["total"], 0);
}
