//! The care pages' forms: log a visit, turn its concern into a need, confirm
//! its hours, hide its personal notes from later volunteers, and pause, resume, end or hand over a pair. Each answers with
//! a redirect and a flash, or the pair's page again with the first problem.

use axum::extract::{OriginalUri, Path, State};
use axum::response::Response;
use tongxing_domain::care::{EndInput, HandoverInput, PairInput, PauseInput, VisitInput};
use tongxing_service::care::visits::ConcernToNeed;
use tongxing_service::Error;

use super::render_pair;
use crate::extract::{CsrfForm, PageUser};
use crate::i18n::Tr;
use crate::ui::{see_other, service_error};
use crate::AppState;

fn text(f: &CsrfForm, key: &str) -> Option<String> {
    f.get(key).map(str::trim).filter(|v| !v.is_empty()).map(str::to_string)
}

/// The form's `datetime-local` value is the region's wall clock.
fn region_time(local: &str) -> String {
    let t = local.trim();
    match t.len() {
        16 => format!("{t}:00+08:00"),
        _ => format!("{t}+08:00"),
    }
}

async fn answer<T>(s: &AppState, p: &PageUser, pair: i64, path: &str, flash: &str, r: tongxing_service::Result<T>) -> Response {
    let tr = Tr { cat: &s.cat, lang: p.lang };
    match r {
        Ok(_) => see_other(&format!("/care/pairs/{pair}"), flash),
        Err(Error::Validation(inv)) => {
            let e = inv.0.first().map(|e| format!("{}: {}", tr.t(&format!("care.{}", e.field)), tr.t(&format!("error.{}", e.code))));
            render_pair(s, p, pair, path, e).await
        }
        Err(Error::Conflict { code, .. }) => render_pair(s, p, pair, path, Some(tr.t(&format!("error.{code}")))).await,
        Err(e) => service_error(s, p.lang, e),
    }
}

pub(super) async fn log_visit(State(s): State<AppState>, p: PageUser, uri: OriginalUri, Path(id): Path<i64>, f: CsrfForm) -> Response {
    let input = VisitInput {
        visited_at: region_time(f.get("visited_at").unwrap_or_default()),
        minutes: f.get("minutes").and_then(|m| m.trim().parse().ok()).unwrap_or(0),
        mode: f.get("mode").unwrap_or_default().to_string(),
        contact_made: f.get("contact_made").is_some(),
        notes: text(&f, "notes"),
        concern: text(&f, "concern"),
    };
    let r = s.svc.log_visit(&p.user, id, &input).await;
    answer(&s, &p, id, uri.0.path(), "care_visit_logged", r).await
}

pub(super) async fn create(State(s): State<AppState>, p: PageUser, f: CsrfForm) -> Response {
    let number = |k: &str| f.get(k).and_then(|v| v.trim().parse::<i64>().ok());
    let beneficiary_id = number("beneficiary_id").unwrap_or(0);
    let input = PairInput {
        volunteer_id: number("volunteer_id").unwrap_or(0),
        beneficiary_id,
        every_days: number("every_days"),
        starts_on: None,
        role: text(&f, "role"),
        help: text(&f, "help"),
    };
    match s.svc.create_pair(&p.user, &input).await {
        Ok(pair) => see_other(&format!("/care/pairs/{}", pair.id), "care_paired"),
        // Back to the history with the reason; the candidates there are the ones that fit.
        Err(Error::Validation(_) | Error::Conflict { .. }) => {
            see_other(&format!("/beneficiaries/{beneficiary_id}/care"), "care_not_paired")
        }
        Err(e) => service_error(&s, p.lang, e),
    }
}

pub(super) async fn change(
    State(s): State<AppState>,
    p: PageUser,
    uri: OriginalUri,
    Path((id, action)): Path<(i64, String)>,
    f: CsrfForm,
) -> Response {
    let (svc, u, path) = (&s.svc, &p.user, uri.0.path());
    match action.as_str() {
        "pause" => {
            let input = PauseInput { until: text(&f, "until"), reason: f.get("reason").unwrap_or_default().to_string() };
            answer(&s, &p, id, path, "care_paused", svc.pause_pair(u, id, &input).await).await
        }
        "resume" => answer(&s, &p, id, path, "care_resumed", svc.resume_pair(u, id).await).await,
        "end" => {
            let input = EndInput { reason: f.get("reason").unwrap_or_default().to_string() };
            answer(&s, &p, id, path, "care_ended", svc.end_pair(u, id, &input).await).await
        }
        "handover" => {
            let volunteer_id = f.get("volunteer_id").and_then(|v| v.trim().parse().ok()).unwrap_or(0);
            let input = HandoverInput { volunteer_id, note: text(&f, "note") };
            match svc.hand_over_pair(u, id, &input).await {
                Ok(new) => see_other(&format!("/care/pairs/{}", new.id), "care_handed_over"),
                other => answer(&s, &p, id, path, "care_handed_over", other).await,
            }
        }
        _ => service_error(&s, p.lang, Error::NotFound),
    }
}

pub(super) async fn visit_action(
    State(s): State<AppState>,
    p: PageUser,
    uri: OriginalUri,
    Path((id, action)): Path<(i64, String)>,
    f: CsrfForm,
) -> Response {
    let pair = f.get("pair_id").and_then(|v| v.parse().ok()).unwrap_or(0);
    let path = uri.0.path();
    match action.as_str() {
        "need" => {
            let input = ConcernToNeed { category: f.get("category").unwrap_or_default().to_string() };
            answer(&s, &p, pair, path, "care_need_made", s.svc.concern_to_need(&p.user, id, &input).await).await
        }
        "confirm" => answer(&s, &p, pair, path, "care_confirmed", s.svc.confirm_visit(&p.user, id).await).await,
        "hide" => answer(&s, &p, pair, path, "care_notes_hidden", s.svc.hide_visit_notes(&p.user, id, true).await).await,
        "show" => answer(&s, &p, pair, path, "care_notes_shown", s.svc.hide_visit_notes(&p.user, id, false).await).await,
        _ => service_error(&s, p.lang, Error::NotFound),
    }
}
