use axum::extract::State;
use axum::Json;
use serde::Serialize;
use tongxing_domain::category::CATEGORIES;
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::extract::ApiLang;
use crate::AppState;

mod dashboard;
mod reports;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(categories)).merge(dashboard::router()).merge(reports::router())
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
