//! 子女照辅班 over HTTP (issue #16): terms and classes, public enrolment
//! racing for places, the waitlist in priority order, the door with its
//! pick-up rule, the day sheet, the guardian's page and the late alerts —
//! on whichever database the run uses.

use chrono::{Datelike, Duration, NaiveDate, TimeZone, Weekday};
use reqwest::StatusCode;
use serde_json::{json, Value};
use tongxing_domain::role::Role;
use tongxing_service::auth::NewAccount;
use tongxing_service::Settings;

use crate::helpers::{body, expect_error, password, spawn_app, spawn_app_with, TestApp};

pub fn today() -> NaiveDate {
    tongxing_domain::time::region_date(tongxing_store::now_ms())
}

/// The first weekday from `d` on.
pub fn weekday_from(mut d: NaiveDate) -> NaiveDate {
    while matches!(d.weekday(), Weekday::Sat | Weekday::Sun) {
        d += Duration::days(1);
    }
    d
}

/// `day` at `hh:mm` in the region, RFC 3339.
pub fn at(day: NaiveDate, hm: &str) -> String {
    format!("{day}T{hm}:00+08:00")
}

/// A term running from today for three weeks, and a class of `capacity`
/// headed by the fixture volunteer (the Volunteer role's account), staffed by team 0.
pub async fn class(app: &TestApp, capacity: i64) -> i64 {
    let from = today();
    let term =
        json!({"name": format!("{} 暑期", from.year()), "starts_on": from.to_string(), "ends_on": (from + Duration::days(21)).to_string()});
    let r = app.post(Role::Coordinator, "/api/v1/childcare/terms", &term).await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let term_id = body(r).await["id"].as_i64().unwrap();
    let c = json!({"term_id": term_id, "name": "现河采油厂照辅一班", "community_id": app.fx.communities[0], "address": "雅苑小区活动中心",
                   "min_age": 6, "max_age": 12, "capacity": capacity, "children_per_caretaker": 10, "daily_from": "08:00", "daily_to": "17:30",
                   "head_volunteer_id": app.fx.volunteers[0], "team_id": app.fx.teams[0]});
    let r = app.post(Role::Coordinator, "/api/v1/childcare/classes", &c).await;
    assert_eq!(r.status(), StatusCode::CREATED);
    body(r).await["id"].as_i64().unwrap()
}

pub fn form(child: &str, phone: &str) -> Value {
    json!({"child_name": child, "birth_date": "2017-05-01", "guardian_name": "王建国", "guardian_phone": phone,
           "pickups": [{"name": "王建国", "relation": "父亲", "phone": phone}, {"name": "李秀英", "relation": "外婆", "phone": "13700001111"}],
           "allergies": "花生", "consent": true})
}

pub async fn enrol(app: &TestApp, class: i64, b: &Value) -> reqwest::Response {
    app.api.post(app.url(&format!("/api/v1/childcare/classes/{class}/enrolments"))).json(b).send().await.unwrap()
}

async fn door(app: &TestApp, role: Role, class: i64, b: Value) -> reqwest::Response {
    app.post(role, &format!("/api/v1/childcare/classes/{class}/attendance"), &b).await
}

#[tokio::test]
async fn the_center_opens_terms_and_classes_and_a_new_term_copies_the_last_ones_classes() {
    let app = spawn_app().await;
    let id = class(&app, 30).await;
    let list = body(app.get(Role::Volunteer, "/api/v1/childcare/classes").await).await;
    assert_eq!(list["total"], 1);
    assert_eq!(list["items"][0]["id"], id);
    assert_eq!(list["items"][0]["enrolled"], 0);
    let next = today() + Duration::days(150);
    let winter = json!({"name": "寒假", "starts_on": next.to_string(), "ends_on": (next + Duration::days(30)).to_string()});
    let t = body(app.post(Role::Coordinator, "/api/v1/childcare/terms", &winter).await).await["id"].as_i64().unwrap();
    let copied = body(app.get(Role::Coordinator, &format!("/api/v1/childcare/classes?term_id={t}")).await).await;
    assert_eq!(copied["total"], 1, "the winter term starts from the summer's classes");
    assert_eq!(copied["items"][0]["name"], "现河采油厂照辅一班");
    for role in [Role::Liaison, Role::TeamLeader, Role::Volunteer, Role::Viewer] {
        expect_error(app.post(role, "/api/v1/childcare/terms", &winter).await, StatusCode::FORBIDDEN, "forbidden").await;
    }
    let bad = json!({"term_id": t, "name": "倒班", "community_id": app.fx.communities[0], "min_age": 6, "max_age": 12, "capacity": 30,
                     "children_per_caretaker": 10, "daily_from": "18:00", "daily_to": "08:00"});
    let e =
        expect_error(app.post(Role::Coordinator, "/api/v1/childcare/classes", &bad).await, StatusCode::UNPROCESSABLE_ENTITY, "clock_order")
            .await;
    assert_eq!(e["field"], "daily_to");
    let x = app.get(Role::Coordinator, "/api/v1/childcare/classes?format=xlsx").await;
    assert_eq!(x.status(), StatusCode::OK);
    assert!(x.headers()["content-type"].to_str().unwrap().contains("spreadsheet"));
}

