//! A team's page (issue 13 §3): the team's link opens a page with its
//! members, leader, activities, hours and the needs it served; editing is a
//! step further. Members are named only to those who may read them.

use reqwest::StatusCode;
use serde_json::json;
use tongxing_domain::role::Role;
use tongxing_store::now_ms;

use crate::activities::{create, plan};
use crate::helpers::spawn_app;
use crate::needs::published;
use crate::pages::page;

const HOUR: i64 = 3_600_000;

#[tokio::test]
async fn a_teams_link_opens_its_page_with_members_activities_hours_and_needs_served() {
    let app = spawn_app().await;
    let (t0, v0) = (app.fx.teams[0], app.fx.volunteers[0]);
    let now = now_ms();
    // A need the team served (2.5 h), an activity it held and one to come.
    let (need, _) = published(&app, "13911118888").await;
    app.post(Role::TeamLeader, &format!("/api/v1/needs/{need}/claim"), &json!({"team_id": t0})).await;
    let done = json!({"summary": "更换了水管接头", "hours": [{"volunteer_id": v0, "hours": 2.5}]});
    assert_eq!(app.post(Role::TeamLeader, &format!("/api/v1/needs/{need}/complete"), &done).await.status(), StatusCode::NO_CONTENT);
    let held = create(&app, plan(&app, now - 4 * HOUR, now - 2 * HOUR, 5), json!({"title": "重阳敬老义剪"})).await;
    let coming = create(&app, plan(&app, now + 48 * HOUR, now + 50 * HOUR, 5), json!({"title": "冬季送温暖"})).await;

    let (browser, _) = app.browser_as(Role::Coordinator).await;
    let (_, list) = page(&app, &browser, "/teams").await;
    assert!(list.contains(&format!("href=\"/teams/{t0}\"")), "the list links the team's page");
    let (status, html) = page(&app, &browser, &format!("/teams/{t0}")).await;
    assert_eq!(status, StatusCode::OK, "{html}");
    assert!(!html.contains("id=\"registry-form\""), "the page is not the edit form");
    assert!(html.contains(&format!("href=\"/teams/{t0}/edit\"")), "staff may edit from it");
    assert!(html.contains("张晓静") && !html.contains("王秀英"), "its members, not another team's: {html}");
    assert!(html.contains(&format!("href=\"/activities/{coming}\"")) && html.contains(&format!("href=\"/activities/{held}\"")));
    assert!(html.contains(&format!("href=\"/needs/{need}\"")), "the need it served");
    let figures = &html[html.find("id=\"team-figures\"").unwrap()..];
    assert!(figures.contains("<strong>2.5</strong>"), "this year's hours with the team: {figures}");

    let (status, form) = page(&app, &browser, &format!("/teams/{t0}/edit")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(form.contains("id=\"registry-form\"") && form.contains(&format!("action=\"/teams/{t0}\"")), "{form}");

    // A volunteer may see the team, but not its members by name.
    let (browser, _) = app.browser_as(Role::Volunteer).await;
    let (status, html) = page(&app, &browser, &format!("/teams/{t0}")).await;
    assert_eq!(status, StatusCode::OK);
    // (The header names the volunteer herself, 张晓静; the page below it names no member.)
    let below_header = &html[html.find("</header>").unwrap()..];
    assert!(!below_header.contains("张晓静") && below_header.contains("队员名单仅对"), "{html}");
    assert!(!html.contains(&format!("href=\"/teams/{t0}/edit\"")));
    // The other unit's liaison sees none of this unit's members.
    let (_, html) = page(&app, &app.browser_as(Role::Liaison).await.0, &format!("/teams/{}", app.fx.teams[1])).await;
    assert!(!html.contains("王秀英") && html.contains("仅显示本单位的队员"), "{html}");
}
