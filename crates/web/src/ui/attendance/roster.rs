//! The leader's roster (`/activities/{id}/roster`): who signed up, masked
//! phones, check-in and check-out times with buttons to check people in or
//! out by hand, walk-ups and check-ins closed by rule flagged; and the
//! confirmation screen (`/activities/{id}/confirm`): computed hours, a
//! correction with its reason per person, and one button that confirms all.

use askama::Template;
use axum::extract::{OriginalUri, Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use tongxing_domain::activities::SignupStatus;
use tongxing_domain::Invalid;
use tongxing_service::activities::checkin::RosterSheet;
use tongxing_service::activities::CheckKind;
use tongxing_service::hours::HoursLine;
use tongxing_service::Error;

use super::{clock, Facts};
use crate::extract::{CsrfForm, PageUser};
use crate::i18n::Tr;
use crate::ui::needs::short_time;
use crate::ui::view::Chrome;
use crate::ui::{render, see_other, service_error};
use crate::AppState;

/// One person on the roster, already formatted.
pub struct Line {
    pub volunteer_id: i64,
    pub name: String,
    pub phone: String,
    pub signup: String,
    pub walk_up: bool,
    pub checked_in: String,
    pub checked_out: String,
    pub auto_closed: bool,
    pub can_in: bool,
    pub can_out: bool,
    pub computed: String,
    /// In the ledger, once confirmed.
    pub credited: String,
    /// What the hours field holds: the computed hours, or what was sent back.
    pub hours: String,
    pub reason: String,
    pub error: Option<String>,
}

#[derive(Template)]
#[template(path = "activity_roster.html")]
struct RosterPage<'a> {
    c: Chrome<'a>,
    a: Facts,
    lines: Vec<Line>,
    counts: String,
    /// Check-in by hand until the hours are confirmed.
    open: bool,
}

#[derive(Template)]
#[template(path = "activity_roster_confirm.html")]
struct ConfirmPage<'a> {
    c: Chrome<'a>,
    a: Facts,
    lines: Vec<Line>,
    ended: bool,
    /// "confirmed by … at …" once done.
    confirmed: Option<String>,
    error: Option<String>,
}

fn hours_text(h: f64) -> String {
    let t = format!("{h:.2}");
    t.trim_end_matches('0').trim_end_matches('.').to_string()
}

fn lines(tr: &Tr, sheet: &RosterSheet) -> Vec<Line> {
    let open = !sheet.activity.hours_confirmed && !sheet.activity.cancelled;
    sheet
        .lines
        .iter()
        .map(|x| {
            let l = &x.line;
            let signup = match l.signup {
                Some(st) => tr.t(&format!("roster.signup_{}", st.as_str())),
                None => tr.t("roster.walk_up"),
            };
            let in_ok = l.signup == Some(SignupStatus::Confirmed) || sheet.activity.walk_ups || l.checked_in_at.is_some();
            Line {
                volunteer_id: l.volunteer_id,
                name: l.name.clone(),
                phone: sheet.phones.get(&l.volunteer_id).cloned().unwrap_or_default(),
                signup,
                walk_up: l.walk_up,
                checked_in: l.checked_in_at.map(clock).unwrap_or_default(),
                checked_out: l.checked_out_at.map(clock).unwrap_or_default(),
                auto_closed: l.auto_closed,
                can_in: open && in_ok && l.checked_in_at.is_none(),
                can_out: open && l.checked_in_at.is_some() && l.checked_out_at.is_none(),
                computed: hours_text(x.computed_hours),
                credited: hours_text(sheet.credited.get(&l.volunteer_id).copied().unwrap_or(0.0)),
                hours: hours_text(x.computed_hours),
                reason: String::new(),
                error: None,
            }
        })
        .collect()
}

pub async fn page(State(s): State<AppState>, p: PageUser, uri: OriginalUri, Path(id): Path<i64>) -> Response {
    let tr = Tr { cat: &s.cat, lang: p.lang };
    let sheet = match s.svc.roster_sheet(&p.user, id).await {
        Ok(x) => x,
        Err(e) => return service_error(&s, p.lang, e),
    };
    let present = sheet.lines.iter().filter(|l| l.line.checked_in_at.is_some()).count();
    let counts = s.cat.fmt(p.lang, "roster.counts", &[&sheet.lines.len(), &present]);
    let page = RosterPage {
        lines: lines(&tr, &sheet),
        counts,
        open: !sheet.activity.hours_confirmed && !sheet.activity.cancelled,
        a: Facts::of(&sheet.activity),
        c: Chrome::for_page(&s, tr, &p, tr.f("roster.page_title", &sheet.activity.title), &uri.0.to_string()),
    };
    render(StatusCode::OK, &page)
}