#[tokio::test]
async fn bad_enrolments_are_refused_with_the_field_at_fault() {
    let app = spawn_app().await;
    let c = class(&app, 30).await;
    let mut young = form("王小小", "13911110000");
    young["birth_date"] = json!("2024-01-01");
    let e = expect_error(enrol(&app, c, &young).await, StatusCode::UNPROCESSABLE_ENTITY, "age_outside_class").await;
    assert_eq!(e["field"], "birth_date");
    let mut no_phone = form("王小雨", "13911110000");
    no_phone["pickups"][1]["phone"] = json!("");
    let e = expect_error(enrol(&app, c, &no_phone).await, StatusCode::UNPROCESSABLE_ENTITY, "pickup_phone_required").await;
    assert_eq!(e["field"], "pickups[1].phone");
    let mut no_consent = form("王小雨", "13911110000");
    no_consent["consent"] = json!(false);
    expect_error(enrol(&app, c, &no_consent).await, StatusCode::UNPROCESSABLE_ENTITY, "consent_required").await;
    expect_error(enrol(&app, 999_999, &form("王小雨", "13911110000")).await, StatusCode::NOT_FOUND, "not_found").await;
}

#[tokio::test]
async fn three_hundred_guardians_racing_for_thirty_places_give_exactly_thirty_and_a_waitlist_in_priority_order() {
    let app = spawn_app_with(Settings { childcare_per_ip_per_hour: 10_000, ..Settings::default() }).await;
    let c = class(&app, 30).await;
    let unit = app.fx.units[0];
    let mut tasks = Vec::new();
    for k in 0..300 {
        let (api, url) = (app.api.clone(), app.url(&format!("/api/v1/childcare/classes/{c}/enrolments")));
        let mut b = form(&format!("孩子{k}"), &format!("139{k:08}"));
        // A third are member-unit employees, a third shift workers, the rest neither.
        match k % 3 {
            0 => b["guardian_unit_id"] = json!(unit),
            1 => b["shift_worker"] = json!(true),
            _ => {}
        }
        tasks.push(tokio::spawn(async move { api.post(url).json(&b).send().await.unwrap() }));
    }
    let mut enrolled = 0;
    for t in tasks {
        let r = t.await.unwrap();
        assert_eq!(r.status(), StatusCode::CREATED);
        if body(r).await["status"] == "enrolled" {
            enrolled += 1;
        }
    }
    assert_eq!(enrolled, 30, "exactly the places, never more");
    let listed = body(app.get(Role::Coordinator, "/api/v1/childcare/classes").await).await;
    assert_eq!((listed["items"][0]["enrolled"].clone(), listed["items"][0]["waitlisted"].clone()), (json!(30), json!(270)));
    let roll = tongxing_store::childcare::enrolments::roll(&app.svc.db, c).await.unwrap();
    assert_eq!(roll.iter().filter(|e| e.status == "enrolled").count(), 30, "the rows agree with the counter");
    let waiting: Vec<_> = roll.iter().filter(|e| e.status == "waitlisted").collect();
    assert!(waiting.windows(2).all(|w| (w[0].priority, -w[0].queued_at) >= (w[1].priority, -w[1].queued_at)), "priority, then arrival");
    assert!(waiting[0].priority > waiting[waiting.len() - 1].priority);
    // The guardian sees their place; the first waiting is next.
    let first = &waiting[0];
    let v = body(
        app.api.get(app.url(&format!("/api/v1/childcare/enrolments/{}?phone={}", first.code, first.guardian_phone))).send().await.unwrap(),
    )
    .await;
    assert_eq!((v["status"].clone(), v["position"].clone()), (json!("waitlisted"), json!(1)));
}

