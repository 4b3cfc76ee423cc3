//! The delivery outbox page for the center: what went to the liaison groups'
//! robots and to residents' phones, what is failing, and "send again now".

use axum::extract::{OriginalUri, Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use axum::Router;
use serde::Deserialize;
use tongxing_domain::paging::Page;
use tongxing_domain::return_path::is_safe_return_path;
use tongxing_store::outbox::{Delivery, STATUSES};

use super::needs::short_time;
use super::templates::{OutboxPage, OutboxRow};
use super::view::{Chrome, Opt, Pager, SelectFilter};
use super::{render, see_other, service_error};
use crate::extract::{CsrfForm, PageUser};
use crate::i18n::Tr;
use crate::AppState;

pub fn router() -> Router<AppState> {
    Router::new().route("/outbox", get(page)).route("/outbox/{id}/retry", post(retry))
}

#[derive(Deserialize)]
struct OutboxQuery {
    page: Option<u32>,
    status: Option<String>,
}

/// A pending delivery that has failed before is waiting to retry: shown apart from a fresh one.
fn row(tr: &Tr, d: &Delivery) -> OutboxRow {
    let (state, class) = match d.status.as_str() {
        "dead" => ("dead", "badge level-red"),
        "sent" => ("sent", "badge level-blue"),
        _ if d.attempts > 0 => ("retrying", "badge level-orange"),
        _ => ("pending", "badge level-none"),
    };
    OutboxRow {
        id: d.id,
        channel: tr.t(&format!("outbox.kind.{}", d.kind)),
        target: d.target.clone(),
        status: tr.t(&format!("outbox.status.{state}")),
        status_class: class,
        attempts: d.attempts,
        next_attempt: if d.status == "pending" { short_time(d.next_attempt_at) } else { String::new() },
        last_error: d.last_error.clone().unwrap_or_default(),
        created: short_time(d.created_at),
        need_href: d.need_id.map(|id| format!("/needs/{id}")),
        retryable: d.retryable(),
    }
}

async fn page(State(s): State<AppState>, p: PageUser, uri: OriginalUri, Query(q): Query<OutboxQuery>) -> Response {
    let tr = Tr { cat: &s.cat, lang: p.lang };
    let page = Page::new(q.page, Some(30));
    let status = q.status.filter(|v| !v.is_empty());
    let list = match s.svc.deliveries(&p.user, status.as_deref(), page).await {
        Ok(l) => l,
        Err(e) => return service_error(&s, p.lang, e),
    };
    let options = STATUSES
        .iter()
        .map(|v| Opt { value: v.to_string(), label: tr.t(&format!("outbox.status.{v}")), selected: status.as_deref() == Some(*v) })
        .collect();
    let query: Vec<(String, String)> = status.iter().map(|v| ("status".to_string(), v.clone())).collect();
    let mut here = query.clone();
    here.push(("page".into(), page.page.to_string()));
    let view = OutboxPage {
        filter: SelectFilter { name: "status", label: tr.t("field.status"), options },
        total_text: tr.f("list.total", list.total),
        rows: list.items.iter().map(|d| row(&tr, d)).collect(),
        pager: Pager::new(&tr, "/outbox", &query, page, list.total),
        back: format!("/outbox?{}", serde_urlencoded::to_string(&here).unwrap_or_default()),
        sms_off: s.svc.settings.sms_gateway_url.is_none(),
        c: Chrome::for_page(&s, tr, &p, tr.t("nav.outbox"), &uri.0.to_string()),
    };
    render(StatusCode::OK, &view)
}

/// Back to the page and filter the retry was made from (only the outbox's
/// own pages: the form field could hold anything).
async fn retry(State(s): State<AppState>, p: PageUser, Path(id): Path<i64>, f: CsrfForm) -> Response {
    let back = f.get("back").filter(|b| b.starts_with("/outbox?") && is_safe_return_path(b)).unwrap_or("/outbox").to_string();
    match s.svc.retry_delivery(&p.user, id).await {
        Ok(()) => see_other(&back, "retried"),
        Err(e) => service_error(&s, p.lang, e),
    }
}
