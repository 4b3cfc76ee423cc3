//! Emergency dispatch (应急调度) through the API: the split, the waves, the
//! atomic fill under racing answers from two instances, roll call and report.

use reqwest::StatusCode;
use serde_json::{json, Value};
use tongxing_domain::role::Role;
use tongxing_domain::time::rfc3339;
use tongxing_store::now_ms;

use crate::helpers::{body, expect_error, id_number, spawn_app, TestApp};
use crate::instances::second_instance;

const HOUR: i64 = 3_600_000;

/// `n` adults of `unit` living in community 0; returns their ids.
pub async fn adults(app: &TestApp, unit: usize, n: usize, first: usize) -> Vec<i64> {
    adults_in(app, unit, n, first, app.fx.communities[0]).await
}

/// `n` adults of `unit` living in `community`; `first` keeps phones and ID numbers apart.
pub async fn adults_in(app: &TestApp, unit: usize, n: usize, first: usize, community: i64) -> Vec<i64> {
    let mut ids = Vec::with_capacity(n);
    for i in first..first + n {
        let v = tongxing_domain::registry::VolunteerInput {
            name: format!("应急队员{i}"),
            phone: format!("136{:08}", i),
            id_number: Some(id_number(&format!("370502198{}01{:02}{:03}", i / 28_000 % 10, 1 + i / 1000 % 28, i % 1000))),
            unit_id: app.fx.units[unit],
            community_id: community,
            skills: if i % 2 == 0 { vec!["急救".into()] } else { vec![] },
            ..Default::default()
        };
        let checked = v.check().unwrap();
        ids.push(tongxing_store::registry::volunteers::create(&app.svc.db, &app.svc.record(&v, &checked)).await.unwrap());
    }
    ids
}

fn call(app: &TestApp, needed: i64) -> Value {
    let t = now_ms() + 2 * HOUR;
    json!({"title": "清理积水", "community_id": app.fx.communities[0], "starts_at": rfc3339(t), "ends_at": rfc3339(t + 4 * HOUR),
           "needed": needed})
}

async fn create(app: &TestApp, input: &Value) -> Value {
    let r = app.post(Role::Coordinator, "/api/v1/dispatches", input).await;
    assert_eq!(r.status(), StatusCode::CREATED);
    body(r).await
}

async fn answer(app: &TestApp, id: i64, volunteer: i64, answer: &str) -> Value {
    let r = app
        .post(Role::Coordinator, &format!("/api/v1/dispatches/{id}/responses"), &json!({"volunteer_id": volunteer, "answer": answer}))
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    body(r).await
}

