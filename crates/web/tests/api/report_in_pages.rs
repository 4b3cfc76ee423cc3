//! 双进双报到's pages: the organisation form's 422 beside the field, the
//! list's filters and export, a member's own report page, a liaison's ticks.

use reqwest::StatusCode;
use serde_json::json;
use tongxing_domain::role::Role;

use crate::helpers::{body, spawn_app};
use crate::pages::{page, submit};
use crate::report_in::org;

#[tokio::test]
async fn the_party_org_form_comes_back_with_the_error_beside_the_field_and_the_list_filters_and_exports() {
    let app = spawn_app().await;
    let (browser, csrf) = app.browser_as(Role::Coordinator).await;
    let c0 = app.fx.communities[0].to_string();
    let form = [("name", "现河采油厂第一党支部"), ("community_id", c0.as_str()), ("contact_phone", "12345"), ("_csrf", csrf.as_str())];
    let resp = submit(&app, &browser, "/party-orgs", &form).await;
    assert_eq!(resp.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = resp.text().await.unwrap();
    assert!(html.contains("field-error") && html.contains("value=\"现河采油厂第一党支部\""), "the error beside the field, the typing kept");
    let mut good = form;
    good[2] = ("contact_phone", "13912345678");
    let resp = submit(&app, &browser, "/party-orgs", &good).await;
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    org(&app, "东胜公司第一党支部", app.fx.communities[1]).await;
    let (status, html) = page(&app, &browser, &format!("/party-orgs?community_id={c0}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("现河采油厂第一党支部") && !html.contains("东胜公司第一党支部"), "filtered by community");
    assert!(html.contains("name=\"district_id\"") && html.contains("name=\"unit_id\""), "filters by district and unit too");
    let xlsx = browser.get(app.url(&format!("/party-orgs?community_id={c0}&format=xlsx"))).send().await.unwrap();
    assert!(xlsx.headers()["content-type"].to_str().unwrap().contains("spreadsheetml"));
    let (viewer, _) = app.browser_as(Role::Viewer).await;
    let (status, html) = page(&app, &viewer, "/reports/report-in?by=party_org").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("东胜公司第一党支部"), "the report per organisation");
}

#[tokio::test]
async fn a_member_reports_on_their_own_page_and_a_bad_pick_is_a_422_on_the_page() {
    let app = spawn_app().await;
    let (browser, csrf) = app.browser_as(Role::Volunteer).await;
    let c0 = app.fx.communities[0].to_string();
    let (status, html) = page(&app, &browser, "/me/report-in?q=yy").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("雅苑小区") && !html.contains("振兴小区"), "found by pinyin initials");
    let other = org(&app, "东胜公司第二党支部", app.fx.communities[1]).await.to_string();
    let bad = [("community_id", c0.as_str()), ("party_org_id", other.as_str()), ("_csrf", csrf.as_str())];
    let resp = submit(&app, &browser, "/me/report-in", &bad).await;
    assert_eq!(resp.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(resp.text().await.unwrap().contains("该党组织没有在这个小区报到"));
    let resp = submit(&app, &browser, "/me/report-in", &[("community_id", c0.as_str()), ("_csrf", csrf.as_str())]).await;
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    let (_, html) = page(&app, &browser, "/me/report-in").await;
    assert!(html.contains("id=\"report-in-current\"") && html.contains("雅苑小区"));
    let (status, _) = page(&app, &browser, "/reports/report-in").await;
    assert_eq!(status, StatusCode::SEE_OTHER, "a member's 双进双报到 is their own page");
}

#[tokio::test]
async fn a_liaison_ticks_their_units_members_and_each_reports_where_they_live() {
    let app = spawn_app().await;
    let (browser, csrf) = app.browser_as(Role::Liaison).await;
    let (status, html) = page(&app, &browser, "/report-in/unit").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("张晓静") && html.contains("李国强") && !html.contains("王秀英"), "only the unit's own party members");
    let [v0, v1, _] = app.fx.volunteers.map(|v| v.to_string());
    let form = [("volunteer_id", v0.as_str()), ("volunteer_id", v1.as_str()), ("_csrf", csrf.as_str())];
    assert_eq!(submit(&app, &browser, "/report-in/unit", &form).await.status(), StatusCode::SEE_OTHER);
    for v in [app.fx.volunteers[0], app.fx.volunteers[1]] {
        let h = body(app.get(Role::Coordinator, &format!("/api/v1/volunteers/{v}/report-in")).await).await;
        assert_eq!(h["current"]["community_id"], json!(app.fx.communities[0]), "reported to the community they live in");
    }
    let outsider = app.fx.volunteers[2].to_string();
    let resp = submit(&app, &browser, "/report-in/unit", &[("volunteer_id", outsider.as_str()), ("_csrf", csrf.as_str())]).await;
    assert_eq!(resp.status(), StatusCode::UNPROCESSABLE_ENTITY, "another unit's member is refused on the page");
    let (status, html) = page(&app, &browser, "/report-in/unit/import").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("action=\"/report-in/unit/import?_csrf="), "the sheet goes through the import with preview");
}
