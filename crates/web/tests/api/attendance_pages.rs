//! The attendance pages: the QR code, the check-in page a phone opens, the
//! leader's roster and the confirmation of hours.

use reqwest::{Client, StatusCode};
use serde_json::{json, Value};
use tongxing_domain::role::Role;
use tongxing_domain::time::rfc3339;
use tongxing_service::Settings;
use tongxing_store::now_ms;

use crate::helpers::{body, spawn_app, spawn_app_with, TestApp};

const HOUR: i64 = 3_600_000;

/// Plans an activity of team 0 from `starts` to `ends` (ms from now).
async fn activity(app: &TestApp, starts: i64, ends: i64, walk_ups: bool) -> i64 {
    let now = now_ms();
    let input = json!({"title": "社区义诊", "team_id": app.fx.teams[0], "community_id": app.fx.communities[0],
                       "starts_at": rfc3339(now + starts), "ends_at": rfc3339(now + ends), "capacity": 10,
                       "address": "雅苑小区活动室", "walk_ups": walk_ups});
    let r = app.post(Role::TeamLeader, "/api/v1/activities", &input).await;
    assert_eq!(r.status(), StatusCode::CREATED);
    body(r).await["id"].as_i64().unwrap()
}

async fn token_of(app: &TestApp, id: i64) -> String {
    tongxing_store::activities::checkin_token(&app.svc.db, id).await.unwrap()
}

async fn html(app: &TestApp, client: &Client, path: &str) -> (StatusCode, String) {
    let r = client.get(app.url(path)).send().await.unwrap();
    (r.status(), r.text().await.unwrap())
}

/// The leader checks `volunteer` in at `at` through the API.
async fn leader_checks_in(app: &TestApp, id: i64, volunteer: i64, at: i64) {
    let b = json!({"volunteer_id": volunteer, "kind": "in", "at": rfc3339(at)});
    let r = app.post(Role::TeamLeader, &format!("/api/v1/activities/{id}/checkins"), &b).await;
    assert_eq!(r.status(), StatusCode::CREATED, "{}", r.text().await.unwrap());
}

#[tokio::test]
async fn the_qr_page_shows_an_svg_code_of_the_absolute_checkin_link() {
    let app = spawn_app().await;
    let id = activity(&app, HOUR, 3 * HOUR, false).await;
    let (leader, _) = app.browser_as(Role::TeamLeader).await;
    let (status, page) = html(&app, &leader, &format!("/activities/{id}/qr")).await;
    assert_eq!(status, StatusCode::OK);
    let link = format!("{}/checkin/{}", app.base, token_of(&app, id).await);
    assert!(page.contains("<svg") && page.contains("viewBox"), "an inline SVG code");
    assert!(page.contains(&format!("href=\"{link}\"")), "the link in text: {link}");
    assert!(page.contains("社区义诊") && page.contains("雅苑小区活动室"));
    // Only those who run the activity see its code.
    let (volunteer, _) = app.browser_as(Role::Volunteer).await;
    let (status, page) = html(&app, &volunteer, &format!("/activities/{id}/qr")).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(!page.contains("/checkin/"));
}

#[tokio::test]
async fn the_qr_code_links_to_the_configured_public_url() {
    let settings = Settings { public_url: Some("https://tongxing.example.cn/".into()), ..Settings::default() };
    let app = spawn_app_with(settings).await;
    let id = activity(&app, HOUR, 3 * HOUR, false).await;
    let (leader, _) = app.browser_as(Role::TeamLeader).await;
    let (status, page) = html(&app, &leader, &format!("/activities/{id}/qr")).await;
    assert_eq!(status, StatusCode::OK);
    // Phones reach the server there, not at the address this browser used.
    let link = format!("https://tongxing.example.cn/checkin/{}", token_of(&app, id).await);
    assert!(page.contains(&format!("href=\"{link}\"")), "the link in text: {link}");
    assert!(!page.contains(&app.base), "{page}");
}

