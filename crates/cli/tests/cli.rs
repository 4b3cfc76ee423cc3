//! The real `tongxing` binary, driven as an operator would.

mod common;

use std::path::Path;

use common::{fresh_target, run, sqlite_url, start_server, stop, temp_dir, tongxing};

#[test]
fn config_example_prints_a_documented_file() {
    let dir = temp_dir();
    let (ok, out, _) = run({
        let mut c = tongxing(dir.path(), "sqlite://x.db");
        c.args(["config", "example"]);
        c
    });
    assert!(ok);
    assert!(out.contains("database_url = \"sqlite://data/tongxing.db\""));
    assert!(out.contains("listen = \"127.0.0.1:8080\""));
}

#[test]
fn unknown_schemes_and_bare_paths_are_refused_with_the_right_form() {
    let dir = temp_dir();
    for url in ["mysql://root@127.0.0.1/test", "/var/lib/tongxing.db", "data/tongxing.db"] {
        let mut c = tongxing(dir.path(), url);
        c.arg("migrate");
        let (ok, _, err) = run(c);
        assert!(!ok, "{url} must be refused");
        assert!(err.contains("unsupported database URL") && err.contains("sqlite://"), "{url}: {err}");
    }
}

#[test]
fn an_admin_created_on_the_command_line_exists_once() {
    let dir = temp_dir();
    let url = sqlite_url(dir.path(), "a.db");
    let create = || {
        let mut c = tongxing(dir.path(), &url);
        c.args(["admin", "create", "--login", "chief", "--password", "a-long-password"]);
        run(c)
    };
    let (ok, out, err) = create();
    assert!(ok, "{err}");
    assert!(out.contains("admin chief created"));
    let (ok, _, err) = create();
    assert!(!ok && err.contains("cannot create chief"), "{err}");
}

#[test]
fn serve_demo_prints_the_logins_and_a_second_start_reuses_the_region() {
    let dir = temp_dir();
    let url = sqlite_url(dir.path(), "demo.db");
    let (first, printed, port) = start_server(dir.path(), &url, &["--demo"]);
    assert!(printed.contains("Demo region loaded"), "{printed}");
    for login in ["admin", "coordinator", "liaison", "leader", "volunteer"] {
        assert!(printed.contains(&format!("demo-{login}")), "{login} missing: {printed}");
    }
    let mut check = tongxing(dir.path(), &url);
    check.args(["healthcheck", "--url", &format!("http://127.0.0.1:{port}/readyz")]);
    assert!(run(check).0, "healthcheck passes while serving");
    stop(first);

    let (second, printed, _) = start_server(dir.path(), &url, &["--demo"]);
    stop(second);
    assert!(printed.contains("already present"), "{printed}");
    let mut export = tongxing(dir.path(), &url);
    export.args(["export", "teams", "--out", "teams.xlsx"]);
    let (ok, out, err) = run(export);
    assert!(ok, "{err}");
    assert!(out.starts_with("76 rows"), "exactly 76 teams after two starts: {out}");
}

#[test]
fn a_healthcheck_of_nothing_fails() {
    let dir = temp_dir();
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let mut c = tongxing(dir.path(), "sqlite://x.db");
    c.args(["healthcheck", "--url", &format!("http://127.0.0.1:{port}/readyz")]);
    assert!(!run(c).0);
}

fn demo_db(dir: &Path, url: &str) {
    let mut c = tongxing(dir, url);
    c.args(["demo", "--volunteers", "300", "--beneficiaries", "20"]);
    let (ok, _, err) = run(c);
    assert!(ok, "{err}");
}

#[test]
fn backup_copies_a_live_sqlite_database() {
    let dir = temp_dir();
    let url = sqlite_url(dir.path(), "live.db");
    demo_db(dir.path(), &url);
    let mut c = tongxing(dir.path(), &url);
    c.args(["backup", "copy.db"]);
    let (ok, _, err) = run(c);
    assert!(ok, "{err}");
    let mut export = tongxing(dir.path(), &sqlite_url(dir.path(), "copy.db"));
    export.args(["export", "volunteers", "--out", "v.xlsx"]);
    let (ok, out, err) = run(export);
    assert!(ok, "{err}");
    assert!(out.starts_with("300 rows"), "{out}");
}

