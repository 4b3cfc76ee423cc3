//! Deciding applications to join: only the chosen team's leader, the unit's
//! liaison or the center; a decline's reason reaches the person; approval
//! opens an account that works; the pages re-render refusals beside the field.

use reqwest::StatusCode;
use serde_json::json;
use tongxing_domain::paging::Page;
use tongxing_domain::role::Role;

use crate::helpers::{body, csrf_in, expect_error, id_number, TestApp};
use crate::joining::{app_with_gateway, application, apply, code_for};

/// A waiting application of team 0 / unit 0; returns its id.
async fn waiting(app: &TestApp, phone: &str, id17: &str) -> i64 {
    let code = code_for(app, phone).await;
    let r = apply(app, &application(app, phone, &id_number(id17), &code)).await;
    assert_eq!(r.status(), StatusCode::CREATED);
    body(r).await["id"].as_i64().unwrap()
}

fn decision(approve: bool, reason: Option<&str>) -> serde_json::Value {
    json!({"decision": if approve { "approve" } else { "decline" }, "reason": reason})
}

#[tokio::test]
async fn only_the_chosen_teams_leader_the_units_liaison_or_the_center_decide() {
    let app = app_with_gateway().await;
    let id = waiting(&app, "13955550001", "37050219900101127").await;
    let other_leader = app.leader_of(app.fx.teams[1], "leader1").await;
    let path = format!("/api/v1/registrations/{id}/decision");

    for role in [Role::Volunteer, Role::Viewer, Role::Observer] {
        expect_error(app.post(role, &path, &decision(true, None)).await, StatusCode::FORBIDDEN, "forbidden").await;
    }
    let r = app.api.post(app.url(&path)).bearer_auth(&other_leader).json(&decision(true, None)).send().await.unwrap();
    expect_error(r, StatusCode::FORBIDDEN, "forbidden").await;
    let listed = app.api.get(app.url("/api/v1/registrations")).bearer_auth(&other_leader).send().await.unwrap();
    assert_eq!(body(listed).await["total"], 0, "another team's leader does not see it");

    // The leader of the chosen team and the unit's liaison both see it waiting.
    for role in [Role::TeamLeader, Role::Liaison, Role::Coordinator] {
        let list = body(app.get(role, "/api/v1/registrations").await).await;
        assert_eq!(list["total"], 1, "{role:?} sees it");
        assert_eq!(list["items"][0]["id_number"], format!("3705**********{}", &id_number("37050219900101127")[14..]), "masked");
        assert_eq!(app.svc.applications_waiting(&app.user(role).await).await.unwrap(), 1);
    }
    assert_eq!(app.svc.applications_waiting(&app.user(Role::Volunteer).await).await.unwrap(), 0);

    let r = app.post(Role::TeamLeader, &path, &decision(true, None)).await;
    assert_eq!(r.status(), StatusCode::OK);
    let done = body(r).await;
    assert_eq!(done["status"], "approved");
    assert!(app.audited(Role::TeamLeader, "approved", "registration", id).await);
    expect_error(app.post(Role::Liaison, &path, &decision(false, Some("重复"))).await, StatusCode::CONFLICT, "already_decided").await;
}

#[tokio::test]
async fn an_approved_person_signs_in_with_their_phone_and_password_and_is_a_volunteer() {
    let app = app_with_gateway().await;
    let id = waiting(&app, "13955550002", "37050219900101128").await;
    let login =
        |password: &str| app.api.post(app.url("/api/v1/auth/login")).json(&json!({"login": "13955550002", "password": password})).send();
    assert_eq!(login("my-own-secret").await.unwrap().status(), StatusCode::UNAUTHORIZED, "no account before approval");

    let done = body(app.post(Role::Liaison, &format!("/api/v1/registrations/{id}/decision"), &decision(true, None)).await).await;
    let vid = done["volunteer_id"].as_i64().unwrap();
    let r = login("my-own-secret").await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let signed = body(r).await;
    assert_eq!((signed["user"]["role"].as_str(), signed["user"]["volunteer_id"].as_i64()), (Some("volunteer"), Some(vid)));
    let token = signed["token"].as_str().unwrap();
    let me = body(app.api.get(app.url(&format!("/api/v1/volunteers/{vid}"))).bearer_auth(token).send().await.unwrap()).await;
    assert_eq!(me["name"], "孙志愿");
    assert_eq!(me["teams"][0]["id"], app.fx.teams[0]);
    assert_eq!(me["skills"], json!(["急救"]));
    assert_eq!(me["party_member"], true);

    let approved = app.svc.db.clone();
    let sms = tongxing_store::outbox::list(&approved, None, Page { page: 1, per_page: 50 }).await.unwrap();
    assert!(sms.items.iter().any(|d| d.target == "13955550002" && d.body.contains("通过")), "the person is told by SMS");
}

