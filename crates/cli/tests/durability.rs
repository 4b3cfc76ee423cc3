//! Nothing acknowledged is lost: check-ins posted to the real server, which
//! is killed with SIGKILL while they stream in, are all there after a
//! restart on the same database, each exactly once.

mod common;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use common::{fresh_target, run, start_server, stop, temp_dir, tongxing};
use serde_json::{json, Value};

/// Acknowledged check-ins to wait for before the kill; the stream goes on past it.
const ACKED_BEFORE_KILL: usize = 120;
const WORKERS: usize = 4;

struct Api {
    http: reqwest::Client,
    base: String,
}

impl Api {
    fn new(port: u16) -> Api {
        let http = reqwest::Client::builder().timeout(Duration::from_secs(10)).build().unwrap();
        Api { http, base: format!("http://127.0.0.1:{port}") }
    }

    async fn send(&self, method: reqwest::Method, path: &str, token: Option<&str>, body: Option<Value>) -> reqwest::Result<(u16, Value)> {
        let mut req = self.http.request(method, format!("{}{path}", self.base));
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        if let Some(b) = body {
            req = req.json(&b);
        }
        let res = req.send().await?;
        let status = res.status().as_u16();
        Ok((status, res.json().await.unwrap_or(Value::Null)))
    }

    async fn get(&self, path: &str, token: &str) -> Value {
        let (status, body) = self.send(reqwest::Method::GET, path, Some(token), None).await.expect("server answers");
        assert_eq!(status, 200, "GET {path}: {body}");
        body
    }

    async fn post(&self, path: &str, token: &str, body: Value) -> (u16, Value) {
        self.send(reqwest::Method::POST, path, Some(token), Some(body)).await.expect("server answers")
    }

    async fn login(&self, login: &str) -> String {
        let body = json!({"login": login, "password": format!("demo-{login}")});
        let (status, b) = self.send(reqwest::Method::POST, "/api/v1/auth/login", None, Some(body)).await.expect("server answers");
        assert_eq!(status, 200, "{b}");
        b["token"].as_str().unwrap().to_string()
    }
}

fn rfc3339(ms_from_now: i64) -> String {
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_millis() as i64;
    tongxing_domain::time::rfc3339(now + ms_from_now)
}

/// Every volunteer id with a check-in on the activity's roster, as the leader sees it.
async fn checked_in(api: &Api, token: &str, activity: i64) -> Vec<i64> {
    let sheet = api.get(&format!("/api/v1/activities/{activity}/attendance"), token).await;
    let items = sheet["items"].as_array().expect("roster lines");
    items.iter().filter(|l| !l["checked_in_at"].is_null()).map(|l| l["volunteer_id"].as_i64().unwrap()).collect()
}