#[tokio::test]
async fn a_region_moves_from_sqlite_to_the_test_database_and_keeps_working() {
    let dir = temp_dir();
    let source = sqlite_url(dir.path(), "source.db");
    demo_db(dir.path(), &source);
    let mut dump = tongxing(dir.path(), &source);
    dump.args(["dump", "region.jsonl"]);
    let (ok, _, err) = run(dump);
    assert!(ok, "{err}");

    let target = fresh_target(dir.path()).await;
    let mut restore = tongxing(dir.path(), &target);
    restore.args(["restore", "region.jsonl"]);
    let (ok, out, err) = run(restore);
    assert!(ok, "{err}");
    assert!(out.contains("rows restored"));

    // Sequences moved past the restored ids: new rows can be created.
    let mut admin = tongxing(dir.path(), &target);
    admin.args(["admin", "create", "--login", "after-move", "--password", "a-long-password"]);
    let (ok, _, err) = run(admin);
    assert!(ok, "a new account after restore: {err}");

    let mut again = tongxing(dir.path(), &target);
    again.args(["restore", "region.jsonl"]);
    let (ok, _, err) = run(again);
    assert!(!ok && err.contains("not empty"), "a second restore is refused: {err}");

    // Another key cannot read the ID numbers, so the restore refuses it.
    let other = temp_dir();
    let mut wrong_key = tongxing(other.path(), &sqlite_url(other.path(), "t.db"));
    wrong_key.args(["restore", &dir.path().join("region.jsonl").display().to_string()]);
    let (ok, _, err) = run(wrong_key);
    assert!(!ok && err.contains("another secret key"), "{err}");
}

#[test]
fn the_cli_imports_a_roster_and_reports_bad_lines() {
    let dir = temp_dir();
    let url = sqlite_url(dir.path(), "import.db");
    demo_db(dir.path(), &url);
    let mut admin = tongxing(dir.path(), &url);
    admin.args(["admin", "create", "--login", "importer", "--password", "a-long-password"]);
    assert!(run(admin).0);
    let csv = "姓名,手机号,单位,小区,是否党员\n刘一,16600000001,现河采油厂,雅苑小区,是\n陈二,12345,现河采油厂,雅苑小区,否\n";
    std::fs::write(dir.path().join("r.csv"), csv).unwrap();
    let mut strict = tongxing(dir.path(), &url);
    strict.args(["import", "r.csv"]);
    let (ok, out, err) = run(strict);
    assert!(!ok, "a file with errors fails: {out}");
    assert!(err.contains("line 3: phone"), "{err}");
    assert!(out.contains("0 created") && out.contains("nothing written"), "{out}");
    let mut partial = tongxing(dir.path(), &url);
    partial.args(["import", "r.csv", "--partial"]);
    let (ok, out, err) = run(partial);
    assert!(ok, "{err}");
    assert!(out.contains("1 created") && out.contains("committed"), "{out}");
}

/// Every row of `table` in a `tongxing dump`, as its values in column order.
fn dumped<'a>(dump: &'a [serde_json::Value], table: &'a str) -> impl Iterator<Item = &'a Vec<serde_json::Value>> + 'a {
    dump.iter().filter(move |l| l["t"] == table).filter_map(|l| l["r"].as_array())
}

