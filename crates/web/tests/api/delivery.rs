//! Outbound delivery against a real local receiver: retried with backoff until
//! delivered, never sent twice by racing workers, SMS through the gateway.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::routing::post;
use reqwest::StatusCode;
use serde_json::{json, Value};
use tongxing_domain::role::Role;
use tongxing_service::{Service, Settings};

use crate::helpers::{body, expect_error, spawn_app, TestApp};

/// A receiver on 127.0.0.1 that fails its first `failures` requests with 500,
/// then answers 200 after `delay`; it keeps every body it was sent.
struct Receiver {
    url: String,
    hits: Arc<AtomicUsize>,
    bodies: Arc<Mutex<Vec<String>>>,
}

async fn receiver(failures: usize, delay: Duration) -> Receiver {
    let hits = Arc::new(AtomicUsize::new(0));
    let bodies = Arc::new(Mutex::new(Vec::new()));
    let (h, b) = (hits.clone(), bodies.clone());
    let handler = move |text: String| {
        let (h, b) = (h.clone(), b.clone());
        async move {
            tokio::time::sleep(delay).await;
            let n = h.fetch_add(1, Ordering::SeqCst);
            b.lock().unwrap().push(text);
            if n < failures {
                StatusCode::INTERNAL_SERVER_ERROR
            } else {
                StatusCode::OK
            }
        }
    };
    let app = axum::Router::new().route("/robot", post(handler.clone())).route("/sms", post(handler));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr: SocketAddr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    Receiver { url: format!("http://{addr}"), hits, bodies }
}

/// The app's own service with retries due at once and, optionally, an SMS gateway.
fn worker(app: &TestApp, sms: Option<String>) -> Service {
    let settings = Settings { outbox_backoff_ms: 0, sms_gateway_url: sms, ..Settings::default() };
    Service {
        db: app.svc.db.clone(),
        crypto: app.svc.crypto.clone(),
        settings: Arc::new(settings),
        caches: Default::default(),
        call_pool: Default::default(),
    }
}

/// Points unit 0's liaison-group robot at `url`, then submits and publishes a
/// need that unit 0's team fits. Returns the need's id.
async fn publish_with_robot(app: &TestApp, url: &str) -> i64 {
    let unit = json!({"name": "现河采油厂", "kind": "oilfield_unit", "webhook_url": format!("{url}/robot?key=wecom")});
    assert_eq!(app.put(Role::Coordinator, &format!("/api/v1/units/{}", app.fx.units[0]), &unit).await.status(), StatusCode::OK);
    let (id, _) = submit(app).await;
    let r = app.post(Role::Coordinator, &format!("/api/v1/needs/{id}/review"), &json!({"decision": "publish"})).await;
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    id
}

/// Submits a need publicly, from the phone 13933334444; returns (id, tracking code).
async fn submit(app: &TestApp) -> (i64, String) {
    let need = json!({"title": "帮忙修理水管", "description": "厨房漏水", "category": "elderly_care",
                      "community_id": app.fx.communities[0], "requester_name": "王大爷", "requester_phone": "13933334444"});
    let b = body(app.api.post(app.url("/api/v1/needs")).json(&need).send().await.unwrap()).await;
    (b["id"].as_i64().unwrap(), b["tracking_code"].as_str().unwrap().to_string())
}

/// The SMS among the bodies a receiver was sent.
fn sms_in(rx: &Receiver) -> Value {
    let bodies = rx.bodies.lock().unwrap().clone();
    bodies.iter().filter_map(|b| serde_json::from_str::<Value>(b).ok()).find(|b| b.get("phone").is_some()).expect("an SMS")
}

async fn outbox(app: &TestApp) -> Value {
    body(app.get(Role::Coordinator, "/api/v1/outbox").await).await
}

#[tokio::test]
async fn a_robot_message_is_retried_until_the_receiver_takes_it() {
    let app = spawn_app().await;
    let rx = receiver(2, Duration::ZERO).await;
    publish_with_robot(&app, &rx.url).await;
    let queued = outbox(&app).await;
    assert_eq!(queued["total"], 1, "one robot message for the one fitting unit: {queued}");
    assert_eq!(queued["items"][0]["status"], "pending");
    let w = worker(&app, None);
    let sent: Vec<usize> =
        [w.deliver_due().await.unwrap(), w.deliver_due().await.unwrap(), w.deliver_due().await.unwrap(), w.deliver_due().await.unwrap()]
            .into();
    assert_eq!(sent, vec![0, 0, 1, 0], "two failures, then delivered, then nothing left");
    assert_eq!(rx.hits.load(Ordering::SeqCst), 3);
    let message: Value = serde_json::from_str(&rx.bodies.lock().unwrap()[2]).unwrap();
    assert_eq!(message["msgtype"], "markdown");
    assert!(message["markdown"]["content"].as_str().unwrap().contains("帮忙修理水管"), "{message}");
    let done = outbox(&app).await;
    assert_eq!((done["items"][0]["status"].as_str(), done["items"][0]["attempts"].as_i64()), (Some("sent"), Some(3)));
    for at in ["created_at", "next_attempt_at", "sent_at"] {
        let t = done["items"][0][at].as_str().and_then(|t| chrono::DateTime::parse_from_rfc3339(t).ok());
        assert!(t.is_some_and(|t| t.offset().local_minus_utc() == 8 * 3600), "{at} in RFC 3339: {done}");
    }
    expect_forbidden(&app).await;
}

