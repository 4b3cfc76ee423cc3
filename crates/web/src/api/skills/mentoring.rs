//! 师带徒 over HTTP.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;
use tongxing_domain::skills::apprenticeship::{AssessmentInput, CompletionInput};
use tongxing_domain::skills::inputs::MentorshipInput;
use tongxing_domain::skills::views::Mentorship;
use tongxing_service::skills::apprenticeship::MentorshipDetail;
use tongxing_service::skills::mentoring::Mentoring;
use utoipa::IntoParams;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::api::registry::respond_list;
use crate::api::{created, err, ApiResult, ListOf, ListParams, Saved};
use crate::extract::{ApiJson, ApiUser};
use crate::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(get_one))
        .routes(routes!(assess))
        .routes(routes!(complete))
        .routes(routes!(mentoring))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MentorshipQuery {
    /// A person, as mentor or apprentice.
    person_id: Option<i64>,
    /// The apprentices' unit (a liaison: their own).
    unit_id: Option<i64>,
}

/// Agreements, newest first (`?format=xlsx` for Excel).
#[utoipa::path(get, path = "/api/v1/mentorships", tag = "skills", params(ListParams, MentorshipQuery),
    responses((status = 200, body = ListOf<Mentorship>), (status = 403)))]
async fn list(
    State(s): State<AppState>,
    ApiUser(actor, lang): ApiUser,
    Query(p): Query<ListParams>,
    Query(q): Query<MentorshipQuery>,
) -> ApiResult<Response> {
    let list = s.svc.mentorships(&actor, q.person_id, q.unit_id, p.fetch_page()).await.map_err(err(&s, lang))?;
    respond_list(&s, lang, &p, "mentorships", list)
}

/// A 师带徒 agreement for an apprentice of the caller's unit: the target
/// above the starting level (422 `target_level`), never one's own mentor
/// (422 `apprentice_id`).
#[utoipa::path(post, path = "/api/v1/mentorships", tag = "skills", request_body = MentorshipInput,
    responses((status = 201, body = Saved), (status = 403), (status = 404), (status = 422)))]
async fn create(State(s): State<AppState>, ApiUser(actor, lang): ApiUser, ApiJson(input): ApiJson<MentorshipInput>) -> ApiResult<Response> {
    Ok(created(s.svc.create_mentorship(&actor, input).await.map_err(err(&s, lang))?))
}

/// A mentor's apprentices and what became of them, computed from their
/// certifications: the level reached in the agreement's trade, the
/// certifications gained since it started, and the figures by level and trade.
#[utoipa::path(get, path = "/api/v1/people/{id}/mentoring", tag = "skills", params(("id" = i64, Path, minimum = 1)),
    responses((status = 200, body = Mentoring), (status = 403), (status = 404)))]
async fn mentoring(State(s): State<AppState>, ApiUser(actor, lang): ApiUser, Path(id): Path<i64>) -> ApiResult<Json<Mentoring>> {
    Ok(Json(s.svc.mentoring(&actor, id).await.map_err(err(&s, lang))?))
}

/// An agreement with its assessments, status and, once completed, whether early or late.
#[utoipa::path(get, path = "/api/v1/mentorships/{id}", tag = "skills", params(("id" = i64, Path, minimum = 1)),
    responses((status = 200, body = MentorshipDetail), (status = 403), (status = 404)))]
async fn get_one(State(s): State<AppState>, ApiUser(actor, lang): ApiUser, Path(id): Path<i64>) -> ApiResult<Json<MentorshipDetail>> {
    Ok(Json(s.svc.mentorship(&actor, id).await.map_err(err(&s, lang))?))
}

/// An assessment with a score (0–100) and comment: `monthly` by the mentor
/// (or the unit), `quarterly` by the workshop and `yearly` by the unit —
/// the apprentice's unit's liaison or the center. `period` is `2026-03`,
/// `2026-Q1` or `2026` as the scope asks (422 `period`); a second of one
/// scope and period is 409 `duplicate_assessment`; after 出师, 409 `already_completed`.
#[utoipa::path(post, path = "/api/v1/mentorships/{id}/assessments", tag = "skills", params(("id" = i64, Path, minimum = 1)),
    request_body = AssessmentInput,
    responses((status = 201, body = MentorshipDetail), (status = 403), (status = 404), (status = 409), (status = 422)))]
async fn assess(
    State(s): State<AppState>,
    ApiUser(actor, lang): ApiUser,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<AssessmentInput>,
) -> ApiResult<Response> {
    let detail = s.svc.assess_apprentice(&actor, id, input).await.map_err(err(&s, lang))?;
    Ok((StatusCode::CREATED, Json(detail)).into_response())
}

/// 出师: the day (not before the start, not in the future) and the final
/// assessment; `timing` says early, on time or late. Twice is 409 `already_completed`.
#[utoipa::path(post, path = "/api/v1/mentorships/{id}/complete", tag = "skills", params(("id" = i64, Path, minimum = 1)),
    request_body = CompletionInput,
    responses((status = 200, body = MentorshipDetail), (status = 403), (status = 404), (status = 409), (status = 422)))]
async fn complete(
    State(s): State<AppState>,
    ApiUser(actor, lang): ApiUser,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<CompletionInput>,
) -> ApiResult<Json<MentorshipDetail>> {
    Ok(Json(s.svc.complete_mentorship(&actor, id, input).await.map_err(err(&s, lang))?))
}
