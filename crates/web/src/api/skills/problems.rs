//! The front-line problem board (一线生产难题) over HTTP.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;
use tongxing_domain::skills::inputs::{AwardInput, ClaimInput, MergeInput, ProblemInput, StepInput};
use tongxing_domain::skills::views::{Problem, ProposerSolved, TeamSolved};
use tongxing_service::skills::problems::{BoardQuery, ProblemDetail};
use utoipa::IntoParams;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::api::registry::respond_list;
use crate::api::{err, ApiResult, ListOf, ListParams};
use crate::extract::{ApiJson, ApiUser};
use crate::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, propose))
        .routes(routes!(solved))
        .routes(routes!(solved_by_proposer))
        .routes(routes!(get_one))
        .routes(routes!(claim))
        .routes(routes!(step))
        .routes(routes!(merge))
        .routes(routes!(award))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ProblemQuery {
    unit_id: Option<i64>,
    /// A trade's code.
    trade: Option<String>,
    team_id: Option<i64>,
    /// `proposed`, `claimed`, `solution`, `field_test`, `rolled_out` or `closed`.
    status: Option<String>,
}

/// The board, newest first (`?format=xlsx` for Excel).
#[utoipa::path(get, path = "/api/v1/problems", tag = "skills", params(ListParams, ProblemQuery),
    responses((status = 200, body = ListOf<Problem>), (status = 422)))]
async fn list(
    State(s): State<AppState>,
    ApiUser(actor, lang): ApiUser,
    Query(p): Query<ListParams>,
    Query(q): Query<ProblemQuery>,
) -> ApiResult<Response> {
    let bq = BoardQuery { unit_id: q.unit_id, trade: q.trade, team_id: q.team_id, status: q.status };
    let list = s.svc.problems(&actor, &bq, p.fetch_page()).await.map_err(err(&s, lang))?;
    respond_list(&s, lang, &p, "problems", list)
}

/// Proposes a problem; the proposer (难题首提人) and the time are kept.
#[utoipa::path(post, path = "/api/v1/problems", tag = "skills", request_body = ProblemInput,
    responses((status = 201, body = ProblemDetail), (status = 403), (status = 422)))]
async fn propose(State(s): State<AppState>, ApiUser(actor, lang): ApiUser, ApiJson(input): ApiJson<ProblemInput>) -> ApiResult<Response> {
    Ok((StatusCode::CREATED, Json(s.svc.propose_problem(&actor, input).await.map_err(err(&s, lang))?)).into_response())
}

/// Problems solved (rolled out or closed) per team.
#[utoipa::path(get, path = "/api/v1/problems/solved", tag = "skills", responses((status = 200, body = Vec<TeamSolved>)))]
async fn solved(State(s): State<AppState>, ApiUser(actor, lang): ApiUser) -> ApiResult<Json<Vec<TeamSolved>>> {
    Ok(Json(s.svc.problems_solved(&actor).await.map_err(err(&s, lang))?))
}

/// Per first proposer (难题首提人): problems proposed and how many were solved (rolled out or closed).
#[utoipa::path(get, path = "/api/v1/problems/solved/proposers", tag = "skills", responses((status = 200, body = Vec<ProposerSolved>)))]
async fn solved_by_proposer(State(s): State<AppState>, ApiUser(actor, lang): ApiUser) -> ApiResult<Json<Vec<ProposerSolved>>> {
    Ok(Json(s.svc.problems_solved_by_proposer(&actor).await.map_err(err(&s, lang))?))
}

/// A problem with every step, who recorded it and when.
#[utoipa::path(get, path = "/api/v1/problems/{id}", tag = "skills", params(("id" = i64, Path, minimum = 1)),
    responses((status = 200, body = ProblemDetail), (status = 404)))]
async fn get_one(State(s): State<AppState>, ApiUser(actor, lang): ApiUser, Path(id): Path<i64>) -> ApiResult<Json<ProblemDetail>> {
    Ok(Json(s.svc.problem(&actor, id).await.map_err(err(&s, lang))?))
}

/// A team (its leader, or the center for any team) claims a proposed
/// problem; the second claim is 409 `already_claimed`.
#[utoipa::path(post, path = "/api/v1/problems/{id}/claim", tag = "skills", params(("id" = i64, Path, minimum = 1)),
    request_body = ClaimInput,
    responses((status = 200, body = ProblemDetail), (status = 403), (status = 404), (status = 409), (status = 422)))]
async fn claim(
    State(s): State<AppState>,
    ApiUser(actor, lang): ApiUser,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<ClaimInput>,
) -> ApiResult<Json<ProblemDetail>> {
    Ok(Json(s.svc.claim_problem(&actor, id, input.team_id).await.map_err(err(&s, lang))?))
}

/// The next step — `solution`, `field_test`, `rolled_out`, `closed`, in
/// that order — by the holding team's leader or the center.
#[utoipa::path(post, path = "/api/v1/problems/{id}/steps", tag = "skills", params(("id" = i64, Path, minimum = 1)),
    request_body = StepInput,
    responses((status = 200, body = ProblemDetail), (status = 403), (status = 404), (status = 409), (status = 422)))]
async fn step(
    State(s): State<AppState>,
    ApiUser(actor, lang): ApiUser,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<StepInput>,
) -> ApiResult<Json<ProblemDetail>> {
    Ok(Json(s.svc.problem_step(&actor, id, input).await.map_err(err(&s, lang))?))
}

/// Merges this problem, a duplicate, into `into`, the one proposed first
/// (the center): the duplicate leaves the board with its history kept, its
/// proposer and supporters become supporters of the first, and its claim
/// moves to the first if that has none. A duplicate worked on past its
/// claim, or two teams' claims, is 409.
#[utoipa::path(post, path = "/api/v1/problems/{id}/merge", tag = "skills", params(("id" = i64, Path, minimum = 1)),
    request_body = MergeInput,
    responses((status = 200, body = ProblemDetail), (status = 403), (status = 404), (status = 409), (status = 422)))]
async fn merge(
    State(s): State<AppState>,
    ApiUser(actor, lang): ApiUser,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<MergeInput>,
) -> ApiResult<Json<ProblemDetail>> {
    Ok(Json(s.svc.merge_problem(&actor, id, input).await.map_err(err(&s, lang))?))
}

/// Names the award a problem's solution won, e.g. 最佳创意方案 (the center),
/// once a solution is recorded (422 `not_solved` before).
#[utoipa::path(post, path = "/api/v1/problems/{id}/award", tag = "skills", params(("id" = i64, Path, minimum = 1)),
    request_body = AwardInput,
    responses((status = 200, body = ProblemDetail), (status = 403), (status = 404), (status = 409), (status = 422)))]
async fn award(
    State(s): State<AppState>,
    ApiUser(actor, lang): ApiUser,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<AwardInput>,
) -> ApiResult<Json<ProblemDetail>> {
    Ok(Json(s.svc.award_problem(&actor, id, input).await.map_err(err(&s, lang))?))
}
