//! Competitions: entrants, coaches, places and awards, entered by each
//! unit, and the records they add up to for the entrant and the coach.

use chrono::Duration;
use reqwest::StatusCode;
use serde_json::{json, Value};
use tongxing_domain::role::Role;

use super::{person, today, trade};
use crate::helpers::{body, expect_error, spawn_app, TestApp};

async fn result(app: &TestApp, role: Role, id: i64, b: Value) -> reqwest::Response {
    app.post(role, &format!("/api/v1/competitions/{id}/results"), &b).await
}

#[tokio::test]
async fn awards_enter_the_entrants_record_and_the_coachs() {
    let app = spawn_app().await;
    trade(&app, "js", "集输", json!([])).await;
    let contest = json!({"title": "胜利油田集输工职业技能竞赛", "level": "oilfield", "trade": "js", "held_on": "2019-10-18"});
    let r = app.post(Role::Coordinator, "/api/v1/competitions", &contest).await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let id = body(r).await["id"].as_i64().unwrap();
    // A liaison holds their own unit's contest, never another's.
    let mut own = contest.clone();
    own["level"] = json!("unit");
    own["title"] = json!("东胜公司集输工技能比武");
    let unit_contest = body(app.post(Role::Liaison, "/api/v1/competitions", &own).await).await["id"].as_i64().unwrap();
    let d = body(app.get(Role::Viewer, &format!("/api/v1/competitions/{unit_contest}")).await).await;
    assert_eq!(d["unit_id"], app.fx.units[0]);
    own["unit_id"] = json!(app.fx.units[1]);
    expect_error(app.post(Role::Liaison, "/api/v1/competitions", &own).await, StatusCode::FORBIDDEN, "forbidden").await;
    expect_error(app.post(Role::Volunteer, "/api/v1/competitions", &contest).await, StatusCode::FORBIDDEN, "forbidden").await;
    for (field, value, code) in [
        ("level", json!("world"), "unknown_choice"),
        ("held_on", json!("2019-13-01"), "date_format"),
        ("trade", json!("nope"), "unknown_reference"),
    ] {
        let mut bad = contest.clone();
        bad[field] = value;
        let e = expect_error(app.post(Role::Coordinator, "/api/v1/competitions", &bad).await, StatusCode::UNPROCESSABLE_ENTITY, code).await;
        assert_eq!(e["field"], field);
    }

    // Her six entrants: five awarded, one special prize by name.
    let coach = app.fx.volunteers[0];
    let mut entrants = vec![app.fx.volunteers[1]];
    for (i, name) in ["刘海涛", "陈立新", "王志刚", "赵磊", "孙丽"].iter().enumerate() {
        entrants.push(person(&app, name, &format!("139000001{i:02}")).await);
    }
    let awards = [json!("gold"), json!("silver"), json!("bronze"), json!("bronze"), json!("special"), json!(null)];
    for (n, (p, award)) in entrants.iter().zip(&awards).enumerate() {
        let prize = if award == "special" { json!("最佳操作奖") } else { json!(null) };
        let b = json!({"person_id": p, "coach_id": coach, "rank": n + 1, "award": award, "prize": prize});
        assert_eq!(result(&app, Role::Liaison, id, b).await.status(), StatusCode::CREATED);
    }
    let p = entrants[1];
    for (b, field, code) in [
        (json!({"person_id": p, "award": "special"}), "prize", "required"),
        (json!({"person_id": p, "coach_id": p}), "coach_id", "own_coach"),
        (json!({"person_id": p, "award": "platinum"}), "award", "unknown_choice"),
        (json!({"person_id": p, "rank": 0}), "rank", "out_of_range"),
        (json!({"person_id": p, "coach_id": 987654}), "coach_id", "unknown_reference"),
    ] {
        let e = expect_error(result(&app, Role::Liaison, id, b.clone()).await, StatusCode::UNPROCESSABLE_ENTITY, code).await;
        assert_eq!(e["field"], field, "{b}");
    }
    expect_error(result(&app, Role::Liaison, id, json!({"person_id": app.fx.volunteers[2]})).await, StatusCode::FORBIDDEN, "forbidden")
        .await;
    expect_error(result(&app, Role::Liaison, 987654, json!({"person_id": p})).await, StatusCode::NOT_FOUND, "not_found").await;

    let d = body(app.get(Role::Viewer, &format!("/api/v1/competitions/{id}")).await).await;
    assert_eq!((d["entrants"].as_i64(), d["awarded"].as_i64()), (Some(6), Some(5)), "{d}");
    assert_eq!(d["entries"][0]["award"], "gold");
    assert_eq!(d["entries"][0]["coach_name"], "张晓静");
    assert_eq!(d["entries"][4]["prize"], "最佳操作奖");
    // Recording an entrant again replaces their entry.
    let b = json!({"person_id": entrants[5], "coach_id": coach, "rank": 6, "award": "bronze"});
    let d = body(result(&app, Role::Liaison, id, b).await).await;
    assert_eq!((d["entrants"].as_i64(), d["awarded"].as_i64()), (Some(6), Some(6)));
    let b = json!({"person_id": entrants[5], "coach_id": coach, "rank": 6});
    assert_eq!(body(result(&app, Role::Liaison, id, b).await).await["awarded"], 5);

    // A contest still ahead takes entrants, not places or awards.
    let ahead = json!({"title": "省集输工大赛", "level": "province", "trade": "js", "held_on": (today() + Duration::days(30)).to_string()});
    let ahead = body(app.post(Role::Coordinator, "/api/v1/competitions", &ahead).await).await["id"].as_i64().unwrap();
    let e = expect_error(
        result(&app, Role::Liaison, ahead, json!({"person_id": p, "award": "gold"})).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "not_yet_held",
    )
    .await;
    assert_eq!(e["field"], "award");
    assert_eq!(result(&app, Role::Liaison, ahead, json!({"person_id": p, "coach_id": coach})).await.status(), StatusCode::CREATED);

    // The coach's record: six coached, five awarded, in the province's too as an entrant's coach.
    let mine = body(app.get(Role::Volunteer, &format!("/api/v1/people/{coach}/competitions")).await).await;
    assert_eq!(mine["summary"], json!({"entered": 0, "awarded": 0, "coached": 7, "coached_awarded": 5}), "{mine}");
    let theirs = body(app.get(Role::Liaison, &format!("/api/v1/people/{}/competitions", entrants[0])).await).await;
    assert_eq!(theirs["entries"][0]["award"], "gold");
    assert_eq!(theirs["summary"]["awarded"], 1);
    expect_error(
        app.get(Role::Volunteer, &format!("/api/v1/people/{}/competitions", entrants[0])).await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    assert!(app.audited(Role::Liaison, "competition_result", "volunteer", entrants[0]).await);

    let list = body(app.get(Role::Volunteer, "/api/v1/competitions?level=oilfield&trade=js").await).await;
    assert_eq!(list["total"], 1);
    expect_error(app.get(Role::Volunteer, "/api/v1/competitions?level=galactic").await, StatusCode::UNPROCESSABLE_ENTITY, "unknown_choice")
        .await;
    for x in ["/api/v1/competitions?format=xlsx".to_string(), format!("/api/v1/competitions/{id}?format=xlsx")] {
        let x = app.get(Role::Viewer, &x).await;
        assert!(x.headers()["content-type"].to_str().unwrap().contains("spreadsheetml"));
    }
}

#[tokio::test]
async fn a_liaison_records_a_result_on_the_page_and_the_coach_sees_it_on_theirs() {
    let app = spawn_app().await;
    trade(&app, "js", "集输", json!([])).await;
    let (liaison, csrf) = app.browser_as(Role::Liaison).await;
    let form =
        [("title", "东胜公司集输工技能比武"), ("level", "unit"), ("trade", "js"), ("held_on", "2024-11-08"), ("_csrf", csrf.as_str())];
    let r = liaison.post(app.url("/skills/competitions")).form(&form).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let id = body(app.get(Role::Viewer, "/api/v1/competitions").await).await["items"][0]["id"].as_i64().unwrap();
    let page = liaison.get(app.url(&format!("/skills/competitions/{id}"))).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("id=\"competition-result\"") && page.contains("李国强"), "the unit's people to choose from");
    let (p, coach) = (app.fx.volunteers[1].to_string(), app.fx.volunteers[0].to_string());
    let form = [
        ("person_id", p.as_str()),
        ("coach_id", coach.as_str()),
        ("rank", "1"),
        ("award", "gold"),
        ("prize", ""),
        ("_csrf", csrf.as_str()),
    ];
    let r = liaison.post(app.url(&format!("/skills/competitions/{id}/results"))).form(&form).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let (worker, _) = app.browser_as(Role::Volunteer).await;
    let page = worker.get(app.url("/skills")).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("id=\"skills-competitions-own\""), "the coach's card");
    let list = worker.get(app.url("/skills/competitions")).send().await.unwrap().text().await.unwrap();
    assert!(list.contains("东胜公司集输工技能比武") && !list.contains("id=\"competition-add\""), "a worker reads, does not add");
    let page = worker.get(app.url(&format!("/skills/competitions/{id}"))).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("李国强") && page.contains("张晓静") && !page.contains("id=\"competition-result\""));
}
