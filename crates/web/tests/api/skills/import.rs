//! A unit's sheet of certifications: the template, a report by row and
//! field checked by the form's and the ladder's rules, all or nothing unless
//! partial, a liaison kept to their unit's people, hostile files refused.

use chrono::Duration;
use reqwest::StatusCode;
use serde_json::{json, Value};
use tongxing_domain::role::Role;
use tongxing_domain::skills::sheet::COLUMNS;

use super::{kept_highest, person, today, trade};
use crate::helpers::{body, expect_error, spawn_app, TestApp};

/// A sheet with the template's headings; each line names the columns it fills.
fn sheet(lines: &[Vec<(&str, String)>]) -> Vec<u8> {
    let headings: Vec<String> = COLUMNS.iter().map(|(_, names)| names[0].to_string()).collect();
    let rows: Vec<Vec<String>> = lines
        .iter()
        .map(|cells| COLUMNS.iter().map(|(f, _)| cells.iter().find(|c| c.0 == *f).map_or(String::new(), |c| c.1.clone())).collect())
        .collect();
    tongxing_service::export::xlsx("证书", &headings, &rows).unwrap()
}

fn line(phone: &str, trade: &str, level: &str, on: &str, no: &str) -> Vec<(&'static str, String)> {
    vec![
        ("phone", phone.to_string()),
        ("trade", trade.to_string()),
        ("level", level.to_string()),
        ("certified_on", on.to_string()),
        ("certificate_no", no.to_string()),
        ("issuer", "胜利油田职业技能鉴定中心".to_string()),
    ]
}

async fn upload(app: &TestApp, role: Role, query: &str, file: &str, bytes: Vec<u8>) -> reqwest::Response {
    let part = reqwest::multipart::Part::bytes(bytes).file_name(file.to_string());
    let url = app.url(&format!("/api/v1/skills/certifications/import{query}"));
    app.api.post(url).bearer_auth(app.token(role)).multipart(reqwest::multipart::Form::new().part("file", part)).send().await.unwrap()
}

async fn report(app: &TestApp, query: &str, bytes: Vec<u8>) -> Value {
    let r = upload(app, Role::Liaison, query, "证书.xlsx", bytes).await;
    assert_eq!(r.status(), StatusCode::OK);
    body(r).await
}

/// (row, field, code) of each refused line, each with a message and a column name.
fn problems(r: &Value) -> Vec<(i64, String, String)> {
    r["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            assert!(e["message"].as_str().is_some_and(|m| !m.starts_with("error.")), "a message: {e}");
            assert!(e["column"].as_str().is_some_and(|m| !m.starts_with("field.")), "a column: {e}");
            (e["row"].as_i64().unwrap(), e["field"].as_str().unwrap().to_string(), e["code"].as_str().unwrap().to_string())
        })
        .collect()
}

async fn held(app: &TestApp, person: i64) -> Vec<String> {
    let r = body(app.get(Role::Coordinator, &format!("/api/v1/people/{person}/certifications")).await).await;
    r["items"].as_array().unwrap().iter().map(|c| format!("{} {}", c["trade"].as_str().unwrap(), c["level"].as_str().unwrap())).collect()
}

