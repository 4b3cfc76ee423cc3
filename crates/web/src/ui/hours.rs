//! "My hours": total confirmed hours, star level and progress, every ledger
//! entry with its people and corrections, disputes and their answers; and
//! the leaders' and center's page of open disputes to answer.

use askama::Template;
use axum::extract::{OriginalUri, Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use axum::Router;
use serde::Deserialize;
use tongxing_domain::dispute::Dispute;
use tongxing_domain::hours::Entry;
use tongxing_domain::paging::Page;
use tongxing_domain::permission::{Action, Resource};
use tongxing_service::hours::HoursSummary;

use super::view::{Chrome, Pager};
use super::{error_page, render, see_other, service_error};
use crate::extract::{CsrfForm, PageUser};
use crate::i18n::Tr;
use crate::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/me/hours", get(mine))
        .route("/volunteers/{id}/hours", get(theirs))
        .route("/me/hours/{entry}/dispute", post(dispute))
        .route("/volunteers/{id}/hours/{entry}/correct", post(correct))
        .route("/hours/disputes", get(open_disputes))
        .route("/hours/disputes/{id}/answer", post(answer))
}

/// One ledger line, ready to show.
pub struct Line {
    pub e: Entry,
    pub kind: String,
    pub hours: String,
    pub can_dispute: bool,
    /// This line's dispute form is the one open (`?dispute=` names it);
    /// every other line offers only the link that opens its form.
    pub dispute_open: bool,
    pub dispute_href: String,
    /// A leader or the center may append a correction (never to a correction).
    pub can_correct: bool,
}

/// One dispute, ready to show.
pub struct DisputeLine {
    pub d: Dispute,
    pub status: String,
}

#[derive(Template)]
#[template(path = "hours.html")]
pub struct HoursPage<'a> {
    pub c: Chrome<'a>,
    pub volunteer_id: i64,
    pub own: bool,
    pub total: String,
    pub stars: String,
    pub star: u8,
    /// (next threshold, hours still to go, percent done) below the top level.
    pub next: Option<(String, String, u32)>,
    pub lines: Vec<Line>,
    pub disputes: Vec<DisputeLine>,
    pub pager: Pager,
    /// Their commendations (评选表彰), part of their record.
    pub honours: Vec<tongxing_domain::honours::view::Honour>,
    /// This page of the ledger, without an open dispute form.
    pub here: String,
    pub error: Option<String>,
}

#[derive(Template)]
#[template(path = "disputes.html")]
pub struct DisputesPage<'a> {
    pub c: Chrome<'a>,
    pub items: Vec<DisputeLine>,
    pub error: Option<String>,
}

#[derive(Deserialize)]
struct PageQuery {
    page: Option<u32>,
    /// The entry whose dispute form to open.
    dispute: Option<i64>,
}

/// 2.5 → "2.5", 2.0 → "2": hours as people write them.
pub fn fmt_hours(h: f64) -> String {
    let s = format!("{h:.2}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

fn dispute_line(tr: &Tr, d: Dispute) -> DisputeLine {
    DisputeLine { status: tr.t(&format!("dispute.status_{}", d.status)), d }
}

async fn mine(State(s): State<AppState>, p: PageUser, uri: OriginalUri, Query(q): Query<PageQuery>) -> Response {
    match p.user.volunteer_id {
        Some(id) => show(&s, &p, &uri.0.to_string(), id, q, StatusCode::OK, None).await,
        None => error_page(&s, p.lang, StatusCode::NOT_FOUND, "no_volunteer_record"),
    }
}

async fn theirs(State(s): State<AppState>, p: PageUser, uri: OriginalUri, Path(id): Path<i64>, Query(q): Query<PageQuery>) -> Response {
    show(&s, &p, &uri.0.to_string(), id, q, StatusCode::OK, None).await
}

async fn show(s: &AppState, p: &PageUser, path: &str, id: i64, q: PageQuery, status: StatusCode, error: Option<String>) -> Response {
    let tr = Tr { cat: &s.cat, lang: p.lang };
    // 20 entries a page keeps the ledger a few screens long on a phone.
    let page = Page::new(q.page, Some(20));
    let (sum, disputes, honours) = match tokio::try_join!(
        s.svc.hours_summary(&p.user, id, page),
        s.svc.disputes_of(&p.user, id),
        s.svc.volunteer_honours(&p.user, id)
    ) {
        Ok(x) => x,
        Err(e) => return service_error(s, p.lang, e),
    };
    let own = p.user.volunteer_id == Some(id);
    // The form is offered to those who may write hours; the service still
    // checks the entry's team when it is sent.
    let may_correct = !own && s.svc.require(&p.user, Action::Write, Resource::Hours).is_ok();
    let base = if own { "/me/hours".to_string() } else { format!("/volunteers/{id}/hours") };
    let pager = Pager::new(&tr, &base, &[], page, sum.total_entries);
    let here = if page.page > 1 { format!("{base}?page={}", page.page) } else { base };
    let title = if own { tr.t("hours.mine") } else { tr.t("hours.title") };
    let c = Chrome::for_page(s, tr, p, title, path);
    let mut view = page_of(c, &sum, disputes, (own, may_correct), pager, error);
    for l in &mut view.lines {
        l.dispute_open = q.dispute == Some(l.e.id);
        let join = if here.contains('?') { '&' } else { '?' };
        l.dispute_href = format!("{here}{join}dispute={0}#entry-{0}", l.e.id);
    }
    view.here = here;
    view.honours = honours;
    render(status, &view)
}

fn page_of<'a>(
    c: Chrome<'a>,
    sum: &HoursSummary,
    disputes: Vec<Dispute>,
    (own, may_correct): (bool, bool),
    pager: Pager,
    error: Option<String>,
) -> HoursPage<'a> {
    let tr = c.tr;
    let lines = sum
        .entries
        .iter()
        .map(|e| Line {
            kind: tr.t(&format!("hours_kind.{}", e.kind)),
            hours: fmt_hours(e.hours),
            can_dispute: own && !e.disputed && e.kind != "correction",
            dispute_open: false,
            dispute_href: String::new(),
            can_correct: may_correct && e.kind != "correction",
            e: e.clone(),
        })
        .collect();
    let next = sum.next_star_hours.map(|n| {
        let pct = ((sum.total_hours / n) * 100.0).clamp(0.0, 100.0) as u32;
        (fmt_hours(n), fmt_hours(n - sum.total_hours), pct)
    });
    HoursPage {
        volunteer_id: sum.volunteer_id,
        own,
        total: fmt_hours(sum.total_hours),
        stars: format!("{}{}", "★".repeat(sum.star as usize), "☆".repeat(5 - sum.star.min(5) as usize)),
        star: sum.star,
        next,
        lines,
        disputes: disputes.into_iter().map(|d| dispute_line(&tr, d)).collect(),
        pager,
        honours: Vec::new(),
        here: String::new(),
        error,
        c,
    }
}

