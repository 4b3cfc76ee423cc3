//! What a new user tripped over (issue 13 §3): error pages that keep the
//! navigation and a way back, the public need form, and staff entering a need
//! with its channel.

use reqwest::{Client, StatusCode};
use tongxing_domain::role::Role;

use crate::helpers::{body, spawn_app};
use crate::pages::{location, page, submit};

#[tokio::test]
async fn an_unknown_address_answers_the_error_page_with_the_navigation_and_a_way_back() {
    let app = spawn_app().await;
    let (browser, _) = app.browser_as(Role::Coordinator).await;
    let resp = browser.get(app.url("/no/such/page")).header("referer", app.url("/needs")).send().await.unwrap();
    assert_eq!(resp.status(), StatusCode::NOT_FOUND);
    assert!(resp.headers()["content-type"].to_str().unwrap().starts_with("text/html"));
    let html = resp.text().await.unwrap();
    assert!(html.contains("记录不存在"), "{html}");
    assert!(html.contains("id=\"main-nav\""), "the signed-in visitor keeps the navigation");
    assert!(html.contains("href=\"/needs\" id=\"error-back\""), "back leads where they came from: {html}");

    // Signed out: no navigation to keep, but home, back and sign-in.
    let (status, html) = page(&app, &Client::new(), "/nothing-here").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(html.contains("id=\"error-back\"") && html.contains("href=\"/login\"") && !html.contains("main-nav"));
    // A referrer on another site is no way back.
    let resp = Client::new().get(app.url("/nothing")).header("referer", "https://evil.example/x").send().await.unwrap();
    assert!(resp.text().await.unwrap().contains("href=\"/\" id=\"error-back\""));

    // The API keeps its JSON error body.
    let resp = app.get(Role::Coordinator, "/api/v1/no-such-thing").await;
    assert_eq!(resp.status(), StatusCode::NOT_FOUND);
    assert_eq!(body(resp).await["error"]["code"], "not_found");
}

#[tokio::test]
async fn a_refused_page_keeps_the_navigation_and_names_the_field_at_fault() {
    let app = spawn_app().await;
    let (browser, _) = app.browser_as(Role::Viewer).await;
    let (status, html) = page(&app, &browser, "/needs/new").await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(html.contains("您没有权限执行此操作") && html.contains("id=\"main-nav\"") && html.contains("id=\"error-back\""), "{html}");
}

#[tokio::test]
async fn the_public_need_form_introduces_itself_offers_large_text_and_asks_for_a_choice() {
    let app = spawn_app().await;
    let (status, html) = page(&app, &Client::new(), "/help").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("说说您遇到的困难"), "the introduction");
    assert!(html.contains(">提交需求</button>") && !html.contains(">保存</button>"));
    assert!(html.contains("name=\"requester_phone\" type=\"tel\"") && html.contains("inputmode=\"numeric\""), "{html}");
    assert!(html.contains("<option value=\"\">请选择</option>"));
    assert!(html.contains("href=\"/help?large=1\"") && !html.contains("<body class=\"large\">"));

    let (_, large) = page(&app, &Client::new(), "/help?large=1").await;
    assert!(large.contains("<body class=\"large\">") && large.contains("action=\"/help?large=1\"") && large.contains("href=\"/help\""));
}

