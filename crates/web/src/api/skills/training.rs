//! Training classes over HTTP.

use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::{Deserialize, Serialize};
use tongxing_domain::skills::inputs::{AttendanceInput, EnrolmentInput, ResultInput, TrainingInput};
use tongxing_domain::skills::views::Training;
use tongxing_service::skills::training::{EnrolmentResult, ExamResult};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::api::registry::respond_list;
use crate::api::{created, err, ApiResult, ListOf, ListParams, Saved};
use crate::extract::{ApiJson, ApiUser};
use crate::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(get_one))
        .routes(routes!(enrol))
        .routes(routes!(attend))
        .routes(routes!(result))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TrainingQuery {
    /// A trade's code.
    trade: Option<String>,
    unit_id: Option<i64>,
}

/// Training classes, latest first (`?format=xlsx` for Excel).
#[utoipa::path(get, path = "/api/v1/trainings", tag = "skills", params(ListParams, TrainingQuery),
    responses((status = 200, body = ListOf<Training>), (status = 422)))]
async fn list(
    State(s): State<AppState>,
    ApiUser(actor, lang): ApiUser,
    Query(p): Query<ListParams>,
    Query(q): Query<TrainingQuery>,
) -> ApiResult<Response> {
    let list = s.svc.trainings(&actor, q.trade.as_deref(), q.unit_id, p.fetch_page()).await.map_err(err(&s, lang))?;
    respond_list(&s, lang, &p, "trainings", list)
}

/// Adds a class with its teachers and lessons: the center, or a liaison for their unit.
#[utoipa::path(post, path = "/api/v1/trainings", tag = "skills", request_body = TrainingInput,
    responses((status = 201, body = Saved), (status = 403), (status = 422)))]
async fn create(State(s): State<AppState>, ApiUser(actor, lang): ApiUser, ApiJson(input): ApiJson<TrainingInput>) -> ApiResult<Response> {
    Ok(created(s.svc.create_training(&actor, input).await.map_err(err(&s, lang))?))
}

/// A class with its teachers, lessons and attendance counts.
#[utoipa::path(get, path = "/api/v1/trainings/{id}", tag = "skills", params(("id" = i64, Path, minimum = 1)),
    responses((status = 200, body = Training), (status = 404)))]
async fn get_one(State(s): State<AppState>, ApiUser(actor, lang): ApiUser, Path(id): Path<i64>) -> ApiResult<Json<Training>> {
    Ok(Json(s.svc.training(&actor, id).await.map_err(err(&s, lang))?))
}

/// Enrols a person of the caller's reach; a full class is 409 `class_full`;
/// the same person again is `already`.
#[utoipa::path(post, path = "/api/v1/trainings/{id}/enrolments", tag = "skills", params(("id" = i64, Path, minimum = 1)),
    request_body = EnrolmentInput,
    responses((status = 200, body = EnrolmentResult), (status = 403), (status = 404), (status = 409), (status = 422)))]
async fn enrol(
    State(s): State<AppState>,
    ApiUser(actor, lang): ApiUser,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<EnrolmentInput>,
) -> ApiResult<Json<EnrolmentResult>> {
    Ok(Json(s.svc.enrol(&actor, id, input.person_id).await.map_err(err(&s, lang))?))
}

#[derive(Serialize, ToSchema)]
pub struct Marked {
    /// People newly marked present.
    pub marked: u64,
}

/// Marks enrolled people present at one of the class's lessons: their
/// hours count toward the next level. The running unit's liaison or the center.
#[utoipa::path(post, path = "/api/v1/trainings/{id}/attendance", tag = "skills", params(("id" = i64, Path, minimum = 1)),
    request_body = AttendanceInput, responses((status = 200, body = Marked), (status = 403), (status = 404), (status = 422)))]
async fn attend(
    State(s): State<AppState>,
    ApiUser(actor, lang): ApiUser,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<AttendanceInput>,
) -> ApiResult<Json<Marked>> {
    Ok(Json(Marked { marked: s.svc.attend(&actor, id, &input).await.map_err(err(&s, lang))? }))
}

/// An enrolled person's exam score (0–100); passed at the class's pass mark or above.
#[utoipa::path(post, path = "/api/v1/trainings/{id}/results", tag = "skills", params(("id" = i64, Path, minimum = 1)),
    request_body = ResultInput, responses((status = 200, body = ExamResult), (status = 403), (status = 404), (status = 422)))]
async fn result(
    State(s): State<AppState>,
    ApiUser(actor, lang): ApiUser,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<ResultInput>,
) -> ApiResult<Response> {
    Ok(Json(s.svc.record_exam(&actor, id, input).await.map_err(err(&s, lang))?).into_response())
}