#[tokio::test]
async fn the_checkin_page_checks_in_once_when_a_tap_is_sent_twice() {
    let app = spawn_app().await;
    let id = activity(&app, -HOUR, HOUR, false).await;
    let me = app.fx.volunteers[0];
    let r = app.post(Role::Volunteer, &format!("/api/v1/activities/{id}/signups"), &json!({"volunteer_id": me})).await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let path = format!("/checkin/{}", token_of(&app, id).await);

    // Not signed in: the phone goes to the login page and comes back.
    let (status, _) = html(&app, &app.browser(), &path).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let r = app.browser().get(app.url(&path)).send().await.unwrap();
    assert!(r.headers()["location"].to_str().unwrap().starts_with("/login?next=%2Fcheckin%2F"));

    let (phone, csrf) = app.browser_as(Role::Volunteer).await;
    let (status, page) = html(&app, &phone, &path).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("id=\"checkin-form\"") && page.contains("name=\"kind\" value=\"in\""));
    let tap = [("_csrf", csrf.as_str()), ("kind", "in"), ("key", "tap-1"), ("elapsed_ms", "4000")];
    let send = || phone.post(app.url(&path)).header("accept", "application/json").form(&tap).send();
    let first = send().await.unwrap();
    assert_eq!(first.status(), StatusCode::CREATED);
    let first: Value = first.json().await.unwrap();
    let again: Value = send().await.unwrap().json().await.unwrap();
    assert_eq!(first, again, "the same key gets the first answer back");
    assert_eq!(first["repeated"], false);
    // The time is the tap's, not the request's.
    let at = tongxing_domain::activities::parse_time(first["at"].as_str().unwrap()).unwrap();
    assert!(at <= now_ms() - 3_000, "{first}");
    // Another tap (a new key) is answered as a repeat; the database holds one check-in.
    let other = [("_csrf", csrf.as_str()), ("kind", "in"), ("key", "tap-2")];
    let r = phone.post(app.url(&path)).header("accept", "application/json").form(&other).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(body(r).await["repeated"], true);
    assert_eq!(app.svc.checkin_count(id).await.unwrap(), 1);

    // Without JavaScript: a plain form post checks out and shows the page again.
    let (_, page) = html(&app, &phone, &path).await;
    assert!(page.contains("name=\"kind\" value=\"out\""));
    let form = [("_csrf", csrf.as_str()), ("kind", "out"), ("key", "tap-3")];
    let r = phone.post(app.url(&path)).form(&form).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(r.headers()["location"], format!("{path}?flash=checked_out").as_str());
    let (_, page) = html(&app, &phone, &path).await;
    assert!(!page.contains("id=\"checkin-form\"") && page.contains("已签退"));
}

#[tokio::test]
async fn a_volunteer_who_did_not_sign_up_is_refused_clearly() {
    let app = spawn_app().await;
    let id = activity(&app, -HOUR, HOUR, false).await;
    let path = format!("/checkin/{}", token_of(&app, id).await);
    let (phone, csrf) = app.browser_as(Role::Volunteer).await;
    let (status, page) = html(&app, &phone, &path).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("您没有报名此活动") && !page.contains("id=\"checkin-form\""));
    let form = [("_csrf", csrf.as_str()), ("kind", "in"), ("key", "k")];
    let r = phone.post(app.url(&path)).form(&form).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::CONFLICT);
    assert!(r.text().await.unwrap().contains("未报名此活动"));
    assert_eq!(app.svc.checkin_count(id).await.unwrap(), 0);
    // An activity that takes walk-ups lets them in, and says so.
    let walk_in = activity(&app, -HOUR, HOUR, true).await;
    let path = format!("/checkin/{}", token_of(&app, walk_in).await);
    let (_, page) = html(&app, &phone, &path).await;
    assert!(page.contains("本活动接受现场加入") && page.contains("id=\"checkin-form\""));
}

/// An activity that ended an hour ago with two walk-ups checked in by the
/// leader, their check-ins closed by rule. Returns (activity, volunteers).
async fn ended_with_walk_ups(app: &TestApp) -> (i64, [i64; 2]) {
    let id = activity(app, -3 * HOUR, -HOUR, true).await;
    let starts = tongxing_store::activities::get(&app.svc.db, id).await.unwrap().starts_at;
    let people = [app.fx.volunteers[0], app.fx.volunteers[1]];
    for v in people {
        leader_checks_in(app, id, v, starts + HOUR / 2).await;
    }
    assert_eq!(app.svc.close_open_checkins().await.unwrap(), 2);
    (id, people)
}

