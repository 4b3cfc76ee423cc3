//! Rows for the region's structure, its volunteers, and accounts,
//! notifications and the outbox.

use serde_json::{json, Value};
use tongxing_domain::role::Role::{Admin, Coordinator, Liaison};

use super::rows::{json_row, row, Body, Expect, Row, ADMIN, CENTER, NOBODY};
use super::world::World;

/// Districts, communities, units, teams, beneficiaries: the center's alone.
pub(super) fn registry(w: &World) -> Vec<Row> {
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

pub(super) fn volunteers(w: &World) -> Vec<Row> {
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

pub(super) fn accounts(w: &World) -> Vec<Row> {
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

/// The service-project catalogue: the center's alone.
pub(super) fn catalogue(w: &World) -> Vec<Row> {
    let body = json!({"name": "敬老院理发", "category": "elderly_care", "team_id": w.fx.teams[1]});
    vec![
        json_row("POST /api/v1/projects", "a new project of the catalogue", "/api/v1/projects".into(), body.clone(), CENTER),
        json_row("PUT /api/v1/projects/{id}", "team 1's project", format!("/api/v1/projects/{}", w.project), body, CENTER),
        json_row(
            "POST /api/v1/projects/{id}/retire",
            "team 1's project, its activity ahead cancelled",
            format!("/api/v1/projects/{}/retire", w.project),
            json!({"future_activities": "cancel"}),
            CENTER,
        ),
    ]
}
