//! The front-line problem board: proposing, the exclusive claim, the steps,
//! and the pages where a worker proposes and a leader claims.

use chrono::Months;
use reqwest::StatusCode;
use serde_json::json;
use tongxing_domain::registry::TeamInput;
use tongxing_domain::role::Role;

use super::{cert, certify, today, trade};
use crate::helpers::{body, expect_error, spawn_app};

#[tokio::test]
async fn one_team_of_thirty_claims_a_problem_and_works_it_step_by_step() {
    let app = spawn_app().await;
    trade(&app, "js", "集输", json!([])).await;
    let unit1 = app.fx.units[1];
    let problem = json!({"title": "伴生气含硫超标", "description": "井场伴生气硫化氢含量高，无法回收利用", "unit_id": unit1,
        "trade": "js", "site": "东胜公司某井场", "impact": "放空燃烧，浪费资源"});
    let r = app.post(Role::Volunteer, "/api/v1/problems", &problem).await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let p = body(r).await;
    assert_eq!(p["status"], "proposed");
    assert_eq!(p["proposer_name"], "张晓静");
    assert!(p["proposed_at"].as_str().is_some_and(|t| t.contains('T')));
    let id = p["id"].as_i64().unwrap();
    let mut other = problem.clone();
    other["proposer_id"] = json!(app.fx.volunteers[1]);
    expect_error(app.post(Role::Volunteer, "/api/v1/problems", &other).await, StatusCode::FORBIDDEN, "forbidden").await;
    expect_error(app.post(Role::Liaison, "/api/v1/problems", &problem).await, StatusCode::FORBIDDEN, "forbidden").await;
    let mut blank = problem.clone();
    blank["title"] = json!(" ");
    let e = expect_error(app.post(Role::Volunteer, "/api/v1/problems", &blank).await, StatusCode::UNPROCESSABLE_ENTITY, "required").await;
    assert_eq!(e["field"], "title");

    let mut teams = Vec::new();
    for i in 0..30 {
        let t = TeamInput {
            name: format!("技术攻关队{i}"),
            district_id: app.fx.districts[1],
            category: "elderly_care".into(),
            unit_id: Some(unit1),
            leader_volunteer_id: None,
        };
        teams.push(tongxing_store::registry::teams::create(&app.svc.db, &t).await.unwrap());
    }
    let (path, bodies) = (format!("/api/v1/problems/{id}/claim"), teams.iter().map(|t| json!({"team_id": t})).collect::<Vec<_>>());
    let claims = bodies.iter().map(|b| app.post(Role::Coordinator, &path, b));
    let answers = futures_util::future::join_all(claims).await;
    let won: Vec<_> = answers.iter().filter(|r| r.status() == StatusCode::OK).collect();
    assert_eq!(won.len(), 1, "exactly one of thirty claims wins");
    assert_eq!(answers.iter().filter(|r| r.status() == StatusCode::CONFLICT).count(), 29);
    expect_error(
        app.post(Role::TeamLeader, &format!("/api/v1/problems/{id}/claim"), &json!({"team_id": app.fx.teams[0]})).await,
        StatusCode::CONFLICT,
        "already_claimed",
    )
    .await;

    // A team leader claims for their own team only, then records each step in order.
    let second = body(app.post(Role::Volunteer, "/api/v1/problems", &problem).await).await["id"].as_i64().unwrap();
    expect_error(
        app.post(Role::TeamLeader, &format!("/api/v1/problems/{second}/claim"), &json!({"team_id": app.fx.teams[1]})).await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    let claimed =
        body(app.post(Role::TeamLeader, &format!("/api/v1/problems/{second}/claim"), &json!({"team_id": app.fx.teams[0]})).await).await;
    assert_eq!(claimed["status"], "claimed");
    assert_eq!(claimed["team_name"], "现河片区助老服务队");
    let step = |s: &str| json!({"step": s, "note": format!("{s}：撬装式伴生气净化装置")});
    let e = expect_error(
        app.post(Role::TeamLeader, &format!("/api/v1/problems/{second}/steps"), &step("field_test")).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "step_out_of_order",
    )
    .await;
    assert_eq!(e["field"], "step");
    let other_leader = app.leader_of(app.fx.teams[1], "leader-b").await;
    let r = app
        .api
        .post(app.url(&format!("/api/v1/problems/{second}/steps")))
        .bearer_auth(other_leader)
        .json(&step("solution"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    for s in ["solution", "field_test", "rolled_out"] {
        let r = app.post(Role::TeamLeader, &format!("/api/v1/problems/{second}/steps"), &step(s)).await;
        assert_eq!(r.status(), StatusCode::OK);
    }
    let detail = body(app.get(Role::Viewer, &format!("/api/v1/problems/{second}")).await).await;
    let steps: Vec<&str> = detail["steps"].as_array().unwrap().iter().map(|s| s["step"].as_str().unwrap()).collect();
    assert_eq!(steps, ["claimed", "solution", "field_test", "rolled_out"]);
    assert_eq!(detail["status"], "rolled_out");
    let solved = body(app.get(Role::Viewer, "/api/v1/problems/solved").await).await;
    assert_eq!(solved, json!([{"team_id": app.fx.teams[0], "team_name": "现河片区助老服务队", "solved": 1}]));
    let by_proposer = body(app.get(Role::Viewer, "/api/v1/problems/solved/proposers").await).await;
    assert_eq!(by_proposer, json!([{"person_id": app.fx.volunteers[0], "name": "张晓静", "proposed": 2, "solved": 1}]));
    let board = body(app.get(Role::Viewer, &format!("/api/v1/problems?unit_id={unit1}&trade=js&status=proposed")).await).await;
    assert_eq!(board["total"], 0);
    let board = body(app.get(Role::Viewer, &format!("/api/v1/problems?unit_id={unit1}&trade=js")).await).await;
    assert_eq!(board["total"], 2);
    expect_error(app.get(Role::Viewer, "/api/v1/problems?status=nonsense").await, StatusCode::UNPROCESSABLE_ENTITY, "unknown_choice").await;
    let x = app.get(Role::Viewer, "/api/v1/problems?format=xlsx").await;
    assert!(x.headers()["content-type"].to_str().unwrap().contains("spreadsheetml"));
}

#[tokio::test]
async fn a_worker_proposes_on_the_page_a_leader_claims_it_and_first_screens_say_what_is_asked() {
    let app = spawn_app().await;
    trade(&app, "cy", "采油", json!([])).await;
    let long_ago = (today() - Months::new(40)).to_string();
    assert_eq!(
        certify(&app, Role::Liaison, app.fx.volunteers[0], cert("cy", "junior", &long_ago, "CY-1")).await.status(),
        StatusCode::CREATED
    );

    let (worker, csrf) = app.browser_as(Role::Volunteer).await;
    let home = worker.get(app.url("/")).send().await.unwrap().text().await.unwrap();
    assert!(home.contains("id=\"home-skills\""), "the worker's first screen has the skills card");
    let form =
        [("title", "抽油机皮带频繁打滑"), ("description", "冬季皮带打滑，影响产量"), ("site", "3号计量站"), ("_csrf", csrf.as_str())];
    let r = worker.post(app.url("/skills/problems")).form(&form).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let page = worker.get(app.url("/skills")).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("抽油机皮带频繁打滑") && page.contains("张晓静"), "the board names the first proposer");
    assert!(page.contains("id=\"skills-certs\""));

    let (leader, csrf) = app.browser_as(Role::TeamLeader).await;
    let home = leader.get(app.url("/")).send().await.unwrap().text().await.unwrap();
    assert!(home.contains("id=\"home-skills\""), "a leader sees the open problems");
    let id = body(app.get(Role::Viewer, "/api/v1/problems").await).await["items"][0]["id"].as_i64().unwrap();
    let r = leader.post(app.url(&format!("/skills/problems/{id}/claim"))).form(&[("_csrf", csrf.as_str())]).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let p = body(app.get(Role::Viewer, &format!("/api/v1/problems/{id}")).await).await;
    assert_eq!(p["status"], "claimed");
    assert_eq!(p["team_id"], app.fx.teams[0]);

    let (liaison, _) = app.browser_as(Role::Liaison).await;
    let home = liaison.get(app.url("/")).send().await.unwrap().text().await.unwrap();
    assert!(home.contains("id=\"home-skills\""), "a liaison sees who may apply");
    let page = liaison.get(app.url("/skills")).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("id=\"skills-eligible\""));
}
