//! Clients that hang up: a phone losing its signal, a tab closed, a timeout.
//! Whatever moment a client goes away at, every write it was told about is
//! in the database exactly once, and no database connection is left inside
//! a transaction (where later writes would be answered, then lost when the
//! connection closes).

use std::time::Duration;

use rand::Rng;
use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tongxing_domain::role::Role;
use tongxing_service::Db;
use tongxing_store::now_ms;

use crate::activities::{create, more_volunteers, plan};
use crate::helpers::{fresh_database_url, service_for, spawn_app, TestApp};

const HOUR: i64 = 3_600_000;

/// Sends one POST over a raw connection. With `hang_up_after` it closes the
/// connection that long after sending (zero: at once) and returns None;
/// otherwise it reads the answer and returns its status.
async fn post(base: &str, token: &str, path: &str, body: &str, hang_up_after: Option<Duration>) -> Option<u16> {
    let addr = base.trim_start_matches("http://");
    let mut s = tokio::net::TcpStream::connect(addr).await.unwrap();
    // A client that will hang up keeps its connection alive, as a browser
    // does: only then does the server watch it for the hang-up.
    let close = if hang_up_after.is_some() { "" } else { "Connection: close\r\n" };
    let req = format!(
        "POST {path} HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Bearer {token}\r\nContent-Type: application/json\r\n\
         Content-Length: {}\r\n{close}\r\n{body}",
        body.len()
    );
    s.write_all(req.as_bytes()).await.unwrap();
    if let Some(wait) = hang_up_after {
        if !wait.is_zero() {
            tokio::time::sleep(wait).await;
        }
        drop(s);
        return None;
    }
    let mut answer = Vec::new();
    s.read_to_end(&mut answer).await.unwrap();
    let head = String::from_utf8_lossy(&answer);
    head.split(' ').nth(1).and_then(|code| code.parse().ok())
}

/// Connections of the test's database left inside a transaction.
async fn idle_in_transaction(app: &TestApp) -> i64 {
    let Db::Postgres(pool) = &app.svc.db else { return 0 };
    sqlx::query_scalar("SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database() AND state LIKE 'idle in transaction%'")
        .fetch_one(pool)
        .await
        .unwrap()
}

