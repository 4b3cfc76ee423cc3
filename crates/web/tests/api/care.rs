//! 爱心守护 one-to-one care (issue #15): pairing and its refusals, visits
//! moving the due day (once per retry), visit hours into the ledger, pauses,
//! handovers and deactivation keeping every visit, warnings escalating once
//! per level across two instances, a concern becoming a need, and who sees
//! the beneficiary's contact.

use chrono::Duration;
use reqwest::StatusCode;
use serde_json::{json, Value};
use tongxing_domain::role::Role;
use tongxing_domain::time::{region_date, rfc3339};
use tongxing_service::{Db, Service};
use tongxing_store::now_ms;

use crate::helpers::{body, expect_error, spawn_app, TestApp};

const HOUR: i64 = 3_600_000;

async fn beneficiary(app: &TestApp, name: &str, kind: &str) -> i64 {
    let b =
        json!({"name": name, "kind": kind, "community_id": app.fx.communities[0], "phone": "13912345678", "address": "雅苑小区3号楼2单元"});
    body(app.post(Role::Coordinator, "/api/v1/beneficiaries", &b).await).await["id"].as_i64().unwrap()
}

async fn pair(app: &TestApp, b: Value) -> Value {
    let r = app.post(Role::Coordinator, "/api/v1/care/pairs", &b).await;
    assert_eq!(r.status(), StatusCode::CREATED);
    body(r).await
}

fn day(offset_days: i64) -> String {
    (region_date(now_ms()) + Duration::days(offset_days)).to_string()
}

fn visit(hours_ago: i64, mode: &str) -> Value {
    json!({"visited_at": rfc3339(now_ms() - hours_ago * HOUR), "minutes": 60, "mode": mode, "contact_made": true,
           "notes": "聊天、量血压", "concern": "暖气不热"})
}

async fn field_of(r: reqwest::Response, status: StatusCode, code: &str) -> String {
    expect_error(r, status, code).await["field"].as_str().unwrap_or_default().to_string()
}

#[tokio::test]
async fn pairing_defaults_the_cadence_by_kind_and_refuses_bad_input_by_field() {
    let app = spawn_app().await;
    let [v0, v1, _] = app.fx.volunteers;
    let alone = beneficiary(&app, "刘奶奶", "elderly_alone").await;
    let p = pair(&app, json!({"volunteer_id": v0, "beneficiary_id": alone})).await;
    assert_eq!((p["status"].as_str(), p["every_days"].as_i64()), (Some("active"), Some(7)));
    assert_eq!(p["next_due"], day(7));
    let family = beneficiary(&app, "赵家", "hardship_family").await;
    assert_eq!(pair(&app, json!({"volunteer_id": v0, "beneficiary_id": family})).await["every_days"], 14);

    let c = Role::Coordinator;
    let zero = app.post(c, "/api/v1/care/pairs", &json!({"volunteer_id": v1, "beneficiary_id": alone, "every_days": 0})).await;
    assert_eq!(field_of(zero, StatusCode::UNPROCESSABLE_ENTITY, "out_of_range").await, "every_days");
    let nobody = app.post(c, "/api/v1/care/pairs", &json!({"volunteer_id": 99999, "beneficiary_id": alone})).await;
    assert_eq!(field_of(nobody, StatusCode::UNPROCESSABLE_ENTITY, "unknown_reference").await, "volunteer_id");
    let nothing = app.post(c, "/api/v1/care/pairs", &json!({"volunteer_id": v1, "beneficiary_id": 99999})).await;
    assert_eq!(field_of(nothing, StatusCode::UNPROCESSABLE_ENTITY, "unknown_reference").await, "beneficiary_id");
    let again = app.post(c, "/api/v1/care/pairs", &json!({"volunteer_id": v0, "beneficiary_id": alone, "role": "cover"})).await;
    assert_eq!(field_of(again, StatusCode::CONFLICT, "care_pair_exists").await, "volunteer_id");
    let second = app.post(c, "/api/v1/care/pairs", &json!({"volunteer_id": v1, "beneficiary_id": alone})).await;
    assert_eq!(field_of(second, StatusCode::CONFLICT, "care_primary_exists").await, "role");
    let cover = pair(&app, json!({"volunteer_id": v1, "beneficiary_id": alone, "role": "cover", "every_days": 10})).await;
    assert_eq!((cover["role"].as_str(), cover["every_days"].as_i64()), (Some("cover"), Some(10)));
    let by_volunteer = app.post(Role::Volunteer, "/api/v1/care/pairs", &json!({"volunteer_id": v0, "beneficiary_id": family})).await;
    expect_error(by_volunteer, StatusCode::FORBIDDEN, "forbidden").await;
    let mine = body(app.get(Role::Volunteer, "/api/v1/care/pairs").await).await;
    assert_eq!(mine["total"], 2, "the volunteer sees their own two pairs: {mine}");
}

