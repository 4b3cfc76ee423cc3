//! The scope walk: every write endpoint of /api/v1, as every role, against
//! another unit's and another team's objects — and against objects within
//! reach whose bodies point outside it. Each request must be refused (403
//! or 404, as the document lists for the operation) and leave the database
//! as it was: the whole dump is compared, so a write that slipped through,
//! even in part (one of several people committed, an audit line), shows.
//! A new write endpoint fails `every_write_of_the_document_is_walked`
//! until it has its rows in `structure.rs` or `work.rs` (or a reason in `rows::EXEMPT`).

mod campaigns;
mod care;
mod childcare;
mod honours;
mod report_in;
mod rows;
mod skills;
mod structure;
mod work;
mod world;

use std::collections::BTreeSet;

use serde_json::{json, Value};
use tongxing_domain::role::Role;

use crate::helpers::{body, spawn_app, TestApp};
use rows::{rows, Body, Expect, Row, EXEMPT};
use world::World;

/// What a PNG begins with: enough for an attachment's check of its type.
pub(super) const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR";

/// The roster's heading line, as `tests/api/import.rs` uses it.
const HEADING: &str = "姓名,手机号,身份证号,单位,小区,服务队,技能,是否党员";

/// The whole database but sessions and rate-limit counters, one line per row.
async fn snapshot(app: &TestApp) -> Vec<String> {
    let mut out = Vec::new();
    tongxing_store::dump::dump(&app.svc.db, json!({}), &mut out).await.unwrap();
    String::from_utf8(out).unwrap().lines().skip(1).map(str::to_string).collect()
}

/// What changed between two snapshots, a few lines of each side.
fn changes(before: &[String], after: &[String]) -> Vec<String> {
    let (b, a): (BTreeSet<&String>, BTreeSet<&String>) = (before.iter().collect(), after.iter().collect());
    let gone = b.difference(&a).take(3).map(|l| format!("    - {l}"));
    let came = a.difference(&b).take(3).map(|l| format!("    + {l}"));
    gone.chain(came).collect()
}

async fn send(app: &TestApp, role: Role, row: &Row) -> reqwest::Response {
    let url = app.url(&row.path);
    let req = match row.method() {
        "PUT" => app.api.put(url),
        "DELETE" => app.api.delete(url),
        _ => app.api.post(url),
    }
    .bearer_auth(app.token(role));
    let req = match &row.body {
        Body::Json(v) => req.json(v),
        Body::Roster(line) => {
            let part = reqwest::multipart::Part::bytes(format!("{HEADING}\n{line}\n").into_bytes()).file_name("名单.csv");
            req.multipart(reqwest::multipart::Form::new().part("file", part))
        }
        Body::ReportSheet(line) => {
            let part = reqwest::multipart::Part::bytes(format!("手机号,报到小区\n{line}\n").into_bytes()).file_name("报到.csv");
            req.multipart(reqwest::multipart::Form::new().part("file", part))
        }
        Body::EnrolmentSheet(line) => {
            let heading = "班级,孩子姓名,出生日期,家长姓名,家长手机号,工作单位,接送人1姓名,接送人1关系,接送人1手机号";
            let part = reqwest::multipart::Part::bytes(format!("{heading}\n{line}\n").into_bytes()).file_name("报名.csv");
            req.multipart(reqwest::multipart::Form::new().part("file", part))
        }
        Body::CertificationSheet(line) => {
            let part = reqwest::multipart::Part::bytes(format!("手机号,工种,等级,发证日期,证书编号,发证机关\n{line}\n").into_bytes())
                .file_name("证书.csv");
            req.multipart(reqwest::multipart::Form::new().part("file", part))
        }
        Body::Attachment(step) => {
            let part = reqwest::multipart::Part::bytes(PNG.to_vec()).file_name("图纸.png");
            req.multipart(reqwest::multipart::Form::new().text("step", *step).part("file", part))
        }
        Body::None if row.method() == "DELETE" => req,
        Body::None => req.json(&json!({})),
    };
    req.send().await.unwrap()
}

/// Whether the document lists `status` for the row's operation.
fn documented(doc: &Value, row: &Row, status: u16) -> bool {
    let op = &doc["paths"][row.template()][row.method().to_lowercase()];
    op["responses"].get(status.to_string()).is_some()
}

/// Whether an answer is a refusal: 403 or 404 with API.md's error body, as
/// the document lists it — or, for a roster, a report refusing every line
/// and writing nothing (a liaison's upload is read, its lines judged).
fn refused(doc: &Value, row: &Row, status: u16, text: &str) -> bool {
    let b: Value = serde_json::from_str(text).unwrap_or(Value::Null);
    match status {
        403 | 404 => documented(doc, row, status) && b["error"]["code"].is_string(),
        200 if [
            "/api/v1/volunteers/import",
            "/api/v1/report-ins/import",
            "/api/v1/childcare/enrolments/import",
            "/api/v1/skills/certifications/import",
        ]
        .contains(&row.template()) =>
        {
            b["committed"] == json!(false) && b["errors"].as_array().is_some_and(|e| !e.is_empty())
        }
        _ => false,
    }
}

