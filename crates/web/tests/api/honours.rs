//! Recognition (评选表彰) through the API, on whichever database
//! `TEST_DATABASE_URL` names: a round opened, scored from the ledger,
//! nominated within quotas, reviewed with scores frozen, put on public
//! notice with objections, and published with certificate numbers.

use reqwest::StatusCode;
use serde_json::{json, Value};
use tongxing_domain::role::Role;
use tongxing_domain::time::region_date;
use tongxing_service::auth::NewAccount;
use tongxing_store::ledger::{append, NewEntry};
use tongxing_store::now_ms;

use crate::helpers::{body, expect_error, id_number, spawn_app, TestApp};

pub(crate) const DAY: i64 = 86_400_000;

pub(crate) fn today() -> String {
    region_date(now_ms()).to_string()
}

pub(crate) fn round(quota: Option<i64>) -> Value {
    let year = &today()[..4];
    json!({"title": format!("{year} 年度优秀志愿者"), "kind": "volunteer", "period_from": format!("{year}-01-01"),
           "period_to": format!("{year}-12-31"), "min_hours": 20, "quota_per_unit": quota,
           "criteria": [{"metric": "hours", "weight": 70}, {"metric": "emergency_attended", "weight": 30}],
           "nominate_until": format!("{year}-12-31"), "notice_days": 7})
}

pub(crate) async fn open(app: &TestApp, input: &Value) -> i64 {
    let r = app.post(Role::Coordinator, "/api/v1/honours/rounds", input).await;
    assert_eq!(r.status(), StatusCode::CREATED);
    body(r).await["id"].as_i64().unwrap()
}

/// Credits `hours` served today to a volunteer, as a confirmed manual entry.
pub(crate) async fn credit(app: &TestApp, volunteer_id: i64, hours: f64) {
    let e = NewEntry { volunteer_id, kind: "manual", hours, served_on: today(), note: Some("补录".into()), ..Default::default() };
    append(&app.svc.db, &[e]).await.unwrap();
}

/// A volunteer registered under real name in `unit` (0 or 1).
pub(crate) async fn real_name(app: &TestApp, unit: usize, phone: &str, id17: &str, name: &str) -> i64 {
    let b = json!({"name": name, "phone": phone, "id_number": id_number(id17), "unit_id": app.fx.units[unit],
                   "community_id": app.fx.communities[unit], "team_ids": [app.fx.teams[unit]], "skills": [], "party_member": false});
    let r = app.post(Role::Coordinator, "/api/v1/volunteers", &b).await;
    assert_eq!(r.status(), StatusCode::CREATED);
    body(r).await["id"].as_i64().unwrap()
}

pub(crate) async fn nominate(app: &TestApp, role: Role, round: i64, volunteer: i64) -> reqwest::Response {
    app.post(
        role,
        &format!("/api/v1/honours/rounds/{round}/nominations"),
        &json!({"volunteer_id": volunteer, "citation": "常年服务社区老人"}),
    )
    .await
}

async fn field_error(r: reqwest::Response, status: StatusCode, code: &str, field: &str) {
    let e = expect_error(r, status, code).await;
    assert_eq!(e["field"], field, "{e}");
}

pub(crate) async fn post(app: &TestApp, path: &str) -> reqwest::Response {
    app.post(Role::Coordinator, path, &json!({})).await
}

