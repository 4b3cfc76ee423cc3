//! The permission table of `tongxing_domain::permission`, seen through HTTP:
//! every role × registry resource × list / create / update / deactivate, and
//! the scoped reach of liaisons, team leaders and volunteers.

use reqwest::StatusCode;
use serde_json::{json, Value};
use tongxing_domain::permission::{scope, Action, Resource};
use tongxing_domain::role::Role;

use crate::helpers::{body, expect_error, spawn_app, TestApp};

/// What a role may do with a resource: `L`ist, `C`reate, `U`pdate, `D`eactivate; `-` is a 403.
type Expected = [(Role, &'static str); 7];

const STRUCTURE: Expected = [
    (Role::Admin, "LCUD"),
    (Role::Coordinator, "LCUD"),
    (Role::Liaison, "L---"),
    (Role::TeamLeader, "L---"),
    (Role::Volunteer, "L---"),
    (Role::Observer, "L---"),
    (Role::Viewer, "L---"),
];

const VOLUNTEERS: Expected = [
    (Role::Admin, "LCUD"),
    (Role::Coordinator, "LCUD"),
    (Role::Liaison, "LCUD"),
    (Role::TeamLeader, "LCUD"),
    (Role::Volunteer, "L---"),
    (Role::Observer, "----"),
    (Role::Viewer, "L---"),
];

const BENEFICIARIES: Expected = [
    (Role::Admin, "LCUD"),
    (Role::Coordinator, "LCUD"),
    (Role::Liaison, "----"),
    (Role::TeamLeader, "L---"),
    (Role::Volunteer, "----"),
    (Role::Observer, "L---"),
    (Role::Viewer, "L---"),
];

/// Accounts have a list and a create endpoint only.
const USERS: Expected = [
    (Role::Admin, "LC"),
    (Role::Coordinator, "--"),
    (Role::Liaison, "--"),
    (Role::TeamLeader, "--"),
    (Role::Volunteer, "--"),
    (Role::Observer, "--"),
    (Role::Viewer, "--"),
];

/// A body for `path` that passes every rule, unique by `tag`. Volunteers are
/// made in unit 0 and team 0, within the liaison's and the team leader's reach.
fn valid_body(app: &TestApp, path: &str, tag: usize) -> Value {
    let fx = &app.fx;
    match path {
        "/api/v1/districts" => json!({"name": format!("测试片区{tag}")}),
        "/api/v1/communities" => json!({"name": format!("测试小区{tag}"), "district_id": fx.districts[0], "lat": 37.4, "lng": 118.5}),
        "/api/v1/units" => json!({"name": format!("测试单位{tag}"), "kind": "street_office"}),
        "/api/v1/teams" => json!({"name": format!("测试服务队{tag}"), "district_id": fx.districts[0], "category": "health"}),
        "/api/v1/beneficiaries" => json!({"name": format!("受助人{tag}"), "kind": "elderly_alone", "community_id": fx.communities[0]}),
        "/api/v1/volunteers" => app.new_volunteer(&format!("139{tag:08}")),
        "/api/v1/users" => json!({"login": format!("user{tag}"), "password": "long-enough-pw", "role": "viewer"}),
        other => panic!("no body for {other}"),
    }
}

/// A new row made by the admin, for another role to update or deactivate.
async fn admin_creates(app: &TestApp, path: &str, tag: usize) -> i64 {
    let resp = app.post(Role::Admin, path, &valid_body(app, path, tag)).await;
    assert_eq!(resp.status(), StatusCode::CREATED, "admin creates in {path}");
    body(resp).await["id"].as_i64().unwrap()
}

async fn expect_allowed_or_denied(resp: reqwest::Response, allowed: bool, what: &str) {
    let status = resp.status();
    if allowed {
        assert!(status.is_success(), "{what}: expected 2xx, got {status}: {}", resp.text().await.unwrap_or_default());
    } else {
        let err = expect_error(resp, StatusCode::FORBIDDEN, "forbidden").await;
        assert!(err.get("field").is_none(), "{what}: a 403 names no field");
    }
}

/// Runs every action of `expected` for every role on `path`.
async fn check_matrix(path: &str, resource: Resource, expected: &Expected) {
    let app = spawn_app().await;
    for (i, (role, ops)) in expected.iter().enumerate() {
        let may = |op: char| ops.contains(op);
        // The table above and the domain's table must say the same thing.
        assert_eq!(may('L'), scope(*role, Action::Read, resource).allowed(), "{role:?} read {path}: table vs scope()");
        assert_eq!(may('C'), scope(*role, Action::Write, resource).allowed(), "{role:?} write {path}: table vs scope()");

        let list = app.get(*role, path).await;
        expect_allowed_or_denied(list, may('L'), &format!("{role:?} GET {path}")).await;

        let before = app.get(Role::Admin, &format!("{path}?include_inactive=true&per_page=500")).await;
        let total_before = body(before).await["total"].as_i64().unwrap();
        let create = app.post(*role, path, &valid_body(&app, path, 100 + i)).await;
        if may('C') {
            assert_eq!(create.status(), StatusCode::CREATED, "{role:?} POST {path}");
        } else {
            expect_allowed_or_denied(create, false, &format!("{role:?} POST {path}")).await;
        }
        let after = body(app.get(Role::Admin, &format!("{path}?include_inactive=true&per_page=500")).await).await;
        let grew = if may('C') { 1 } else { 0 };
        assert_eq!(after["total"].as_i64().unwrap(), total_before + grew, "{role:?} POST {path} wrote only if allowed");

        if ops.len() < 4 {
            continue;
        }
        let target = admin_creates(&app, path, 200 + i).await;
        let mut update = valid_body(&app, path, 200 + i);
        update["name"] = json!(format!("改名{i}"));
        let put = app.put(*role, &format!("{path}/{target}"), &update).await;
        expect_allowed_or_denied(put, may('U'), &format!("{role:?} PUT {path}/{{id}}")).await;
        let name = body(app.get(Role::Admin, &format!("{path}/{target}")).await).await["name"].clone();
        assert_eq!(name == json!(format!("改名{i}")), may('U'), "{role:?} PUT {path}: the change landed only if allowed");

        let target = admin_creates(&app, path, 300 + i).await;
        let deact = app.post(*role, &format!("{path}/{target}/deactivate"), &json!({})).await;
        expect_allowed_or_denied(deact, may('D'), &format!("{role:?} deactivate {path}")).await;
        let active = body(app.get(Role::Admin, &format!("{path}/{target}")).await).await["active"].clone();
        assert_eq!(active, json!(!may('D')), "{role:?} deactivate {path}: only if allowed");
    }
}

#[tokio::test]
async fn every_role_gets_exactly_its_district_rights() {
    check_matrix("/api/v1/districts", Resource::District, &STRUCTURE).await;
}

#[tokio::test]
async fn every_role_gets_exactly_its_community_rights() {
    check_matrix("/api/v1/communities", Resource::Community, &STRUCTURE).await;
}

#[tokio::test]
async fn every_role_gets_exactly_its_unit_rights() {
    check_matrix("/api/v1/units", Resource::Unit, &STRUCTURE).await;
}

#[tokio::test]
async fn every_role_gets_exactly_its_team_rights() {
    check_matrix("/api/v1/teams", Resource::Team, &STRUCTURE).await;
}

#[tokio::test]
async fn every_role_gets_exactly_its_beneficiary_rights() {
    check_matrix("/api/v1/beneficiaries", Resource::Beneficiary, &BENEFICIARIES).await;
}

#[tokio::test]
async fn every_role_gets_exactly_its_volunteer_rights() {
    check_matrix("/api/v1/volunteers", Resource::Volunteer, &VOLUNTEERS).await;
}

#[tokio::test]
async fn only_an_admin_lists_and_creates_accounts() {
    check_matrix("/api/v1/users", Resource::User, &USERS).await;
}

fn ids(list: &Value) -> Vec<i64> {
    let mut v: Vec<i64> = list["items"].as_array().unwrap().iter().map(|i| i["id"].as_i64().unwrap()).collect();
    v.sort_unstable();
    v
}

#[tokio::test]
async fn a_liaisons_volunteer_list_holds_only_their_units_people() {
    let app = spawn_app().await;
    let list = body(app.get(Role::Liaison, "/api/v1/volunteers").await).await;
    assert_eq!(ids(&list), vec![app.fx.volunteers[0], app.fx.volunteers[1]]);
    assert_eq!(list["total"], 2);
    // Asking for the other unit neither widens the reach nor answers rows that do not match the filter.
    let other = body(app.get(Role::Liaison, &format!("/api/v1/volunteers?unit_id={}", app.fx.units[1])).await).await;
    assert_eq!(other["total"], 0);
}

#[tokio::test]
async fn a_liaison_cannot_read_another_units_volunteer() {
    let app = spawn_app().await;
    let resp = app.get(Role::Liaison, &format!("/api/v1/volunteers/{}", app.fx.volunteers[2])).await;
    expect_error(resp, StatusCode::FORBIDDEN, "forbidden").await;
    let own = app.get(Role::Liaison, &format!("/api/v1/volunteers/{}", app.fx.volunteers[1])).await;
    assert_eq!(own.status(), StatusCode::OK);
}

#[tokio::test]
async fn a_liaison_registers_volunteers_in_their_own_unit_only() {
    let app = spawn_app().await;
    let own = app.post(Role::Liaison, "/api/v1/volunteers", &app.new_volunteer("13911110001")).await;
    assert_eq!(own.status(), StatusCode::CREATED);
    let mut other = app.new_volunteer("13911110002");
    other["unit_id"] = json!(app.fx.units[1]);
    other["team_ids"] = json!([]);
    expect_error(app.post(Role::Liaison, "/api/v1/volunteers", &other).await, StatusCode::FORBIDDEN, "forbidden").await;
    let found = body(app.get(Role::Admin, "/api/v1/volunteers?q=11110002").await).await;
    assert_eq!(found["total"], 0, "the refused volunteer was not written");
}

#[tokio::test]
async fn a_liaison_cannot_edit_or_move_another_units_volunteer() {
    let app = spawn_app().await;
    let mut v2 = app.new_volunteer("13800000003");
    v2["unit_id"] = json!(app.fx.units[1]);
    let resp = app.put(Role::Liaison, &format!("/api/v1/volunteers/{}", app.fx.volunteers[2]), &v2).await;
    expect_error(resp, StatusCode::FORBIDDEN, "forbidden").await;
    // Moving one of their own into the other unit is just as out of reach.
    let mut v1 = app.new_volunteer("13800000002");
    v1["unit_id"] = json!(app.fx.units[1]);
    let resp = app.put(Role::Liaison, &format!("/api/v1/volunteers/{}", app.fx.volunteers[1]), &v1).await;
    expect_error(resp, StatusCode::FORBIDDEN, "forbidden").await;
    let v1 = body(app.get(Role::Admin, &format!("/api/v1/volunteers/{}", app.fx.volunteers[1])).await).await;
    assert_eq!(v1["unit_id"], app.fx.units[0]);
}

#[tokio::test]
async fn a_team_leaders_list_holds_only_their_team() {
    let app = spawn_app().await;
    let list = body(app.get(Role::TeamLeader, "/api/v1/volunteers").await).await;
    assert_eq!(ids(&list), vec![app.fx.volunteers[0]]);
    assert_eq!(list["total"], 1);
    let other = body(app.get(Role::TeamLeader, &format!("/api/v1/volunteers?team_id={}", app.fx.teams[1])).await).await;
    assert_eq!(other["total"], 0, "a filter for another team matches nobody, not the leader's own team");
}

#[tokio::test]
async fn a_team_leader_cannot_read_someone_outside_the_team() {
    let app = spawn_app().await;
    let resp = app.get(Role::TeamLeader, &format!("/api/v1/volunteers/{}", app.fx.volunteers[1])).await;
    expect_error(resp, StatusCode::FORBIDDEN, "forbidden").await;
    let member = app.get(Role::TeamLeader, &format!("/api/v1/volunteers/{}", app.fx.volunteers[0])).await;
    assert_eq!(member.status(), StatusCode::OK);
}

#[tokio::test]
async fn a_team_leader_registers_only_into_their_team() {
    let app = spawn_app().await;
    let mut outside = app.new_volunteer("13911110003");
    outside["team_ids"] = json!([app.fx.teams[1]]);
    expect_error(app.post(Role::TeamLeader, "/api/v1/volunteers", &outside).await, StatusCode::FORBIDDEN, "forbidden").await;
    let inside = app.post(Role::TeamLeader, "/api/v1/volunteers", &app.new_volunteer("13911110004")).await;
    assert_eq!(inside.status(), StatusCode::CREATED);
}

#[tokio::test]
async fn a_volunteer_sees_only_their_own_record() {
    let app = spawn_app().await;
    let list = body(app.get(Role::Volunteer, "/api/v1/volunteers").await).await;
    assert_eq!(ids(&list), vec![app.fx.volunteers[0]]);
    let own = app.get(Role::Volunteer, &format!("/api/v1/volunteers/{}", app.fx.volunteers[0])).await;
    assert_eq!(own.status(), StatusCode::OK);
    assert_eq!(body(own).await["name"], "张晓静");
    for other in [app.fx.volunteers[1], app.fx.volunteers[2]] {
        let resp = app.get(Role::Volunteer, &format!("/api/v1/volunteers/{other}")).await;
        expect_error(resp, StatusCode::FORBIDDEN, "forbidden").await;
    }
}

#[tokio::test]
async fn a_missing_row_is_404_for_those_who_may_read_it() {
    let app = spawn_app().await;
    for path in ["/api/v1/districts/999999", "/api/v1/volunteers/999999", "/api/v1/beneficiaries/999999"] {
        expect_error(app.get(Role::Coordinator, path).await, StatusCode::NOT_FOUND, "not_found").await;
    }
    let resp = app.put(Role::Coordinator, "/api/v1/districts/999999", &json!({"name": "无此片区"})).await;
    expect_error(resp, StatusCode::NOT_FOUND, "not_found").await;
    let resp = app.post(Role::Coordinator, "/api/v1/units/999999/deactivate", &json!({})).await;
    expect_error(resp, StatusCode::NOT_FOUND, "not_found").await;
}
