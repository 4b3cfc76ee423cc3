use axum::extract::State;
use axum::Json;
use serde::Serialize;
use tongxing_domain::category::CATEGORIES;
use tongxing_service::registry::stats::Overview;
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

use super::ApiResult;
use crate::error::ApiError;
use crate::extract::{ApiLang, ApiUser};
use crate::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(categories)).routes(routes!(overview))
}

#[derive(Serialize, ToSchema)]
pub struct Category {
    code: &'static str,
    name: String,
}

/// The service categories that needs, teams and skills share. Public.
#[utoipa::path(get, path = "/api/v1/categories", tag = "registry", security(()), responses((status = 200, body = Vec<Category>)))]
async fn categories(State(s): State<AppState>, ApiLang(lang): ApiLang) -> Json<Vec<Category>> {
    Json(CATEGORIES.iter().map(|c| Category { code: c, name: s.cat.get(lang, &format!("category.{c}")).to_string() }).collect())
}

/// The figures leadership quotes, for the signed-in user's dashboard.
#[utoipa::path(get, path = "/api/v1/stats/overview", tag = "stats", responses((status = 200, body = Overview)))]
async fn overview(State(s): State<AppState>, ApiUser(_me, lang): ApiUser) -> ApiResult<Json<Overview>> {
    Ok(Json(s.svc.overview().await.map_err(|e| ApiError::from_service(e, &s.cat, lang))?))
}