#[tokio::test]
async fn staff_and_observers_enter_a_need_with_its_channel() {
    let app = spawn_app().await;
    let (browser, csrf) = app.browser_as(Role::Observer).await;
    let (status, html) = page(&app, &browser, "/needs/new").await;
    assert_eq!(status, StatusCode::OK, "{html}");
    assert!(html.contains("<option value=\"observer\" selected>"), "an observer's need starts as theirs: {html}");
    let (_, list) = page(&app, &browser, "/needs").await;
    assert!(list.contains("href=\"/needs/new\""), "新建 opens the staff form");

    let c0 = app.fx.communities[0].to_string();
    let mut form = vec![
        ("_csrf", csrf.as_str()),
        ("channel", "observer"),
        ("category", "elderly_care"),
        ("community_id", c0.as_str()),
        ("title", "独居老人需要买菜"),
        ("description", "腿脚不便，每周两次"),
        ("requester_name", "王阿姨"),
        ("requester_phone", ""),
    ];
    let resp = submit(&app, &browser, "/needs/new", &form).await;
    assert_eq!(resp.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = resp.text().await.unwrap();
    assert!(html.contains("value=\"独居老人需要买菜\""), "what was typed is kept");
    assert!(html.contains("field-error"), "the message is beside the field");

    form[7] = ("requester_phone", "13912345678");
    let resp = submit(&app, &browser, "/needs/new", &form).await;
    assert_eq!(resp.status(), StatusCode::SEE_OTHER, "{}", resp.text().await.unwrap_or_default());
    let id = location(&resp).trim_start_matches("/needs/").split('?').next().unwrap().to_string();
    let need = body(app.get(Role::Coordinator, &format!("/api/v1/needs/{id}")).await).await;
    assert_eq!(need["need"]["channel"], "observer", "{need}");

    let (browser, csrf) = app.browser_as(Role::Viewer).await;
    form[0] = ("_csrf", csrf.as_str());
    assert_eq!(submit(&app, &browser, "/needs/new", &form).await.status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn a_needs_history_names_people_and_says_what_happened_and_the_queue_says_how_long_it_waited() {
    let app = spawn_app().await;
    let (id, _) = crate::needs::submit(&app, "13912345670").await;
    let path = format!("/api/v1/needs/{id}");
    assert_eq!(
        app.post(Role::Coordinator, &format!("{path}/review"), &serde_json::json!({"decision": "publish"})).await.status(),
        StatusCode::NO_CONTENT
    );
    let assign = serde_json::json!({"team_id": app.fx.teams[0]});
    assert_eq!(app.post(Role::Coordinator, &format!("{path}/claim"), &assign).await.status(), StatusCode::NO_CONTENT);
    let api = body(app.get(Role::Coordinator, &path).await).await;
    assert_eq!(api["history"][2]["user_role"], "coordinator", "{api}");

    let (browser, _) = app.browser_as(Role::Coordinator).await;
    let (_, html) = page(&app, &browser, &format!("/needs/{id}")).await;
    let timeline = html.split("id=\"need-timeline\"").nth(1).unwrap().split("</ol>").next().unwrap();
    assert!(timeline.contains("中心调度员") && !timeline.contains("coordinator"), "a role, not a login: {timeline}");
    assert!(timeline.contains("由服务中心派给该队") && !timeline.contains("dispatched"), "words, not codes: {timeline}");

    tongxing_store::needs::set_waiting_since(&app.svc.db, id, tongxing_store::now_ms() - 3 * 24 * 3_600_000 - 60_000).await.unwrap();
    let (_, queue) = page(&app, &browser, "/needs").await;
    assert!(queue.contains("已等待 3 天"), "{queue}");
    let (_, html) = page(&app, &browser, &format!("/needs/{id}")).await;
    let timeline = html.split("id=\"need-timeline\"").nth(1).unwrap();
    let three_days_ago = tongxing_domain::time::rfc3339(tongxing_store::now_ms() - 3 * 24 * 3_600_000).chars().take(10).collect::<String>();
    assert!(timeline.contains(&three_days_ago), "the history moved with the wait: {timeline}");
}

fn need_in(app: &crate::helpers::TestApp, community: i64, title: &str) -> serde_json::Value {
    let mut n = crate::needs::need(app, "13912345671");
    n["community_id"] = community.into();
    n["title"] = title.into();
    n
}

async fn published(app: &crate::helpers::TestApp, community: i64, title: &str) -> i64 {
    let made = body(app.post(Role::Coordinator, "/api/v1/needs", &need_in(app, community, title)).await).await;
    let id = made["id"].as_i64().unwrap();
    let publish = serde_json::json!({"decision": "publish"});
    assert_eq!(app.post(Role::Coordinator, &format!("/api/v1/needs/{id}/review"), &publish).await.status(), StatusCode::NO_CONTENT);
    id
}

#[tokio::test]
async fn fitting_teams_come_first_the_leaders_queue_starts_with_what_they_may_claim_and_closing_picks_who_served() {
    let app = spawn_app().await;
    let (c0, c1) = (app.fx.communities[0], app.fx.communities[1]);
    let held = published(&app, c0, "早先认领的需求").await;
    let claim = serde_json::json!({"team_id": app.fx.teams[0]});
    assert_eq!(app.post(Role::Coordinator, &format!("/api/v1/needs/{held}/claim"), &claim).await.status(), StatusCode::NO_CONTENT);
    let open = published(&app, c0, "可以认领的需求").await;

    let queue = body(app.get(Role::TeamLeader, "/api/v1/needs").await).await;
    let ids: Vec<i64> = queue["items"].as_array().unwrap().iter().map(|n| n["id"].as_i64().unwrap()).collect();
    assert_eq!(ids, vec![open, held], "what the team may claim comes first: {queue}");

    // 派单 in the second district: its team is offered first, marked as fitting.
    let elsewhere = published(&app, c1, "东胜的需求").await;
    let (browser, csrf) = app.browser_as(Role::Coordinator).await;
    let (_, html) = page(&app, &browser, &format!("/needs/{elsewhere}")).await;
    let select = html.split("name=\"team_id\" required>").nth(1).unwrap().split("</select>").next().unwrap();
    assert!(select.starts_with(&format!("<option value=\"{}\">东胜助老服务队（对口）</option>", app.fx.teams[1])), "{select}");

    // Closing: tick who served, then one hours box for them.
    let (_, html) = page(&app, &browser, &format!("/needs/{held}")).await;
    let v0 = app.fx.volunteers[0].to_string();
    assert!(html.contains(&format!("name=\"served\" value=\"{v0}\"")) && !html.contains("name=\"hours_"), "{html}");
    let form = [("_csrf", csrf.as_str()), ("summary", "已上门买菜"), ("served", v0.as_str()), ("hours", "1.5")];
    let resp = submit(&app, &browser, &format!("/needs/{held}/complete"), &form).await;
    assert_eq!(resp.status(), StatusCode::SEE_OTHER, "{}", resp.text().await.unwrap_or_default());
    let done = body(app.get(Role::Coordinator, &format!("/api/v1/needs/{held}")).await).await;
    assert_eq!(done["need"]["status"], "completed");
    let entries = body(app.get(Role::Coordinator, &format!("/api/v1/volunteers/{v0}/hours")).await).await;
    assert!(entries.to_string().contains("1.5"), "the ticked volunteer is credited: {entries}");
}

#[tokio::test]
async fn a_refused_review_or_closing_shows_the_need_again_with_the_message_beside_the_field_and_what_was_typed() {
    let app = spawn_app().await;
    let (id, _) = crate::needs::submit(&app, "13912345672").await;
    let (browser, csrf) = app.browser_as(Role::Coordinator).await;
    // Rejecting needs a reason.
    let resp =
        submit(&app, &browser, &format!("/needs/{id}/review"), &[("_csrf", csrf.as_str()), ("decision", "reject"), ("reason", "")]).await;
    assert_eq!(resp.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = resp.text().await.unwrap();
    let review = html.split("id=\"review-form\"").nth(1).unwrap().split("</form>").next().unwrap();
    assert!(review.contains("has-error") && review.contains("field-error"), "the message beside the reason: {review}");
    assert!(html.contains("id=\"main-nav\"") && html.contains("id=\"need-timeline\""), "the whole need page, not a dead end");

    // Closing with hours that are no number keeps the summary and the ticks.
    let publish = serde_json::json!({"decision": "publish"});
    assert_eq!(app.post(Role::Coordinator, &format!("/api/v1/needs/{id}/review"), &publish).await.status(), StatusCode::NO_CONTENT);
    let claim = serde_json::json!({"team_id": app.fx.teams[0]});
    assert_eq!(app.post(Role::Coordinator, &format!("/api/v1/needs/{id}/claim"), &claim).await.status(), StatusCode::NO_CONTENT);
    let v0 = app.fx.volunteers[0].to_string();
    let form = [("_csrf", csrf.as_str()), ("summary", "已上门修好水管"), ("served", v0.as_str()), ("hours", "两小时")];
    let resp = submit(&app, &browser, &format!("/needs/{id}/complete"), &form).await;
    assert_eq!(resp.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = resp.text().await.unwrap();
    let complete = html.split("id=\"complete-form\"").nth(1).unwrap().split("</form>").next().unwrap();
    assert!(complete.contains(">已上门修好水管</textarea>") && complete.contains("value=\"两小时\""), "{complete}");
    assert!(complete.contains(&format!("value=\"{v0}\" checked")), "the tick is kept: {complete}");
    assert!(complete.contains("field-error"), "{complete}");
    let need = body(app.get(Role::Coordinator, &format!("/api/v1/needs/{id}")).await).await;
    assert_eq!(need["need"]["status"], "claimed", "nothing happened");
}