#[tokio::test]
async fn a_cancelled_place_goes_to_the_next_by_priority_who_is_told_by_sms() {
    let app = spawn_app_with(Settings { sms_gateway_url: Some("http://127.0.0.1:9/sms".into()), ..Settings::default() }).await;
    let c = class(&app, 1).await;
    let first = body(enrol(&app, c, &form("甲", "13900000001")).await).await;
    assert_eq!(first["status"], "enrolled");
    let plain = body(enrol(&app, c, &form("乙", "13900000002")).await).await;
    let mut b = form("丙", "13900000003");
    b["guardian_unit_id"] = json!(app.fx.units[0]);
    let member = body(enrol(&app, c, &b).await).await;
    assert_eq!(
        (member["status"].clone(), member["position"].clone()),
        (json!("waitlisted"), json!(1)),
        "a member-unit employee goes first"
    );
    assert_eq!(plain["status"], "waitlisted");
    let code = first["code"].as_str().unwrap();
    let wrong = app.api.post(app.url(&format!("/api/v1/childcare/enrolments/{code}/cancel"))).json(&json!({"phone": "13900000009"}));
    expect_error(wrong.send().await.unwrap(), StatusCode::NOT_FOUND, "not_found").await;
    let r = app.api.post(app.url(&format!("/api/v1/childcare/enrolments/{code}/cancel"))).json(&json!({"phone": "13900000001"}));
    assert_eq!(body(r.send().await.unwrap()).await["promoted"], true);
    let view = |code: String, phone: &'static str| {
        let url = app.url(&format!("/api/v1/childcare/enrolments/{code}?phone={phone}"));
        let api = app.api.clone();
        async move { body(api.get(url).send().await.unwrap()).await }
    };
    assert_eq!(view(member["code"].as_str().unwrap().into(), "13900000003").await["status"], "enrolled");
    assert_eq!(view(plain["code"].as_str().unwrap().into(), "13900000002").await["position"], 1);
    let sms = tongxing_store::outbox::list(&app.svc.db, None, tongxing_domain::paging::Page { page: 1, per_page: 50 }).await.unwrap();
    assert!(sms.items.iter().any(|d| d.kind == "sms" && d.target == "13900000003" && d.body.contains(member["code"].as_str().unwrap())));
    assert_eq!(sms.items.iter().filter(|d| d.kind == "sms").count(), 1, "only the promoted guardian is told");
}

/// An account for fixture volunteer 1, who signs up for `day`'s shift and is confirmed.
async fn caretaker_on(app: &TestApp, class: i64, day: NaiveDate) -> String {
    let r = app.post(Role::Coordinator, &format!("/api/v1/childcare/classes/{class}/rota"), &json!({})).await;
    assert_eq!(r.status(), StatusCode::OK);
    let shift: i64 = {
        let rows = tongxing_store::childcare::classes::shifts(&app.svc.db, class, &day.to_string()).await.unwrap();
        rows.iter().find(|s| s.0 == day.to_string()).unwrap().1
    };
    let v = app.fx.volunteers[1];
    let token = app
        .account(&NewAccount {
            login: "caretaker".into(),
            password: password(Role::Volunteer),
            role: Role::Volunteer,
            unit_id: None,
            team_id: None,
            volunteer_id: Some(v),
            name: None,
        })
        .await;
    let r = app
        .api
        .post(app.url(&format!("/api/v1/activities/{shift}/signups")))
        .bearer_auth(&token)
        .json(&json!({"volunteer_id": v}))
        .send()
        .await
        .unwrap();
    assert!(r.status().is_success(), "{}", r.text().await.unwrap());
    token
}