/// Sends every row `pick` chooses as every role outside its `within`, and
/// fails with each request that was not refused or changed the database.
async fn walk(pick: impl Fn(&str) -> bool) {
    let app = spawn_app().await;
    let world = World::build(&app).await;
    let doc = body(app.api.get(app.url("/api/v1/openapi.json")).send().await.unwrap()).await;
    let mut before = snapshot(&app).await;
    let (mut sent, mut failures) = (0, Vec::new());
    for row in rows(&world).into_iter().filter(|r| pick(r.template())) {
        for role in Role::ALL.into_iter().filter(|r| !row.within.contains(r)) {
            let resp = send(&app, role, &row).await;
            let status = resp.status().as_u16();
            let text = resp.text().await.unwrap_or_default();
            let answered = match row.expect {
                Expect::Refused => refused(&doc, &row, status, &text),
                Expect::NoEffect => (200..300).contains(&status),
            };
            let after = snapshot(&app).await;
            let changed = changes(&before, &after);
            if !answered || !changed.is_empty() {
                let text: String = text.chars().take(200).collect();
                failures.push(format!("{role:?} {} {} ({}): {status} {text}\n{}", row.method(), row.path, row.why, changed.join("\n")));
                before = after;
            }
            sent += 1;
        }
    }
    assert!(sent > 0, "the walk sent nothing");
    assert!(failures.is_empty(), "{} of {sent} requests were not refused cleanly:\n{}", failures.len(), failures.join("\n"));
}

fn under(template: &str, roots: &[&str]) -> bool {
    roots.iter().any(|r| template.strip_prefix("/api/v1/").is_some_and(|t| t.split('/').next() == Some(*r)))
}

#[tokio::test]
async fn every_write_of_the_document_is_walked() {
    let app = spawn_app().await;
    let doc = body(app.api.get(app.url("/api/v1/openapi.json")).send().await.unwrap()).await;
    let mut writes = BTreeSet::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for method in ["post", "put", "patch", "delete"] {
            if item.get(method).is_some() {
                writes.insert(format!("{} {path}", method.to_uppercase()));
            }
        }
    }
    let table = rows(&World::default());
    let mut covered: BTreeSet<String> = table.iter().map(|r| r.op.clone()).collect();
    covered.extend(EXEMPT.iter().map(|(op, _)| op.to_string()));
    let missing: Vec<&String> = writes.difference(&covered).collect();
    assert!(
        missing.is_empty(),
        "write operations with no row in tests/api/scope_walk/ (structure.rs, work.rs) nor in rows::EXEMPT: {missing:#?}"
    );
    let stale: Vec<&String> = covered.difference(&writes).collect();
    assert!(stale.is_empty(), "rows for operations the document does not have: {stale:#?}");
    for r in &table {
        assert!(Role::ALL.iter().any(|role| !r.within.contains(role)), "{} ({}) refuses nobody", r.op, r.why);
    }
}

#[tokio::test]
async fn no_role_reaches_past_its_scope_in_the_registry() {
    walk(|t| under(t, &["districts", "communities", "units", "teams", "beneficiaries", "volunteers", "registrations"])).await;
}

#[tokio::test]
async fn no_role_reaches_past_its_scope_in_report_in() {
    walk(|t| under(t, &["party-orgs", "report-ins"])).await;
}

#[tokio::test]
async fn no_role_reaches_past_its_scope_in_the_needs_marketplace() {
    walk(|t| under(t, &["needs"])).await;
}

#[tokio::test]
async fn no_role_reaches_past_its_scope_in_activities_and_hours() {
    walk(|t| under(t, &["activities", "hours", "calendar-feeds"])).await;
}

#[tokio::test]
async fn no_role_reaches_past_its_scope_in_emergency_dispatch() {
    walk(|t| under(t, &["dispatches"])).await;
}

#[tokio::test]
async fn no_role_reaches_past_its_scope_in_accounts_notifications_and_the_outbox() {
    walk(|t| under(t, &["users", "notifications", "outbox"])).await;
}

#[tokio::test]
async fn no_role_reaches_past_its_scope_in_campaigns_and_the_project_catalogue() {
    walk(|t| under(t, &["campaigns", "projects"])).await;
}

#[tokio::test]
async fn no_role_reaches_past_its_scope_in_childcare() {
    walk(|t| under(t, &["childcare"])).await;
}

#[tokio::test]
async fn no_role_reaches_past_its_scope_in_skills() {
    walk(|t| under(t, &["trades", "people", "trainings", "competitions", "mentorships", "problems", "skills"])).await;
}

#[tokio::test]
async fn no_role_reaches_past_its_scope_in_care() {
    walk(|t| under(t, &["care"])).await;
}

#[tokio::test]
async fn no_role_reaches_past_its_scope_in_recognition() {
    walk(|t| under(t, &["honours"])).await;
}

#[tokio::test]
async fn no_role_reaches_past_its_scope_in_the_dashboard() {
    walk(|t| under(t, &["stats"])).await;
}

#[tokio::test]
async fn every_walked_operation_belongs_to_one_of_the_walks() {
    let roots = [
        "districts",
        "communities",
        "units",
        "teams",
        "beneficiaries",
        "volunteers",
        "registrations",
        "care",
        "needs",
        "activities",
        "hours",
        "calendar-feeds",
        "dispatches",
        "users",
        "notifications",
        "outbox",
        "party-orgs",
        "report-ins",
        "projects",
        "campaigns",
        "childcare",
        "trades",
        "people",
        "trainings",
        "competitions",
        "mentorships",
        "problems",
        "skills",
        "honours",
        "stats",
    ];
    for r in rows(&World::default()) {
        assert!(under(r.template(), &roots), "{} is in no walk: add its first path segment to one", r.op);
    }
}
