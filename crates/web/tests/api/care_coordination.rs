//! 爱心守护, the coordinator's side (issue #15): suggestions that weigh
//! skills against the help and the beneficiary's needs under the load cap,
//! hiding a visit's personal notes from the next volunteer, the coverage as
//! a workbook, and red warnings reaching the community with a link to the pair.

use reqwest::StatusCode;
use serde_json::{json, Value};
use tongxing_domain::role::Role;
use tongxing_domain::time::{region_date, rfc3339};
use tongxing_service::auth::NewAccount;
use tongxing_store::now_ms;

use crate::helpers::{body, expect_error, spawn_app, TestApp};
use crate::pages::{page, submit};

async fn beneficiary(app: &TestApp, name: &str, notes: &str) -> i64 {
    let b = json!({"name": name, "kind": "elderly_alone", "community_id": app.fx.communities[0], "phone": "13912345678",
                   "notes": notes});
    body(app.post(Role::Coordinator, "/api/v1/beneficiaries", &b).await).await["id"].as_i64().unwrap()
}

async fn pair(app: &TestApp, b: Value) -> Value {
    let r = app.post(Role::Coordinator, "/api/v1/care/pairs", &b).await;
    assert_eq!(r.status(), StatusCode::CREATED);
    body(r).await
}

/// A volunteer account for `volunteer_id`; returns its token.
async fn volunteer_account(app: &TestApp, login: &str, volunteer_id: i64, role: Role) -> String {
    let a = NewAccount {
        login: login.into(),
        password: "pw-someone-secret".into(),
        role,
        unit_id: None,
        team_id: None,
        volunteer_id: Some(volunteer_id),
        name: None,
    };
    app.account(&a).await
}

async fn get_as(app: &TestApp, token: &str, path: &str) -> Value {
    body(app.api.get(app.url(path)).bearer_auth(token).send().await.unwrap()).await
}

fn ids(list: &Value) -> Vec<i64> {
    list["items"].as_array().unwrap().iter().map(|c| c["volunteer_id"].as_i64().unwrap()).collect()
}

