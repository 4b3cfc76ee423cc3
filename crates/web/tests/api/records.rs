//! A volunteer's record: the hours page, disputes and who may answer them,
//! the service certificate and its public verification, calendar feeds, and
//! reminders before an activity.

use std::time::Duration;

use reqwest::StatusCode;
use serde_json::{json, Value};
use tongxing_domain::paging::Page;
use tongxing_domain::role::Role;
use tongxing_domain::time::rfc3339;
use tongxing_service::auth::NewAccount;
use tongxing_service::{Service, Settings};
use tongxing_store::now_ms;

use crate::helpers::{body, expect_error, password, spawn_app, TestApp};

const HOUR: i64 = 3_600_000;

/// A team-0 activity from `starts` to `ends` (unix ms) with `extra` fields; its id.
async fn activity(app: &TestApp, title: &str, starts: i64, ends: i64, extra: Value) -> i64 {
    let mut b = json!({"title": title, "team_id": app.fx.teams[0], "community_id": app.fx.communities[0],
                       "starts_at": rfc3339(starts), "ends_at": rfc3339(ends), "capacity": 1});
    b.as_object_mut().unwrap().extend(extra.as_object().unwrap().clone());
    let r = app.post(Role::TeamLeader, "/api/v1/activities", &b).await;
    assert_eq!(r.status(), StatusCode::CREATED);
    body(r).await["id"].as_i64().unwrap()
}

async fn post_ok(app: &TestApp, role: Role, path: &str, b: Value) -> Value {
    let r = app.post(role, path, &b).await;
    assert!(r.status().is_success(), "{path}: {}", r.status());
    if r.status() == StatusCode::NO_CONTENT {
        return Value::Null;
    }
    body(r).await
}

/// Gives volunteer 0 a ledger: a 补录 entry (signed up, never checked in), a
/// checked-in activity, and a correction of it. Returns (checked-in entry, hand entry).
pub async fn ledger_of_v0(app: &TestApp) -> (i64, i64) {
    let now = now_ms();
    let v0 = app.fx.volunteers[0];
    let served = activity(app, "社区清扫", now - 6 * HOUR, now - 4 * HOUR, json!({"walk_ups": true})).await;
    for (kind, at) in [("in", now - 6 * HOUR), ("out", now - 4 * HOUR)] {
        let b = json!({"volunteer_id": v0, "kind": kind, "at": rfc3339(at)});
        post_ok(app, Role::TeamLeader, &format!("/api/v1/activities/{served}/checkins"), b).await;
    }
    post_ok(app, Role::TeamLeader, &format!("/api/v1/activities/{served}/confirm"), json!({})).await;
    let forgot = activity(app, "敬老院义剪", now - 2 * HOUR, now + 1500, json!({})).await;
    post_ok(app, Role::Coordinator, &format!("/api/v1/activities/{forgot}/signups"), json!({"volunteer_id": v0})).await;
    tokio::time::sleep(Duration::from_millis(1600)).await;
    let hand = json!({"changes": [{"volunteer_id": v0, "hours": 1.5, "reason": "忘记扫码签到"}]});
    post_ok(app, Role::TeamLeader, &format!("/api/v1/activities/{forgot}/confirm"), hand).await;
    let mine = body(app.get(Role::Volunteer, &format!("/api/v1/volunteers/{v0}/hours")).await).await;
    let id_of = |kind: &str| mine["entries"].as_array().unwrap().iter().find(|e| e["kind"] == kind).unwrap()["id"].as_i64().unwrap();
    let (checked, manual) = (id_of("activity"), id_of("manual"));
    let fix = json!({"hours": 1.5, "reason": "中途离开半小时"});
    post_ok(app, Role::TeamLeader, &format!("/api/v1/hours/{checked}/corrections"), fix).await;
    (checked, manual)
}