#[tokio::test]
async fn the_door_checks_in_and_out_only_to_an_authorised_person_and_retries_never_double_count() {
    let app = spawn_app().await;
    let c = class(&app, 30).await;
    let child = body(enrol(&app, c, &form("王小雨", "13911112222")).await).await;
    let e = child["id"].as_i64().unwrap();
    let day = weekday_from(today() + Duration::days(1));
    let caretaker = caretaker_on(&app, c, day).await;
    let check_in = json!({"enrolment_id": e, "kind": "in", "by_name": "王建国", "at": at(day, "07:55")});
    // A caretaker not on duty that day, or anyone else, is refused.
    expect_error(door(&app, Role::TeamLeader, c, check_in.clone()).await, StatusCode::FORBIDDEN, "forbidden").await;
    let send = |b: Value, key: &'static str| {
        app.api
            .post(app.url(&format!("/api/v1/childcare/classes/{c}/attendance")))
            .bearer_auth(&caretaker)
            .header("Idempotency-Key", key)
            .json(&b)
            .send()
    };
    assert_eq!(send(check_in.clone(), "k-in").await.unwrap().status(), StatusCode::CREATED);
    let again = send(check_in.clone(), "k-in").await.unwrap();
    assert_eq!(again.headers().get("idempotent-replayed").unwrap(), "true");
    assert_eq!(send(check_in.clone(), "k-in-2").await.unwrap().status(), StatusCode::OK, "a second tap writes nothing");
    let stranger = json!({"enrolment_id": e, "kind": "out", "by_name": "张三", "at": at(day, "17:00")});
    let err = expect_error(send(stranger.clone(), "k-out-x").await.unwrap(), StatusCode::FORBIDDEN, "not_authorised_pickup").await;
    assert_eq!(err["field"], "by_name");
    let head = app.user(Role::Volunteer).await.id;
    let told =
        tongxing_store::notifications::list(&app.svc.db, head, tongxing_domain::paging::Page { page: 1, per_page: 10 }).await.unwrap();
    assert!(told.0.items.iter().any(|n| n.kind == "childcare_refused_pickup"), "the head is alerted");
    // A caretaker cannot make an exception; the head can, with a reason.
    let mut excused = stranger.clone();
    excused["exception_reason"] = json!("父亲电话委托同事张三接");
    expect_error(send(excused.clone(), "k-out-y").await.unwrap(), StatusCode::FORBIDDEN, "not_authorised_pickup").await;
    let out = json!({"enrolment_id": e, "kind": "out", "by_name": " 李秀英", "at": at(day, "17:10")});
    assert_eq!(send(out, "k-out").await.unwrap().status(), StatusCode::CREATED);
    let sheet = body(app.get(Role::Volunteer, &format!("/api/v1/childcare/classes/{c}/days/{day}")).await).await;
    let line = &sheet["children"][0];
    assert_eq!((line["in_by"].clone(), line["out_by"].clone(), line["present"].clone()), (json!("王建国"), json!("李秀英"), json!(false)));
    let rows = tongxing_store::childcare::days::attendance(&app.svc.db, c, &day.to_string(), None).await.unwrap();
    assert_eq!(rows.len(), 2, "one in, one out: nothing doubled");
    // A day with no class is refused with the field at fault.
    let sunday = day + Duration::days(7 - i64::from(day.weekday().num_days_from_monday()) - 1);
    let e2 = expect_error(
        door(&app, Role::Coordinator, c, json!({"enrolment_id": e, "kind": "in", "by_name": "王建国", "at": at(sunday, "08:00")})).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "no_class_that_day",
    )
    .await;
    assert_eq!(e2["field"], "at");
    let _ = excused;
}

