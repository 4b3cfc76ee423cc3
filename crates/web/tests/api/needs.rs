//! The needs marketplace: a resident's request from submission to a rating.

use reqwest::StatusCode;
use serde_json::{json, Value};
use tongxing_domain::role::Role;

use crate::helpers::{body, expect_error, spawn_app, TestApp};

pub(crate) fn need(app: &TestApp, phone: &str) -> Value {
    json!({"title": "帮忙修理水管", "description": "厨房水管漏水，独居老人", "category": "elderly_care",
           "community_id": app.fx.communities[0], "requester_name": "王大爷", "requester_phone": phone})
}

/// Submits publicly; returns (id, tracking code).
pub(crate) async fn submit(app: &TestApp, phone: &str) -> (i64, String) {
    let resp = app.api.post(app.url("/api/v1/needs")).json(&need(app, phone)).send().await.unwrap();
    assert_eq!(resp.status(), StatusCode::CREATED);
    let b = body(resp).await;
    assert_eq!(b["status"], "submitted");
    (b["id"].as_i64().unwrap(), b["tracking_code"].as_str().unwrap().to_string())
}

pub(crate) async fn published(app: &TestApp, phone: &str) -> (i64, String) {
    let (id, code) = submit(app, phone).await;
    let r = app.post(Role::Coordinator, &format!("/api/v1/needs/{id}/review"), &json!({"decision": "publish"})).await;
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    (id, code)
}

async fn track(app: &TestApp, code: &str) -> Value {
    body(app.api.get(app.url(&format!("/api/v1/needs/track/{code}"))).send().await.unwrap()).await
}

#[tokio::test]
async fn a_resident_submits_without_an_account_and_follows_it_without_anyones_personal_data() {
    let app = spawn_app().await;
    let (_, code) = submit(&app, "13911112222").await;
    let t = track(&app, &code).await;
    assert_eq!(t["status"], "submitted");
    assert_eq!(t["history"][0]["status"], "submitted");
    assert!(t["history"][0]["at"].as_str().unwrap().ends_with("+08:00"), "RFC 3339 in the region's zone: {t}");
    let text = t.to_string();
    assert!(!text.contains("13911112222") && !text.contains("王大爷"), "no personal data on the tracking page: {text}");
}

#[tokio::test]
async fn bad_submissions_name_the_field() {
    let app = spawn_app().await;
    for (patch, field) in [
        (json!({"community_id": 999_999}), "community_id"),
        (json!({"category": "no_such"}), "category"),
        (json!({"requester_phone": "12345"}), "requester_phone"),
        (json!({"description": "长".repeat(1001)}), "description"),
    ] {
        let mut body_ = need(&app, "13911113333");
        for (k, v) in patch.as_object().unwrap() {
            body_[k] = v.clone();
        }
        let resp = app.api.post(app.url("/api/v1/needs")).json(&body_).send().await.unwrap();
        assert_eq!(resp.status(), StatusCode::UNPROCESSABLE_ENTITY, "{field}");
        assert_eq!(body(resp).await["error"]["field"], field);
    }
}

#[tokio::test]
async fn a_rejection_needs_a_reason_and_the_resident_sees_it() {
    let app = spawn_app().await;
    let (id, code) = submit(&app, "13911115555").await;
    let path = format!("/api/v1/needs/{id}/review");
    let no_reason = app.post(Role::Coordinator, &path, &json!({"decision": "reject"})).await;
    assert_eq!(expect_error(no_reason, StatusCode::UNPROCESSABLE_ENTITY, "required").await["field"], "reason");
    expect_error(app.post(Role::Liaison, &path, &json!({"decision": "publish"})).await, StatusCode::FORBIDDEN, "forbidden").await;
    let r = app.post(Role::Coordinator, &path, &json!({"decision": "reject", "reason": "不属于志愿服务范围"})).await;
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    let t = track(&app, &code).await;
    assert_eq!(t["status"], "rejected");
    assert_eq!(t["history"][1]["note"], "不属于志愿服务范围");
}

