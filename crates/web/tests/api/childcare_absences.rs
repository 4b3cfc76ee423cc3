//! 子女照辅班 absences (请假, issue #16): the guardian reports from their page
//! (or the class's staff record what the guardian phoned in), once per day;
//! the day sheet and the guardian's page show it; an absent child raises no
//! late drop-off alert, and the head hears once per class about the rest.

use chrono::{Duration, NaiveDate, TimeZone};
use reqwest::StatusCode;
use serde_json::{json, Value};
use tongxing_domain::role::Role;
use tongxing_service::Settings;

use crate::childcare::{class, enrol, form, today, weekday_from};
use crate::helpers::{body, expect_error, spawn_app_with, TestApp};

fn clock(day: NaiveDate, h: u32, m: u32) -> i64 {
    tongxing_domain::time::region_offset().from_local_datetime(&day.and_hms_opt(h, m, 0).unwrap()).unwrap().timestamp_millis()
}

async fn report(app: &TestApp, code: &str, b: Value) -> reqwest::Response {
    app.api.post(app.url(&format!("/api/v1/childcare/enrolments/{code}/absences"))).json(&b).send().await.unwrap()
}

#[tokio::test]
async fn an_absent_child_is_not_waited_for_and_the_head_hears_once_about_the_late_ones() {
    let app = spawn_app_with(Settings { sms_gateway_url: Some("http://127.0.0.1:9/sms".into()), ..Settings::default() }).await;
    let c = class(&app, 30).await;
    let mut kids = Vec::new();
    for (name, phone) in [
        ("王小雨", "13911110001"),
        ("李小雪", "13911110002"),
        ("张小山", "13911110003"),
        ("赵小河", "13911110004"),
        ("钱小溪", "13911110005"),
    ] {
        let r = enrol(&app, c, &form(name, phone)).await;
        assert_eq!(r.status(), StatusCode::CREATED);
        let b = body(r).await;
        kids.push((b["id"].as_i64().unwrap(), b["code"].as_str().unwrap().to_string(), phone));
    }
    let day = weekday_from(today() + Duration::days(1));
    // The guardian reports; a repeat records nothing new.
    let b = json!({"phone": kids[0].2, "date": day.to_string(), "reason": "孩子发烧在家休息"});
    let r = report(&app, &kids[0].1, b.clone()).await;
    assert_eq!(r.status(), StatusCode::CREATED);
    assert_eq!(body(r).await["new"], true);
    let r = report(&app, &kids[0].1, b).await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(body(r).await["new"], false);
    // A wrong mobile finds nothing; a day without class, or gone by, is refused.
    let wrong = report(&app, &kids[0].1, json!({"phone": "13800000000", "date": day.to_string()})).await;
    assert_eq!(wrong.status(), StatusCode::NOT_FOUND);
    let saturday = day + Duration::days(i64::from(6 - chrono::Datelike::weekday(&day).number_from_monday()));
    let r = report(&app, &kids[0].1, json!({"phone": kids[0].2, "date": saturday.to_string()})).await;
    expect_error(r, StatusCode::UNPROCESSABLE_ENTITY, "no_class_that_day").await;
    let r = report(&app, &kids[0].1, json!({"phone": kids[0].2, "date": (today() - Duration::days(1)).to_string()})).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    // The class's head records an absence the second guardian phoned in (audited).
    let staff = json!({"enrolment_id": kids[1].0, "date": day.to_string(), "reason": "随父母回老家"});
    let r = app.post(Role::Volunteer, &format!("/api/v1/childcare/classes/{c}/absences"), &staff).await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let r = app.post(Role::TeamLeader, &format!("/api/v1/childcare/classes/{c}/absences"), &staff).await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN, "only the class's own staff and the center");
    // The guardian's page lists it, and the day shows it.
    let url = app.url(&format!("/api/v1/childcare/enrolments/{}?phone={}&date={day}", kids[0].1, kids[0].2));
    let view = body(app.api.get(url).send().await.unwrap()).await;
    assert_eq!(view["day"]["absent"], true);
    assert_eq!(view["day"]["absence_reason"], "孩子发烧在家休息");
    assert_eq!(view["absences"][0]["date"], day.to_string());
    assert_eq!(view["absences"][0]["by_guardian"], true);
    let sheet = body(app.get(Role::Volunteer, &format!("/api/v1/childcare/classes/{c}/days/{day}")).await).await;
    let absent: Vec<&str> =
        sheet["children"].as_array().unwrap().iter().filter(|k| k["absent"] == true).map(|k| k["child_name"].as_str().unwrap()).collect();
    assert_eq!(absent, ["王小雨", "李小雪"]);
    // A child already at the door that day cannot be excused for it.
    let door = json!({"enrolment_id": kids[2].0, "kind": "in", "by_name": "王建国", "at": crate::childcare::at(day, "08:05")});
    assert_eq!(app.post(Role::Volunteer, &format!("/api/v1/childcare/classes/{c}/attendance"), &door).await.status(), StatusCode::CREATED);
    let r = report(&app, &kids[2].1, json!({"phone": kids[2].2, "date": day.to_string()})).await;
    expect_error(r, StatusCode::CONFLICT, "already_checked_in").await;
    // An hour after the start: the two neither in nor reported are late; the head is told once, each of their guardians once.
    assert_eq!(app.svc.raise_childcare_alerts(clock(day, 9, 1)).await.unwrap(), 2);
    let head = app.user(Role::Volunteer).await.id;
    let told =
        tongxing_store::notifications::list(&app.svc.db, head, tongxing_domain::paging::Page { page: 1, per_page: 20 }).await.unwrap();
    assert_eq!(told.0.items.iter().filter(|n| n.kind == "childcare_late_in").count(), 1, "one notification per class, not per child");
    let sms = tongxing_store::outbox::list(&app.svc.db, None, tongxing_domain::paging::Page { page: 1, per_page: 50 }).await.unwrap();
    let to = |phone: &str| sms.items.iter().filter(|d| d.target == phone).count();
    assert_eq!((to(kids[0].2), to(kids[1].2), to(kids[2].2), to(kids[3].2), to(kids[4].2)), (0, 0, 0, 1, 1));
}
