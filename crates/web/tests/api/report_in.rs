//! 双进双报到: party organisations and reports to a home community, over
//! HTTP, on whichever database the run uses.

use reqwest::StatusCode;
use serde_json::{json, Value};
use tongxing_domain::role::Role;

use crate::helpers::{body, expect_error, spawn_app, TestApp};

/// A party organisation of unit 0 registered with community `c`; its id.
pub async fn org(app: &TestApp, name: &str, c: i64) -> i64 {
    let b = json!({"name": name, "unit_id": app.fx.units[0], "community_id": c, "secretary": "刘书记", "contact_phone": "13912345678"});
    let r = app.post(Role::Coordinator, "/api/v1/party-orgs", &b).await;
    assert_eq!(r.status(), StatusCode::CREATED);
    body(r).await["id"].as_i64().unwrap()
}

pub async fn report(app: &TestApp, role: Role, v: i64, b: Value) -> reqwest::Response {
    app.post(role, &format!("/api/v1/volunteers/{v}/report-in"), &b).await
}

#[tokio::test]
async fn the_center_registers_party_orgs_with_a_community_and_others_may_only_look() {
    let app = spawn_app().await;
    let c0 = app.fx.communities[0];
    let id = org(&app, "采油一厂第三党支部", c0).await;
    let again = json!({"name": "采油一厂第三党支部", "community_id": c0});
    expect_error(app.post(Role::Coordinator, "/api/v1/party-orgs", &again).await, StatusCode::CONFLICT, "duplicate_name").await;
    let stray = json!({"name": "无处党支部", "community_id": 999_999});
    let e = expect_error(
        app.post(Role::Coordinator, "/api/v1/party-orgs", &stray).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "unknown_reference",
    )
    .await;
    assert_eq!(e["field"], "community_id");
    let bad_phone = json!({"name": "某党支部", "community_id": c0, "contact_phone": "12345"});
    let e =
        expect_error(app.post(Role::Coordinator, "/api/v1/party-orgs", &bad_phone).await, StatusCode::UNPROCESSABLE_ENTITY, "phone_format")
            .await;
    assert_eq!(e["field"], "contact_phone");
    for role in [Role::Liaison, Role::TeamLeader, Role::Volunteer, Role::Observer, Role::Viewer] {
        expect_error(
            app.post(role, "/api/v1/party-orgs", &json!({"name": "越权党支部", "community_id": c0})).await,
            StatusCode::FORBIDDEN,
            "forbidden",
        )
        .await;
    }
    let edit = json!({"name": "采油一厂第三党支部", "community_id": app.fx.communities[1], "unit_id": app.fx.units[0],
                     "secretary": "刘书记", "contact_phone": "139 1234 5678"});
    assert_eq!(app.put(Role::Coordinator, &format!("/api/v1/party-orgs/{id}"), &edit).await.status(), StatusCode::OK);
    let list = body(app.get(Role::Viewer, &format!("/api/v1/party-orgs?community_id={}", app.fx.communities[1])).await).await;
    assert_eq!(list["total"], 1);
    assert_eq!(list["items"][0]["secretary"], "刘书记");
    assert_eq!(list["items"][0]["contact_phone"], "139****5678", "lists mask the phone");
    assert_eq!(body(app.get(Role::Viewer, &format!("/api/v1/party-orgs/{id}")).await).await["contact_phone"], "139****5678");
    assert_eq!(body(app.get(Role::Coordinator, &format!("/api/v1/party-orgs/{id}")).await).await["contact_phone"], "13912345678");
    assert!(app.audited(Role::Coordinator, "read_phone", "party_org", id).await, "a full phone read is audited");
    assert_eq!(
        app.post(Role::Coordinator, &format!("/api/v1/party-orgs/{id}/deactivate"), &json!({})).await.status(),
        StatusCode::NO_CONTENT
    );
    assert_eq!(body(app.get(Role::Viewer, "/api/v1/party-orgs").await).await["total"], 0, "a deactivated one is not listed");
    let xlsx = app.get(Role::Viewer, "/api/v1/party-orgs?format=xlsx&include_inactive=true").await;
    assert_eq!(xlsx.status(), StatusCode::OK);
    assert!(xlsx.headers()["content-type"].to_str().unwrap().contains("spreadsheetml"));
}

#[tokio::test]
async fn only_party_members_report_in() {
    let app = spawn_app().await;
    let mut person = app.new_volunteer("13800000077");
    person["party_member"] = json!(false);
    let v = body(app.post(Role::Coordinator, "/api/v1/volunteers", &person).await).await["id"].as_i64().unwrap();
    let e = expect_error(
        report(&app, Role::Liaison, v, json!({"community_id": app.fx.communities[0]})).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "not_party_member",
    )
    .await;
    assert_eq!(e["field"], "party_member");
    let h = body(app.get(Role::Coordinator, &format!("/api/v1/volunteers/{v}/report-in")).await).await;
    assert_eq!(h["history"], json!([]), "nothing was recorded");
}