#[tokio::test]
async fn a_second_team_cannot_claim_a_claimed_need() {
    let app = spawn_app().await;
    let (id, _) = published(&app, "13911116666").await;
    let leaders_list = body(app.get(Role::TeamLeader, "/api/v1/needs?status=published").await).await;
    assert_eq!(leaders_list["total"], 1, "the leader's team fits the need: {leaders_list}");
    assert_eq!(leaders_list["items"][0]["requester_phone"], "139****6666");
    let claim = app.post(Role::TeamLeader, &format!("/api/v1/needs/{id}/claim"), &json!({"team_id": app.fx.teams[0]})).await;
    assert_eq!(claim.status(), StatusCode::NO_CONTENT);
    let second = app.post(Role::Coordinator, &format!("/api/v1/needs/{id}/claim"), &json!({"team_id": app.fx.teams[1]})).await;
    expect_error(second, StatusCode::CONFLICT, "already_claimed").await;
    let other_team = app.post(Role::TeamLeader, &format!("/api/v1/needs/{id}/claim"), &json!({"team_id": app.fx.teams[1]})).await;
    expect_error(other_team, StatusCode::FORBIDDEN, "forbidden").await;
}

#[tokio::test]
async fn of_fifty_simultaneous_claims_exactly_one_wins() {
    let app = spawn_app().await;
    let (id, _) = published(&app, "13911117777").await;
    let path = format!("/api/v1/needs/{id}/claim");
    let claims = (0..50).map(|i| {
        let team = app.fx.teams[i % 2];
        let req = app.api.post(app.url(&path)).bearer_auth(app.token(Role::Coordinator)).json(&json!({"team_id": team}));
        async move { req.send().await.unwrap().status() }
    });
    let statuses = futures_util::future::join_all(claims).await;
    assert_eq!(statuses.iter().filter(|s| **s == StatusCode::NO_CONTENT).count(), 1, "{statuses:?}");
    assert_eq!(statuses.iter().filter(|s| **s == StatusCode::CONFLICT).count(), 49, "{statuses:?}");
    let detail = body(app.get(Role::Coordinator, &format!("/api/v1/needs/{id}")).await).await;
    let claimed_events = detail["history"].as_array().unwrap().iter().filter(|e| e["status"] == "claimed").count();
    assert_eq!(claimed_events, 1, "one claim in the history: {detail}");
}

#[tokio::test]
async fn a_served_need_credits_hours_and_is_rated_once_by_the_requester() {
    let app = spawn_app().await;
    let (id, code) = published(&app, "13911118888").await;
    app.post(Role::TeamLeader, &format!("/api/v1/needs/{id}/claim"), &json!({"team_id": app.fx.teams[0]})).await;
    let v = app.fx.volunteers[0];
    let done = json!({"summary": "更换了水管接头", "hours": [{"volunteer_id": v, "hours": 2.5}]});
    let by_viewer = app.post(Role::Viewer, &format!("/api/v1/needs/{id}/complete"), &done).await;
    expect_error(by_viewer, StatusCode::FORBIDDEN, "forbidden").await;
    let too_long = json!({"summary": "x", "hours": [{"volunteer_id": v, "hours": 30}]});
    expect_error(
        app.post(Role::TeamLeader, &format!("/api/v1/needs/{id}/complete"), &too_long).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "out_of_range",
    )
    .await;
    assert_eq!(app.post(Role::TeamLeader, &format!("/api/v1/needs/{id}/complete"), &done).await.status(), StatusCode::NO_CONTENT);
    assert_eq!(tongxing_store::ledger::summary(&app.svc.db, v).await.unwrap().0, 2.5);

    let rate = |phone: &str, stars: i64| {
        app.api
            .post(app.url(&format!("/api/v1/needs/track/{code}/rating")))
            .json(&json!({"phone": phone, "stars": stars, "comment": "很及时"}))
            .send()
    };
    expect_error(rate("13900000000", 5).await.unwrap(), StatusCode::FORBIDDEN, "forbidden").await;
    expect_error(rate("13911118888", 6).await.unwrap(), StatusCode::UNPROCESSABLE_ENTITY, "out_of_range").await;
    assert_eq!(rate("139 1111 8888", 5).await.unwrap().status(), StatusCode::NO_CONTENT);
    expect_error(rate("13911118888", 4).await.unwrap(), StatusCode::CONFLICT, "already_rated").await;
    let t = track(&app, &code).await;
    assert_eq!(t["status"], "rated");
    assert_eq!(t["rating_stars"], 5);
}

