//! Activities, sign-ups, check-in and the hours ledger, through the API.

use std::time::Duration;

use reqwest::StatusCode;
use serde_json::{json, Value};
use tongxing_domain::role::Role;
use tongxing_domain::time::rfc3339;
use tongxing_store::now_ms;

use crate::helpers::{body, expect_error, spawn_app, TestApp};

const HOUR: i64 = 3_600_000;

pub(crate) fn plan(app: &TestApp, starts: i64, ends: i64, capacity: i64) -> Value {
    json!({"title": "敬老院义剪", "team_id": app.fx.teams[0], "community_id": app.fx.communities[0],
           "starts_at": rfc3339(starts), "ends_at": rfc3339(ends), "capacity": capacity})
}

fn with(mut input: Value, patch: Value) -> Value {
    for (k, v) in patch.as_object().unwrap() {
        input[k] = v.clone();
    }
    input
}

pub(crate) async fn create(app: &TestApp, input: Value, patch: Value) -> i64 {
    let r = app.post(Role::TeamLeader, "/api/v1/activities", &with(input, patch)).await;
    assert_eq!(r.status(), StatusCode::CREATED);
    body(r).await["id"].as_i64().unwrap()
}

async fn sign_up(app: &TestApp, activity: i64, volunteer: i64) -> (StatusCode, Value) {
    let r = app.post(Role::Coordinator, &format!("/api/v1/activities/{activity}/signups"), &json!({"volunteer_id": volunteer})).await;
    (r.status(), body(r).await)
}

async fn check(app: &TestApp, activity: i64, volunteer: i64, kind: &str, at: i64) -> reqwest::Response {
    let b = json!({"volunteer_id": volunteer, "kind": kind, "at": rfc3339(at)});
    app.post(Role::TeamLeader, &format!("/api/v1/activities/{activity}/checkins"), &b).await
}

/// Registers `n` extra volunteers directly in the store; returns their ids.
pub(crate) async fn more_volunteers(app: &TestApp, n: usize) -> Vec<i64> {
    let mut ids = Vec::with_capacity(n);
    for i in 0..n {
        let v = tongxing_domain::registry::VolunteerInput {
            name: format!("志愿者{i}"),
            phone: format!("137{:08}", i),
            unit_id: app.fx.units[0],
            community_id: app.fx.communities[0],
            ..Default::default()
        };
        let checked = v.check().unwrap();
        ids.push(tongxing_store::registry::volunteers::create(&app.svc.db, &app.svc.record(&v, &checked)).await.unwrap());
    }
    ids
}

#[tokio::test]
async fn bad_plans_are_refused_with_the_field() {
    let app = spawn_app().await;
    let t = now_ms() + 24 * HOUR;
    for (patch, field) in [
        (json!({"ends_at": rfc3339(t - HOUR)}), "ends_at"),
        (json!({"capacity": 0}), "capacity"),
        (json!({"capacity": -3}), "capacity"),
        (json!({"community_id": 999_999}), "community_id"),
        (json!({"starts_at": "next Saturday"}), "starts_at"),
    ] {
        let r = app.post(Role::TeamLeader, "/api/v1/activities", &with(plan(&app, t, t + 2 * HOUR, 10), patch)).await;
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY, "{field}");
        assert_eq!(body(r).await["error"]["field"], field);
    }
    let other_team = with(plan(&app, t, t + 2 * HOUR, 10), json!({"team_id": app.fx.teams[1]}));
    expect_error(app.post(Role::TeamLeader, "/api/v1/activities", &other_team).await, StatusCode::FORBIDDEN, "forbidden").await;
    expect_error(app.post(Role::Volunteer, "/api/v1/activities", &plan(&app, t, t + HOUR, 5)).await, StatusCode::FORBIDDEN, "forbidden")
        .await;
}

