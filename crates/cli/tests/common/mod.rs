//! Driving the real `tongxing` binary from tests: a command with a clean
//! environment, a fresh database (PostgreSQL when TEST_DATABASE_URL names one),
//! and a server started on a free loopback port.
#![allow(dead_code)]

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use assert_cmd::cargo::CommandCargoExt;
use rand::RngCore;

pub fn tongxing(dir: &Path, db_url: &str) -> Command {
    let mut c = Command::cargo_bin("tongxing").expect("binary built");
    c.current_dir(dir).env("TONGXING_DATABASE_URL", db_url).env("TONGXING_DATA_DIR", dir.join("data")).env("TONGXING_LOG_FORMAT", "text");
    c.env_remove("TONGXING_CONFIG").env_remove("TONGXING_SECRET_KEY");
    c
}

pub fn run(mut c: Command) -> (bool, String, String) {
    let out = c.output().expect("runs");
    (out.status.success(), String::from_utf8_lossy(&out.stdout).into_owned(), String::from_utf8_lossy(&out.stderr).into_owned())
}

pub fn temp_dir() -> tempfile::TempDir {
    tempfile::tempdir().expect("temp dir")
}

pub fn sqlite_url(dir: &Path, name: &str) -> String {
    format!("sqlite://{}", dir.join(name).display())
}

/// A fresh PostgreSQL database when TEST_DATABASE_URL names a server, else a fresh SQLite file.
pub async fn fresh_target(dir: &Path) -> String {
    match std::env::var("TEST_DATABASE_URL") {
        Ok(url) if url.starts_with("postgres") => {
            use sqlx::Connection;
            let mut b = [0u8; 6];
            rand::thread_rng().fill_bytes(&mut b);
            let name = format!("tx_cli_{}", b.iter().map(|x| format!("{x:02x}")).collect::<String>());
            let mut conn = sqlx::PgConnection::connect(&url).await.expect("TEST_DATABASE_URL reachable");
            sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}"))).execute(&mut conn).await.expect("create database");
            format!("{}/{name}", url.rsplit_once('/').unwrap().0)
        }
        _ => sqlite_url(dir, "target.db"),
    }
}

/// Starts `tongxing serve` with `args` on a free port and returns it with
/// everything it printed up to "running".
pub fn start_server(dir: &Path, url: &str, args: &[&str]) -> (Child, String, u16) {
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let mut c = tongxing(dir, url);
    c.arg("serve").args(args).args(["--listen", &format!("127.0.0.1:{port}")]).stdout(Stdio::piped()).stderr(Stdio::null());
    let mut child = c.spawn().expect("server starts");
    let mut printed = String::new();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let deadline = Instant::now() + Duration::from_secs(300);
    while Instant::now() < deadline {
        match lines.next() {
            Some(Ok(line)) => {
                printed.push_str(&line);
                printed.push('\n');
                if line.contains("is running at") {
                    break;
                }
            }
            _ => break,
        }
    }
    (child, printed, port)
}

pub fn stop(mut child: Child) {
    let _ = Command::new("kill").args(["-TERM", &child.id().to_string()]).status();
    let deadline = Instant::now() + Duration::from_secs(20);
    while Instant::now() < deadline {
        if let Ok(Some(_)) = child.try_wait() {
            return;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    let _ = child.kill();
}
