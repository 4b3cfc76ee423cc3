use axum::extract::{Query, State};
use axum::Json;
use tongxing_domain::model::User;
use tongxing_service::auth::NewAccount;
use utoipa_axum::{router::OpenApiRouter, routes};

use super::{ApiResult, ListOf, ListParams};
use crate::error::ApiError;
use crate::extract::{ApiJson, ApiUser};
use crate::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(create_user, list_users))
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