#[tokio::test]
async fn a_visit_moves_the_due_date_and_a_retry_logs_it_once() {
    let app = spawn_app().await;
    let b = beneficiary(&app, "刘奶奶", "elderly_alone").await;
    let p = pair(&app, json!({"volunteer_id": app.fx.volunteers[0], "beneficiary_id": b, "starts_on": day(-10)})).await;
    assert_eq!(p["next_due"], day(-3));
    let path = app.url(&format!("/api/v1/care/pairs/{}/visits", p["id"]));
    // One body for both sends: a retry repeats the request byte for byte, even across a second's turn.
    let log = visit(2, "in_person");
    let send = || app.api.post(&path).bearer_auth(app.token(Role::Volunteer)).header("Idempotency-Key", "visit-1").json(&log).send();
    let first = send().await.unwrap();
    assert_eq!(first.status(), StatusCode::CREATED);
    let first = body(first).await;
    let retry = send().await.unwrap();
    assert_eq!(retry.headers()["idempotent-replayed"], "true");
    assert_eq!(body(retry).await["id"], first["id"]);
    let detail = body(app.get(Role::Volunteer, &format!("/api/v1/care/pairs/{}", p["id"])).await).await;
    assert_eq!(detail["visits"].as_array().unwrap().len(), 1, "a retry never logs twice");
    let visit_day = region_date(now_ms() - 2 * HOUR);
    assert_eq!(detail["next_due"], (visit_day + Duration::days(7)).to_string());
    assert_eq!(detail["visits"][0]["hours_status"], "pending");

    let v = Role::Volunteer;
    let future = json!({"visited_at": rfc3339(now_ms() + 2 * HOUR), "minutes": 30, "mode": "phone", "contact_made": true});
    let r = app.post(v, &format!("/api/v1/care/pairs/{}/visits", p["id"]), &future).await;
    assert_eq!(field_of(r, StatusCode::UNPROCESSABLE_ENTITY, "in_future").await, "visited_at");
    let long = json!({"visited_at": rfc3339(now_ms() - 20 * HOUR), "minutes": 481, "mode": "in_person", "contact_made": true});
    let r = app.post(v, &format!("/api/v1/care/pairs/{}/visits", p["id"]), &long).await;
    assert_eq!(field_of(r, StatusCode::UNPROCESSABLE_ENTITY, "out_of_range").await, "minutes");
    let before_pairing = json!({"visited_at": rfc3339(now_ms() - 11 * 24 * HOUR), "minutes": 30, "mode": "phone", "contact_made": true});
    let r = app.post(v, &format!("/api/v1/care/pairs/{}/visits", p["id"]), &before_pairing).await;
    assert_eq!(field_of(r, StatusCode::UNPROCESSABLE_ENTITY, "before_pair_start").await, "visited_at");
    let overlapping =
        json!({"visited_at": rfc3339(now_ms() - 2 * HOUR + 600_000), "minutes": 30, "mode": "in_person", "contact_made": true});
    let r = app.post(v, &format!("/api/v1/care/pairs/{}/visits", p["id"]), &overlapping).await;
    assert_eq!(field_of(r, StatusCode::UNPROCESSABLE_ENTITY, "hours_overlap").await, "visited_at");
}

