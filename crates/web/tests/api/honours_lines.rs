//! Behind every figure of a candidate's breakdown, the entries it was read
//! from (a team's: its members'); a unit's or district's own quota; a live
//! candidate list kept until the record moves, a frozen one read as stored.

use reqwest::StatusCode;
use serde_json::{json, Value};
use tongxing_domain::role::Role;
use tongxing_store::ledger::{append, NewEntry};
use tongxing_store::{now_ms, Db};

use crate::helpers::{body, expect_error, spawn_app, TestApp};
use crate::honours::{credit, nominate, open, post, real_name, round, today};

/// A confirmed entry of `hours` today for an activity or a need.
async fn served(app: &TestApp, volunteer_id: i64, hours: f64, activity_id: Option<i64>, need_id: Option<i64>) {
    let e = NewEntry { volunteer_id, kind: "manual", hours, served_on: today(), activity_id, need_id, ..Default::default() };
    append(&app.svc.db, &[e]).await.unwrap();
}

/// Sets a need's rating as the requester's would.
async fn rate(app: &TestApp, need: i64, stars: i64) {
    let sql = "UPDATE needs SET rating_stars = $1 WHERE id = $2";
    match &app.svc.db {
        Db::Sqlite { write, .. } => sqlx::query(sql).bind(stars).bind(need).execute(write).await.map(drop).unwrap(),
        Db::Postgres(pool) => sqlx::query(sql).bind(stars).bind(need).execute(pool).await.map(drop).unwrap(),
    };
}

async fn lines(app: &TestApp, round: i64, metric: &str, subject: i64) -> Vec<Value> {
    let r = app.get(Role::Coordinator, &format!("/api/v1/honours/rounds/{round}/lines/{metric}/{subject}?per_page=100")).await;
    assert_eq!(r.status(), StatusCode::OK, "{metric} of {subject}");
    body(r).await["items"].as_array().unwrap().clone()
}

fn candidate(list: &Value, key: &str, id: i64) -> Value {
    list["items"].as_array().unwrap().iter().find(|c| c[key] == id).unwrap_or_else(|| panic!("{key} {id} in {list}")).clone()
}

fn figure(c: &Value, metric: &str) -> f64 {
    c["breakdown"].as_array().unwrap().iter().find(|p| p["metric"] == metric).unwrap()["value"].as_f64().unwrap()
}

fn sum(lines: &[Value]) -> f64 {
    lines.iter().map(|l| l["value"].as_f64().unwrap()).sum()
}