/// The leader checks someone in or out from the roster.
pub async fn check(State(s): State<AppState>, p: PageUser, Path(id): Path<i64>, f: CsrfForm) -> Response {
    let kind = if f.get("kind") == Some("out") { CheckKind::Out } else { CheckKind::In };
    let Some(volunteer) = f.get("volunteer_id").and_then(|v| v.parse().ok()) else {
        return crate::ui::error_page(&s, p.lang, StatusCode::BAD_REQUEST, "malformed");
    };
    match s.svc.check(&p.user, id, volunteer, kind, None).await {
        Ok(c) => see_other(&format!("/activities/{id}/roster"), if c.kind == CheckKind::In { "checked_in" } else { "checked_out" }),
        Err(e) => service_error(&s, p.lang, e),
    }
}

pub async fn confirm_page(State(s): State<AppState>, p: PageUser, uri: OriginalUri, Path(id): Path<i64>) -> Response {
    confirm_view(&s, &p, &uri.0.to_string(), id, None, StatusCode::OK).await
}

/// The confirmation screen; `sent` holds a refused submission to show again
/// with the message next to each field at fault.
async fn confirm_view(s: &AppState, p: &PageUser, path: &str, id: i64, sent: Option<(&CsrfForm, &Invalid)>, code: StatusCode) -> Response {
    let tr = Tr { cat: &s.cat, lang: p.lang };
    let sheet = match s.svc.roster_sheet(&p.user, id).await {
        Ok(x) => x,
        Err(e) => return service_error(s, p.lang, e),
    };
    let mut lines = lines(&tr, &sheet);
    let mut error = None;
    if let Some((f, inv)) = sent {
        for l in &mut lines {
            let field = format!("hours_{}", l.volunteer_id);
            l.hours = f.get(&field).unwrap_or_default().to_string();
            l.reason = f.get(&format!("reason_{}", l.volunteer_id)).unwrap_or_default().to_string();
            l.error = inv.0.iter().find(|e| e.field == field).map(|e| tr.t(&format!("error.{}", e.code)));
        }
        error = inv.0.iter().find(|e| !e.field.starts_with("hours_")).map(|e| tr.t(&format!("error.{}", e.code)));
    }
    let confirmed = sheet.confirmed.as_ref().map(|(at, who)| tr.f2("confirm.done", who, short_time(*at)));
    let page = ConfirmPage {
        ended: tongxing_store::now_ms() >= sheet.activity.ends_at,
        a: Facts::of(&sheet.activity),
        lines,
        confirmed,
        error,
        c: Chrome::for_page(s, tr, p, tr.f("confirm.page_title", &sheet.activity.title), path),
    };
    render(code, &page)
}

/// Reads `hours_<id>` and `reason_<id>` back: a person becomes a change when
/// their hours differ from the computed ones or a reason was given.
fn changes(f: &CsrfForm, sheet: &RosterSheet) -> Result<Vec<HoursLine>, Invalid> {
    let mut bad = Invalid::default();
    let mut out = Vec::new();
    for x in &sheet.lines {
        let vid = x.line.volunteer_id;
        let field = format!("hours_{vid}");
        let text = f.get(&field).map(str::trim).unwrap_or("");
        let reason = f.get(&format!("reason_{vid}")).map(str::trim).filter(|r| !r.is_empty()).map(str::to_string);
        let hours = if text.is_empty() { Some(0.0) } else { text.parse::<f64>().ok().filter(|h| h.is_finite()) };
        match hours {
            None => bad.push(&field, "number_format"),
            Some(h) if hours_text(h) != hours_text(x.computed_hours) || reason.is_some() => {
                out.push(HoursLine { volunteer_id: vid, hours: h, reason })
            }
            Some(_) => {}
        }
    }
    bad.into_result().map(|()| out)
}

/// One "confirm all": every person's hours enter the ledger at once.
pub async fn confirm(State(s): State<AppState>, p: PageUser, uri: OriginalUri, Path(id): Path<i64>, f: CsrfForm) -> Response {
    let path = uri.0.to_string();
    let sheet = match s.svc.roster_sheet(&p.user, id).await {
        Ok(x) => x,
        Err(e) => return service_error(&s, p.lang, e),
    };
    let result = match changes(&f, &sheet) {
        Ok(c) => s.svc.confirm_hours(&p.user, id, &c).await,
        Err(inv) => Err(Error::Validation(inv)),
    };
    match result {
        Ok(_) => see_other(&format!("/activities/{id}/confirm"), "hours_confirmed"),
        Err(Error::Validation(inv)) => confirm_view(&s, &p, &path, id, Some((&f, &inv)), StatusCode::UNPROCESSABLE_ENTITY).await,
        Err(Error::Conflict { code, field }) => {
            let inv = Invalid::one(field.unwrap_or("activity_id"), code);
            confirm_view(&s, &p, &path, id, Some((&f, &inv)), StatusCode::CONFLICT).await
        }
        Err(e) => service_error(&s, p.lang, e),
    }
}
