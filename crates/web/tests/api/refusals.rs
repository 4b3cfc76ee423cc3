//! Requests refused before a handler runs still get API.md's JSON error body
//! (or, for pages, the HTML error page) and the status that names the fault.

use reqwest::StatusCode;
use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tongxing_domain::role::Role;

use crate::helpers::{expect_error, spawn_app, TestApp};

/// BODY_LIMIT of the server.
const LIMIT: usize = 20 * 1024 * 1024;

/// Sends `head` and then `body` on a fresh connection, and returns the
/// status and the body of the answer (read by its Content-Length: the
/// server may keep the connection open).
async fn raw(app: &TestApp, head: &str, body: &[u8]) -> (u16, String) {
    let mut conn = TcpStream::connect(app.base.trim_start_matches("http://")).await.unwrap();
    conn.write_all(head.as_bytes()).await.unwrap();
    conn.write_all(body).await.unwrap();
    let mut answer = Vec::new();
    let read = async {
        loop {
            let mut buf = [0u8; 4096];
            let n = conn.read(&mut buf).await.unwrap();
            answer.extend_from_slice(&buf[..n]);
            let text = String::from_utf8_lossy(&answer).to_string();
            if let Some((head, body)) = text.split_once("\r\n\r\n") {
                let length = head.lines().find_map(|l| l.to_ascii_lowercase().strip_prefix("content-length: ").map(str::to_string));
                if n == 0 || length.and_then(|l| l.parse().ok()).is_some_and(|l: usize| body.len() >= l) {
                    return text;
                }
            }
            assert!(n > 0, "the connection closed before an answer: {text}");
        }
    };
    let text = tokio::time::timeout(std::time::Duration::from_secs(60), read).await.expect("an answer within a minute");
    let status = text.split(' ').nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
    (status, text.split_once("\r\n\r\n").map(|(_, b)| b.to_string()).unwrap_or_default())
}

fn head(path: &str, framing: &str) -> String {
    format!("POST {path} HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\nConnection: close\r\n{framing}\r\n\r\n")
}

#[tokio::test]
async fn a_body_over_the_limit_is_413_with_the_json_error_declared_or_chunked() {
    let app = spawn_app().await;
    // Declared: refused once more than the limit has been read.
    let over = vec![b' '; LIMIT + 1];
    let (status, body) = raw(&app, &head("/api/v1/needs", &format!("Content-Length: {}", LIMIT + 1)), &over).await;
    assert_eq!(status, 413, "{body}");
    assert!(body.contains("\"body_too_large\""), "{body}");
    // Chunked: refused once more than the limit has arrived.
    let mut chunked = format!("{:x}\r\n", LIMIT + 1).into_bytes();
    chunked.extend(std::iter::repeat_n(b' ', LIMIT + 1));
    chunked.extend(b"\r\n0\r\n\r\n");
    let (status, body) = raw(&app, &head("/api/v1/needs", "Transfer-Encoding: chunked"), &chunked).await;
    assert_eq!(status, 413, "{body}");
    assert!(body.contains("\"body_too_large\""), "{body}");
    // The same through the Idempotency-Key layer, which reads the body first.
    let with_key = head("/api/v1/needs", &format!("Idempotency-Key: k1\r\nContent-Length: {}", LIMIT + 1));
    let (status, body) = raw(&app, &with_key, &over).await;
    assert_eq!((status, body.contains("\"body_too_large\"")), (413, true), "{body}");
}

#[tokio::test]
async fn a_too_long_address_or_header_block_gets_the_json_error() {
    let app = spawn_app().await;
    let long = "a".repeat(9 * 1024);
    let r = app.api.get(app.url(&format!("/api/v1/categories?q={long}"))).send().await.unwrap();
    expect_error(r, StatusCode::URI_TOO_LONG, "uri_too_long").await;
    let r = app.api.get(app.url("/api/v1/categories")).header("x-padding", "b".repeat(40 * 1024)).send().await.unwrap();
    expect_error(r, StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE, "headers_too_large").await;
    // A page gets the HTML error page instead.
    let r = app.api.get(app.url(&format!("/login?next={long}"))).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::URI_TOO_LONG);
    assert!(r.headers()["content-type"].to_str().unwrap().starts_with("text/html"));
}

#[tokio::test]
async fn an_unreadable_page_number_on_a_page_is_the_html_error_page() {
    let app = spawn_app().await;
    let (browser, _) = app.browser_as(Role::Volunteer).await;
    let r = browser.get(app.url("/notifications?page=abc")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    assert!(r.headers()["content-type"].to_str().unwrap().starts_with("text/html"));
    let html = r.text().await.unwrap();
    assert!(html.contains("<html") && !html.contains("Failed to deserialize"), "{html}");
    // The API answers the same mistake with its JSON error.
    expect_error(app.get(Role::Volunteer, "/api/v1/notifications?page=abc").await, StatusCode::BAD_REQUEST, "malformed").await;
}

#[tokio::test]
async fn a_notification_is_marked_read_only_by_its_owner() {
    let app = spawn_app().await;
    crate::needs::published(&app, "13922220031").await;
    let inbox = crate::helpers::body(app.get(Role::TeamLeader, "/api/v1/notifications").await).await;
    let id = inbox["items"][0]["id"].as_i64().unwrap();
    let (path, empty) = (format!("/api/v1/notifications/{id}/read"), json!({}));
    let read = |role| app.post(role, &path, &empty);
    expect_error(read(Role::Volunteer).await, StatusCode::NOT_FOUND, "not_found").await;
    let leader = crate::helpers::body(app.get(Role::TeamLeader, "/api/v1/notifications").await).await;
    assert_eq!(leader["unread"], 1, "another user's attempt changed nothing");
    assert_eq!(read(Role::TeamLeader).await.status(), StatusCode::NO_CONTENT);
    assert_eq!(read(Role::TeamLeader).await.status(), StatusCode::NO_CONTENT, "reading it again is no error");
    let r = app.post(Role::TeamLeader, "/api/v1/notifications/999999/read", &json!({})).await;
    expect_error(r, StatusCode::NOT_FOUND, "not_found").await;
}

#[tokio::test]
async fn a_request_past_the_time_limit_gets_408_with_the_json_error_or_the_page() {
    let web = tongxing_web::WebSettings { request_timeout: Some(std::time::Duration::from_secs(1)), ..Default::default() };
    let app = crate::helpers::spawn_app_web(Default::default(), web).await;
    // A body that stops arriving: the handler waits for it until the limit.
    let (status, body) = raw(&app, &head("/api/v1/needs", "Content-Length: 100"), b"{\"title\":").await;
    assert_eq!(status, 408, "{body}");
    let b: serde_json::Value = serde_json::from_str(&body).unwrap_or_else(|_| panic!("the JSON error body: {body:?}"));
    assert_eq!(b["error"]["code"], "request_timeout", "{b}");
    assert!(b["error"]["message"].as_str().is_some_and(|m| !m.is_empty()), "{b}");
    let form = "POST /login HTTP/1.1\r\nHost: test\r\nContent-Type: application/x-www-form-urlencoded\r\nConnection: close\r\nContent-Length: 100\r\n\r\n";
    let (status, page) = raw(&app, form, b"login=adm").await;
    assert_eq!(status, 408);
    assert!(page.contains("<html"), "the HTML error page: {page}");
}