#[tokio::test]
async fn every_figure_lists_the_entries_behind_it_for_people_and_teams() {
    let app = spawn_app().await;
    let [v0, _, v2] = app.fx.volunteers;
    let now = now_ms();
    let activity = crate::activities::create(&app, crate::activities::plan(&app, now - 7_200_000, now - 3_600_000, 10), json!({})).await;
    let need = crate::needs::published_as(&app, "帮独居老人买药", 0, "13700000001").await;
    served(&app, v0, 10.0, Some(activity), None).await;
    served(&app, v0, 5.0, Some(activity), None).await;
    served(&app, v0, 8.0, None, Some(need)).await;
    served(&app, v2, 7.0, Some(activity), None).await;
    rate(&app, need, 4).await;
    let year = &today()[..4];
    let criteria = json!([{"metric": "hours", "weight": 40}, {"metric": "activities", "weight": 20}, {"metric": "needs_served", "weight": 10},
                          {"metric": "need_rating", "weight": 10}, {"metric": "emergency_answered", "weight": 10}, {"metric": "care_visits", "weight": 10}]);
    let mut input = round(None);
    input["criteria"] = criteria.clone();
    input["min_hours"] = json!(0);
    let id = open(&app, &input).await;
    let c = body(app.get(Role::Coordinator, &format!("/api/v1/honours/rounds/{id}/candidates?per_page=100")).await).await;
    let mine = candidate(&c, "volunteer_id", v0);

    let hours = lines(&app, id, "hours", v0).await;
    assert_eq!((hours.len(), sum(&hours)), (3, figure(&mine, "hours")), "{hours:?}");
    let acts = lines(&app, id, "activities", v0).await;
    assert_eq!(acts.len() as f64, figure(&mine, "activities"));
    assert_eq!(acts[0]["url"], format!("/activities/{activity}"));
    assert_eq!(acts[0]["what"], "敬老院义剪");
    let needs = lines(&app, id, "needs_served", v0).await;
    assert_eq!((needs.len() as f64, needs[0]["url"].clone()), (figure(&mine, "needs_served"), json!(format!("/needs/{need}"))));
    let rated = lines(&app, id, "need_rating", v0).await;
    assert_eq!((rated.len(), figure(&mine, "need_rating")), (1, 4.0));
    assert_eq!(rated[0]["value"], 4.0);
    for metric in ["emergency_answered", "care_visits", "emergency_attended", "childcare_shifts", "training_given"] {
        assert!(lines(&app, id, metric, v0).await.is_empty(), "{metric}: none in the record");
    }
    for bad in [format!("lines/nonsense/{v0}"), "lines/hours/999999".into()] {
        let r = app.get(Role::Coordinator, &format!("/api/v1/honours/rounds/{id}/{bad}")).await;
        assert_eq!(r.status(), StatusCode::NOT_FOUND, "{bad}");
    }
    expect_error(
        app.get(Role::Volunteer, &format!("/api/v1/honours/rounds/{id}/lines/hours/{v0}")).await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    let x = app.get(Role::Coordinator, &format!("/api/v1/honours/rounds/{id}/lines/hours/{v0}?format=xlsx")).await;
    assert!(x.headers()["content-type"].to_str().unwrap().contains("spreadsheet"));

    // The round's page links each figure to its entries, and that page lists them.
    let (center, _) = app.browser_as(Role::Coordinator).await;
    let html = center.get(app.url(&format!("/honours/rounds/{id}"))).send().await.unwrap().text().await.unwrap();
    for metric in ["hours", "activities", "needs_served", "emergency_answered", "care_visits"] {
        assert!(html.contains(&format!("/honours/rounds/{id}/lines/{metric}/{v0}")), "{metric} linked");
    }
    let r = center.get(app.url(&format!("/honours/rounds/{id}/lines/activities/{v0}"))).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let html = r.text().await.unwrap();
    assert!(html.contains("敬老院义剪") && html.contains(&format!("href=\"/activities/{activity}\"")), "{html}");

    // A team's figures are its members': team 0 is 张晓静 (v0) and nobody else who served.
    let t0 = app.fx.teams[0];
    let teams = json!({"title": format!("{year} 优秀志愿服务队"), "kind": "team", "period_from": format!("{year}-01-01"),
                       "period_to": format!("{year}-12-31"), "min_hours": 0, "criteria": criteria,
                       "nominate_until": format!("{year}-12-31"), "notice_days": 7});
    let tid = open(&app, &teams).await;
    let c = body(app.get(Role::Coordinator, &format!("/api/v1/honours/rounds/{tid}/candidates")).await).await;
    let team = candidate(&c, "team_id", t0);
    let hours = lines(&app, tid, "hours", t0).await;
    assert_eq!(sum(&hours), figure(&team, "hours"));
    assert!(hours.iter().all(|l| l["volunteer_id"] == v0), "{hours:?}");
    assert_eq!(lines(&app, tid, "activities", t0).await.len() as f64, figure(&team, "activities"));
    let r = app.get(Role::Coordinator, &format!("/api/v1/honours/rounds/{tid}/lines/hours/999999")).await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND, "no such team");
    let html = center.get(app.url(&format!("/honours/rounds/{tid}"))).send().await.unwrap().text().await.unwrap();
    assert!(html.contains(&format!("/honours/rounds/{tid}/lines/hours/{t0}")), "a team's figure is linked too");
}

#[tokio::test]
async fn a_live_list_follows_the_ledger_and_a_frozen_one_does_not() {
    let app = spawn_app().await;
    let v0 = app.fx.volunteers[0];
    credit(&app, v0, 30.0).await;
    let id = open(&app, &round(None)).await;
    let hours = |c: &Value| candidate(c, "volunteer_id", v0)["hours"].as_f64().unwrap();
    let url = format!("/api/v1/honours/rounds/{id}/candidates?per_page=100");
    let first = body(app.get(Role::Coordinator, &url).await).await;
    assert_eq!(hours(&first), 30.0);
    assert_eq!(body(app.get(Role::Coordinator, &url).await).await, first, "read again, the same");
    // A new entry (a correction is one too) moves the live list at once.
    credit(&app, v0, 5.0).await;
    assert_eq!(hours(&body(app.get(Role::Coordinator, &url).await).await), 35.0);
    assert_eq!(post(&app, &format!("/api/v1/honours/rounds/{id}/review")).await.status(), StatusCode::OK);
    credit(&app, v0, 40.0).await;
    let frozen = body(app.get(Role::Coordinator, &url).await).await;
    assert_eq!(hours(&frozen), 35.0, "frozen at review: {frozen}");
}

