//! 技能传承 over HTTP, on whichever database the run uses, by concern:
//! the certification ladder and eligibility, training, competitions, 师带徒
//! and the front-line problem board with its exclusive claim.

mod attachments;
mod competitions;
mod due_days;
mod import;
mod ladder;
mod mentoring;
mod merges;
mod problems;
mod reminders;

use chrono::Duration;
use reqwest::StatusCode;
use serde_json::{json, Value};
use tongxing_domain::role::Role;

use crate::helpers::{body, TestApp};

pub(super) fn today() -> chrono::NaiveDate {
    (chrono::Utc::now() + Duration::hours(8)).date_naive()
}

pub(super) async fn trade(app: &TestApp, code: &str, name: &str, rules: Value) {
    let r = app.post(Role::Coordinator, "/api/v1/trades", &json!({"code": code, "name": name, "rules": rules})).await;
    assert_eq!(r.status(), StatusCode::CREATED);
}

pub(super) async fn certify(app: &TestApp, role: Role, person: i64, b: Value) -> reqwest::Response {
    app.post(role, &format!("/api/v1/people/{person}/certifications"), &b).await
}

pub(super) fn cert(trade: &str, level: &str, on: &str, no: &str) -> Value {
    json!({"trade": trade, "level": level, "certified_on": on, "certificate_no": no, "issuer": "胜利油田职业技能鉴定中心"})
}

/// The level and day kept as a person's highest in a trade (what the
/// eligibility list reads), read from the store.
pub(super) async fn kept_highest(app: &TestApp, person: i64, code: &str) -> Option<(i64, String)> {
    let db = &app.svc.db;
    let trade = tongxing_store::skills::ladder::trade_by_code(db, code).await.unwrap().expect("the trade exists");
    tongxing_store::skills::ladder::highest(db, person, trade.id).await.unwrap()
}

/// A new person of unit 0; their id.
pub(super) async fn person(app: &TestApp, name: &str, phone: &str) -> i64 {
    let mut b = app.new_volunteer(phone);
    b["name"] = json!(name);
    let r = app.post(Role::Coordinator, "/api/v1/volunteers", &b).await;
    assert_eq!(r.status(), StatusCode::CREATED);
    body(r).await["id"].as_i64().unwrap()
}