#[tokio::test]
async fn a_unit_imports_certifications_line_by_line_all_or_nothing_unless_partial() {
    let app = spawn_app().await;
    trade(&app, "cy", "采油", json!([])).await;
    let li = person(&app, "李明", "13955550001").await;
    let wang = person(&app, "王强", "13955550002").await;
    let future = (today() + Duration::days(5)).to_string();
    let mut named = line("13955550002", "cy", "初级工", "2019-01-01", "CY-9");
    named.push(("name", "王刚".to_string()));
    let lines = vec![
        line("13955550001", "cy", "初级工", "2015-03-01", "CY-1"),
        // The same person climbs in one file, the trade by its name, a date as Excel users type it.
        line("13955550001", "采油", "四级", "2018/3/1", "CY-2"),
        line("13955550002", "cy", "高级工", "2019-01-01", "CY-3"),
        line("13955550002", "cy", "初级工", "2019-01-01", "CY-1"),
        line("13955559999", "cy", "初级工", "2019-01-01", "CY-4"),
        line("13800000003", "cy", "初级工", "2019-01-01", "CY-5"),
        named,
        line("13955550002", "cy", "六级", "2019-01-01", "CY-6"),
        line("13955550002", "cy", "初级工", &future, "CY-7"),
        line("13955550002", "zs", "初级工", "2019-01-01", "CY-8"),
    ];
    let bytes = sheet(&lines);
    let preview = report(&app, "?dry_run=true", bytes.clone()).await;
    assert_eq!((preview["created"].as_i64(), preview["rows"].as_i64(), preview["committed"].as_bool()), (Some(2), Some(10), Some(false)));
    let want: Vec<(i64, &str, &str)> = vec![
        (4, "level", "level_skipped"),
        (5, "certificate_no", "duplicate_in_file"),
        (6, "phone", "unknown_reference"),
        (7, "phone", "not_your_unit"),
        (8, "name", "name_mismatch"),
        (9, "level", "unknown_choice"),
        (10, "certified_on", "in_future"),
        (11, "trade", "unknown_reference"),
    ];
    let got = problems(&preview);
    assert_eq!(got.iter().map(|(r, f, c)| (*r, f.as_str(), c.as_str())).collect::<Vec<_>>(), want);
    let refused = report(&app, "", bytes.clone()).await;
    assert_eq!((refused["created"].as_i64(), refused["committed"].as_bool()), (Some(0), Some(false)), "all or nothing: {refused}");
    assert!(held(&app, li).await.is_empty());
    let done = report(&app, "?partial=true", bytes).await;
    assert_eq!((done["created"].as_i64(), done["committed"].as_bool()), (Some(2), Some(true)));
    assert_eq!(held(&app, li).await, ["cy junior", "cy intermediate"]);
    assert_eq!(kept_highest(&app, li, "cy").await, Some((2, "2018-03-01".into())), "the file's climb keeps its top");
    assert!(held(&app, wang).await.is_empty());
    assert_eq!(kept_highest(&app, wang, "cy").await, None);
    // Against what is stored now: a level held, a number the issuer gave.
    let again = report(
        &app,
        "?dry_run=true",
        sheet(&[line("13955550001", "cy", "中级工", "2020-01-01", "CY-10"), line("13955550002", "cy", "初级工", "2020-01-01", "CY-2")]),
    )
    .await;
    let got = problems(&again);
    assert_eq!(
        got.iter().map(|(r, f, c)| (*r, f.as_str(), c.as_str())).collect::<Vec<_>>(),
        [(2, "level", "level_not_above"), (3, "certificate_no", "duplicate_certificate")]
    );
}

#[tokio::test]
async fn only_units_and_the_center_import_and_hostile_or_headless_sheets_are_refused() {
    let app = spawn_app().await;
    trade(&app, "cy", "采油", json!([])).await;
    let template = app.get(Role::Liaison, "/api/v1/skills/certifications/import/template").await;
    assert_eq!(template.status(), StatusCode::OK);
    assert!(template.bytes().await.unwrap().starts_with(b"PK"), "an .xlsx");
    expect_error(app.get(Role::Volunteer, "/api/v1/skills/certifications/import/template").await, StatusCode::FORBIDDEN, "forbidden").await;
    let one = sheet(&[line("13800000002", "cy", "初级工", "2019-01-01", "CY-1")]);
    expect_error(upload(&app, Role::Volunteer, "", "a.xlsx", one.clone()).await, StatusCode::FORBIDDEN, "forbidden").await;
    expect_error(upload(&app, Role::TeamLeader, "", "a.xlsx", one.clone()).await, StatusCode::FORBIDDEN, "forbidden").await;
    let bomb = crate::hostile_uploads::zip_bomb();
    expect_error(upload(&app, Role::Liaison, "", "bomb.xlsx", bomb).await, StatusCode::PAYLOAD_TOO_LARGE, "file_expands_too_much").await;
    let headless =
        tongxing_service::export::xlsx("x", &["姓名".to_string(), "工种".to_string()], &[vec!["李国强".into(), "cy".into()]]).unwrap();
    let fields: Vec<String> = problems(&report(&app, "", headless).await).into_iter().map(|p| p.1).collect();
    assert_eq!(fields, ["phone", "level", "certified_on", "certificate_no", "issuer"]);
    let csv = "手机号,工种,等级,发证日期,证书编号,发证机关\n13800000003,cy,junior,2019-01-01,CY-1,X\n";
    let center = upload(&app, Role::Coordinator, "", "a.csv", csv.as_bytes().to_vec()).await;
    assert_eq!(body(center).await["created"], 1, "the center imports anyone, from a .csv too");
    assert_eq!(report(&app, "", one).await["created"], 1, "the next sheet goes in");
}

#[tokio::test]
async fn the_import_page_is_offered_to_units_and_the_center_only() {
    let app = spawn_app().await;
    let (liaison, _) = app.browser_as(Role::Liaison).await;
    let skills = liaison.get(app.url("/skills")).send().await.unwrap().text().await.unwrap();
    assert!(skills.contains("id=\"skills-import-link\""));
    let page = liaison.get(app.url("/skills/certifications/import")).send().await.unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    assert!(page.text().await.unwrap().contains("/api/v1/skills/certifications/import/template"), "the template is offered");
    let (worker, _) = app.browser_as(Role::Volunteer).await;
    let skills = worker.get(app.url("/skills")).send().await.unwrap().text().await.unwrap();
    assert!(!skills.contains("id=\"skills-import-link\""));
    assert_eq!(worker.get(app.url("/skills/certifications/import")).send().await.unwrap().status(), StatusCode::FORBIDDEN);
}
