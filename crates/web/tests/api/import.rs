//! Roster import: .csv (UTF-8 or GBK) and .xlsx, a row-by-row error report
//! with Excel line numbers, all-or-nothing unless `?partial=true`, and the
//! same reach rules as single registrations.

use reqwest::StatusCode;
use serde_json::Value;
use tongxing_domain::role::Role;

use crate::helpers::{body, expect_error, id_number, spawn_app, TestApp};

const HEADING: &str = "姓名,手机号,身份证号,单位,小区,服务队,技能,是否党员";

/// Three new people, one per line; the heading is line 1.
fn good_rows() -> Vec<String> {
    vec![
        format!("陈明,13900000011,{},现河采油厂,雅苑小区,现河片区助老服务队,急救、理发,是", id_number("37050219800101001")),
        "刘芳,139 0000 0012,,现河采油厂,振兴小区,,,否".to_string(),
        format!("周强,13900000013,{},东胜公司,振兴小区,东胜助老服务队,维修,", id_number("37050219850505002")),
    ]
}

fn csv(rows: &[String]) -> Vec<u8> {
    format!("{HEADING}\n{}\n", rows.join("\n")).into_bytes()
}

async fn import(app: &TestApp, role: Role, query: &str, file: &str, bytes: Vec<u8>) -> Value {
    let resp = app.import(role, query, file, bytes).await;
    assert_eq!(resp.status(), StatusCode::OK, "import {file}{query}");
    body(resp).await
}

async fn found(app: &TestApp, q: &str) -> i64 {
    body(app.get(Role::Coordinator, &format!("/api/v1/volunteers?q={q}")).await).await["total"].as_i64().unwrap()
}

fn assert_report(r: &Value, created: i64, updated: i64, committed: bool) {
    assert_eq!(r["created"], created, "{r}");
    assert_eq!(r["updated"], updated, "{r}");
    assert_eq!(r["committed"], committed, "{r}");
}

/// The (row, field, code) of each reported error; each also carries a message.
fn errors(r: &Value) -> Vec<(i64, String, String)> {
    r["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            assert!(e["message"].as_str().is_some_and(|m| !m.is_empty() && !m.starts_with("error.")), "a message: {e}");
            (e["row"].as_i64().unwrap(), e["field"].as_str().unwrap().to_string(), e["code"].as_str().unwrap().to_string())
        })
        .collect()
}

fn err(row: i64, field: &str, code: &str) -> (i64, String, String) {
    (row, field.to_string(), code.to_string())
}

#[tokio::test]
async fn a_good_csv_creates_everyone_and_they_can_be_found() {
    let app = spawn_app().await;
    let r = import(&app, Role::Coordinator, "", "名单.csv", csv(&good_rows())).await;
    assert_report(&r, 3, 0, true);
    assert_eq!(r["rows"], 3);
    assert!(errors(&r).is_empty());
    assert_eq!(app.volunteer_count().await, 6);
    let list = body(app.get(Role::Coordinator, "/api/v1/volunteers?q=cm").await).await;
    assert_eq!(list["total"], 1);
    let id = list["items"][0]["id"].as_i64().unwrap();
    let chen = body(app.get(Role::Coordinator, &format!("/api/v1/volunteers/{id}?reveal=id_number")).await).await;
    assert_eq!(chen["name"], "陈明");
    assert_eq!(chen["unit_id"], app.fx.units[0]);
    assert_eq!(chen["community_id"], app.fx.communities[0]);
    assert_eq!(chen["teams"][0]["id"], app.fx.teams[0]);
    assert_eq!(chen["skills"], serde_json::json!(["急救", "理发"]));
    assert_eq!(chen["party_member"], true);
    assert_eq!(chen["id_number"], id_number("37050219800101001"));
    let liu = body(app.get(Role::Coordinator, "/api/v1/volunteers?q=0012").await).await;
    assert_eq!(liu["items"][0]["name"], "刘芳", "a phone typed with spaces is normalized");
    assert_eq!(liu["items"][0]["party_member"], false);
    assert_eq!(found(&app, "zq").await, 1);
    assert!(app.audit().await.iter().any(|a| a.0 == "import"), "the import is audited");
}

