//! The activity pages: the list near a community and its filters, the month
//! calendar, signing up through the form (confirmed, waitlisted, refused),
//! the plan form (a weekly series, errors next to their field) and copying.

use chrono::{Datelike, Duration, FixedOffset, NaiveDate, TimeZone};
use reqwest::StatusCode;
use serde_json::{json, Value};
use tongxing_domain::role::Role;
use tongxing_domain::time::rfc3339;
use tongxing_store::now_ms;

use crate::helpers::{body, spawn_app, TestApp};
use crate::pages::{location, page, submit};

const HOUR: i64 = 3_600_000;
const DAY: i64 = 24 * HOUR;

/// Plans an activity of team 0 through the API; returns its id.
pub(crate) async fn plan(app: &TestApp, title: &str, community: i64, starts: i64, capacity: i64, extra: Value) -> i64 {
    let mut b = json!({"title": title, "team_id": app.fx.teams[0], "community_id": community,
                       "starts_at": rfc3339(starts), "ends_at": rfc3339(starts + 2 * HOUR), "capacity": capacity});
    for (k, v) in extra.as_object().unwrap() {
        b[k] = v.clone();
    }
    let r = app.post(Role::TeamLeader, "/api/v1/activities", &b).await;
    assert_eq!(r.status(), StatusCode::CREATED);
    body(r).await["id"].as_i64().unwrap()
}

/// 09:00 in the region on `day`, as unix milliseconds.
fn nine_on(day: NaiveDate) -> i64 {
    FixedOffset::east_opt(8 * 3600).unwrap().from_local_datetime(&day.and_hms_opt(9, 0, 0).unwrap()).unwrap().timestamp_millis()
}

fn region_day(ms: i64) -> NaiveDate {
    tongxing_domain::time::region_date(ms)
}

#[tokio::test]
async fn the_list_shows_upcoming_activities_near_the_volunteers_community_and_filters() {
    let app = spawn_app().await;
    let [c0, c1] = app.fx.communities;
    let soon = nine_on(region_day(now_ms() + 2 * DAY));
    plan(&app, "雅苑敬老院义剪", c0, soon, 5, json!({"theme": "happiness", "risky": true, "insurance": "PICC-1", "adults_only": true}))
        .await;
    plan(&app, "振兴小区垃圾分类", c1, soon + DAY, 1, json!({"theme": "green"})).await;
    plan(&app, "上周的活动", c0, soon - 9 * DAY, 5, json!({})).await;
    let (volunteer, _) = app.browser_as(Role::Volunteer).await;
    // The volunteer lives in 雅苑小区: their community is the default.
    let (status, html) = page(&app, &volunteer, "/activities").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("雅苑敬老院义剪") && !html.contains("振兴小区垃圾分类"), "{html}");
    assert!(!html.contains("上周的活动"), "ended activities are not listed");
    assert!(html.contains("幸福") && html.contains("有风险") && html.contains("仅限成年人"), "theme badge and marks");
    assert!(html.contains("剩余 5 个名额（共 5 个）"), "places left");
    assert!(html.contains("href=\"/activities\""), "the navigation has 活动");
    // Another community, or all of them.
    let (_, other) = page(&app, &volunteer, &format!("/activities?community_id={c1}")).await;
    assert!(other.contains("振兴小区垃圾分类") && !other.contains("雅苑敬老院义剪"));
    let (_, all) = page(&app, &volunteer, "/activities?community_id=").await;
    assert!(all.contains("振兴小区垃圾分类") && all.contains("雅苑敬老院义剪"));
    // Theme, "has places" and a date range narrow it.
    let (_, green) = page(&app, &volunteer, "/activities?community_id=&theme=green").await;
    assert!(green.contains("振兴小区垃圾分类") && !green.contains("雅苑敬老院义剪"));
    let other_vol = app.fx.volunteers[2];
    let full = plan(&app, "满员的活动", c1, soon + 3 * DAY, 1, json!({})).await;
    let r = app.post(Role::Coordinator, &format!("/api/v1/activities/{full}/signups"), &json!({"volunteer_id": other_vol})).await;
    assert_eq!(body(r).await["status"], "confirmed");
    let (_, open) = page(&app, &volunteer, "/activities?community_id=&has_places=true").await;
    assert!(open.contains("振兴小区垃圾分类") && !open.contains("满员的活动"));
    let first_day = region_day(soon).to_string();
    let (_, one_day) = page(&app, &volunteer, &format!("/activities?community_id=&from={first_day}&to={first_day}")).await;
    assert!(one_day.contains("雅苑敬老院义剪") && !one_day.contains("振兴小区垃圾分类"));
}

