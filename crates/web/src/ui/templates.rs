//! The page templates (askama, checked at compile time) and their data.

use askama::Template;
use tongxing_domain::model::VolunteerView;
use tongxing_domain::needs::{Need, Status};
use tongxing_domain::permission::{Action, Resource};
use tongxing_service::needs::Tracking;

use super::view::{Cell, Chrome, Field, Pager, SelectFilter};
use crate::api::volunteers::ImportResult;

#[derive(Template)]
#[template(path = "error.html")]
pub struct ErrorPage<'a> {
    pub c: Chrome<'a>,
    pub message: String,
    /// Where "back" leads: the page the visitor came from on this site.
    pub back: String,
}

#[derive(Template)]
#[template(path = "login.html")]
pub struct LoginPage<'a> {
    pub c: Chrome<'a>,
    pub error: Option<String>,
    pub login: String,
    pub next: String,
    /// Why signing in is asked for here, when the page they came for says.
    pub reason: Option<String>,
}

pub struct Stat {
    /// A link only where the viewer's role may look.
    pub href: Option<&'static str>,
    pub value: i64,
    pub label: String,
}

#[derive(Template)]
#[template(path = "list.html")]
pub struct ListPage<'a> {
    pub c: Chrome<'a>,
    pub base: &'static str,
    pub search_id: &'static str,
    pub table_id: &'static str,
    pub q: String,
    pub search_hint: String,
    pub filters: Vec<SelectFilter>,
    pub include_inactive: bool,
    pub total_text: String,
    pub columns: Vec<String>,
    pub rows: Vec<Vec<Cell>>,
    pub pager: Pager,
    /// What the list shows: its 新建 and import buttons follow the permission table on it.
    pub resource: Resource,
    pub new_href: Option<String>,
    pub import_href: Option<String>,
    pub export_href: String,
}

#[derive(Template)]
#[template(path = "form.html")]
pub struct FormPage<'a> {
    pub c: Chrome<'a>,
    pub form_id: &'static str,
    pub action: String,
    pub fields: Vec<Field>,
    pub has_errors: bool,
    pub cancel_href: String,
    pub toggle_action: Option<String>,
    pub toggle_label: String,
    /// Shown to roles that may look but not change.
    pub read_only: bool,
    pub extras: FormExtras,
}

/// What a form for the public adds: an introduction, its own submit wording
/// and the large-text switch (适老化).
#[derive(Default)]
pub struct FormExtras {
    pub intro: Option<String>,
    pub submit_label: Option<String>,
    /// Where the large-text switch leads, and its wording.
    pub text_size: Option<(String, String)>,
}

#[derive(Template)]
#[template(path = "volunteer.html")]
pub struct VolunteerPage<'a> {
    pub c: Chrome<'a>,
    pub v: VolunteerView,
    pub can_edit: bool,
    pub can_reveal: bool,
    /// Their commendations (评选表彰), part of their record.
    pub honours: Vec<tongxing_domain::honours::view::Honour>,
}

#[derive(Template)]
#[template(path = "import.html")]
pub struct ImportPage<'a> {
    pub c: Chrome<'a>,
    pub error: Option<String>,
    pub report: Option<ImportResult>,
    pub file_name: String,
    pub token: String,
    /// Where the form uploads; the commit is at `{base}/commit`.
    pub base: &'static str,
    pub help: String,
    /// Where a blank sheet with the expected headings downloads, if the import offers one.
    pub template: Option<&'static str>,
}

#[derive(Template)]
#[template(path = "audit.html")]
pub struct AuditPage<'a> {
    pub c: Chrome<'a>,
    /// (time, who, action, subject, detail), already formatted.
    pub entries: Vec<(String, String, String, String, String)>,
    pub pager: Pager,
}

#[derive(Template)]
#[template(path = "track.html")]
pub struct TrackPage<'a> {
    pub c: Chrome<'a>,
    pub t: Option<Tracking>,
    pub status_label: String,
    /// (time, status, note), oldest first.
    pub history: Vec<(String, String, Option<String>)>,
    pub can_rate: bool,
    pub rated: Option<String>,
    pub star_options: Vec<(i64, String)>,
    pub error: Option<String>,
}

fn stars(n: i64) -> String {
    "★".repeat(n.clamp(0, 5) as usize)
}