#[tokio::test]
async fn a_unit_may_have_a_quota_of_its_own() {
    let app = spawn_app().await;
    let [u0, u1] = app.fx.units;
    let bad = |quotas: Value| {
        let mut r = round(Some(1));
        r["quotas"] = quotas;
        r
    };
    for (quotas, code) in [
        (json!([{"group_id": 999_999, "quota": 1}]), "unknown_unit"),
        (json!([{"group_id": u0, "quota": -1}]), "out_of_range"),
        (json!([{"group_id": u0, "quota": 2}, {"group_id": u0, "quota": 3}]), "duplicate"),
    ] {
        let e = expect_error(
            app.post(Role::Coordinator, "/api/v1/honours/rounds", &bad(quotas.clone())).await,
            StatusCode::UNPROCESSABLE_ENTITY,
            code,
        )
        .await;
        assert_eq!(e["field"], "quotas", "{quotas}: {e}");
    }
    // A team round's own quotas name districts.
    let mut teams = bad(json!([{"group_id": 999_999, "quota": 1}]));
    teams["kind"] = json!("team");
    expect_error(app.post(Role::Coordinator, "/api/v1/honours/rounds", &teams).await, StatusCode::UNPROCESSABLE_ENTITY, "unknown_district")
        .await;

    let v0 = app.fx.volunteers[0];
    let a = real_name(&app, 0, "13800000021", "11010519800101011", "孙立").await;
    let b = real_name(&app, 0, "13800000022", "11010519800101012", "钱芳").await;
    let c = real_name(&app, 1, "13800000023", "11010519800101013", "陈刚").await;
    for (v, h) in [(v0, 50.0), (a, 40.0), (b, 30.0), (c, 60.0)] {
        credit(&app, v, h).await;
    }
    // One per unit, but two from unit 0 and none from unit 1.
    let id = open(&app, &bad(json!([{"group_id": u0, "quota": 2}, {"group_id": u1, "quota": 0}]))).await;
    let r = body(app.get(Role::Coordinator, &format!("/api/v1/honours/rounds/{id}")).await).await;
    assert_eq!(r["quotas"], json!([{"group_id": u0, "quota": 2}, {"group_id": u1, "quota": 0}]));
    for v in [v0, a] {
        assert_eq!(nominate(&app, Role::Coordinator, id, v).await.status(), StatusCode::CREATED);
    }
    for v in [b, c] {
        let e = expect_error(nominate(&app, Role::Coordinator, id, v).await, StatusCode::UNPROCESSABLE_ENTITY, "over_quota").await;
        assert_eq!(e["field"], "volunteer_id");
    }
    // Both of unit 0 make the result list.
    assert_eq!(post(&app, &format!("/api/v1/honours/rounds/{id}/review")).await.status(), StatusCode::OK);
    let list = body(app.get(Role::Coordinator, &format!("/api/v1/honours/rounds/{id}/nominations")).await).await;
    for n in list["items"].as_array().unwrap() {
        let decide = format!("/api/v1/honours/rounds/{id}/nominations/{}/decision", n["id"]);
        assert_eq!(app.post(Role::Coordinator, &decide, &json!({"decision": "approve"})).await.status(), StatusCode::OK);
    }
    let list = body(app.get(Role::Coordinator, &format!("/api/v1/honours/rounds/{id}/nominations")).await).await;
    let kept: Vec<bool> = list["items"].as_array().unwrap().iter().map(|n| n["within_quota"].as_bool().unwrap()).collect();
    assert_eq!(kept, [true, true], "{list}");

    // The form takes a unit's own quota, and shows it on the round's page.
    let (center, csrf) = app.browser_as(Role::Coordinator).await;
    let year = &today()[..4];
    let own = format!("quota_unit_{u0}");
    let form = [
        ("_csrf", csrf.clone()),
        ("title", "表单评选".into()),
        ("kind", "volunteer".into()),
        ("period_from", format!("{year}-01-01")),
        ("period_to", format!("{year}-12-31")),
        ("quota_per_unit", "1".into()),
        (own.as_str(), "3".into()),
        ("nominate_until", format!("{year}-12-31")),
        ("notice_days", "7".into()),
        ("weight_hours", "100".into()),
    ];
    let r = center.post(app.url("/honours/rounds")).form(&form).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let at = r.headers()["location"].to_str().unwrap().split('?').next().unwrap().to_string();
    let html = center.get(app.url(&at)).send().await.unwrap().text().await.unwrap();
    assert!(html.contains("单独名额"), "own quotas shown");
    let mut bad_form = form.to_vec();
    bad_form.push(("quota_unit_999999", "2".into()));
    let r = center.post(app.url("/honours/rounds")).form(&bad_form).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.unwrap().contains("单位不存在"));
}