#[tokio::test]
async fn the_calendar_shows_an_activity_on_its_day() {
    let app = spawn_app().await;
    let day = region_day(now_ms() + 40 * DAY);
    plan(&app, "健康义诊进社区", app.fx.communities[0], nine_on(day), 10, json!({"theme": "health"})).await;
    let (client, _) = app.browser_as(Role::Coordinator).await;
    let month = format!("{}-{:02}", day.year(), day.month());
    let (status, html) = page(&app, &client, &format!("/activities?view=calendar&month={month}")).await;
    assert_eq!(status, StatusCode::OK);
    let anchor = format!("d-{day}");
    assert!(html.contains(&format!("href=\"#{anchor}\"")), "the grid links the day");
    let section = html.split(&format!("id=\"{anchor}\"")).nth(1).expect("a section for the day");
    let section = section.split("</section>").next().unwrap();
    assert!(section.contains("健康义诊进社区") && section.contains("健康"), "{section}");
    assert!(html.contains("本月主题"), "the month's themes are shown");
    // Another month does not show it.
    let other = day.checked_add_months(chrono::Months::new(1)).unwrap();
    let (_, later) = page(&app, &client, &format!("/activities?view=calendar&month={}-{:02}", other.year(), other.month())).await;
    assert!(!later.contains("健康义诊进社区"));
}

#[tokio::test]
async fn a_volunteer_signs_up_through_the_form_and_is_confirmed_then_waitlisted_then_refused() {
    let app = spawn_app().await;
    let c0 = app.fx.communities[0];
    let start = nine_on(region_day(now_ms() + 3 * DAY));
    let open = plan(&app, "社区义剪", c0, start, 2, json!({"roles": [{"name": "理发师", "capacity": 1}]})).await;
    let full = plan(&app, "满员的义诊", c0, start + DAY, 1, json!({})).await;
    let clash = plan(&app, "同一时间的活动", c0, start + HOUR, 5, json!({})).await;
    let r =
        app.post(Role::Coordinator, &format!("/api/v1/activities/{full}/signups"), &json!({"volunteer_id": app.fx.volunteers[1]})).await;
    assert_eq!(body(r).await["status"], "confirmed");
    let (browser, csrf) = app.browser_as(Role::Volunteer).await;
    let (_, html) = page(&app, &browser, &format!("/activities/{open}")).await;
    assert!(html.contains("id=\"signup-form\"") && html.contains("理发师"), "a sign-up form with the roles");
    assert!(!html.contains(&format!("/activities/{open}/roster")), "a volunteer does not get the roster link");

    let resp = submit(&app, &browser, &format!("/activities/{open}/signup"), &[("_csrf", &csrf), ("role_id", "")]).await;
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&resp), format!("/activities/{open}?flash=signup_confirmed"));
    let (_, html) = page(&app, &browser, &location(&resp)).await;
    assert!(html.contains("报名成功，名额已确认") && html.contains("您已报名成功（已确认）"), "{html}");
    assert!(html.contains("取消报名"));

    let resp = submit(&app, &browser, &format!("/activities/{full}/signup"), &[("_csrf", &csrf)]).await;
    assert_eq!(location(&resp), format!("/activities/{full}?flash=signup_waitlisted"));
    let (_, html) = page(&app, &browser, &location(&resp)).await;
    assert!(html.contains("您在候补名单中"), "{html}");

    // Overlapping the confirmed one: refused, with the reason from the catalogue.
    let resp = submit(&app, &browser, &format!("/activities/{clash}/signup"), &[("_csrf", &csrf)]).await;
    assert_eq!(resp.status(), StatusCode::CONFLICT);
    assert!(resp.text().await.unwrap().contains("与已报名的其他活动时间冲突"));
    let risky = plan(&app, "高空清洁", c0, start + 2 * DAY, 5, json!({"risky": true})).await;
    let resp = submit(&app, &browser, &format!("/activities/{risky}/signup"), &[("_csrf", &csrf)]).await;
    assert_eq!(resp.status(), StatusCode::CONFLICT);
    assert!(resp.text().await.unwrap().contains("须先登记意外保险"), "insurance_required, in words");

    // Cancelling frees the place; the page offers the sign-up again.
    let resp = submit(&app, &browser, &format!("/activities/{open}/cancel-signup"), &[("_csrf", &csrf)]).await;
    assert_eq!(location(&resp), format!("/activities/{open}?flash=signup_cancelled"));
    let (_, html) = page(&app, &browser, &location(&resp)).await;
    assert!(html.contains("id=\"signup-form\"") && html.contains("剩余 2 个名额"));
}

