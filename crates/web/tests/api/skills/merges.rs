//! The problem board's merges and awards: a duplicate joins the problem
//! proposed first with its history kept, its proposer a supporter and its
//! claim carried over, audited; a solved problem is named its award.

use reqwest::StatusCode;
use serde_json::{json, Value};
use tongxing_domain::role::Role;

use crate::helpers::{body, expect_error, TestApp};

/// A problem of unit 0 proposed by the center for `proposer`; its id.
async fn propose(app: &TestApp, title: &str, proposer: i64) -> i64 {
    let b = json!({"title": title, "description": "伴生气含硫超标，放空燃烧", "unit_id": app.fx.units[0], "proposer_id": proposer});
    let r = app.post(Role::Coordinator, "/api/v1/problems", &b).await;
    assert_eq!(r.status(), StatusCode::CREATED);
    body(r).await["id"].as_i64().unwrap()
}

async fn merge(app: &TestApp, role: Role, id: i64, into: i64) -> reqwest::Response {
    app.post(role, &format!("/api/v1/problems/{id}/merge"), &json!({"into": into})).await
}

fn supporters(p: &Value) -> Vec<&str> {
    p["supporters"].as_array().unwrap().iter().map(|s| s["name"].as_str().unwrap()).collect()
}

#[tokio::test]
async fn a_duplicate_joins_the_first_problem_with_its_proposer_and_claim() {
    let app = crate::helpers::spawn_app().await;
    let [zhang, li, wang] = app.fx.volunteers;
    let first = propose(&app, "伴生气净化", zhang).await;
    let dup = propose(&app, "伴生气硫化氢处理", li).await;
    let dup2 = propose(&app, "井场伴生气回收", wang).await;
    let own = propose(&app, "伴生气净化（重复）", zhang).await;
    let claim = json!({"team_id": app.fx.teams[0]});
    assert_eq!(app.post(Role::TeamLeader, &format!("/api/v1/problems/{dup}/claim"), &claim).await.status(), StatusCode::OK);

    expect_error(merge(&app, Role::Liaison, dup, first).await, StatusCode::FORBIDDEN, "forbidden").await;
    expect_error(merge(&app, Role::TeamLeader, dup, first).await, StatusCode::FORBIDDEN, "forbidden").await;
    for (id, into, code) in [(first, dup, "not_proposed_first"), (dup, dup, "same_problem"), (dup, 999_999, "unknown_reference")] {
        let e = expect_error(merge(&app, Role::Coordinator, id, into).await, StatusCode::UNPROCESSABLE_ENTITY, code).await;
        assert_eq!(e["field"], "into");
    }
    let joined = merge(&app, Role::Coordinator, dup, first).await;
    assert_eq!(joined.status(), StatusCode::OK);
    let joined = body(joined).await;
    assert_eq!((joined["id"].as_i64(), joined["status"].as_str()), (Some(first), Some("claimed")), "the claim came along: {joined}");
    assert_eq!(joined["team_name"], "现河片区助老服务队");
    assert_eq!(joined["proposer_name"], "张晓静", "the first proposer stays");
    assert_eq!(supporters(&joined), ["李国强"]);
    assert!(app.audited(Role::Coordinator, "merge", "skill_problem", dup).await);

    expect_error(merge(&app, Role::Coordinator, dup2, dup).await, StatusCode::CONFLICT, "problem_merged").await;
    assert_eq!(merge(&app, Role::Coordinator, dup2, first).await.status(), StatusCode::OK);
    let done = body(merge(&app, Role::Coordinator, own, first).await).await;
    assert_eq!(supporters(&done), ["李国强", "王秀英"], "the first proposer does not support their own problem");

    let gone = body(app.get(Role::Volunteer, &format!("/api/v1/problems/{dup}")).await).await;
    assert_eq!(gone["merged_into"], first, "the duplicate keeps its history: {gone}");
    let steps: Vec<&str> = gone["steps"].as_array().unwrap().iter().map(|s| s["step"].as_str().unwrap()).collect();
    assert_eq!(steps, ["claimed", "merged"]);
    let board = body(app.get(Role::Volunteer, "/api/v1/problems").await).await;
    assert_eq!(board["total"], 1, "only the first is on the board: {board}");
    expect_error(
        app.post(Role::TeamLeader, &format!("/api/v1/problems/{dup}/claim"), &claim).await,
        StatusCode::CONFLICT,
        "problem_merged",
    )
    .await;
    let proposers = body(app.get(Role::Volunteer, "/api/v1/problems/solved/proposers").await).await;
    assert_eq!(proposers.as_array().unwrap().len(), 1, "a supporter is no first proposer: {proposers}");
}