#[tokio::test]
async fn the_roster_flags_check_ins_closed_by_rule_and_masks_phones() {
    let app = spawn_app().await;
    let (id, _) = ended_with_walk_ups(&app).await;
    let (leader, _) = app.browser_as(Role::TeamLeader).await;
    let (status, page) = html(&app, &leader, &format!("/activities/{id}/roster")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("张晓静") && page.contains("李国强"));
    assert_eq!(page.matches("class=\"badge auto-closed\"").count(), 2, "both closed by rule");
    assert!(page.contains("已按活动结束时间自动签退") && page.contains("现场加入"));
    assert!(page.contains("138****0001") && !page.contains("13800000001"));
    let (volunteer, _) = app.browser_as(Role::Volunteer).await;
    assert_eq!(html(&app, &volunteer, &format!("/activities/{id}/roster")).await.0, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn the_leader_checks_people_in_and_out_from_the_roster() {
    let app = spawn_app().await;
    let id = activity(&app, -HOUR, HOUR, true).await;
    let (leader, csrf) = app.browser_as(Role::TeamLeader).await;
    let v = app.fx.volunteers[2].to_string();
    let url = app.url(&format!("/activities/{id}/roster/check"));
    for kind in ["in", "out"] {
        let form = [("_csrf", csrf.as_str()), ("volunteer_id", v.as_str()), ("kind", kind)];
        let r = leader.post(&url).form(&form).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::SEE_OTHER, "{kind}");
    }
    let (_, page) = html(&app, &leader, &format!("/activities/{id}/roster")).await;
    assert!(page.contains("王秀英") && !page.contains("name=\"kind\" value=\"in\""));
    assert_eq!(app.svc.checkin_count(id).await.unwrap(), 1);
}

#[tokio::test]
async fn a_change_of_hours_without_a_reason_is_shown_at_its_field() {
    let app = spawn_app().await;
    let (id, [a, _]) = ended_with_walk_ups(&app).await;
    let (leader, csrf) = app.browser_as(Role::TeamLeader).await;
    let (status, page) = html(&app, &leader, &format!("/activities/{id}/confirm")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains(&format!("name=\"hours_{a}\" value=\"1.5\"")), "computed hours: {page}");
    let field = format!("hours_{a}");
    let form = [("_csrf", csrf.as_str()), (field.as_str(), "1")];
    let r = leader.post(app.url(&format!("/activities/{id}/confirm"))).form(&form).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = r.text().await.unwrap();
    let at_field = page.split(&format!("id=\"confirm-{a}\"")).nth(1).unwrap().split("</fieldset>").next().unwrap();
    assert!(at_field.contains("修改时长或补录需要填写原因"), "{at_field}");
    assert!(at_field.contains(&format!("name=\"{field}\" value=\"1\"")), "what was typed stays");
    assert!(!tongxing_store::activities::get(&app.svc.db, id).await.unwrap().hours_confirmed);
}

#[tokio::test]
async fn confirm_all_writes_the_ledger_and_says_who_confirmed() {
    let app = spawn_app().await;
    let (id, [a, b]) = ended_with_walk_ups(&app).await;
    let (leader, csrf) = app.browser_as(Role::TeamLeader).await;
    let (fa, fb, rb) = (format!("hours_{a}"), format!("hours_{b}"), format!("reason_{b}"));
    let form = [("_csrf", csrf.as_str()), (fa.as_str(), "1.5"), (fb.as_str(), "1"), (rb.as_str(), "提前离开")];
    let r = leader.post(app.url(&format!("/activities/{id}/confirm"))).form(&form).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let hours = |v: i64| {
        let app = &app;
        async move { body(app.get(Role::Coordinator, &format!("/api/v1/volunteers/{v}/hours")).await).await }
    };
    let (ha, hb) = (hours(a).await, hours(b).await);
    assert_eq!(ha["total_hours"], 1.5);
    assert_eq!(hb["total_hours"], 1.0);
    assert_eq!(hb["entries"][0]["note"], "提前离开", "{hb}");
    let (_, page) = html(&app, &leader, &format!("/activities/{id}/confirm")).await;
    assert!(page.contains("id=\"confirmed-by\"") && page.contains("时长已由 team_leader 于"), "{page}");
    assert!(!page.contains("id=\"confirm-form\""), "confirmed once");
    assert!(page.contains("<strong class=\"credited\">1.5</strong>") && page.contains("<strong class=\"credited\">1</strong>"), "{page}");
    // A second "confirm all" (another tab) changes nothing.
    let r = leader.post(app.url(&format!("/activities/{id}/confirm"))).form(&form).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::CONFLICT);
    assert_eq!(hours(a).await["total_hours"], 1.5);
}

#[tokio::test]
async fn a_check_in_link_opened_signed_out_says_why_to_sign_in_and_comes_back_after() {
    let app = spawn_app().await;
    let id = activity(&app, -HOUR, 2 * HOUR, true).await;
    let path = format!("/checkin/{}", token_of(&app, id).await);
    let client = Client::builder().cookie_store(true).redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let r = client.get(app.url(&path)).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let login = r.headers()["location"].to_str().unwrap().to_string();
    let (status, page) = html(&app, &client, &login).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("请先登录再签到"), "{page}");
    assert!(page.contains(&format!("name=\"next\" value=\"{path}\"")), "{page}");
    // An ordinary sign-in says nothing of checking in.
    assert!(!html(&app, &client, "/login").await.1.contains("请先登录再签到"));

    let csrf = crate::helpers::csrf_in(&page);
    let pw = crate::helpers::password(Role::Volunteer);
    let form = [("_csrf", csrf.as_str()), ("login", "volunteer"), ("password", pw.as_str()), ("next", path.as_str())];
    let r = client.post(app.url("/login")).form(&form).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(r.headers()["location"], path.as_str(), "back at the check-in");
    let (status, page) = html(&app, &client, &path).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("社区义诊"), "{page}");
}