#[tokio::test]
async fn visit_hours_enter_the_ledger_once_when_the_leader_confirms_them() {
    let app = spawn_app().await;
    let b = beneficiary(&app, "刘奶奶", "elderly_alone").await;
    let p = pair(&app, json!({"volunteer_id": app.fx.volunteers[0], "beneficiary_id": b, "starts_on": day(-10)})).await;
    let v = body(app.post(Role::Volunteer, &format!("/api/v1/care/pairs/{}/visits", p["id"]), &visit(5, "in_person")).await).await;
    let call = json!({"visited_at": rfc3339(now_ms() - 30 * HOUR), "minutes": 20, "mode": "phone", "contact_made": true});
    let c = body(app.post(Role::Volunteer, &format!("/api/v1/care/pairs/{}/visits", p["id"]), &call).await).await;
    assert_eq!(c["hours_status"], "none", "a call is not service time");
    let pending = body(app.get(Role::TeamLeader, "/api/v1/care/visits/pending").await).await;
    assert_eq!(pending["total"], 1);
    let by_volunteer = app.post(Role::Volunteer, &format!("/api/v1/care/visits/{}/confirm", v["id"]), &json!({})).await;
    expect_error(by_volunteer, StatusCode::FORBIDDEN, "forbidden").await;
    let ok = body(app.post(Role::TeamLeader, &format!("/api/v1/care/visits/{}/confirm", v["id"]), &json!({})).await).await;
    assert_eq!(ok["hours_status"], "confirmed");
    let twice = app.post(Role::Liaison, &format!("/api/v1/care/visits/{}/confirm", v["id"]), &json!({})).await;
    expect_error(twice, StatusCode::CONFLICT, "already_confirmed").await;
    let hours = body(app.get(Role::Volunteer, &format!("/api/v1/volunteers/{}/hours", app.fx.volunteers[0])).await).await;
    assert_eq!(hours["total_hours"], 1.0, "{hours}");
    let entries = hours["entries"].as_array().unwrap();
    assert_eq!(entries.len(), 1);
    // Shown as the care visit it credits, whom it served as what was served.
    assert_eq!(entries[0]["kind"], "care_visit", "{hours}");
    assert!(entries[0]["what"].as_str().unwrap().contains("刘奶奶"), "{hours}");
}

#[tokio::test]
async fn a_handover_keeps_every_old_visit_and_deactivating_flags_the_pairs() {
    let app = spawn_app().await;
    let [v0, v1, _] = app.fx.volunteers;
    let b = beneficiary(&app, "刘奶奶", "elderly_alone").await;
    let p = pair(&app, json!({"volunteer_id": v0, "beneficiary_id": b, "help": "代购、聊天", "starts_on": day(-10)})).await;
    let id = p["id"].as_i64().unwrap();
    for h in [30, 80] {
        app.post(Role::Volunteer, &format!("/api/v1/care/pairs/{id}/visits"), &visit(h, "in_person")).await;
    }
    let c = Role::Coordinator;
    app.post(c, &format!("/api/v1/volunteers/{v0}/deactivate"), &json!({})).await;
    let flagged = body(app.get(c, "/api/v1/care/pairs?needs_handover=true").await).await;
    assert_eq!(flagged["total"], 1, "the pair waits for a new volunteer the same day: {flagged}");
    assert_eq!(flagged["items"][0]["needs_handover"], true);

    let r = app.post(c, &format!("/api/v1/care/pairs/{id}/handover"), &json!({"volunteer_id": v1, "note": "每周二上午去"})).await;
    assert_eq!(r.status(), StatusCode::OK);
    let new = body(r).await;
    assert_eq!((new["volunteer_id"].as_i64(), new["previous_pair_id"].as_i64()), (Some(v1), Some(id)));
    assert_eq!(new["help"], "代购、聊天");
    let old = body(app.get(c, &format!("/api/v1/care/pairs/{id}")).await).await;
    assert_eq!((old["status"].as_str(), old["handed_over_to"].as_i64()), (Some("handed_over"), new["id"].as_i64()));
    let inherited = body(app.get(c, &format!("/api/v1/care/pairs/{}", new["id"])).await).await;
    assert_eq!(inherited["visits"].as_array().unwrap().len(), 2, "the new volunteer sees the earlier visits");
    let history = body(app.get(c, &format!("/api/v1/beneficiaries/{b}/care")).await).await;
    let pairs = history["pairs"].as_array().unwrap();
    assert_eq!(pairs.len(), 2);
    assert_eq!(pairs[0]["visits"].as_array().unwrap().len(), 2, "nothing is deleted: {history}");
    let again = app.post(c, &format!("/api/v1/care/pairs/{id}/handover"), &json!({"volunteer_id": v1})).await;
    expect_error(again, StatusCode::CONFLICT, "care_not_open").await;
}

