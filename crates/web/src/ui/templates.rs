//! The page templates (askama, checked at compile time) and their data.

use askama::Template;
use tongxing_domain::model::VolunteerView;

use super::view::{Cell, Chrome, Field, Pager, SelectFilter};
use crate::api::volunteers::ImportResult;

#[derive(Template)]
#[template(path = "error.html")]
pub struct ErrorPage<'a> {
    pub c: Chrome<'a>,
    pub message: String,
}

#[derive(Template)]
#[template(path = "login.html")]
pub struct LoginPage<'a> {
    pub c: Chrome<'a>,
    pub error: Option<String>,
    pub login: String,
    pub next: String,
}

pub struct Stat {
    /// A link only where the viewer's role may look.
    pub href: Option<&'static str>,
    pub value: i64,
    pub label: String,
}

pub struct QuickAction {
    pub href: &'static str,
    pub label: String,
}

#[derive(Template)]
#[template(path = "home.html")]
pub struct HomePage<'a> {
    pub c: Chrome<'a>,
    pub welcome: String,
    pub stats: Vec<Stat>,
    pub actions: Vec<QuickAction>,
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
}

#[derive(Template)]
#[template(path = "volunteer.html")]
pub struct VolunteerPage<'a> {
    pub c: Chrome<'a>,
    pub v: VolunteerView,
    pub can_edit: bool,
    pub can_reveal: bool,
}

#[derive(Template)]
#[template(path = "import.html")]
pub struct ImportPage<'a> {
    pub c: Chrome<'a>,
    pub error: Option<String>,
    pub report: Option<ImportResult>,
    pub file_name: String,
    pub token: String,
}

#[derive(Template)]
#[template(path = "audit.html")]
pub struct AuditPage<'a> {
    pub c: Chrome<'a>,
    /// (time, who, action, subject, detail), already formatted.
    pub entries: Vec<(String, String, String, String, String)>,
    pub pager: Pager,
}