#[tokio::test]
async fn a_released_need_goes_back_to_the_pool_for_another_team() {
    let app = spawn_app().await;
    let (id, _) = published(&app, "13911119999").await;
    app.post(Role::TeamLeader, &format!("/api/v1/needs/{id}/claim"), &json!({"team_id": app.fx.teams[0]})).await;
    assert_eq!(app.post(Role::TeamLeader, &format!("/api/v1/needs/{id}/release"), &json!({})).await.status(), StatusCode::NO_CONTENT);
    let reassign = app.post(Role::Coordinator, &format!("/api/v1/needs/{id}/claim"), &json!({"team_id": app.fx.teams[1]})).await;
    assert_eq!(reassign.status(), StatusCode::NO_CONTENT);
    let leader_release = app.post(Role::TeamLeader, &format!("/api/v1/needs/{id}/release"), &json!({})).await;
    expect_error(leader_release, StatusCode::FORBIDDEN, "forbidden").await;
}

#[tokio::test]
async fn waiting_needs_escalate_and_can_be_filtered_by_level() {
    let app = spawn_app().await;
    let (old, _) = submit(&app, "13922220001").await;
    let (_fresh, _) = submit(&app, "13922220002").await;
    // Pretend the first has waited two days for review.
    let two_days_ago = tongxing_store::now_ms() - 48 * 3_600_000;
    set_status_since(&app, old, two_days_ago).await;
    assert_eq!(app.svc.recompute_warnings().await.unwrap(), 1);
    let red = body(app.get(Role::Coordinator, "/api/v1/needs?warning_level=red").await).await;
    assert_eq!(red["total"], 1);
    assert_eq!(red["items"][0]["id"], old);
    let queue = body(app.get(Role::Coordinator, "/api/v1/needs?status=submitted").await).await;
    assert_eq!(queue["items"][0]["warning_level"], "red", "most urgent first");
    assert_eq!(app.svc.recompute_warnings().await.unwrap(), 0, "nothing changes twice");
    let bad = app.get(Role::Coordinator, "/api/v1/needs?warning_level=purple").await;
    assert_eq!(expect_error(bad, StatusCode::UNPROCESSABLE_ENTITY, "unknown_choice").await["field"], "warning_level");
}

async fn set_status_since(app: &TestApp, id: i64, ms: i64) {
    use sqlx::Connection;
    if app.db_url.starts_with("postgres") {
        let mut c = sqlx::PgConnection::connect(&app.db_url).await.unwrap();
        sqlx::query("UPDATE needs SET status_since = $1 WHERE id = $2").bind(ms).bind(id).execute(&mut c).await.unwrap();
    } else {
        let mut c = sqlx::SqliteConnection::connect(&app.db_url).await.unwrap();
        sqlx::query("UPDATE needs SET status_since = $1 WHERE id = $2").bind(ms).bind(id).execute(&mut c).await.unwrap();
    }
}

