//! Each role's first screen (`/`) shows that role's work, and offers no
//! action the permission table refuses the role (issue #13 §1).

use reqwest::StatusCode;
use serde_json::json;
use tongxing_domain::role::Role;
use tongxing_domain::time::rfc3339;
use tongxing_service::auth::NewAccount;
use tongxing_store::now_ms;

use crate::helpers::{body, password, spawn_app, TestApp};
use crate::needs::published_as;
use crate::pages::page;

const HOUR: i64 = 3_600_000;

/// The part of a page from the element with `id` to the end of its section.
fn section<'a>(html: &'a str, id: &str) -> &'a str {
    let start = html.find(&format!("id=\"{id}\"")).unwrap_or_else(|| panic!("no #{id} in {html}"));
    let end = html[start..].find("</section>").map_or(html.len(), |e| start + e);
    &html[start..end]
}

async fn home_of(app: &TestApp, role: Role) -> String {
    let (browser, _) = app.browser_as(role).await;
    let (status, html) = page(app, &browser, "/").await;
    assert_eq!(status, StatusCode::OK, "{role:?}");
    html
}

/// Plans an activity of team 0 in community 0 starting at `starts`; returns its id.
async fn plan(app: &TestApp, title: &str, starts: i64) -> i64 {
    let b = json!({"title": title, "team_id": app.fx.teams[0], "community_id": app.fx.communities[0],
                   "starts_at": rfc3339(starts), "ends_at": rfc3339(starts + 2 * HOUR), "capacity": 1});
    let r = app.post(Role::TeamLeader, "/api/v1/activities", &b).await;
    assert_eq!(r.status(), StatusCode::CREATED);
    body(r).await["id"].as_i64().unwrap()
}

/// Links and forms no role but the center gets.
const CENTER_ONLY: [&str; 3] = ["id=\"dispatch-form\"", "href=\"/teams/new\"", "href=\"/outbox"];

#[tokio::test]
async fn a_visitor_gets_the_public_landing_page_with_help_first_and_sign_in_second() {
    let app = spawn_app().await;
    let (status, html) = page(&app, &app.browser(), "/").await;
    assert_eq!(status, StatusCode::OK);
    let order: Vec<usize> = ["href=\"/help\"", "href=\"/track\"", "href=\"/verify\"", "href=\"/join\"", "href=\"/login\""]
        .iter()
        .map(|h| html.find(h).unwrap_or_else(|| panic!("{h} missing from the landing page")))
        .collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "help, track, verify, join, then sign in: {order:?}");
    assert!(html.contains("有困难找志愿者") && html.contains("加入志愿者"));
    assert!(!html.contains("id=\"main-nav\""), "no staff navigation for a visitor");
}

#[tokio::test]
async fn a_volunteer_sees_the_activity_they_just_signed_up_for_their_hours_and_their_name() {
    let app = spawn_app().await;
    let first = plan(&app, "雅苑敬老院义剪", now_ms() + 26 * HOUR).await;
    let full = plan(&app, "振兴路口文明劝导", now_ms() + 50 * HOUR).await;
    let v = app.fx.volunteers[0];
    // Someone else takes the one place of the second, so she waits for it.
    app.post(Role::Coordinator, &format!("/api/v1/activities/{full}/signups"), &json!({"volunteer_id": app.fx.volunteers[1]})).await;
    for a in [first, full] {
        let r = app.post(Role::Volunteer, &format!("/api/v1/activities/{a}/signups"), &json!({"volunteer_id": v})).await;
        assert!(r.status().is_success(), "{}", r.status());
    }
    let html = home_of(&app, Role::Volunteer).await;
    assert!(html.contains("张晓静，您好"), "greeted by name");
    let next = section(&html, "home-next");
    assert!(next.contains("雅苑敬老院义剪") && next.contains("已报名") && next.contains(&format!("href=\"/activities/{first}\"")));
    assert!(next.contains("uri.amap.com/marker"), "a map link");
    assert!(!next.contains("/checkin/"), "no check-in button a day before");
    let later = section(&html, "home-signups");
    assert!(later.contains("振兴路口文明劝导") && later.contains("候补第 1 位"), "{later}");
    assert!(section(&html, "home-hours").contains("href=\"/me/hours\""));
    for forbidden in CENTER_ONLY.iter().chain(&["href=\"/activities/new\"", "href=\"/volunteers/new\"", "href=\"/volunteers/import\""]) {
        assert!(!html.contains(forbidden), "a volunteer is offered {forbidden}");
    }
}

