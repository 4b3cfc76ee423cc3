//! 子女照辅班's end-of-term rating (issue #16): the guardian rates the class
//! once, with the code and their mobile, from the term's last day on; the
//! center's programme counts it.

use chrono::Duration;
use reqwest::StatusCode;
use serde_json::json;
use tongxing_domain::role::Role;

use crate::childcare::{class, enrol, form, today};
use crate::helpers::{body, expect_error, spawn_app, TestApp};

async fn rate(app: &TestApp, code: &str, phone: &str, stars: i64) -> reqwest::Response {
    let url = app.url(&format!("/api/v1/childcare/enrolments/{code}/rating"));
    app.api.post(url).json(&json!({"phone": phone, "stars": stars, "comment": "老师很用心"})).send().await.unwrap()
}

#[tokio::test]
async fn a_guardian_rates_the_class_once_from_the_last_day_and_the_center_sees_the_figure() {
    let app = spawn_app().await;
    // A term running: too early to rate.
    let running = class(&app, 30).await;
    let early = body(enrol(&app, running, &form("王小雨", "13911112222")).await).await;
    expect_error(rate(&app, early["code"].as_str().unwrap(), "13911112222", 5).await, StatusCode::CONFLICT, "term_not_over").await;
    // A term whose last day is today.
    let from = today() - Duration::days(20);
    let term = json!({"name": "已结束的学期", "starts_on": from.to_string(), "ends_on": today().to_string()});
    let t = body(app.post(Role::Coordinator, "/api/v1/childcare/terms", &term).await).await["id"].as_i64().unwrap();
    let c = json!({"term_id": t, "name": "雅苑照辅班", "community_id": app.fx.communities[0], "min_age": 6, "max_age": 12, "capacity": 30,
                   "children_per_caretaker": 10, "daily_from": "08:00", "daily_to": "17:30"});
    let last = body(app.post(Role::Coordinator, "/api/v1/childcare/classes", &c).await).await["id"].as_i64().unwrap();
    let e = body(enrol(&app, last, &form("李小雪", "13911113333")).await).await;
    let code = e["code"].as_str().unwrap();
    expect_error(rate(&app, code, "13911110000", 5).await, StatusCode::NOT_FOUND, "not_found").await;
    expect_error(rate(&app, code, "13911113333", 6).await, StatusCode::UNPROCESSABLE_ENTITY, "out_of_range").await;
    assert_eq!(rate(&app, code, "13911113333", 4).await.status(), StatusCode::NO_CONTENT);
    expect_error(rate(&app, code, "13911113333", 5).await, StatusCode::CONFLICT, "already_rated").await;
    let p = body(app.get(Role::Coordinator, &format!("/api/v1/childcare/terms/{t}/programme")).await).await;
    let k = &p["classes"][0];
    assert_eq!((k["ratings"].clone(), k["rating_stars"].clone()), (json!(1), json!(4)), "{k}");
}