#[tokio::test]
async fn a_duplicate_is_merged_into_the_need_it_repeats() {
    let app = spawn_app().await;
    let (first, _) = submit(&app, "13922220003").await;
    let (dup, dup_code) = submit(&app, "13922220004").await;
    let r = app.post(Role::Coordinator, &format!("/api/v1/needs/{dup}/merge"), &json!({"into": first})).await;
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    assert_eq!(track(&app, &dup_code).await["status"], "cancelled");
    let self_merge = app.post(Role::Coordinator, &format!("/api/v1/needs/{first}/merge"), &json!({"into": first})).await;
    assert_eq!(self_merge.status(), StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn a_claim_with_no_progress_expires_back_to_the_pool() {
    let app = spawn_app().await;
    let (id, code) = published(&app, "13922220005").await;
    app.post(Role::TeamLeader, &format!("/api/v1/needs/{id}/claim"), &json!({"team_id": app.fx.teams[0]})).await;
    assert_eq!(app.svc.expire_stale_claims().await.unwrap(), 0, "a fresh claim stays");
    let four_days_ago = tongxing_store::now_ms() - 96 * 3_600_000;
    set_status_since(&app, id, four_days_ago).await;
    assert_eq!(app.svc.expire_stale_claims().await.unwrap(), 1);
    let detail = body(app.get(Role::Coordinator, &format!("/api/v1/needs/{id}")).await).await;
    assert_eq!(detail["need"]["status"], "published");
    assert!(detail["need"]["team_id"].is_null(), "no team holds it: {detail}");
    assert_eq!(detail["history"].as_array().unwrap().last().unwrap()["note"], "expired");
    assert_eq!(track(&app, &code).await["status"], "published");
    let again = app.post(Role::Coordinator, &format!("/api/v1/needs/{id}/claim"), &json!({"team_id": app.fx.teams[1]})).await;
    assert_eq!(again.status(), StatusCode::NO_CONTENT, "another team can take it");
}

async fn inbox(app: &TestApp, role: Role) -> Value {
    body(app.get(role, "/api/v1/notifications").await).await
}

#[tokio::test]
async fn publishing_tells_the_leaders_of_fitting_teams() {
    let app = spawn_app().await;
    assert_eq!(inbox(&app, Role::TeamLeader).await["unread"], 0);
    published(&app, "13922220006").await;
    let n = inbox(&app, Role::TeamLeader).await;
    assert_eq!(n["unread"], 1, "{n}");
    assert_eq!(n["items"][0]["kind"], "need_published");
    assert_eq!(n["items"][0]["detail"], "帮忙修理水管");
    let id = n["items"][0]["id"].as_i64().unwrap();
    assert_eq!(app.post(Role::TeamLeader, &format!("/api/v1/notifications/{id}/read"), &json!({})).await.status(), StatusCode::NO_CONTENT);
    assert_eq!(inbox(&app, Role::TeamLeader).await["unread"], 0);
    assert_eq!(inbox(&app, Role::Viewer).await["total"], 0, "nobody else is told");
}

#[tokio::test]
async fn warnings_escalate_up_the_chain_once_per_level() {
    let app = spawn_app().await;
    let (id, _) = published(&app, "13922220007").await;
    app.post(Role::TeamLeader, &format!("/api/v1/needs/{id}/claim"), &json!({"team_id": app.fx.teams[0]})).await;
    app.post(Role::TeamLeader, "/api/v1/notifications/read-all", &json!({})).await;
    // Claimed limits: yellow 48 h, orange 72 h (the claim expires at 72 h too, so stay below), red 120 h.
    set_status_since(&app, id, tongxing_store::now_ms() - 50 * 3_600_000).await;
    app.svc.recompute_warnings().await.unwrap();
    assert_eq!(app.svc.escalate_warnings().await.unwrap(), 1);
    assert_eq!(app.svc.escalate_warnings().await.unwrap(), 0, "a level is announced once");
    let leader = inbox(&app, Role::TeamLeader).await;
    assert_eq!(leader["items"][0]["kind"], "warning_yellow", "{leader}");
    assert_eq!(inbox(&app, Role::Liaison).await["total"], 0);

    set_status_since(&app, id, tongxing_store::now_ms() - 130 * 3_600_000).await;
    app.svc.recompute_warnings().await.unwrap();
    assert_eq!(app.svc.escalate_warnings().await.unwrap(), 1);
    assert_eq!(inbox(&app, Role::Coordinator).await["items"][0]["kind"], "warning_red");
}

#[tokio::test]
async fn an_assigned_team_and_a_rated_team_hear_about_it() {
    let app = spawn_app().await;
    let (id, code) = published(&app, "13922220008").await;
    app.post(Role::TeamLeader, "/api/v1/notifications/read-all", &json!({})).await;
    app.post(Role::Coordinator, &format!("/api/v1/needs/{id}/claim"), &json!({"team_id": app.fx.teams[0]})).await;
    assert_eq!(inbox(&app, Role::TeamLeader).await["items"][0]["kind"], "need_assigned");
    let done = json!({"summary": "已完成", "hours": []});
    app.post(Role::TeamLeader, &format!("/api/v1/needs/{id}/complete"), &done).await;
    app.api
        .post(app.url(&format!("/api/v1/needs/track/{code}/rating")))
        .json(&json!({"phone": "13922220008", "stars": 5}))
        .send()
        .await
        .unwrap();
    assert_eq!(inbox(&app, Role::TeamLeader).await["items"][0]["kind"], "need_rated");
}

#[tokio::test]
async fn the_leaders_pages_show_the_unread_count_and_the_message() {
    let app = spawn_app().await;
    published(&app, "13922220009").await;
    let (browser, _csrf) = app.browser_as(Role::TeamLeader).await;
    let home = browser.get(app.url("/")).send().await.unwrap().text().await.unwrap();
    assert!(home.contains(r#"<span class="count" aria-label="1">1</span>"#), "a badge with 1 on every page");
    let centre = browser.get(app.url("/notifications")).send().await.unwrap().text().await.unwrap();
    assert!(centre.contains("有新的需求可以接单：帮忙修理水管"), "the message names the need");
    assert!(centre.contains(r#"class="unread""#));
}

#[tokio::test]
async fn the_queue_exports_to_excel() {
    let app = spawn_app().await;
    published(&app, "13922220010").await;
    submit(&app, "13922220011").await;
    let resp = app.get(Role::Coordinator, "/api/v1/needs?format=xlsx").await;
    assert_eq!(resp.status(), StatusCode::OK);
    assert!(resp.headers()["content-type"].to_str().unwrap().contains("spreadsheetml"));
    let bytes = resp.bytes().await.unwrap();
    use calamine::Reader;
    let mut book = calamine::Xlsx::new(std::io::Cursor::new(bytes.to_vec())).unwrap();
    let sheet = book.worksheet_range_at(0).unwrap().unwrap();
    assert_eq!(sheet.height(), 3, "a heading and two needs");
    assert_eq!(sheet.get((0, 0)).unwrap().to_string(), "查询码");
}

#[tokio::test]
async fn needs_from_one_joint_meeting_are_entered_together_or_not_at_all() {
    let app = spawn_app().await;
    let mut a = need(&app, "13922220012");
    a["channel"] = json!("joint_meeting");
    let mut bad = need(&app, "123");
    bad["channel"] = json!("joint_meeting");
    let refused = app.post(Role::Coordinator, "/api/v1/needs/batch", &json!({"items": [a.clone(), bad]})).await;
    assert_eq!(expect_error(refused, StatusCode::UNPROCESSABLE_ENTITY, "phone_format").await["field"], "items[1].requester_phone");
    assert_eq!(body(app.get(Role::Coordinator, "/api/v1/needs").await).await["total"], 0, "nothing stored");
    let mut b = need(&app, "13922220013");
    b["channel"] = json!("joint_meeting");
    let made = app.post(Role::Coordinator, "/api/v1/needs/batch", &json!({"items": [a, b]})).await;
    assert_eq!(made.status(), StatusCode::CREATED);
    assert_eq!(body(made).await.as_array().unwrap().len(), 2);
    let queue = body(app.get(Role::Coordinator, "/api/v1/needs").await).await;
    assert!(queue["items"].as_array().unwrap().iter().all(|n| n["channel"] == "joint_meeting"), "{queue}");
    expect_error(app.post(Role::Liaison, "/api/v1/needs/batch", &json!({"items": []})).await, StatusCode::FORBIDDEN, "forbidden").await;
}

#[tokio::test]
async fn the_queue_finds_a_need_by_its_tracking_code_or_title() {
    let app = spawn_app().await;
    let (id, code) = submit(&app, "13922220014").await;
    submit(&app, "13922220015").await;
    let by_code = body(app.get(Role::Coordinator, &format!("/api/v1/needs?q={}", code.to_lowercase())).await).await;
    assert_eq!(by_code["total"], 1);
    assert_eq!(by_code["items"][0]["id"], id);
    let by_title = body(app.get(Role::Coordinator, "/api/v1/needs?q=水管").await).await;
    assert_eq!(by_title["total"], 2);
}

/// Submits and publishes a need titled `title` in community `c`; returns its id.
pub(crate) async fn published_as(app: &TestApp, title: &str, c: usize, phone: &str) -> i64 {
    let mut n = need(app, phone);
    n["title"] = json!(title);
    n["community_id"] = json!(app.fx.communities[c]);
    let id = body(app.api.post(app.url("/api/v1/needs")).json(&n).send().await.unwrap()).await["id"].as_i64().unwrap();
    let r = app.post(Role::Coordinator, &format!("/api/v1/needs/{id}/review"), &json!({"decision": "publish"})).await;
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    id
}

#[tokio::test]
async fn the_queue_filters_by_holding_team_and_a_leader_starts_with_their_team() {
    let app = spawn_app().await;
    let [t0, t1] = app.fx.teams;
    let held = published_as(&app, "队零承接的需求", 0, "13922230001").await;
    app.post(Role::TeamLeader, &format!("/api/v1/needs/{held}/claim"), &json!({"team_id": t0})).await;
    let elsewhere = published_as(&app, "队一承接的需求", 1, "13922230002").await;
    app.post(Role::Coordinator, &format!("/api/v1/needs/{elsewhere}/claim"), &json!({"team_id": t1})).await;
    published_as(&app, "片区内待接的需求", 0, "13922230003").await;
    published_as(&app, "别的片区待接的需求", 1, "13922230004").await;

    for (team, id) in [(t0, held), (t1, elsewhere)] {
        let l = body(app.get(Role::Coordinator, &format!("/api/v1/needs?team_id={team}")).await).await;
        assert_eq!((l["total"].as_i64(), l["items"][0]["id"].as_i64()), (Some(1), Some(id)), "held by team {team}: {l}");
    }
    let (coordinator, _) = app.browser_as(Role::Coordinator).await;
    let page = coordinator.get(app.url(&format!("/needs?team_id={t1}"))).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("队一承接的需求") && !page.contains("队零承接的需求"), "the page filters by team");
    assert!(page.contains(&format!(r#"<option value="{t1}" selected>"#)), "the team stays chosen");
    assert!(!page.contains(r#"value="mine""#), "no team of their own to offer");

    let (leader, _) = app.browser_as(Role::TeamLeader).await;
    let mine = leader.get(app.url("/needs")).send().await.unwrap().text().await.unwrap();
    assert!(mine.contains(r#"<option value="mine" selected>"#), "a leader starts with their team");
    assert!(mine.contains("队零承接的需求") && mine.contains("片区内待接的需求"), "what it holds and may take");
    assert!(!mine.contains("队一承接的需求") && !mine.contains("别的片区待接的需求"), "not other districts'");
    let held_only = leader.get(app.url(&format!("/needs?team_id={t0}"))).send().await.unwrap().text().await.unwrap();
    assert!(held_only.contains("队零承接的需求") && !held_only.contains("片区内待接的需求"), "only what the team holds");
}
