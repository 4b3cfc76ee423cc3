//! 爱心守护's pages: the volunteer's first-screen card and "my pairs", the
//! visit form on the pair's page (a 422 on the page, a concern turned into a
//! need in one tap), the leader's and the center's cards, coverage, history.

use reqwest::StatusCode;
use serde_json::json;
use tongxing_domain::role::Role;
use tongxing_domain::time::rfc3339;
use tongxing_store::now_ms;

use crate::helpers::{body, spawn_app};
use crate::pages::{page, submit};

#[tokio::test]
async fn a_volunteer_logs_a_visit_with_a_concern_on_the_pair_page_and_turns_it_into_a_need() {
    let app = spawn_app().await;
    let b = json!({"name": "刘奶奶", "kind": "elderly_alone", "community_id": app.fx.communities[0], "phone": "13912345678"});
    let b = body(app.post(Role::Coordinator, "/api/v1/beneficiaries", &b).await).await["id"].as_i64().unwrap();
    let starts = (tongxing_domain::time::region_date(now_ms()) - chrono::Duration::days(20)).to_string();
    let p = body(
        app.post(
            Role::Coordinator,
            "/api/v1/care/pairs",
            &json!({"volunteer_id": app.fx.volunteers[0], "beneficiary_id": b, "starts_on": starts}),
        )
        .await,
    )
    .await;
    let id = p["id"].as_i64().unwrap();
    app.svc.recompute_care_levels().await.unwrap();

    let (browser, csrf) = app.browser_as(Role::Volunteer).await;
    let (status, home) = page(&app, &browser, "/").await;
    assert_eq!(status, StatusCode::OK);
    assert!(home.contains("id=\"home-care\"") && home.contains("刘奶奶"), "the volunteer's pairs on the first screen");
    let (_, mine) = page(&app, &browser, "/care").await;
    assert!(mine.contains("我的结对") && mine.contains(&format!("/care/pairs/{id}")));

    let when = rfc3339(now_ms() - 3_600_000).chars().take(16).collect::<String>();
    let future = rfc3339(now_ms() + 3 * 3_600_000).chars().take(16).collect::<String>();
    let path = format!("/care/pairs/{id}/visits");
    let bad =
        [("visited_at", future.as_str()), ("minutes", "45"), ("mode", "in_person"), ("contact_made", "true"), ("_csrf", csrf.as_str())];
    let resp = submit(&app, &browser, &path, &bad).await;
    assert_eq!(resp.status(), StatusCode::UNPROCESSABLE_ENTITY, "a visit in the future is refused on the page");
    let good = [
        ("visited_at", when.as_str()),
        ("minutes", "45"),
        ("mode", "in_person"),
        ("contact_made", "true"),
        ("notes", "陪聊天"),
        ("concern", "家里暖气不热"),
        ("_csrf", csrf.as_str()),
    ];
    let resp = submit(&app, &browser, &path, &good).await;
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    let (status, html) = page(&app, &browser, &format!("/care/pairs/{id}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("家里暖气不热") && html.contains("13912345678"), "the visit and the contact on the pair's page");
    let visit = body(app.get(Role::Volunteer, &format!("/api/v1/care/pairs/{id}")).await).await["visits"][0]["id"].as_i64().unwrap();
    let pair_id = id.to_string();
    let tap = [("category", "elderly_care"), ("pair_id", pair_id.as_str()), ("_csrf", csrf.as_str())];
    let resp = submit(&app, &browser, &format!("/care/visits/{visit}/need"), &tap).await;
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    let (_, html) = page(&app, &browser, &format!("/care/pairs/{id}")).await;
    assert!(html.contains("已转为需求"), "linked to its need");

    let (leader, _) = app.browser_as(Role::TeamLeader).await;
    let (_, home) = page(&app, &leader, "/").await;
    assert!(home.contains("id=\"home-care\""), "the leader's card");
    let (center, _) = app.browser_as(Role::Coordinator).await;
    let (_, home) = page(&app, &center, "/").await;
    assert!(home.contains("id=\"home-care\""), "the center's card");
    let (status, cov) = page(&app, &center, "/care/coverage").await;
    assert_eq!(status, StatusCode::OK);
    assert!(cov.contains("id=\"care-unpaired\""));
    let (status, history) = page(&app, &center, &format!("/beneficiaries/{b}/care")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(history.contains("家里暖气不热"));

    // Pairing from the beneficiary's page: the suggested volunteers, the same community first.
    let other = json!({"name": "赵爷爷", "kind": "disabled", "community_id": app.fx.communities[0]});
    let other = body(app.post(Role::Coordinator, "/api/v1/beneficiaries", &other).await).await["id"].as_i64().unwrap();
    let (center, csrf) = app.browser_as(Role::Coordinator).await;
    let (_, html) = page(&app, &center, &format!("/beneficiaries/{other}/care")).await;
    assert!(html.contains("id=\"care-new-pair\"") && html.contains("李国强"), "suggestions offered");
    let (b2, v1) = (other.to_string(), app.fx.volunteers[1].to_string());
    let form = [("beneficiary_id", b2.as_str()), ("volunteer_id", v1.as_str()), ("role", "primary"), ("_csrf", csrf.as_str())];
    let resp = submit(&app, &center, "/care/pairs", &form).await;
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    assert!(resp.headers()["location"].to_str().unwrap().contains("flash=care_paired"));
    let suggested = body(app.get(Role::Coordinator, &format!("/api/v1/care/candidates?beneficiary_id={other}")).await).await;
    assert!(suggested["total"].as_i64().unwrap() >= 1, "{suggested}");
}