#[tokio::test]
async fn a_paused_pair_is_never_overdue_and_ending_keeps_it() {
    let app = spawn_app().await;
    let b = beneficiary(&app, "刘奶奶", "elderly_alone").await;
    let p = pair(&app, json!({"volunteer_id": app.fx.volunteers[0], "beneficiary_id": b, "starts_on": day(-40)})).await;
    let id = p["id"].as_i64().unwrap();
    app.svc.recompute_care_levels().await.unwrap();
    let c = Role::Coordinator;
    let red = body(app.get(c, &format!("/api/v1/care/pairs?overdue=true&district_id={}", app.fx.districts[0])).await).await;
    assert_eq!((red["total"].as_i64(), red["items"][0]["warning_level"].as_str()), (Some(1), Some("red")), "{red}");
    let other = body(app.get(c, &format!("/api/v1/care/pairs?overdue=true&district_id={}", app.fx.districts[1])).await).await;
    assert_eq!(other["total"], 0);

    let paused = body(app.post(c, &format!("/api/v1/care/pairs/{id}/pause"), &json!({"reason": "住院", "until": day(10)})).await).await;
    assert_eq!((paused["status"].as_str(), paused["warning_level"].as_str()), (Some("paused"), Some("none")));
    app.svc.recompute_care_levels().await.unwrap();
    assert_eq!(body(app.get(c, "/api/v1/care/pairs?overdue=true").await).await["total"], 0, "paused is never overdue");
    let twice = app.post(c, &format!("/api/v1/care/pairs/{id}/pause"), &json!({"reason": "住院"})).await;
    expect_error(twice, StatusCode::CONFLICT, "care_not_active").await;
    let resumed = body(app.post(c, &format!("/api/v1/care/pairs/{id}/resume"), &json!({})).await).await;
    assert_eq!(resumed["status"], "active");
    let ended = body(app.post(c, &format!("/api/v1/care/pairs/{id}/end"), &json!({"reason": "搬去子女家"})).await).await;
    assert_eq!((ended["status"].as_str(), ended["end_reason"].as_str()), (Some("ended"), Some("搬去子女家")));
    let blank = app.post(c, &format!("/api/v1/care/pairs/{id}/end"), &json!({"reason": " "})).await;
    assert_eq!(field_of(blank, StatusCode::UNPROCESSABLE_ENTITY, "required").await, "reason");
    let sheet = app.get(c, "/api/v1/care/pairs?format=xlsx").await;
    assert_eq!(sheet.headers()["content-type"], "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
}

#[tokio::test]
async fn overdue_pairs_escalate_once_per_level_across_two_instances() {
    let app = spawn_app().await;
    let b = beneficiary(&app, "刘奶奶", "elderly_alone").await;
    // Due 10 days ago: yellow (7 days) with the default limits.
    pair(&app, json!({"volunteer_id": app.fx.volunteers[0], "beneficiary_id": b, "starts_on": day(-17)})).await;
    let other = Service { db: Db::connect(&app.db_url).await.unwrap(), ..app.svc.clone() };
    app.svc.recompute_care_levels().await.unwrap();
    let (a, b2) = tokio::join!(app.svc.escalate_care(), other.escalate_care());
    assert_eq!(a.unwrap() + b2.unwrap(), 1, "one instance announces the level");
    assert_eq!(other.escalate_care().await.unwrap(), 0);
    let leader = body(app.get(Role::TeamLeader, "/api/v1/notifications").await).await;
    assert_eq!(leader["items"][0]["kind"], "care_warning_yellow", "{leader}");
    let volunteer = body(app.get(Role::Volunteer, "/api/v1/notifications").await).await;
    assert_eq!(volunteer["total"], 1, "the volunteer hears once: {volunteer}");
    assert_eq!(body(app.get(Role::Coordinator, "/api/v1/notifications").await).await["total"], 0);
}

#[tokio::test]
async fn a_concern_becomes_a_need_in_one_tap_linked_to_the_visit() {
    let app = spawn_app().await;
    let b = beneficiary(&app, "刘奶奶", "elderly_alone").await;
    // Paired since yesterday: a visit three hours ago is yesterday's between midnight and 3:00.
    let p = pair(&app, json!({"volunteer_id": app.fx.volunteers[0], "beneficiary_id": b, "starts_on": day(-1)})).await;
    let v = body(app.post(Role::Volunteer, &format!("/api/v1/care/pairs/{}/visits", p["id"]), &visit(3, "in_person")).await).await;
    let tap = json!({"category": "elderly_care"});
    let made = body(app.post(Role::Volunteer, &format!("/api/v1/care/visits/{}/need", v["id"]), &tap).await).await;
    let need = made["need_id"].as_i64().unwrap();
    let again = body(app.post(Role::Volunteer, &format!("/api/v1/care/visits/{}/need", v["id"]), &tap).await).await;
    assert_eq!(again["need_id"], need, "a second tap answers the same need");
    let n = body(app.get(Role::Coordinator, &format!("/api/v1/needs/{need}")).await).await;
    assert_eq!(n["need"]["title"], "暖气不热", "{n}");
    let detail = body(app.get(Role::Volunteer, &format!("/api/v1/care/pairs/{}", p["id"])).await).await;
    assert_eq!(detail["visits"][0]["need_id"], need);
    let coverage = body(app.get(Role::Coordinator, "/api/v1/care/coverage").await).await;
    assert_eq!((coverage["concerns_to_needs"].as_i64(), coverage["paired"].as_i64()), (Some(1), Some(1)), "{coverage}");
    expect_error(app.get(Role::Volunteer, "/api/v1/care/coverage").await, StatusCode::FORBIDDEN, "forbidden").await;
}

#[tokio::test]
async fn the_contact_is_shown_only_within_reach_and_each_read_is_audited() {
    let app = spawn_app().await;
    let b = beneficiary(&app, "刘奶奶", "elderly_alone").await;
    let mine = pair(&app, json!({"volunteer_id": app.fx.volunteers[0], "beneficiary_id": b})).await;
    let theirs = pair(&app, json!({"volunteer_id": app.fx.volunteers[2], "beneficiary_id": b, "role": "cover"})).await;
    let seen = body(app.get(Role::Volunteer, &format!("/api/v1/care/pairs/{}", mine["id"])).await).await;
    assert_eq!((seen["phone"].as_str(), seen["address"].as_str()), (Some("13912345678"), Some("雅苑小区3号楼2单元")));
    assert!(app.audited(Role::Volunteer, "read_contact", "beneficiary", b).await);
    for role in [Role::Volunteer, Role::TeamLeader, Role::Liaison] {
        let r = app.get(role, &format!("/api/v1/care/pairs/{}", theirs["id"])).await;
        expect_error(r, StatusCode::FORBIDDEN, "forbidden").await;
    }
    for role in [Role::Observer, Role::Viewer] {
        expect_error(app.get(role, &format!("/api/v1/care/pairs/{}", mine["id"])).await, StatusCode::FORBIDDEN, "forbidden").await;
    }
    let leader = body(app.get(Role::TeamLeader, &format!("/api/v1/beneficiaries/{b}/care")).await).await;
    assert_eq!(leader["phone"], "13912345678");
}

#[tokio::test]
async fn the_leadership_dashboard_counts_visits_concerns_and_pairs_within_its_filter() {
    let app = spawn_app().await;
    let b = beneficiary(&app, "刘奶奶", "elderly_alone").await;
    let p = pair(&app, json!({"volunteer_id": app.fx.volunteers[0], "beneficiary_id": b, "starts_on": day(-10)})).await;
    let r = app.post(Role::Volunteer, &format!("/api/v1/care/pairs/{}/visits", p["id"]), &visit(2, "in_person")).await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let figure = |d: &Value, key: &str| {
        d["sections"].as_array().unwrap().iter().flat_map(|s| s["figures"].as_array().unwrap()).find(|f| f["key"] == key).unwrap()["value"]
            .as_f64()
    };
    let d = body(app.get(Role::Viewer, "/api/v1/stats/dashboard?period=month").await).await;
    assert_eq!(figure(&d, "care_visits"), Some(1.0), "{d}");
    assert_eq!(figure(&d, "care_visited"), Some(1.0));
    assert_eq!(figure(&d, "care_visit_hours"), Some(1.0));
    assert_eq!(figure(&d, "care_concerns"), Some(1.0));
    assert_eq!(figure(&d, "care_open_pairs"), Some(1.0));
    // The pair is in the first district; another district's dashboard has none of it.
    let other = app.fx.districts[1];
    let d = body(app.get(Role::Viewer, &format!("/api/v1/stats/dashboard?period=month&district_id={other}")).await).await;
    assert_eq!((figure(&d, "care_visits"), figure(&d, "care_open_pairs")), (Some(0.0), Some(0.0)), "{d}");
}

#[tokio::test]
async fn a_commendation_round_can_weigh_care_visits_from_the_record() {
    let app = spawn_app().await;
    let v0 = app.fx.volunteers[0];
    let b = beneficiary(&app, "刘奶奶", "elderly_alone").await;
    let p = pair(&app, json!({"volunteer_id": v0, "beneficiary_id": b, "starts_on": day(-10)})).await;
    for (hours_ago, mode) in [(30, "in_person"), (2, "phone")] {
        let r = app.post(Role::Volunteer, &format!("/api/v1/care/pairs/{}/visits", p["id"]), &visit(hours_ago, mode)).await;
        assert_eq!(r.status(), StatusCode::CREATED);
    }
    let year = &day(0)[..4];
    let round = json!({"title": "爱心守护之星", "kind": "volunteer", "period_from": format!("{year}-01-01"),
                       "period_to": format!("{year}-12-31"), "criteria": [{"metric": "care_visits", "weight": 100}],
                       "nominate_until": format!("{year}-12-31"), "notice_days": 7});
    let r = app.post(Role::Coordinator, "/api/v1/honours/rounds", &round).await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let id = body(r).await["id"].as_i64().unwrap();
    let c = body(app.get(Role::Coordinator, &format!("/api/v1/honours/rounds/{id}/candidates")).await).await;
    let mine = c["items"].as_array().unwrap().iter().find(|i| i["volunteer_id"] == v0).unwrap().clone();
    let part = mine["breakdown"].as_array().unwrap().iter().find(|x| x["metric"] == "care_visits").unwrap().clone();
    assert_eq!(part["value"], 2.0, "both visits reached her: {mine}");
}
