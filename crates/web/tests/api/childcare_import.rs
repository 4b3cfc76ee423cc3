//! A liaison's childcare enrolment sheet (issue #16): the template, a report
//! by row and field checked by the guardian form's rules, all or nothing
//! unless partial, places then the waitlist by priority, the guardians' codes
//! by SMS, nothing enrolled twice when the sheet comes again, a liaison kept
//! to their unit's families, and hostile files refused — on either database.

use std::time::{Duration, Instant};

use reqwest::StatusCode;
use serde_json::{json, Value};
use tongxing_domain::childcare::sheet::COLUMNS;
use tongxing_domain::role::Role;
use tongxing_service::Settings;

use crate::childcare::class;
use crate::helpers::{body, expect_error, spawn_app_with, TestApp};

/// A sheet with the template's headings; each line names the columns it fills.
fn sheet(lines: &[Vec<(&str, &str)>]) -> Vec<u8> {
    let headings: Vec<String> = COLUMNS.iter().map(|(_, names)| names[0].to_string()).collect();
    let rows: Vec<Vec<String>> = lines
        .iter()
        .map(|cells| COLUMNS.iter().map(|(f, _)| cells.iter().find(|c| c.0 == *f).map_or(String::new(), |c| c.1.to_string())).collect())
        .collect();
    tongxing_service::export::xlsx("报名", &headings, &rows).unwrap()
}

fn child<'a>(name: &'a str, phone: &'a str) -> Vec<(&'static str, &'a str)> {
    vec![
        ("class", "现河采油厂照辅一班"),
        ("child_name", name),
        ("birth_date", "2017-05-01"),
        ("guardian_name", "王建国"),
        ("guardian_phone", phone),
        ("pickup1_name", "王建国"),
        ("pickup1_relation", "父亲"),
        ("pickup1_phone", phone),
    ]
}

async fn upload(app: &TestApp, role: Role, query: &str, file: &str, bytes: Vec<u8>) -> reqwest::Response {
    let part = reqwest::multipart::Part::bytes(bytes).file_name(file.to_string());
    let url = app.url(&format!("/api/v1/childcare/enrolments/import{query}"));
    app.api.post(url).bearer_auth(app.token(role)).multipart(reqwest::multipart::Form::new().part("file", part)).send().await.unwrap()
}

async fn report(app: &TestApp, query: &str, bytes: Vec<u8>) -> Value {
    let r = upload(app, Role::Liaison, query, "报名.xlsx", bytes).await;
    assert_eq!(r.status(), StatusCode::OK);
    body(r).await
}

fn problems(r: &Value) -> Vec<(i64, String, String)> {
    let list = r["errors"].as_array().unwrap();
    list.iter()
        .map(|e| {
            assert!(e["message"].as_str().is_some_and(|m| !m.starts_with("error.")), "a message: {e}");
            assert!(e["column"].as_str().is_some_and(|m| !m.starts_with("field.")), "a column: {e}");
            (e["row"].as_i64().unwrap(), e["field"].as_str().unwrap().to_string(), e["code"].as_str().unwrap().to_string())
        })
        .collect()
}

async fn counts(app: &TestApp, class: i64) -> (i64, i64) {
    let k = tongxing_store::childcare::classes::get(&app.svc.db, class).await.unwrap();
    (k.enrolled, k.waitlisted)
}

fn sms_app() -> Settings {
    Settings { sms_gateway_url: Some("http://127.0.0.1:9/sms".into()), ..Settings::default() }
}