#[tokio::test]
async fn the_head_may_release_a_child_on_a_recorded_exception() {
    let app = spawn_app().await;
    let c = class(&app, 30).await;
    let e = body(enrol(&app, c, &form("王小雨", "13911112222")).await).await["id"].as_i64().unwrap();
    let day = weekday_from(today() + Duration::days(1));
    assert_eq!(
        door(&app, Role::Volunteer, c, json!({"enrolment_id": e, "kind": "in", "by_name": "王建国", "at": at(day, "08:00")}))
            .await
            .status(),
        StatusCode::CREATED
    );
    // The head refusing a stranger at the door herself is not alerted about it.
    let stranger = json!({"enrolment_id": e, "kind": "out", "by_name": "张三", "at": at(day, "16:55")});
    expect_error(door(&app, Role::Volunteer, c, stranger).await, StatusCode::FORBIDDEN, "not_authorised_pickup").await;
    let head = app.user(Role::Volunteer).await.id;
    let told =
        tongxing_store::notifications::list(&app.svc.db, head, tongxing_domain::paging::Page { page: 1, per_page: 10 }).await.unwrap();
    assert!(!told.0.items.iter().any(|n| n.kind == "childcare_refused_pickup"), "no alert of her own refusal");
    let out = json!({"enrolment_id": e, "kind": "out", "by_name": "张三", "at": at(day, "17:00"), "exception_reason": "父亲电话委托"});
    assert_eq!(door(&app, Role::Volunteer, c, out).await.status(), StatusCode::CREATED);
    let sheet = body(app.get(Role::Coordinator, &format!("/api/v1/childcare/classes/{c}/days/{day}")).await).await;
    assert_eq!(sheet["children"][0]["exception"], "父亲电话委托");
    assert!(app.audited(Role::Coordinator, "read_children", "childcare_class", c).await, "staff reads of children are audited");
}

#[tokio::test]
async fn the_day_sheet_shows_the_live_ratio_and_the_guardian_sees_only_their_childs_day() {
    let app = spawn_app().await;
    let c = class(&app, 30).await;
    let day = weekday_from(today() + Duration::days(1));
    let caretaker = caretaker_on(&app, c, day).await;
    let mut ids = Vec::new();
    for k in 0..11 {
        ids.push(body(enrol(&app, c, &form(&format!("孩子{k}"), &format!("1391111{k:04}"))).await).await);
    }
    for e in &ids {
        let b = json!({"enrolment_id": e["id"], "kind": "in", "by_name": "王建国", "at": at(day, "08:00")});
        assert_eq!(door(&app, Role::Volunteer, c, b).await.status(), StatusCode::CREATED);
    }
    let path = format!("/api/v1/childcare/classes/{c}/days/{day}");
    let sheet = body(app.api.get(app.url(&path)).bearer_auth(&caretaker).send().await.unwrap()).await;
    assert_eq!(
        (sheet["children_in"].clone(), sheet["caretakers_in"].clone(), sheet["ratio_ok"].clone()),
        (json!(11), json!(0), json!(false))
    );
    assert_eq!(sheet["caretakers_needed"], 2);
    let log = json!({"enrolment_id": ids[0]["id"], "date": day.to_string(), "meal": "all", "nap_from": "12:30", "nap_to": "14:00", "note": "练习书法"});
    let r = app.api.post(app.url(&format!("/api/v1/childcare/classes/{c}/logs"))).bearer_auth(&caretaker).json(&log).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::CREATED);
    let fix = json!({"enrolment_id": ids[0]["id"], "date": day.to_string(), "meal": "some"});
    assert_eq!(app.post(Role::Volunteer, &format!("/api/v1/childcare/classes/{c}/logs"), &fix).await.status(), StatusCode::CREATED);
    let code = ids[0]["code"].as_str().unwrap();
    let mine =
        body(app.api.get(app.url(&format!("/api/v1/childcare/enrolments/{code}?phone=13911110000&date={day}"))).send().await.unwrap())
            .await;
    assert_eq!(mine["day"]["meal"], "some", "a correction is a later entry");
    assert_eq!((mine["day"]["nap_from"].clone(), mine["day"]["notes"][0].clone()), (json!("12:30"), json!("练习书法")));
    assert_eq!(mine["day"]["in_by"], "王建国");
    assert!(!mine.to_string().contains("孩子1"), "no other child's data: {mine}");
    let wrong = app.api.get(app.url(&format!("/api/v1/childcare/enrolments/{code}?phone=13911110001"))).send().await.unwrap();
    expect_error(wrong, StatusCode::NOT_FOUND, "not_found").await;
    for role in [Role::Liaison, Role::TeamLeader, Role::Viewer, Role::Observer] {
        expect_error(app.get(role, &path).await, StatusCode::FORBIDDEN, "forbidden").await;
    }
    let logs = tongxing_store::childcare::days::logs(&app.svc.db, c, &day.to_string(), None).await.unwrap();
    assert_eq!(logs.len(), 2, "append-only: the correction did not overwrite");
}