#[tokio::test]
async fn importing_the_same_file_again_updates_instead_of_duplicating() {
    let app = spawn_app().await;
    import(&app, Role::Coordinator, "", "名单.csv", csv(&good_rows())).await;
    let again = import(&app, Role::Coordinator, "", "名单.csv", csv(&good_rows())).await;
    assert_report(&again, 0, 3, true);
    assert_eq!(app.volunteer_count().await, 6);
    // A line with a registered volunteer's phone updates that volunteer.
    let known = "张晓静,13800000001,,现河采油厂,振兴小区,,急救,是".to_string();
    let r = import(&app, Role::Coordinator, "", "更新.csv", csv(&[known])).await;
    assert_report(&r, 0, 1, true);
    let v0 = body(app.get(Role::Coordinator, &format!("/api/v1/volunteers/{}", app.fx.volunteers[0])).await).await;
    assert_eq!(v0["community_id"], app.fx.communities[1]);
}

#[tokio::test]
async fn one_bad_line_refuses_the_whole_file_and_names_its_excel_line() {
    let app = spawn_app().await;
    let mut rows = good_rows();
    rows[1] = "刘芳,1390000001,,现河采油厂,振兴小区,,,否".to_string();
    let r = import(&app, Role::Coordinator, "", "名单.csv", csv(&rows)).await;
    assert_report(&r, 0, 0, false);
    assert_eq!(errors(&r), vec![err(3, "phone", "phone_format")], "the heading is line 1, so the second person is line 3");
    assert_eq!(app.volunteer_count().await, 3, "nothing was written");
    assert_eq!(found(&app, "cm").await, 0);
}

#[tokio::test]
async fn every_kind_of_bad_line_is_reported_on_its_field() {
    let app = spawn_app().await;
    let rows = vec![
        ",13900000021,,现河采油厂,雅苑小区,,,".to_string(),
        format!("甲,13900000022,{},现河采油厂,雅苑小区,,,", "110105194912310021"),
        "乙,13900000023,,无此单位,雅苑小区,,,".to_string(),
        "丙,13900000024,,现河采油厂,无此小区,,,".to_string(),
        "丁,13900000025,,现河采油厂,雅苑小区,无此服务队,,".to_string(),
        "戊,13900000026,,现河采油厂,雅苑小区,,,也许".to_string(),
        "庚,13800000002,11010519491231002X,现河采油厂,雅苑小区,,,".to_string(),
    ];
    let r = import(&app, Role::Coordinator, "", "名单.csv", csv(&rows)).await;
    assert_report(&r, 0, 0, false);
    let want = vec![
        err(2, "name", "required"),
        err(3, "id_number", "id_checksum"),
        err(4, "unit", "unknown_reference"),
        err(5, "community", "unknown_reference"),
        err(6, "teams", "unknown_reference"),
        err(7, "party_member", "yes_no"),
        // 李国强's phone with 张晓静's ID number: which of them is meant is unclear.
        err(8, "id_number", "identity_mismatch"),
    ];
    assert_eq!(errors(&r), want);
    assert_eq!(app.volunteer_count().await, 3);
}

#[tokio::test]
async fn a_control_character_in_a_cell_is_reported_not_stored() {
    let app = spawn_app().await;
    let rows =
        vec!["陈\u{0}明,13900000041,,现河采油厂,雅苑小区,,急救,".to_string(), "刘芳,13900000042,,现河采油厂,雅苑小区,\u{0},,".to_string()];
    let r = import(&app, Role::Coordinator, "", "名单.csv", csv(&rows)).await;
    assert_report(&r, 0, 0, false);
    assert_eq!(errors(&r), vec![err(2, "name", "control_chars"), err(3, "teams", "unknown_reference")]);
    assert_eq!(app.volunteer_count().await, 3);
}

