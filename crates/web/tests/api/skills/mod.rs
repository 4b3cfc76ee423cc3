//! 技能传承 over HTTP, on whichever database the run uses, by concern:
//! the certification ladder and eligibility, training, competitions, 师带徒
//! and the front-line problem board with its exclusive claim.

mod competitions;
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

/// A new person of unit 0; their id.
pub(super) async fn person(app: &TestApp, name: &str, phone: &str) -> i64 {
    let mut b = app.new_volunteer(phone);
    b["name"] = json!(name);
    let r = app.post(Role::Coordinator, "/api/v1/volunteers", &b).await;
    assert_eq!(r.status(), StatusCode::CREATED);
    body(r).await["id"].as_i64().unwrap()
}