/// Waits until the writes of requests whose clients left have ended (they
/// finish in tasks of their own): the row counts stop changing.
async fn settled(db: &Db, activities: &[i64]) -> Vec<(i64, i64, i64)> {
    let mut last = Vec::new();
    for _ in 0..50 {
        let mut now = Vec::new();
        for a in activities {
            let (c, w) = tongxing_store::activities::signups::counts(db, *a).await.unwrap();
            now.push((c, w, tongxing_store::activities::attendance::count(db, *a).await.unwrap()));
        }
        if now == last {
            return now;
        }
        last = now;
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    last
}

/// Sends every request of `batch` ((path, token, volunteer, body, hang up?))
/// at once; returns the (path, volunteer) of those answered 200 or 201.
async fn send_all(app: &TestApp, batch: Vec<(String, String, i64, String, bool)>) -> Vec<(String, i64)> {
    let tasks: Vec<_> = batch
        .into_iter()
        .map(|(path, token, v, body, hang_up)| {
            let hang_up = hang_up.then(|| Duration::from_micros(rand::thread_rng().gen_range(0..60_000)));
            let base = app.base.clone();
            tokio::spawn(async move { (post(&base, &token, &path, &body, hang_up).await, path, v) })
        })
        .collect();
    let mut answered = Vec::new();
    for t in tasks {
        match t.await.unwrap() {
            (Some(200 | 201), path, v) => answered.push((path, v)),
            (Some(s), path, v) => panic!("{path} for {v} answered {s}"),
            (None, ..) => {}
        }
    }
    answered
}

#[tokio::test]
async fn clients_hanging_up_at_any_moment_lose_no_acknowledged_sign_up_or_check_in() {
    let app = spawn_app().await;
    let now = now_ms();
    let later = now + 24 * HOUR;
    let sign_up_to = create(&app, plan(&app, later, later + 2 * HOUR, 40), json!({})).await;
    let doors = [
        create(&app, plan(&app, now - HOUR, now + HOUR, 10), json!({"walk_ups": true})).await,
        create(&app, plan(&app, now - HOUR, now + HOUR, 10), json!({"walk_ups": true})).await,
    ];
    let people = more_volunteers(&app, 240).await;
    let coordinator = app.token(Role::Coordinator).to_string();
    let leader = app.token(Role::TeamLeader).to_string();
    let sign_up =
        |v: i64| (format!("/api/v1/activities/{sign_up_to}/signups"), coordinator.clone(), v, json!({"volunteer_id": v}).to_string());
    let check_in = |door: i64, v: i64| {
        (format!("/api/v1/activities/{door}/checkins"), leader.clone(), v, json!({"volunteer_id": v, "kind": "in"}).to_string())
    };

    // Three rounds in which everyone signs up and checks in at the first
    // door, each request either waiting for its answer or hanging up at
    // once or 0–60 ms after sending (about as long as a round takes): before,
    // during or after its write.
    let mut acknowledged = Vec::new();
    for _ in 0..3 {
        let batch = people
            .iter()
            .flat_map(|v| [sign_up(*v), check_in(doors[0], *v)])
            .map(|(p, t, v, b)| (p, t, v, b, rand::thread_rng().gen_bool(0.6)))
            .collect();
        acknowledged.extend(send_all(&app, batch).await);
    }
    // Then check-ins alone at the second door, every answer read: on the
    // same pooled connections, with no transaction of their own that would
    // end one a hang-up left open.
    let batch = people.iter().map(|v| check_in(doors[1], *v)).map(|(p, t, v, b)| (p, t, v, b, false)).collect();
    acknowledged.extend(send_all(&app, batch).await);
    let all = [sign_up_to, doors[0], doors[1]];
    let counts = settled(&app.svc.db, &all).await;
    assert_eq!(idle_in_transaction(&app).await, 0, "no connection is left inside a transaction");

    // Close every connection, as an instance going away would: an
    // acknowledged write left in an open transaction would vanish now.
    app.svc.db.close().await;
    let db = Db::connect(&app.db_url).await.unwrap();
    assert_eq!(settled(&db, &all).await, counts, "nothing changed when the connections closed");
    for (path, v) in &acknowledged {
        let kept = if path.ends_with("signups") {
            tongxing_store::activities::signups::status(&db, sign_up_to, *v).await.unwrap().is_some()
        } else {
            let door = if path.contains(&format!("/{}/", doors[0])) { doors[0] } else { doors[1] };
            tongxing_store::activities::attendance::of(&db, door, *v).await.unwrap().is_some()
        };
        assert!(kept, "the acknowledged {path} of {v} is kept");
    }
    assert_eq!(tongxing_store::activities::attendance::count(&db, doors[1]).await.unwrap(), people.len() as i64, "one check-in per person");
    let (confirmed, waitlisted) = tongxing_store::activities::signups::counts(&db, sign_up_to).await.unwrap();
    assert_eq!(confirmed, (confirmed + waitlisted).min(40), "places are filled up to the capacity, never past it");
    let activity = tongxing_store::activities::get(&db, sign_up_to).await.unwrap();
    assert_eq!((activity.confirmed, activity.waitlisted), (confirmed, waitlisted), "the counters agree with the rows");
}

/// Polls `begin` `polls` times, letting other tasks (and the socket) run
/// between polls, then drops it: a request cancelled while its `BEGIN` is on
/// the wire, or just before or after.
async fn cancel_after<F: std::future::Future>(begin: F, polls: usize) {
    let mut begin = std::pin::pin!(begin);
    for _ in 0..polls {
        if std::future::poll_fn(|cx| std::task::Poll::Ready(begin.as_mut().poll(cx).is_ready())).await {
            return;
        }
        tokio::task::yield_now().await;
    }
}

/// The cause on PostgreSQL (launchbadge/sqlx#2054, fixed for PostgreSQL in
/// sqlx 0.9.1): a `BEGIN` whose future was dropped before its answer left
/// the pooled connection inside a transaction; every later statement on it
/// was answered as if committed and rolled back when the connection closed.
/// Here one connection serves everything, and begins are dropped after 1 to
/// 40 polls: before, while and after the `BEGIN` is on the wire.
#[tokio::test]
async fn a_cancelled_begin_never_swallows_the_writes_after_it() {
    let url = fresh_database_url().await;
    let svc = service_for(&url, &tongxing_service::crypto::generate_key()).await;
    svc.db.close().await;
    let writes = 240;
    let kept: i64 = match Db::connect(&url).await.unwrap() {
        Db::Postgres(_) => {
            let pool = sqlx::postgres::PgPoolOptions::new().max_connections(1).connect(&url).await.unwrap();
            let monitor = sqlx::postgres::PgPoolOptions::new().max_connections(1).connect(&url).await.unwrap();
            sqlx::query("CREATE TABLE probe (n BIGINT PRIMARY KEY)").execute(&pool).await.unwrap();
            for n in 0..writes {
                cancel_after(pool.begin(), 1 + n % 40).await;
                sqlx::query("INSERT INTO probe (n) VALUES ($1)").bind(n as i64).execute(&pool).await.unwrap();
                // The connection idles a moment, as between two requests.
                tokio::time::sleep(Duration::from_millis(1)).await;
                let left_open: i64 = sqlx::query_scalar(
                    "SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database() AND state LIKE 'idle in transaction%'",
                )
                .fetch_one(&monitor)
                .await
                .unwrap();
                assert_eq!(left_open, 0, "after {n}: the pooled connection is left inside a transaction");
            }
            pool.close().await;
            let pool = sqlx::postgres::PgPoolOptions::new().max_connections(1).connect(&url).await.unwrap();
            sqlx::query_scalar("SELECT COUNT(*) FROM probe").fetch_one(&pool).await.unwrap()
        }
        Db::Sqlite { write, .. } => {
            sqlx::query("CREATE TABLE probe (n BIGINT PRIMARY KEY)").execute(&write).await.unwrap();
            for n in 0..writes {
                cancel_after(write.begin(), 1 + n % 40).await;
                sqlx::query("INSERT INTO probe (n) VALUES ($1)").bind(n as i64).execute(&write).await.unwrap();
                // The connection idles a moment, as between two requests.
                tokio::time::sleep(Duration::from_millis(1)).await;
            }
            write.close().await;
            let Db::Sqlite { read, .. } = Db::connect(&url).await.unwrap() else { unreachable!() };
            sqlx::query_scalar("SELECT COUNT(*) FROM probe").fetch_one(&read).await.unwrap()
        }
    };
    assert_eq!(kept, writes as i64, "every write answered before the connection closed is kept");
}