#[tokio::test]
async fn suggestions_put_matching_skills_first_within_the_community_and_show_the_load_and_cap() {
    let app = spawn_app().await;
    let [v0, v1, v2] = app.fx.volunteers;
    let mut fixer = app.new_volunteer("13955550001");
    fixer["skills"] = json!(["家电维修"]);
    let r = app.post(Role::Coordinator, "/api/v1/volunteers", &fixer).await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let fixer = body(r).await["id"].as_i64().unwrap();
    let first = beneficiary(&app, "赵奶奶", "").await;
    pair(&app, json!({"volunteer_id": v0, "beneficiary_id": first})).await;

    let b = beneficiary(&app, "刘奶奶", "厨房水龙头漏水，需要维修").await;
    let c = Role::Coordinator;
    let list = body(app.get(c, &format!("/api/v1/care/candidates?beneficiary_id={b}")).await).await;
    assert_eq!(ids(&list), vec![fixer, v1, v0], "skills first, then the fewest pairs; another district's never: {list}");
    assert_eq!(list["items"][0]["matching_skills"], json!(["家电维修"]));
    assert_eq!((list["items"][2]["load"].as_i64(), list["items"][2]["max_pairs"].as_i64()), (Some(1), Some(5)));
    assert!(!ids(&list).contains(&v2));

    // The help being agreed weighs the same way: first aid (急救) is what v0 and v1 know.
    let plain = beneficiary(&app, "王爷爷", "").await;
    let list = body(app.get(c, &format!("/api/v1/care/candidates?beneficiary_id={plain}&help=急救培训、聊天")).await).await;
    assert_eq!(ids(&list), vec![v1, v0, fixer], "{list}");
    // Nobody is offered to a person they already care for.
    let list = body(app.get(c, &format!("/api/v1/care/candidates?beneficiary_id={first}")).await).await;
    assert!(!ids(&list).contains(&v0), "{list}");
    let long = "代".repeat(201);
    let r = app.get(c, &format!("/api/v1/care/candidates?beneficiary_id={b}&help={long}")).await;
    assert_eq!(expect_error(r, StatusCode::UNPROCESSABLE_ENTITY, "too_long").await["field"], "help");
    expect_error(
        app.get(Role::Volunteer, &format!("/api/v1/care/candidates?beneficiary_id={b}")).await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    expect_error(app.get(c, "/api/v1/care/candidates?beneficiary_id=99999").await, StatusCode::NOT_FOUND, "not_found").await;
}

#[tokio::test]
async fn the_coordinator_hides_a_visits_personal_notes_from_the_next_volunteer() {
    let app = spawn_app().await;
    let [v0, v1, _] = app.fx.volunteers;
    let b = beneficiary(&app, "刘奶奶", "").await;
    // Paired since yesterday: a visit five hours ago is yesterday's between midnight and 5:00.
    let yesterday = region_date(now_ms() - 86_400_000).to_string();
    let p = pair(&app, json!({"volunteer_id": v0, "beneficiary_id": b, "starts_on": yesterday})).await;
    let id = p["id"].as_i64().unwrap();
    let log = json!({"visited_at": rfc3339(now_ms() - 5 * 3_600_000), "minutes": 30, "mode": "phone", "contact_made": true,
                     "notes": "老人提到与儿子的家事，不便外传"});
    let visit = body(app.post(Role::Volunteer, &format!("/api/v1/care/pairs/{id}/visits"), &log).await).await;
    let vid = visit["id"].as_i64().unwrap();
    assert_eq!(visit["notes_hidden"], false);

    let path = format!("/api/v1/care/visits/{vid}/notes");
    for role in [Role::Volunteer, Role::TeamLeader, Role::Liaison] {
        expect_error(app.post(role, &path, &json!({"hidden": true})).await, StatusCode::FORBIDDEN, "forbidden").await;
    }
    expect_error(
        app.post(Role::Coordinator, "/api/v1/care/visits/99999/notes", &json!({"hidden": true})).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    let hidden = body(app.post(Role::Coordinator, &path, &json!({"hidden": true})).await).await;
    assert_eq!(hidden["notes_hidden"], true);
    assert!(app.audited(Role::Coordinator, "hide_notes", "care_visit", vid).await);

    let r = app.post(Role::Coordinator, &format!("/api/v1/care/pairs/{id}/handover"), &json!({"volunteer_id": v1})).await;
    let new = body(r).await["id"].as_i64().unwrap();
    let next = volunteer_account(&app, "li-guoqiang", v1, Role::Volunteer).await;
    let seen = get_as(&app, &next, &format!("/api/v1/care/pairs/{new}")).await;
    assert_eq!(seen["visits"].as_array().unwrap().len(), 1, "the visit itself stays visible: {seen}");
    assert_eq!((seen["visits"][0]["notes"].clone(), seen["visits"][0]["notes_hidden"].clone()), (Value::Null, json!(true)));
    let center = body(app.get(Role::Coordinator, &format!("/api/v1/care/pairs/{new}")).await).await;
    assert_eq!(center["visits"][0]["notes"], "老人提到与儿子的家事，不便外传");
    let own = body(app.get(Role::Volunteer, &format!("/api/v1/care/pairs/{id}")).await).await;
    assert_eq!(own["visits"][0]["notes"], "老人提到与儿子的家事，不便外传", "the visit's own volunteer still reads it");

    // The page's control shows them again.
    let (browser, csrf) = app.browser_as(Role::Coordinator).await;
    let (_, html) = page(&app, &browser, &format!("/care/pairs/{new}")).await;
    assert!(html.contains(&format!("/care/visits/{vid}/show")), "the coordinator's control on the pair's page");
    let pair_id = new.to_string();
    let resp = submit(&app, &browser, &format!("/care/visits/{vid}/show"), &[("pair_id", &pair_id), ("_csrf", &csrf)]).await;
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    assert!(app.audited(Role::Coordinator, "show_notes", "care_visit", vid).await);
    let seen = get_as(&app, &next, &format!("/api/v1/care/pairs/{new}")).await;
    assert_eq!(seen["visits"][0]["notes"], "老人提到与儿子的家事，不便外传");
    let (volunteer, _) = app.browser_as(Role::Volunteer).await;
    let (status, html) = page(&app, &volunteer, &format!("/care/pairs/{id}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(!html.contains(&format!("/care/visits/{vid}/hide")), "no hiding control for a volunteer");
}

#[tokio::test]
async fn the_coverage_downloads_as_a_workbook_for_the_center() {
    let app = spawn_app().await;
    let b = beneficiary(&app, "刘奶奶", "").await;
    beneficiary(&app, "赵奶奶", "").await;
    pair(&app, json!({"volunteer_id": app.fx.volunteers[0], "beneficiary_id": b})).await;
    let resp = app.get(Role::Coordinator, "/api/v1/care/coverage?format=xlsx").await;
    assert_eq!(resp.status(), StatusCode::OK);
    assert!(resp.headers()["content-type"].to_str().unwrap().contains("spreadsheetml"));
    let bytes = resp.bytes().await.unwrap();
    use calamine::Reader;
    let mut book = calamine::Xlsx::new(std::io::Cursor::new(bytes.to_vec())).unwrap();
    let sheet = book.worksheet_range_at(0).unwrap().unwrap();
    // The signature block spans the page's width, so rows end in empty cells.
    let cells: Vec<String> =
        sheet.rows().map(|r| r.iter().map(|c| c.to_string()).collect::<Vec<_>>().join("|").trim_end_matches('|').to_string()).collect();
    assert!(cells.contains(&"未结对|1".to_string()), "{cells:?}");
    assert!(cells.iter().any(|r| r.starts_with("填报单位")), "the signature block: {cells:?}");
    assert!(cells.contains(&"独居老人|1".to_string()), "unpaired by kind: {cells:?}");
    assert!(cells.contains(&"雅苑小区|1".to_string()), "unpaired by community: {cells:?}");
    assert!(cells.iter().any(|r| r.starts_with("本月探访")), "{cells:?}");
    let viewer = app.get(Role::Viewer, "/api/v1/care/coverage?format=xlsx").await;
    assert_eq!(viewer.status(), StatusCode::OK);
    expect_error(app.get(Role::Volunteer, "/api/v1/care/coverage?format=xlsx").await, StatusCode::FORBIDDEN, "forbidden").await;
    let (center, _) = app.browser_as(Role::Coordinator).await;
    let (_, html) = page(&app, &center, "/care/coverage").await;
    assert!(html.contains("/api/v1/care/coverage?format=xlsx"), "the page offers the download");
}

#[tokio::test]
async fn a_red_pair_reaches_the_coordinators_and_the_community_with_a_link_to_the_pair() {
    let app = spawn_app().await;
    let [_, v1, v2] = app.fx.volunteers;
    // An observer living in the beneficiary's community (雅苑小区), and one elsewhere.
    let here = volunteer_account(&app, "observer-yayuan", v1, Role::Observer).await;
    let there = volunteer_account(&app, "observer-zhenxing", v2, Role::Observer).await;
    let b = beneficiary(&app, "刘奶奶", "").await;
    let starts = (region_date(now_ms()) - chrono::Duration::days(40)).to_string();
    let p = pair(&app, json!({"volunteer_id": app.fx.volunteers[0], "beneficiary_id": b, "starts_on": starts})).await;
    let id = p["id"].as_i64().unwrap();
    app.svc.recompute_care_levels().await.unwrap();
    assert_eq!(app.svc.escalate_care().await.unwrap(), 1);
    assert_eq!(app.svc.escalate_care().await.unwrap(), 0, "once per level");

    let coordinator = body(app.get(Role::Coordinator, "/api/v1/notifications").await).await;
    assert_eq!(coordinator["items"][0]["kind"], "care_warning_red", "{coordinator}");
    assert_eq!(coordinator["items"][0]["care_pair_id"], id);
    let community = get_as(&app, &here, "/api/v1/notifications").await;
    assert_eq!((community["total"].as_i64(), community["items"][0]["care_pair_id"].as_i64()), (Some(1), Some(id)), "{community}");
    assert_eq!(get_as(&app, &there, "/api/v1/notifications").await["total"], 0, "another community's observer is not told");

    let (center, _) = app.browser_as(Role::Coordinator).await;
    let (_, html) = page(&app, &center, "/notifications").await;
    assert!(html.contains(&format!("href=\"/care/pairs/{id}\"")), "the notification leads to the pair");
}

#[tokio::test]
async fn moving_a_volunteer_to_another_unit_flags_their_pairs_for_handover_the_same_day() {
    let app = spawn_app().await;
    let v1 = app.fx.volunteers[1];
    let b = beneficiary(&app, "刘奶奶", "").await;
    pair(&app, json!({"volunteer_id": v1, "beneficiary_id": b})).await;
    let c = Role::Coordinator;
    let waiting = || async { body(app.get(c, "/api/v1/care/pairs?needs_handover=true").await).await["total"].clone() };
    assert_eq!(waiting().await, 0);
    let mut moved = app.new_volunteer("13800000002");
    moved["team_ids"] = json!([]);
    let same = app.put(c, &format!("/api/v1/volunteers/{v1}"), &moved).await;
    assert_eq!(same.status(), StatusCode::OK);
    assert_eq!(waiting().await, 0, "saving them in the same unit flags nothing");
    moved["unit_id"] = json!(app.fx.units[1]);
    let r = app.put(c, &format!("/api/v1/volunteers/{v1}"), &moved).await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(waiting().await, 1, "their pair waits for a new volunteer");
}
