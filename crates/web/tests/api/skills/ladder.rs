//! The certification ladder and who may apply for the next level.

use chrono::{Duration, Months};
use reqwest::StatusCode;
use serde_json::json;
use tongxing_domain::role::Role;

use super::{cert, certify, kept_highest, today, trade};
use crate::helpers::{body, expect_error, spawn_app};

#[tokio::test]
async fn certifications_climb_the_ladder_one_level_at_a_time() {
    let app = spawn_app().await;
    trade(&app, "cy", "采油", json!([])).await;
    expect_error(
        app.post(Role::Coordinator, "/api/v1/trades", &json!({"code": "cy", "name": "采油工"})).await,
        StatusCode::CONFLICT,
        "duplicate",
    )
    .await;
    expect_error(
        app.post(Role::Liaison, "/api/v1/trades", &json!({"code": "zs", "name": "注水"})).await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    let trades = body(app.get(Role::Volunteer, "/api/v1/trades").await).await;
    assert_eq!(trades[0]["rules"][0], json!({"level": "junior", "years": 2, "hours": 80}), "the default rule: {trades}");

    let v1 = app.fx.volunteers[1];
    let r = certify(&app, Role::Liaison, v1, cert("cy", "junior", "2018-03-01", "CY-0001")).await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let e = expect_error(
        certify(&app, Role::Liaison, v1, cert("cy", "technician", "2020-03-01", "CY-0002")).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "level_skipped",
    )
    .await;
    assert_eq!(e["field"], "level");
    let e = expect_error(
        certify(&app, Role::Liaison, v1, cert("cy", "junior", "2020-03-01", "CY-0003")).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "level_not_above",
    )
    .await;
    assert_eq!(e["field"], "level");
    let future = (today() + Duration::days(3)).to_string();
    let e = expect_error(
        certify(&app, Role::Liaison, v1, cert("cy", "intermediate", &future, "CY-0004")).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "in_future",
    )
    .await;
    assert_eq!(e["field"], "certified_on");
    expect_error(
        certify(&app, Role::Liaison, v1, cert("cy", "intermediate", "2021-03-01", "CY-0001")).await,
        StatusCode::CONFLICT,
        "duplicate_certificate",
    )
    .await;
    let mut direct = cert("cy", "technician", "2021-03-01", "CY-0005");
    direct["direct_reason"] = json!("技能大赛一等奖破格晋升");
    let all = body(certify(&app, Role::Liaison, v1, direct).await).await;
    assert_eq!(all.as_array().unwrap().len(), 2, "{all}");
    assert_eq!(all[1]["level"], "technician");
    assert_eq!(all[1]["person_name"], "李国强");
    expect_error(
        certify(&app, Role::Liaison, app.fx.volunteers[2], cert("cy", "junior", "2018-03-01", "CY-0009")).await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    let e = expect_error(
        certify(&app, Role::Coordinator, v1, cert("nope", "junior", "2018-03-01", "X-1")).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "unknown_reference",
    )
    .await;
    assert_eq!(e["field"], "trade");
    let bad = json!({"trade": "cy", "level": "grandmaster", "certified_on": "2018-02-30", "certificate_no": "", "issuer": "x"});
    let e = expect_error(certify(&app, Role::Coordinator, v1, bad).await, StatusCode::UNPROCESSABLE_ENTITY, "unknown_choice").await;
    assert_eq!(e["field"], "level");

    let own = app.get(Role::Volunteer, &format!("/api/v1/people/{}/certifications", app.fx.volunteers[0])).await;
    assert_eq!(own.status(), StatusCode::OK);
    expect_error(app.get(Role::Volunteer, &format!("/api/v1/people/{v1}/certifications")).await, StatusCode::FORBIDDEN, "forbidden").await;
    let x = app.get(Role::Liaison, &format!("/api/v1/people/{v1}/certifications?format=xlsx")).await;
    assert_eq!(x.status(), StatusCode::OK);
    assert!(x.headers()["content-type"].to_str().unwrap().contains("spreadsheetml"));
    assert!(app.audited(Role::Liaison, "certify", "volunteer", v1).await);
}

#[tokio::test]
async fn each_persons_highest_level_per_trade_is_kept_with_each_certification() {
    let app = spawn_app().await;
    trade(&app, "cy", "采油", json!([])).await;
    trade(&app, "zs", "注水", json!([])).await;
    let v = app.fx.volunteers[1];
    assert_eq!(kept_highest(&app, v, "cy").await, None);
    let entered = |level: &str, on: &str, no: &str| cert("cy", level, on, no);
    assert_eq!(certify(&app, Role::Liaison, v, entered("junior", "2012-05-01", "H-1")).await.status(), StatusCode::CREATED);
    assert_eq!(kept_highest(&app, v, "cy").await, Some((1, "2012-05-01".into())));
    assert_eq!(certify(&app, Role::Liaison, v, entered("intermediate", "2015-05-01", "H-2")).await.status(), StatusCode::CREATED);
    assert_eq!(kept_highest(&app, v, "cy").await, Some((2, "2015-05-01".into())));
    assert_eq!(certify(&app, Role::Liaison, v, cert("zs", "junior", "2016-01-01", "H-3")).await.status(), StatusCode::CREATED);
    assert_eq!(kept_highest(&app, v, "cy").await, Some((2, "2015-05-01".into())), "another trade leaves it");
    assert_eq!(kept_highest(&app, v, "zs").await, Some((1, "2016-01-01".into())));
    // A direct appraisal skips to technician; a refused one changes nothing.
    let mut direct = entered("technician", "2019-09-01", "H-4");
    direct["direct_reason"] = json!("技能大赛一等奖破格晋升");
    assert_eq!(certify(&app, Role::Liaison, v, direct).await.status(), StatusCode::CREATED);
    assert_eq!(kept_highest(&app, v, "cy").await, Some((4, "2019-09-01".into())));
    expect_error(
        certify(&app, Role::Liaison, v, entered("senior_technician", "2023-09-01", "H-1")).await,
        StatusCode::CONFLICT,
        "duplicate_certificate",
    )
    .await;
    assert_eq!(kept_highest(&app, v, "cy").await, Some((4, "2019-09-01".into())), "the refused entry's transaction kept nothing");
    // The list reads the kept level: technician, and 高级技师 next.
    let list = body(app.get(Role::Coordinator, "/api/v1/skills/eligible?trade=cy&within_months=24").await).await;
    let line = list["items"].as_array().unwrap().iter().find(|i| i["person_id"] == v).cloned().unwrap_or_default();
    assert_eq!((line["level"].as_str(), line["certified_on"].as_str()), (Some("technician"), Some("2019-09-01")), "{list}");
}

#[tokio::test]
async fn the_eligibility_list_counts_years_training_hours_and_an_exam() {
    let app = spawn_app().await;
    trade(&app, "zs", "注水", json!([{"level": "junior", "years": 2, "hours": 8}])).await;
    let (v0, v1) = (app.fx.volunteers[0], app.fx.volunteers[1]);
    let t = today();
    let long_ago = (t - Months::new(40)).to_string();
    let soon = (t - Months::new(21)).to_string();
    assert_eq!(certify(&app, Role::Liaison, v1, cert("zs", "junior", &long_ago, "ZS-1")).await.status(), StatusCode::CREATED);
    assert_eq!(certify(&app, Role::Liaison, v0, cert("zs", "junior", &soon, "ZS-2")).await.status(), StatusCode::CREATED);

    let (from, to) = ((t - Months::new(3)).to_string(), (t - Months::new(3) + Duration::days(2)).to_string());
    let class = json!({"title": "注水工中级培训班", "trade": "zs", "level": "intermediate", "starts_on": from, "ends_on": to,
        "capacity": 2, "teacher_ids": [v0], "lessons": [{"on": from, "topic": "注水泵维护", "hours": 4}, {"on": to, "topic": "水质化验"}]});
    let r = app.post(Role::Liaison, "/api/v1/trainings", &class).await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let id = body(r).await["id"].as_i64().unwrap();
    let mut outside = class.clone();
    outside["lessons"][0]["on"] = json!("2001-01-01");
    let e =
        expect_error(app.post(Role::Liaison, "/api/v1/trainings", &outside).await, StatusCode::UNPROCESSABLE_ENTITY, "outside_dates").await;
    assert_eq!(e["field"], "lessons");

    let enrol = |p: i64| json!({"person_id": p});
    let r = body(app.post(Role::Liaison, &format!("/api/v1/trainings/{id}/enrolments"), &enrol(v1)).await).await;
    assert_eq!(r["status"], "enrolled");
    let again = body(app.post(Role::Liaison, &format!("/api/v1/trainings/{id}/enrolments"), &enrol(v1)).await).await;
    assert_eq!(again["status"], "already");
    expect_error(
        app.post(Role::Liaison, &format!("/api/v1/trainings/{id}/enrolments"), &enrol(app.fx.volunteers[2])).await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    assert_eq!(
        app.post(Role::Coordinator, &format!("/api/v1/trainings/{id}/enrolments"), &enrol(app.fx.volunteers[2])).await.status(),
        StatusCode::OK
    );
    expect_error(
        app.post(Role::Liaison, &format!("/api/v1/trainings/{id}/enrolments"), &enrol(v0)).await,
        StatusCode::CONFLICT,
        "class_full",
    )
    .await;

    let detail = body(app.get(Role::Volunteer, &format!("/api/v1/trainings/{id}")).await).await;
    assert_eq!(detail["teachers"], json!(["张晓静"]));
    let lessons: Vec<i64> = detail["lessons"].as_array().unwrap().iter().map(|l| l["id"].as_i64().unwrap()).collect();
    for l in &lessons {
        let r = app.post(Role::Liaison, &format!("/api/v1/trainings/{id}/attendance"), &json!({"lesson_id": l, "person_ids": [v1]})).await;
        assert_eq!(body(r).await["marked"], 1);
    }
    let e = expect_error(
        app.post(Role::Liaison, &format!("/api/v1/trainings/{id}/attendance"), &json!({"lesson_id": lessons[0], "person_ids": [v0]})).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "not_in_training",
    )
    .await;
    assert_eq!(e["field"], "person_ids");
    let e = expect_error(
        app.post(Role::Liaison, &format!("/api/v1/trainings/{id}/results"), &json!({"person_id": v1, "score": 101})).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "out_of_range",
    )
    .await;
    assert_eq!(e["field"], "score");
    let passed =
        body(app.post(Role::Liaison, &format!("/api/v1/trainings/{id}/results"), &json!({"person_id": v1, "score": 86})).await).await;
    assert_eq!(passed["passed"], true);

    let list = body(app.get(Role::Liaison, "/api/v1/skills/eligible?trade=zs").await).await;
    let items = list["items"].as_array().unwrap();
    assert_eq!(items.len(), 2, "{list}");
    let now = items.iter().find(|i| i["person_id"] == v1).unwrap();
    assert_eq!(now["status"], "now", "{now}");
    assert_eq!(now["hours"], 8.0);
    assert_eq!(now["next_level"], "intermediate");
    let later = items.iter().find(|i| i["person_id"] == v0).unwrap();
    assert_eq!(later["status"], "soon", "{later}");
    assert_eq!(later["assessed"], false);
    assert_eq!((list["total"].as_i64(), list["now"].as_i64(), list["soon"].as_i64()), (Some(2), Some(1), Some(1)), "{list}");
    // Paged, earliest certified first; the counts are of the whole list.
    let first = body(app.get(Role::Liaison, "/api/v1/skills/eligible?trade=zs&per_page=1").await).await;
    let second = body(app.get(Role::Liaison, "/api/v1/skills/eligible?trade=zs&per_page=1&page=2").await).await;
    assert_eq!(
        (first["items"][0]["person_id"].as_i64(), second["items"][0]["person_id"].as_i64()),
        (Some(v1), Some(v0)),
        "{first} {second}"
    );
    assert_eq!((second["total"].as_i64(), second["now"].as_i64(), second["soon"].as_i64()), (Some(2), Some(1), Some(1)));
    let past = body(app.get(Role::Liaison, "/api/v1/skills/eligible?trade=zs&per_page=1&page=3").await).await;
    assert_eq!((past["items"].as_array().map(Vec::len), past["total"].as_i64()), (Some(0), Some(2)));
    let none = body(app.get(Role::Liaison, "/api/v1/skills/eligible?trade=zs&within_months=0").await).await;
    assert_eq!((none["total"].as_i64(), none["now"].as_i64(), none["soon"].as_i64()), (Some(1), Some(1), Some(0)), "{none}");
    expect_error(
        app.get(Role::Liaison, &format!("/api/v1/skills/eligible?unit_id={}", app.fx.units[1])).await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    expect_error(app.get(Role::Volunteer, "/api/v1/skills/eligible").await, StatusCode::FORBIDDEN, "forbidden").await;
    let e = expect_error(
        app.get(Role::Coordinator, "/api/v1/skills/eligible?within_months=25").await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "out_of_range",
    )
    .await;
    assert_eq!(e["field"], "within_months");
    let x = app.get(Role::Coordinator, &format!("/api/v1/skills/eligible?unit_id={}&format=xlsx", app.fx.units[0])).await;
    assert!(x.headers()["content-type"].to_str().unwrap().contains("spreadsheetml"));
    let trainings = body(app.get(Role::Viewer, "/api/v1/trainings?trade=zs").await).await;
    assert_eq!(trainings["total"], 1);
    assert_eq!(trainings["items"][0]["enrolled"], 2);
}