#[tokio::test]
async fn partial_imports_the_good_lines_and_reports_the_rest() {
    let app = spawn_app().await;
    let mut rows = good_rows();
    rows[1] = "刘芳,1390000001,,现河采油厂,振兴小区,,,否".to_string();
    let r = import(&app, Role::Coordinator, "?partial=true", "名单.csv", csv(&rows)).await;
    assert_report(&r, 2, 0, true);
    assert_eq!(errors(&r), vec![err(3, "phone", "phone_format")]);
    assert_eq!(app.volunteer_count().await, 5);
    assert_eq!(found(&app, "cm").await, 1);
    assert_eq!(found(&app, "lf").await, 0);
}

#[tokio::test]
async fn a_dry_run_reports_but_writes_nothing() {
    let app = spawn_app().await;
    let r = import(&app, Role::Coordinator, "?dry_run=true", "名单.csv", csv(&good_rows())).await;
    assert_report(&r, 3, 0, false);
    assert_eq!(app.volunteer_count().await, 3);
    assert_eq!(found(&app, "cm").await, 0);
    assert!(!app.audit().await.iter().any(|a| a.0 == "import"));
}

#[tokio::test]
async fn an_xlsx_with_phones_typed_as_numbers_imports() {
    let app = spawn_app().await;
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    for (c, h) in HEADING.split(',').enumerate() {
        sheet.write_string(0, c as u16, h).unwrap();
    }
    let people = [("陈明", 13900000011.0, "现河采油厂", "雅苑小区", "是"), ("周强", 13900000013.0, "东胜公司", "振兴小区", "否")];
    for (i, (name, phone, unit, community, party)) in people.iter().enumerate() {
        let r = i as u32 + 1;
        sheet.write_string(r, 0, *name).unwrap();
        sheet.write_number(r, 1, *phone).unwrap();
        sheet.write_string(r, 3, *unit).unwrap();
        sheet.write_string(r, 4, *community).unwrap();
        sheet.write_string(r, 7, *party).unwrap();
    }
    let bytes = book.save_to_buffer().unwrap();
    let r = import(&app, Role::Coordinator, "", "名单.xlsx", bytes).await;
    assert_report(&r, 2, 0, true);
    let chen = body(app.get(Role::Coordinator, "/api/v1/volunteers?q=cm").await).await;
    assert_eq!(chen["items"][0]["phone"], "139****0011", "13900000011.0 became the digits, not 1.39e10");
    assert_eq!(found(&app, "13900000013").await, 1);
}

#[tokio::test]
async fn a_gbk_csv_from_chinese_excel_imports() {
    let app = spawn_app().await;
    let text = String::from_utf8(csv(&good_rows())).unwrap().replace('\n', "\r\n");
    let (gbk, _, unmappable) = encoding_rs::GBK.encode(&text);
    assert!(!unmappable);
    assert!(std::str::from_utf8(&gbk).is_err(), "really not UTF-8");
    let r = import(&app, Role::Coordinator, "", "名单.csv", gbk.into_owned()).await;
    assert_report(&r, 3, 0, true);
    let list = body(app.get(Role::Coordinator, "/api/v1/volunteers?q=cm").await).await;
    assert_eq!(list["items"][0]["name"], "陈明");
    assert_eq!(list["items"][0]["unit_name"], "现河采油厂");
}

#[tokio::test]
async fn a_utf8_csv_with_a_byte_order_mark_imports() {
    let app = spawn_app().await;
    let mut bytes = b"\xEF\xBB\xBF".to_vec();
    bytes.extend(csv(&good_rows()));
    assert_report(&import(&app, Role::Coordinator, "", "名单.csv", bytes).await, 3, 0, true);
}

#[tokio::test]
async fn a_missing_required_column_is_an_error_on_line_one() {
    let app = spawn_app().await;
    let file = "姓名,身份证号,单位,小区\n陈明,,现河采油厂,雅苑小区\n".as_bytes().to_vec();
    let r = import(&app, Role::Coordinator, "", "名单.csv", file).await;
    assert_report(&r, 0, 0, false);
    assert_eq!(errors(&r), vec![err(1, "phone", "missing_column")]);
    assert_eq!(app.volunteer_count().await, 3);
}