#[tokio::test]
async fn a_leader_sees_the_need_just_published_for_their_team_and_todays_activity_with_its_roster() {
    let app = spawn_app().await;
    let need = published_as(&app, "帮独居老人换灯泡", 0, "13922240001").await;
    let elsewhere = published_as(&app, "振兴小区的需求", 1, "13922240002").await;
    let today = plan(&app, "今日助老探访", now_ms() + HOUR).await;
    let html = home_of(&app, Role::TeamLeader).await;
    assert!(html.contains("现河片区助老服务队"), "the team's name heads the screen");
    let claimable = section(&html, "home-claimable");
    assert!(claimable.contains(&format!("href=\"/needs/{need}\"")) && claimable.contains("已等待"), "{claimable}");
    assert!(!claimable.contains(&format!("href=\"/needs/{elsewhere}\"")), "another district's need does not fit the team");
    let r = app.post(Role::TeamLeader, &format!("/api/v1/needs/{need}/claim"), &json!({"team_id": app.fx.teams[0]})).await;
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    let html = home_of(&app, Role::TeamLeader).await;
    assert!(section(&html, "home-held").contains(&format!("href=\"/needs/{need}\"")), "a claimed need moves to those held");
    assert!(!section(&html, "home-claimable").contains(&format!("href=\"/needs/{need}\"")));
    let activities = section(&html, "home-today");
    let today_listed = activities.contains(&format!("href=\"/activities/{today}/roster\""));
    // Seen shortly before midnight in the region, an hour on is tomorrow: then it is this week's.
    assert!(today_listed || activities.contains("本周活动"), "{activities}");
    for forbidden in CENTER_ONLY.iter().chain(&["href=\"/volunteers/import\"", "href=\"/volunteers/new\""]) {
        assert!(!html.contains(forbidden), "a leader is offered {forbidden}");
    }
}

#[tokio::test]
async fn the_coordinator_sees_waiting_needs_by_level_and_may_send_a_call() {
    let app = spawn_app().await;
    published_as(&app, "帮独居老人换灯泡", 0, "13922250001").await;
    let html = home_of(&app, Role::Coordinator).await;
    let levels = section(&html, "home-levels");
    assert!(levels.contains("待处理需求 1 件"), "{levels}");
    assert!(levels.contains("href=\"/needs?warning_level=red\""), "each level opens the filtered queue");
    assert!(html.contains("id=\"home-new-call\"") && html.contains("href=\"/outbox?status=dead\""));
    assert!(html.contains("id=\"home-figures\""), "then the region's figures");
}

#[tokio::test]
async fn the_viewer_gets_figures_and_no_action_they_may_not_take_anywhere() {
    let app = spawn_app().await;
    published_as(&app, "帮独居老人换灯泡", 0, "13922260001").await;
    let html = home_of(&app, Role::Viewer).await;
    assert!(section(&html, "home-levels").contains("待处理需求 1 件"));
    assert!(html.contains("id=\"home-figures\""));
    for forbidden in
        CENTER_ONLY.iter().chain(&["id=\"home-new-call\"", "/volunteers/new", "/volunteers/import", "/hours/disputes", "/activities/new"])
    {
        assert!(!html.contains(forbidden), "the viewer's first screen offers {forbidden}");
    }
    let (browser, _) = app.browser_as(Role::Viewer).await;
    let (_, needs) = page(&app, &browser, "/needs").await;
    assert!(!needs.contains("新建"), "no 新建 on the needs list");
    let (_, volunteers) = page(&app, &browser, "/volunteers").await;
    assert!(!volunteers.contains("新建") && !volunteers.contains("href=\"/volunteers/import\""), "no 新建 or import on volunteers");
    let (status, calls) = page(&app, &browser, "/dispatch").await;
    assert_eq!(status, StatusCode::OK);
    assert!(!calls.contains("id=\"dispatch-form\""), "the viewer reads calls but gets no form to send one");
    let (coordinator, _) = app.browser_as(Role::Coordinator).await;
    assert!(page(&app, &coordinator, "/dispatch").await.1.contains("id=\"dispatch-form\""), "the center keeps its form");
}