#[tokio::test]
async fn my_hours_page_shows_the_standing_every_entry_and_disputes_with_their_answers() {
    let app = spawn_app().await;
    let (checked, manual) = ledger_of_v0(&app).await;
    let (browser, csrf) = app.browser_as(Role::Volunteer).await;
    let home = browser.get(app.url("/")).send().await.unwrap().text().await.unwrap();
    assert!(home.contains("href=\"/me/hours\"") && home.contains("href=\"/calendar\""), "one tap from the first screen");
    let html = browser.get(app.url("/me/hours")).send().await.unwrap().text().await.unwrap();
    assert!(html.contains("<strong>3</strong>"), "2 h, corrected by -0.5 h, + 1.5 h by hand: {html}");
    for needle in ["社区清扫", "敬老院义剪", "补录", "忘记扫码签到", "team_leader", &format!("href=\"#entry-{checked}\""), "/calendar"]
    {
        assert!(html.contains(needle), "{needle} on the page");
    }
    assert!(html.contains("<progress"), "progress to the first star");

    let r = browser
        .post(app.url(&format!("/me/hours/{manual}/dispute")))
        .form(&[("_csrf", &csrf), ("reason", &"我服务了两小时".to_string())])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let r = browser
        .post(app.url(&format!("/me/hours/{manual}/dispute")))
        .form(&[("_csrf", &csrf), ("reason", &"再问一次".to_string())])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::CONFLICT, "one open dispute per entry, said on the page");

    let (leader, leader_csrf) = app.browser_as(Role::TeamLeader).await;
    let home = leader.get(app.url("/")).send().await.unwrap().text().await.unwrap();
    assert!(home.contains("href=\"/hours/disputes\""));
    let open = leader.get(app.url("/hours/disputes")).send().await.unwrap().text().await.unwrap();
    assert!(open.contains("我服务了两小时") && open.contains("张晓静"), "{open}");
    let id = body(app.get(Role::TeamLeader, "/api/v1/hours/disputes").await).await["items"][0]["id"].as_i64().unwrap();
    let r = leader
        .post(app.url(&format!("/hours/disputes/{id}/answer")))
        .form(&[("_csrf", &leader_csrf), ("answer", &"已核实，按1.5小时".to_string())])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let html = browser.get(app.url("/me/hours")).send().await.unwrap().text().await.unwrap();
    assert!(html.contains("已核实，按1.5小时") && html.contains("已答复"), "the answer shows: {html}");
}

#[tokio::test]
async fn a_leader_corrects_an_entry_from_the_volunteers_hours_page_and_the_volunteer_sees_why() {
    let app = spawn_app().await;
    let (_, manual) = ledger_of_v0(&app).await;
    let v0 = app.fx.volunteers[0];
    let (browser, _) = app.browser_as(Role::Volunteer).await;
    let own = browser.get(app.url("/me/hours")).send().await.unwrap().text().await.unwrap();
    assert!(!own.contains("/correct\""), "a volunteer cannot correct their own hours");

    let (leader, csrf) = app.browser_as(Role::TeamLeader).await;
    let page = leader.get(app.url(&format!("/volunteers/{v0}/hours"))).send().await.unwrap().text().await.unwrap();
    let action = format!("/volunteers/{v0}/hours/{manual}/correct");
    assert!(page.contains(&action), "the form is on the leader's view of the entry: {page}");
    let send = |hours: &str, reason: &str| {
        leader.post(app.url(&action)).form(&[("_csrf", csrf.as_str()), ("hours", hours), ("reason", reason)]).send()
    };
    let r = send("9", "多记").await.unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY, "more than the activity lasted");
    assert!(r.text().await.unwrap().contains("时长不能超过活动本身的时长"), "said on the page, in Chinese");
    assert_eq!(send("两小时", "多记").await.unwrap().status(), StatusCode::UNPROCESSABLE_ENTITY, "not a number");
    assert_eq!(send("1", " ").await.unwrap().status(), StatusCode::UNPROCESSABLE_ENTITY, "a correction needs its reason");

    let r = send("1", "核对签到表，实际1小时").await.unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(r.headers()["location"], format!("/volunteers/{v0}/hours?flash=hours_corrected").as_str());
    let mine = body(app.get(Role::Volunteer, &format!("/api/v1/volunteers/{v0}/hours")).await).await;
    assert_eq!(mine["total_hours"], 2.5, "3 h, the hand entry 1.5 → 1");
    let fix = &mine["entries"][0];
    assert_eq!(
        (fix["kind"].as_str(), fix["corrects_entry_id"].as_i64(), fix["hours"].as_f64()),
        (Some("correction"), Some(manual), Some(-0.5))
    );
    let own = browser.get(app.url("/me/hours")).send().await.unwrap().text().await.unwrap();
    assert!(own.contains("核对签到表，实际1小时") && own.contains(&format!("href=\"#entry-{manual}\"")), "the volunteer sees why: {own}");
}

