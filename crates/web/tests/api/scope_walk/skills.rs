//! Rows for 技能传承: trades are the center's; a person's certifications,
//! training, competition results and 师带徒 are their unit's (or the center's); a problem is
//! proposed as oneself (a liaison: for their unit), claimed for one's own
//! team, and worked only by the team holding it.

use reqwest::StatusCode;
use serde_json::json;
use tongxing_domain::role::Role;

use super::rows::{json_row, row, Body, Row, CENTER};
use super::world::World;
use crate::helpers::{body, TestApp};

/// Unit 1's class (with a lesson, volunteer 2 enrolled) and unit 1's
/// problems, one open and one held by team 1.
pub(super) async fn build(app: &TestApp, w: &mut World) {
    let fx = &w.fx;
    let c = Role::Coordinator;
    let post = |path: &'static str, b: serde_json::Value| async move {
        let r = app.post(c, path, &b).await;
        assert!(r.status().is_success(), "setting up {path}: {}", r.status());
        body(r).await
    };
    post("/api/v1/trades", json!({"code": "js", "name": "集输"})).await;
    let class = json!({"title": "集输工培训班", "trade": "js", "unit_id": fx.units[1], "starts_on": "2026-03-01",
        "ends_on": "2026-03-05", "capacity": 30, "lessons": [{"on": "2026-03-01", "topic": "集输流程"}]});
    w.skill_training = post("/api/v1/trainings", class).await["id"].as_i64().unwrap();
    let t = body(app.get(c, &format!("/api/v1/trainings/{}", w.skill_training)).await).await;
    w.skill_lesson = t["lessons"][0]["id"].as_i64().unwrap();
    let r = app.post(c, &format!("/api/v1/trainings/{}/enrolments", w.skill_training), &json!({"person_id": fx.volunteers[2]})).await;
    assert_eq!(r.status(), StatusCode::OK);
    let problem = json!({"title": "伴生气含硫", "description": "硫化氢超标", "unit_id": fx.units[1], "proposer_id": fx.volunteers[2]});
    w.skill_problem_open = post("/api/v1/problems", problem.clone()).await["id"].as_i64().unwrap();
    w.skill_problem_held = post("/api/v1/problems", problem).await["id"].as_i64().unwrap();
    let r = app.post(c, &format!("/api/v1/problems/{}/claim", w.skill_problem_held), &json!({"team_id": fx.teams[1]})).await;
    assert_eq!(r.status(), StatusCode::OK);
    let drawing = reqwest::multipart::Form::new()
        .text("step", "solution")
        .part("file", reqwest::multipart::Part::bytes(super::PNG.to_vec()).file_name("图纸.png"));
    let url = app.url(&format!("/api/v1/problems/{}/attachments", w.skill_problem_held));
    let r = app.api.post(url).bearer_auth(app.token(c)).multipart(drawing).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::CREATED);
    w.skill_attachment = body(r).await["id"].as_i64().unwrap();
    let contest = json!({"title": "集输工技能竞赛", "level": "oilfield", "trade": "js", "held_on": "2025-10-18"});
    w.skill_competition = post("/api/v1/competitions", contest).await["id"].as_i64().unwrap();
    let agreement = json!({"mentor_id": fx.volunteers[0], "apprentice_id": fx.volunteers[2], "trade": "js", "from_level": "junior",
        "target_level": "senior", "starts_on": "2025-01-01", "ends_on": "2027-01-01"});
    w.skill_mentorship = post("/api/v1/mentorships", agreement).await["id"].as_i64().unwrap();
}