impl<'a> TrackPage<'a> {
    pub fn lookup(c: Chrome<'a>, error: Option<String>) -> TrackPage<'a> {
        TrackPage {
            c,
            t: None,
            status_label: String::new(),
            history: Vec::new(),
            can_rate: false,
            rated: None,
            star_options: Vec::new(),
            error,
        }
    }

    pub fn of(c: Chrome<'a>, t: Tracking, error: Option<String>) -> TrackPage<'a> {
        let tr = c.tr;
        let history = t
            .history
            .iter()
            .map(|h| {
                (
                    tongxing_domain::time::rfc3339(h.at).replace('T', " ").chars().take(16).collect(),
                    tr.t(&format!("need_status.{}", h.status.as_str())),
                    h.note.clone(),
                )
            })
            .collect();
        TrackPage {
            status_label: tr.t(&format!("need_status.{}", t.status.as_str())),
            can_rate: t.status == Status::Completed,
            rated: t.rating_stars.map(stars),
            star_options: (1..=5).rev().map(|n| (n, stars(n))).collect(),
            history,
            t: Some(t),
            error,
            c,
        }
    }
}

#[derive(Template)]
#[template(path = "need.html")]
pub struct NeedPage<'a> {
    pub c: Chrome<'a>,
    pub n: Need,
    pub status_label: String,
    pub level_label: String,
    pub category_label: String,
    pub channel_label: String,
    /// (time, status, who, note), oldest first.
    pub history: Vec<(String, String, String, Option<String>)>,
    pub can_review: bool,
    /// The leader's own team, when they may take the need in one tap.
    pub claim_team: Option<i64>,
    /// Teams a coordinator may assign it to.
    pub assign_teams: Vec<(i64, String)>,
    pub can_complete: bool,
    /// The holding team's members, for entering hours: (volunteer id, label).
    pub members: Vec<(i64, String)>,
    /// Open take-over requests: (id, team and who asked, reason, when).
    pub takeovers: Vec<(i64, String, String, String)>,
    pub can_decide_takeover: bool,
    /// The leader's own team, when it may ask to take the need over.
    pub takeover_team: Option<i64>,
    /// A form on this page that was refused, shown again with its messages.
    pub rejected: Option<Rejected>,
}

/// A refused form of a page with several forms: which one, the message for
/// each field at fault, and what was typed, so nothing is lost.
pub struct Rejected {
    pub form: &'static str,
    /// (field, message).
    pub errors: Vec<(String, String)>,
    pub values: Vec<(String, String)>,
}

impl NeedPage<'_> {
    /// The message beside `field` of `form`, if that form was refused for it.
    pub fn error(&self, form: &str, field: &str) -> Option<&str> {
        let r = self.rejected.as_ref().filter(|r| r.form == form)?;
        r.errors.iter().find(|(f, _)| f == field).map(|(_, m)| m.as_str())
    }

    /// What was typed into `field` of a refused `form`, or `default`.
    pub fn kept<'v>(&'v self, form: &str, field: &str, default: &'v str) -> &'v str {
        match self.rejected.as_ref().filter(|r| r.form == form) {
            Some(r) => r.values.iter().find(|(f, _)| f == field).map_or("", |(_, v)| v.as_str()),
            None => default,
        }
    }

    /// Whether member `id` was ticked as having served on a refused completion.
    pub fn ticked(&self, id: &i64) -> bool {
        let id = id.to_string();
        self.rejected.as_ref().filter(|r| r.form == "complete").is_some_and(|r| r.values.iter().any(|(f, v)| f == "served" && *v == id))
    }
}

/// One delivery as the outbox page shows it, already formatted.
pub struct OutboxRow {
    pub id: i64,
    pub channel: String,
    /// Masked: a phone's middle digits, a robot URL's key.
    pub target: String,
    pub status: String,
    pub status_class: &'static str,
    pub attempts: i64,
    /// Only while it waits to be sent.
    pub next_attempt: String,
    pub last_error: String,
    pub created: String,
    pub need_href: Option<String>,
    pub retryable: bool,
}

#[derive(Template)]
#[template(path = "outbox.html")]
pub struct OutboxPage<'a> {
    pub c: Chrome<'a>,
    pub filter: SelectFilter,
    pub total_text: String,
    pub rows: Vec<OutboxRow>,
    pub pager: Pager,
    /// This page and filter, where a retry comes back to.
    pub back: String,
    /// No SMS gateway is configured: the page says what would be sent and how to set one.
    pub sms_off: bool,
}

#[derive(Template)]
#[template(path = "notifications.html")]
pub struct NotificationsPage<'a> {
    pub c: Chrome<'a>,
    /// (time, message, link, read)
    pub items: Vec<(String, String, Option<String>, bool)>,
    pub pager: Pager,
}

#[derive(Template)]
#[template(path = "join.html")]
pub struct JoinPage<'a> {
    pub c: Chrome<'a>,
    pub fields: Vec<Field>,
    pub error: Option<String>,
    pub notice: Option<String>,
    /// No SMS gateway: codes go to the server log, and the page says so.
    pub dev_log: bool,
}

#[derive(Template)]
#[template(path = "join_sent.html")]
pub struct JoinSentPage<'a> {
    pub c: Chrome<'a>,
}

#[derive(Template)]
#[template(path = "registrations.html")]
pub struct RegistrationsPage<'a> {
    pub c: Chrome<'a>,
    pub statuses: Vec<super::view::Opt>,
    pub total_text: String,
    pub items: Vec<tongxing_domain::joining::Application>,
    /// Each item's application time, formatted.
    pub applied: Vec<String>,
    pub pager: Pager,
    pub export_href: String,
    /// The application whose decline lacked a reason, and the message.
    pub failed: Option<i64>,
    pub reason_error: Option<String>,
    pub error: Option<String>,
}