#[tokio::test]
async fn only_a_leader_of_the_entrys_team_or_the_center_may_answer_a_dispute() {
    let app = spawn_app().await;
    let (checked, _) = ledger_of_v0(&app).await;
    let r = app.post(Role::Volunteer, &format!("/api/v1/hours/{checked}/disputes"), &json!({"reason": "少算了"})).await;
    let id = body(r).await["id"].as_i64().unwrap();
    let path = format!("/api/v1/hours/disputes/{id}/answer");
    let other_leader = app.leader_of(app.fx.teams[1], "leader-east").await;
    let r = app.api.post(app.url(&path)).bearer_auth(&other_leader).json(&json!({"answer": "不归我管"})).send().await.unwrap();
    expect_error(r, StatusCode::FORBIDDEN, "forbidden").await;
    let r = app.api.get(app.url("/api/v1/hours/disputes")).bearer_auth(&other_leader).send().await.unwrap();
    assert_eq!(body(r).await["total"], 0, "another team's disputes are not listed");
    expect_error(app.post(Role::Volunteer, &path, &json!({"answer": "自己答"})).await, StatusCode::FORBIDDEN, "forbidden").await;
    expect_error(app.post(Role::TeamLeader, &path, &json!({"answer": " "})).await, StatusCode::UNPROCESSABLE_ENTITY, "required").await;
    assert_eq!(app.post(Role::TeamLeader, &path, &json!({"answer": "已复核，补记0.5小时"})).await.status(), StatusCode::NO_CONTENT);
    expect_error(app.post(Role::Coordinator, &path, &json!({"answer": "再答"})).await, StatusCode::CONFLICT, "already_answered").await;
    expect_error(
        app.post(Role::Coordinator, "/api/v1/hours/disputes/999999/answer", &json!({"answer": "x"})).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    let spec = body(app.api.get(app.url("/api/v1/openapi.json")).send().await.unwrap()).await;
    assert!(spec["paths"]["/api/v1/hours/disputes/{id}/answer"]["post"].is_object());
}

#[tokio::test]
async fn the_certificate_page_shows_every_required_field_and_verifies_by_its_number() {
    let app = spawn_app().await;
    ledger_of_v0(&app).await;
    let v0 = app.fx.volunteers[0];
    let (browser, csrf) = app.browser_as(Role::Volunteer).await;
    let page = format!("/volunteers/{v0}/certificate");
    let r = browser.post(app.url(&page)).form(&[("_csrf", &csrf)]).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER, "one click");
    let to = r.headers()["location"].to_str().unwrap().to_string();
    let code = to.split("code=").nth(1).unwrap().split('&').next().unwrap().to_string();
    assert!(code.starts_with("ZM") && code.len() == 14, "{code}");
    let html = browser.get(app.url(&to)).send().await.unwrap().text().await.unwrap();
    for label in [
        "姓名",
        "证件类型",
        "证件号码",
        "志愿者编号",
        "服务内容",
        "服务时间",
        "服务时长",
        "出具单位",
        "负责人",
        "经办人",
        "联系方式",
        "证明编号",
        "出具日期",
    ] {
        assert!(html.contains(&format!("<dt>{label}</dt>")), "the certificate names {label}");
    }
    let today = tongxing_domain::time::region_date(now_ms()).format("%Y-%m-%d").to_string();
    for value in [
        "张晓静",
        "居民身份证",
        "1101**********002X",
        &format!("{v0:08}"),
        "社区清扫",
        "敬老院义剪",
        "3 小时",
        "同行志愿服务协调中心",
        &code,
        &today,
    ] {
        assert!(html.contains(value), "{value} on the certificate");
    }
    assert!(!html.contains("11010519491231002X"), "never the full ID number");
    assert!(html.contains("class=\"heading no-print\"") && html.contains("data-print"), "prints without the buttons");

    // Anyone verifies the number; personal data stays masked.
    let public = reqwest::Client::new();
    let r = public.get(app.url(&format!("/verify/{code}"))).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let html = r.text().await.unwrap();
    assert!(html.contains("张*静") && html.contains("1101**********002X") && html.contains("社区清扫"), "{html}");
    assert!(!html.contains("张晓静"));
    let json = body(public.get(app.url(&format!("/api/v1/verify/{code}"))).send().await.unwrap()).await;
    assert_eq!((json["name"].as_str(), json["total_hours"].as_f64()), (Some("张*静"), Some(3.0)));

    // The certificate is a snapshot: hours confirmed later do not change it.
    let newest = body(app.post(Role::TeamLeader, &format!("/api/v1/volunteers/{v0}/certificates"), &json!({})).await).await;
    assert_ne!(newest["code"], code.as_str());
    let r = public.get(app.url("/verify/ZM2026AAAAAAAA")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    assert!(r.text().await.unwrap().contains("未找到编号为 ZM2026AAAAAAAA 的志愿服务证明"));
    expect_error(
        public.get(app.url("/api/v1/verify/ZM2026AAAAAAAA")).send().await.unwrap(),
        StatusCode::NOT_FOUND,
        "certificate_not_found",
    )
    .await;
    let other = app.leader_of(app.fx.teams[1], "leader-east").await;
    let r = app.api.post(app.url(&format!("/api/v1/volunteers/{v0}/certificates"))).bearer_auth(other).send().await.unwrap();
    expect_error(r, StatusCode::FORBIDDEN, "forbidden").await;
}

async fn ics(url: &str) -> (StatusCode, String, String) {
    let r = reqwest::get(url).await.unwrap();
    let kind = r.headers().get("content-type").map(|v| v.to_str().unwrap().to_string()).unwrap_or_default();
    (r.status(), kind, r.text().await.unwrap())
}

#[tokio::test]
async fn calendar_feeds_are_valid_icalendar_with_stable_uids_and_a_revoked_token_is_404() {
    let app = spawn_app().await;
    let t = now_ms() + 48 * HOUR;
    let long = "重阳节走访慰问独居老人并开展义诊、理发、打扫卫生等综合志愿服务活动（第二期）";
    let a = activity(&app, long, t, t + 2 * HOUR, json!({"address": "雅苑小区3号楼, 活动室; 一楼"})).await;
    let b = activity(&app, "社区清扫", t + 3 * HOUR, t + 4 * HOUR, json!({})).await;
    let [v0, v1, _] = app.fx.volunteers;
    post_ok(&app, Role::Coordinator, &format!("/api/v1/activities/{b}/signups"), json!({"volunteer_id": v1})).await;
    for act in [a, b] {
        post_ok(&app, Role::Coordinator, &format!("/api/v1/activities/{act}/signups"), json!({"volunteer_id": v0})).await;
    }
    let feed = post_ok(&app, Role::Volunteer, "/api/v1/calendar-feeds", json!({})).await;
    assert!(feed["webcal"].as_str().unwrap().starts_with("webcal://"));
    let (status, kind, cal) = ics(feed["url"].as_str().unwrap()).await;
    assert_eq!((status, kind.as_str()), (StatusCode::OK, "text/calendar; charset=utf-8"));
    assert!(cal.starts_with("BEGIN:VCALENDAR\r\n") && cal.ends_with("END:VCALENDAR\r\n"));
    assert_eq!(cal.matches('\n').count(), cal.matches("\r\n").count(), "CRLF only");
    assert!(cal.split("\r\n").all(|l| l.len() <= 75), "folded at 75 octets");
    let unfolded = cal.replace("\r\n ", "");
    assert!(unfolded.contains(&format!("SUMMARY:{long}\r\n")));
    assert!(unfolded.contains("LOCATION:雅苑小区 雅苑小区3号楼\\, 活动室\\; 一楼\r\n"), "{unfolded}");
    assert!(unfolded.contains(&format!("UID:activity-{a}@127.0.0.1\r\n")) && unfolded.contains("STATUS:TENTATIVE"), "b is waitlisted");
    assert!(unfolded.contains(&format!("DTSTART:{}\r\n", tongxing_domain::ical::utc(t))));
    assert_eq!(unfolded.matches("DTSTAMP:").count(), 2);
    let again = post_ok(&app, Role::Volunteer, "/api/v1/calendar-feeds", json!({})).await;
    assert_eq!(again["token"], feed["token"], "the same link until regenerated");

    let fresh = post_ok(&app, Role::Volunteer, "/api/v1/calendar-feeds", json!({"regenerate": true})).await;
    assert_ne!(fresh["token"], feed["token"]);
    assert_eq!(ics(feed["url"].as_str().unwrap()).await.0, StatusCode::NOT_FOUND, "the old link is revoked");
    let (_, _, cal2) = ics(fresh["url"].as_str().unwrap()).await;
    assert!(cal2.replace("\r\n ", "").contains(&format!("UID:activity-{a}@127.0.0.1\r\n")), "UIDs are stable");
    assert_eq!(reqwest::get(app.url("/ical/nope.ics")).await.unwrap().status(), StatusCode::NOT_FOUND);

    let team = post_ok(&app, Role::TeamLeader, "/api/v1/calendar-feeds", json!({"team_id": app.fx.teams[0]})).await;
    let (_, _, team_cal) = ics(team["url"].as_str().unwrap()).await;
    assert_eq!(team_cal.matches("BEGIN:VEVENT").count(), 2);
    let r = app.post(Role::TeamLeader, "/api/v1/calendar-feeds", &json!({"team_id": app.fx.teams[1]})).await;
    expect_error(r, StatusCode::FORBIDDEN, "forbidden").await;
    let (browser, _) = app.browser_as(Role::Volunteer).await;
    let page = browser.get(app.url("/calendar")).send().await.unwrap().text().await.unwrap();
    assert!(page.contains(&format!("webcal://{}", app.base.trim_start_matches("http://"))), "{page}");
}

#[tokio::test]
async fn a_due_activity_reminds_each_confirmed_volunteer_once_even_from_two_instances() {
    let app = spawn_app().await;
    let [v0, v1, _] = app.fx.volunteers;
    let soon = activity(&app, "敬老院义剪", now_ms() + 2 * HOUR, now_ms() + 4 * HOUR, json!({})).await;
    let later = activity(&app, "社区清扫", now_ms() + 30 * HOUR, now_ms() + 31 * HOUR, json!({})).await;
    for (act, v) in [(soon, v0), (soon, v1), (later, v0)] {
        post_ok(&app, Role::Coordinator, &format!("/api/v1/activities/{act}/signups"), json!({"volunteer_id": v})).await;
    }
    let waitlisted = NewAccount {
        login: "li-guoqiang".into(),
        password: password(Role::Volunteer),
        role: Role::Volunteer,
        unit_id: None,
        team_id: None,
        volunteer_id: Some(v1),
        name: None,
    };
    let li = app.svc.create_user(None, &waitlisted).await.unwrap();
    // A second instance on the same database, sending SMS.
    let settings = Settings { sms_gateway_url: Some("http://127.0.0.1:9/sms".into()), ..Settings::default() };
    let settings = std::sync::Arc::new(settings);
    let other_db = tongxing_service::Db::connect(&app.db_url).await.unwrap();
    let other = Service::new(
        other_db,
        tongxing_service::crypto::Crypto::from_base64(&tongxing_service::crypto::generate_key()).unwrap(),
        (*settings).clone(),
    );
    let sms_first = Service { settings, ..app.svc.clone() };
    let (a, b) = tokio::join!(sms_first.remind_due_activities(), other.remind_due_activities());
    assert_eq!(a.unwrap() + b.unwrap(), 1, "only the activity within 24 hours, once");
    assert_eq!(other.remind_due_activities().await.unwrap(), 0, "a later run adds nothing");

    let page = Page { page: 1, per_page: 100 };
    let reminders = |list: tongxing_domain::model::Paged<tongxing_domain::model::Notification>| {
        list.items.iter().filter(|n| n.kind == "activity_reminder").count()
    };
    let me = app.user(Role::Volunteer).await;
    assert_eq!(reminders(tongxing_store::notifications::list(&app.svc.db, me.id, page).await.unwrap().0), 1);
    assert_eq!(reminders(tongxing_store::notifications::list(&app.svc.db, li.id, page).await.unwrap().0), 0, "waitlisted: no reminder");
    let sms = tongxing_store::outbox::list(&app.svc.db, None, page).await.unwrap();
    assert_eq!(sms.items.len(), 1, "one SMS, to the confirmed volunteer");
    assert_eq!((sms.items[0].kind.as_str(), sms.items[0].target.as_str()), ("sms", "13800000001"));
    assert!(sms.items[0].body.contains("敬老院义剪"));
    let (browser, _) = app.browser_as(Role::Volunteer).await;
    let inbox = browser.get(app.url("/notifications")).send().await.unwrap().text().await.unwrap();
    assert!(inbox.contains("活动提醒") && inbox.contains("敬老院义剪"), "{inbox}");
}