#[tokio::test]
async fn a_weekly_series_is_one_action_and_lists_near_the_community() {
    let app = spawn_app().await;
    let t = now_ms() + 24 * HOUR;
    let weekly = with(plan(&app, t, t + 2 * HOUR, 10), json!({"repeat_weeks": 3, "theme": "health"}));
    let r = app.post(Role::TeamLeader, "/api/v1/activities", &weekly).await;
    assert_eq!(r.status(), StatusCode::CREATED);
    assert_eq!(body(r).await["ids"].as_array().unwrap().len(), 4);
    let near = body(app.get(Role::Volunteer, &format!("/api/v1/activities?district_id={}", app.fx.districts[0])).await).await;
    assert_eq!(near["total"], 4);
    let far = body(app.get(Role::Volunteer, &format!("/api/v1/activities?district_id={}", app.fx.districts[1])).await).await;
    assert_eq!(far["total"], 0);
}

#[tokio::test]
async fn the_waitlist_fills_in_order_and_a_cancellation_promotes_and_tells_the_next() {
    let app = spawn_app().await;
    let t = now_ms() + 24 * HOUR;
    let a = create(&app, plan(&app, t, t + 2 * HOUR, 2), json!({})).await;
    let [v0, v1, v2] = app.fx.volunteers;
    assert_eq!(sign_up(&app, a, v1).await, (StatusCode::CREATED, json!({"status": "confirmed"})));
    assert_eq!(sign_up(&app, a, v2).await, (StatusCode::CREATED, json!({"status": "confirmed"})));
    assert_eq!(sign_up(&app, a, v0).await, (StatusCode::CREATED, json!({"status": "waitlisted"})));
    // A double tap is the same sign-up.
    assert_eq!(sign_up(&app, a, v0).await, (StatusCode::OK, json!({"status": "waitlisted"})));
    let got = body(app.get(Role::Volunteer, &format!("/api/v1/activities/{a}")).await).await;
    assert_eq!((got["confirmed"].as_i64(), got["waitlisted"].as_i64()), (Some(2), Some(1)));

    let r = app
        .api
        .delete(app.url(&format!("/api/v1/activities/{a}/signups/{v1}")))
        .bearer_auth(app.token(Role::Coordinator))
        .send()
        .await
        .unwrap();
    assert_eq!(body(r).await["promoted_volunteer_id"], v0);
    assert_eq!(tongxing_store::activities::signups::counts(&app.svc.db, a).await.unwrap(), (2, 0));
    let inbox = body(app.get(Role::Volunteer, "/api/v1/notifications").await).await;
    assert!(inbox.to_string().contains("signup_promoted"), "the promoted volunteer is told: {inbox}");
}

#[tokio::test]
async fn risky_adults_only_and_overlapping_activities_refuse_with_a_reason() {
    let app = spawn_app().await;
    let t = now_ms() + 24 * HOUR;
    let [v0, v1, _] = app.fx.volunteers;
    let risky = create(&app, plan(&app, t, t + 2 * HOUR, 5), json!({"risky": true})).await;
    let (status, b) = sign_up(&app, risky, v0).await;
    assert_eq!((status, b["error"]["code"].as_str()), (StatusCode::CONFLICT, Some("insurance_required")));
    let r =
        app.post(Role::TeamLeader, &format!("/api/v1/activities/{risky}/insurance"), &json!({"policy": "人保意外险 PICC-2026-001"})).await;
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    assert_eq!(sign_up(&app, risky, v0).await.1, json!({"status": "confirmed"}));

    // v0 is born in 1949; v1's age is unknown, so an adults-only activity cannot take them.
    let adults = create(&app, plan(&app, t + 3 * HOUR, t + 4 * HOUR, 5), json!({"adults_only": true})).await;
    assert_eq!(sign_up(&app, adults, v1).await.1["error"]["code"], "adults_only");
    assert_eq!(sign_up(&app, adults, v0).await.1, json!({"status": "confirmed"}));

    let overlapping = create(&app, plan(&app, t + HOUR, t + 3 * HOUR, 5), json!({})).await;
    let (status, b) = sign_up(&app, overlapping, v0).await;
    assert_eq!(
        (status, b["error"]["code"].as_str(), b["error"]["field"].as_str()),
        (StatusCode::CONFLICT, Some("time_conflict"), Some("volunteer_id"))
    );
}