#[tokio::test]
async fn bad_rounds_are_refused_with_the_field_at_fault() {
    let app = spawn_app().await;
    let bad = |f: &dyn Fn(&mut Value)| {
        let mut r = round(Some(1));
        f(&mut r);
        r
    };
    let cases: [(Value, &str, &str); 5] = [
        (bad(&|r| r["criteria"][0]["weight"] = json!(60)), "criteria", "weights_not_100"),
        (
            bad(&|r| r["criteria"] = json!([{"metric": "hours", "weight": 110}, {"metric": "activities", "weight": -10}])),
            "criteria",
            "weight_out_of_range",
        ),
        (bad(&|r| r["notice_days"] = json!(6)), "notice_days", "notice_too_short"),
        (bad(&|r| r["period_to"] = json!("2000-01-01")), "period_to", "before_start"),
        (bad(&|r| r["nominate_until"] = json!("2000-01-01")), "nominate_until", "before_start"),
    ];
    for (input, field, code) in cases {
        field_error(app.post(Role::Coordinator, "/api/v1/honours/rounds", &input).await, StatusCode::UNPROCESSABLE_ENTITY, code, field)
            .await;
    }
    expect_error(app.post(Role::Liaison, "/api/v1/honours/rounds", &round(None)).await, StatusCode::FORBIDDEN, "forbidden").await;
}

