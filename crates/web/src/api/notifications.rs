//! Each user's notification centre.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::Json;
use serde::Serialize;
use tongxing_domain::model::Notification;
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

use super::{ApiResult, ListParams};
use crate::error::ApiError;
use crate::extract::ApiUser;
use crate::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list))
        .routes(routes!(read_one))
        .routes(routes!(read_all))
        .routes(routes!(outbox))
        .routes(routes!(retry))
}

#[derive(Serialize, ToSchema)]
pub struct Inbox {
    items: Vec<Notification>,
    total: i64,
    unread: i64,
}

/// The signed-in user's notifications, newest first, with the unread count.
#[utoipa::path(get, path = "/api/v1/notifications", tag = "notifications", params(ListParams), responses((status = 200, body = Inbox)))]
async fn list(State(s): State<AppState>, ApiUser(actor, lang): ApiUser, Query(p): Query<ListParams>) -> ApiResult<Json<Inbox>> {
    let (page, unread) = s.svc.notifications(&actor, p.page()).await.map_err(|e| ApiError::from_service(e, &s.cat, lang))?;
    Ok(Json(Inbox { items: page.items, total: page.total, unread }))
}

/// Marks one of the caller's notifications as read; anyone else's is 404.
#[utoipa::path(post, path = "/api/v1/notifications/{id}/read", tag = "notifications", params(("id" = i64, Path, minimum = 1)),
    responses((status = 204), (status = 404)))]
async fn read_one(State(s): State<AppState>, ApiUser(actor, lang): ApiUser, Path(id): Path<i64>) -> ApiResult<StatusCode> {
    s.svc.mark_read(&actor, Some(id)).await.map_err(|e| ApiError::from_service(e, &s.cat, lang))?;
    Ok(StatusCode::NO_CONTENT)
}

/// Marks every notification as read.
#[utoipa::path(post, path = "/api/v1/notifications/read-all", tag = "notifications", responses((status = 204)))]
async fn read_all(State(s): State<AppState>, ApiUser(actor, lang): ApiUser) -> ApiResult<StatusCode> {
    s.svc.mark_read(&actor, None).await.map_err(|e| ApiError::from_service(e, &s.cat, lang))?;
    Ok(StatusCode::NO_CONTENT)
}

tongxing_domain::field_schemas! {
    status_schema = tongxing_domain::schema::optional_one_of(&[&[""][..], &tongxing_store::outbox::STATUSES[..]].concat());
}

#[derive(serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OutboxQuery {
    /// pending, sent or dead
    #[param(schema_with = status_schema)]
    status: Option<String>,
}

/// Outbound deliveries (group robots, SMS) with their status, newest first;
/// recipients masked. Admin and coordinator.
#[utoipa::path(get, path = "/api/v1/outbox", tag = "notifications", params(ListParams, OutboxQuery),
    responses((status = 200, description = "{items, total}"), (status = 403), (status = 422)))]
async fn outbox(
    State(s): State<AppState>,
    ApiUser(actor, lang): ApiUser,
    Query(p): Query<ListParams>,
    Query(q): Query<OutboxQuery>,
) -> ApiResult<Json<serde_json::Value>> {
    let list = s.svc.deliveries(&actor, q.status.as_deref(), p.page()).await.map_err(|e| ApiError::from_service(e, &s.cat, lang))?;
    Ok(Json(serde_json::json!({"items": list.items, "total": list.total})))
}

/// Sends a `dead` delivery, or one waiting to retry after a failure, again now
/// with a fresh count of attempts (audited). 409 `not_retryable` otherwise.
#[utoipa::path(post, path = "/api/v1/outbox/{id}/retry", tag = "notifications", params(("id" = i64, Path, minimum = 1)),
    responses((status = 204), (status = 403), (status = 404), (status = 409)))]
async fn retry(State(s): State<AppState>, ApiUser(actor, lang): ApiUser, Path(id): Path<i64>) -> ApiResult<StatusCode> {
    s.svc.retry_delivery(&actor, id).await.map_err(|e| ApiError::from_service(e, &s.cat, lang))?;
    Ok(StatusCode::NO_CONTENT)
}