#[tokio::test]
async fn five_hundred_racing_sign_ups_confirm_exactly_the_capacity() {
    let app = spawn_app().await;
    let t = now_ms() + 24 * HOUR;
    let a = create(&app, plan(&app, t, t + 2 * HOUR, 50), json!({})).await;
    let people = more_volunteers(&app, 500).await;
    let url = app.url(&format!("/api/v1/activities/{a}/signups"));
    let token = app.token(Role::Coordinator).to_string();
    let tasks: Vec<_> = people
        .iter()
        .map(|v| {
            let (client, url, token, v) = (app.api.clone(), url.clone(), token.clone(), *v);
            tokio::spawn(
                async move { client.post(url).bearer_auth(token).json(&json!({"volunteer_id": v})).send().await.unwrap().status() },
            )
        })
        .collect();
    for t in tasks {
        assert_eq!(t.await.unwrap(), StatusCode::CREATED);
    }
    assert_eq!(tongxing_store::activities::signups::counts(&app.svc.db, a).await.unwrap(), (50, 450), "counted from the sign-up rows");
    let got = body(app.get(Role::Coordinator, &format!("/api/v1/activities/{a}")).await).await;
    assert_eq!((got["confirmed"].as_i64(), got["waitlisted"].as_i64()), (Some(50), Some(450)), "the counters agree");
}

/// Check-ins at the door all at once, each scan sent three times at once (a
/// poor connection retrying): on SQLite they share group-commit
/// transactions, so one batch holds the same pair more than once.
#[tokio::test]
async fn two_hundred_people_scanning_at_once_three_times_each_are_each_checked_in_once() {
    let app = spawn_app().await;
    let now = now_ms();
    let a = create(&app, plan(&app, now - HOUR, now + HOUR, 10), json!({"walk_ups": true})).await;
    let people = more_volunteers(&app, 200).await;
    let url = app.url(&format!("/api/v1/activities/{a}/checkins"));
    let token = app.token(Role::TeamLeader).to_string();
    let tasks: Vec<_> = people
        .iter()
        .flat_map(|v| [*v; 3])
        .map(|v| {
            let (client, url, token) = (app.api.clone(), url.clone(), token.clone());
            tokio::spawn(async move {
                let r = client.post(url).bearer_auth(token).json(&json!({"volunteer_id": v, "kind": "in"})).send().await.unwrap();
                (v, r.status(), body(r).await)
            })
        })
        .collect();
    let mut new = std::collections::HashMap::new();
    let mut times = std::collections::HashMap::new();
    for t in tasks {
        let (v, status, b) = t.await.unwrap();
        assert!(status == StatusCode::CREATED || status == StatusCode::OK, "{status}: {b}");
        *new.entry(v).or_insert(0) += i32::from(status == StatusCode::CREATED);
        times.entry(v).or_insert_with(Vec::new).push(b["at"].as_str().unwrap().to_string());
    }
    assert!(new.values().all(|n| *n == 1), "each person's first scan is the only new check-in");
    assert!(times.values().all(|t| t.iter().all(|x| *x == t[0])), "every retry answers the first scan's time");
    assert_eq!(app.svc.checkin_count(a).await.unwrap(), 200, "one row per person");
}