pub(super) fn rows(w: &World) -> Vec<Row> {
    let fx = &w.fx;
    let v2 = fx.volunteers[2];
    let cert = json!({"trade": "js", "level": "junior", "certified_on": "2020-01-01", "certificate_no": "W-1", "issuer": "鉴定中心"});
    let class = json!({"title": "越权培训班", "trade": "js", "unit_id": fx.units[1], "starts_on": "2026-03-01", "ends_on": "2026-03-02",
        "capacity": 5});
    let mentorship = json!({"mentor_id": fx.volunteers[0], "apprentice_id": v2, "trade": "js", "from_level": "junior",
        "target_level": "senior", "starts_on": "2026-01-01", "ends_on": "2027-01-01"});
    let problem = json!({"title": "越权难题", "description": "替别人提出", "unit_id": fx.units[1], "proposer_id": v2});
    let training = |tail: &str| format!("/api/v1/trainings/{}/{tail}", w.skill_training);
    vec![
        json_row("POST /api/v1/trades", "the trades: the center's", "/api/v1/trades".into(), json!({"code": "cy", "name": "采油"}), CENTER),
        json_row(
            "POST /api/v1/people/{id}/certifications",
            "unit 1's person (volunteer 2)",
            format!("/api/v1/people/{v2}/certifications"),
            cert,
            CENTER,
        ),
        json_row("POST /api/v1/trainings", "a class run by unit 1", "/api/v1/trainings".into(), class, CENTER),
        json_row(
            "POST /api/v1/trainings/{id}/enrolments",
            "unit 1's person into unit 1's class",
            training("enrolments"),
            json!({"person_id": v2}),
            CENTER,
        ),
        json_row(
            "POST /api/v1/trainings/{id}/attendance",
            "unit 1's class",
            training("attendance"),
            json!({"lesson_id": w.skill_lesson, "person_ids": [v2]}),
            CENTER,
        ),
        json_row(
            "POST /api/v1/trainings/{id}/results",
            "unit 1's class",
            training("results"),
            json!({"person_id": v2, "score": 90}),
            CENTER,
        ),
        json_row("POST /api/v1/mentorships", "an apprentice of unit 1", "/api/v1/mentorships".into(), mentorship, CENTER),
        json_row(
            "POST /api/v1/competitions",
            "a contest held by unit 1",
            "/api/v1/competitions".into(),
            json!({"title": "越权比武", "level": "unit", "trade": "js", "held_on": "2025-11-08", "unit_id": fx.units[1]}),
            CENTER,
        ),
        json_row(
            "POST /api/v1/competitions/{id}/results",
            "unit 1's entrant (volunteer 2)",
            format!("/api/v1/competitions/{}/results", w.skill_competition),
            json!({"person_id": v2, "award": "gold"}),
            CENTER,
        ),
        json_row(
            "POST /api/v1/mentorships/{id}/assessments",
            "unit 1's apprentice, assessed by the workshop (the mentor assesses monthly only)",
            format!("/api/v1/mentorships/{}/assessments", w.skill_mentorship),
            json!({"scope": "quarterly", "period": "2025-Q1", "score": 80}),
            CENTER,
        ),
        json_row(
            "POST /api/v1/mentorships/{id}/complete",
            "unit 1's apprentice",
            format!("/api/v1/mentorships/{}/complete", w.skill_mentorship),
            json!({"completed_on": "2025-06-01", "final_score": 90}),
            CENTER,
        ),
        json_row("POST /api/v1/problems", "unit 1's problem, proposed in volunteer 2's name", "/api/v1/problems".into(), problem, CENTER),
        json_row(
            "POST /api/v1/problems/{id}/claim",
            "claimed for team 1",
            format!("/api/v1/problems/{}/claim", w.skill_problem_open),
            json!({"team_id": fx.teams[1]}),
            CENTER,
        ),
        json_row(
            "POST /api/v1/problems/{id}/steps",
            "a problem team 1 holds",
            format!("/api/v1/problems/{}/steps", w.skill_problem_held),
            json!({"step": "solution", "note": "撬装式净化装置"}),
            CENTER,
        ),
        row(
            "POST /api/v1/skills/certifications/import",
            "a sheet certifying unit 1's person (volunteer 2): the center, or unit 1's liaison",
            "/api/v1/skills/certifications/import".into(),
            Body::CertificationSheet("13800000003,js,初级工,2020-01-01,W-2,鉴定中心"),
            CENTER,
        ),
        row(
            "POST /api/v1/problems/{id}/attachments",
            "a drawing on the solution of a problem team 1 holds",
            format!("/api/v1/problems/{}/attachments", w.skill_problem_held),
            Body::Attachment("solution"),
            CENTER,
        ),
        row(
            "DELETE /api/v1/problems/{id}/attachments/{attachment_id}",
            "the coordinator's drawing: its uploader's or the center's",
            format!("/api/v1/problems/{}/attachments/{}", w.skill_problem_held, w.skill_attachment),
            Body::None,
            CENTER,
        ),
        json_row(
            "POST /api/v1/problems/{id}/merge",
            "merging problems: the center's",
            format!("/api/v1/problems/{}/merge", w.skill_problem_held),
            json!({"into": w.skill_problem_open}),
            CENTER,
        ),
        json_row(
            "POST /api/v1/problems/{id}/award",
            "naming an award: the center's",
            format!("/api/v1/problems/{}/award", w.skill_problem_held),
            json!({"award": "最佳创意方案"}),
            CENTER,
        ),
    ]
}
