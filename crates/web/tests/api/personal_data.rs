//! PRODUCT.md §4 on personal data: phones masked except to those who need
//! them, ID numbers masked unless asked for by someone allowed, every full
//! read audited, ID numbers encrypted at rest.

use reqwest::StatusCode;
use serde_json::{json, Value};
use tongxing_domain::role::Role;

use crate::helpers::{body, expect_error, spawn_app, TestApp};

const ZXJ_PHONE: &str = "13800000001";
const ZXJ_ID: &str = "11010519491231002X";
const ZXJ_ID_MASKED: &str = "1101**********002X";

async fn detail(app: &TestApp, role: Role, id: i64, query: &str) -> Value {
    let resp = app.get(role, &format!("/api/v1/volunteers/{id}{query}")).await;
    assert_eq!(resp.status(), StatusCode::OK, "{role:?} reads volunteer {id}{query}");
    body(resp).await
}

#[tokio::test]
async fn lists_mask_every_phone_and_omit_id_numbers_for_every_reader() {
    let app = spawn_app().await;
    for role in [Role::Admin, Role::Coordinator, Role::Liaison, Role::TeamLeader, Role::Volunteer, Role::Viewer] {
        let list = body(app.get(role, "/api/v1/volunteers?per_page=500").await).await;
        let items = list["items"].as_array().unwrap();
        assert!(!items.is_empty(), "{role:?} sees someone");
        for v in items {
            let phone = v["phone"].as_str().unwrap();
            assert!(phone.len() == 11 && &phone[3..7] == "****", "{role:?} list shows {phone}");
            assert_eq!(v["phone_masked"], true);
            assert!(v["id_number"].is_null(), "{role:?} list carries an ID number: {v}");
        }
    }
    let list = body(app.get(Role::Admin, "/api/v1/volunteers?q=zxj").await).await;
    assert_eq!(list["items"][0]["phone"], "138****0001");
    assert!(!app.audit().await.iter().any(|a| a.0 == "read_phone"), "a list reads no full phone");
}

#[tokio::test]
async fn a_coordinator_sees_the_full_phone_and_the_read_is_audited() {
    let app = spawn_app().await;
    let v0 = app.fx.volunteers[0];
    assert!(!app.audited(Role::Coordinator, "read_phone", "volunteer", v0).await);
    let v = detail(&app, Role::Coordinator, v0, "").await;
    assert_eq!(v["phone"], ZXJ_PHONE);
    assert_eq!(v["phone_masked"], false);
    assert!(app.audited(Role::Coordinator, "read_phone", "volunteer", v0).await, "read_phone is in the audit log");
    let entries = tongxing_store::audit::list(&app.svc.db, Default::default()).await.unwrap();
    let e = entries.items.iter().find(|e| e.action == "read_phone").unwrap();
    assert_eq!(e.user_login.as_deref(), Some("coordinator"));
    assert_eq!(e.subject_id, Some(v0));
}

#[tokio::test]
async fn an_id_number_is_masked_unless_revealed() {
    let app = spawn_app().await;
    let v = detail(&app, Role::Coordinator, app.fx.volunteers[0], "").await;
    assert_eq!(v["id_number"], ZXJ_ID_MASKED);
    assert_eq!(v["birth_date"], "1949-12-31");
    assert!(!app.audit().await.iter().any(|a| a.0 == "read_id_number"), "a masked ID is no read");
    // A volunteer without an ID number has none to mask.
    assert!(detail(&app, Role::Coordinator, app.fx.volunteers[1], "").await["id_number"].is_null());
}

#[tokio::test]
async fn admin_coordinator_and_the_units_liaison_may_reveal_an_id_number() {
    let app = spawn_app().await;
    let v0 = app.fx.volunteers[0];
    for role in [Role::Admin, Role::Coordinator, Role::Liaison] {
        let v = detail(&app, role, v0, "?reveal=id_number").await;
        assert_eq!(v["id_number"], ZXJ_ID, "{role:?} reveals");
        assert!(app.audited(role, "read_id_number", "volunteer", v0).await, "{role:?}'s reveal is audited");
    }
}

#[tokio::test]
async fn a_liaison_cannot_reveal_anything_of_another_unit() {
    let app = spawn_app().await;
    let resp = app.get(Role::Liaison, &format!("/api/v1/volunteers/{}?reveal=id_number", app.fx.volunteers[2])).await;
    expect_error(resp, StatusCode::FORBIDDEN, "forbidden").await;
    assert!(!app.audit().await.iter().any(|a| a.0.starts_with("read_")), "nothing was read");
}

#[tokio::test]
async fn a_team_leader_asking_to_reveal_still_gets_a_masked_id_number() {
    let app = spawn_app().await;
    let v0 = app.fx.volunteers[0];
    let v = detail(&app, Role::TeamLeader, v0, "?reveal=id_number").await;
    assert_eq!(v["id_number"], ZXJ_ID_MASKED);
    // A leader calls their members, so sees the phone — audited.
    assert_eq!(v["phone"], ZXJ_PHONE);
    assert!(app.audited(Role::TeamLeader, "read_phone", "volunteer", v0).await);
    assert!(!app.audited(Role::TeamLeader, "read_id_number", "volunteer", v0).await);
}

#[tokio::test]
async fn a_viewer_gets_a_masked_phone_and_id_on_the_detail() {
    let app = spawn_app().await;
    let v = detail(&app, Role::Viewer, app.fx.volunteers[0], "?reveal=id_number").await;
    assert_eq!(v["phone"], "138****0001");
    assert_eq!(v["phone_masked"], true);
    assert_eq!(v["id_number"], ZXJ_ID_MASKED);
    assert!(app.audit().await.iter().all(|a| !a.0.starts_with("read_")), "nothing full was read");
}