#[tokio::test]
async fn a_decline_needs_a_reason_and_the_person_is_told_it() {
    let app = app_with_gateway().await;
    let id = waiting(&app, "13955550003", "37050219900101129").await;
    let path = format!("/api/v1/registrations/{id}/decision");
    let e =
        expect_error(app.post(Role::TeamLeader, &path, &decision(false, Some(" "))).await, StatusCode::UNPROCESSABLE_ENTITY, "required")
            .await;
    assert_eq!(e["field"], "reason");

    let r = app.post(Role::TeamLeader, &path, &decision(false, Some("本队名额已满，建议加入附近服务队"))).await;
    assert_eq!(body(r).await["status"], "declined");
    let sent = tongxing_store::outbox::list(&app.svc.db, None, Page { page: 1, per_page: 50 }).await.unwrap();
    let told = sent.items.iter().find(|d| d.target == "13955550003" && d.body.contains("未通过")).expect("a decline SMS");
    assert!(told.body.contains("本队名额已满，建议加入附近服务队"), "the reason is in it: {}", told.body);
    let declined = body(app.get(Role::TeamLeader, "/api/v1/registrations?status=declined").await).await;
    assert_eq!(declined["items"][0]["reason"], "本队名额已满，建议加入附近服务队");
}

#[tokio::test]
async fn the_join_page_keeps_what_was_typed_and_shows_refusals_beside_the_field() {
    let app = app_with_gateway().await;
    let browser = app.browser();
    let page = browser.get(app.url("/join")).send().await.unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    let csrf = csrf_in(&page.text().await.unwrap());
    let form = |phone: &str, code: &str| {
        vec![
            ("_csrf", csrf.clone()),
            ("name", "孙志愿".into()),
            ("phone", phone.into()),
            ("code", code.into()),
            ("password", "my-own-secret".into()),
            ("id_number", id_number("37050219900101130")),
            ("unit_id", app.fx.units[0].to_string()),
            ("community_id", app.fx.communities[0].to_string()),
            ("team_ids", app.fx.teams[0].to_string()),
        ]
    };
    let r = browser.post(app.url("/join/code")).form(&form("13800000001", "")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::CONFLICT);
    let html = r.text().await.unwrap();
    assert!(html.contains("该手机号已登记为志愿者") && html.contains("value=\"孙志愿\""), "beside the phone, the name kept");
    assert!(!html.contains("my-own-secret"), "a password is never sent back");

    let r = browser.post(app.url("/join/code")).form(&form("13955550004", "")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert!(r.text().await.unwrap().contains("id=\"join-code-sent\""));
    let r = browser.post(app.url("/join")).form(&form("13955550004", "99999")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.unwrap().contains("验证码不正确"));

    let code = {
        let sent = tongxing_store::outbox::list(&app.svc.db, None, Page { page: 1, per_page: 50 }).await.unwrap();
        let sms = sent.items.into_iter().find(|d| d.target == "13955550004").unwrap();
        sms.body.chars().filter(char::is_ascii_digit).take(6).collect::<String>()
    };
    let r = browser.post(app.url("/join")).form(&form("13955550004", &code)).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert!(r.headers()["location"].to_str().unwrap().starts_with("/join/sent?flash=join_submitted"));

    // The leader's page lists it; a decline without a reason comes back beside its box.
    let (leader, csrf) = app.browser_as(Role::TeamLeader).await;
    let list = leader.get(app.url("/registrations")).send().await.unwrap().text().await.unwrap();
    assert!(list.contains("孙志愿") && list.contains("href=\"/registrations\""), "listed, and in the navigation");
    let id = app.svc.applications(&app.user(Role::TeamLeader).await, None, Page { page: 1, per_page: 5 }).await.unwrap().items[0].id;
    let r = leader
        .post(app.url(&format!("/registrations/{id}/decline")))
        .form(&[("_csrf", csrf.as_str()), ("reason", "")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.unwrap().contains("class=\"field has-error\""));
    let r = leader.post(app.url(&format!("/registrations/{id}/approve"))).form(&[("_csrf", csrf.as_str())]).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let xlsx = leader.get(app.url("/registrations?status=approved&format=xlsx")).send().await.unwrap();
    assert_eq!(xlsx.status(), StatusCode::OK);
    assert!(xlsx.bytes().await.unwrap().starts_with(b"PK"), "an .xlsx file");
    let (viewer, _) = app.browser_as(Role::Viewer).await;
    let refused = viewer.get(app.url("/registrations")).send().await.unwrap();
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn the_first_screens_of_those_who_decide_show_the_applications_waiting() {
    let app = app_with_gateway().await;
    waiting(&app, "13955550009", "37050219900101135").await;
    for (role, shown) in [(Role::TeamLeader, true), (Role::Liaison, true), (Role::Coordinator, true), (Role::Viewer, false)] {
        let (browser, _) = app.browser_as(role).await;
        let (status, html) = crate::pages::page(&app, &browser, "/").await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(html.contains("id=\"home-applications\""), shown, "{role:?}");
        if shown {
            assert!(html.contains("href=\"/registrations\"") && html.contains("1 份加入申请等您审核"), "{role:?}: {html}");
        }
    }
}