async fn expect_forbidden(app: &TestApp) {
    assert_eq!(app.get(Role::TeamLeader, "/api/v1/outbox").await.status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn racing_workers_send_a_message_once() {
    let app = spawn_app().await;
    let rx = receiver(0, Duration::from_millis(200)).await;
    publish_with_robot(&app, &rx.url).await;
    let workers: Vec<Service> = (0..5).map(|_| worker(&app, None)).collect();
    let results = futures_util::future::join_all(workers.iter().map(|w| w.deliver_due())).await;
    assert_eq!(results.into_iter().map(|r| r.unwrap()).sum::<usize>(), 1);
    assert_eq!(rx.hits.load(Ordering::SeqCst), 1, "the receiver saw it once");
}

#[tokio::test]
async fn the_resident_gets_an_sms_when_a_team_takes_the_need() {
    let app = spawn_app().await;
    let rx = receiver(0, Duration::ZERO).await;
    let id = publish_with_robot(&app, &rx.url).await;
    let w = worker(&app, Some(format!("{}/sms", rx.url)));
    let coordinator = w.authenticate(app.token(Role::Coordinator)).await.unwrap();
    w.claim_need(&coordinator, id, app.fx.teams[0]).await.unwrap();
    assert_eq!(w.deliver_due().await.unwrap(), 2, "the robot message and the SMS");
    let sms = sms_in(&rx);
    assert_eq!(sms["phone"], "13933334444");
    assert!(sms["text"].as_str().unwrap().contains("接单"), "{sms}");
}

#[tokio::test]
async fn the_resident_gets_an_sms_when_the_need_is_published() {
    let app = spawn_app().await;
    let rx = receiver(0, Duration::ZERO).await;
    let (id, code) = submit(&app).await;
    let w = worker(&app, Some(format!("{}/sms", rx.url)));
    let coordinator = w.authenticate(app.token(Role::Coordinator)).await.unwrap();
    w.review_need(&coordinator, id, true, None).await.unwrap();
    assert_eq!(w.deliver_due().await.unwrap(), 1, "the SMS (no unit has a robot)");
    let sms = sms_in(&rx);
    assert_eq!(sms["phone"], "13933334444");
    let text = sms["text"].as_str().unwrap();
    assert!(text.contains("已受理并发布") && text.contains("帮忙修理水管") && text.contains(&code), "{sms}");
}

/// Fails a delivery until the worker gives it up; returns its id.
async fn give_up(app: &TestApp, w: &Service) -> i64 {
    for _ in 0..tongxing_service::delivery::MAX_ATTEMPTS {
        assert_eq!(w.deliver_due().await.unwrap(), 0);
    }
    let dead = body(app.get(Role::Coordinator, "/api/v1/outbox?status=dead").await).await;
    assert_eq!(dead["total"], 1, "{dead}");
    assert_eq!(dead["items"][0]["attempts"], tongxing_service::delivery::MAX_ATTEMPTS);
    dead["items"][0]["id"].as_i64().unwrap()
}

#[tokio::test]
async fn a_given_up_delivery_sent_again_reaches_the_receiver() {
    let app = spawn_app().await;
    let rx = receiver(10, Duration::ZERO).await;
    publish_with_robot(&app, &rx.url).await;
    let w = worker(&app, None);
    let id = give_up(&app, &w).await;
    assert_eq!(w.deliver_due().await.unwrap(), 0, "a dead delivery is not sent by itself");
    assert_eq!(rx.hits.load(Ordering::SeqCst), 10);

    let path = format!("/api/v1/outbox/{id}/retry");
    expect_error(app.post(Role::TeamLeader, &path, &json!({})).await, StatusCode::FORBIDDEN, "forbidden").await;
    assert_eq!(app.post(Role::Coordinator, &path, &json!({})).await.status(), StatusCode::NO_CONTENT);
    assert!(app.audited(Role::Coordinator, "retry_delivery", "outbox", id).await, "the retry is audited");
    let queued = outbox(&app).await;
    assert_eq!((queued["items"][0]["status"].as_str(), queued["items"][0]["attempts"].as_i64()), (Some("pending"), Some(0)));

    assert_eq!(w.deliver_due().await.unwrap(), 1, "the worker sends it again");
    assert_eq!(rx.hits.load(Ordering::SeqCst), 11);
    assert_eq!(outbox(&app).await["items"][0]["status"], "sent");
    expect_error(app.post(Role::Coordinator, &path, &json!({})).await, StatusCode::CONFLICT, "not_retryable").await;
    expect_error(app.post(Role::Coordinator, "/api/v1/outbox/999999/retry", &json!({})).await, StatusCode::NOT_FOUND, "not_found").await;
}

#[tokio::test]
async fn a_delivery_waiting_after_a_failure_can_be_sent_now_but_a_fresh_one_cannot() {
    let app = spawn_app().await;
    let rx = receiver(1, Duration::ZERO).await;
    publish_with_robot(&app, &rx.url).await;
    let id = outbox(&app).await["items"][0]["id"].as_i64().unwrap();
    let path = format!("/api/v1/outbox/{id}/retry");
    expect_error(app.post(Role::Coordinator, &path, &json!({})).await, StatusCode::CONFLICT, "not_retryable").await;
    // The app's own settings wait seconds before a retry: the failed delivery is not due yet.
    app.svc.deliver_due().await.unwrap();
    assert_eq!(app.svc.deliver_due().await.unwrap(), 0, "waiting for its retry");
    assert_eq!(app.post(Role::Coordinator, &path, &json!({})).await.status(), StatusCode::NO_CONTENT);
    assert_eq!(app.svc.deliver_due().await.unwrap(), 1, "due at once after the retry");
}

#[tokio::test]
async fn the_outbox_page_shows_deliveries_masked_and_sends_a_given_up_one_again() {
    let app = spawn_app().await;
    let rx = receiver(10, Duration::ZERO).await;
    let need = publish_with_robot(&app, &rx.url).await;
    let w = worker(&app, None);
    let id = give_up(&app, &w).await;
    let sms = worker(&app, Some(format!("{}/sms", rx.url)));
    let coordinator = sms.authenticate(app.token(Role::Coordinator)).await.unwrap();
    sms.claim_need(&coordinator, need, app.fx.teams[0]).await.unwrap();

    let (browser, csrf) = app.browser_as(Role::Coordinator).await;
    let html = browser.get(app.url("/outbox")).send().await.unwrap().text().await.unwrap();
    assert!(html.contains(r#"href="/outbox""#), "in the coordinator's navigation");
    assert!(html.contains("key=***") && !html.contains("key=wecom"), "the robot's key is masked");
    assert!(html.contains("139****4444") && !html.contains("13933334444"), "the phone is masked");
    assert!(html.contains("已放弃") && html.contains("HTTP 500"), "status and last error shown");
    let (first_sms, first_dead) = (html.find("139****4444").unwrap(), html.find("key=***").unwrap());
    assert!(first_sms < first_dead, "newest first");
    let only_sent = browser.get(app.url("/outbox?status=sent")).send().await.unwrap().text().await.unwrap();
    assert!(!only_sent.contains("outbox-list"), "nothing sent yet");

    let form = [("_csrf", csrf.as_str()), ("back", "/outbox?status=dead&page=1")];
    let resp = browser.post(app.url(&format!("/outbox/{id}/retry"))).form(&form).send().await.unwrap();
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    assert_eq!(resp.headers()["location"], "/outbox?status=dead&page=1&flash=retried");
    assert!(app.audited(Role::Coordinator, "retry_delivery", "outbox", id).await);
    assert_eq!(w.deliver_due().await.unwrap(), 1, "the robot message goes out");

    let (leader, _) = app.browser_as(Role::TeamLeader).await;
    let home = leader.get(app.url("/")).send().await.unwrap().text().await.unwrap();
    assert!(!home.contains(r#"href="/outbox""#), "not in a leader's navigation");
    assert_eq!(leader.get(app.url("/outbox")).send().await.unwrap().status(), StatusCode::FORBIDDEN);
    let bad = app.get(Role::Coordinator, "/api/v1/outbox?status=lost").await;
    assert_eq!(expect_error(bad, StatusCode::UNPROCESSABLE_ENTITY, "unknown_choice").await["field"], "status");
}

#[tokio::test]
async fn the_outbox_page_says_what_would_be_sent_and_how_to_configure_a_gateway() {
    let app = spawn_app().await;
    let (browser, _) = app.browser_as(Role::Coordinator).await;
    let page = browser.get(app.url("/outbox")).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("id=\"outbox-setup\"") && page.contains("未配置短信网关"), "{page}");
    for needle in ["应急调度", "活动开始前", "sms_gateway_url", "TONGXING_SMS_GATEWAY_URL", "Webhook"] {
        assert!(page.contains(needle), "{needle}");
    }
    let with_gateway =
        crate::helpers::spawn_app_with(Settings { sms_gateway_url: Some("http://127.0.0.1:9/sms".into()), ..Settings::default() }).await;
    let (browser, _) = with_gateway.browser_as(Role::Coordinator).await;
    let page = browser.get(with_gateway.url("/outbox")).send().await.unwrap().text().await.unwrap();
    assert!(!page.contains("id=\"outbox-setup\""), "a configured gateway needs no note");
}
