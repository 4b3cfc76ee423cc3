//! Emergency dispatch over HTTP (API.md "Emergency dispatch — 应急调度").

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::{Deserialize, Serialize};
use tongxing_domain::dispatch::{Answer, DispatchInput};
use tongxing_service::dispatch::{Answered, Board, Candidate, Created, Preview, Report, RosterLine, Wave};
use tongxing_store::dispatch::Call;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::{router::OpenApiRouter, routes};

use super::{err, ApiResult, ListOf};
use crate::export::xlsx_response;
use crate::extract::{ApiJson, ApiLang, ApiUser, PublicBase};
use crate::i18n::Tr;
use crate::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create, list))
        .routes(routes!(preview))
        .routes(routes!(board))
        .routes(routes!(candidates))
        .routes(routes!(respond))
        .routes(routes!(commit))
        .routes(routes!(wave))
        .routes(routes!(close))
        .routes(routes!(top_up))
        .routes(routes!(roster))
        .routes(routes!(report))
        .routes(routes!(answer_link))
        .routes(routes!(crate::live::dispatch::board_events))
}

/// Sends a call: quotas per unit, the first wave notified, liaisons told.
#[utoipa::path(post, path = "/api/v1/dispatches", tag = "dispatch", request_body = DispatchInput,
    responses((status = 201, body = Created), (status = 403), (status = 422)))]
async fn create(
    State(s): State<AppState>,
    ApiUser(actor, lang): ApiUser,
    PublicBase(base): PublicBase,
    ApiJson(input): ApiJson<DispatchInput>,
) -> ApiResult<Response> {
    let created = s.svc.create_dispatch(&actor, &input, &base).await.map_err(err(&s, lang))?;
    Ok((StatusCode::CREATED, Json(created)).into_response())
}

/// What a call would get before it is sent: eligible people near the place and the proposed quota per unit.
#[utoipa::path(post, path = "/api/v1/dispatches/preview", tag = "dispatch", request_body = DispatchInput,
    responses((status = 200, body = Preview), (status = 422)))]
async fn preview(
    State(s): State<AppState>,
    ApiUser(actor, lang): ApiUser,
    ApiJson(input): ApiJson<DispatchInput>,
) -> ApiResult<Json<Preview>> {
    Ok(Json(s.svc.preview_dispatch(&actor, &input).await.map_err(err(&s, lang))?))
}

/// Recent calls, newest first.
#[utoipa::path(get, path = "/api/v1/dispatches", tag = "dispatch", responses((status = 200, body = ListOf<Call>)))]
async fn list(State(s): State<AppState>, ApiUser(actor, lang): ApiUser) -> ApiResult<Json<ListOf<Call>>> {
    let items = s.svc.dispatches(&actor).await.map_err(err(&s, lang))?;
    Ok(Json(ListOf::all(items)))
}

/// The board: filled / needed, per unit, and who answered.
#[utoipa::path(get, path = "/api/v1/dispatches/{id}", tag = "dispatch", params(("id" = i64, Path, minimum = 1)), responses((status = 200, body = Board), (status = 404)))]
async fn board(State(s): State<AppState>, ApiUser(actor, lang): ApiUser, Path(id): Path<i64>) -> ApiResult<Json<Board>> {
    Ok(Json(s.svc.dispatch_board(&actor, id).await.map_err(err(&s, lang))?))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
struct CandidateQuery {
    /// At most this many (default 200).
    limit: Option<usize>,
}

#[derive(Serialize, ToSchema)]
struct Candidates {
    items: Vec<Candidate>,
}

/// The ranked candidates as the call stands, best first.
#[utoipa::path(get, path = "/api/v1/dispatches/{id}/candidates", tag = "dispatch", params(("id" = i64, Path, minimum = 1), CandidateQuery),
    responses((status = 200, body = Candidates)))]
async fn candidates(
    State(s): State<AppState>,
    ApiUser(actor, lang): ApiUser,
    Path(id): Path<i64>,
    Query(q): Query<CandidateQuery>,
) -> ApiResult<Json<Candidates>> {
    let items = s.svc.candidates(&actor, id, q.limit.unwrap_or(200).min(5000)).await.map_err(err(&s, lang))?;
    Ok(Json(Candidates { items }))
}

#[derive(Deserialize, ToSchema)]
struct ResponseInput {
    #[schema(schema_with = tongxing_domain::schema::id)]
    volunteer_id: i64,
    answer: Answer,
}

/// Accept or decline: never more than `needed` confirmed; later acceptances are on standby.
#[utoipa::path(post, path = "/api/v1/dispatches/{id}/responses", tag = "dispatch", params(("id" = i64, Path, minimum = 1)), request_body = ResponseInput,
    responses((status = 200, body = Answered), (status = 403), (status = 409)))]
async fn respond(
    State(s): State<AppState>,
    ApiUser(actor, lang): ApiUser,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<ResponseInput>,
) -> ApiResult<Json<Answered>> {
    Ok(Json(s.svc.answer_dispatch(&actor, id, input.volunteer_id, input.answer).await.map_err(err(&s, lang))?))
}