#[tokio::test]
async fn a_round_runs_from_the_record_through_notice_to_honours() {
    let app = spawn_app().await;
    let [v0, v1, v2] = app.fx.volunteers;
    let v3 = real_name(&app, 1, "13800000013", "11010519800101001", "周建华").await;
    let v4 = real_name(&app, 0, "13800000014", "11010519800101002", "吴丽").await;
    let v5 = real_name(&app, 0, "13800000015", "11010519800101003", "郑平").await;
    for (v, h) in [(v0, 40.0), (v1, 50.0), (v2, 30.0), (v3, 20.0), (v4, 10.0), (v5, 30.0)] {
        credit(&app, v, h).await;
    }
    let id = open(&app, &round(Some(1))).await;
    assert!(app.audited(Role::Coordinator, "honour_round.open", "honour_round", id).await);

    // Candidates from the record: the eligible by score, then the ineligible with their reason.
    let c = body(app.get(Role::Coordinator, &format!("/api/v1/honours/rounds/{id}/candidates")).await).await;
    let items = c["items"].as_array().unwrap();
    assert_eq!(items[0]["volunteer_id"], v0, "{c}");
    assert_eq!(items[0]["score"], 70.0);
    for i in items {
        let sum: f64 = i["breakdown"].as_array().unwrap().iter().map(|p| p["points"].as_f64().unwrap()).sum();
        assert!((sum - i["score"].as_f64().unwrap()).abs() < 0.011, "{i}");
    }
    let reason = |v: i64| items.iter().find(|i| i["volunteer_id"] == v).unwrap()["reason"].clone();
    assert_eq!(reason(v1), "not_real_name");
    assert_eq!(reason(v4), "too_few_hours");
    assert_eq!(reason(v3), Value::Null);
    let x = app.get(Role::Coordinator, &format!("/api/v1/honours/rounds/{id}/candidates?format=xlsx")).await;
    assert!(x.headers()["content-type"].to_str().unwrap().contains("spreadsheet"));

    // Nominations: within reach, eligible, once, within the quota of one per unit.
    assert_eq!(nominate(&app, Role::Liaison, id, v0).await.status(), StatusCode::CREATED);
    field_error(nominate(&app, Role::Liaison, id, v4).await, StatusCode::UNPROCESSABLE_ENTITY, "too_few_hours", "volunteer_id").await;
    expect_error(nominate(&app, Role::Liaison, id, v3).await, StatusCode::FORBIDDEN, "forbidden").await;
    field_error(nominate(&app, Role::Coordinator, id, v0).await, StatusCode::CONFLICT, "already_nominated", "volunteer_id").await;
    field_error(nominate(&app, Role::Coordinator, id, v5).await, StatusCode::UNPROCESSABLE_ENTITY, "over_quota", "volunteer_id").await;
    let own = NewAccount {
        login: "leader-v5".into(),
        password: "pw-leader-v5-secret".into(),
        role: Role::TeamLeader,
        unit_id: None,
        team_id: Some(app.fx.teams[0]),
        volunteer_id: Some(v5),
        name: None,
    };
    let token = app.account(&own).await;
    let r = app.api.post(app.url(&format!("/api/v1/honours/rounds/{id}/nominations"))).bearer_auth(&token);
    let r = r.json(&json!({"volunteer_id": v5, "citation": "我自己"})).send().await.unwrap();
    field_error(r, StatusCode::UNPROCESSABLE_ENTITY, "self_nomination", "volunteer_id").await;
    assert_eq!(nominate(&app, Role::Coordinator, id, v3).await.status(), StatusCode::CREATED);

    // Review freezes the scores: a later ledger entry does not move them.
    let r = body(post(&app, &format!("/api/v1/honours/rounds/{id}/review")).await).await;
    assert_eq!(r["stage"], "review");
    assert!(r["scored_at"].is_i64());
    expect_error(nominate(&app, Role::Coordinator, id, v2).await, StatusCode::CONFLICT, "nominations_closed").await;
    credit(&app, v3, 500.0).await;
    let c = body(app.get(Role::Coordinator, &format!("/api/v1/honours/rounds/{id}/candidates")).await).await;
    assert_eq!(c["items"][0]["volunteer_id"], v0, "frozen: {c}");
    let v3_score = c["items"].as_array().unwrap().iter().find(|i| i["volunteer_id"] == v3).unwrap()["score"].clone();
    assert_eq!(v3_score, 35.0);

    // Decisions: a reviewer of the nominee's own unit must step aside.
    let noms = body(app.get(Role::Coordinator, &format!("/api/v1/honours/rounds/{id}/nominations")).await).await;
    let nid = |v: i64| noms["items"].as_array().unwrap().iter().find(|n| n["volunteer_id"] == v).unwrap()["id"].as_i64().unwrap();
    let (n0, n3) = (nid(v0), nid(v3));
    expect_error(post(&app, &format!("/api/v1/honours/rounds/{id}/notice")).await, StatusCode::CONFLICT, "undecided_nominations").await;
    let insider = NewAccount {
        login: "center-unit0".into(),
        password: "pw-center-unit0-secret".into(),
        role: Role::Coordinator,
        unit_id: Some(app.fx.units[0]),
        team_id: None,
        volunteer_id: None,
        name: None,
    };
    let token = app.account(&insider).await;
    let r = app.api.post(app.url(&format!("/api/v1/honours/rounds/{id}/nominations/{n0}/decision"))).bearer_auth(&token);
    expect_error(r.json(&json!({"decision": "approve"})).send().await.unwrap(), StatusCode::CONFLICT, "conflict_of_interest").await;
    for n in [n0, n3] {
        let r = app
            .post(
                Role::Coordinator,
                &format!("/api/v1/honours/rounds/{id}/nominations/{n}/decision"),
                &json!({"decision": "approve", "note": "事迹属实"}),
            )
            .await;
        assert_eq!(r.status(), StatusCode::OK);
    }

    // The public notice: no account, no phone or ID, the dates shown.
    let r = body(post(&app, &format!("/api/v1/honours/rounds/{id}/notice")).await).await;
    assert_eq!(r["stage"], "notice");
    assert_eq!(r["notice_until"].as_i64().unwrap() - r["notice_from"].as_i64().unwrap(), 7 * DAY);
    let page = app.api.get(app.url(&format!("/api/v1/honours/rounds/{id}/notice"))).send().await.unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    let text = page.text().await.unwrap();
    assert!(!text.contains("138000000") && !text.contains("phone") && !text.contains("id_number"), "{text}");
    let notice: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(notice["items"].as_array().unwrap().len(), 2, "{notice}");
    assert_eq!(notice["items"][0]["citation"], "常年服务社区老人");

    // Objections: anyone, anonymous allowed; a bad phone is refused.
    let objection = |n: i64, phone: Option<&str>| json!({"nomination_id": n, "reason": "该同志去年曾被投诉", "phone": phone});
    let url = app.url(&format!("/api/v1/honours/rounds/{id}/objections"));
    let r = app.api.post(&url).json(&objection(n3, Some("12345"))).send().await.unwrap();
    field_error(r, StatusCode::UNPROCESSABLE_ENTITY, "phone_format", "phone").await;
    let r = app.api.post(&url).json(&objection(n3, Some("13900000099"))).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::CREATED);
    let oid = body(r).await["id"].as_i64().unwrap();
    let list = body(app.get(Role::Coordinator, &format!("/api/v1/honours/rounds/{id}/objections")).await).await;
    assert_eq!(list["items"][0]["phone"], "139****0099", "masked by default: {list}");

    // Publication waits for the whole notice and every objection.
    expect_error(post(&app, &format!("/api/v1/honours/rounds/{id}/publish")).await, StatusCode::CONFLICT, "notice_not_over").await;
    let center = app.user(Role::Coordinator).await;
    let later = now_ms() + 7 * DAY + 1_000;
    assert!(matches!(
        app.svc.publish_round(&center, id, later).await,
        Err(tongxing_service::Error::Conflict { code: "objections_open", .. })
    ));
    let finding = json!({"upheld": true, "finding": "经核实投诉属实"});
    assert_eq!(app.post(Role::Coordinator, &format!("/api/v1/honours/objections/{oid}/resolve"), &finding).await.status(), StatusCode::OK);
    expect_error(
        app.post(Role::Coordinator, &format!("/api/v1/honours/objections/{oid}/resolve"), &finding).await,
        StatusCode::CONFLICT,
        "already_resolved",
    )
    .await;
    assert_eq!(app.svc.publish_round(&center, id, later).await.unwrap(), 1, "the upheld objection removed one nominee");

    // The honour: on the public roll with a certificate number, and on the volunteer's record.
    let roll = app.api.get(app.url(&format!("/api/v1/honours?year={}", &today()[..4]))).send().await.unwrap();
    let roll = body(roll).await;
    assert_eq!(roll["total"], 1, "{roll}");
    assert_eq!(roll["items"][0]["volunteer_id"], v0);
    let code = roll["items"][0]["code"].as_str().unwrap().to_string();
    assert!(code.starts_with("ZM"));
    let mine = body(app.get(Role::Volunteer, &format!("/api/v1/volunteers/{v0}/honours")).await).await;
    assert_eq!(mine["items"][0]["code"], code);
    assert_eq!(app.svc.verify_honour(&code).await.unwrap().unwrap().volunteer_id, Some(v0));
    let told = body(app.get(Role::Volunteer, "/api/v1/notifications").await).await;
    assert!(told.to_string().contains("honoured"), "{told}");
    assert!(app.audited(Role::Coordinator, "honour.resolve", "honour_objection", oid).await);

    // The pages: the public notice and roll need no account; the number verifies; the honouree's first screen says so.
    let app = &app;
    let page = |path: String| async move { app.browser().get(app.url(&path)).send().await.unwrap() };
    let notice = page(format!("/honours/{id}/notice")).await;
    assert_eq!(notice.status(), StatusCode::OK);
    let html = notice.text().await.unwrap();
    assert!(html.contains("常年服务社区老人") && !html.contains("13800000001"), "no phone on the notice");
    assert!(page(format!("/honours?year={}", &today()[..4])).await.text().await.unwrap().contains(&code));
    let verify = page(format!("/verify/{code}")).await;
    assert_eq!(verify.status(), StatusCode::OK);
    assert!(verify.text().await.unwrap().contains("年度优秀志愿者"));
    let (client, _) = app.browser_as(Role::Volunteer).await;
    let home = client.get(app.url("/")).send().await.unwrap().text().await.unwrap();
    assert!(home.contains("home-honours"), "the honouree's first screen shows the honour");
}

