//! Competitions (技能竞赛) over HTTP.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;
use tongxing_domain::schema;
use tongxing_domain::skills::competitions::{Competition, CompetitionInput, EntryInput, LEVELS};
use tongxing_service::skills::competitions::{CompetitionDetail, CompetitionRecord};
use utoipa::IntoParams;
use utoipa_axum::{router::OpenApiRouter, routes};

use super::FormatQuery;
use crate::api::registry::respond_list;
use crate::api::{created, err, ApiResult, ListOf, ListParams, Saved};
use crate::export::xlsx_response;
use crate::extract::{ApiJson, ApiUser};
use crate::i18n::Tr;
use crate::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list, create)).routes(routes!(get_one)).routes(routes!(result)).routes(routes!(record))
}

tongxing_domain::field_schemas! {
    level_param = schema::optional_one_of(&LEVELS);
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CompetitionQuery {
    /// A trade's code.
    trade: Option<String>,
    /// `unit`, `oilfield`, `city`, `province` or `national`.
    #[param(schema_with = level_param)]
    level: Option<String>,
}

/// Competitions, latest first (`?format=xlsx` for Excel).
#[utoipa::path(get, path = "/api/v1/competitions", tag = "skills", params(ListParams, CompetitionQuery),
    responses((status = 200, body = ListOf<Competition>), (status = 422)))]
async fn list(
    State(s): State<AppState>,
    ApiUser(actor, lang): ApiUser,
    Query(p): Query<ListParams>,
    Query(q): Query<CompetitionQuery>,
) -> ApiResult<Response> {
    let list = s.svc.competitions(&actor, q.trade.as_deref(), q.level.as_deref(), p.fetch_page()).await.map_err(err(&s, lang))?;
    respond_list(&s, lang, &p, "competitions", list)
}

/// Adds a competition: the center at any level, a liaison for their own unit.
#[utoipa::path(post, path = "/api/v1/competitions", tag = "skills", request_body = CompetitionInput,
    responses((status = 201, body = Saved), (status = 403), (status = 422)))]
async fn create(
    State(s): State<AppState>,
    ApiUser(actor, lang): ApiUser,
    ApiJson(input): ApiJson<CompetitionInput>,
) -> ApiResult<Response> {
    Ok(created(s.svc.create_competition(&actor, input).await.map_err(err(&s, lang))?))
}

/// A competition with its entrants, coaches, places and awards
/// (`?format=xlsx`: the entrants as Excel).
#[utoipa::path(get, path = "/api/v1/competitions/{id}", tag = "skills", params(("id" = i64, Path, minimum = 1), FormatQuery),
    responses((status = 200, body = CompetitionDetail), (status = 404)))]
async fn get_one(
    State(s): State<AppState>,
    ApiUser(actor, lang): ApiUser,
    Path(id): Path<i64>,
    Query(f): Query<FormatQuery>,
) -> ApiResult<Response> {
    let detail = s.svc.competition(&actor, id).await.map_err(err(&s, lang))?;
    if f.xlsx() {
        return xlsx_response(&Tr { cat: &s.cat, lang }, "entrants", &detail.entries).map_err(err(&s, lang));
    }
    Ok(Json(detail).into_response())
}

/// Records an entrant of the caller's unit (the center: anyone) with their
/// coach, place and award (`special` names its prize); recording the same
/// person again replaces their entry. Never one's own coach (422 `coach_id`);
/// an award before the day is 422.
#[utoipa::path(post, path = "/api/v1/competitions/{id}/results", tag = "skills", params(("id" = i64, Path, minimum = 1)),
    request_body = EntryInput,
    responses((status = 201, body = CompetitionDetail), (status = 403), (status = 404), (status = 422)))]
async fn result(
    State(s): State<AppState>,
    ApiUser(actor, lang): ApiUser,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<EntryInput>,
) -> ApiResult<Response> {
    let detail = s.svc.record_competition_result(&actor, id, input).await.map_err(err(&s, lang))?;
    Ok((StatusCode::CREATED, Json(detail)).into_response())
}

/// A person's competitions as entrant and as coach, with their awards.
#[utoipa::path(get, path = "/api/v1/people/{id}/competitions", tag = "skills", params(("id" = i64, Path, minimum = 1)),
    responses((status = 200, body = CompetitionRecord), (status = 403), (status = 404)))]
async fn record(State(s): State<AppState>, ApiUser(actor, lang): ApiUser, Path(id): Path<i64>) -> ApiResult<Json<CompetitionRecord>> {
    Ok(Json(s.svc.competition_record(&actor, id).await.map_err(err(&s, lang))?))
}