#[tokio::test]
async fn a_volunteer_sees_their_own_data_in_full_without_an_audit_line() {
    let app = spawn_app().await;
    let v = detail(&app, Role::Volunteer, app.fx.volunteers[0], "?reveal=id_number").await;
    assert_eq!(v["phone"], ZXJ_PHONE);
    assert_eq!(v["id_number"], ZXJ_ID);
    assert!(app.audit().await.iter().all(|a| !a.0.starts_with("read_")), "one's own data is no disclosure");
}

#[tokio::test]
async fn beneficiary_phones_are_masked_in_lists_and_to_viewers() {
    let app = spawn_app().await;
    let new = json!({"name": "孙大娘", "kind": "elderly_alone", "community_id": app.fx.communities[0], "phone": "139 1234 5678",
                     "address": "雅苑小区3号楼"});
    let resp = app.post(Role::Coordinator, "/api/v1/beneficiaries", &new).await;
    assert_eq!(resp.status(), StatusCode::CREATED);
    let id = body(resp).await["id"].as_i64().unwrap();
    for role in [Role::Coordinator, Role::TeamLeader, Role::Observer, Role::Viewer] {
        let list = body(app.get(role, "/api/v1/beneficiaries").await).await;
        assert_eq!(list["items"][0]["phone"], "139****5678", "{role:?} list");
    }
    let viewer = body(app.get(Role::Viewer, &format!("/api/v1/beneficiaries/{id}")).await).await;
    assert_eq!(viewer["phone"], "139****5678");
    assert!(!app.audit().await.iter().any(|a| a.0 == "read_phone"));
    let coordinator = body(app.get(Role::Coordinator, &format!("/api/v1/beneficiaries/{id}")).await).await;
    assert_eq!(coordinator["phone"], "13912345678", "stored normalized, shown in full to a coordinator");
    assert!(app.audited(Role::Coordinator, "read_phone", "beneficiary", id).await);
}

/// The raw `volunteers` row of `id`: (id_number_enc, id_number_hash).
async fn raw_id_columns(app: &TestApp, id: i64) -> (Option<String>, Option<String>) {
    let sql = "SELECT id_number_enc, id_number_hash FROM volunteers WHERE id = $1";
    if app.db_url.starts_with("postgres") {
        let pool = sqlx::PgPool::connect(&app.db_url).await.unwrap();
        let row = sqlx::query_as(sql).bind(id).fetch_one(&pool).await.unwrap();
        pool.close().await;
        row
    } else {
        let pool = sqlx::SqlitePool::connect(&app.db_url).await.unwrap();
        let row = sqlx::query_as(sql).bind(id).fetch_one(&pool).await.unwrap();
        pool.close().await;
        row
    }
}

#[tokio::test]
async fn id_numbers_are_encrypted_at_rest() {
    let app = spawn_app().await;
    let (enc, hash) = raw_id_columns(&app, app.fx.volunteers[0]).await;
    let enc = enc.expect("an encrypted ID is stored");
    let hash = hash.expect("a lookup hash is stored");
    for stored in [&enc, &hash] {
        assert!(!stored.contains(ZXJ_ID) && !stored.contains(&ZXJ_ID[..14]), "the plain number leaks: {stored}");
    }
    // Encryption is randomized: the same number registered again would not give the same text.
    assert_ne!(app.svc.crypto.encrypt(ZXJ_ID), enc);
    assert_eq!(app.svc.crypto.decrypt(&enc).as_deref(), Some(ZXJ_ID));
}

#[tokio::test]
async fn an_id_number_entered_through_the_api_is_stored_encrypted_too() {
    let app = spawn_app().await;
    let id_number = crate::helpers::id_number("37050219900101123");
    let mut v = app.new_volunteer("13911112222");
    v["id_number"] = json!(id_number.to_lowercase());
    let resp = app.post(Role::Coordinator, "/api/v1/volunteers", &v).await;
    assert_eq!(resp.status(), StatusCode::CREATED);
    let id = body(resp).await["id"].as_i64().unwrap();
    let (enc, _) = raw_id_columns(&app, id).await;
    assert!(!enc.unwrap().contains("370502199001011"));
    let shown = detail(&app, Role::Admin, id, "?reveal=id_number").await;
    assert_eq!(shown["id_number"], id_number.to_uppercase());
    assert_eq!(shown["birth_date"], "1990-01-01");
}

/// The masked ID number hides ten digits, eight of them the birth date: a
/// role that may not see the number gets the age instead of the birth date,
/// in the detail and in lists, so the two together cannot rebuild it.
#[tokio::test]
async fn who_may_not_see_the_id_number_gets_the_age_not_the_birth_date() {
    let app = spawn_app().await;
    let v0 = app.fx.volunteers[0];
    for role in [Role::TeamLeader, Role::Viewer] {
        let v = detail(&app, role, v0, "").await;
        assert_eq!(v["id_number"], ZXJ_ID_MASKED);
        assert!(v["birth_date"].is_null(), "{role:?} gets the birth date beside the masked number: {v}");
        assert!(v["age"].as_i64().is_some_and(|a| a >= 76), "{role:?} gets the age: {v}");
        let list = body(app.get(role, "/api/v1/volunteers?per_page=500").await).await;
        assert!(list["items"].as_array().unwrap().iter().all(|v| v["birth_date"].is_null()), "{role:?} list: {list}");
    }
    for role in [Role::Admin, Role::Coordinator, Role::Liaison, Role::Volunteer] {
        assert_eq!(detail(&app, role, v0, "").await["birth_date"], "1949-12-31", "{role:?} may see it");
    }
}
