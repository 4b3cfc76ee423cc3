//! Hostile uploads (issue #12): a sparse sheet that names cell XFD1048576, zip
//! bombs honest and lying about their size, a shared string named a hundred
//! times, files too long or too wide. Each is refused with 413 or 422 and a
//! message, quickly, and the server goes on serving everyone else.

use std::io::{Cursor, Write};
use std::time::{Duration, Instant};

use reqwest::StatusCode;
use tongxing_domain::role::Role;
use zip::write::SimpleFileOptions;

use crate::helpers::{body, expect_error, spawn_app, TestApp};

const WORKBOOK: &str = r#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>"#;
const WORKBOOK_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#;
const SHEET_START: &str =
    r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">"#;
const SHEET_PATH: &str = "xl/worksheets/sheet1.xml";

/// A workbook written by hand, so that it can say what no spreadsheet program
/// would: `sheet_data` is written `repeat` times between `<sheetData>` tags.
fn workbook(dimension: &str, sheet_data: &str, repeat: usize, shared_strings: Option<&str>) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let packed = SimpleFileOptions::default().compression_level(Some(9));
    let part = |zip: &mut zip::ZipWriter<Cursor<Vec<u8>>>, name: &str, text: &str| {
        zip.start_file(name, packed).unwrap();
        zip.write_all(text.as_bytes()).unwrap();
    };
    part(&mut zip, "xl/workbook.xml", WORKBOOK);
    part(&mut zip, "xl/_rels/workbook.xml.rels", WORKBOOK_RELS);
    if let Some(strings) = shared_strings {
        part(&mut zip, "xl/sharedStrings.xml", strings);
    }
    part(&mut zip, SHEET_PATH, &format!("{SHEET_START}<dimension ref=\"{dimension}\"/><sheetData>"));
    for _ in 0..repeat {
        zip.write_all(sheet_data.as_bytes()).unwrap();
    }
    zip.write_all(b"</sheetData></worksheet>").unwrap();
    zip.finish().unwrap().into_inner()
}

/// ~200 MB of sheet XML (3.7 million one-cell rows) in well under 1 MB.
pub fn zip_bomb() -> Vec<u8> {
    let rows = "<row><c t=\"inlineStr\"><is><t>陈明</t></is></c></row>".repeat(20_000);
    workbook("A1", &rows, 190, None)
}

/// Makes the sheet's part claim `size` bytes once decompressed, in its local
/// header and in the central directory, as a bomb that lies would.
fn claim_size(mut zip: Vec<u8>, size: u32) -> Vec<u8> {
    for (signature, name_len_at, size_at, name_at) in [(b"PK\x03\x04", 26, 22, 30), (b"PK\x01\x02", 28, 24, 46)] {
        let found = (0..zip.len() - name_at).find(|&i| {
            let name_len = u16::from_le_bytes([zip[i + name_len_at], zip[i + name_len_at + 1]]) as usize;
            zip[i..i + 4] == signature[..] && zip.get(i + name_at..i + name_at + name_len) == Some(SHEET_PATH.as_bytes())
        });
        let at = found.expect("the sheet's header") + size_at;
        zip[at..at + 4].copy_from_slice(&size.to_le_bytes());
    }
    zip
}

/// Refused with `status` and `code`, within `limit`.
async fn refused(app: &TestApp, file: &str, bytes: Vec<u8>, status: StatusCode, code: &str, limit: Duration) {
    let started = Instant::now();
    let resp = app.import(Role::Coordinator, "", file, bytes).await;
    expect_error(resp, status, code).await;
    assert!(started.elapsed() < limit, "{code} took {:?}", started.elapsed());
}

/// The server still answers, and still imports a good roster.
async fn still_serving(app: &TestApp) {
    assert_eq!(app.api.get(app.url("/healthz")).send().await.unwrap().status(), StatusCode::OK);
    let roster = "姓名,手机号,单位,小区\n陈明,13900000011,现河采油厂,雅苑小区\n".as_bytes().to_vec();
    let resp = app.import(Role::Coordinator, "", "名单.csv", roster).await;
    assert_eq!(resp.status(), StatusCode::OK);
    assert_eq!(body(resp).await["created"], 1);
}

#[tokio::test]
async fn a_sparse_sheet_naming_cell_xfd1048576_is_refused_and_the_server_stays_up() {
    let app = spawn_app().await;
    // What Excel saves for a sheet whose only cells are A1 and XFD1048576 (1.6 KB);
    // it aborted the whole process, asking for 549,755,813,888 bytes.
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    sheet.write_string(0, 0, "姓名").unwrap();
    sheet.write_string(1_048_575, 16_383, "x").unwrap();
    let sparse = book.save_to_buffer().unwrap();
    assert!(sparse.len() < 8 * 1024);
    refused(&app, "稀疏.xlsx", sparse, StatusCode::PAYLOAD_TOO_LARGE, "too_many_rows", Duration::from_secs(1)).await;
    // The same cells under a <dimension> that hides them.
    let hidden = r#"<row r="1"><c r="A1" t="inlineStr"><is><t>姓名</t></is></c></row><row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>"#;
    let book = workbook("A1", hidden, 1, None);
    refused(&app, "稀疏.xlsx", book, StatusCode::PAYLOAD_TOO_LARGE, "too_many_rows", Duration::from_secs(1)).await;
    // Wide but short: a cell in column XFD of line 2.
    let wide = r#"<row r="1"><c r="A1" t="inlineStr"><is><t>姓名</t></is></c><c r="XFD2" t="inlineStr"><is><t>x</t></is></c></row>"#;
    let book = workbook("A1", wide, 1, None);
    refused(&app, "宽.xlsx", book, StatusCode::UNPROCESSABLE_ENTITY, "too_many_columns", Duration::from_secs(1)).await;
    still_serving(&app).await;
}

