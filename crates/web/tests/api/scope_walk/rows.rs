//! The table: for every write of /api/v1, requests aimed outside a role's
//! reach — at another unit's or another team's object, or at an object
//! within reach with a body whose references (unit, teams, volunteers, the
//! team that claims) lie outside it. A row names the roles it is within
//! reach of by design; every other role must be refused.

use serde_json::{json, Value};
use tongxing_domain::role::Role;
use tongxing_domain::role::Role::{Admin, Coordinator};

use super::world::World;

/// What a refused request must have left: nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expect {
    /// 403 or 404 (whichever the document lists), the database unchanged.
    Refused,
    /// A write on the caller's own records only, of which the world's
    /// accounts have none to change: 2xx, the database unchanged.
    NoEffect,
}

#[derive(Debug, Clone)]
pub enum Body {
    Json(Value),
    /// A roster upload (multipart field `file`, a .csv of one heading and these lines).
    Roster(&'static str),
    /// A sheet of reports to a community (报到): heading 手机号,报到小区 and these lines.
    ReportSheet(&'static str),
    /// A childcare enrolment sheet: heading 班级,孩子姓名,出生日期,家长姓名,家长手机号,工作单位,接送人1姓名,接送人1关系,接送人1手机号 and these lines.
    EnrolmentSheet(&'static str),
    /// A sheet of certifications: heading 手机号,工种,等级,发证日期,证书编号,发证机关 and these lines.
    CertificationSheet(&'static str),
    /// A problem's attachment: multipart `step` and `file`, a PNG's first bytes.
    Attachment(&'static str),
    None,
}

#[derive(Debug, Clone)]
pub struct Row {
    /// `METHOD /path/{param}` as the OpenAPI document names the operation.
    pub op: String,
    /// What lies outside the caller's reach.
    pub why: &'static str,
    pub path: String,
    pub body: Body,
    /// The roles this request is within reach of: not sent.
    pub within: &'static [Role],
    pub expect: Expect,
}

impl Row {
    pub fn method(&self) -> &str {
        self.op.split_once(' ').unwrap().0
    }
    pub fn template(&self) -> &str {
        self.op.split_once(' ').unwrap().1
    }
}

/// Writes left out of the walk, and why none of them can reach past a scope.
pub const EXEMPT: &[(&str, &str)] = &[
    ("POST /api/v1/auth/login", "public: it proves who the caller is and writes only that person's session"),
    ("POST /api/v1/auth/logout", "ends the session of the token it is sent with, and nothing else"),
    ("POST /api/v1/needs", "public: anyone may ask for help; its one reference, the community, is the region's public structure"),
    ("POST /api/v1/dispatches/answers/{token}", "public: the link's secret names one person's answer on one call, and is the proof"),
    ("POST /api/v1/registrations/code", "public: sends a code to the phone it names, rate-limited; nothing else changes"),
    ("POST /api/v1/registrations", "public: an application waits for someone within reach of its unit or teams to decide it"),
    (
        "POST /api/v1/childcare/classes/{id}/enrolments",
        "public: a guardian enrols a child with no account; the class's places are the only limit",
    ),
    (
        "POST /api/v1/childcare/enrolments/{code}/cancel",
        "public: the code and the guardian's mobile together are the proof, and reach one enrolment",
    ),
    (
        "POST /api/v1/childcare/enrolments/{code}/rating",
        "public: the code and the guardian's mobile together are the proof, and rate one class once",
    ),
    (
        "POST /api/v1/childcare/enrolments/{code}/absences",
        "public: the code and the guardian's mobile together are the proof, and excuse one child on a class day",
    ),
    ("POST /api/v1/honours/rounds/{id}/objections", "public: anyone may object during a notice; the center investigates it, rate-limited"),
];

pub(super) const CENTER: &[Role] = &[Admin, Coordinator];
pub(super) const ADMIN: &[Role] = &[Admin];
pub(super) const NOBODY: &[Role] = &[];

pub(super) fn row(op: impl Into<String>, why: &'static str, path: String, body: Body, within: &'static [Role]) -> Row {
    Row { op: op.into(), why, path, body, within, expect: Expect::Refused }
}

pub(super) fn json_row(op: impl Into<String>, why: &'static str, path: String, body: Value, within: &'static [Role]) -> Row {
    row(op, why, path, Body::Json(body), within)
}

/// Every row, for the world `w`.
pub fn rows(w: &World) -> Vec<Row> {
    let mut all = super::structure::registry(w);
    all.extend(super::structure::volunteers(w));
    all.extend(super::structure::accounts(w));
    all.extend(super::work::needs(w));
    all.extend(super::work::activities(w));
    all.extend(super::work::dispatch(w));
    all.extend(super::report_in::rows(w));
    all.extend(super::structure::catalogue(w));
    all.extend(super::campaigns::campaigns(w));
    all.extend(super::childcare::rows(w));
    all.extend(super::skills::rows(w));
    all.extend(super::care::rows(w));
    all.extend(super::honours::honours(w));
    all.push(row(
        "POST /api/v1/stats/months/{month}/close",
        "closing a month of the region's figures: the center only",
        "/api/v1/stats/months/2026-03/close".into(),
        Body::None,
        CENTER,
    ));
    all.push(json_row(
        "POST /api/v1/registrations/{id}/decision",
        "an application to join unit 1's team 1",
        format!("/api/v1/registrations/{}/decision", w.application),
        json!({"decision": "approve"}),
        CENTER,
    ));
    all
}