#[tokio::test]
async fn check_ins_are_counted_once_and_check_outs_need_a_check_in() {
    let app = spawn_app().await;
    let now = now_ms();
    let a = create(&app, plan(&app, now - HOUR, now + HOUR, 5), json!({})).await;
    let [v0, v1, _] = app.fx.volunteers;
    // Signing up for a started activity is still allowed until it ends.
    assert_eq!(sign_up(&app, a, v0).await.1, json!({"status": "confirmed"}));
    expect_error(check(&app, a, v1, "in", now).await, StatusCode::CONFLICT, "not_signed_up").await;
    expect_error(check(&app, a, v0, "out", now).await, StatusCode::CONFLICT, "not_checked_in").await;

    let first = check(&app, a, v0, "in", now - 30 * 60_000).await;
    assert_eq!(first.status(), StatusCode::CREATED);
    let retry = check(&app, a, v0, "in", now - 20 * 60_000).await;
    assert_eq!(retry.status(), StatusCode::OK, "a retried scan is the same check-in");
    let retry = body(retry).await;
    assert_eq!((retry["repeated"].as_bool(), retry["at"].as_str()), (Some(true), Some(rfc3339(now - 30 * 60_000).as_str())));
    assert_eq!(app.svc.checkin_count(a).await.unwrap(), 1);

    let r = check(&app, a, v0, "out", now - 40 * 60_000).await;
    assert_eq!(body(r).await["error"]["field"], "at", "check-out before check-in");
    let r = app.post(Role::Volunteer, &format!("/api/v1/activities/{a}/checkins"), &json!({"volunteer_id": v0, "kind": "out"})).await;
    assert_eq!(r.status(), StatusCode::CREATED, "the volunteer checks themselves out from their phone");
    expect_error(check(&app, a, v0, "in", now + 3 * HOUR).await, StatusCode::UNPROCESSABLE_ENTITY, "outside_activity").await;
}

#[tokio::test]
async fn a_leader_confirms_attendance_into_the_ledger_once_and_the_volunteer_sees_it() {
    let app = spawn_app().await;
    let now = now_ms();
    let [v0, v1, _] = app.fx.volunteers;
    // A walk-up activity that has ended: the leader records attendance from the roster.
    let a = create(&app, plan(&app, now - 4 * HOUR, now - HOUR, 10), json!({"walk_ups": true})).await;
    assert_eq!(check(&app, a, v0, "in", now - 4 * HOUR - 10 * 60_000).await.status(), StatusCode::CREATED);
    assert_eq!(check(&app, a, v0, "out", now - 2 * HOUR).await.status(), StatusCode::CREATED);
    assert_eq!(check(&app, a, v1, "in", now - 3 * HOUR).await.status(), StatusCode::CREATED);
    let sheet = body(app.get(Role::TeamLeader, &format!("/api/v1/activities/{a}/attendance")).await).await;
    let hours: Vec<f64> = sheet["items"].as_array().unwrap().iter().map(|l| l["computed_hours"].as_f64().unwrap()).collect();
    assert!(hours.contains(&2.0), "early arrival does not count: {sheet}");
    let line = sheet["items"].as_array().unwrap().iter().find(|l| l["volunteer_id"] == v0).unwrap();
    for at in [&line["checked_in_at"], &line["checked_out_at"]] {
        let t = at.as_str().and_then(|t| chrono::DateTime::parse_from_rfc3339(t).ok());
        assert!(t.is_some_and(|t| t.offset().local_minus_utc() == 8 * 3600), "RFC 3339 in the region's zone: {line}");
    }

    let no_reason = json!({"changes": [{"volunteer_id": v1, "hours": 1.5}]});
    expect_error(
        app.post(Role::TeamLeader, &format!("/api/v1/activities/{a}/confirm"), &no_reason).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "reason_required",
    )
    .await;
    let too_long = json!({"changes": [{"volunteer_id": v1, "hours": 5, "reason": "全程在场"}]});
    expect_error(
        app.post(Role::TeamLeader, &format!("/api/v1/activities/{a}/confirm"), &too_long).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "hours_over_activity",
    )
    .await;
    let ok = json!({"changes": [{"volunteer_id": v1, "hours": 1.5, "reason": "提前离开未签退"}]});
    let r = app.post(Role::TeamLeader, &format!("/api/v1/activities/{a}/confirm"), &ok).await;
    let b = body(r).await;
    assert_eq!(b["credited"], 2, "{b}");
    expect_error(
        app.post(Role::TeamLeader, &format!("/api/v1/activities/{a}/confirm"), &json!({})).await,
        StatusCode::CONFLICT,
        "already_confirmed",
    )
    .await;

    let mine = body(app.get(Role::Volunteer, &format!("/api/v1/volunteers/{v0}/hours")).await).await;
    assert_eq!(mine["total_hours"], 2.0);
    assert_eq!(mine["star"], 0);
    assert_eq!(mine["entries"][0]["confirmed_by"], "team_leader");
    expect_error(app.get(Role::Volunteer, &format!("/api/v1/volunteers/{v1}/hours")).await, StatusCode::FORBIDDEN, "forbidden").await;

    // A correction is a new entry; the volunteer may dispute; the total follows.
    let entry = mine["entries"][0]["id"].as_i64().unwrap();
    let r = app.post(Role::TeamLeader, &format!("/api/v1/hours/{entry}/corrections"), &json!({"hours": 2.5, "reason": "签退漏扫"})).await;
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    let mine = body(app.get(Role::Volunteer, &format!("/api/v1/volunteers/{v0}/hours")).await).await;
    assert_eq!((mine["total_hours"].as_f64(), mine["total_entries"].as_i64()), (Some(2.5), Some(2)));
    assert_eq!(mine["entries"][0]["corrects_entry_id"], entry);
    let r = app.post(Role::Volunteer, &format!("/api/v1/hours/{entry}/disputes"), &json!({"reason": "实际服务了3小时"})).await;
    assert_eq!(r.status(), StatusCode::CREATED);
    expect_error(
        app.post(Role::Volunteer, &format!("/api/v1/hours/{entry}/disputes"), &json!({"reason": "再问一次"})).await,
        StatusCode::CONFLICT,
        "already_disputed",
    )
    .await;

    crate::hours_pages::read_together_as_alone(&app, [v0, v1], entry).await;
}

