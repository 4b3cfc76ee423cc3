//! 子女照辅班's late drop-off alert (issue #16), with the clock driven: a
//! child not in an hour after the start alerts the head and the guardian
//! once, however many instances look; not before the hour, not on a weekend,
//! not for a child who came.

use chrono::{Datelike, Duration, NaiveDate, TimeZone, Weekday};
use reqwest::StatusCode;
use serde_json::json;
use tongxing_domain::role::Role;
use tongxing_service::Settings;

use crate::childcare::{at, class, enrol, form, today, weekday_from};
use crate::helpers::{body, spawn_app_with};

/// Unix ms of `day` at `h:m` in the region.
fn clock(day: NaiveDate, h: u32, m: u32) -> i64 {
    tongxing_domain::time::region_offset().from_local_datetime(&day.and_hms_opt(h, m, 0).unwrap()).unwrap().timestamp_millis()
}

#[tokio::test]
async fn a_child_not_in_an_hour_after_the_start_alerts_the_head_and_guardian_once_across_two_instances() {
    let app = spawn_app_with(Settings { sms_gateway_url: Some("http://127.0.0.1:9/sms".into()), ..Settings::default() }).await;
    let c = class(&app, 30).await;
    assert_eq!(enrol(&app, c, &form("王小雨", "13911112222")).await.status(), StatusCode::CREATED);
    let came = body(enrol(&app, c, &form("李小雪", "13911113333")).await).await["id"].as_i64().unwrap();
    let day = weekday_from(today() + Duration::days(1));
    let b = json!({"enrolment_id": came, "kind": "in", "by_name": "王建国", "at": at(day, "08:05")});
    assert_eq!(app.post(Role::Volunteer, &format!("/api/v1/childcare/classes/{c}/attendance"), &b).await.status(), StatusCode::CREATED);
    // The class opens at 08:00: nothing until an hour has passed.
    assert_eq!(app.svc.raise_childcare_alerts(clock(day, 8, 59)).await.unwrap(), 0);
    let saturday = day + Duration::days(i64::from(Weekday::Sat.num_days_from_monday() - day.weekday().num_days_from_monday()));
    assert_eq!(app.svc.raise_childcare_alerts(clock(saturday, 10, 0)).await.unwrap(), 0, "no class, no alert");
    // The second instance runs with the same settings (an SMS gateway), whichever of the two raises the alert.
    let sms = Settings { sms_gateway_url: Some("http://127.0.0.1:9/sms".into()), ..Settings::default() };
    let other = crate::helpers::service_with(&app.db_url, &tongxing_service::crypto::generate_key(), sms).await;
    let (a, b) = tokio::join!(app.svc.raise_childcare_alerts(clock(day, 9, 1)), other.raise_childcare_alerts(clock(day, 9, 1)));
    assert_eq!(a.unwrap() + b.unwrap(), 1, "one alert, for the child who did not come, between two instances");
    assert_eq!(app.svc.raise_childcare_alerts(clock(day, 9, 30)).await.unwrap(), 0, "and never again that day");
    let head = app.user(Role::Volunteer).await.id;
    let told =
        tongxing_store::notifications::list(&app.svc.db, head, tongxing_domain::paging::Page { page: 1, per_page: 10 }).await.unwrap();
    let notes: Vec<_> = told.0.items.iter().filter(|n| n.kind == "childcare_late_in").collect();
    assert_eq!(notes.len(), 1, "the head is told once");
    assert!(!notes[0].detail.as_deref().unwrap_or("").contains("王小雨"), "the notification names the class, not the child");
    let sms = tongxing_store::outbox::list(&app.svc.db, None, tongxing_domain::paging::Page { page: 1, per_page: 50 }).await.unwrap();
    assert_eq!(sms.items.iter().filter(|d| d.target == "13911112222").count(), 1, "the guardian is told once");
    assert_eq!(sms.items.iter().filter(|d| d.target == "13911113333").count(), 0, "not the guardian whose child came");
}
