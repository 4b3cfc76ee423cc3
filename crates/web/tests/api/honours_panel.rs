//! A round's review panel (评审组): the center names members, each votes on
//! every nominee under review, a member of the nominee's unit or team is
//! kept out (found, or declared), and the majority of the rest decides.

use reqwest::StatusCode;
use serde_json::{json, Value};
use tongxing_domain::role::Role;

use tongxing_service::auth::NewAccount;
use tongxing_store::users;

use crate::helpers::{body, expect_error, password, spawn_app, TestApp};
use crate::honours::{credit, nominate, open, post, real_name, round};
use crate::pages::{page, submit};

async fn name(app: &TestApp, round: i64, role: Role) -> reqwest::Response {
    let user = app.user(role).await.id;
    app.post(Role::Coordinator, &format!("/api/v1/honours/rounds/{round}/panel"), &json!({"user_id": user})).await
}

async fn vote(app: &TestApp, role: Role, round: i64, nomination: i64, decision: &str) -> reqwest::Response {
    let b = json!({"decision": decision, "note": format!("{} 的意见", role.as_str())});
    app.post(role, &format!("/api/v1/honours/rounds/{round}/nominations/{nomination}/votes"), &b).await
}

async fn status_after(r: reqwest::Response) -> Value {
    assert_eq!(r.status(), StatusCode::OK);
    body(r).await["status"].clone()
}

#[tokio::test]
async fn a_panel_votes_with_conflicts_kept_out_and_its_majority_decides() {
    let app = spawn_app().await;
    // 陈: unit 0 and team 0 (the liaison's unit, the leader's team); 林: unit 1, team 1.
    let chen = real_name(&app, 0, "13800000031", "11010519800101031", "陈志强").await;
    let lin = real_name(&app, 1, "13800000032", "11010519800101032", "林小红").await;
    for v in [chen, lin] {
        credit(&app, v, 30.0).await;
    }
    let id = open(&app, &round(None)).await;
    let n_chen = body(nominate(&app, Role::Coordinator, id, chen).await).await["id"].as_i64().unwrap();
    let n_lin = body(nominate(&app, Role::Coordinator, id, lin).await).await["id"].as_i64().unwrap();

    // Naming the panel: the center only, reviewers' accounts only, once each.
    for role in [Role::Liaison, Role::TeamLeader, Role::Viewer] {
        assert_eq!(name(&app, id, role).await.status(), StatusCode::CREATED);
    }
    expect_error(name(&app, id, Role::Viewer).await, StatusCode::CONFLICT, "already_on_panel").await;
    let e = expect_error(name(&app, id, Role::Volunteer).await, StatusCode::UNPROCESSABLE_ENTITY, "not_a_reviewer").await;
    assert_eq!(e["field"], "user_id");
    let viewer = app.user(Role::Viewer).await.id;
    let by_liaison = app.post(Role::Liaison, &format!("/api/v1/honours/rounds/{id}/panel"), &json!({"user_id": viewer})).await;
    expect_error(by_liaison, StatusCode::FORBIDDEN, "forbidden").await;
    let panel = body(app.get(Role::Viewer, &format!("/api/v1/honours/rounds/{id}/panel")).await).await;
    assert_eq!(panel["total"], 3);

    // No votes before review; not a member: 403.
    expect_error(vote(&app, Role::Viewer, id, n_chen, "approve").await, StatusCode::CONFLICT, "wrong_stage").await;
    assert_eq!(post(&app, &format!("/api/v1/honours/rounds/{id}/review")).await.status(), StatusCode::OK);
    expect_error(vote(&app, Role::Coordinator, id, n_chen, "approve").await, StatusCode::FORBIDDEN, "forbidden").await;
    expect_error(vote(&app, Role::Viewer, id, n_chen, "maybe").await, StatusCode::UNPROCESSABLE_ENTITY, "unknown_decision").await;

    // 陈 shares the liaison's unit and the leader's team: both are out of him,
    // so the viewer's vote alone decides.
    for role in [Role::Liaison, Role::TeamLeader] {
        expect_error(vote(&app, role, id, n_chen, "approve").await, StatusCode::CONFLICT, "conflict_of_interest").await;
    }
    assert_eq!(status_after(vote(&app, Role::Viewer, id, n_chen, "approve").await).await, "approved");

    // 林: one for, one against, and the viewer declares a conflict: a tie does not honour.
    assert_eq!(status_after(vote(&app, Role::Liaison, id, n_lin, "approve").await).await, "nominated");
    assert_eq!(status_after(vote(&app, Role::TeamLeader, id, n_lin, "reject").await).await, "nominated");
    assert_eq!(status_after(vote(&app, Role::Viewer, id, n_lin, "conflict").await).await, "rejected");

    let list = body(app.get(Role::Coordinator, &format!("/api/v1/honours/rounds/{id}/nominations")).await).await;
    let line = |n: i64| list["items"].as_array().unwrap().iter().find(|x| x["id"] == n).unwrap().clone();
    let counts = |x: &Value| (x["votes_for"].as_i64(), x["votes_against"].as_i64(), x["conflicts"].as_i64(), x["within_quota"].clone());
    assert_eq!(counts(&line(n_chen)), (Some(1), Some(0), Some(2), json!(true)));
    assert_eq!(counts(&line(n_lin)), (Some(1), Some(1), Some(1), json!(false)));

    let votes = body(app.get(Role::Coordinator, &format!("/api/v1/honours/rounds/{id}/votes")).await).await;
    assert_eq!(votes["total"], 4, "{votes}");
    assert!(votes["items"].as_array().unwrap().iter().all(|v| v["nominee"] == "陈志强" || v["nominee"] == "林小红"));
    let xlsx = app.get(Role::Coordinator, &format!("/api/v1/honours/rounds/{id}/votes?format=xlsx")).await;
    assert_eq!(xlsx.status(), StatusCode::OK);

    // Audited, and in the round's trail.
    assert!(app.audited(Role::Viewer, "honour.vote", "honour_nomination", n_chen).await);
    assert!(app.audited(Role::Coordinator, "honour_panel.add", "honour_round", id).await);
    let trail = body(app.get(Role::Coordinator, &format!("/api/v1/honours/rounds/{id}/audit")).await).await;
    let actions: Vec<&str> = trail["items"].as_array().unwrap().iter().map(|t| t["action"].as_str().unwrap()).collect();
    assert!(actions.contains(&"honour_panel.add") && actions.contains(&"honour.vote"), "{actions:?}");
}

