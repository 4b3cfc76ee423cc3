//! The center's hand on the problem board: merging a duplicate into the
//! problem proposed first, and naming a solved problem's award.

use axum::extract::{Path, State};
use axum::response::Response;
use tongxing_domain::skills::inputs::{AwardInput, MergeInput};

use crate::extract::{CsrfForm, PageUser};
use crate::ui::{see_other, service_error};
use crate::AppState;

pub(super) async fn merge(State(s): State<AppState>, p: PageUser, Path(id): Path<i64>, f: CsrfForm) -> Response {
    let into = f.get("into").and_then(|v| v.trim().trim_start_matches('#').parse().ok()).unwrap_or(0);
    match s.svc.merge_problem(&p.user, id, MergeInput { into }).await {
        Ok(_) => see_other("/skills", "saved"),
        Err(e) => service_error(&s, p.lang, e),
    }
}

pub(super) async fn award(State(s): State<AppState>, p: PageUser, Path(id): Path<i64>, f: CsrfForm) -> Response {
    let award = f.get("award").unwrap_or_default().to_string();
    match s.svc.award_problem(&p.user, id, AwardInput { award }).await {
        Ok(_) => see_other("/skills", "saved"),
        Err(e) => service_error(&s, p.lang, e),
    }
}