#[tokio::test]
async fn the_center_sees_open_objections_and_a_resident_objects_on_the_public_page() {
    let app = spawn_app().await;
    let (id, n) = on_notice(&app).await;
    let browser = app.browser();
    let html = browser.get(app.url(&format!("/honours/{id}/notice"))).send().await.unwrap().text().await.unwrap();
    let csrf = crate::helpers::csrf_in(&html);
    let form = [("_csrf", csrf.as_str()), ("nomination_id", &n.to_string()), ("reason", "有居民反映情况不实"), ("name", ""), ("phone", "")];
    let r = browser.post(app.url(&format!("/honours/{id}/notice"))).form(&form).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let list = body(app.get(Role::Coordinator, &format!("/api/v1/honours/rounds/{id}/objections")).await).await;
    assert_eq!(list["total"], 1, "{list}");
    let (client, _) = app.browser_as(Role::Coordinator).await;
    let home = client.get(app.url("/")).send().await.unwrap().text().await.unwrap();
    assert!(home.contains("home-honours"), "the center's first screen shows the objection to answer");
}

/// A round with one approved nominee (volunteer 0) on public notice.
pub(crate) async fn on_notice(app: &TestApp) -> (i64, i64) {
    credit(app, app.fx.volunteers[0], 30.0).await;
    let id = open(app, &round(None)).await;
    let r = nominate(app, Role::Coordinator, id, app.fx.volunteers[0]).await;
    let n = body(r).await["id"].as_i64().unwrap();
    expect_error(
        app.api
            .post(app.url(&format!("/api/v1/honours/rounds/{id}/objections")))
            .json(&json!({"nomination_id": n, "reason": "x"}))
            .send()
            .await
            .unwrap(),
        StatusCode::CONFLICT,
        "not_on_notice",
    )
    .await;
    assert_eq!(post(app, &format!("/api/v1/honours/rounds/{id}/review")).await.status(), StatusCode::OK);
    let r = app
        .post(Role::Coordinator, &format!("/api/v1/honours/rounds/{id}/nominations/{n}/decision"), &json!({"decision": "approve"}))
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(post(app, &format!("/api/v1/honours/rounds/{id}/notice")).await.status(), StatusCode::OK);
    (id, n)
}

