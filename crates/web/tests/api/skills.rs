//! 技能传承 over HTTP, on whichever database the run uses: trades and the
//! certification ladder, the eligibility list, training, 师带徒 and the
//! front-line problem board with its exclusive claim.

use chrono::{Duration, Months};
use reqwest::StatusCode;
use serde_json::{json, Value};
use tongxing_domain::registry::TeamInput;
use tongxing_domain::role::Role;

use crate::helpers::{body, expect_error, spawn_app, TestApp};

fn today() -> chrono::NaiveDate {
    (chrono::Utc::now() + Duration::hours(8)).date_naive()
}

async fn trade(app: &TestApp, code: &str, name: &str, rules: Value) {
    let r = app.post(Role::Coordinator, "/api/v1/trades", &json!({"code": code, "name": name, "rules": rules})).await;
    assert_eq!(r.status(), StatusCode::CREATED);
}

async fn certify(app: &TestApp, role: Role, person: i64, b: Value) -> reqwest::Response {
    app.post(role, &format!("/api/v1/people/{person}/certifications"), &b).await
}

fn cert(trade: &str, level: &str, on: &str, no: &str) -> Value {
    json!({"trade": trade, "level": level, "certified_on": on, "certificate_no": no, "issuer": "胜利油田职业技能鉴定中心"})
}

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
    let none = body(app.get(Role::Liaison, "/api/v1/skills/eligible?trade=zs&within_months=0").await).await;
    assert_eq!(none["total"], 1);
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

/// A new person of unit 0; their id.
async fn person(app: &TestApp, name: &str, phone: &str) -> i64 {
    let mut b = app.new_volunteer(phone);
    b["name"] = json!(name);
    let r = app.post(Role::Coordinator, "/api/v1/volunteers", &b).await;
    assert_eq!(r.status(), StatusCode::CREATED);
    body(r).await["id"].as_i64().unwrap()
}

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
    // A new certification shows at once on the mentor's page.
    assert_eq!(certify(&app, Role::Liaison, a, cert("js", "technician", "2025-06-01", "JS-99")).await.status(), StatusCode::CREATED);
    let page = body(app.get(Role::Liaison, &format!("/api/v1/people/{mentor}/mentoring")).await).await;
    assert_eq!(by_level(&page, "technician"), 2);
    expect_error(app.get(Role::Volunteer, &format!("/api/v1/people/{a}/mentoring")).await, StatusCode::FORBIDDEN, "forbidden").await;
    let list = body(app.get(Role::Liaison, &format!("/api/v1/mentorships?person_id={mentor}")).await).await;
    assert_eq!(list["total"], 3);
    assert_eq!(list["items"][0]["mentor_name"], "张晓静");
}