#[tokio::test]
async fn a_liaison_sees_their_units_needs_and_people_and_the_roster_import() {
    let app = spawn_app().await;
    let need = published_as(&app, "帮独居老人换灯泡", 0, "13922270001").await;
    app.post(Role::TeamLeader, &format!("/api/v1/needs/{need}/claim"), &json!({"team_id": app.fx.teams[0]})).await;
    let html = home_of(&app, Role::Liaison).await;
    assert!(html.contains("现河采油厂"), "the unit's name heads the screen");
    assert!(section(&html, "home-unit-needs").contains(&format!("href=\"/needs/{need}\"")), "a need the unit's team holds");
    let people = section(&html, "home-unit-people");
    assert!(people.contains("<strong>2</strong>"), "the unit's two volunteers: {people}");
    assert!(people.contains("id=\"home-import\""), "a liaison imports the unit's roster");
    for forbidden in CENTER_ONLY {
        assert!(!html.contains(forbidden), "a liaison is offered {forbidden}");
    }
}

#[tokio::test]
async fn an_observer_sees_their_communitys_needs_and_beneficiaries() {
    let app = spawn_app().await;
    let bene = json!({"name": "孙大娘", "kind": "elderly_alone", "community_id": app.fx.communities[0]});
    assert_eq!(app.post(Role::Admin, "/api/v1/beneficiaries", &bene).await.status(), StatusCode::CREATED);
    let here = published_as(&app, "雅苑小区路灯坏了", 0, "13922280001").await;
    let there = published_as(&app, "振兴小区的需求", 1, "13922280002").await;
    // 李国强 lives in 雅苑小区 and is its observer.
    let a = NewAccount {
        login: "yayuan-observer".into(),
        password: password(Role::Observer),
        role: Role::Observer,
        unit_id: None,
        team_id: None,
        volunteer_id: Some(app.fx.volunteers[1]),
        name: None,
    };
    let (browser, _) = app.browser_with(&app.account(&a).await).await;
    let (_, html) = page(&app, &browser, "/").await;
    assert!(html.contains("李国强，您好") && html.contains("雅苑小区"), "greeted by name, with the community");
    let needs = section(&html, "home-needs");
    assert!(needs.contains(&format!("href=\"/needs/{here}\"")) && needs.contains("待接单"), "{needs}");
    assert!(!needs.contains(&format!("href=\"/needs/{there}\"")), "another community's need");
    assert!(section(&html, "home-beneficiaries").contains("孙大娘"));
    assert!(section(&html, "home-report").contains("href=\"/needs/new\""), "report a need from here, recorded with the observer channel");
    for forbidden in CENTER_ONLY.iter().chain(&["href=\"/volunteers/new\""]) {
        assert!(!html.contains(forbidden), "an observer is offered {forbidden}");
    }
    // The fixture's observer is tied to nobody: told so, not shown an error.
    let unlinked = home_of(&app, Role::Observer).await;
    assert!(unlinked.contains("还没有关联"), "{unlinked}");
}

/// Who the page's header says is signed in.
fn who(html: &str) -> &str {
    const AT: &str = "class=\"who\">";
    let start = html.find(AT).map(|i| i + AT.len()).unwrap_or_else(|| panic!("no header name in {html}"));
    &html[start..start + html[start..].find("</span>").unwrap()]
}

#[tokio::test]
async fn the_header_shows_who_is_signed_in_by_name_never_by_login() {
    let app = spawn_app().await;
    // A volunteer's account is shown by the volunteer's name.
    let html = home_of(&app, Role::Volunteer).await;
    let shown = who(&html);
    assert!(shown.contains("张晓静") && !shown.contains("volunteer"), "{shown}");
    // A staff account by the name it was given; without one, by its role alone.
    let named = NewAccount {
        login: "zhou.jing".into(),
        password: password(Role::Coordinator),
        role: Role::Coordinator,
        unit_id: None,
        team_id: None,
        volunteer_id: None,
        name: Some(" 周静 ".into()),
    };
    let (browser, _) = app.browser_with(&app.account(&named).await).await;
    let (_, html) = page(&app, &browser, "/").await;
    let shown = who(&html);
    assert!(shown.contains("周静 · 中心调度员") && !shown.contains("zhou.jing"), "{shown}");
    let html = home_of(&app, Role::Coordinator).await;
    let shown = who(&html);
    assert!(!shown.contains("coordinator"), "no login: {shown}");
    // The accounts page lists the name beside the login it manages.
    let users = body(app.get(Role::Admin, "/api/v1/users?per_page=100").await).await;
    assert!(users["items"].as_array().unwrap().iter().any(|u| u["login"] == "zhou.jing" && u["name"] == "周静"), "{users}");
    // A name over 50 characters is refused beside its field.
    let long = json!({"login": "too.long", "password": "a-good-password", "role": "viewer", "name": "名".repeat(51)});
    let r = app.post(Role::Admin, "/api/v1/users", &long).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let b = body(r).await;
    assert_eq!(b["error"]["field"], "name", "{b}");
}
