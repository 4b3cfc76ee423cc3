//! Take-over requests (转单): another fitting team asks, the holder or the
//! center decides, and a need always has exactly one holder.

use reqwest::StatusCode;
use serde_json::{json, Value};
use tongxing_domain::registry::TeamInput;
use tongxing_domain::role::Role;

use crate::helpers::{body, expect_error, fresh_database_url, service_for, spawn_app, TestApp};

/// The fixture plus a second team that fits the fixture's needs (district 0,
/// elderly care) and its leader; team 0's leader holds a claimed need.
struct Setup {
    app: TestApp,
    need: i64,
    team: i64,
    leader: String,
}

async fn setup() -> Setup {
    let app = spawn_app().await;
    let input = TeamInput {
        name: "雅苑小区助老服务队".into(),
        district_id: app.fx.districts[0],
        category: "elderly_care".into(),
        unit_id: Some(app.fx.units[1]),
        leader_volunteer_id: None,
    };
    let team = tongxing_store::registry::teams::create(&app.svc.db, &input).await.unwrap();
    let leader = app.leader_of(team, "leader2").await;
    let need = claimed(&app, "13955550001").await;
    Setup { app, need, team, leader }
}

/// A need submitted, published and claimed by team 0's leader.
async fn claimed(app: &TestApp, phone: &str) -> i64 {
    let need = json!({"title": "陪老人去医院复查", "description": "腿脚不便，需要陪同", "category": "elderly_care",
                      "community_id": app.fx.communities[0], "requester_name": "李奶奶", "requester_phone": phone});
    let id = body(app.api.post(app.url("/api/v1/needs")).json(&need).send().await.unwrap()).await["id"].as_i64().unwrap();
    let review = app.post(Role::Coordinator, &format!("/api/v1/needs/{id}/review"), &json!({"decision": "publish"})).await;
    assert_eq!(review.status(), StatusCode::NO_CONTENT);
    let claim = app.post(Role::TeamLeader, &format!("/api/v1/needs/{id}/claim"), &json!({"team_id": app.fx.teams[0]})).await;
    assert_eq!(claim.status(), StatusCode::NO_CONTENT);
    id
}

impl Setup {
    async fn post(&self, token: &str, path: &str, body: &Value) -> reqwest::Response {
        self.app.api.post(self.app.url(path)).bearer_auth(token).json(body).send().await.unwrap()
    }

    async fn get(&self, token: &str, path: &str) -> Value {
        body(self.app.api.get(self.app.url(path)).bearer_auth(token).send().await.unwrap()).await
    }

    /// The second team asks; returns the request's id.
    async fn ask(&self, need: i64) -> i64 {
        let resp = self
            .post(
                &self.leader,
                &format!("/api/v1/needs/{need}/takeover"),
                &json!({"team_id": self.team, "reason": "我们就在本小区，半小时内可到"}),
            )
            .await;
        assert_eq!(resp.status(), StatusCode::CREATED);
        body(resp).await["id"].as_i64().unwrap()
    }

    async fn decide(&self, role: Role, need: i64, request: i64, decision: &str) -> reqwest::Response {
        self.app.post(role, &format!("/api/v1/needs/{need}/takeover/{request}"), &json!({"decision": decision})).await
    }

    async fn detail(&self, need: i64) -> Value {
        body(self.app.get(Role::Coordinator, &format!("/api/v1/needs/{need}")).await).await
    }
}

fn kinds(inbox: &Value) -> Vec<String> {
    inbox["items"].as_array().unwrap().iter().map(|n| n["kind"].as_str().unwrap().to_string()).collect()
}

fn taken_over_lines(detail: &Value) -> usize {
    detail["history"].as_array().unwrap().iter().filter(|e| e["note"] == "taken_over").count()
}