#[tokio::test]
async fn one_team_of_thirty_claims_a_problem_and_works_it_step_by_step() {
    let app = spawn_app().await;
    trade(&app, "js", "集输", json!([])).await;
    let unit1 = app.fx.units[1];
    let problem = json!({"title": "伴生气含硫超标", "description": "井场伴生气硫化氢含量高，无法回收利用", "unit_id": unit1,
        "trade": "js", "site": "东胜公司某井场", "impact": "放空燃烧，浪费资源"});
    let r = app.post(Role::Volunteer, "/api/v1/problems", &problem).await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let p = body(r).await;
    assert_eq!(p["status"], "proposed");
    assert_eq!(p["proposer_name"], "张晓静");
    assert!(p["proposed_at"].as_str().is_some_and(|t| t.contains('T')));
    let id = p["id"].as_i64().unwrap();
    let mut other = problem.clone();
    other["proposer_id"] = json!(app.fx.volunteers[1]);
    expect_error(app.post(Role::Volunteer, "/api/v1/problems", &other).await, StatusCode::FORBIDDEN, "forbidden").await;
    expect_error(app.post(Role::Liaison, "/api/v1/problems", &problem).await, StatusCode::FORBIDDEN, "forbidden").await;
    let mut blank = problem.clone();
    blank["title"] = json!(" ");
    let e = expect_error(app.post(Role::Volunteer, "/api/v1/problems", &blank).await, StatusCode::UNPROCESSABLE_ENTITY, "required").await;
    assert_eq!(e["field"], "title");

    let mut teams = Vec::new();
    for i in 0..30 {
        let t = TeamInput {
            name: format!("技术攻关队{i}"),
            district_id: app.fx.districts[1],
            category: "elderly_care".into(),
            unit_id: Some(unit1),
            leader_volunteer_id: None,
        };
        teams.push(tongxing_store::registry::teams::create(&app.svc.db, &t).await.unwrap());
    }
    let (path, bodies) = (format!("/api/v1/problems/{id}/claim"), teams.iter().map(|t| json!({"team_id": t})).collect::<Vec<_>>());
    let claims = bodies.iter().map(|b| app.post(Role::Coordinator, &path, b));
    let answers = futures_util::future::join_all(claims).await;
    let won: Vec<_> = answers.iter().filter(|r| r.status() == StatusCode::OK).collect();
    assert_eq!(won.len(), 1, "exactly one of thirty claims wins");
    assert_eq!(answers.iter().filter(|r| r.status() == StatusCode::CONFLICT).count(), 29);
    expect_error(
        app.post(Role::TeamLeader, &format!("/api/v1/problems/{id}/claim"), &json!({"team_id": app.fx.teams[0]})).await,
        StatusCode::CONFLICT,
        "already_claimed",
    )
    .await;

    // A team leader claims for their own team only, then records each step in order.
    let second = body(app.post(Role::Volunteer, "/api/v1/problems", &problem).await).await["id"].as_i64().unwrap();
    expect_error(
        app.post(Role::TeamLeader, &format!("/api/v1/problems/{second}/claim"), &json!({"team_id": app.fx.teams[1]})).await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    let claimed =
        body(app.post(Role::TeamLeader, &format!("/api/v1/problems/{second}/claim"), &json!({"team_id": app.fx.teams[0]})).await).await;
    assert_eq!(claimed["status"], "claimed");
    assert_eq!(claimed["team_name"], "现河片区助老服务队");
    let step = |s: &str| json!({"step": s, "note": format!("{s}：撬装式伴生气净化装置")});
    let e = expect_error(
        app.post(Role::TeamLeader, &format!("/api/v1/problems/{second}/steps"), &step("field_test")).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "step_out_of_order",
    )
    .await;
    assert_eq!(e["field"], "step");
    let other_leader = app.leader_of(app.fx.teams[1], "leader-b").await;
    let r = app
        .api
        .post(app.url(&format!("/api/v1/problems/{second}/steps")))
        .bearer_auth(other_leader)
        .json(&step("solution"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    for s in ["solution", "field_test", "rolled_out"] {
        let r = app.post(Role::TeamLeader, &format!("/api/v1/problems/{second}/steps"), &step(s)).await;
        assert_eq!(r.status(), StatusCode::OK);
    }
    let detail = body(app.get(Role::Viewer, &format!("/api/v1/problems/{second}")).await).await;
    let steps: Vec<&str> = detail["steps"].as_array().unwrap().iter().map(|s| s["step"].as_str().unwrap()).collect();
    assert_eq!(steps, ["claimed", "solution", "field_test", "rolled_out"]);
    assert_eq!(detail["status"], "rolled_out");
    let solved = body(app.get(Role::Viewer, "/api/v1/problems/solved").await).await;
    assert_eq!(solved, json!([{"team_id": app.fx.teams[0], "team_name": "现河片区助老服务队", "solved": 1}]));
    let board = body(app.get(Role::Viewer, &format!("/api/v1/problems?unit_id={unit1}&trade=js&status=proposed")).await).await;
    assert_eq!(board["total"], 0);
    let board = body(app.get(Role::Viewer, &format!("/api/v1/problems?unit_id={unit1}&trade=js")).await).await;
    assert_eq!(board["total"], 2);
    expect_error(app.get(Role::Viewer, "/api/v1/problems?status=nonsense").await, StatusCode::UNPROCESSABLE_ENTITY, "unknown_choice").await;
    let x = app.get(Role::Viewer, "/api/v1/problems?format=xlsx").await;
    assert!(x.headers()["content-type"].to_str().unwrap().contains("spreadsheetml"));
}

#[tokio::test]
async fn a_worker_proposes_on_the_page_a_leader_claims_it_and_first_screens_say_what_is_asked() {
    let app = spawn_app().await;
    trade(&app, "cy", "采油", json!([])).await;
    let long_ago = (today() - Months::new(40)).to_string();
    assert_eq!(
        certify(&app, Role::Liaison, app.fx.volunteers[0], cert("cy", "junior", &long_ago, "CY-1")).await.status(),
        StatusCode::CREATED
    );

    let (worker, csrf) = app.browser_as(Role::Volunteer).await;
    let home = worker.get(app.url("/")).send().await.unwrap().text().await.unwrap();
    assert!(home.contains("id=\"home-skills\""), "the worker's first screen has the skills card");
    let form =
        [("title", "抽油机皮带频繁打滑"), ("description", "冬季皮带打滑，影响产量"), ("site", "3号计量站"), ("_csrf", csrf.as_str())];
    let r = worker.post(app.url("/skills/problems")).form(&form).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let page = worker.get(app.url("/skills")).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("抽油机皮带频繁打滑") && page.contains("张晓静"), "the board names the first proposer");
    assert!(page.contains("id=\"skills-certs\""));

    let (leader, csrf) = app.browser_as(Role::TeamLeader).await;
    let home = leader.get(app.url("/")).send().await.unwrap().text().await.unwrap();
    assert!(home.contains("id=\"home-skills\""), "a leader sees the open problems");
    let id = body(app.get(Role::Viewer, "/api/v1/problems").await).await["items"][0]["id"].as_i64().unwrap();
    let r = leader.post(app.url(&format!("/skills/problems/{id}/claim"))).form(&[("_csrf", csrf.as_str())]).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let p = body(app.get(Role::Viewer, &format!("/api/v1/problems/{id}")).await).await;
    assert_eq!(p["status"], "claimed");
    assert_eq!(p["team_id"], app.fx.teams[0]);

    let (liaison, _) = app.browser_as(Role::Liaison).await;
    let home = liaison.get(app.url("/")).send().await.unwrap().text().await.unwrap();
    assert!(home.contains("id=\"home-skills\""), "a liaison sees who may apply");
    let page = liaison.get(app.url("/skills")).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("id=\"skills-eligible\""));
}