#[tokio::test]
async fn a_call_is_split_by_eligible_people_and_the_first_wave_and_liaisons_are_told() {
    let app = spawn_app().await;
    adults(&app, 0, 30, 0).await;
    adults(&app, 1, 10, 100).await;
    let preview = body(app.post(Role::Coordinator, "/api/v1/dispatches/preview", &call(&app, 8)).await).await;
    // Unit 0 also has the fixture's adult volunteer: 31 and 10 eligible.
    assert_eq!(preview["eligible"], 41, "{preview}");
    let quotas: Vec<(i64, i64)> =
        preview["quotas"].as_array().unwrap().iter().map(|q| (q["eligible"].as_i64().unwrap(), q["quota"].as_i64().unwrap())).collect();
    assert_eq!(quotas, vec![(31, 6), (10, 2)]);

    let created = create(&app, &call(&app, 8)).await;
    let id = created["id"].as_i64().unwrap();
    // Nobody asked before: an even chance each, so 2.5 × quota per unit.
    assert_eq!(created["notified"], 20);
    let board = body(app.get(Role::Coordinator, &format!("/api/v1/dispatches/{id}")).await).await;
    assert_eq!((board["needed"].as_i64(), board["confirmed"].as_i64(), board["status"].as_str()), (Some(8), Some(0), Some("open")));
    assert_eq!(board["quotas"][0]["notified"], 15);
    // The unit's liaison hears of their quota; the fixture's volunteer account, if asked, of the call.
    let n = body(app.get(Role::Liaison, "/api/v1/notifications").await).await;
    assert!(n["items"].as_array().unwrap().iter().any(|x| x["kind"] == "dispatch_quota"), "{n}");

    // Skills narrow the call: only people with 急救 (every even one) are asked.
    let mut skilled = call(&app, 4);
    skilled["skills"] = json!(["急救"]);
    skilled["starts_at"] = json!(rfc3339(now_ms() + 30 * HOUR));
    skilled["ends_at"] = json!(rfc3339(now_ms() + 32 * HOUR));
    let p = body(app.post(Role::Coordinator, "/api/v1/dispatches/preview", &skilled).await).await;
    assert_eq!(p["eligible"], 21, "15 + 5 even-numbered and the fixture's volunteer");
    let c = body(app.get(Role::Coordinator, &format!("/api/v1/dispatches/{id}/candidates?limit=5")).await).await;
    let scores: Vec<f64> = c["items"].as_array().unwrap().iter().map(|x| x["score"].as_f64().unwrap()).collect();
    assert_eq!(scores.len(), 5);
    assert!(scores.windows(2).all(|w| w[0] >= w[1]), "best first: {scores:?}");
    // Everyone eligible is listed, the 20 asked marked; having just been
    // asked, they rank below those who were not (the next wave's people).
    let all = body(app.get(Role::Coordinator, &format!("/api/v1/dispatches/{id}/candidates?limit=100")).await).await;
    let marks: Vec<bool> = all["items"].as_array().unwrap().iter().map(|x| x["notified"].as_bool().unwrap()).collect();
    assert_eq!((marks.len(), marks.iter().filter(|m| **m).count()), (41, 20));
    assert!(marks.windows(2).all(|w| w[0] <= w[1]), "not yet asked first: {marks:?}");
}

