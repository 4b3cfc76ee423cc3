//! The campaign calendar over HTTP: a month's hosts, activities and gaps.

use axum::extract::{Path, Query, State};
use axum::Json;
use serde::Deserialize;
use tongxing_service::campaigns::calendar::CalendarMonth;
use utoipa::IntoParams;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::api::{err, ApiResult};
use crate::extract::ApiUser;
use crate::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(month))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MonthQuery {
    /// `YYYY-MM`; default the current month.
    month: Option<String>,
}

/// One month of the campaign: the hosting districts and themes, the
/// campaign's activities by day, and the gaps (a host without its theme's
/// activity, a theme without any). A bad `month` is a 422.
#[utoipa::path(get, path = "/api/v1/campaigns/{id}/calendar", tag = "campaigns", params(("id" = i64, Path, minimum = 1), MonthQuery),
    responses((status = 200, body = CalendarMonth), (status = 404), (status = 422)))]
async fn month(
    State(s): State<AppState>,
    ApiUser(actor, lang): ApiUser,
    Path(id): Path<i64>,
    Query(q): Query<MonthQuery>,
) -> ApiResult<Json<CalendarMonth>> {
    let now = tongxing_store::now_ms();
    let month =
        q.month.filter(|m| !m.trim().is_empty()).unwrap_or_else(|| tongxing_domain::time::region_date(now).format("%Y-%m").to_string());
    Ok(Json(s.svc.campaign_month(&actor, id, &month, now).await.map_err(err(&s, lang))?))
}
