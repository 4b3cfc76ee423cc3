//! A volunteer's record pages as a phone shows them: /me/hours (every card
//! cell says what it is, people by their names, one dispute action per
//! entry that opens that entry's form) and the certificate's verification.

use reqwest::StatusCode;
use serde_json::json;
use tongxing_domain::role::Role;

use crate::helpers::{body, TestApp};
use crate::records::ledger_of_v0;

/// The fixture's team 0 led by 李国强 (volunteer 1), so its leader account is him.
async fn led_by_volunteer_1(app: &TestApp) {
    let t = app.fx.teams[0];
    let mut team = body(app.get(Role::Coordinator, &format!("/api/v1/teams/{t}")).await).await;
    team["leader_volunteer_id"] = json!(app.fx.volunteers[1]);
    let r = app.put(Role::Coordinator, &format!("/api/v1/teams/{t}"), &team).await;
    assert!(r.status().is_success(), "{}", r.status());
}

#[tokio::test]
async fn every_cell_is_labelled_people_are_named_and_one_form_opens_at_a_time() {
    let app = crate::helpers::spawn_app().await;
    led_by_volunteer_1(&app).await;
    let (checked, manual) = ledger_of_v0(&app).await;
    let (browser, _) = app.browser_as(Role::Volunteer).await;
    let html = browser.get(app.url("/me/hours")).send().await.unwrap().text().await.unwrap();
    let ledger = &html[html.find("id=\"ledger\"").unwrap()..html.find("</table>").unwrap()];
    // On a phone each cell shows its data-label before the value.
    let cells = ledger.matches("<td").count();
    let labelled = ledger.matches("<td data-label=\"").count();
    assert_eq!(cells - labelled, ledger.matches("<td class=\"entry-actions\"").count(), "only the actions cell has no label");
    assert!(!ledger.contains("data-label=\"\""), "no empty label");
    for label in ["data-label=\"记录人\"", "data-label=\"确认人\"", "data-label=\"时长（小时）\""] {
        assert!(ledger.contains(label), "{label}");
    }
    assert!(ledger.contains("李国强") && !ledger.contains("team_leader"), "the leader by name, not login: {ledger}");

    // No form until one is asked for; then that entry's only.
    assert!(!ledger.contains("<form") && !ledger.contains("<textarea"), "{ledger}");
    let open = format!("/me/hours?dispute={manual}#entry-{manual}");
    assert!(ledger.contains(&format!("href=\"{open}\"")), "one action per entry: {ledger}");
    let html = browser.get(app.url(&format!("/me/hours?dispute={manual}"))).send().await.unwrap().text().await.unwrap();
    assert_eq!(html.matches("<textarea").count(), 1);
    assert!(
        html.contains(&format!("action=\"/me/hours/{manual}/dispute\""))
            && !html.contains(&format!("action=\"/me/hours/{checked}/dispute\""))
    );

    // A refused dispute keeps that entry's form open with the reason beside it.
    let (csrf_browser, csrf) = (browser, crate::helpers::csrf_in(&html));
    let r = csrf_browser
        .post(app.url(&format!("/me/hours/{manual}/dispute")))
        .form(&[("_csrf", csrf.as_str()), ("reason", " ")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.unwrap();
    assert!(html.contains("role=\"alert\"") && html.contains(&format!("action=\"/me/hours/{manual}/dispute\"")), "{html}");

    // The answer to a dispute names who answered.
    let r = app.post(Role::Volunteer, &format!("/api/v1/hours/{checked}/disputes"), &json!({"reason": "少算了"})).await;
    let dispute = body(r).await["id"].as_i64().unwrap();
    let r = app.post(Role::TeamLeader, &format!("/api/v1/hours/disputes/{dispute}/answer"), &json!({"answer": "已核对"})).await;
    assert!(r.status().is_success(), "{}", r.status());
    let mine = body(app.get(Role::Volunteer, &format!("/api/v1/volunteers/{}/hours", app.fx.volunteers[0])).await).await;
    assert_eq!(mine["entries"].as_array().unwrap().iter().find(|e| e["id"] == checked).unwrap()["confirmed_by"], "李国强");
    let html = csrf_browser.get(app.url("/me/hours")).send().await.unwrap().text().await.unwrap();
    assert!(html.contains("— 李国强"), "{html}");
}

#[tokio::test]
async fn the_certificate_prints_the_full_verification_address_and_its_qr_code() {
    let settings = tongxing_service::Settings { public_url: Some("https://tongxing.example.cn/".into()), ..Default::default() };
    let app = crate::helpers::spawn_app_with(settings).await;
    ledger_of_v0(&app).await;
    let v0 = app.fx.volunteers[0];
    let cert = body(app.post(Role::TeamLeader, &format!("/api/v1/volunteers/{v0}/certificates"), &json!({})).await).await;
    let code = cert["code"].as_str().unwrap();
    let (browser, _) = app.browser_as(Role::Volunteer).await;
    let html = browser.get(app.url(&format!("/volunteers/{v0}/certificate?code={code}"))).send().await.unwrap().text().await.unwrap();
    let verify = &html[html.find("class=\"certificate-verify\"").expect("the verification block")..];
    assert!(verify.contains(&format!("https://tongxing.example.cn/verify/{code}")), "{verify}");
    assert!(verify.contains("<svg role=\"img\" class=\"qr\""), "a QR code of it: {verify}");
    // The QR code opens the public page that verifies it.
    let r = reqwest::get(app.url(&format!("/verify/{code}"))).await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
}
