//! A volunteer's activities: the list near their community says how many
//! are elsewhere and widens in one tap; "my activities" lists their
//! sign-ups with waitlist places and the activities they came to.

use reqwest::StatusCode;
use serde_json::json;
use tongxing_domain::role::Role;
use tongxing_domain::time::rfc3339;
use tongxing_store::now_ms;

use crate::activity_pages::plan;
use crate::helpers::spawn_app;
use crate::pages::page;

const HOUR: i64 = 3_600_000;

#[tokio::test]
async fn an_empty_list_near_home_says_how_many_are_elsewhere_and_widens_in_one_tap() {
    let app = spawn_app().await;
    let elsewhere = app.fx.communities[1];
    for i in 0..3 {
        plan(&app, &format!("振兴小区义诊{i}"), elsewhere, now_ms() + (24 + i) * HOUR, 5, json!({})).await;
    }
    let (browser, _) = app.browser_as(Role::Volunteer).await;
    let (status, html) = page(&app, &browser, "/activities").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("本小区有 0 个活动，其他小区还有 3 个"), "{html}");
    let widen = html.split("id=\"activity-widen\"").nth(1).expect("the hint").split("href=\"").nth(1).unwrap().split('"').next().unwrap();
    let widen = widen.replace("&amp;", "&");
    assert!(widen.contains("community_id=") && !widen.contains(&format!("community_id={}", app.fx.communities[0])), "{widen}");
    let (_, wide) = page(&app, &browser, &widen).await;
    assert!(wide.contains("振兴小区义诊0") && wide.contains("振兴小区义诊2"), "one tap shows them");
    assert!(!wide.contains("id=\"activity-widen\""), "nothing left to widen to");
}

#[tokio::test]
async fn my_activities_lists_sign_ups_with_waitlist_places_and_past_attendance() {
    let app = spawn_app().await;
    let (c0, v0, v1) = (app.fx.communities[0], app.fx.volunteers[0], app.fx.volunteers[1]);
    let open = plan(&app, "敬老院包饺子", c0, now_ms() + 24 * HOUR, 5, json!({})).await;
    let full = plan(&app, "河道清洁", c0, now_ms() + 48 * HOUR, 1, json!({})).await;
    let past = plan(&app, "社区义诊", c0, now_ms() - 5 * HOUR, 5, json!({"walk_ups": true})).await;
    for (id, v) in [(open, v0), (full, v1), (full, v0)] {
        // v1 takes the only place of `full`; v0 goes onto its waitlist.
        let r = app.post(Role::Coordinator, &format!("/api/v1/activities/{id}/signups"), &json!({"volunteer_id": v})).await;
        assert!(r.status().is_success(), "{}", r.status());
    }
    let checkin = json!({"volunteer_id": v0, "kind": "in", "at": rfc3339(now_ms() - 5 * HOUR)});
    let r = app.post(Role::TeamLeader, &format!("/api/v1/activities/{past}/checkins"), &checkin).await;
    assert_eq!(r.status(), StatusCode::CREATED);

    let (browser, _) = app.browser_as(Role::Volunteer).await;
    let (_, list) = page(&app, &browser, "/activities").await;
    assert!(list.contains("href=\"/me/activities\""), "one tap from the activity list");
    let (status, html) = page(&app, &browser, "/me/activities").await;
    assert_eq!(status, StatusCode::OK);
    let ahead = &html[html.find("id=\"my-signups\"").expect("sign-ups")..html.find("id=\"my-attended\"").expect("attended")];
    assert!(ahead.find("敬老院包饺子").unwrap() < ahead.find("河道清洁").unwrap(), "soonest first: {ahead}");
    assert!(ahead.contains("已确认参加") && ahead.contains("候补第 1 位"), "{ahead}");
    let attended = &html[html.find("id=\"my-attended\"").unwrap()..];
    assert!(attended.contains("社区义诊") && attended.contains("时长待队长确认"), "{attended}");

    // Staff without a volunteer record see an empty page, not an error.
    let (coordinator, _) = app.browser_as(Role::Coordinator).await;
    let (status, html) = page(&app, &coordinator, "/me/activities").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("还没有报名的活动"));
}