#[tokio::test]
async fn objections_are_refused_off_notice_and_a_flood_is_limited() {
    let app = spawn_app().await;
    let (id, n) = on_notice(&app).await;
    let url = app.url(&format!("/api/v1/honours/rounds/{id}/objections"));
    for _ in 0..5 {
        let r = app.api.post(&url).json(&json!({"nomination_id": n, "reason": "有异议"})).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::CREATED);
    }
    let r = app.api.post(&url).json(&json!({"nomination_id": n, "reason": "有异议"})).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
    let r = app.api.post(&url).json(&json!({"nomination_id": 999_999, "reason": "有异议"})).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let center = app.user(Role::Coordinator).await;
    assert!(matches!(
        app.svc.publish_round(&center, id, now_ms() + 8 * DAY).await,
        Err(tongxing_service::Error::Conflict { code: "objections_open", .. })
    ));
}

#[tokio::test]
async fn a_round_may_weigh_every_measure_the_record_holds() {
    let app = spawn_app().await;
    let year = &today()[..4];
    let metrics = tongxing_domain::honours::round::METRICS;
    let criteria: Vec<Value> = metrics
        .iter()
        .enumerate()
        .map(|(i, m)| json!({"metric": m, "weight": if i == 0 { 100 - 12 * (metrics.len() as i64 - 1) } else { 12 }}))
        .collect();
    let input = json!({"title": "全项评分", "kind": "volunteer", "period_from": format!("{year}-01-01"),
                       "period_to": format!("{year}-12-31"), "criteria": criteria,
                       "nominate_until": format!("{year}-12-31"), "notice_days": 7});
    let id = open(&app, &input).await;
    let c = body(app.get(Role::Coordinator, &format!("/api/v1/honours/rounds/{id}/candidates")).await).await;
    let first = &c["items"][0];
    assert_eq!(first["breakdown"].as_array().unwrap().len(), metrics.len(), "a part per measure: {c}");
}