#[tokio::test]
async fn the_panel_is_named_and_votes_from_the_round_page() {
    let app = spawn_app().await;
    let lin = real_name(&app, 1, "13800000042", "11010519800101042", "林小红").await;
    credit(&app, lin, 30.0).await;
    let id = open(&app, &round(None)).await;
    let n_lin = body(nominate(&app, Role::Coordinator, id, lin).await).await["id"].as_i64().unwrap();

    let a = NewAccount {
        login: "panel-wang".into(),
        password: password(Role::Viewer),
        role: Role::Viewer,
        unit_id: None,
        team_id: None,
        volunteer_id: None,
        name: Some("王评审".into()),
    };
    let token = app.account(&a).await;
    let wang = users::by_login(&app.svc.db, "panel-wang").await.unwrap().unwrap().0.id.to_string();

    let (center, csrf) = app.browser_as(Role::Coordinator).await;
    let html = page(&app, &center, &format!("/honours/rounds/{id}")).await.1;
    assert!(html.contains("id=\"panel\"") && html.contains("f-panel-user") && html.contains("王评审"), "the center names members here");
    let r = submit(&app, &center, &format!("/honours/rounds/{id}/panel"), &[("_csrf", csrf.as_str()), ("user_id", wang.as_str())]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(post(&app, &format!("/api/v1/honours/rounds/{id}/review")).await.status(), StatusCode::OK);
    let html = page(&app, &center, &format!("/honours/rounds/{id}")).await.1;
    assert!(html.contains("panel-member\"><span class=\"item\">王评审<"), "members shown by name");

    let (member, csrf) = app.browser_with(&token).await;
    let html = page(&app, &member, &format!("/honours/rounds/{id}")).await.1;
    assert!(html.contains(&format!("/honours/rounds/{id}/nominations/{n_lin}/vote")), "the member's vote form");
    let form = [("_csrf", csrf.as_str()), ("decision", "approve"), ("note", "事迹属实")];
    let r = submit(&app, &member, &format!("/honours/rounds/{id}/nominations/{n_lin}/vote"), &form).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let html = page(&app, &member, &format!("/honours/rounds/{id}")).await.1;
    assert!(html.contains("my-vote"), "the member sees their vote");
    let list = body(app.get(Role::Coordinator, &format!("/api/v1/honours/rounds/{id}/nominations")).await).await;
    assert_eq!(list["items"][0]["status"], "approved", "a one-member panel's vote decides: {list}");
}
