//! The round page's forms: nominate, name a panel member, start review,
//! decide, vote (panel), start the notice, resolve an objection, publish. Each answers with a redirect and
//! a flash, or the round's page again with the reason it was refused.

use axum::extract::{OriginalUri, Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use tongxing_domain::honours::panel::{PanelMemberInput, VoteInput};
use tongxing_domain::honours::view::{DecisionInput, NominationInput, ResolveInput};
use tongxing_service::Error;
use tongxing_store::now_ms;

use super::round::render_round;
use crate::extract::{CsrfForm, PageUser};
use crate::i18n::Tr;
use crate::ui::{see_other, service_error};
use crate::AppState;

fn text(f: &CsrfForm, key: &str) -> Option<String> {
    f.get(key).map(str::trim).filter(|v| !v.is_empty()).map(str::to_string)
}

async fn answer<T>(s: &AppState, p: &PageUser, round: i64, path: &str, flash: &str, r: tongxing_service::Result<T>) -> Response {
    let tr = Tr { cat: &s.cat, lang: p.lang };
    let why = |code: &str| tr.t(&format!("error.{code}"));
    match r {
        Ok(_) => see_other(&format!("/honours/rounds/{round}"), flash),
        Err(Error::Validation(inv)) => {
            let e = inv.0.first().map(|e| format!("{}: {}", tr.t(&format!("honour.field.{}", e.field)), why(e.code)));
            render_round(s, p, round, path, e.map(|e| (StatusCode::UNPROCESSABLE_ENTITY, e))).await
        }
        Err(Error::Conflict { code, .. }) => render_round(s, p, round, path, Some((StatusCode::CONFLICT, why(code)))).await,
        Err(e) => service_error(s, p.lang, e),
    }
}

/// `/honours/rounds/{id}/{action}`: nominate, review, notice, publish.
pub(super) async fn round_action(
    State(s): State<AppState>,
    p: PageUser,
    uri: OriginalUri,
    Path((id, action)): Path<(i64, String)>,
    f: CsrfForm,
) -> Response {
    let (svc, u, path) = (&s.svc, &p.user, uri.0.path());
    match action.as_str() {
        "nominate" => {
            let subject = f.get("subject").and_then(|v| v.trim().parse::<i64>().ok());
            let team = f.get("kind") == Some("team");
            let input = NominationInput {
                volunteer_id: subject.filter(|_| !team),
                team_id: subject.filter(|_| team),
                citation: text(&f, "citation").unwrap_or_default(),
            };
            answer(&s, &p, id, path, "nominated", svc.nominate(u, id, &input, now_ms()).await).await
        }
        "review" => answer(&s, &p, id, path, "review_started", svc.start_honour_review(u, id, now_ms()).await).await,
        "notice" => answer(&s, &p, id, path, "notice_started", svc.start_honour_notice(u, id, now_ms()).await).await,
        "publish" => answer(&s, &p, id, path, "round_published", svc.publish_round(u, id, now_ms()).await).await,
        "panel" => {
            let input = PanelMemberInput { user_id: f.get("user_id").and_then(|v| v.trim().parse().ok()).unwrap_or_default() };
            answer(&s, &p, id, path, "panel_member_named", svc.name_panel_member(u, id, &input, now_ms()).await).await
        }
        _ => service_error(&s, p.lang, Error::NotFound),
    }
}

/// A reviewer's decision and note on one nominee.
pub(super) async fn decide(
    State(s): State<AppState>,
    p: PageUser,
    uri: OriginalUri,
    Path((id, nid)): Path<(i64, i64)>,
    f: CsrfForm,
) -> Response {
    let input = DecisionInput { decision: f.get("decision").unwrap_or_default().to_string(), note: text(&f, "note") };
    let r = s.svc.decide_nomination(&p.user, id, nid, &input).await;
    answer(&s, &p, id, uri.0.path(), "decision_recorded", r).await
}

/// A panel member's vote (or declared conflict) and note on one nominee.
pub(super) async fn vote(
    State(s): State<AppState>,
    p: PageUser,
    uri: OriginalUri,
    Path((id, nid)): Path<(i64, i64)>,
    f: CsrfForm,
) -> Response {
    let input = VoteInput { decision: f.get("decision").unwrap_or_default().to_string(), note: text(&f, "note") };
    let r = s.svc.vote_nomination(&p.user, id, nid, &input, now_ms()).await;
    answer(&s, &p, id, uri.0.path(), "vote_recorded", r).await
}

/// The center's finding on one objection; upheld removes the nominee.
pub(super) async fn resolve(
    State(s): State<AppState>,
    p: PageUser,
    uri: OriginalUri,
    Path((id, oid)): Path<(i64, i64)>,
    f: CsrfForm,
) -> Response {
    let input = ResolveInput { upheld: f.get("upheld") == Some("true"), finding: text(&f, "finding").unwrap_or_default() };
    let r = s.svc.resolve_objection(&p.user, oid, &input).await;
    answer(&s, &p, id, uri.0.path(), "objection_resolved", r).await
}
