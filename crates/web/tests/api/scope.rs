//! Writes reach only what the writer's scope holds — the record written and
//! every record it points to: a leader's team, a liaison's unit.

use reqwest::StatusCode;
use serde_json::json;
use tongxing_domain::role::Role;
use tongxing_store::ledger::{self, NewEntry};

use crate::helpers::{body, expect_error, spawn_app, TestApp};

/// A need-service entry of `volunteer`, as closing a need with hours leaves it.
async fn need_entry(app: &TestApp, volunteer: i64) -> i64 {
    let entry =
        NewEntry { volunteer_id: volunteer, kind: "need_service", hours: 2.0, served_on: "2026-11-20".into(), ..Default::default() };
    ledger::append(&app.svc.db, &[entry]).await.unwrap();
    let mine = ledger::entries(&app.svc.db, volunteer, Default::default()).await.unwrap();
    mine.items.iter().find(|e| e.kind == "need_service").unwrap().id
}

#[tokio::test]
async fn a_team_leader_corrects_need_hours_only_of_their_own_members() {
    let app = spawn_app().await;
    let fix = json!({"hours": 1.0, "reason": "核对后调整"});
    let outsider = need_entry(&app, app.fx.volunteers[2]).await;
    let r = app.post(Role::TeamLeader, &format!("/api/v1/hours/{outsider}/corrections"), &fix).await;
    expect_error(r, StatusCode::FORBIDDEN, "forbidden").await;
    let total = body(app.get(Role::Admin, &format!("/api/v1/volunteers/{}/hours", app.fx.volunteers[2])).await).await;
    assert_eq!(total["total_hours"], 2.0, "nothing was appended");

    let member = need_entry(&app, app.fx.volunteers[0]).await;
    let r = app.post(Role::TeamLeader, &format!("/api/v1/hours/{member}/corrections"), &fix).await;
    assert!(r.status().is_success(), "their own member: {}", r.status());
    let r = app.post(Role::Coordinator, &format!("/api/v1/hours/{outsider}/corrections"), &fix).await;
    assert!(r.status().is_success(), "the center corrects anyone: {}", r.status());
}

#[tokio::test]
async fn a_team_leader_cannot_move_a_member_to_another_unit_or_into_other_teams() {
    let app = spawn_app().await;
    let [t0, t1] = app.fx.teams;
    let path = format!("/api/v1/volunteers/{}", app.fx.volunteers[0]);
    let mut moved = app.new_volunteer("13800000001");
    moved["unit_id"] = json!(app.fx.units[1]);
    expect_error(app.put(Role::TeamLeader, &path, &moved).await, StatusCode::FORBIDDEN, "forbidden").await;
    let mut joined = app.new_volunteer("13800000001");
    joined["team_ids"] = json!([t0, t1]);
    expect_error(app.put(Role::TeamLeader, &path, &joined).await, StatusCode::FORBIDDEN, "forbidden").await;
    let v = body(app.get(Role::Admin, &path).await).await;
    assert_eq!((v["unit_id"].as_i64(), v["teams"].as_array().map(Vec::len)), (Some(app.fx.units[0]), Some(1)), "unchanged: {v}");

    // Within the team the leader edits freely; another team's membership stays.
    let both = json!({"team_ids": [t0, t1]});
    let mut admin_put = app.new_volunteer("13800000001");
    admin_put["team_ids"] = both["team_ids"].clone();
    assert!(app.put(Role::Admin, &path, &admin_put).await.status().is_success());
    let mut left_other = app.new_volunteer("13800000001");
    left_other["team_ids"] = json!([t0]);
    expect_error(app.put(Role::TeamLeader, &path, &left_other).await, StatusCode::FORBIDDEN, "forbidden").await;
    let mut renamed = admin_put.clone();
    renamed["name"] = json!("张晓晶");
    assert!(app.put(Role::TeamLeader, &path, &renamed).await.status().is_success(), "the leader edits their member");
}

#[tokio::test]
async fn a_liaison_cannot_put_their_people_into_another_units_team() {
    let app = spawn_app().await;
    let path = format!("/api/v1/volunteers/{}", app.fx.volunteers[1]);
    let mut joined = app.new_volunteer("13800000002");
    joined["team_ids"] = json!([app.fx.teams[1]]);
    expect_error(app.put(Role::Liaison, &path, &joined).await, StatusCode::FORBIDDEN, "forbidden").await;
    let mut own_team = app.new_volunteer("13800000002");
    own_team["team_ids"] = json!([app.fx.teams[0]]);
    assert!(app.put(Role::Liaison, &path, &own_team).await.status().is_success(), "a team of their own unit");
}

#[tokio::test]
async fn a_team_leader_neither_opens_nor_takes_a_need_offered_to_other_teams() {
    let app = spawn_app().await;
    // Team 0 serves district 0: a need in district 1 is offered to team 1's kind of team only.
    let b = json!({"title": "陪同就医", "description": "独居老人需陪同", "category": "elderly_care",
                   "community_id": app.fx.communities[1], "requester_name": "李奶奶", "requester_phone": "13977778888"});
    let id = body(app.api.post(app.url("/api/v1/needs")).json(&b).send().await.unwrap()).await["id"].as_i64().unwrap();
    let r = app.post(Role::Coordinator, &format!("/api/v1/needs/{id}/review"), &json!({"decision": "publish"})).await;
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    expect_error(app.get(Role::TeamLeader, &format!("/api/v1/needs/{id}")).await, StatusCode::FORBIDDEN, "forbidden").await;
    let claim = app.post(Role::TeamLeader, &format!("/api/v1/needs/{id}/claim"), &json!({"team_id": app.fx.teams[0]})).await;
    expect_error(claim, StatusCode::FORBIDDEN, "forbidden").await;
    let need = body(app.get(Role::Coordinator, &format!("/api/v1/needs/{id}")).await).await;
    assert_eq!(need["need"]["status"], "published", "still in the pool: {need}");
    // The center may still assign it to any team (派单).
    let assign = app.post(Role::Coordinator, &format!("/api/v1/needs/{id}/claim"), &json!({"team_id": app.fx.teams[0]})).await;
    assert_eq!(assign.status(), StatusCode::NO_CONTENT);
    assert_eq!(app.get(Role::TeamLeader, &format!("/api/v1/needs/{id}")).await.status(), StatusCode::OK, "the holder opens it");
}