#[tokio::test]
async fn a_fitting_team_takes_over_when_the_holder_accepts() {
    let s = setup().await;
    let listed = s.get(&s.leader, "/api/v1/needs?status=claimed").await;
    assert_eq!(listed["total"], 1, "a fitting team sees another team's claim: {listed}");
    assert_eq!(listed["items"][0]["requester_phone"], "139****0001");
    let request = s.ask(s.need).await;
    assert!(kinds(&body(s.app.get(Role::TeamLeader, "/api/v1/notifications").await).await).contains(&"takeover_requested".into()));
    let again = s.post(&s.leader, &format!("/api/v1/needs/{}/takeover", s.need), &json!({"team_id": s.team, "reason": "再问一次"})).await;
    expect_error(again, StatusCode::CONFLICT, "takeover_pending").await;
    let seen_by_holder = body(s.app.get(Role::TeamLeader, &format!("/api/v1/needs/{}", s.need)).await).await;
    assert_eq!(seen_by_holder["takeover_requests"][0]["team_name"], "雅苑小区助老服务队");
    assert_eq!(seen_by_holder["takeover_requests"][0]["reason"], "我们就在本小区，半小时内可到");

    assert_eq!(s.decide(Role::TeamLeader, s.need, request, "accept").await.status(), StatusCode::NO_CONTENT);
    let d = s.detail(s.need).await;
    assert_eq!((d["need"]["status"].as_str(), d["need"]["team_id"].as_i64()), (Some("claimed"), Some(s.team)));
    let last = d["history"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(
        (last["status"].as_str(), last["note"].as_str(), last["team_name"].as_str()),
        (Some("claimed"), Some("taken_over"), Some("雅苑小区助老服务队"))
    );
    assert_eq!(last["user_login"], "team_leader", "the holder's leader decided");
    assert!(d["takeover_requests"].as_array().unwrap().is_empty());
    assert!(kinds(&s.get(&s.leader, "/api/v1/notifications").await).contains(&"takeover_accepted".into()));

    let done = json!({"summary": "已陪同复查", "hours": []});
    let by_former = s.app.post(Role::TeamLeader, &format!("/api/v1/needs/{}/complete", s.need), &done).await;
    expect_error(by_former, StatusCode::FORBIDDEN, "forbidden").await;
    assert_eq!(s.post(&s.leader, &format!("/api/v1/needs/{}/complete", s.need), &done).await.status(), StatusCode::NO_CONTENT);
    expect_error(s.decide(Role::Coordinator, s.need, request, "accept").await, StatusCode::CONFLICT, "takeover_closed").await;
}

#[tokio::test]
async fn a_declined_request_leaves_the_need_with_its_holder() {
    let s = setup().await;
    let request = s.ask(s.need).await;
    assert_eq!(s.decide(Role::TeamLeader, s.need, request, "decline").await.status(), StatusCode::NO_CONTENT);
    let d = s.detail(s.need).await;
    assert_eq!(d["need"]["team_id"], s.app.fx.teams[0]);
    assert_eq!(taken_over_lines(&d), 0);
    assert!(d["takeover_requests"].as_array().unwrap().is_empty());
    assert!(kinds(&s.get(&s.leader, "/api/v1/notifications").await).contains(&"takeover_declined".into()));
    expect_error(s.decide(Role::TeamLeader, s.need, request, "accept").await, StatusCode::CONFLICT, "takeover_closed").await;
    s.ask(s.need).await;
}

#[tokio::test]
async fn only_the_holder_or_the_center_decides() {
    let s = setup().await;
    let request = s.ask(s.need).await;
    let path = format!("/api/v1/needs/{}/takeover/{request}", s.need);
    let by_asker = s.post(&s.leader, &path, &json!({"decision": "accept"})).await;
    expect_error(by_asker, StatusCode::FORBIDDEN, "forbidden").await;
    expect_error(s.decide(Role::Viewer, s.need, request, "accept").await, StatusCode::FORBIDDEN, "forbidden").await;
    let other_need = claimed(&s.app, "13955550002").await;
    expect_error(s.decide(Role::Coordinator, other_need, request, "accept").await, StatusCode::NOT_FOUND, "not_found").await;
    assert_eq!(s.detail(s.need).await["need"]["team_id"], s.app.fx.teams[0], "nothing moved");

    assert_eq!(s.decide(Role::Coordinator, s.need, request, "accept").await.status(), StatusCode::NO_CONTENT);
    let d = s.detail(s.need).await;
    assert_eq!(d["need"]["team_id"], s.team);
    assert_eq!(d["history"].as_array().unwrap().last().unwrap()["user_login"], "coordinator");
    let former = body(s.app.get(Role::TeamLeader, "/api/v1/notifications").await).await;
    assert!(kinds(&former).contains(&"need_taken_over".into()), "the former holder is told: {former}");
}

#[tokio::test]
async fn only_a_leader_of_another_fitting_team_may_ask() {
    let s = setup().await;
    let path = format!("/api/v1/needs/{}/takeover", s.need);
    let own = s.app.post(Role::TeamLeader, &path, &json!({"team_id": s.app.fx.teams[0], "reason": "x"})).await;
    expect_error(own, StatusCode::CONFLICT, "already_holder").await;
    let far = s.app.leader_of(s.app.fx.teams[1], "leader-far").await;
    let not_fitting = s.post(&far, &path, &json!({"team_id": s.app.fx.teams[1], "reason": "我们也可以"})).await;
    assert_eq!(expect_error(not_fitting, StatusCode::UNPROCESSABLE_ENTITY, "team_not_fitting").await["field"], "team_id");
    let for_another = s.post(&s.leader, &path, &json!({"team_id": s.app.fx.teams[0], "reason": "x"})).await;
    expect_error(for_another, StatusCode::FORBIDDEN, "forbidden").await;
    let by_coordinator = s.app.post(Role::Coordinator, &path, &json!({"team_id": s.team, "reason": "x"})).await;
    expect_error(by_coordinator, StatusCode::FORBIDDEN, "forbidden").await;
    let no_reason = s.post(&s.leader, &path, &json!({"team_id": s.team, "reason": "  "})).await;
    assert_eq!(expect_error(no_reason, StatusCode::UNPROCESSABLE_ENTITY, "required").await["field"], "reason");
    let released = s.app.post(Role::TeamLeader, &format!("/api/v1/needs/{}/release", s.need), &json!({})).await;
    assert_eq!(released.status(), StatusCode::NO_CONTENT);
    let published = s.post(&s.leader, &path, &json!({"team_id": s.team, "reason": "想接"})).await;
    expect_error(published, StatusCode::CONFLICT, "invalid_transition").await;
}

#[tokio::test]
async fn an_open_request_ends_when_the_need_leaves_its_holder() {
    let s = setup().await;
    let request = s.ask(s.need).await;
    let released = s.app.post(Role::TeamLeader, &format!("/api/v1/needs/{}/release", s.need), &json!({})).await;
    assert_eq!(released.status(), StatusCode::NO_CONTENT);
    expect_error(s.decide(Role::Coordinator, s.need, request, "accept").await, StatusCode::CONFLICT, "takeover_closed").await;
    let d = s.detail(s.need).await;
    assert_eq!(d["need"]["status"], "published");
    assert!(d["need"]["team_id"].is_null(), "no team holds it: {d}");
    assert!(d["takeover_requests"].as_array().unwrap().is_empty());
}

/// The holder releases or completes while the center accepts a take-over, many
/// times over and in both orders: exactly one of the two wins each time, and the
/// need ends with the winner's outcome — never handed over and released too.
#[tokio::test]
async fn an_accept_racing_a_release_or_a_completion_leaves_one_outcome() {
    let s = setup().await;
    for round in 0..8 {
        let need = claimed(&s.app, &format!("1396666{round:04}")).await;
        let request = s.ask(need).await;
        let (holder_path, holder_body) = if round % 2 == 0 {
            (format!("/api/v1/needs/{need}/release"), json!({}))
        } else {
            (format!("/api/v1/needs/{need}/complete"), json!({"summary": "已完成", "hours": []}))
        };
        let by_holder = s.app.post(Role::TeamLeader, &holder_path, &holder_body);
        let accept = s.decide(Role::Coordinator, need, request, "accept");
        let (by_holder, accept) = if round % 4 < 2 {
            tokio::join!(by_holder, accept)
        } else {
            let (a, h) = tokio::join!(accept, by_holder);
            (h, a)
        };
        let (holder_won, accept_won) = (by_holder.status() == StatusCode::NO_CONTENT, accept.status() == StatusCode::NO_CONTENT);
        assert!(holder_won != accept_won, "round {round}: exactly one wins ({}, {})", by_holder.status(), accept.status());
        let d = s.detail(need).await;
        if accept_won {
            // Refused either way: seen as no longer the holder, or beaten at the update.
            assert!([StatusCode::FORBIDDEN, StatusCode::CONFLICT].contains(&by_holder.status()), "round {round}");
            assert_eq!((d["need"]["status"].as_str(), d["need"]["team_id"].as_i64()), (Some("claimed"), Some(s.team)), "round {round}");
            assert_eq!(taken_over_lines(&d), 1);
        } else {
            expect_error(accept, StatusCode::CONFLICT, "takeover_closed").await;
            let want = if round % 2 == 0 { (Some("published"), None) } else { (Some("completed"), Some(s.app.fx.teams[0])) };
            assert_eq!((d["need"]["status"].as_str(), d["need"]["team_id"].as_i64()), want, "round {round}");
            assert_eq!(taken_over_lines(&d), 0);
        }
    }
}

/// A release decided on a read made before the take-over was accepted does
/// not undo it: the store's update requires the holder that was read.
#[tokio::test]
async fn a_release_based_on_a_stale_read_does_not_undo_a_take_over() {
    use tongxing_domain::needs::Status;
    use tongxing_store::needs::{transition, Change};
    let s = setup().await;
    let request = s.ask(s.need).await;
    let read_before = tongxing_store::needs::get(&s.app.svc.db, s.need).await.unwrap();
    assert_eq!(s.decide(Role::Coordinator, s.need, request, "accept").await.status(), StatusCode::NO_CONTENT);
    let release = Change { team_id: Some(None), holder: read_before.team_id, note: Some("released".into()), ..Default::default() };
    assert!(!transition(&s.app.svc.db, s.need, Status::Claimed, Status::Published, &release).await.unwrap());
    let d = s.detail(s.need).await;
    assert_eq!((d["need"]["status"].as_str(), d["need"]["team_id"].as_i64()), (Some("claimed"), Some(s.team)));
}

#[tokio::test]
async fn the_need_page_offers_the_take_over_and_the_holder_answers_there() {
    let s = setup().await;
    let page = format!("/needs/{}", s.need);
    let (asker, csrf) = s.app.browser_with(&s.leader).await;
    let html = asker.get(s.app.url(&page)).send().await.unwrap().text().await.unwrap();
    assert!(html.contains(r#"id="takeover-form""#), "a fitting leader is offered the request");
    let form = [("_csrf", csrf.as_str()), ("team_id", &s.team.to_string()), ("reason", "我们就在本小区")];
    let resp = asker.post(s.app.url(&format!("{page}/takeover"))).form(&form).send().await.unwrap();
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    let html = asker.get(s.app.url(&page)).send().await.unwrap().text().await.unwrap();
    assert!(!html.contains(r#"id="takeover-form""#) && html.contains("我们就在本小区"), "asked once, the request is shown");
    assert!(!html.contains(r#"value="accept""#), "the asker cannot answer");

    let (holder, csrf) = s.app.browser_as(Role::TeamLeader).await;
    let html = holder.get(s.app.url(&page)).send().await.unwrap().text().await.unwrap();
    assert!(html.contains("转单申请") && html.contains("我们就在本小区"));
    let request = s.detail(s.need).await["takeover_requests"][0]["id"].as_i64().unwrap();
    let form = [("_csrf", csrf.as_str()), ("decision", "accept")];
    let resp = holder.post(s.app.url(&format!("{page}/takeover/{request}"))).form(&form).send().await.unwrap();
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    assert_eq!(s.detail(s.need).await["need"]["team_id"], s.team);
}

#[tokio::test]
async fn take_over_requests_move_with_a_dump() {
    let s = setup().await;
    s.ask(s.need).await;
    let mut dump = Vec::new();
    tongxing_store::dump::dump(&s.app.svc.db, json!(null), &mut dump).await.unwrap();
    let text = String::from_utf8(dump.clone()).unwrap();
    assert_eq!(text.lines().filter(|l| l.contains(r#""t":"takeover_requests""#)).count(), 1);
    let target = service_for(&fresh_database_url().await, &tongxing_service::crypto::generate_key()).await;
    tongxing_store::dump::restore(&target.db, &dump[..]).await.unwrap();
    let open = tongxing_store::needs::takeovers::open_for(&target.db, s.need).await.unwrap();
    assert_eq!((open.len(), open[0].team_id), (1, s.team));
}
