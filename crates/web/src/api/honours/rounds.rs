//! Opening a round, its candidates, nominations, decisions and review.

use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use axum::Json;
use tongxing_domain::honours::round::RoundInput;
use tongxing_domain::honours::view::{Candidate, DecisionInput, Line, Nomination, NominationInput, Round, TrailEntry};
use tongxing_store::now_ms;
use tongxing_store::skills::taught::LessonTaught;
use utoipa_axum::{router::OpenApiRouter, routes};

use super::page_of;
use crate::api::{created, err, ApiResult, ListOf, ListParams, Saved};
use crate::export::xlsx_response;
use crate::extract::{ApiJson, ApiUser};
use crate::i18n::Tr;
use crate::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, open))
        .routes(routes!(get_one))
        .routes(routes!(candidates))
        .routes(routes!(lessons_taught))
        .routes(routes!(lines))
        .routes(routes!(nominations, nominate))
        .routes(routes!(decide))
        .routes(routes!(review))
        .routes(routes!(trail))
}

/// The rounds, newest first; `?format=xlsx` downloads them.
#[utoipa::path(get, path = "/api/v1/honours/rounds", tag = "honours", params(ListParams), responses((status = 200, body = ListOf<Round>)))]
async fn list(State(s): State<AppState>, ApiUser(actor, lang): ApiUser, Query(p): Query<ListParams>) -> ApiResult<Response> {
    let list = s.svc.honour_rounds(&actor, p.fetch_page()).await.map_err(err(&s, lang))?;
    if p.wants_xlsx() {
        return xlsx_response(&Tr { cat: &s.cat, lang }, "rounds", &list.items).map_err(err(&s, lang));
    }
    Ok(Json(ListOf::from(list)).into_response())
}

/// The center opens a round: kind, period, eligibility, weighted criteria, quotas, dates.
#[utoipa::path(post, path = "/api/v1/honours/rounds", tag = "honours", request_body = RoundInput,
    responses((status = 201, body = Saved), (status = 403), (status = 422)))]
async fn open(State(s): State<AppState>, ApiUser(actor, lang): ApiUser, ApiJson(input): ApiJson<RoundInput>) -> ApiResult<Response> {
    Ok(created(s.svc.open_round(&actor, &input).await.map_err(err(&s, lang))?))
}

#[utoipa::path(get, path = "/api/v1/honours/rounds/{id}", tag = "honours", params(("id" = i64, Path, minimum = 1)),
    responses((status = 200, body = Round), (status = 404)))]
async fn get_one(State(s): State<AppState>, ApiUser(actor, lang): ApiUser, Path(id): Path<i64>) -> ApiResult<Json<Round>> {
    Ok(Json(s.svc.honour_round(&actor, id).await.map_err(err(&s, lang))?))
}

/// Every person or team scored from the record with the breakdown, best
/// first, the ineligible with their reason; frozen once review started.
#[utoipa::path(get, path = "/api/v1/honours/rounds/{id}/candidates", tag = "honours", params(("id" = i64, Path, minimum = 1), ListParams),
    responses((status = 200, body = ListOf<Candidate>), (status = 404)))]
async fn candidates(
    State(s): State<AppState>,
    ApiUser(actor, lang): ApiUser,
    Path(id): Path<i64>,
    Query(p): Query<ListParams>,
) -> ApiResult<Response> {
    let all = s.svc.honour_candidates(&actor, id).await.map_err(err(&s, lang))?;
    if p.wants_xlsx() {
        return xlsx_response(&Tr { cat: &s.cat, lang }, "candidates", &all).map_err(err(&s, lang));
    }
    Ok(Json(page_of(&all, p.page())).into_response())
}

/// The entries behind a candidate's figure of one measure (`metric`, as in
/// the criteria) in the round's period: a volunteer's in a volunteer round,
/// a team's members' in a team round; hours and ratings add up to (average
/// to) the figure, counts number it. `?format=xlsx` downloads them.
#[utoipa::path(get, path = "/api/v1/honours/rounds/{id}/lines/{metric}/{subject_id}", tag = "honours",
    params(("id" = i64, Path, minimum = 1), ("metric" = String, Path), ("subject_id" = i64, Path, minimum = 1), ListParams),
    responses((status = 200, body = ListOf<Line>), (status = 404)))]
async fn lines(
    State(s): State<AppState>,
    ApiUser(actor, lang): ApiUser,
    Path((id, metric, subject)): Path<(i64, String, i64)>,
    Query(p): Query<ListParams>,
) -> ApiResult<Response> {
    let all = s.svc.honour_lines(&actor, id, &metric, subject).await.map_err(err(&s, lang))?;
    if p.wants_xlsx() {
        return xlsx_response(&Tr { cat: &s.cat, lang }, "lines", &all).map_err(err(&s, lang));
    }
    Ok(Json(page_of(&all, p.page())).into_response())
}

