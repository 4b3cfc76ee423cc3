//! Rows for the work: needs, activities and hours, emergency calls.

use serde_json::{json, Value};
use tongxing_domain::role::Role;
use tongxing_domain::role::Role::{Admin, Coordinator};
use tongxing_domain::time::rfc3339;
use tongxing_store::now_ms;

use super::rows::{json_row, row, Body, Row, CENTER, NOBODY};
use super::world::World;

pub(super) fn needs(w: &World) -> Vec<Row> {
    let [t0, t1] = w.fx.teams;
    let v2 = w.fx.volunteers[2];
    let need = |id: i64, action: &str| format!("/api/v1/needs/{id}/{action}");
    let submitted = json!({"title": "陪同就医", "description": "独居老人需陪同", "category": "elderly_care",
                           "community_id": w.fx.communities[1], "requester_name": "李奶奶", "requester_phone": "13977779999"});
    let done = |hours: Value| json!({"summary": "已完成", "hours": hours});
    vec![
        json_row("POST /api/v1/needs/batch", "the center's intake", "/api/v1/needs/batch".into(), json!({"items": [submitted]}), CENTER),
        json_row(
            "POST /api/v1/needs/{id}/review",
            "the center's review",
            need(w.need_submitted, "review"),
            json!({"decision": "publish"}),
            CENTER,
        ),
        json_row(
            "POST /api/v1/needs/{id}/merge",
            "the center's review",
            need(w.need_submitted, "merge"),
            json!({"into": w.need_published}),
            CENTER,
        ),
        json_row("POST /api/v1/needs/{id}/claim", "claimed for team 1", need(w.need_published, "claim"), json!({"team_id": t1}), CENTER),
        json_row(
            "POST /api/v1/needs/{id}/claim",
            "a need team 0 does not fit (district 1)",
            need(w.need_published, "claim"),
            json!({"team_id": t0}),
            CENTER,
        ),
        row("POST /api/v1/needs/{id}/release", "team 1's need", need(w.need_held1, "release"), Body::None, CENTER),
        json_row("POST /api/v1/needs/{id}/complete", "team 1's need", need(w.need_held1, "complete"), done(json!([])), CENTER),
        json_row(
            "POST /api/v1/needs/{id}/complete",
            "team 0's need, hours for team 1's volunteer",
            need(w.need_held0, "complete"),
            done(json!([{"volunteer_id": v2, "hours": 2.0}])),
            CENTER,
        ),
        json_row(
            "POST /api/v1/needs/{id}/complete",
            "team 0's need, hours for someone outside team 0",
            need(w.need_held0, "complete"),
            done(json!([{"volunteer_id": w.fx.volunteers[1], "hours": 2.0}])),
            CENTER,
        ),
        json_row(
            "POST /api/v1/needs/{id}/takeover",
            "asked in team 1b's name",
            need(w.need_held1, "takeover"),
            json!({"team_id": w.team1b, "reason": "我们离得更近"}),
            NOBODY,
        ),
        json_row(
            "POST /api/v1/needs/{id}/takeover/{request_id}",
            "a request to team 1",
            format!("/api/v1/needs/{}/takeover/{}", w.need_held1, w.takeover),
            json!({"decision": "accept"}),
            CENTER,
        ),
        json_row(
            "POST /api/v1/needs/track/{tracking_code}/rating",
            "someone else's need (not their phone)",
            format!("/api/v1/needs/track/{}/rating", w.need_done_code),
            json!({"phone": "13900001111", "stars": 1}),
            NOBODY,
        ),
    ]
}

