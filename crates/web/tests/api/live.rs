//! Live pages: server-sent events that tell an open page its needs changed,
//! whichever instance made the change, and tell a resident's tracking page
//! about their own need only.

use std::net::SocketAddr;
use std::time::Duration;

use reqwest::{Client, StatusCode};
use serde_json::json;
use tongxing_domain::role::Role;

use crate::helpers::{body, spawn_app, TestApp};
use crate::instances::second_instance;

/// Long enough for the half-second poll on a busy two-core machine.
const SOON: Duration = Duration::from_secs(5);
/// Several polls: had an event been due, it would have come.
const QUIET: Duration = Duration::from_secs(2);

/// An open event stream, read one event at a time.
struct Events {
    resp: reqwest::Response,
    buf: String,
    /// Everything received, to check what a stream reveals.
    seen: String,
}

impl Events {
    /// Opens the stream at `url` and waits until it listens (its `ready` event).
    async fn open(client: &Client, url: String) -> Events {
        let resp = client.get(url).send().await.unwrap();
        assert_eq!(resp.status(), StatusCode::OK);
        let kind = resp.headers()[reqwest::header::CONTENT_TYPE].to_str().unwrap().to_string();
        assert!(kind.starts_with("text/event-stream"), "{kind}");
        let mut events = Events { resp, buf: String::new(), seen: String::new() };
        assert_eq!(events.next(SOON).await.as_deref(), Some("ready"));
        events
    }

    /// The next event's name, skipping keep-alive comments; None if none
    /// comes within `wait` or the stream ends.
    async fn next(&mut self, wait: Duration) -> Option<String> {
        let deadline = tokio::time::Instant::now() + wait;
        loop {
            while let Some(end) = self.buf.find("\n\n") {
                let frame: String = self.buf.drain(..end + 2).collect();
                if frame.lines().any(|l| l.starts_with("data:")) {
                    let name = frame.lines().find_map(|l| l.strip_prefix("event:")).unwrap_or("message");
                    return Some(name.trim().to_string());
                }
            }
            let chunk = tokio::time::timeout_at(deadline, self.resp.chunk()).await.ok()?.ok()??;
            let text = String::from_utf8(chunk.to_vec()).expect("events are text");
            self.seen.push_str(&text);
            self.buf.push_str(&text);
        }
    }

    async fn expect_changed(&mut self, what: &str) {
        assert_eq!(self.next(SOON).await.as_deref(), Some("changed"), "{what}");
    }

    async fn expect_quiet(&mut self, what: &str) {
        assert_eq!(self.next(QUIET).await, None, "{what}");
    }
}

/// Submits a need publicly from `base`; returns (id, tracking code).
async fn submit(app: &TestApp, base: &str, phone: &str) -> (i64, String) {
    let need = json!({"title": "陪同就医", "description": "周三上午去医院复查", "category": "elderly_care",
                      "community_id": app.fx.communities[0], "requester_name": "刘奶奶", "requester_phone": phone});
    let resp = app.api.post(format!("{base}/api/v1/needs")).json(&need).send().await.unwrap();
    assert_eq!(resp.status(), StatusCode::CREATED);
    let b = body(resp).await;
    (b["id"].as_i64().unwrap(), b["tracking_code"].as_str().unwrap().to_string())
}

async fn publish(app: &TestApp, id: i64) {
    let r = app.post(Role::Coordinator, &format!("/api/v1/needs/{id}/review"), &json!({"decision": "publish"})).await;
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
}

/// The stream a page listens to, as its markup names it.
async fn live_url_of_page(app: &TestApp, client: &Client, path: &str) -> String {
    let html = client.get(app.url(path)).send().await.unwrap().text().await.unwrap();
    let start = html.find("data-live=\"").unwrap_or_else(|| panic!("{path} is not live")) + "data-live=\"".len();
    app.url(html[start..].split('"').next().unwrap())
}

#[tokio::test]
async fn the_coordinators_queue_hears_of_a_new_need() {
    let app = spawn_app().await;
    let (coordinator, _) = app.browser_as(Role::Coordinator).await;
    let mut queue = Events::open(&coordinator, app.url("/live/needs")).await;
    submit(&app, &app.base, "13933330001").await;
    queue.expect_changed("a submission reaches the open queue").await;
}

#[tokio::test]
async fn a_tracking_stream_hears_only_its_own_need_and_names_nobody() {
    let app = spawn_app().await;
    let (mine, code) = submit(&app, &app.base, "13933330002").await;
    let (other, _) = submit(&app, &app.base, "13933330003").await;
    let mut track = Events::open(&Client::new(), app.url(&format!("/live/track/{code}"))).await;
    publish(&app, other).await;
    track.expect_quiet("another need's change is not told").await;
    publish(&app, mine).await;
    track.expect_changed("the resident's own need moved").await;
    for private in ["13933330002", "13933330003", "刘奶奶"] {
        assert!(!track.seen.contains(private), "no personal data in the stream: {}", track.seen);
    }
}

