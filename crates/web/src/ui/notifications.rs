//! The notification centre page.

use axum::extract::{OriginalUri, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use axum::Router;
use serde::Deserialize;
use tongxing_domain::paging::Page;

use super::templates::NotificationsPage;
use super::view::{Chrome, Pager};
use super::{render, see_other, service_error};
use crate::extract::{CsrfForm, PageUser};
use crate::i18n::Tr;
use crate::AppState;

pub fn router() -> Router<AppState> {
    Router::new().route("/notifications", get(page)).route("/notifications/read-all", post(read_all))
}

#[derive(Deserialize)]
struct PageQuery {
    page: Option<u32>,
}

async fn page(State(s): State<AppState>, p: PageUser, uri: OriginalUri, Query(q): Query<PageQuery>) -> Response {
    let tr = Tr { cat: &s.cat, lang: p.lang };
    let page = Page::new(q.page, Some(30));
    let (list, _) = match s.svc.notifications(&p.user, page).await {
        Ok(x) => x,
        Err(e) => return service_error(&s, p.lang, e),
    };
    let items = list
        .items
        .iter()
        .map(|n| {
            let when = tongxing_domain::time::rfc3339(n.at).replace('T', " ").chars().take(16).collect();
            let text = tr.f(&format!("notify.{}", n.kind), n.detail.clone().unwrap_or_default());
            (when, text, link(n), n.read)
        })
        .collect();
    let pager = Pager::new(&tr, "/notifications", &[], page, list.total);
    let c = Chrome::for_page(&s, tr, &p, tr.t("nav.notifications"), &uri.0.to_string());
    render(StatusCode::OK, &NotificationsPage { c, items, pager })
}

async fn read_all(State(s): State<AppState>, p: PageUser, _f: CsrfForm) -> Response {
    match s.svc.mark_read(&p.user, None).await {
        Ok(_) => see_other("/notifications", "updated"),
        Err(e) => service_error(&s, p.lang, e),
    }
}

/// Where a notification leads: the need, the activity, the call — for
/// someone asked to come, straight to their answer — or the care pair.
fn link(n: &tongxing_domain::model::Notification) -> Option<String> {
    if let Some(id) = n.care_pair_id {
        return Some(format!("/care/pairs/{id}"));
    }
    match (n.need_id, n.activity_id, n.dispatch_id) {
        (Some(id), _, _) => Some(format!("/needs/{id}")),
        (_, Some(id), _) => Some(format!("/activities/{id}")),
        (_, _, Some(id)) if matches!(n.kind.as_str(), "dispatch_called" | "dispatch_promoted") => Some(format!("/dispatch/{id}/answer")),
        (_, _, Some(id)) => Some(format!("/dispatch/{id}")),
        _ => None,
    }
}