async fn dispute(State(s): State<AppState>, p: PageUser, uri: OriginalUri, Path(entry): Path<i64>, f: CsrfForm) -> Response {
    let reason = f.get("reason").unwrap_or_default();
    match s.svc.dispute_entry(&p.user, entry, reason).await {
        Ok(_) => see_other("/me/hours", "dispute_sent"),
        Err(e @ (tongxing_service::Error::Validation(_) | tongxing_service::Error::Conflict { .. })) => {
            let Some(id) = p.user.volunteer_id else { return service_error(&s, p.lang, e) };
            let (status, code, _) = crate::error::classify(&e);
            let message = s.cat.get(p.lang, &format!("error.{code}")).to_string();
            show(&s, &p, &uri.0.to_string(), id, PageQuery { page: None, dispute: Some(entry) }, status, Some(message)).await
        }
        Err(e) => service_error(&s, p.lang, e),
    }
}

/// A leader's correction from the volunteer's hours page: a new entry for
/// the difference, with the reason, as the API's corrections.
async fn correct(State(s): State<AppState>, p: PageUser, uri: OriginalUri, Path((id, entry)): Path<(i64, i64)>, f: CsrfForm) -> Response {
    let hours = f.get("hours").and_then(|h| h.trim().parse::<f64>().ok()).filter(|h| h.is_finite());
    let reason = f.get("reason").unwrap_or_default();
    let done = match hours {
        Some(h) => s.svc.correct_entry(&p.user, entry, h, reason).await,
        None => Err(tongxing_service::Error::Validation(tongxing_domain::validation::Invalid::one("hours", "number_format"))),
    };
    match done {
        Ok(()) => see_other(&format!("/volunteers/{id}/hours"), "hours_corrected"),
        Err(e @ tongxing_service::Error::Validation(_)) => {
            let (status, code, _) = crate::error::classify(&e);
            let message = s.cat.get(p.lang, &format!("error.{code}")).to_string();
            show(&s, &p, &uri.0.to_string(), id, PageQuery { page: None, dispute: None }, status, Some(message)).await
        }
        Err(e) => service_error(&s, p.lang, e),
    }
}

async fn open_disputes(State(s): State<AppState>, p: PageUser, uri: OriginalUri) -> Response {
    disputes_page(&s, &p, &uri.0.to_string(), StatusCode::OK, None).await
}

async fn disputes_page(s: &AppState, p: &PageUser, path: &str, status: StatusCode, error: Option<String>) -> Response {
    let tr = Tr { cat: &s.cat, lang: p.lang };
    let list = match s.svc.open_disputes(&p.user).await {
        Ok(l) => l,
        Err(e) => return service_error(s, p.lang, e),
    };
    let items = list.into_iter().map(|d| dispute_line(&tr, d)).collect();
    let c = Chrome::for_page(s, tr, p, tr.t("dispute.open_title"), path);
    render(status, &DisputesPage { c, items, error })
}

async fn answer(State(s): State<AppState>, p: PageUser, Path(id): Path<i64>, f: CsrfForm) -> Response {
    match s.svc.answer_dispute(&p.user, id, f.get("answer").unwrap_or_default()).await {
        Ok(()) => see_other("/hours/disputes", "dispute_answered"),
        Err(e @ (tongxing_service::Error::Validation(_) | tongxing_service::Error::Conflict { .. })) => {
            let (status, code, _) = crate::error::classify(&e);
            let message = s.cat.get(p.lang, &format!("error.{code}")).to_string();
            disputes_page(&s, &p, "/hours/disputes", status, Some(message)).await
        }
        Err(e) => service_error(&s, p.lang, e),
    }
}