/// The lessons behind a volunteer's "training given" figure: those held in
/// the round's period in the classes they teach, whose hours add up to it;
/// `?format=xlsx` downloads them.
#[utoipa::path(get, path = "/api/v1/honours/rounds/{id}/lessons-taught/{volunteer_id}", tag = "honours",
    params(("id" = i64, Path, minimum = 1), ("volunteer_id" = i64, Path, minimum = 1), ListParams),
    responses((status = 200, body = ListOf<LessonTaught>), (status = 404)))]
async fn lessons_taught(
    State(s): State<AppState>,
    ApiUser(actor, lang): ApiUser,
    Path((id, volunteer_id)): Path<(i64, i64)>,
    Query(p): Query<ListParams>,
) -> ApiResult<Response> {
    let all = s.svc.honour_lessons_taught(&actor, id, volunteer_id).await.map_err(err(&s, lang))?;
    if p.wants_xlsx() {
        return xlsx_response(&Tr { cat: &s.cat, lang }, "lessons_taught", &all).map_err(err(&s, lang));
    }
    Ok(Json(page_of(&all, p.page())).into_response())
}

/// The nominations with score and decision, best first; `within_quota` marks the result list.
#[utoipa::path(get, path = "/api/v1/honours/rounds/{id}/nominations", tag = "honours", params(("id" = i64, Path, minimum = 1), ListParams),
    responses((status = 200, body = ListOf<Nomination>), (status = 404)))]
async fn nominations(
    State(s): State<AppState>,
    ApiUser(actor, lang): ApiUser,
    Path(id): Path<i64>,
    Query(p): Query<ListParams>,
) -> ApiResult<Response> {
    let all = s.svc.honour_nominations(&actor, id).await.map_err(err(&s, lang))?;
    if p.wants_xlsx() {
        return xlsx_response(&Tr { cat: &s.cat, lang }, "nominations", &all).map_err(err(&s, lang));
    }
    Ok(Json(page_of(&all, p.page())).into_response())
}

/// A leader or liaison nominates one of their own, eligible and within the quota, with a citation (事迹).
#[utoipa::path(post, path = "/api/v1/honours/rounds/{id}/nominations", tag = "honours", params(("id" = i64, Path, minimum = 1)),
    request_body = NominationInput, responses((status = 201, body = Saved), (status = 403), (status = 404), (status = 409), (status = 422)))]
async fn nominate(
    State(s): State<AppState>,
    ApiUser(actor, lang): ApiUser,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<NominationInput>,
) -> ApiResult<Response> {
    Ok(created(s.svc.nominate(&actor, id, &input, now_ms()).await.map_err(err(&s, lang))?))
}

/// A reviewer's decision and note; refused (409) to a reviewer of the nominee's own unit or team.
#[utoipa::path(post, path = "/api/v1/honours/rounds/{id}/nominations/{nid}/decision", tag = "honours",
    params(("id" = i64, Path, minimum = 1), ("nid" = i64, Path, minimum = 1)), request_body = DecisionInput,
    responses((status = 200, body = Saved), (status = 403), (status = 404), (status = 409), (status = 422)))]
async fn decide(
    State(s): State<AppState>,
    ApiUser(actor, lang): ApiUser,
    Path((id, nid)): Path<(i64, i64)>,
    ApiJson(input): ApiJson<DecisionInput>,
) -> ApiResult<Json<Saved>> {
    s.svc.decide_nomination(&actor, id, nid, &input).await.map_err(err(&s, lang))?;
    Ok(Json(Saved { id: nid }))
}

/// Closes nominations and starts review: the scores are read now and frozen.
#[utoipa::path(post, path = "/api/v1/honours/rounds/{id}/review", tag = "honours", params(("id" = i64, Path, minimum = 1)),
    responses((status = 200, body = Round), (status = 403), (status = 404), (status = 409)))]
async fn review(State(s): State<AppState>, ApiUser(actor, lang): ApiUser, Path(id): Path<i64>) -> ApiResult<Json<Round>> {
    s.svc.start_honour_review(&actor, id, now_ms()).await.map_err(err(&s, lang))?;
    Ok(Json(s.svc.honour_round(&actor, id).await.map_err(err(&s, lang))?))
}

/// The round's audit trail, oldest first: every score frozen, nomination,
/// decision, objection and change, with who and when; `?format=xlsx` downloads it.
#[utoipa::path(get, path = "/api/v1/honours/rounds/{id}/audit", tag = "honours", params(("id" = i64, Path, minimum = 1), ListParams),
    responses((status = 200, body = ListOf<TrailEntry>), (status = 403), (status = 404)))]
async fn trail(
    State(s): State<AppState>,
    ApiUser(actor, lang): ApiUser,
    Path(id): Path<i64>,
    Query(p): Query<ListParams>,
) -> ApiResult<Response> {
    let all = s.svc.honour_trail(&actor, id).await.map_err(err(&s, lang))?;
    if p.wants_xlsx() {
        return xlsx_response(&Tr { cat: &s.cat, lang }, "audit", &all).map_err(err(&s, lang));
    }
    Ok(Json(page_of(&all, p.page())).into_response())
}