#[derive(Deserialize, ToSchema)]
struct CommitInput {
    /// People of the caller's unit (the center: anyone).
    #[schema(schema_with = tongxing_domain::schema::ids)]
    volunteer_ids: Vec<i64>,
}

/// A liaison commits named people of their unit in one go.
#[utoipa::path(post, path = "/api/v1/dispatches/{id}/commitments", tag = "dispatch", params(("id" = i64, Path, minimum = 1)), request_body = CommitInput,
    responses((status = 200, body = ListOf<Answered>), (status = 403)))]
async fn commit(
    State(s): State<AppState>,
    ApiUser(actor, lang): ApiUser,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<CommitInput>,
) -> ApiResult<Json<ListOf<Answered>>> {
    Ok(Json(ListOf::all(s.svc.commit_people(&actor, id, &input.volunteer_ids).await.map_err(err(&s, lang))?)))
}

/// Asks the next best people for what each unit still lacks.
#[utoipa::path(post, path = "/api/v1/dispatches/{id}/waves", tag = "dispatch", params(("id" = i64, Path, minimum = 1)), responses((status = 200, body = Wave), (status = 409)))]
async fn wave(
    State(s): State<AppState>,
    ApiUser(actor, lang): ApiUser,
    PublicBase(base): PublicBase,
    Path(id): Path<i64>,
) -> ApiResult<Json<Wave>> {
    Ok(Json(s.svc.send_wave(&actor, id, &base).await.map_err(err(&s, lang))?))
}

#[derive(Deserialize, ToSchema)]
struct TopUp {
    /// How many more people the call needs: the call may need 2,000 at most.
    #[schema(minimum = 1, maximum = 1999)]
    add: i64,
}

/// Raises what the call needs: standby moves up first, then the next wave is asked.
#[utoipa::path(post, path = "/api/v1/dispatches/{id}/top-up", tag = "dispatch", params(("id" = i64, Path, minimum = 1)), request_body = TopUp,
    responses((status = 200, body = Wave), (status = 409), (status = 422)))]
async fn top_up(
    State(s): State<AppState>,
    ApiUser(actor, lang): ApiUser,
    PublicBase(base): PublicBase,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<TopUp>,
) -> ApiResult<Json<Wave>> {
    Ok(Json(s.svc.top_up_dispatch(&actor, id, input.add, &base).await.map_err(err(&s, lang))?))
}

/// Closes the call: no more answers change it.
#[utoipa::path(post, path = "/api/v1/dispatches/{id}/close", tag = "dispatch", params(("id" = i64, Path, minimum = 1)), responses((status = 200, body = Call)))]
async fn close(State(s): State<AppState>, ApiUser(actor, lang): ApiUser, Path(id): Path<i64>) -> ApiResult<Json<Call>> {
    Ok(Json(s.svc.close_dispatch(&actor, id).await.map_err(err(&s, lang))?))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
struct FormatQuery {
    /// `xlsx` for an Excel file.
    format: Option<String>,
}

/// The roll-call roster: confirmed, then standby (name, unit, phone, skills).
#[utoipa::path(get, path = "/api/v1/dispatches/{id}/roster", tag = "dispatch", params(("id" = i64, Path, minimum = 1), FormatQuery),
    responses((status = 200, body = ListOf<RosterLine>)))]
async fn roster(
    State(s): State<AppState>,
    ApiUser(actor, lang): ApiUser,
    Path(id): Path<i64>,
    Query(q): Query<FormatQuery>,
) -> ApiResult<Response> {
    let lines = s.svc.dispatch_roster(&actor, id).await.map_err(err(&s, lang))?;
    if q.format.as_deref() == Some("xlsx") {
        return xlsx_response(&Tr { cat: &s.cat, lang }, "roster", &lines).map_err(err(&s, lang));
    }
    Ok(Json(ListOf::all(lines)).into_response())
}

/// After the call: time to fill, acceptance per unit, the responders.
#[utoipa::path(get, path = "/api/v1/dispatches/{id}/report", tag = "dispatch", params(("id" = i64, Path, minimum = 1)), responses((status = 200, body = Report)))]
async fn report(State(s): State<AppState>, ApiUser(actor, lang): ApiUser, Path(id): Path<i64>) -> ApiResult<Json<Report>> {
    Ok(Json(s.svc.dispatch_report(&actor, id).await.map_err(err(&s, lang))?))
}

#[derive(Deserialize, ToSchema)]
struct LinkAnswer {
    answer: Answer,
}

/// *Public*: the one-tap answer from the link in a volunteer's SMS; the link's secret is the proof.
#[utoipa::path(post, path = "/api/v1/dispatches/answers/{token}", tag = "dispatch", request_body = LinkAnswer, security(()),
    responses((status = 200, body = Answered), (status = 404), (status = 409)))]
async fn answer_link(
    State(s): State<AppState>,
    ApiLang(lang): ApiLang,
    Path(token): Path<String>,
    ApiJson(input): ApiJson<LinkAnswer>,
) -> ApiResult<Json<Answered>> {
    Ok(Json(s.svc.answer_by_link(&token, input.answer).await.map_err(err(&s, lang))?))
}