#[tokio::test]
async fn only_staff_who_may_read_needs_get_the_queue_stream() {
    let app = spawn_app().await;
    let stranger = Client::new();
    for path in ["/live/needs", "/live/needs/1"] {
        assert_eq!(stranger.get(app.url(path)).send().await.unwrap().status(), StatusCode::UNAUTHORIZED, "{path}");
    }
    let (volunteer, _) = app.browser_as(Role::Volunteer).await;
    assert_eq!(volunteer.get(app.url("/live/needs")).send().await.unwrap().status(), StatusCode::FORBIDDEN);
    let unknown = stranger.get(app.url("/live/track/XC00000000")).send().await.unwrap();
    assert_eq!(unknown.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_stream_opened_after_a_change_reports_what_its_page_missed() {
    let app = spawn_app().await;
    let (coordinator, _) = app.browser_as(Role::Coordinator).await;
    let (mine, code) = submit(&app, &app.base, "13933330004").await;
    let (other, _) = submit(&app, &app.base, "13933330005").await;
    let queue_url = live_url_of_page(&app, &coordinator, "/needs").await;
    let track_url = live_url_of_page(&app, &Client::new(), &format!("/track/{code}")).await;
    let need_url = live_url_of_page(&app, &coordinator, &format!("/needs/{mine}")).await;
    assert!(queue_url.contains("/live/needs?since="), "{queue_url}");

    // Between rendering the pages and opening their streams, another need moves.
    publish(&app, other).await;
    Events::open(&coordinator, queue_url).await.expect_changed("the queue shows every need").await;
    Events::open(&Client::new(), track_url.clone()).await.expect_quiet("not the resident's need").await;
    Events::open(&coordinator, need_url).await.expect_quiet("not this need's page").await;

    publish(&app, mine).await;
    let mut track = Events::open(&Client::new(), track_url).await;
    track.expect_changed("the resident's need moved before the stream opened").await;

    // A browser reconnecting names the last event it saw: nothing more to report.
    let resumed = Client::new().get(app.url(&format!("/live/track/{code}"))).header("Last-Event-ID", "999999999");
    let resp = resumed.send().await.unwrap();
    let mut resumed = Events { resp, buf: String::new(), seen: String::new() };
    assert_eq!(resumed.next(SOON).await.as_deref(), Some("ready"));
    resumed.expect_quiet("caught up already").await;
}

#[tokio::test]
async fn a_change_made_on_one_instance_reaches_a_page_served_by_another() {
    let app = spawn_app().await;
    let b = second_instance(&app).await;
    let (coordinator, _) = app.browser_as(Role::Coordinator).await;
    let mut on_b = Events::open(&coordinator, format!("{b}/live/needs")).await;
    let (id, code) = submit(&app, &app.base, "13933330006").await;
    on_b.expect_changed("a submission through instance A").await;
    let mut track_on_a = Events::open(&Client::new(), app.url(&format!("/live/track/{code}"))).await;
    let r = app.api.post(format!("{b}/api/v1/needs/{id}/review")).bearer_auth(app.token(Role::Coordinator));
    assert_eq!(r.json(&json!({"decision": "publish"})).send().await.unwrap().status(), StatusCode::NO_CONTENT);
    track_on_a.expect_changed("a review through instance B").await;
}

#[tokio::test]
async fn a_rising_warning_refreshes_the_queue_without_a_history_line() {
    let app = spawn_app().await;
    let (id, _) = submit(&app, &app.base, "13933330007").await;
    let (coordinator, _) = app.browser_as(Role::Coordinator).await;
    let mut queue = Events::open(&coordinator, app.url("/live/needs")).await;
    // Let the follower take its first reading of the warning levels.
    tokio::time::sleep(Duration::from_secs(1)).await;
    tongxing_store::needs::set_waiting_since(&app.svc.db, id, tongxing_store::now_ms() - 48 * 3_600_000).await.unwrap();
    assert_eq!(app.svc.recompute_warnings().await.unwrap(), 1);
    assert_eq!(queue.next(Duration::from_secs(10)).await.as_deref(), Some("changed"), "the red badge shows without a reload");
}

#[tokio::test]
async fn shutting_down_ends_the_streams() {
    let app = spawn_app().await;
    let state = tongxing_web::AppState::new(app.svc.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let router = tongxing_web::app(state.clone());
    tokio::spawn(async move { axum::serve(listener, router.into_make_service_with_connect_info::<SocketAddr>()).await.unwrap() });
    let (_, code) = submit(&app, &app.base, "13933330008").await;
    let mut track = Events::open(&Client::new(), format!("http://{addr}/live/track/{code}")).await;
    state.end_live_streams();
    let ended = tokio::time::timeout(SOON, track.resp.chunk()).await.expect("the stream ends at once");
    assert!(matches!(ended, Ok(None)), "a clean end of the stream: {ended:?}");
}
