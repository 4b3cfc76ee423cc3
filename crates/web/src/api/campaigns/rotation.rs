//! The rotation over HTTP: slots by hand, and the generated default plan.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::Json;
use serde::Serialize;
use tongxing_domain::campaigns::campaign::SlotInput;
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::api::{created, err, ApiResult, Saved};
use crate::extract::{ApiJson, ApiUser};
use crate::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(add_slot)).routes(routes!(move_slot, delete_slot)).routes(routes!(generate))
}

/// A district hosts a theme over some days of the campaign. 422 with `field`:
/// `district_id` unknown, `theme` not the campaign's, `ends_on` before
/// `starts_on`, days outside the campaign, or `starts_on` `slot_overlaps`
/// another slot of the district (unless the campaign allows overlaps).
#[utoipa::path(post, path = "/api/v1/campaigns/{id}/slots", tag = "campaigns", params(("id" = i64, Path, minimum = 1)), request_body = SlotInput,
    responses((status = 201, body = Saved), (status = 403), (status = 404), (status = 422)))]
async fn add_slot(
    State(s): State<AppState>,
    ApiUser(actor, lang): ApiUser,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<SlotInput>,
) -> ApiResult<Response> {
    Ok(created(s.svc.save_slot(&actor, id, None, &input).await.map_err(err(&s, lang))?))
}

/// Moves a slot; the same rules as adding one.
#[utoipa::path(put, path = "/api/v1/campaigns/{id}/slots/{slot_id}", tag = "campaigns",
    params(("id" = i64, Path, minimum = 1), ("slot_id" = i64, Path, minimum = 1)), request_body = SlotInput,
    responses((status = 200, body = Saved), (status = 403), (status = 404), (status = 422)))]
async fn move_slot(
    State(s): State<AppState>,
    ApiUser(actor, lang): ApiUser,
    Path((id, slot)): Path<(i64, i64)>,
    ApiJson(input): ApiJson<SlotInput>,
) -> ApiResult<Json<Saved>> {
    Ok(Json(Saved { id: s.svc.save_slot(&actor, id, Some(slot), &input).await.map_err(err(&s, lang))? }))
}

#[utoipa::path(delete, path = "/api/v1/campaigns/{id}/slots/{slot_id}", tag = "campaigns",
    params(("id" = i64, Path, minimum = 1), ("slot_id" = i64, Path, minimum = 1)), responses((status = 204), (status = 403), (status = 404)))]
async fn delete_slot(
    State(s): State<AppState>,
    ApiUser(actor, lang): ApiUser,
    Path((id, slot)): Path<(i64, i64)>,
) -> ApiResult<StatusCode> {
    s.svc.delete_slot(&actor, id, slot).await.map_err(err(&s, lang))?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Serialize, ToSchema)]
pub struct Generated {
    /// How many slots the new plan has.
    slots: usize,
}

/// Replaces the rotation with the fair default: the campaign in two-month
/// slots, every active district hosting at least once, themes in turn.
#[utoipa::path(post, path = "/api/v1/campaigns/{id}/rotation", tag = "campaigns", params(("id" = i64, Path, minimum = 1)),
    responses((status = 200, body = Generated), (status = 403), (status = 404)))]
async fn generate(State(s): State<AppState>, ApiUser(actor, lang): ApiUser, Path(id): Path<i64>) -> ApiResult<Json<Generated>> {
    Ok(Json(Generated { slots: s.svc.generate_rotation(&actor, id).await.map_err(err(&s, lang))? }))
}
