//! The demo region loads all or nothing: next to accounts made first, on a
//! second start, and after a load that failed or was cut off half-way.

mod common;

use std::path::Path;

use common::{fresh_target, run, start_server, stop, temp_dir, tongxing};

fn cli(dir: &Path, url: &str, args: &[&str]) -> (bool, String, String) {
    let mut c = tongxing(dir, url);
    c.args(args);
    run(c)
}

async fn execute(url: &str, statements: &[&str]) {
    use sqlx::Connection;
    if url.starts_with("postgres") {
        let mut c = sqlx::PgConnection::connect(url).await.expect("postgres");
        for s in statements {
            sqlx::query(sqlx::AssertSqlSafe(*s)).execute(&mut c).await.expect(s);
        }
    } else {
        let mut c = sqlx::SqliteConnection::connect(url).await.expect("sqlite");
        for s in statements {
            sqlx::query(sqlx::AssertSqlSafe(*s)).execute(&mut c).await.expect(s);
        }
    }
}

async fn count(url: &str, table: &str) -> i64 {
    use sqlx::Connection;
    let sql = format!("SELECT COUNT(*) FROM {table}");
    if url.starts_with("postgres") {
        let mut c = sqlx::PgConnection::connect(url).await.expect("postgres");
        sqlx::query_scalar(sqlx::AssertSqlSafe(sql)).fetch_one(&mut c).await.expect("count")
    } else {
        let mut c = sqlx::SqliteConnection::connect(url).await.expect("sqlite");
        sqlx::query_scalar(sqlx::AssertSqlSafe(sql)).fetch_one(&mut c).await.expect("count")
    }
}

/// A trigger refusing `op` on `table`, the way a full disk or a lost connection would.
fn refuse(url: &str, name: &str, op: &str, table: &str) -> Vec<String> {
    if url.starts_with("postgres") {
        vec![
            "CREATE OR REPLACE FUNCTION injected() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'injected'; END $$".into(),
            format!("CREATE TRIGGER {name} BEFORE {op} ON {table} FOR EACH ROW EXECUTE FUNCTION injected()"),
        ]
    } else {
        vec![format!("CREATE TRIGGER {name} BEFORE {op} ON {table} BEGIN SELECT RAISE(ABORT, 'injected'); END")]
    }
}

fn drop_trigger(url: &str, name: &str, table: &str) -> String {
    if url.starts_with("postgres") {
        format!("DROP TRIGGER {name} ON {table}")
    } else {
        format!("DROP TRIGGER {name}")
    }
}

#[tokio::test]
async fn serve_demo_after_admin_create_loads_the_region_and_a_second_start_reuses_it() {
    let dir = temp_dir();
    let url = fresh_target(dir.path()).await;
    let (ok, _, err) = cli(dir.path(), &url, &["admin", "create", "--login", "admin", "--password", "a-long-password"]);
    assert!(ok, "{err}");

    let (first, printed, port) = start_server(dir.path(), &url, &["--demo"]);
    assert!(printed.contains("Demo region loaded"), "{printed}");
    assert!(!printed.contains("demo-admin") && printed.contains("demo-coordinator"), "only passwords that work are printed: {printed}");
    let http = reqwest::Client::new();
    let login = serde_json::json!({"login": "coordinator", "password": "demo-coordinator"});
    let signed_in = http.post(format!("http://127.0.0.1:{port}/api/v1/auth/login")).json(&login).send().await.unwrap();
    assert!(signed_in.status().is_success(), "the demo coordinator signs in");
    stop(first);
    // The admin made first is kept; the demo adds its six other logins.
    assert_eq!(count(&url, "users").await, 7);

    let (second, printed, _) = start_server(dir.path(), &url, &["--demo"]);
    stop(second);
    assert!(printed.contains("already present"), "{printed}");
    assert_eq!(count(&url, "teams").await, 76, "one region after two starts");
}

#[tokio::test]
async fn a_demo_load_that_fails_half_way_leaves_nothing_and_a_cut_off_one_is_redone() {
    let dir = temp_dir();
    let url = fresh_target(dir.path()).await;
    let demo = ["demo", "--volunteers", "300", "--beneficiaries", "20", "--needs", "0"];
    assert!(cli(dir.path(), &url, &["admin", "create", "--login", "chief", "--password", "a-long-password"]).0);

    let audited = count(&url, "audit_log").await;
    // The region is written, then its needs are refused.
    let statements = refuse(&url, "no_needs", "INSERT", "needs");
    execute(&url, &statements.iter().map(String::as_str).collect::<Vec<_>>()).await;
    let (ok, _, err) = cli(dir.path(), &url, &demo);
    assert!(!ok && err.contains("injected"), "{err}");
    for table in ["districts", "units", "teams", "volunteers", "volunteer_teams", "beneficiaries", "needs"] {
        assert_eq!(count(&url, table).await, 0, "{table} keeps nothing of the failed load");
    }
    assert_eq!(count(&url, "users").await, 1, "only the admin made first");
    assert_eq!(count(&url, "audit_log").await, audited, "no marker is left either");

    // A load cut off before it could take itself back: the next one does.
    let statements = refuse(&url, "no_undo", "DELETE", "districts");
    execute(&url, &statements.iter().map(String::as_str).collect::<Vec<_>>()).await;
    let (ok, _, _) = cli(dir.path(), &url, &demo);
    assert!(!ok);
    assert!(count(&url, "districts").await > 0, "the half-written region is still there");
    execute(&url, &[&drop_trigger(&url, "no_needs", "needs"), &drop_trigger(&url, "no_undo", "districts")]).await;

    let (ok, out, err) = cli(dir.path(), &url, &demo);
    assert!(ok, "{err}");
    assert!(out.contains("demo region loaded"), "{out}");
    let (ok, out, _) = cli(dir.path(), &url, &["export", "teams", "--out", "teams.xlsx"]);
    assert!(ok && out.starts_with("76 rows"), "one whole region: {out}");
    assert_eq!(count(&url, "users").await, 8, "the admin made first and the seven demo logins");
}
