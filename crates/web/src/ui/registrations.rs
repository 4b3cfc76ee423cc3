//! The applications waiting for a team leader, a unit's liaison or the
//! center: read, approve, or decline with a reason the person is told.

use axum::extract::{OriginalUri, Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use axum::Router;
use serde::Deserialize;
use tongxing_domain::joining::JoinStatus;
use tongxing_domain::paging::Page;
use tongxing_service::Error;

use super::templates::RegistrationsPage;
use super::view::{Chrome, Opt, Pager};
use super::{render, see_other, service_error, short_time};
use crate::export::xlsx_response;
use crate::extract::{CsrfForm, PageUser};
use crate::i18n::Tr;
use crate::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/registrations", get(page))
        .route("/registrations/{id}/approve", post(approve))
        .route("/registrations/{id}/decline", post(decline))
}

#[derive(Deserialize, Default)]
struct ListQuery {
    page: Option<u32>,
    status: Option<String>,
    format: Option<String>,
}

/// A refused decision: why, beside the application's reason box when the
/// reason was at fault, else above the list (it may no longer be waiting).
struct Refusal {
    id: i64,
    status: StatusCode,
    message: String,
    beside: bool,
}

async fn page(State(s): State<AppState>, p: PageUser, uri: OriginalUri, Query(q): Query<ListQuery>) -> Response {
    list(&s, &p, &uri.0.to_string(), q, None).await
}

async fn list(s: &AppState, p: &PageUser, path: &str, q: ListQuery, refusal: Option<Refusal>) -> Response {
    let tr = Tr { cat: &s.cat, lang: p.lang };
    let status = q.status.as_deref().and_then(JoinStatus::parse).unwrap_or(JoinStatus::Pending);
    let xlsx = q.format.as_deref() == Some("xlsx");
    let page = if xlsx { Page { page: 1, per_page: tongxing_service::export::MAX_EXPORT_ROWS } } else { Page::new(q.page, Some(30)) };
    let found = match s.svc.applications(&p.user, Some(status), page).await {
        Ok(l) => l,
        Err(e) => return service_error(s, p.lang, e),
    };
    if xlsx {
        return xlsx_response(&tr, "registrations", &found.items).unwrap_or_else(|e| service_error(s, p.lang, e));
    }
    let statuses = JoinStatus::ALL
        .iter()
        .map(|v| Opt { value: v.as_str().into(), label: tr.t(&format!("join.status.{}", v.as_str())), selected: *v == status })
        .collect();
    let query = vec![("status".to_string(), status.as_str().to_string())];
    let view = RegistrationsPage {
        statuses,
        total_text: tr.f("list.total", found.total),
        applied: found.items.iter().map(|a| short_time(a.created_at)).collect(),
        pager: Pager::new(&tr, "/registrations", &query, page, found.total),
        export_href: format!("/registrations?status={}&format=xlsx", status.as_str()),
        failed: refusal.as_ref().filter(|r| r.beside).map(|r| r.id),
        reason_error: refusal.as_ref().filter(|r| r.beside).map(|r| r.message.clone()),
        error: refusal.as_ref().filter(|r| !r.beside).map(|r| r.message.clone()),
        items: found.items,
        c: Chrome::for_page(s, tr, p, tr.t("nav.registrations"), path),
    };
    render(refusal.map_or(StatusCode::OK, |r| r.status), &view)
}

async fn approve(State(s): State<AppState>, p: PageUser, Path(id): Path<i64>, _f: CsrfForm) -> Response {
    decide(&s, &p, id, true, None).await
}

async fn decline(State(s): State<AppState>, p: PageUser, Path(id): Path<i64>, f: CsrfForm) -> Response {
    decide(&s, &p, id, false, f.get("reason")).await
}

/// Back to the waiting list with a flash; a refusal about this application
/// (no reason, already decided, a duplicate) shows beside its card.
async fn decide(s: &AppState, p: &PageUser, id: i64, approve: bool, reason: Option<&str>) -> Response {
    match s.svc.decide_application(&p.user, id, approve, reason).await {
        Ok(_) => see_other("/registrations", if approve { "join_approved" } else { "join_declined" }),
        Err(e @ (Error::Validation(_) | Error::Conflict { .. })) => {
            let tr = Tr { cat: &s.cat, lang: p.lang };
            let (status, code, _) = crate::error::classify(&e);
            let beside = matches!(e, Error::Validation(_));
            let refusal = Refusal { id, status, message: tr.t(&format!("error.{code}")), beside };
            list(s, p, "/registrations", ListQuery::default(), Some(refusal)).await
        }
        Err(e) => service_error(s, p.lang, e),
    }
}
