use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use serde::{Deserialize, Serialize};
use tongxing_domain::model::User;
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

use super::ApiResult;
use crate::error::ApiError;
use crate::extract::{ApiJson, ApiLang, ApiUser, ClientIp};
use crate::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(login)).routes(routes!(logout)).routes(routes!(me))
}

#[derive(Deserialize, ToSchema)]
pub struct LoginRequest {
    login: String,
    password: String,
}

#[derive(Serialize, ToSchema)]
pub struct LoginResponse {
    token: String,
    user: User,
}

/// Exchanges a login and password for a bearer token. Public; throttled.
#[utoipa::path(post, path = "/api/v1/auth/login", tag = "accounts", security(()), request_body = LoginRequest,
    responses((status = 200, body = LoginResponse), (status = 401), (status = 429)))]
async fn login(
    State(s): State<AppState>,
    ApiLang(lang): ApiLang,
    ClientIp(ip): ClientIp,
    ApiJson(req): ApiJson<LoginRequest>,
) -> ApiResult<Json<LoginResponse>> {
    let (token, user) = s.svc.login(&req.login, &req.password, &ip).await.map_err(|e| ApiError::from_service(e, &s.cat, lang))?;
    Ok(Json(LoginResponse { token, user }))
}

/// Ends the session of the token used.
#[utoipa::path(post, path = "/api/v1/auth/logout", tag = "accounts", responses((status = 204)))]
async fn logout(State(s): State<AppState>, ApiUser(_me, lang): ApiUser, headers: axum::http::HeaderMap) -> ApiResult<StatusCode> {
    let token = headers.get("authorization").and_then(|v| v.to_str().ok()).and_then(|v| v.strip_prefix("Bearer ")).unwrap_or("");
    s.svc.logout(token.trim()).await.map_err(|e| ApiError::from_service(e, &s.cat, lang))?;
    Ok(StatusCode::NO_CONTENT)
}

/// The signed-in account.
#[utoipa::path(get, path = "/api/v1/auth/me", tag = "accounts", responses((status = 200, body = User)))]
async fn me(ApiUser(u, _): ApiUser) -> Json<User> {
    Json(u)
}