#[tokio::test]
async fn two_teams_claims_or_work_done_keep_a_duplicate_apart_and_awards_follow_a_solution() {
    let app = crate::helpers::spawn_app().await;
    let [zhang, li, _] = app.fx.volunteers;
    let first = propose(&app, "注水泵密封渗漏", zhang).await;
    let dup = propose(&app, "注水泵漏水", li).await;
    let own_team = json!({"team_id": app.fx.teams[0]});
    assert_eq!(app.post(Role::TeamLeader, &format!("/api/v1/problems/{dup}/claim"), &own_team).await.status(), StatusCode::OK);
    let other_team = json!({"team_id": app.fx.teams[1]});
    assert_eq!(app.post(Role::Coordinator, &format!("/api/v1/problems/{first}/claim"), &other_team).await.status(), StatusCode::OK);
    expect_error(merge(&app, Role::Coordinator, dup, first).await, StatusCode::CONFLICT, "both_claimed").await;
    let step = |s: &str| json!({"step": s, "note": "更换机械密封，试运行一周无渗漏"});
    assert_eq!(app.post(Role::TeamLeader, &format!("/api/v1/problems/{dup}/steps"), &step("solution")).await.status(), StatusCode::OK);
    expect_error(merge(&app, Role::Coordinator, dup, first).await, StatusCode::CONFLICT, "problem_in_progress").await;

    let award = |a: &str| json!({"award": a});
    let path = format!("/api/v1/problems/{first}/award");
    let e = expect_error(app.post(Role::Coordinator, &path, &award("最佳创意方案")).await, StatusCode::UNPROCESSABLE_ENTITY, "not_solved")
        .await;
    assert_eq!(e["field"], "award");
    assert_eq!(app.post(Role::Coordinator, &format!("/api/v1/problems/{first}/steps"), &step("solution")).await.status(), StatusCode::OK);
    expect_error(app.post(Role::TeamLeader, &path, &award("最佳创意方案")).await, StatusCode::FORBIDDEN, "forbidden").await;
    let e = expect_error(app.post(Role::Coordinator, &path, &award(" ")).await, StatusCode::UNPROCESSABLE_ENTITY, "required").await;
    assert_eq!(e["field"], "award");
    let won = body(app.post(Role::Coordinator, &path, &award("最佳创意方案")).await).await;
    assert_eq!(won["award"], "最佳创意方案");
    assert!(app.audited(Role::Coordinator, "award", "skill_problem", first).await);
    let board = body(app.get(Role::Volunteer, "/api/v1/problems").await).await;
    assert!(board["items"].as_array().unwrap().iter().any(|p| p["award"] == "最佳创意方案"), "{board}");
}

#[tokio::test]
async fn the_center_merges_and_awards_from_the_board_page() {
    let app = crate::helpers::spawn_app().await;
    let [zhang, li, _] = app.fx.volunteers;
    let first = propose(&app, "撬装式伴生气净化", zhang).await;
    let dup = propose(&app, "伴生气净化装置", li).await;
    let (center, csrf) = app.browser_as(Role::Coordinator).await;
    let page = center.get(app.url("/skills")).send().await.unwrap().text().await.unwrap();
    assert!(page.contains(&format!("action=\"/skills/problems/{dup}/merge\"")), "the center may merge from the board");
    let (leader, _) = app.browser_as(Role::TeamLeader).await;
    let theirs = leader.get(app.url("/skills")).send().await.unwrap().text().await.unwrap();
    assert!(!theirs.contains("/merge\""), "a team leader may not");
    let into = format!("#{first}");
    let r = center
        .post(app.url(&format!("/skills/problems/{dup}/merge")))
        .form(&[("into", into.as_str()), ("_csrf", csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let p = body(app.get(Role::Viewer, &format!("/api/v1/problems/{first}")).await).await;
    assert_eq!(supporters(&p), ["李国强"]);
    let claim = json!({"team_id": app.fx.teams[0]});
    assert_eq!(app.post(Role::TeamLeader, &format!("/api/v1/problems/{first}/claim"), &claim).await.status(), StatusCode::OK);
    let step = json!({"step": "solution", "note": "撬装式净化装置，脱硫后回收"});
    assert_eq!(app.post(Role::TeamLeader, &format!("/api/v1/problems/{first}/steps"), &step).await.status(), StatusCode::OK);
    let page = center.get(app.url("/skills")).send().await.unwrap().text().await.unwrap();
    assert!(page.contains(&format!("action=\"/skills/problems/{first}/award\"")), "a solved problem may be awarded");
    let r = center
        .post(app.url(&format!("/skills/problems/{first}/award")))
        .form(&[("award", "最佳创意方案"), ("_csrf", csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(body(app.get(Role::Viewer, &format!("/api/v1/problems/{first}")).await).await["award"], "最佳创意方案");
}