#[tokio::test]
async fn a_liaison_enrols_from_a_sheet_checked_line_by_line_places_first_then_the_waitlist_by_priority() {
    let app = spawn_app_with(sms_app()).await;
    let c = class(&app, 2).await;
    let t =
        app.api.get(app.url("/api/v1/childcare/enrolments/import/template")).bearer_auth(app.token(Role::Liaison)).send().await.unwrap();
    assert_eq!(t.status(), StatusCode::OK);
    assert!(t.headers()["content-type"].to_str().unwrap().contains("spreadsheet"));
    let mut shift = child("赵小满", "13922220003");
    shift.push(("shift_worker", "是"));
    let mut young = child("钱小小", "13922220004");
    young[2].1 = "2024-01-01";
    let mut no_mobile = child("孙小雪", "13922220005");
    no_mobile.extend([("pickup2_name", "孙大爷"), ("pickup2_relation", "爷爷")]);
    let file =
        sheet(&[child("王小雨", "13922220001"), child("李小明", "13922220002"), shift, young, no_mobile, child("周小乐", "13922220006")]);
    // The heading is line 1: the young child is on line 5, the pick-up without a mobile on line 6.
    let expected =
        vec![(5, "birth_date".to_string(), "age_outside_class".to_string()), (6, "pickup2_phone".into(), "pickup_phone_required".into())];
    let preview = report(&app, "?dry_run=true", file.clone()).await;
    assert_eq!((problems(&preview), preview["created"].clone(), preview["committed"].clone()), (expected.clone(), json!(4), json!(false)));
    let refused = report(&app, "", file.clone()).await;
    assert_eq!((refused["committed"].clone(), refused["created"].clone()), (json!(false), json!(0)));
    assert_eq!(counts(&app, c).await, (0, 0), "a sheet with errors enrols nobody");
    let done = report(&app, "?partial=true", file).await;
    assert_eq!((problems(&done), done["created"].clone(), done["committed"].clone()), (expected, json!(4), json!(true)));
    assert_eq!(counts(&app, c).await, (2, 2), "places while they last, then the waitlist");
    let roll = tongxing_store::childcare::enrolments::roll(&app.svc.db, c).await.unwrap();
    assert!(roll.iter().all(|e| e.guardian_unit_id == Some(app.fx.units[0])), "the liaison's unit's families");
    let seated: Vec<&str> = roll.iter().filter(|e| e.status == "enrolled").map(|e| e.child_name.as_str()).collect();
    assert!(seated.contains(&"赵小满"), "the shift worker's child comes first: {seated:?}");
    let waiting: Vec<_> = roll.iter().filter(|e| e.status == "waitlisted").collect();
    assert!(waiting.windows(2).all(|w| w[0].priority >= w[1].priority));
    let sms = tongxing_store::outbox::list(&app.svc.db, None, tongxing_domain::paging::Page { page: 1, per_page: 50 }).await.unwrap();
    for e in &roll {
        let told: Vec<_> = sms.items.iter().filter(|d| d.kind == "sms" && d.target == e.guardian_phone).collect();
        assert_eq!(told.len(), 1, "each guardian is told once");
        assert!(told[0].body.contains(&e.code), "with their code: {}", told[0].body);
    }
    // The guardian's page opens with the code and their mobile, as for the form.
    let first = &roll[0];
    let mine = app.api.get(app.url(&format!("/api/v1/childcare/enrolments/{}?phone={}", first.code, first.guardian_phone))).send().await;
    assert_eq!(mine.unwrap().status(), StatusCode::OK);
    assert!(app.audit().await.iter().any(|a| a.0 == "import" && a.1 == "childcare_enrolment"));
}