#[tokio::test]
async fn the_ledger_refuses_overlapping_sessions_for_one_person() {
    let app = spawn_app().await;
    let now = now_ms();
    let v0 = app.fx.volunteers[0];
    let first = create(&app, plan(&app, now - 4 * HOUR, now - 2 * HOUR, 10), json!({"walk_ups": true})).await;
    let second = create(&app, plan(&app, now - 3 * HOUR, now - HOUR, 10), json!({"walk_ups": true, "title": "社区清扫"})).await;
    for a in [first, second] {
        let starts = if a == first { now - 4 * HOUR } else { now - 3 * HOUR };
        assert_eq!(check(&app, a, v0, "in", starts).await.status(), StatusCode::CREATED);
        assert_eq!(check(&app, a, v0, "out", starts + 2 * HOUR).await.status(), StatusCode::CREATED);
    }
    assert_eq!(app.post(Role::TeamLeader, &format!("/api/v1/activities/{first}/confirm"), &json!({})).await.status(), StatusCode::OK);
    let r = app.post(Role::TeamLeader, &format!("/api/v1/activities/{second}/confirm"), &json!({})).await;
    let b = expect_error(r, StatusCode::UNPROCESSABLE_ENTITY, "hours_overlap").await;
    assert_eq!(b["field"], format!("hours_{v0}"));
}

#[tokio::test]
async fn a_check_in_left_open_is_closed_at_the_end_and_flagged() {
    let app = spawn_app().await;
    let now = now_ms();
    let v0 = app.fx.volunteers[0];
    let a = create(&app, plan(&app, now - HOUR, now + 1500, 10), json!({"walk_ups": true})).await;
    assert_eq!(check(&app, a, v0, "in", now - HOUR).await.status(), StatusCode::CREATED);
    tokio::time::sleep(Duration::from_millis(1600)).await;
    assert_eq!(app.svc.close_open_checkins().await.unwrap(), 1);
    let sheet = body(app.get(Role::TeamLeader, &format!("/api/v1/activities/{a}/attendance")).await).await;
    let line = &sheet["items"][0];
    assert_eq!(line["auto_closed"], true, "{sheet}");
    assert!(line["computed_hours"].as_f64().unwrap() <= 1.01, "never credited past the end: {sheet}");
}

