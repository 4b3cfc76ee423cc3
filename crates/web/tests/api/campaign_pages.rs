//! The campaign pages: launching one (422 beside the field), the rotation
//! edited by hand, the calendar's gap link pre-filling the plan form, and
//! the first screens' slots.

use reqwest::StatusCode;
use serde_json::json;
use tongxing_domain::role::Role;
use tongxing_domain::time::region_date;
use tongxing_store::now_ms;

use crate::helpers::{body, spawn_app};
use crate::pages::{location, page, submit};

fn day(offset: i64) -> String {
    (region_date(now_ms()) + chrono::Duration::days(offset)).to_string()
}

#[tokio::test]
async fn a_coordinator_launches_a_campaign_edits_its_rotation_and_plans_into_a_gap() {
    let app = spawn_app().await;
    let (browser, csrf) = app.browser_as(Role::Coordinator).await;
    let (status, html) = page(&app, &browser, "/campaigns/new").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("campaign-form"));
    let bad =
        [("_csrf", csrf.as_str()), ("name", "情暖西城"), ("starts_on", "2026-12-31"), ("ends_on", "2026-01-01"), ("themes", "health")];
    let r = submit(&app, &browser, "/campaigns", &bad).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.unwrap().contains("结束时间必须晚于开始时间"));
    let (from, to) = (day(-70), day(300));
    let good = [
        ("_csrf", csrf.as_str()),
        ("name", "情暖西城"),
        ("starts_on", &from),
        ("ends_on", &to),
        ("themes", "health"),
        ("themes", "green"),
        ("goal_activities", "12"),
    ];
    let r = submit(&app, &browser, "/campaigns", &good).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let at = location(&r);
    let id: i64 = at.trim_start_matches("/campaigns/").split('?').next().unwrap().parse().unwrap();

    // A slot outside the campaign is refused beside its field; an owing one in the past is kept.
    let d1 = app.fx.districts[1].to_string();
    let (old_from, old_to, far) = (day(-60), day(-30), day(400));
    let outside = [
        ("_csrf", csrf.as_str()),
        ("district_id", d1.as_str()),
        ("theme", "green"),
        ("starts_on", old_from.as_str()),
        ("ends_on", far.as_str()),
    ];
    let r = submit(&app, &browser, &format!("/campaigns/{id}/slots"), &outside).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.unwrap().contains("不在活动年的日期范围内"));
    let owing = [
        ("_csrf", csrf.as_str()),
        ("district_id", d1.as_str()),
        ("theme", "green"),
        ("starts_on", old_from.as_str()),
        ("ends_on", old_to.as_str()),
    ];
    assert_eq!(submit(&app, &browser, &format!("/campaigns/{id}/slots"), &owing).await.status(), StatusCode::SEE_OTHER);
    let (_, html) = page(&app, &browser, &format!("/campaigns/{id}")).await;
    assert!(html.contains("slot-owing") && html.contains("<progress"), "{html}");
    assert!(html.contains("没有轮值时段"), "district 0 has no slot: a clash");

    // The owing month's calendar shows the gap, whose link pre-fills the plan form.
    let month = &old_from[..7];
    let (_, html) = page(&app, &browser, &format!("/campaigns/{id}/calendar?month={month}")).await;
    let link = format!("/activities/new?district_id={d1}&amp;theme=green&amp;date=");
    let at = html.find(&link).unwrap_or_else(|| panic!("a gap link: {html}"));
    let href = html[at..].split('"').next().unwrap().replace("&amp;", "&");
    let (status, form) = page(&app, &browser, &href).await;
    assert_eq!(status, StatusCode::OK);
    assert!(form.contains(r#"<option value="green" selected>"#), "the theme pre-filled");
    assert!(form.contains(&format!("value=\"{}T09:00\"", href.rsplit('=').next().unwrap())), "the day pre-filled");
    assert!(form.contains(&format!(r#"<option value="{}" selected>"#, app.fx.communities[1])), "the district's community");
    let (status, year) = page(&app, &browser, &format!("/campaigns/{id}/year")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(year.contains("gap-cell"));
    let r = browser.get(app.url(&format!("/campaigns/{id}/rotation.xlsx"))).send().await.unwrap();
    assert!(r.headers()["content-type"].to_str().unwrap().contains("spreadsheet"));

    // The first screens: the coordinator sees the owing slot, and so does district 1's liaison (unit 1's teams serve there).
    let (_, home) = page(&app, &browser, "/").await;
    assert!(home.contains("home-slots") && home.contains("slot-owing"), "{home}");
    let c = body(app.get(Role::Coordinator, &format!("/api/v1/campaigns/{id}")).await).await;
    assert_eq!(c["slots"][0]["status"], "owing");
}

#[tokio::test]
async fn the_rotation_feed_lists_slots_as_all_day_events() {
    let app = spawn_app().await;
    let input = json!({"name": "情暖西城", "starts_on": day(-10), "ends_on": day(300), "themes": ["health"]});
    let id = body(app.post(Role::Coordinator, "/api/v1/campaigns", &input).await).await["id"].as_i64().unwrap();
    let slot = json!({"district_id": app.fx.districts[0], "theme": "health", "starts_on": day(0), "ends_on": day(20)});
    assert_eq!(app.post(Role::Coordinator, &format!("/api/v1/campaigns/{id}/slots"), &slot).await.status(), StatusCode::CREATED);
    let token = app.svc.campaign_feed_token(&app.user(Role::Coordinator).await, id).await.unwrap();
    let ics = app.api.get(app.url(&format!("/ical/{token}.ics"))).send().await.unwrap().text().await.unwrap();
    assert!(ics.contains(&format!("DTSTART;VALUE=DATE:{}", day(0).replace('-', ""))), "{ics}");
    assert!(ics.contains(&format!("DTEND;VALUE=DATE:{}", day(21).replace('-', ""))), "{ics}");
}

#[tokio::test]
async fn editing_on_the_page_keeps_the_goals_the_form_does_not_show() {
    let app = spawn_app().await;
    let d = app.fx.districts[0];
    let input = json!({"name": "情暖西城", "starts_on": day(-10), "ends_on": day(300), "themes": ["health"],
                       "goals": [{"metric": "people_served", "district_id": d, "target": 4},
                                 {"metric": "hours", "theme": "health", "target": 30},
                                 {"metric": "activities", "district_id": d, "target": 5},
                                 {"metric": "hours", "target": 50}]});
    let id = body(app.post(Role::Coordinator, "/api/v1/campaigns", &input).await).await["id"].as_i64().unwrap();
    let (browser, csrf) = app.browser_as(Role::Coordinator).await;
    // The edit form shows each district's activities and hours goals, filled in.
    let (status, html) = page(&app, &browser, &format!("/campaigns/{id}/edit")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains(&format!(r#"name="goal_activities_d{d}" value="5""#)), "{html}");
    assert!(html.contains(&format!(r#"name="goal_hours_d{d}" value="""#)), "{html}");
    let (from, to) = (day(-10), day(300));
    let (acts, hours) = (format!("goal_activities_d{d}"), format!("goal_hours_d{d}"));
    let form = [
        ("_csrf", csrf.as_str()),
        ("name", "情暖西城 携手同行"),
        ("starts_on", &from),
        ("ends_on", &to),
        ("themes", "health"),
        ("goal_hours", "80"),
        (acts.as_str(), "6"),
        (hours.as_str(), "120"),
    ];
    let r = submit(&app, &browser, &format!("/campaigns/{id}/edit"), &form).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let c = body(app.get(Role::Coordinator, &format!("/api/v1/campaigns/{id}")).await).await;
    assert_eq!(c["name"], "情暖西城 携手同行");
    let goals = c["goals"].as_array().unwrap();
    let has = |metric: &str, district: Option<i64>, theme: Option<&str>, target: f64| {
        goals.iter().any(|g| {
            g["metric"] == metric && g["district_id"].as_i64() == district && g["theme"].as_str() == theme && g["target"] == target
        })
    };
    // Kept: goals with no field on the form.
    assert!(has("people_served", Some(d), None, 4.0), "{c}");
    assert!(has("hours", None, Some("health"), 30.0), "{c}");
    // Set from the form: overall, and per district.
    assert!(has("hours", None, None, 80.0), "{c}");
    assert!(has("activities", Some(d), None, 6.0), "{c}");
    assert!(has("hours", Some(d), None, 120.0), "{c}");
    assert_eq!(goals.len(), 5, "{c}");
}