#[tokio::test]
async fn the_late_pick_up_alert_fires_once_across_two_instances() {
    let app = spawn_app_with(Settings { sms_gateway_url: Some("http://127.0.0.1:9/sms".into()), ..Settings::default() }).await;
    let c = class(&app, 30).await;
    let e = body(enrol(&app, c, &form("王小雨", "13911112222")).await).await["id"].as_i64().unwrap();
    let day = weekday_from(today() + Duration::days(1));
    let b = json!({"enrolment_id": e, "kind": "in", "by_name": "王建国", "at": at(day, "08:00")});
    assert_eq!(door(&app, Role::Volunteer, c, b).await.status(), StatusCode::CREATED);
    let evening =
        tongxing_domain::time::region_offset().from_local_datetime(&day.and_hms_opt(18, 0, 0).unwrap()).unwrap().timestamp_millis();
    // The second instance runs with the same settings (an SMS gateway), whichever of the two raises the alert.
    let sms = Settings { sms_gateway_url: Some("http://127.0.0.1:9/sms".into()), ..Settings::default() };
    let other = crate::helpers::service_with(&app.db_url, &tongxing_service::crypto::generate_key(), sms).await;
    let (a, b) = tokio::join!(app.svc.raise_childcare_alerts(evening), other.raise_childcare_alerts(evening));
    assert_eq!(a.unwrap() + b.unwrap(), 1, "one alert between the two instances");
    assert_eq!(app.svc.raise_childcare_alerts(evening + 60_000).await.unwrap(), 0, "and never again that day");
    let head = app.user(Role::Volunteer).await.id;
    let told =
        tongxing_store::notifications::list(&app.svc.db, head, tongxing_domain::paging::Page { page: 1, per_page: 10 }).await.unwrap();
    assert_eq!(told.0.items.iter().filter(|n| n.kind == "childcare_late_out").count(), 1);
    let sms = tongxing_store::outbox::list(&app.svc.db, None, tongxing_domain::paging::Page { page: 1, per_page: 50 }).await.unwrap();
    assert_eq!(sms.items.iter().filter(|d| d.target == "13911112222").count(), 1, "the guardian is told once");
}

#[tokio::test]
async fn the_center_sees_the_programme_per_class_and_per_unit_and_exports_it() {
    let app = spawn_app().await;
    let c = class(&app, 30).await;
    let mut b = form("王小雨", "13911112222");
    b["guardian_unit_id"] = json!(app.fx.units[0]);
    let e = body(enrol(&app, c, &b).await).await["id"].as_i64().unwrap();
    body(enrol(&app, c, &form("李小雪", "13911113333")).await).await;
    let day = weekday_from(today() + Duration::days(1));
    door(&app, Role::Volunteer, c, json!({"enrolment_id": e, "kind": "in", "by_name": "王建国", "at": at(day, "08:00")})).await;
    let log = json!({"enrolment_id": e, "date": day.to_string(), "incident": "擦伤膝盖", "action": "已包扎", "guardian_told": true});
    assert_eq!(app.post(Role::Volunteer, &format!("/api/v1/childcare/classes/{c}/logs"), &log).await.status(), StatusCode::CREATED);
    let term = body(app.get(Role::Coordinator, "/api/v1/childcare/terms").await).await["items"][0]["id"].as_i64().unwrap();
    let p = body(app.get(Role::Viewer, &format!("/api/v1/childcare/terms/{term}/programme")).await).await;
    let k = &p["classes"][0];
    assert_eq!(
        (k["enrolled"].clone(), k["days"].clone(), k["attendances"].clone(), k["incidents"].clone()),
        (json!(2), json!(1), json!(1), json!(1))
    );
    let unit = p["units"].as_array().unwrap().iter().find(|u| u["unit_id"] == app.fx.units[0]).unwrap();
    assert_eq!(unit["enrolled"], 1);
    assert!(!p.to_string().contains("王小雨"), "figures only, no child's data");
    let x = app.get(Role::Coordinator, &format!("/api/v1/childcare/terms/{term}/programme?format=xlsx")).await;
    assert!(x.headers()["content-type"].to_str().unwrap().contains("spreadsheet"));
    assert_eq!(app.get(Role::Volunteer, &format!("/api/v1/childcare/terms/{term}/programme")).await.status(), StatusCode::FORBIDDEN);
}
