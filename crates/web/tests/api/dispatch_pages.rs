//! The 应急调度 pages: preview and send from the form, the board, and the
//! one-tap answer page a volunteer's SMS links to.

use reqwest::StatusCode;
use tongxing_domain::role::Role;
use tongxing_domain::time::rfc3339;
use tongxing_store::now_ms;

use crate::dispatch::adults;
use crate::helpers::{csrf_in, spawn_app};

/// A datetime-local value `hours` from now, in the region's zone.
fn local(hours: i64) -> String {
    rfc3339(now_ms() + hours * 3_600_000)[..16].to_string()
}

#[tokio::test]
async fn a_coordinator_previews_adjusts_and_sends_a_call_and_a_volunteer_answers_in_one_tap() {
    let app = spawn_app().await;
    let people = adults(&app, 0, 20, 0).await;
    let (browser, _) = app.browser_as(Role::Coordinator).await;
    let page = browser.get(app.url("/dispatch")).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("id=\"dispatch-form\""));
    let csrf = csrf_in(&page);
    let community = app.fx.communities[0].to_string();
    let (starts, ends) = (local(2), local(5));
    let base = vec![
        ("_csrf", csrf.as_str()),
        ("title", "清理积水"),
        ("community_id", community.as_str()),
        ("starts_at", starts.as_str()),
        ("ends_at", ends.as_str()),
        ("needed", "4"),
        ("radius_km", "30"),
    ];
    let mut preview = base.clone();
    preview.push(("action", "preview"));
    let r = browser.post(app.url("/dispatch")).form(&preview).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let html = r.text().await.unwrap();
    assert!(html.contains("id=\"dispatch-preview\""), "{html}");
    assert!(html.contains(&format!("name=\"quota_{}\" value=\"4\"", app.fx.units[0])), "all 4 places go to the only unit with people");

    // A bad form comes back with the message next to its field.
    let mut bad = base.clone();
    bad[5] = ("needed", "0");
    bad.push(("action", "send"));
    let r = browser.post(app.url("/dispatch")).form(&bad).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);

    let quota = format!("quota_{}", app.fx.units[0]);
    let mut send = base.clone();
    send.push((quota.as_str(), "4"));
    send.push(("action", "send"));
    let r = browser.post(app.url("/dispatch")).form(&send).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let to = r.headers()["location"].to_str().unwrap().to_string();
    let id: i64 = to.trim_start_matches("/dispatch/").split('?').next().unwrap().parse().unwrap();
    let board = browser.get(app.url(&to)).send().await.unwrap().text().await.unwrap();
    assert!(board.contains("id=\"fill-count\">0</span> / 4"), "{board}");
    assert!(board.contains(&format!("data-live=\"/api/v1/dispatches/{id}/events?since=")), "the board listens for answers");

    // The first wave's best-ranked person opens their link on a phone, no account needed.
    let asked = app.get(Role::Coordinator, &format!("/api/v1/dispatches/{id}/roster")).await;
    assert_eq!(asked.status(), StatusCode::OK);
    let token = tongxing_store::dispatch::answers::token_of(&app.svc.db, id, people[0]).await.unwrap();
    let phone = reqwest::Client::new();
    let page = phone.get(app.url(&format!("/r/{token}"))).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("清理积水") && page.contains("value=\"accept\""), "{page}");
    let form = [("_csrf", csrf_in(&page)), ("answer", "accept".to_string())];
    let cookie = "tx_csrf=".to_string() + &form[0].1;
    for _ in 0..2 {
        // A double tap gives the same answer.
        let r = phone.post(app.url(&format!("/r/{token}"))).header("cookie", &cookie).form(&form).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::OK);
        assert!(r.text().await.unwrap().contains("id=\"answer-standing\""));
    }
    let board = browser.get(app.url(&format!("/dispatch/{id}"))).send().await.unwrap().text().await.unwrap();
    assert!(board.contains("id=\"fill-count\">1</span> / 4"), "{board}");
    let roster = browser.get(app.url(&format!("/dispatch/{id}/roster"))).send().await.unwrap().text().await.unwrap();
    assert!(roster.contains("应急队员0"));
    let report = browser.get(app.url(&format!("/dispatch/{id}/report"))).send().await.unwrap();
    assert_eq!(report.status(), StatusCode::OK);
    // The volunteer account was asked too: its notification leads to its own answer page.
    let (volunteer, _) = app.browser_as(Role::Volunteer).await;
    let notices = volunteer.get(app.url("/notifications")).send().await.unwrap().text().await.unwrap();
    assert!(notices.contains(&format!("href=\"/dispatch/{id}/answer\"")), "{notices}");
    let r = volunteer.get(app.url(&format!("/dispatch/{id}/answer"))).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert!(r.headers()["location"].to_str().unwrap().starts_with("/r/"));

    // The liaison ticks two of their unit's people on the board and commits them.
    let (liaison, _) = app.browser_as(Role::Liaison).await;
    let page = liaison.get(app.url(&format!("/dispatch/{id}"))).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("id=\"commit-form\""), "{page}");
    assert!(page.contains(&format!("value=\"{}\"> 应急队员19 ", people[19])), "each one by name: {page}");
    let picks = [("_csrf", csrf_in(&page)), ("volunteer_ids", people[18].to_string()), ("volunteer_ids", people[19].to_string())];
    let r = liaison.post(app.url(&format!("/dispatch/{id}/commit"))).form(&picks).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let board = browser.get(app.url(&format!("/dispatch/{id}"))).send().await.unwrap().text().await.unwrap();
    assert!(board.contains("id=\"fill-count\">3</span> / 4"), "{board}");

    // An unknown link is a plain 404 page.
    assert_eq!(phone.get(app.url("/r/nope")).send().await.unwrap().status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_call_form_names_its_title_offers_skills_as_choices_and_shows_the_preview_in_view_with_its_total() {
    let app = spawn_app().await;
    adults(&app, 0, 10, 0).await;
    adults(&app, 1, 10, 100).await;
    let (browser, _) = app.browser_as(Role::Coordinator).await;
    let page = browser.get(app.url("/dispatch")).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("调度事项（志愿者收到的通知标题）") && !page.contains("需求标题"), "a call's title, not a need's");
    // The region's skills are the choices (every even 应急队员 and the fixture have 急救).
    let skills = &page[page.find("id=\"dispatch-skills\"").expect("a skills fieldset")..];
    let skills = &skills[..skills.find("</fieldset>").unwrap()];
    assert!(skills.contains("type=\"checkbox\" name=\"skills\" value=\"急救\""), "{skills}");
    assert!(!page.contains("<input name=\"skills\""), "no free text");
    assert!(page.contains("formaction=\"/dispatch#dispatch-preview\""), "the preview opens scrolled to itself");

    let csrf = csrf_in(&page);
    let community = app.fx.communities[0].to_string();
    let (starts, ends) = (local(2), local(5));
    let form = [
        ("_csrf", csrf.as_str()),
        ("title", "清理积水"),
        ("community_id", community.as_str()),
        ("starts_at", starts.as_str()),
        ("ends_at", ends.as_str()),
        ("needed", "6"),
        ("radius_km", "30"),
        ("skills", "急救"),
        ("action", "preview"),
    ];
    let r = browser.post(app.url("/dispatch#dispatch-preview")).form(&form).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let html = r.text().await.unwrap();
    let preview = &html[html.find("id=\"dispatch-preview\"").expect("the preview")..];
    // 5 + 5 with 急救, and the fixture's adult 张晓静 of unit 0.
    assert!(preview.contains("附近符合条件的志愿者 11 人"), "only the skilled: {preview}");
    assert!(preview.contains("名额合计 6 人（需要 6 人）"), "{preview}");
    assert!(html.contains("value=\"急救\" checked"), "the choice is kept");
}
