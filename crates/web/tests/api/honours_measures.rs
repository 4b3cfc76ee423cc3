//! A commendation round weighing "training given": the hours of lessons a
//! volunteer taught in the period, with the lessons behind the figure.

use reqwest::StatusCode;
use serde_json::{json, Value};
use tongxing_domain::role::Role;

use crate::helpers::{body, TestApp};
use crate::honours::{open, real_name, today};
use crate::pages::page;
use crate::skills::trade;

/// A class run by the center with its teachers and lessons (day, hours).
async fn class(app: &TestApp, title: &str, teachers: &[i64], lessons: &[(&str, f64)]) {
    let lessons: Vec<Value> = lessons.iter().map(|(on, h)| json!({"on": on, "topic": format!("{title} 课"), "hours": h})).collect();
    let (from, to) = (lessons[0]["on"].clone(), lessons[lessons.len() - 1]["on"].clone());
    let c = json!({"title": title, "trade": "zs", "starts_on": from, "ends_on": to, "capacity": 10, "teacher_ids": teachers, "lessons": lessons});
    let r = app.post(Role::Coordinator, "/api/v1/trainings", &c).await;
    assert_eq!(r.status(), StatusCode::CREATED, "{}", body(r).await);
}

#[tokio::test]
async fn training_given_scores_the_hours_taught_in_the_period_and_lists_the_lessons() {
    let app = crate::helpers::spawn_app().await;
    trade(&app, "zs", "注水", json!([])).await;
    let a = real_name(&app, 0, "13900000101", "37050219800101001", "王建国").await;
    let b = real_name(&app, 1, "13900000102", "37050219800101002", "李秀英").await;
    let year: i32 = today()[..4].parse().unwrap();
    let d = |y: i32, md: &str| format!("{y}-{md}");
    // 王建国 teaches 4 h + 2.5 h alone and co-teaches 3 h: 9.5 h this year.
    class(&app, "注水泵维护", &[a], &[(&d(year, "01-10"), 4.0), (&d(year, "01-17"), 2.5)]).await;
    class(&app, "水质化验", &[a, b], &[(&d(year, "02-01"), 3.0)]).await;
    // 李秀英's 5 h of last year are outside the period: 3 h this year.
    class(&app, "安全规程", &[b], &[(&d(year - 1, "06-01"), 5.0)]).await;

    let input = json!({"title": "传帮带之星", "kind": "volunteer", "period_from": d(year, "01-01"), "period_to": d(year, "12-31"),
                       "min_hours": 0, "criteria": [{"metric": "training_given", "weight": 100}],
                       "nominate_until": d(year, "12-31"), "notice_days": 7});
    let round = open(&app, &input).await;
    let c = body(app.get(Role::Coordinator, &format!("/api/v1/honours/rounds/{round}/candidates?per_page=100")).await).await;
    let part = |v: i64| {
        let x = c["items"].as_array().unwrap().iter().find(|i| i["volunteer_id"] == v).unwrap().clone();
        assert_eq!(x["eligible"], true, "{x}");
        (x["breakdown"][0]["value"].as_f64().unwrap(), x["score"].as_f64().unwrap())
    };
    // The best (9.5 h) takes the whole weight; 3 / 9.5 × 100 = 31.578… → 31.58.
    assert_eq!(part(a), (9.5, 100.0));
    assert_eq!(part(b), (3.0, 31.58));
    assert_eq!(c["items"][0]["volunteer_id"], a, "ranked first: {c}");

    let lessons = body(app.get(Role::Coordinator, &format!("/api/v1/honours/rounds/{round}/lessons-taught/{a}")).await).await;
    let days: Vec<&str> = lessons["items"].as_array().unwrap().iter().map(|l| l["held_on"].as_str().unwrap()).collect();
    assert_eq!(days, [d(year, "01-10"), d(year, "01-17"), d(year, "02-01")]);
    let sum: f64 = lessons["items"].as_array().unwrap().iter().map(|l| l["hours"].as_f64().unwrap()).sum();
    assert_eq!((sum, lessons["total"].as_i64()), (9.5, Some(3)), "the lessons add up to the figure");
    let theirs = body(app.get(Role::Coordinator, &format!("/api/v1/honours/rounds/{round}/lessons-taught/{b}")).await).await;
    assert_eq!(theirs["items"].as_array().unwrap().iter().map(|l| l["training"].as_str().unwrap()).collect::<Vec<_>>(), ["水质化验"]);
    for nobody in [0, 999_999] {
        let r = app.get(Role::Coordinator, &format!("/api/v1/honours/rounds/{round}/lessons-taught/{nobody}")).await;
        assert_eq!(r.status(), reqwest::StatusCode::NOT_FOUND, "no such volunteer: {nobody}");
    }
    let xlsx = app.get(Role::Coordinator, &format!("/api/v1/honours/rounds/{round}/lessons-taught/{a}?format=xlsx")).await;
    assert_eq!(xlsx.status(), StatusCode::OK);

    // The round's page links the figure to its lessons.
    let (center, _) = app.browser_as(Role::Coordinator).await;
    let html = page(&app, &center, &format!("/honours/rounds/{round}")).await.1;
    assert!(html.contains(&format!("/honours/rounds/{round}/lines/training_given/{a}")), "drill-down link on the page");
    let lines = body(app.get(Role::Coordinator, &format!("/api/v1/honours/rounds/{round}/lines/training_given/{a}")).await).await;
    let sum: f64 = lines["items"].as_array().unwrap().iter().map(|l| l["value"].as_f64().unwrap()).sum();
    assert_eq!((sum, lines["total"].as_i64()), (9.5, Some(3)), "the page's lines add up to the figure too");
}