#[tokio::test]
async fn the_same_sheet_sent_again_enrols_nobody_twice() {
    let app = spawn_app_with(sms_app()).await;
    let c = class(&app, 30).await;
    let file = sheet(&[child("王小雨", "13922220001"), child("李小明", "13922220002")]);
    assert_eq!(report(&app, "", file.clone()).await["created"], 2);
    // A retry with the same key and the same bytes (as a phone resends them) answers the first answer again.
    let mut raw = "--sheet\r\nContent-Disposition: form-data; name=\"file\"; filename=\"sheet.xlsx\"\r\n\r\n".as_bytes().to_vec();
    raw.extend(&file);
    raw.extend(b"\r\n--sheet--\r\n");
    let send = || {
        app.api
            .post(app.url("/api/v1/childcare/enrolments/import"))
            .bearer_auth(app.token(Role::Liaison))
            .header("Idempotency-Key", "sheet-1")
            .header("content-type", "multipart/form-data; boundary=sheet")
            .body(raw.clone())
            .send()
    };
    let (a, b) = (body(send().await.unwrap()).await, body(send().await.unwrap()).await);
    assert_eq!((a["created"].clone(), a["committed"].clone()), (json!(0), json!(true)), "already in the class: {a}");
    assert_eq!(a, b);
    assert_eq!(counts(&app, c).await, (2, 0));
    // Two sheets at once do not enrol a child twice either.
    let (x, y) = tokio::join!(report(&app, "", file.clone()), report(&app, "", file.clone()));
    assert_eq!(x["created"].as_i64().unwrap() + y["created"].as_i64().unwrap(), 0);
    assert_eq!(counts(&app, c).await, (2, 0));
    let sms = tongxing_store::outbox::list(&app.svc.db, None, tongxing_domain::paging::Page { page: 1, per_page: 50 }).await.unwrap();
    assert_eq!(sms.items.len(), 2, "each guardian told once");
}

#[tokio::test]
async fn a_liaison_enrols_only_their_units_families_and_only_the_center_and_liaisons_import() {
    let app = spawn_app_with(Settings::default()).await;
    let c = class(&app, 30).await;
    let mut other = child("王小雨", "13922220001");
    other.push(("guardian_unit", "东胜公司"));
    let mut nowhere = child("李小明", "13922220002");
    nowhere[0].1 = "不存在的班";
    let r = report(&app, "", sheet(&[other.clone(), nowhere])).await;
    assert_eq!(
        problems(&r),
        [(2, "guardian_unit".to_string(), "not_your_unit".to_string()), (3, "class".into(), "unknown_reference".into())]
    );
    let by_center = upload(&app, Role::Coordinator, "", "报名.xlsx", sheet(&[other.clone()])).await;
    assert_eq!(body(by_center).await["created"], 1, "the center enrols any unit's families");
    assert_eq!(counts(&app, c).await, (1, 0));
    for role in [Role::Volunteer, Role::TeamLeader, Role::Viewer, Role::Observer] {
        expect_error(upload(&app, role, "", "报名.xlsx", sheet(&[other.clone()])).await, StatusCode::FORBIDDEN, "forbidden").await;
    }
    let missing = upload(&app, Role::Liaison, "", "报名.csv", "孩子姓名,出生日期\n王小雨,2017-05-01\n".as_bytes().to_vec()).await;
    let fields: Vec<String> = problems(&body(missing).await).into_iter().map(|p| p.1).collect();
    assert_eq!(fields, ["class", "guardian_name", "guardian_phone", "pickup1_name"]);
}

#[tokio::test]
async fn a_hostile_sheet_is_refused_quickly_and_enrolment_goes_on() {
    let app = spawn_app_with(Settings::default()).await;
    let c = class(&app, 30).await;
    let bomb = crate::hostile_uploads::zip_bomb();
    // Two cells, A1 and XFD1048576: a sheet that claims more than a million lines.
    let mut book = rust_xlsxwriter::Workbook::new();
    let ws = book.add_worksheet();
    ws.write_string(0, 0, "孩子姓名").unwrap();
    ws.write_string(1_048_575, 16_383, "x").unwrap();
    let sparse = book.save_to_buffer().unwrap();
    // Only the server's part is timed: making the files takes the test itself a while.
    let started = Instant::now();
    expect_error(upload(&app, Role::Liaison, "", "bomb.xlsx", bomb).await, StatusCode::PAYLOAD_TOO_LARGE, "file_expands_too_much").await;
    expect_error(upload(&app, Role::Liaison, "", "sparse.xlsx", sparse).await, StatusCode::PAYLOAD_TOO_LARGE, "too_many_rows").await;
    assert!(started.elapsed() < Duration::from_secs(5), "refused in {:?}", started.elapsed());
    assert_eq!(counts(&app, c).await, (0, 0));
    assert_eq!(report(&app, "", sheet(&[child("王小雨", "13922220001")])).await["created"], 1, "the next sheet goes in");
}