#[tokio::test]
async fn demo_needs_write_a_past_year_in_bulk_with_histories_the_server_agrees_with() {
    let dir = temp_dir();
    let url = fresh_target(dir.path()).await;
    let mut demo = tongxing(dir.path(), &url);
    demo.args(["demo", "--volunteers", "300", "--beneficiaries", "20", "--needs", "2000"]);
    let (ok, out, err) = run(demo);
    assert!(ok, "{err}");
    assert!(out.contains("2000 needs of a past year written"), "{out}");

    // The warning levels written are the ones the server computes.
    let mut recompute = tongxing(dir.path(), &url);
    recompute.args(["needs", "recompute"]);
    let (ok, out, err) = run(recompute);
    assert!(ok && out.contains(": 0 changed"), "{out} {err}");

    let mut dump = tongxing(dir.path(), &url);
    dump.args(["dump", "-"]);
    let (ok, out, err) = run(dump);
    assert!(ok, "{err}");
    let lines: Vec<serde_json::Value> = out.lines().skip(1).map(|l| serde_json::from_str(l).expect("a JSON line")).collect();
    // id → status, for the demo's 300 needs, the year's 2,000 and the five
    // 爱心守护 concerns the demo turns into needs.
    let needs: std::collections::HashMap<i64, String> =
        dumped(&lines, "needs").map(|r| (r[0].as_i64().unwrap(), r[11].as_str().unwrap().to_string())).collect();
    assert_eq!(needs.len(), 2300 + tongxing_demo::care::CONCERNS_TO_NEEDS);
    for s in ["submitted", "published", "claimed", "completed", "rated", "rejected", "cancelled"] {
        assert!(needs.values().any(|v| v == s), "{s} missing");
    }
    let rated = needs.values().filter(|s| *s == "rated").count();
    assert!(rated > 1200, "a past year is mostly rated: {rated}");
    for r in dumped(&lines, "needs").filter(|r| !r[16].is_null()) {
        assert!(needs.contains_key(&r[16].as_i64().unwrap()), "merged into a stored need");
    }
    // Each history starts at submission and ends at the need's status.
    let mut history: std::collections::HashMap<i64, Vec<String>> = Default::default();
    for e in dumped(&lines, "need_events") {
        history.entry(e[1].as_i64().unwrap()).or_default().push(e[3].as_str().unwrap().to_string());
    }
    for (id, status) in &needs {
        let h = &history[id];
        assert_eq!((h[0].as_str(), h.last().unwrap()), ("submitted", status), "need {id}: {h:?}");
    }
    let served: Vec<i64> = dumped(&lines, "hours_entries").filter(|h| h[2] == "need_service").map(|h| h[3].as_i64().unwrap()).collect();
    assert!(served.len() > 1000, "served needs credit hours: {}", served.len());
    assert!(served.iter().all(|n| matches!(needs[n].as_str(), "completed" | "rated")));
}

fn is_true(v: &serde_json::Value) -> bool {
    v.as_bool().unwrap_or(v.as_i64() == Some(1))
}

#[tokio::test]
async fn the_demo_holds_a_year_of_activities_and_volunteers_with_star_hours() {
    let dir = temp_dir();
    let url = fresh_target(dir.path()).await;
    let mut demo = tongxing(dir.path(), &url);
    demo.arg("demo");
    let (ok, out, err) = run(demo);
    assert!(ok, "{err}");
    assert!(out.contains("a year of 1000 activities"), "{out}");
    let mut dump = tongxing(dir.path(), &url);
    dump.args(["dump", "-"]);
    let (ok, out, err) = run(dump);
    assert!(ok, "{err}");
    let lines: Vec<serde_json::Value> = out.lines().skip(1).map(|l| serde_json::from_str(l).expect("a JSON line")).collect();
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_millis() as i64;
    let activities: Vec<&Vec<serde_json::Value>> = dumped(&lines, "activities").collect();
    // 子女照辅班's caretaker shifts (one activity per class day, issue #16) are the programme's own, counted apart.
    let shifts: std::collections::HashSet<i64> = dumped(&lines, "childcare_shifts").map(|s| s[2].as_i64().unwrap()).collect();
    assert_eq!(shifts.len(), 16 * 30 * 2, "a shift for each of the 16 classes' 30 days, in the summer term and the winter term's rota");
    let ended = activities.iter().filter(|a| a[11].as_i64().unwrap() <= now && !shifts.contains(&a[0].as_i64().unwrap())).count();
    assert!((950..=1100).contains(&ended), "about a thousand activities in the past year: {ended}");
    assert!(activities.iter().any(|a| a[10].as_i64().unwrap() > now), "some open for sign-up");
    let themes: std::collections::HashSet<&str> = activities.iter().filter_map(|a| a[9].as_str()).collect();
    assert_eq!(themes.len(), 5, "every campaign theme: {themes:?}");
    assert!(dumped(&lines, "service_projects").count() >= 100, "a catalogue of 100+ projects");
    // The catalogue's fields: theme (5), typical minutes (7), what to bring (12), retired_at (15).
    let projects: Vec<&Vec<serde_json::Value>> = dumped(&lines, "service_projects").collect();
    assert!(projects.iter().all(|p| p[5].is_string() && p[7].as_i64().is_some() && p[12].is_string()), "every project stated");
    assert_eq!(projects.iter().filter(|p| !p[15].is_null()).count(), 6, "several retired");
    // The counters the capacity guard keeps match the sign-ups, and never pass capacity.
    let mut confirmed: std::collections::HashMap<i64, i64> = Default::default();
    for s in dumped(&lines, "signups").filter(|s| s[4] == "confirmed") {
        *confirmed.entry(s[1].as_i64().unwrap()).or_default() += 1;
    }
    for a in &activities {
        let n = confirmed.get(&a[0].as_i64().unwrap()).copied().unwrap_or(0);
        assert_eq!(a[13].as_i64().unwrap(), n);
        assert!(n <= a[12].as_i64().unwrap());
    }
    assert!(dumped(&lines, "signups").any(|s| s[4] == "waitlisted"));
    assert!(dumped(&lines, "attendance").any(|r| is_true(&r[5])), "check-ins closed by rule");
    assert_eq!(dumped(&lines, "hours_disputes").filter(|d| d[4] == "open").count(), 1);
    // Running totals are the sums of the entries; several volunteers have a star (100 h+).
    let mut sums: std::collections::HashMap<i64, f64> = Default::default();
    for e in dumped(&lines, "hours_entries") {
        *sums.entry(e[1].as_i64().unwrap()).or_default() += e[4].as_f64().unwrap();
    }
    let totals: std::collections::HashMap<i64, f64> =
        dumped(&lines, "hours_totals").map(|t| (t[0].as_i64().unwrap(), t[1].as_f64().unwrap())).collect();
    assert_eq!(totals.len(), sums.len());
    assert!(totals.iter().all(|(v, t)| (sums[v] - t).abs() < 0.01));
    let starred = totals.values().filter(|t| **t >= 100.0).count();
    assert!(starred >= 10, "volunteers with 100 h or more: {starred}");
    let demo_volunteer = dumped(&lines, "users").find(|u| u[1] == "volunteer").and_then(|u| u[6].as_i64()).expect("the volunteer login");
    assert!(totals[&demo_volunteer] >= 100.0, "the demo volunteer has real hours");
}

