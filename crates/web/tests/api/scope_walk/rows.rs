//! The table: for every write of /api/v1, requests aimed outside a role's
//! reach — at another unit's or another team's object, or at an object
//! within reach with a body whose references (unit, teams, volunteers, the
//! team that claims) lie outside it. A row names the roles it is within
//! reach of by design; every other role must be refused.

use serde_json::{json, Value};
use tongxing_domain::role::Role;
use tongxing_domain::role::Role::{Admin, Coordinator, Liaison};
use tongxing_domain::time::rfc3339;
use tongxing_store::now_ms;

use super::world::World;

/// What a refused request must have left: nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expect {
    /// 403 or 404 (whichever the document lists), the database unchanged.
    Refused,
    /// A write on the caller's own records only, of which the world's
    /// accounts have none to change: 2xx, the database unchanged.
    NoEffect,
}

#[derive(Debug, Clone)]
pub enum Body {
    Json(Value),
    /// A roster upload (multipart field `file`, a .csv of one heading and these lines).
    Roster(&'static str),
    None,
}

#[derive(Debug, Clone)]
pub struct Row {
    /// `METHOD /path/{param}` as the OpenAPI document names the operation.
    pub op: String,
    /// What lies outside the caller's reach.
    pub why: &'static str,
    pub path: String,
    pub body: Body,
    /// The roles this request is within reach of: not sent.
    pub within: &'static [Role],
    pub expect: Expect,
}

impl Row {
    pub fn method(&self) -> &str {
        self.op.split_once(' ').unwrap().0
    }
    pub fn template(&self) -> &str {
        self.op.split_once(' ').unwrap().1
    }
}

/// Writes left out of the walk, and why none of them can reach past a scope.
pub const EXEMPT: [(&str, &str); 6] = [
    ("POST /api/v1/auth/login", "public: it proves who the caller is and writes only that person's session"),
    ("POST /api/v1/auth/logout", "ends the session of the token it is sent with, and nothing else"),
    ("POST /api/v1/needs", "public: anyone may ask for help; its one reference, the community, is the region's public structure"),
    ("POST /api/v1/dispatches/answers/{token}", "public: the link's secret names one person's answer on one call, and is the proof"),
    ("POST /api/v1/registrations/code", "public: sends a code to the phone it names, rate-limited; nothing else changes"),
    ("POST /api/v1/registrations", "public: an application waits for someone within reach of its unit or teams to decide it"),
];

const CENTER: &[Role] = &[Admin, Coordinator];
const ADMIN: &[Role] = &[Admin];
const NOBODY: &[Role] = &[];

fn row(op: impl Into<String>, why: &'static str, path: String, body: Body, within: &'static [Role]) -> Row {
    Row { op: op.into(), why, path, body, within, expect: Expect::Refused }
}

fn json_row(op: impl Into<String>, why: &'static str, path: String, body: Value, within: &'static [Role]) -> Row {
    row(op, why, path, Body::Json(body), within)
}

/// Every row, for the world `w`.
pub fn rows(w: &World) -> Vec<Row> {
    let mut all = registry(w);
    all.extend(volunteers(w));
    all.extend(needs(w));
    all.extend(activities(w));
    all.extend(dispatch(w));
    all.extend(accounts(w));
    all.push(json_row(
        "POST /api/v1/registrations/{id}/decision",
        "an application to join unit 1's team 1",
        format!("/api/v1/registrations/{}/decision", w.application),
        json!({"decision": "approve"}),
        CENTER,
    ));
    all
}

/// Districts, communities, units, teams, beneficiaries: the center's alone.
fn registry(w: &World) -> Vec<Row> {
    let fx = &w.fx;
    let kinds: [(&str, i64, i64, Value); 5] = [
        ("districts", fx.districts[1], w.off_district, json!({"name": "现河片区"})),
        (
            "communities",
            fx.communities[1],
            w.off_community,
            json!({"name": "振兴小区", "district_id": fx.districts[1], "lat": 37.44, "lng": 118.46}),
        ),
        ("units", fx.units[1], w.off_unit, json!({"name": "东胜公司", "kind": "oilfield_unit"})),
        (
            "teams",
            fx.teams[1],
            w.off_team,
            json!({"name": "东胜助老服务队", "district_id": fx.districts[1], "category": "elderly_care", "unit_id": fx.units[1],
                "leader_volunteer_id": fx.volunteers[2]}),
        ),
        (
            "beneficiaries",
            w.beneficiary,
            w.off_beneficiary,
            json!({"name": "刘奶奶", "kind": "elderly_alone", "community_id": fx.communities[1]}),
        ),
    ];
    let mut rows = Vec::new();
    for (kind, other, off, body) in kinds {
        let op = |method: &str, suffix: &str| format!("{method} /api/v1/{kind}{suffix}");
        let mut new = body.clone();
        new["name"] = json!(format!("{}（新）", body["name"].as_str().unwrap()));
        rows.push(json_row(op("POST", ""), "a new row of the region's structure", format!("/api/v1/{kind}"), new, CENTER));
        rows.push(json_row(op("PUT", "/{id}"), "another unit's or district's row", format!("/api/v1/{kind}/{other}"), body, CENTER));
        rows.push(row(
            op("POST", "/{id}/deactivate"),
            "another unit's or district's row",
            format!("/api/v1/{kind}/{other}/deactivate"),
            Body::None,
            CENTER,
        ));
        rows.push(row(op("POST", "/{id}/reactivate"), "a deactivated row", format!("/api/v1/{kind}/{off}/reactivate"), Body::None, CENTER));
    }
    rows
}

fn volunteers(w: &World) -> Vec<Row> {
    let fx = &w.fx;
    let [u0, u1] = fx.units;
    let [t0, t1] = fx.teams;
    let [v0, v1, v2] = fx.volunteers;
    let person = |name: &str, phone: &str, unit: i64, community: i64, teams: Value| {
        json!({"name": name, "phone": phone, "unit_id": unit, "community_id": community, "team_ids": teams, "skills": ["急救"],
               "party_member": true})
    };
    let (c0, c1) = (fx.communities[0], fx.communities[1]);
    let put = |v: i64| format!("/api/v1/volunteers/{v}");
    let import = |why, csv| row("POST /api/v1/volunteers/import", why, "/api/v1/volunteers/import".into(), Body::Roster(csv), CENTER);
    vec![
        json_row(
            "POST /api/v1/volunteers",
            "a new volunteer of unit 1, team 1",
            "/api/v1/volunteers".into(),
            person("赵新", "13966660001", u1, c1, json!([t1])),
            CENTER,
        ),
        json_row(
            "POST /api/v1/volunteers",
            "unit 0, but joining team 1 (of unit 1)",
            "/api/v1/volunteers".into(),
            person("赵新", "13966660002", u0, c0, json!([t0, t1])),
            CENTER,
        ),
        json_row(
            "POST /api/v1/volunteers",
            "unit 1, joining team 0",
            "/api/v1/volunteers".into(),
            person("赵新", "13966660003", u1, c1, json!([t0])),
            CENTER,
        ),
        json_row(
            "PUT /api/v1/volunteers/{id}",
            "unit 1's volunteer, unchanged",
            put(v2),
            person("王秀英", "13800000003", u1, c1, json!([t1])),
            CENTER,
        ),
        json_row(
            "PUT /api/v1/volunteers/{id}",
            "one's own member moved to unit 1",
            put(v0),
            person("张晓静", "13800000001", u1, c0, json!([t0])),
            CENTER,
        ),
        json_row(
            "PUT /api/v1/volunteers/{id}",
            "one's own member added to team 1",
            put(v0),
            person("张晓静", "13800000001", u0, c0, json!([t0, t1])),
            CENTER,
        ),
        json_row(
            "PUT /api/v1/volunteers/{id}",
            "unit 0's volunteer outside team 0",
            put(v1),
            person("李国强", "13800000002", u0, c0, json!([])),
            &[Admin, Coordinator, Liaison],
        ),
        row(
            "POST /api/v1/volunteers/{id}/deactivate",
            "unit 1's volunteer",
            format!("/api/v1/volunteers/{v2}/deactivate"),
            Body::None,
            CENTER,
        ),
        row(
            "POST /api/v1/volunteers/{id}/reactivate",
            "unit 1's deactivated volunteer",
            format!("/api/v1/volunteers/{}/reactivate", w.off_volunteer),
            Body::None,
            CENTER,
        ),
        import("a new volunteer of unit 1", "新人甲,13955550001,,东胜公司,振兴小区,,,否"),
        import("unit 0, but joining team 1 (of unit 1)", "新人乙,13955550002,,现河采油厂,雅苑小区,东胜助老服务队,,否"),
        import("unit 1's volunteer (by phone) moved into unit 0", "王秀英,13800000003,,现河采油厂,雅苑小区,,,否"),
        row(
            "POST /api/v1/volunteers/{id}/certificates",
            "unit 1's volunteer's hours",
            format!("/api/v1/volunteers/{v2}/certificates"),
            Body::None,
            CENTER,
        ),
    ]
}

fn needs(w: &World) -> Vec<Row> {
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

fn activities(w: &World) -> Vec<Row> {
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

fn dispatch(w: &World) -> Vec<Row> {
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

fn accounts(w: &World) -> Vec<Row> {
    let user = json!({"login": "newcomer", "password": "long-enough-pw", "role": "liaison", "unit_id": w.fx.units[1]});
    let mut rows = vec![
        json_row("POST /api/v1/users", "an account", "/api/v1/users".into(), user, ADMIN),
        row(
            "POST /api/v1/users/{id}/deactivate",
            "team 1's leader's account",
            format!("/api/v1/users/{}/deactivate", w.leader1),
            Body::None,
            ADMIN,
        ),
        row(
            "POST /api/v1/users/{id}/reactivate",
            "a deactivated account",
            format!("/api/v1/users/{}/reactivate", w.off_user),
            Body::None,
            ADMIN,
        ),
        json_row(
            "POST /api/v1/users/{id}/password",
            "team 1's leader's account",
            format!("/api/v1/users/{}/password", w.leader1),
            json!({"password": "another-long-pw"}),
            ADMIN,
        ),
        row(
            "POST /api/v1/notifications/{id}/read",
            "team 1's leader's notification",
            format!("/api/v1/notifications/{}/read", w.leader1_notification),
            Body::None,
            NOBODY,
        ),
        row(
            "POST /api/v1/outbox/{id}/retry",
            "the center's outbox",
            format!("/api/v1/outbox/{}/retry", w.dead_delivery),
            Body::None,
            CENTER,
        ),
    ];
    let mut mine =
        row("POST /api/v1/notifications/read-all", "others' notifications", "/api/v1/notifications/read-all".into(), Body::None, NOBODY);
    mine.expect = Expect::NoEffect;
    rows.push(mine);
    rows
}
