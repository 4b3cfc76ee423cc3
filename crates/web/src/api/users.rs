use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::Json;
use tongxing_domain::model::User;
use tongxing_service::auth::NewAccount;
use utoipa_axum::{router::OpenApiRouter, routes};

use super::{ApiResult, ListOf, ListParams};
use crate::error::ApiError;
use crate::extract::{ApiJson, ApiUser};
use crate::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create_user, list_users))
        .routes(routes!(deactivate_user))
        .routes(routes!(reactivate_user))
        .routes(routes!(reset_password))
}

/// Creates an account (admin only).
#[utoipa::path(post, path = "/api/v1/users", tag = "accounts", request_body = NewAccount,
    responses((status = 201, body = User), (status = 403), (status = 409), (status = 422)))]
async fn create_user(
    State(s): State<AppState>,
    ApiUser(actor, lang): ApiUser,
    ApiJson(a): ApiJson<NewAccount>,
) -> ApiResult<(axum::http::StatusCode, Json<User>)> {
    let user = s.svc.create_user(Some(&actor), &a).await.map_err(|e| ApiError::from_service(e, &s.cat, lang))?;
    Ok((axum::http::StatusCode::CREATED, Json(user)))
}

/// Lists accounts (admin only).
#[utoipa::path(get, path = "/api/v1/users", tag = "accounts", params(ListParams), responses((status = 200, body = ListOf<User>)))]
async fn list_users(
    State(s): State<AppState>,
    ApiUser(actor, lang): ApiUser,
    Query(p): Query<ListParams>,
) -> ApiResult<Json<ListOf<User>>> {
    let list = s.svc.list_users(&actor, p.page()).await.map_err(|e| ApiError::from_service(e, &s.cat, lang))?;
    Ok(Json(list.into()))
}

/// Disables an account; its sessions stop working at once. Admin only.
#[utoipa::path(post, path = "/api/v1/users/{id}/deactivate", tag = "accounts", params(("id" = i64, Path, minimum = 1)),
    responses((status = 204), (status = 403), (status = 404), (status = 409)))]
async fn deactivate_user(State(s): State<AppState>, ApiUser(actor, lang): ApiUser, Path(id): Path<i64>) -> ApiResult<StatusCode> {
    s.svc.set_user_active(&actor, id, false).await.map_err(|e| ApiError::from_service(e, &s.cat, lang))?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(post, path = "/api/v1/users/{id}/reactivate", tag = "accounts", params(("id" = i64, Path, minimum = 1)), responses((status = 204), (status = 404)))]
async fn reactivate_user(State(s): State<AppState>, ApiUser(actor, lang): ApiUser, Path(id): Path<i64>) -> ApiResult<StatusCode> {
    s.svc.set_user_active(&actor, id, true).await.map_err(|e| ApiError::from_service(e, &s.cat, lang))?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(serde::Deserialize, utoipa::ToSchema)]
pub struct NewPassword {
    #[schema(min_length = 8)]
    password: String,
}

/// Sets a new password for an account. Admin only.
#[utoipa::path(post, path = "/api/v1/users/{id}/password", tag = "accounts", params(("id" = i64, Path, minimum = 1)), request_body = NewPassword,
    responses((status = 204), (status = 403), (status = 404), (status = 422)))]
async fn reset_password(
    State(s): State<AppState>,
    ApiUser(actor, lang): ApiUser,
    Path(id): Path<i64>,
    ApiJson(p): ApiJson<NewPassword>,
) -> ApiResult<StatusCode> {
    s.svc.reset_password(&actor, id, &p.password).await.map_err(|e| ApiError::from_service(e, &s.cat, lang))?;
    Ok(StatusCode::NO_CONTENT)
}
