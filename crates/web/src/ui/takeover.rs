//! The take-over buttons of a need's page: a fitting team's leader asks with a
//! reason; the holder's leader or the center accepts or declines.

use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::post;
use axum::Router;

use super::{see_other, service_error};
use crate::extract::{CsrfForm, PageUser};
use crate::AppState;

pub fn router() -> Router<AppState> {
    Router::new().route("/needs/{id}/takeover", post(ask)).route("/needs/{id}/takeover/{request}", post(decide))
}

async fn ask(State(s): State<AppState>, p: PageUser, Path(id): Path<i64>, f: CsrfForm) -> Response {
    let team = f.get("team_id").and_then(|t| t.parse().ok()).unwrap_or(-1);
    match s.svc.request_takeover(&p.user, id, team, f.get("reason").unwrap_or("")).await {
        Ok(_) => see_other(&format!("/needs/{id}"), "takeover_asked"),
        Err(e) => super::needs::refused(&s, &p, id, "takeover", &f, e).await,
    }
}

async fn decide(State(s): State<AppState>, p: PageUser, Path((id, request)): Path<(i64, i64)>, f: CsrfForm) -> Response {
    let accept = f.get("decision") == Some("accept");
    match s.svc.decide_takeover(&p.user, id, request, accept).await {
        Ok(()) => see_other(&format!("/needs/{id}"), "takeover_decided"),
        Err(e) => service_error(&s, p.lang, e),
    }
}