#[tokio::test]
async fn acknowledged_check_ins_survive_kill_9_and_none_is_doubled() {
    let dir = temp_dir();
    let url = fresh_target(dir.path()).await;
    let mut demo = tongxing(dir.path(), &url);
    demo.args(["demo", "--volunteers", "300", "--beneficiaries", "10"]);
    let (ok, _, err) = run(demo);
    assert!(ok, "{err}");
    let (mut server, printed, port) = start_server(dir.path(), &url, &[]);
    assert!(printed.contains("is running at"), "{printed}");
    let api = Arc::new(Api::new(port));
    let leader = api.login("leader").await;
    let volunteer = api.login("volunteer").await;
    let coordinator = api.login("coordinator").await;
    let team = api.get("/api/v1/auth/me", &leader).await["team_id"].as_i64().unwrap();
    let own = api.get("/api/v1/auth/me", &volunteer).await["volunteer_id"].as_i64().unwrap();
    let community = api.get("/api/v1/communities?per_page=1", &leader).await["items"][0]["id"].as_i64().unwrap();

    // An activity under way that people may walk up to, and one sign-up through the API.
    let plan = json!({"title": "断电演练签到", "team_id": team, "community_id": community, "capacity": 500, "walk_ups": true,
        "starts_at": rfc3339(-30 * 60_000), "ends_at": rfc3339(3 * 3_600_000)});
    let (status, made) = api.post("/api/v1/activities", &leader, plan).await;
    assert_eq!(status, 201, "{made}");
    let activity = made["id"].as_i64().unwrap();
    let listed = api.get("/api/v1/volunteers?per_page=500", &coordinator).await;
    let signups = format!("/api/v1/activities/{activity}/signups");
    let (mut status, mut signed) = api.post(&signups, &volunteer, json!({"volunteer_id": own})).await;
    let mut me = own;
    // The demo's own schedule may already hold the demo volunteer somewhere
    // in this window (it depends on the time of day the test runs): then the
    // coordinator signs up the first listed volunteer who is free.
    let others = listed["items"].as_array().unwrap().iter().map(|v| v["id"].as_i64().unwrap()).filter(|v| *v != own);
    for other in others {
        if !(status == 409 && signed["error"]["code"] == "time_conflict") {
            break;
        }
        me = other;
        (status, signed) = api.post(&signups, &coordinator, json!({"volunteer_id": me})).await;
    }
    assert!(status == 201 || status == 200, "{signed}");
    assert_eq!(signed["status"], "confirmed");

    // The one signed up first, then every other volunteer as a walk-up, from a few clients at once.
    let mut queue: Vec<i64> = listed["items"].as_array().unwrap().iter().map(|v| v["id"].as_i64().unwrap()).filter(|v| *v != me).collect();
    queue.insert(0, me);
    let queue = Arc::new(Mutex::new(queue.into_iter()));
    let acked: Arc<Mutex<Vec<i64>>> = Arc::default();
    let mut workers = Vec::new();
    for _ in 0..WORKERS {
        let (api, queue, acked, leader) = (api.clone(), queue.clone(), acked.clone(), leader.clone());
        workers.push(tokio::spawn(async move {
            loop {
                let Some(v) = queue.lock().unwrap().next() else { return };
                let path = format!("/api/v1/activities/{activity}/checkins");
                match api.send(reqwest::Method::POST, &path, Some(&leader), Some(json!({"volunteer_id": v, "kind": "in"}))).await {
                    Ok((200 | 201, _)) => acked.lock().unwrap().push(v),
                    Ok((status, body)) => panic!("check-in of {v} refused: {status} {body}"),
                    // The server is gone: what was not acknowledged may or may not be stored.
                    Err(_) => return,
                }
            }
        }));
    }
    let deadline = std::time::Instant::now() + Duration::from_secs(60);
    while acked.lock().unwrap().len() < ACKED_BEFORE_KILL && std::time::Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    server.kill().expect("SIGKILL"); // kill -9, mid-stream
    let _ = server.wait();
    for w in workers {
        w.await.expect("worker");
    }
    let acked = acked.lock().unwrap().clone();
    assert!(acked.len() >= ACKED_BEFORE_KILL, "the stream ran: {}", acked.len());

    let (server, printed, port) = start_server(dir.path(), &url, &[]);
    assert!(printed.contains("is running at"), "restarts on the same database: {printed}");
    let api = Api::new(port);
    let leader = api.login("leader").await;
    let stored = checked_in(&api, &leader, activity).await;
    let distinct: std::collections::HashSet<i64> = stored.iter().copied().collect();
    assert_eq!(distinct.len(), stored.len(), "no check-in twice");
    println!("{} check-ins acknowledged before kill -9, {} stored after the restart", acked.len(), stored.len());
    let lost: Vec<&i64> = acked.iter().filter(|v| !distinct.contains(v)).collect();
    assert!(lost.is_empty(), "acknowledged check-ins lost by kill -9: {lost:?} of {}", acked.len());
    // A retry of an acknowledged check-in is recognised, never a second one.
    for v in acked.iter().take(10) {
        let (status, body) =
            api.post(&format!("/api/v1/activities/{activity}/checkins"), &leader, json!({"volunteer_id": v, "kind": "in"})).await;
        assert_eq!((status, body["repeated"].as_bool()), (200, Some(true)), "{body}");
    }
    assert_eq!(checked_in(&api, &leader, activity).await.len(), stored.len());
    stop(server);
}