#[tokio::test]
async fn acceptances_fill_exactly_later_ones_wait_and_a_withdrawal_promotes_standby() {
    let app = spawn_app().await;
    let people = adults(&app, 0, 12, 0).await;
    let id = create(&app, &call(&app, 3)).await["id"].as_i64().unwrap();
    let asked: Vec<i64> = people.iter().copied().take(5).collect();
    let mut statuses = Vec::new();
    for &v in &asked {
        statuses.push(answer(&app, id, v, "accept").await["status"].as_str().unwrap().to_string());
    }
    assert_eq!(statuses, ["confirmed", "confirmed", "confirmed", "standby", "standby"]);
    // A double tap is the same answer, not a second effect.
    let again = answer(&app, id, asked[0], "accept").await;
    assert_eq!((again["status"].as_str(), again["changed"].as_bool()), (Some("confirmed"), Some(false)));
    let board = body(app.get(Role::Coordinator, &format!("/api/v1/dispatches/{id}")).await).await;
    assert_eq!((board["confirmed"].as_i64(), board["standby"].as_i64(), board["status"].as_str()), (Some(3), Some(2), Some("filled")));

    // A confirmed person withdraws: the first on standby moves up and is told.
    assert_eq!(answer(&app, id, asked[1], "decline").await["status"], "withdrawn");
    let board = body(app.get(Role::Coordinator, &format!("/api/v1/dispatches/{id}")).await).await;
    assert_eq!((board["confirmed"].as_i64(), board["standby"].as_i64(), board["status"].as_str()), (Some(3), Some(1), Some("filled")));
    let roster = body(app.get(Role::Coordinator, &format!("/api/v1/dispatches/{id}/roster")).await).await;
    let confirmed: Vec<i64> = roster["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["status"] == "confirmed")
        .map(|r| r["volunteer_id"].as_i64().unwrap())
        .collect();
    assert_eq!(confirmed.len(), 3);
    assert!(confirmed.contains(&asked[3]) && !confirmed.contains(&asked[1]));
    assert!(roster["items"][0]["phone"].as_str().unwrap().starts_with("136"), "the roster is for calling people");

    // The confirmed are the backing activity's sign-ups: roll call is the activity's check-in.
    let activity = board["activity_id"].as_i64().unwrap();
    let a = body(app.get(Role::Coordinator, &format!("/api/v1/activities/{activity}")).await).await;
    assert_eq!(a["confirmed"], 3);
    assert_eq!(a["capacity"], 3);
    let r = app.post(Role::Coordinator, &format!("/api/v1/activities/{activity}/signups"), &json!({"volunteer_id": people[11]})).await;
    assert!(r.status().is_client_error(), "nobody signs up to a call's activity past the call");

    // Topping up by 2 moves the last on standby up and asks a wave for the rest.
    let r = app.post(Role::Coordinator, &format!("/api/v1/dispatches/{id}/top-up"), &json!({"add": 2})).await;
    assert_eq!(r.status(), StatusCode::OK);
    assert!(body(r).await["notified"].as_i64().unwrap() > 0);
    let board = body(app.get(Role::Coordinator, &format!("/api/v1/dispatches/{id}")).await).await;
    assert_eq!(
        (board["needed"].as_i64(), board["confirmed"].as_i64(), board["standby"].as_i64(), board["status"].as_str()),
        (Some(5), Some(4), Some(0), Some("open"))
    );
    let bad = app.post(Role::Coordinator, &format!("/api/v1/dispatches/{id}/top-up"), &json!({"add": 0})).await;
    assert_eq!(body(bad).await["error"]["field"], "add");

    let xlsx = app.get(Role::Coordinator, &format!("/api/v1/dispatches/{id}/roster?format=xlsx")).await;
    assert_eq!(xlsx.status(), StatusCode::OK);
    assert!(xlsx.headers()["content-type"].to_str().unwrap().contains("spreadsheet"));

    let report = body(app.get(Role::Coordinator, &format!("/api/v1/dispatches/{id}/report")).await).await;
    assert!(report["minutes_to_fill"].as_f64().is_some(), "{report}");
    assert_eq!(report["responders"].as_array().unwrap().len(), 5);

    // Closing ends it: no answer changes it any more.
    let closed = body(app.post(Role::Coordinator, &format!("/api/v1/dispatches/{id}/close"), &json!({})).await).await;
    assert_eq!(closed["status"], "closed");
    let r = app
        .post(Role::Coordinator, &format!("/api/v1/dispatches/{id}/responses"), &json!({"volunteer_id": asked[4], "answer": "accept"}))
        .await;
    expect_error(r, StatusCode::CONFLICT, "call_closed").await;
}

#[tokio::test]
async fn bad_calls_and_answers_are_refused_with_the_field() {
    let app = spawn_app().await;
    let past = now_ms() - 10 * HOUR;
    for (patch, field) in [
        (json!({"needed": 0}), "needed"),
        (json!({"needed": 1_000_000}), "needed"),
        (json!({"community_id": 999_999}), "community_id"),
        (json!({"starts_at": rfc3339(past), "ends_at": rfc3339(past + HOUR)}), "starts_at"),
        (json!({"unit_ids": [999_999]}), "unit_ids"),
    ] {
        let mut input = call(&app, 5);
        for (k, v) in patch.as_object().unwrap() {
            input[k] = v.clone();
        }
        let r = app.post(Role::Coordinator, "/api/v1/dispatches", &input).await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY, "{field}");
        assert_eq!(body(r).await["error"]["field"], field);
    }
    expect_error(app.post(Role::TeamLeader, "/api/v1/dispatches", &call(&app, 5)).await, StatusCode::FORBIDDEN, "forbidden").await;

    let id = create(&app, &call(&app, 5)).await["id"].as_i64().unwrap();
    // A volunteer answers only for themselves.
    let other = json!({"volunteer_id": app.fx.volunteers[2], "answer": "accept"});
    expect_error(
        app.post(Role::Volunteer, &format!("/api/v1/dispatches/{id}/responses"), &other).await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    // A liaison commits their own unit's people, not another unit's.
    let mine = adults(&app, 0, 2, 500).await;
    let r = app.post(Role::Liaison, &format!("/api/v1/dispatches/{id}/commitments"), &json!({"volunteer_ids": mine})).await;
    assert_eq!(r.status(), StatusCode::OK);
    let statuses: Vec<String> =
        body(r).await["items"].as_array().unwrap().iter().map(|x| x["status"].as_str().unwrap().to_string()).collect();
    assert_eq!(statuses, ["confirmed", "confirmed"]);
    let theirs = json!({"volunteer_ids": [app.fx.volunteers[2]]});
    expect_error(
        app.post(Role::Liaison, &format!("/api/v1/dispatches/{id}/commitments"), &theirs).await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    // An unknown answer link is a 404.
    let r = app.api.post(app.url("/api/v1/dispatches/answers/nope")).json(&json!({"answer": "accept"})).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_commitment_to_a_closed_call_is_refused_and_leaves_no_trace() {
    let app = spawn_app().await;
    let id = create(&app, &call(&app, 2)).await["id"].as_i64().unwrap();
    let closed = body(app.post(Role::Coordinator, &format!("/api/v1/dispatches/{id}/close"), &json!({})).await).await;
    assert_eq!(closed["status"], "closed");
    // Someone of the liaison's unit who was never asked on the call.
    let late = adults(&app, 0, 1, 700).await[0];
    let r = app.post(Role::Liaison, &format!("/api/v1/dispatches/{id}/commitments"), &json!({"volunteer_ids": [late]})).await;
    expect_error(r, StatusCode::CONFLICT, "call_closed").await;
    let rows = tongxing_store::dispatch::answers::responses(&app.svc.db, id, &[]).await.unwrap();
    assert!(rows.iter().all(|r| r.volunteer_id != late), "no response row for the refused commitment: {rows:?}");
}

#[tokio::test]
async fn six_hundred_accepting_at_once_on_two_instances_fill_exactly_sixty() {
    let app = spawn_app().await;
    let b = second_instance(&app).await;
    let people = adults(&app, 0, 400, 0).await.into_iter().chain(adults(&app, 1, 200, 1000).await).collect::<Vec<_>>();
    let id = create(&app, &call(&app, 60)).await["id"].as_i64().unwrap();
    // Further waves ask the rest until everyone has been asked.
    for _ in 0..10 {
        let w = body(app.post(Role::Coordinator, &format!("/api/v1/dispatches/{id}/waves"), &json!({})).await).await;
        if w["notified"] == 0 {
            break;
        }
    }
    let board = body(app.get(Role::Coordinator, &format!("/api/v1/dispatches/{id}")).await).await;
    let asked: i64 = board["quotas"].as_array().unwrap().iter().map(|q| q["notified"].as_i64().unwrap()).sum();
    assert_eq!(asked, 601, "every adult, the fixture's included, was asked");

    let token = app.token(Role::Coordinator).to_string();
    let mut tasks = Vec::new();
    for (i, v) in people.iter().enumerate() {
        let base = if i % 2 == 0 { app.base.clone() } else { b.clone() };
        let (client, token) = (app.api.clone(), token.clone());
        let v = *v;
        tasks.push(tokio::spawn(async move {
            let r = client
                .post(format!("{base}/api/v1/dispatches/{id}/responses"))
                .bearer_auth(token)
                .json(&json!({"volunteer_id": v, "answer": "accept"}))
                .send()
                .await
                .unwrap();
            let status = r.status();
            let b = r.json::<Value>().await.unwrap();
            assert_eq!(status, StatusCode::OK, "{b}");
            b["status"].as_str().unwrap().to_string()
        }));
    }
    let mut confirmed = 0;
    let mut standby = 0;
    for t in tasks {
        match t.await.unwrap().as_str() {
            "confirmed" => confirmed += 1,
            "standby" => standby += 1,
            other => panic!("unexpected {other}"),
        }
    }
    assert_eq!((confirmed, standby), (60, 540));
    // Counted from the rows, not only from the answers and the counters.
    let roster = body(app.get(Role::Coordinator, &format!("/api/v1/dispatches/{id}/roster")).await).await;
    let rows = roster["items"].as_array().unwrap();
    assert_eq!(rows.iter().filter(|r| r["status"] == "confirmed").count(), 60);
    assert_eq!(rows.iter().filter(|r| r["status"] == "standby").count(), 540);
    let board = body(app.get(Role::Coordinator, &format!("/api/v1/dispatches/{id}")).await).await;
    assert_eq!((board["confirmed"].as_i64(), board["standby"].as_i64(), board["status"].as_str()), (Some(60), Some(540), Some("filled")));
    let activity = board["activity_id"].as_i64().unwrap();
    let a = body(app.get(Role::Coordinator, &format!("/api/v1/activities/{activity}/attendance")).await).await;
    let signed: usize = tongxing_store::activities::get(&app.svc.db, activity).await.unwrap().confirmed as usize;
    assert_eq!(signed, 60, "{a}");
}

#[tokio::test]
async fn a_calls_times_are_rfc3339_and_its_skills_a_list_as_api_md_says() {
    let app = spawn_app().await;
    adults(&app, 0, 4, 0).await;
    let mut input = call(&app, 2);
    input["skills"] = json!(["急救"]);
    let id = create(&app, &input).await["id"].as_i64().unwrap();
    let board = body(app.get(Role::Coordinator, &format!("/api/v1/dispatches/{id}")).await).await;
    assert_eq!((&board["starts_at"], &board["ends_at"]), (&input["starts_at"], &input["ends_at"]), "{board}");
    assert_eq!(board["skills"], json!(["急救"]));
    let created = board["created_at"].as_str().unwrap();
    assert!(chrono::DateTime::parse_from_rfc3339(created).is_ok_and(|t| t.offset().local_minus_utc() == 8 * 3600), "{created}");
    assert!(board["filled_at"].is_null() && board["closed_at"].is_null());
    let listed = body(app.get(Role::Coordinator, "/api/v1/dispatches").await).await;
    assert_eq!(listed["items"][0]["starts_at"], input["starts_at"]);
    let closed = body(app.post(Role::Coordinator, &format!("/api/v1/dispatches/{id}/close"), &json!({})).await).await;
    assert!(closed["closed_at"].as_str().is_some_and(|t| chrono::DateTime::parse_from_rfc3339(t).is_ok()), "{closed}");
}

#[tokio::test]
async fn the_document_describes_the_board_and_its_event_stream() {
    let app = spawn_app().await;
    let doc = body(app.api.get(app.url("/api/v1/openapi.json")).send().await.unwrap()).await;
    let events = &doc["paths"]["/api/v1/dispatches/{id}/events"]["get"];
    assert!(events["responses"]["200"]["content"]["text/event-stream"].is_object(), "{events}");
    let schemas = &doc["components"]["schemas"];
    // The board is the call (allOf) plus its quotas and answers.
    let board = schemas["Board"].to_string();
    assert!(board.contains("#/components/schemas/Call") && board.contains("#/components/schemas/AnswerLine"), "{board}");
    assert_eq!(schemas["Call"]["properties"]["starts_at"]["format"], "date-time");
    assert_eq!(schemas["Call"]["properties"]["skills"]["type"], "array");
    assert_eq!(schemas["AnswerLine"]["properties"]["answered_at"]["format"], "date-time");
    assert_eq!(schemas["Answer"]["enum"], json!(["accept", "decline"]), "the answer a volunteer gives keeps its own schema");
}
