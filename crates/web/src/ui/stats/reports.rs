//! The dashboard's report card: the monthly and yearly workbooks to
//! download, and for the center closing a month that is over.

use axum::extract::{Query, State};
use axum::response::Response;
use chrono::Datelike;
use tongxing_domain::permission::{scope, Action, Resource, Scope};
use tongxing_service::stats::report::ClosedMonth;

use super::report_book::report_xlsx;
use crate::extract::{CsrfForm, PageUser};
use crate::i18n::Tr;
use crate::ui::registry::query_value;
use crate::ui::{see_other, service_error};
use crate::AppState;

/// What the card offers: last month and this year by default, the months
/// closed so far, and whether this user may close one.
pub(crate) struct ReportsCard {
    pub month: String,
    pub year: i32,
    pub may_close: bool,
    pub closed: Vec<ClosedMonth>,
}

/// The card for users who see the whole region's figures; none otherwise
/// (reports are the center's).
pub(crate) async fn card(s: &AppState, p: &PageUser) -> Option<ReportsCard> {
    let closed = s.svc.closed_months(&p.user).await.ok()?;
    let today = tongxing_service::registry::volunteers::region_today();
    let last = today.with_day(1).and_then(|d| d.pred_opt()).unwrap_or(today);
    Some(ReportsCard {
        month: last.format("%Y-%m").to_string(),
        year: today.year(),
        may_close: scope(p.user.role, Action::Write, Resource::Stats) == Scope::All,
        closed,
    })
}

pub(crate) async fn monthly(State(s): State<AppState>, p: PageUser, Query(q): Query<Vec<(String, String)>>) -> Response {
    let tr = Tr { cat: &s.cat, lang: p.lang };
    match s.svc.monthly_report(&p.user, query_value(&q, "month").unwrap_or("")).await {
        Ok(r) => report_xlsx(&tr, &r).unwrap_or_else(|e| service_error(&s, p.lang, e)),
        Err(e) => service_error(&s, p.lang, e),
    }
}

pub(crate) async fn yearly(State(s): State<AppState>, p: PageUser, Query(q): Query<Vec<(String, String)>>) -> Response {
    let tr = Tr { cat: &s.cat, lang: p.lang };
    let year = query_value(&q, "year").and_then(|y| y.trim().parse().ok()).unwrap_or(0);
    match s.svc.yearly_report(&p.user, year).await {
        Ok(r) => report_xlsx(&tr, &r).unwrap_or_else(|e| service_error(&s, p.lang, e)),
        Err(e) => service_error(&s, p.lang, e),
    }
}

pub(crate) async fn close(State(s): State<AppState>, p: PageUser, f: CsrfForm) -> Response {
    let month = f.get("month").unwrap_or("").to_string();
    match s.svc.close_month(&p.user, &month).await {
        Ok(_) => see_other("/stats#stats-reports", "month_closed"),
        Err(e) => service_error(&s, p.lang, e),
    }
}