pub(super) fn activities(w: &World) -> Vec<Row> {
    let [v0, _, v2] = w.fx.volunteers;
    let now = now_ms();
    let on = |id: i64, action: &str| format!("/api/v1/activities/{id}/{action}");
    let plan = json!({"title": "社区义诊", "team_id": w.fx.teams[1], "community_id": w.fx.communities[1],
                      "starts_at": rfc3339(now + 48 * 3_600_000), "ends_at": rfc3339(now + 50 * 3_600_000), "capacity": 5});
    vec![
        json_row("POST /api/v1/activities", "planned for team 1", "/api/v1/activities".into(), plan, CENTER),
        json_row(
            "POST /api/v1/activities/{id}/signups",
            "team 1's volunteer signed up",
            on(w.activity_now, "signups"),
            json!({"volunteer_id": v2}),
            CENTER,
        ),
        row(
            "DELETE /api/v1/activities/{id}/signups/{volunteer_id}",
            "team 1's volunteer's sign-up",
            format!("/api/v1/activities/{}/signups/{v2}", w.activity_now),
            Body::None,
            CENTER,
        ),
        json_row(
            "POST /api/v1/activities/{id}/checkins",
            "team 1's activity and volunteer",
            on(w.activity_now, "checkins"),
            json!({"volunteer_id": v2, "kind": "in"}),
            CENTER,
        ),
        json_row(
            "POST /api/v1/activities/{id}/checkins",
            "team 0's member, at team 1's activity",
            on(w.activity_now, "checkins"),
            json!({"volunteer_id": v0, "kind": "in"}),
            &[Admin, Coordinator, Role::Volunteer],
        ),
        json_row("POST /api/v1/activities/{id}/confirm", "team 1's activity", on(w.activity_ended, "confirm"), json!({}), CENTER),
        json_row(
            "POST /api/v1/activities/{id}/insurance",
            "team 1's activity",
            on(w.activity_now, "insurance"),
            json!({"policy": "PICC-2026-001"}),
            CENTER,
        ),
        row("POST /api/v1/activities/{id}/cancel", "team 1's activity", on(w.activity_now, "cancel"), Body::None, CENTER),
        json_row(
            "POST /api/v1/hours/{entry_id}/corrections",
            "team 1's activity entry",
            format!("/api/v1/hours/{}/corrections", w.entry_activity),
            json!({"hours": 1.0, "reason": "核对"}),
            CENTER,
        ),
        json_row(
            "POST /api/v1/hours/{entry_id}/corrections",
            "team 1's volunteer's need entry",
            format!("/api/v1/hours/{}/corrections", w.entry_need),
            json!({"hours": 0.5, "reason": "核对"}),
            CENTER,
        ),
        json_row(
            "POST /api/v1/hours/{entry_id}/disputes",
            "someone else's entry",
            format!("/api/v1/hours/{}/disputes", w.entry_need),
            json!({"reason": "少记了"}),
            NOBODY,
        ),
        json_row(
            "POST /api/v1/hours/disputes/{id}/answer",
            "a dispute of team 1's entry",
            format!("/api/v1/hours/disputes/{}/answer", w.dispute),
            json!({"answer": "已核实"}),
            CENTER,
        ),
        json_row(
            "POST /api/v1/calendar-feeds",
            "team 1's calendar",
            "/api/v1/calendar-feeds".into(),
            json!({"team_id": w.fx.teams[1], "regenerate": true}),
            CENTER,
        ),
    ]
}

pub(super) fn dispatch(w: &World) -> Vec<Row> {
    let v2 = w.fx.volunteers[2];
    let t = now_ms() + 3 * 3_600_000;
    let call = json!({"title": "清理积水", "community_id": w.fx.communities[1], "starts_at": rfc3339(t),
                      "ends_at": rfc3339(t + 3_600_000), "needed": 1});
    let on = |action: &str| format!("/api/v1/dispatches/{}/{action}", w.call);
    vec![
        json_row("POST /api/v1/dispatches", "the center's call", "/api/v1/dispatches".into(), call.clone(), CENTER),
        json_row("POST /api/v1/dispatches/preview", "the center's call", "/api/v1/dispatches/preview".into(), call, CENTER),
        json_row(
            "POST /api/v1/dispatches/{id}/responses",
            "unit 1's volunteer's answer",
            on("responses"),
            json!({"volunteer_id": v2, "answer": "accept"}),
            CENTER,
        ),
        json_row(
            "POST /api/v1/dispatches/{id}/commitments",
            "unit 1's volunteer",
            on("commitments"),
            json!({"volunteer_ids": [v2]}),
            CENTER,
        ),
        json_row(
            "POST /api/v1/dispatches/{id}/commitments",
            "one of unit 0, then one of unit 1",
            on("commitments"),
            json!({"volunteer_ids": [w.unit0_adult, v2]}),
            CENTER,
        ),
        row("POST /api/v1/dispatches/{id}/waves", "the center's call", on("waves"), Body::None, CENTER),
        json_row("POST /api/v1/dispatches/{id}/top-up", "the center's call", on("top-up"), json!({"add": 1}), CENTER),
        row("POST /api/v1/dispatches/{id}/close", "the center's call", on("close"), Body::None, CENTER),
    ]
}
