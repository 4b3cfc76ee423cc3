//! A round of teams published: the honoured team's leader is told by SMS
//! (through the outbox) and in-app.

use reqwest::StatusCode;
use serde_json::json;
use tongxing_domain::role::Role;
use tongxing_service::Settings;
use tongxing_store::now_ms;

use crate::helpers::{body, spawn_app_with};
use crate::honours::{credit, open, post, today, DAY};

#[tokio::test]
async fn publishing_a_round_of_teams_tells_each_honoured_teams_leader_by_sms() {
    let app = spawn_app_with(Settings { sms_gateway_url: Some("http://127.0.0.1:9/sms".into()), ..Settings::default() }).await;
    let (t0, v0) = (app.fx.teams[0], app.fx.volunteers[0]);
    // Team 0 is led by 李国强 (13800000002); 张晓静 (13800000001) is its member who served.
    let mut team = body(app.get(Role::Coordinator, &format!("/api/v1/teams/{t0}")).await).await;
    team["leader_volunteer_id"] = json!(app.fx.volunteers[1]);
    assert!(app.put(Role::Coordinator, &format!("/api/v1/teams/{t0}"), &team).await.status().is_success());
    credit(&app, v0, 30.0).await;
    let year = &today()[..4];
    let input = json!({"title": format!("{year} 年度优秀志愿服务队"), "kind": "team", "period_from": format!("{year}-01-01"),
                       "period_to": format!("{year}-12-31"), "min_hours": 20, "criteria": [{"metric": "hours", "weight": 100}],
                       "nominate_until": format!("{year}-12-31"), "notice_days": 7});
    let id = open(&app, &input).await;
    let r = app
        .post(Role::Coordinator, &format!("/api/v1/honours/rounds/{id}/nominations"), &json!({"team_id": t0, "citation": "常年助老"}))
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let nid = body(r).await["id"].as_i64().unwrap();
    assert_eq!(post(&app, &format!("/api/v1/honours/rounds/{id}/review")).await.status(), StatusCode::OK);
    let decide = format!("/api/v1/honours/rounds/{id}/nominations/{nid}/decision");
    assert_eq!(app.post(Role::Coordinator, &decide, &json!({"decision": "approve"})).await.status(), StatusCode::OK);
    assert_eq!(post(&app, &format!("/api/v1/honours/rounds/{id}/notice")).await.status(), StatusCode::OK);
    let center = app.user(Role::Coordinator).await;
    assert_eq!(app.svc.publish_round(&center, id, now_ms() + 7 * DAY + 1_000).await.unwrap(), 1);

    let roll = body(app.api.get(app.url("/api/v1/honours")).send().await.unwrap()).await;
    let code = roll["items"][0]["code"].as_str().unwrap().to_string();
    let page = tongxing_domain::paging::Page { page: 1, per_page: 50 };
    let sms: Vec<_> =
        tongxing_store::outbox::list(&app.svc.db, None, page).await.unwrap().items.into_iter().filter(|d| d.kind == "sms").collect();
    assert_eq!(sms.len(), 1, "the leader alone is told: {sms:?}");
    assert_eq!(sms[0].target, "13800000002");
    assert!(sms[0].body.contains(&code) && sms[0].body.contains("现河片区助老服务队"), "{}", sms[0].body);
    // In-app: the team's leader account.
    let told = body(app.get(Role::TeamLeader, "/api/v1/notifications").await).await;
    assert!(told.to_string().contains("honoured") && told.to_string().contains(&code), "{told}");
}