/// One group-commit batch as the queue forms it: two activities
/// interleaved, a pair sent twice, a pair signed up before the batch, a
/// volunteer coming back after cancelling, role requests beside plain ones. However the batch is written (one by
/// one on SQLite, set-based on PostgreSQL), each answer matches the row it
/// left, no place is given twice and the counters agree with the rows.
#[tokio::test]
async fn a_batch_of_sign_ups_answers_each_as_its_row_stands_and_never_overfills() {
    use tongxing_domain::activities::SignupStatus;
    use tongxing_store::activities::signups::{self, Request};
    let app = spawn_app().await;
    let t = now_ms() + 24 * HOUR;
    let x = create(&app, plan(&app, t, t + HOUR, 3), json!({"roles": [{"name": "引导员", "capacity": 1}]})).await;
    let y = create(&app, plan(&app, t + 2 * HOUR, t + 3 * HOUR, 2), json!({})).await;
    let role = tongxing_store::activities::roles(&app.svc.db, x).await.unwrap()[0].id;
    let people = more_volunteers(&app, 10).await;
    let (back, early) = (people[8], people[9]);
    signups::sign_up(&app.svc.db, x, back, None, (t, t + HOUR)).await.unwrap();
    signups::cancel(&app.svc.db, x, back).await.unwrap();
    let before = signups::sign_up(&app.svc.db, y, early, None, (t + 2 * HOUR, t + 3 * HOUR)).await.unwrap();

    let on = |a: i64, v: i64, role_id: Option<i64>| {
        let span = if a == x { (t, t + HOUR) } else { (t + 2 * HOUR, t + 3 * HOUR) };
        Request { activity_id: a, volunteer_id: v, role_id, span }
    };
    let batch = vec![
        on(x, people[0], None),
        on(y, people[0], None),
        on(x, people[1], Some(role)),
        on(x, people[2], None),
        on(x, people[0], None),
        on(y, people[3], None),
        on(x, people[4], Some(role)),
        on(y, people[5], None),
        on(x, back, None),
        on(x, people[6], None),
        on(x, people[7], None),
        on(y, early, None),
    ];
    let outs = signups::sign_up_many(&app.svc.db, batch.clone()).await.unwrap();
    assert_eq!(outs.len(), batch.len());
    assert_eq!(outs.iter().filter(|o| o.new).count(), batch.len() - 2, "only the repeated pairs are not new");
    assert!(!outs[4].new && outs[0].new, "of a pair sent twice the first is the new one");
    assert_eq!(outs[11], signups::Outcome { status: before.status, new: false }, "a pair signed up before keeps its place");
    for (r, o) in batch.iter().zip(&outs) {
        let row = signups::status(&app.svc.db, r.activity_id, r.volunteer_id).await.unwrap();
        assert_eq!(row, Some(o.status), "the answer to {r:?} is its row's status");
    }
    for (a, capacity) in [(x, 3), (y, 2)] {
        let (confirmed, waitlisted) = signups::counts(&app.svc.db, a).await.unwrap();
        let got = body(app.get(Role::Coordinator, &format!("/api/v1/activities/{a}")).await).await;
        assert_eq!(
            (got["confirmed"].as_i64(), got["waitlisted"].as_i64()),
            (Some(confirmed), Some(waitlisted)),
            "counters agree with rows"
        );
        assert_eq!(confirmed, capacity, "every place is taken, none twice");
    }
    let seated_in_role = outs.iter().zip(&batch).filter(|(o, r)| r.role_id.is_some() && o.status == SignupStatus::Confirmed).count();
    assert!(seated_in_role <= 1, "the role's one place is given once");
    assert_eq!(tongxing_store::activities::roles(&app.svc.db, x).await.unwrap()[0].confirmed, seated_in_role as i64);
}