#[tokio::test]
async fn the_demo_holds_two_past_emergency_calls_with_a_report() {
    let dir = temp_dir();
    let url = fresh_target(dir.path()).await;
    let (server, printed, port) = start_server(dir.path(), &url, &["--demo"]);
    assert!(printed.contains("Demo region loaded"), "{printed}");
    let (base, http) = (format!("http://127.0.0.1:{port}/api/v1"), reqwest::Client::new());
    let login = serde_json::json!({"login": "coordinator", "password": "demo-coordinator"});
    let session: serde_json::Value = http.post(format!("{base}/auth/login")).json(&login).send().await.unwrap().json().await.unwrap();
    let token = session["token"].as_str().expect("a token").to_string();
    let get = |path: String| {
        let (http, token) = (http.clone(), token.clone());
        async move { http.get(path).bearer_auth(token).send().await.unwrap().json::<serde_json::Value>().await.unwrap() }
    };
    let calls = get(format!("{base}/dispatches")).await;
    let items = calls["items"].as_array().expect("a list");
    assert_eq!(items.len(), 2, "{calls}");
    assert!(items.iter().all(|c| c["status"] == "closed" && c["confirmed"].as_i64() <= c["needed"].as_i64()), "{calls}");
    let mut filled = 0;
    for c in items {
        let report = get(format!("{base}/dispatches/{}/report", c["id"])).await;
        let responders = report["responders"].as_array().expect("responders");
        assert!(!responders.is_empty() && report["notified"].as_i64() > report["accepted"].as_i64(), "{report}");
        let per_unit: i64 = report["units"].as_array().unwrap().iter().map(|u| u["notified"].as_i64().unwrap()).sum();
        assert_eq!(per_unit, report["notified"].as_i64().unwrap());
        if let Some(minutes) = report["minutes_to_fill"].as_f64() {
            assert!((10.0..=60.0).contains(&minutes), "{report}");
            assert_eq!(report["confirmed"], report["needed"]);
            filled += 1;
        }
        // The roll call is an activity whose confirmed are the call's.
        let activity = get(format!("{base}/activities/{}", c["activity_id"])).await;
        assert_eq!(activity["confirmed"], c["confirmed"], "{activity}");
    }
    assert_eq!(filled, 1, "the summer call filled, the winter one closed short");
    stop(server);
}