#[tokio::test]
async fn a_phone_twice_in_one_file_is_a_duplicate_on_the_later_line() {
    let app = spawn_app().await;
    let mut rows = good_rows();
    rows.push("陈明二,13900000011,,现河采油厂,雅苑小区,,,".to_string());
    let r = import(&app, Role::Coordinator, "", "名单.csv", csv(&rows)).await;
    assert_report(&r, 0, 0, false);
    assert_eq!(errors(&r), vec![err(5, "phone", "duplicate_in_file")]);
    assert_eq!(app.volunteer_count().await, 3);
}

#[tokio::test]
async fn a_liaison_imports_only_their_own_units_people() {
    let app = spawn_app().await;
    let r = import(&app, Role::Liaison, "", "名单.csv", csv(&good_rows())).await;
    assert_report(&r, 0, 0, false);
    assert_eq!(errors(&r), vec![err(4, "unit", "not_your_unit")]);
    assert_eq!(app.volunteer_count().await, 3);
    // A blank unit means the liaison's own.
    let own = vec!["吴静,13900000031,,,雅苑小区,,,".to_string(), good_rows()[0].clone()];
    let r = import(&app, Role::Liaison, "", "名单.csv", csv(&own)).await;
    assert_report(&r, 2, 0, true);
    let wu = body(app.get(Role::Coordinator, "/api/v1/volunteers?q=wj").await).await;
    assert_eq!(wu["items"][0]["unit_id"], app.fx.units[0]);
}

#[tokio::test]
async fn roles_without_import_rights_get_403() {
    let app = spawn_app().await;
    for role in [Role::TeamLeader, Role::Volunteer, Role::Observer, Role::Viewer] {
        let resp = app.import(role, "", "名单.csv", csv(&good_rows())).await;
        expect_error(resp, StatusCode::FORBIDDEN, "forbidden").await;
    }
    assert_eq!(app.volunteer_count().await, 3);
}

#[tokio::test]
async fn an_unreadable_or_empty_file_is_a_422_and_a_form_without_one_a_400() {
    let app = spawn_app().await;
    let resp = app.import(Role::Coordinator, "", "名单.xlsx", b"PK\x03\x04 this is no workbook".to_vec()).await;
    expect_error(resp, StatusCode::UNPROCESSABLE_ENTITY, "unreadable_file").await;
    let resp = app.import(Role::Coordinator, "", "名单.xlsx", b"just some text".to_vec()).await;
    expect_error(resp, StatusCode::UNPROCESSABLE_ENTITY, "unreadable_file").await;
    let resp = app.import(Role::Coordinator, "", "空.csv", Vec::new()).await;
    expect_error(resp, StatusCode::UNPROCESSABLE_ENTITY, "empty_file").await;
    // A form without the `file` field.
    let form = reqwest::multipart::Form::new().text("other", "x");
    let resp =
        app.api.post(app.url("/api/v1/volunteers/import")).bearer_auth(app.token(Role::Coordinator)).multipart(form).send().await.unwrap();
    expect_error(resp, StatusCode::BAD_REQUEST, "unreadable_file").await;
    // A part whose header holds a control character (the fuzzer sends such forms).
    let body = "--b\r\nContent-Disposition: form-data; name=\"x\u{4}y\"\r\n\r\n1\r\n--b\r\n\
                Content-Disposition: form-data; name=\"file\"; filename=\"f.csv\"\r\n\r\nabc\r\n--b--\r\n";
    let resp = app.post_raw(Role::Coordinator, "/api/v1/volunteers/import", "multipart/form-data; boundary=b", body).await;
    expect_error(resp, StatusCode::UNPROCESSABLE_ENTITY, "unreadable_file").await;
    // Not multipart at all.
    let resp = app.post_raw(Role::Coordinator, "/api/v1/volunteers/import", "text/csv", HEADING).await;
    expect_error(resp, StatusCode::BAD_REQUEST, "malformed").await;
    assert_eq!(app.volunteer_count().await, 3);
}
