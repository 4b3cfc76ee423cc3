//! 师带徒: agreements, a mentor's outcome figures, assessments and 出师.

use reqwest::StatusCode;
use serde_json::{json, Value};
use tongxing_domain::role::Role;

use super::{cert, certify, person, trade};
use crate::helpers::{body, expect_error, spawn_app};

#[tokio::test]
async fn a_mentors_page_counts_what_became_of_each_apprentice_from_the_records() {
    let app = spawn_app().await;
    trade(&app, "js", "集输", json!([])).await;
    trade(&app, "jsx", "集输(信息化)", json!([])).await;
    let mentor = app.fx.volunteers[0];
    let agreement = |apprentice: i64, from: &str, to: &str| {
        json!({"mentor_id": mentor, "apprentice_id": apprentice, "trade": "js", "from_level": from, "target_level": to,
               "starts_on": "2021-01-01", "ends_on": "2024-12-31", "goals": "第一年掌握集输流程；第二年考取高级工"})
    };
    let e = expect_error(
        app.post(Role::Liaison, "/api/v1/mentorships", &agreement(mentor, "junior", "senior")).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "own_mentor",
    )
    .await;
    assert_eq!(e["field"], "apprentice_id");
    let a = app.fx.volunteers[1];
    let e = expect_error(
        app.post(Role::Liaison, "/api/v1/mentorships", &agreement(a, "senior", "intermediate")).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "level_not_above",
    )
    .await;
    assert_eq!(e["field"], "target_level");
    expect_error(
        app.post(Role::Liaison, "/api/v1/mentorships", &agreement(app.fx.volunteers[2], "junior", "senior")).await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    let b = person(&app, "刘海涛", "13900000011").await;
    let c = person(&app, "陈立新", "13900000012").await;
    for p in [a, b, c] {
        assert_eq!(app.post(Role::Liaison, "/api/v1/mentorships", &agreement(p, "junior", "senior")).await.status(), StatusCode::CREATED);
    }
    // Before the agreement: junior. Since: a reaches 高级工, b 技师, c nothing new; a and b the informatisation one.
    let steps: [(i64, &[(&str, &str)]); 3] = [
        (a, &[("junior", "2019-05-01"), ("intermediate", "2021-09-01"), ("senior", "2023-06-01")]),
        (b, &[("junior", "2019-05-01"), ("intermediate", "2021-06-01"), ("senior", "2022-06-01"), ("technician", "2024-06-01")]),
        (c, &[("junior", "2020-05-01")]),
    ];
    let mut n = 0;
    for (p, levels) in steps {
        for (level, on) in levels {
            n += 1;
            assert_eq!(certify(&app, Role::Liaison, p, cert("js", level, on, &format!("JS-{n}"))).await.status(), StatusCode::CREATED);
        }
    }
    for p in [a, b] {
        n += 1;
        assert_eq!(
            certify(&app, Role::Liaison, p, cert("jsx", "junior", "2023-09-01", &format!("JS-{n}"))).await.status(),
            StatusCode::CREATED
        );
    }
    let page = body(app.get(Role::Volunteer, &format!("/api/v1/people/{mentor}/mentoring")).await).await;
    assert_eq!(page["mentor_name"], "张晓静");
    assert_eq!(page["summary"]["apprentices"], 3, "{page}");
    let by_level =
        |page: &Value, l: &str| page["summary"]["by_level"].as_array().unwrap().iter().find(|x| x["level"] == l).unwrap()["people"].clone();
    assert_eq!(by_level(&page, "senior"), 1);
    assert_eq!(by_level(&page, "technician"), 1);
    assert_eq!(by_level(&page, "junior"), 1);
    assert_eq!(
        page["summary"]["certified_by_trade"],
        json!([{"trade_name": "集输", "people": 2}, {"trade_name": "集输(信息化)", "people": 2}])
    );
    let of_a = page["apprentices"].as_array().unwrap().iter().find(|x| x["person_id"] == a).unwrap().clone();
    assert_eq!(of_a["certifications_since"], 3);
    assert_eq!(page["summary"]["awarded"], 0);
    // Awards count from the competition records: a's since the agreement, not c's before it, nor b's mere entry.
    let contest = |title: &str, on: &str| json!({"title": title, "level": "oilfield", "trade": "js", "held_on": on});
    let after =
        body(app.post(Role::Coordinator, "/api/v1/competitions", &contest("集输工技能竞赛", "2022-10-18")).await).await["id"].clone();
    let before =
        body(app.post(Role::Coordinator, "/api/v1/competitions", &contest("集输工技能竞赛", "2020-10-18")).await).await["id"].clone();
    for (comp, p, award) in
        [(&after, a, json!("gold")), (&after, a, json!("gold")), (&after, b, json!(null)), (&before, c, json!("silver"))]
    {
        let r = app
            .post(
                Role::Liaison,
                &format!("/api/v1/competitions/{comp}/results"),
                &json!({"person_id": p, "coach_id": mentor, "award": award}),
            )
            .await;
        assert_eq!(r.status(), StatusCode::CREATED);
    }
    let page = body(app.get(Role::Volunteer, &format!("/api/v1/people/{mentor}/mentoring")).await).await;
    assert_eq!(page["summary"]["awarded"], 1, "{page}");
    let awards: Vec<(i64, i64)> =
        page["apprentices"].as_array().unwrap().iter().map(|x| (x["person_id"].as_i64().unwrap(), x["awards"].as_i64().unwrap())).collect();
    assert!(awards.contains(&(a, 1)) && awards.contains(&(b, 0)) && awards.contains(&(c, 0)), "{awards:?}");
    // A new certification shows at once on the mentor's page.
    assert_eq!(certify(&app, Role::Liaison, a, cert("js", "technician", "2025-06-01", "JS-99")).await.status(), StatusCode::CREATED);
    let page = body(app.get(Role::Liaison, &format!("/api/v1/people/{mentor}/mentoring")).await).await;
    assert_eq!(by_level(&page, "technician"), 2);
    expect_error(app.get(Role::Volunteer, &format!("/api/v1/people/{a}/mentoring")).await, StatusCode::FORBIDDEN, "forbidden").await;
    let list = body(app.get(Role::Liaison, &format!("/api/v1/mentorships?person_id={mentor}")).await).await;
    assert_eq!(list["total"], 3);
    assert_eq!(list["items"][0]["mentor_name"], "张晓静");
}

/// A fresh agreement of the liaison's unit for `apprentice`; its id.
async fn agreement(app: &crate::helpers::TestApp, apprentice: i64, starts: &str, ends: &str) -> i64 {
    let b = json!({"mentor_id": app.fx.volunteers[0], "apprentice_id": apprentice, "trade": "js", "from_level": "junior",
                   "target_level": "senior", "starts_on": starts, "ends_on": ends});
    let r = app.post(Role::Liaison, "/api/v1/mentorships", &b).await;
    assert_eq!(r.status(), StatusCode::CREATED);
    body(r).await["id"].as_i64().unwrap()
}

#[tokio::test]
async fn an_agreement_is_assessed_by_mentor_workshop_and_unit_then_completed_early_or_late() {
    let app = spawn_app().await;
    trade(&app, "js", "集输", json!([])).await;
    let id = agreement(&app, app.fx.volunteers[1], "2024-01-01", "2099-12-31").await;
    let path = format!("/api/v1/mentorships/{id}/assessments");
    let a =
        |scope: &str, period: &str, score: i64| json!({"scope": scope, "period": period, "score": score, "comment": "按期完成阶段目标"});
    // The mentor herself assesses monthly, and only monthly.
    let d = body(app.post(Role::Volunteer, &path, &a("monthly", "2024-03", 85)).await).await;
    assert_eq!(d["assessment_records"][0]["by_name"], "张晓静", "{d}");
    assert_eq!(d["assessment_records"][0]["score"], 85);
    expect_error(app.post(Role::Volunteer, &path, &a("quarterly", "2024-Q1", 80)).await, StatusCode::FORBIDDEN, "forbidden").await;
    expect_error(app.post(Role::TeamLeader, &path, &a("yearly", "2024", 80)).await, StatusCode::FORBIDDEN, "forbidden").await;
    assert_eq!(app.post(Role::Liaison, &path, &a("quarterly", "2024-Q1", 88)).await.status(), StatusCode::CREATED);
    assert_eq!(app.post(Role::Liaison, &path, &a("yearly", "2024", 90)).await.status(), StatusCode::CREATED);
    let e = expect_error(app.post(Role::Liaison, &path, &a("monthly", "2024-03", 70)).await, StatusCode::CONFLICT, "duplicate_assessment")
        .await;
    assert_eq!(e["field"], "period");
    for (body_, field, code) in [
        (a("monthly", "2024-3", 70), "period", "period_format"),
        (a("quarterly", "2024-Q5", 70), "period", "period_format"),
        (a("monthly", "2023-12", 70), "period", "before_agreement"),
        (a("yearly", "2098", 70), "period", "in_future"),
        (a("monthly", "2024-04", 101), "score", "out_of_range"),
        (a("weekly", "2024-04", 70), "scope", "unknown_choice"),
    ] {
        let e = expect_error(app.post(Role::Liaison, &path, &body_).await, StatusCode::UNPROCESSABLE_ENTITY, code).await;
        assert_eq!(e["field"], field, "{body_}");
    }
    let d = body(app.get(Role::Volunteer, &format!("/api/v1/mentorships/{id}")).await).await;
    assert_eq!(d["assessment_records"].as_array().unwrap().len(), 3);
    assert_eq!(d["status"], "active");
    assert!(app.audited(Role::Liaison, "assess", "skill_apprenticeship", id).await);

    // 出师: not in the future, not before the start, a final score out of 100; early against 2099.
    let done = format!("/api/v1/mentorships/{id}/complete");
    let today = super::today().to_string();
    let c = |on: &str, score: i64| json!({"completed_on": on, "final_score": score, "comment": "提前达到高级工水平"});
    expect_error(app.post(Role::Volunteer, &done, &c(&today, 90)).await, StatusCode::FORBIDDEN, "forbidden").await;
    for (body_, field, code) in [
        (c("2099-01-01", 90), "completed_on", "in_future"),
        (c("2023-12-31", 90), "completed_on", "before_agreement"),
        (c(&today, 120), "final_score", "out_of_range"),
    ] {
        let e = expect_error(app.post(Role::Liaison, &done, &body_).await, StatusCode::UNPROCESSABLE_ENTITY, code).await;
        assert_eq!(e["field"], field);
    }
    let d = body(app.post(Role::Liaison, &done, &c(&today, 90)).await).await;
    assert_eq!(
        (d["status"].as_str(), d["timing"].as_str(), d["final_score"].as_i64()),
        (Some("completed"), Some("early"), Some(90)),
        "{d}"
    );
    assert_eq!(d["final_comment"], "提前达到高级工水平");
    expect_error(app.post(Role::Liaison, &done, &c(&today, 95)).await, StatusCode::CONFLICT, "already_completed").await;
    expect_error(app.post(Role::Volunteer, &path, &a("monthly", "2024-05", 80)).await, StatusCode::CONFLICT, "already_completed").await;

    // A second apprentice, due mid-2024, completes late — on the page, as the liaison does it.
    let late = agreement(&app, super::person(&app, "孙建军", "13900000021").await, "2022-07-01", "2024-06-30").await;
    let (mentor, csrf) = app.browser_as(Role::Volunteer).await;
    let page = mentor.get(app.url(&format!("/skills/mentorships/{late}"))).send().await.unwrap().text().await.unwrap();
    assert!(
        page.contains("id=\"mentorship-assess\"") && !page.contains("id=\"mentorship-complete\""),
        "the mentor assesses, the unit completes"
    );
    let form = [("scope", "monthly"), ("period", "2023-05"), ("score", "78"), ("comment", "操作规范"), ("_csrf", csrf.as_str())];
    let r = mentor.post(app.url(&format!("/skills/mentorships/{late}/assessments"))).form(&form).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let (liaison, csrf) = app.browser_as(Role::Liaison).await;
    let form = [("completed_on", "2025-01-15"), ("final_score", "82"), ("comment", ""), ("_csrf", csrf.as_str())];
    let r = liaison.post(app.url(&format!("/skills/mentorships/{late}/complete"))).form(&form).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let d = body(app.get(Role::Liaison, &format!("/api/v1/mentorships/{late}")).await).await;
    assert_eq!((d["timing"].as_str(), d["assessment_records"][0]["score"].as_i64()), (Some("late"), Some(78)), "{d}");
    let list = body(app.get(Role::Liaison, "/api/v1/mentorships").await).await;
    assert!(list["items"].as_array().unwrap().iter().all(|m| m["status"] == "completed"), "{list}");
}