#[tokio::test]
async fn a_change_of_community_is_a_new_report_that_keeps_the_old_one() {
    let app = spawn_app().await;
    let (c0, c1) = (app.fx.communities[0], app.fx.communities[1]);
    let me = app.fx.volunteers[0];
    let o = org(&app, "现河采油厂第一党支部", c0).await;
    let first = body(report(&app, Role::Volunteer, me, json!({"community_id": c0, "party_org_id": o})).await).await;
    assert_eq!(first["outcome"], "first");
    assert_eq!(first["current"]["community_id"], c0);
    assert_eq!(first["current"]["party_org_name"], "现河采油厂第一党支部");
    let same = body(report(&app, Role::Volunteer, me, json!({"community_id": c0, "party_org_id": o})).await).await;
    assert_eq!(same["outcome"], "same");
    assert_eq!(same["history"].as_array().unwrap().len(), 1, "the same report twice records it once");
    let moved = body(report(&app, Role::Volunteer, me, json!({"community_id": c1})).await).await;
    assert_eq!(moved["outcome"], "change");
    let h = moved["history"].as_array().unwrap();
    assert_eq!(h.len(), 2);
    assert_eq!(h[0]["community_id"], c1);
    assert_eq!(h[0]["ended_at"], Value::Null, "the new report is the current one");
    assert_eq!(h[1]["community_id"], c0);
    assert_eq!(h[1]["party_org_id"], o, "the old report is kept as it was");
    assert!(h[1]["ended_at"].is_string(), "and ended");
    assert_eq!(moved["current"]["community_id"], c1);
    assert!(app.audited(Role::Volunteer, "report_in", "volunteer", me).await);
}

#[tokio::test]
async fn bad_references_are_refused_with_their_field() {
    let app = spawn_app().await;
    let (c0, c1) = (app.fx.communities[0], app.fx.communities[1]);
    let v = app.fx.volunteers[1];
    let o1 = org(&app, "东胜公司党支部", c1).await;
    let off = org(&app, "停用党支部", c0).await;
    app.post(Role::Coordinator, &format!("/api/v1/party-orgs/{off}/deactivate"), &json!({})).await;
    for (b, field, code) in [
        (json!({"community_id": 999_999}), "community_id", "unknown_reference"),
        (json!({"community_id": c0, "party_org_id": 999_999}), "party_org_id", "unknown_reference"),
        (json!({"community_id": c0, "party_org_id": off}), "party_org_id", "unknown_reference"),
        (json!({"community_id": c0, "party_org_id": o1}), "party_org_id", "org_of_other_community"),
    ] {
        let e = expect_error(report(&app, Role::Liaison, v, b.clone()).await, StatusCode::UNPROCESSABLE_ENTITY, code).await;
        assert_eq!(e["field"], field, "{b}");
    }
    let malformed = report(&app, Role::Liaison, v, json!({"community_id": "雅苑"})).await;
    assert!(malformed.status().is_client_error(), "never a 500: {}", malformed.status());
    expect_error(report(&app, Role::Liaison, 999_999, json!({"community_id": c0})).await, StatusCode::NOT_FOUND, "not_found").await;
}

#[tokio::test]
async fn a_liaison_reports_only_their_own_units_people_and_a_member_only_themself() {
    let app = spawn_app().await;
    let c0 = app.fx.communities[0];
    let [v0, v1, v2] = app.fx.volunteers;
    let to = json!({"community_id": c0});
    assert_eq!(report(&app, Role::Liaison, v1, to.clone()).await.status(), StatusCode::OK);
    expect_error(report(&app, Role::Liaison, v2, to.clone()).await, StatusCode::FORBIDDEN, "forbidden").await;
    expect_error(report(&app, Role::Volunteer, v1, to.clone()).await, StatusCode::FORBIDDEN, "forbidden").await;
    for role in [Role::TeamLeader, Role::Observer, Role::Viewer] {
        expect_error(report(&app, role, v0, to.clone()).await, StatusCode::FORBIDDEN, "forbidden").await;
    }
    assert_eq!(report(&app, Role::Coordinator, v2, to).await.status(), StatusCode::OK, "the center reports anyone");
    expect_error(app.get(Role::Volunteer, &format!("/api/v1/volunteers/{v1}/report-in")).await, StatusCode::FORBIDDEN, "forbidden").await;
    assert_eq!(app.get(Role::Volunteer, &format!("/api/v1/volunteers/{v0}/report-in")).await.status(), StatusCode::OK);
}

#[tokio::test]
async fn a_liaison_reports_from_a_sheet_after_a_preview() {
    let app = spawn_app().await;
    org(&app, "现河采油厂第二党支部", app.fx.communities[0]).await;
    let sheet = "姓名,手机号,报到小区,党组织\n张晓静,13800000001,雅苑小区,现河采油厂第二党支部\n李国强,13800000002,雅苑小区,\n王秀英,13800000003,振兴小区,\n无名,13800009999,雅苑小区,\n";
    let send = |q: &'static str| {
        let part = reqwest::multipart::Part::bytes(sheet.as_bytes().to_vec()).file_name("报到.csv");
        let form = reqwest::multipart::Form::new().part("file", part);
        app.api.post(app.url(&format!("/api/v1/report-ins/import{q}"))).bearer_auth(app.token(Role::Liaison)).multipart(form).send()
    };
    let preview = body(send("?dry_run=true").await.unwrap()).await;
    assert_eq!(preview["committed"], false);
    assert_eq!(preview["created"], 2);
    let errors: Vec<(i64, &str, &str)> = preview["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["row"].as_i64().unwrap(), e["field"].as_str().unwrap(), e["code"].as_str().unwrap()))
        .collect();
    assert_eq!(errors, vec![(4, "phone", "not_your_unit"), (5, "phone", "unknown_reference")]);
    let all_or_nothing = body(send("").await.unwrap()).await;
    assert_eq!(all_or_nothing["committed"], false, "a sheet with errors records nothing");
    assert_eq!(
        body(app.get(Role::Coordinator, &format!("/api/v1/volunteers/{}/report-in", app.fx.volunteers[1])).await).await["history"],
        json!([])
    );
    let partial = body(send("?partial=true").await.unwrap()).await;
    assert_eq!((partial["committed"].clone(), partial["created"].clone()), (json!(true), json!(2)));
    let h = body(app.get(Role::Coordinator, &format!("/api/v1/volunteers/{}/report-in", app.fx.volunteers[0])).await).await;
    assert_eq!(h["current"]["party_org_name"], "现河采油厂第二党支部");
}