#[tokio::test]
async fn leaders_see_the_counts_the_roster_link_and_copy() {
    let app = spawn_app().await;
    let id = plan(&app, "周末助老", app.fx.communities[0], now_ms() + 5 * DAY, 4, json!({})).await;
    let r = app.post(Role::Coordinator, &format!("/api/v1/activities/{id}/signups"), &json!({"volunteer_id": app.fx.volunteers[1]})).await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let (leader, _) = app.browser_as(Role::TeamLeader).await;
    let (_, html) = page(&app, &leader, &format!("/activities/{id}")).await;
    assert!(html.contains("已确认 1 / 4，候补 0 人"), "{html}");
    assert!(html.contains(&format!("href=\"/activities/{id}/roster\"")) && html.contains(&format!("/activities/new?copy={id}")));
    let other_leader = app.leader_of(app.fx.teams[1], "leader2").await;
    let (other, _) = app.browser_with(&other_leader).await;
    let (_, html) = page(&app, &other, &format!("/activities/{id}")).await;
    assert!(!html.contains("/roster\""), "another team's leader does not run it");
}

#[tokio::test]
async fn a_leader_cancels_an_activity_before_it_begins_and_everyone_signed_up_is_told() {
    let app = spawn_app().await;
    let id = plan(&app, "周末助老", app.fx.communities[0], now_ms() + 5 * DAY, 4, json!({})).await;
    let r = app.post(Role::Volunteer, &format!("/api/v1/activities/{id}/signups"), &json!({"volunteer_id": app.fx.volunteers[0]})).await;
    assert_eq!(r.status(), StatusCode::CREATED);
    // Another team's leader may not; a volunteer sees no cancel button.
    let other_leader = app.leader_of(app.fx.teams[1], "leader2").await;
    let r = app.api.post(app.url(&format!("/api/v1/activities/{id}/cancel"))).bearer_auth(&other_leader).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let (volunteer, _) = app.browser_as(Role::Volunteer).await;
    let (_, html) = page(&app, &volunteer, &format!("/activities/{id}")).await;
    assert!(!html.contains("activity-cancel"));
    // The leader cancels on the page, confirming who will be told.
    let (leader, csrf) = app.browser_as(Role::TeamLeader).await;
    let (_, html) = page(&app, &leader, &format!("/activities/{id}")).await;
    assert!(html.contains("id=\"activity-cancel\"") && html.contains("已报名和候补的 1 人会收到通知"), "{html}");
    let r = submit(&app, &leader, &format!("/activities/{id}/cancel"), &[("_csrf", csrf.as_str()), ("confirm", "yes")]).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let (_, html) = page(&app, &leader, &format!("/activities/{id}")).await;
    assert!(html.contains("活动已取消") && !html.contains("id=\"activity-cancel\""), "{html}");
    let inbox = body(app.get(Role::Volunteer, "/api/v1/notifications").await).await;
    assert!(inbox.to_string().contains("activity_cancelled"), "the volunteer is told: {inbox}");
    // Again through the API: already cancelled, nothing more happens.
    let again = body(app.post(Role::TeamLeader, &format!("/api/v1/activities/{id}/cancel"), &json!({})).await).await;
    assert_eq!(again["cancelled"], false);
    // A begun activity stays: its check-ins and hours are the record.
    let begun = plan(&app, "正在进行", app.fx.communities[0], now_ms() - HOUR, 4, json!({})).await;
    let r = app.post(Role::Coordinator, &format!("/api/v1/activities/{begun}/cancel"), &json!({})).await;
    assert_eq!(r.status(), StatusCode::CONFLICT);
    assert_eq!(body(r).await["error"]["code"], "activity_started");
}

/// The plan form's fields for a valid plan, with `set` replace_rank some.
fn plan_form<'a>(csrf: &'a str, team: &'a str, community: &'a str, set: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    let mut f = vec![
        ("_csrf", csrf),
        ("title", "每周六助老"),
        ("team_id", team),
        ("community_id", community),
        ("theme", "harmony"),
        ("starts_at", "2030-03-02T09:00"),
        ("ends_at", "2030-03-02T11:00"),
        ("capacity", "6"),
        ("repeat_weeks", "3"),
        ("role_name_1", "引导员"),
        ("role_capacity_1", "2"),
        ("adults_only", "true"),
    ];
    for (k, v) in set {
        f.retain(|(name, _)| name != k);
        f.push((k, v));
    }
    f
}