#[tokio::test]
async fn a_zip_bomb_is_refused_quickly_whether_or_not_it_lies_about_its_size() {
    let app = spawn_app().await;
    let bomb = zip_bomb();
    assert!(bomb.len() < 1024 * 1024, "{} bytes", bomb.len());
    let code = "file_expands_too_much";
    refused(&app, "炸弹.xlsx", bomb.clone(), StatusCode::PAYLOAD_TOO_LARGE, code, Duration::from_millis(500)).await;
    // Claiming 1 MB, so that only the decompressed bytes themselves give it away.
    let liar = claim_size(bomb, 1_000_000);
    refused(&app, "炸弹.xlsx", liar, StatusCode::PAYLOAD_TOO_LARGE, code, Duration::from_millis(500)).await;
    still_serving(&app).await;
}

#[tokio::test]
async fn one_long_shared_string_named_a_hundred_times_is_refused() {
    let app = spawn_app().await;
    let long = "同行".repeat(150_000);
    let strings = format!(
        r#"<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1"><si><t>{long}</t></si></sst>"#
    );
    let row = (1..=100).map(|r| format!(r#"<row r="{r}"><c r="A{r}" t="s"><v>0</v></c></row>"#)).collect::<String>();
    let book = workbook("A1:A100", &row, 1, Some(&strings));
    refused(&app, "长.xlsx", book, StatusCode::PAYLOAD_TOO_LARGE, "file_expands_too_much", Duration::from_secs(2)).await;
    still_serving(&app).await;
}

#[tokio::test]
async fn a_shared_strings_part_over_its_limit_is_refused_before_it_is_read() {
    let app = spawn_app().await;
    // ~17 MiB of short strings that do not compress suspiciously well: every
    // one would take a 24-byte slot in the reader, used by a cell or not.
    let mut x: u32 = 1;
    let mut word = || {
        x = x.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
        (0..4).map(|i| char::from(b'a' + ((x >> (8 * i)) % 26) as u8)).collect::<String>()
    };
    let items: String = (0..940_000).map(|_| format!("<si><t>{}</t></si>", word())).collect();
    assert!(items.len() as u64 > tongxing_service::upload::MAX_SHARED_STRINGS_BYTES);
    let strings = format!(r#"<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">{items}</sst>"#);
    let row = r#"<row r="1"><c r="A1" t="s"><v>0</v></c></row>"#;
    let book = workbook("A1", row, 1, Some(&strings));
    refused(&app, "串.xlsx", book, StatusCode::PAYLOAD_TOO_LARGE, "file_expands_too_much", Duration::from_secs(1)).await;
    still_serving(&app).await;
}

#[tokio::test]
async fn a_csv_too_long_or_too_wide_is_refused() {
    let app = spawn_app().await;
    let long = format!("姓名,手机号,单位,小区\n{}", "x\n".repeat(60_000)).into_bytes();
    refused(&app, "长.csv", long, StatusCode::PAYLOAD_TOO_LARGE, "too_many_rows", Duration::from_secs(2)).await;
    let wide = format!("姓名,手机号,单位,小区{}\n", ",x".repeat(100)).into_bytes();
    refused(&app, "宽.csv", wide, StatusCode::UNPROCESSABLE_ENTITY, "too_many_columns", Duration::from_secs(1)).await;
    still_serving(&app).await;
}

#[tokio::test]
async fn a_body_over_the_upload_limit_is_a_413() {
    let app = spawn_app().await;
    let huge = vec![b'x'; tongxing_service::upload::MAX_UPLOAD_BYTES + 1];
    refused(&app, "大.csv", huge, StatusCode::PAYLOAD_TOO_LARGE, "file_too_large", Duration::from_secs(5)).await;
    still_serving(&app).await;
}

#[tokio::test]
async fn the_import_page_shows_the_form_again_with_why_a_file_was_refused() {
    let app = spawn_app().await;
    let (browser, csrf) = app.browser_as(Role::Coordinator).await;
    let sparse = r#"<row r="1"><c r="A1" t="inlineStr"><is><t>姓名</t></is></c></row>"#;
    let part = reqwest::multipart::Part::bytes(workbook("A1:XFD1048576", sparse, 1, None)).file_name("稀疏.xlsx");
    let form = reqwest::multipart::Form::new().part("file", part);
    let resp = browser.post(app.url(&format!("/volunteers/import?_csrf={csrf}"))).multipart(form).send().await.unwrap();
    assert_eq!(resp.status(), StatusCode::PAYLOAD_TOO_LARGE);
    let html = resp.text().await.unwrap();
    assert!(html.contains("role=\"alert\">文件行数过多"), "the message: {html}");
    assert!(html.contains("type=\"file\" name=\"file\""), "the form again");
}