#[tokio::test]
async fn the_plan_form_creates_a_weekly_series_and_puts_a_bad_end_next_to_its_field() {
    let app = spawn_app().await;
    let (leader, csrf) = app.browser_as(Role::TeamLeader).await;
    let (status, html) = page(&app, &leader, "/activities/new").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("id=\"activity-form\"") && html.contains("type=\"datetime-local\""));
    let (team, community) = (app.fx.teams[0].to_string(), app.fx.communities[0].to_string());
    let resp = submit(&app, &leader, "/activities", &plan_form(&csrf, &team, &community, &[])).await;
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    let to = location(&resp);
    assert!(to.ends_with("?flash=planned_series"), "{to}");
    let list = body(app.get(Role::Coordinator, &format!("/api/v1/activities?team_id={team}&from=2030-01-01T00:00:00%2B08:00")).await).await;
    assert_eq!(list["total"], 4, "the first session and three weekly repeats: {list}");
    let starts: Vec<&str> = list["items"].as_array().unwrap().iter().map(|a| a["starts_at"].as_str().unwrap()).collect();
    assert_eq!(
        starts,
        ["2030-03-02T09:00:00+08:00", "2030-03-09T09:00:00+08:00", "2030-03-16T09:00:00+08:00", "2030-03-23T09:00:00+08:00"]
    );
    let first = body(app.get(Role::Coordinator, &format!("/api/v1/activities/{}", list["items"][0]["id"])).await).await;
    assert_eq!(first["roles"][0]["name"], "引导员");
    assert_eq!(first["adults_only"], true);
    assert_eq!(list["items"][0]["theme"], "harmony");
    let (_, detail) = page(&app, &leader, &to).await;
    assert!(detail.contains("每周六助老") && detail.contains("每周系列活动已发布"));

    // An end before the start: 422, the message right under the end field, the typed values kept.
    let bad = plan_form(&csrf, &team, &community, &[("ends_at", "2030-03-02T08:00"), ("capacity", "abc")]);
    let resp = submit(&app, &leader, "/activities", &bad).await;
    assert_eq!(resp.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = resp.text().await.unwrap();
    let end_field = html.split("id=\"f-ends_at\"").nth(1).expect("the end field").split("<div class=\"field").next().unwrap();
    assert!(end_field.contains("field-error") && end_field.contains("结束时间必须晚于开始时间"), "{end_field}");
    let capacity_field = html.split("id=\"f-capacity\"").nth(1).unwrap().split("<div class=\"field").next().unwrap();
    assert!(capacity_field.contains("请输入数字"), "{capacity_field}");
    assert!(html.contains("value=\"每周六助老\""), "what was typed stays");
    // A leader cannot plan for another team.
    let other = app.fx.teams[1].to_string();
    let resp = submit(&app, &leader, "/activities", &plan_form(&csrf, &other, &community, &[])).await;
    assert_eq!(resp.status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn copying_prefills_the_form_on_the_same_weekday_ahead() {
    let app = spawn_app().await;
    let past = nine_on(region_day(now_ms() - 10 * DAY));
    let roles = json!([{"name": "摄影", "capacity": 1}]);
    let id = plan(&app, "上次的环保行动", app.fx.communities[1], past, 8, json!({"theme": "green", "roles": roles, "address": "振兴广场"}))
        .await;
    let (leader, _) = app.browser_as(Role::TeamLeader).await;
    let (status, html) = page(&app, &leader, &format!("/activities/new?copy={id}")).await;
    assert_eq!(status, StatusCode::OK);
    for v in ["上次的环保行动", "振兴广场", "摄影", "8"] {
        assert!(html.contains(&format!("value=\"{v}\"")), "prefilled {v}");
    }
    assert!(html.contains("<option value=\"green\" selected>"), "the theme is chosen");
    // Ten days ago + two weeks: four days ahead, the same weekday.
    let moved = region_day(past) + Duration::days(14);
    assert_eq!(moved.weekday(), region_day(past).weekday());
    assert!(html.contains(&format!("value=\"{moved}T09:00\"")), "{html}");
    assert!(html.contains(&format!("value=\"{moved}T11:00\"")));
    let (volunteer, _) = app.browser_as(Role::Volunteer).await;
    assert_eq!(page(&app, &volunteer, "/activities/new").await.0, StatusCode::FORBIDDEN);
}
