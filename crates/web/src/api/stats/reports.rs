//! The monthly and yearly reports (.xlsx, or JSON with `format=json`) and
//! closing a month, after which its report stays as it was sent.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;
use tongxing_service::stats::report::{ClosedMonth, Report};
use utoipa::IntoParams;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::api::{err, ApiResult};
use crate::extract::ApiUser;
use crate::i18n::Tr;
use crate::ui::stats::report_book::report_xlsx;
use crate::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(monthly)).routes(routes!(yearly)).routes(routes!(months)).routes(routes!(close))
}

tongxing_domain::field_schemas! {
    report_format_schema = tongxing_domain::schema::padded_choice(&["xlsx", "json"]);
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MonthParam {
    /// The month, `YYYY-MM` (up to this one).
    #[param(example = "2026-11", max_length = 7)]
    month: Option<String>,
    /// `xlsx` (the default) or `json`.
    #[param(schema_with = report_format_schema)]
    format: Option<String>,
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct YearParam {
    /// The year (up to this one).
    #[param(minimum = 2000, maximum = 2100)]
    year: Option<i64>,
    /// `xlsx` (the default) or `json`.
    #[param(schema_with = report_format_schema)]
    format: Option<String>,
}

fn answer(s: &AppState, lang: crate::i18n::Lang, r: Report, format: Option<&str>) -> ApiResult<Response> {
    if format.is_some_and(|f| f.trim() == "json") {
        return Ok(Json(r).into_response());
    }
    report_xlsx(&Tr { cat: &s.cat, lang }, &r).map_err(err(s, lang))
}

/// The month's report (月报): every dashboard figure for the month with the
/// previous month's, tables by district, unit and theme, the charts, and the
/// late entries of closed months that adjust it. A closed month's report is
/// the one frozen when it was closed. The center's and leadership's only.
#[utoipa::path(get, path = "/api/v1/stats/reports/monthly", tag = "stats", params(MonthParam),
    responses((status = 200, description = "an .xlsx workbook, or the report as JSON with `format=json`",
        content(("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"), (Report = "application/json"))),
        (status = 400), (status = 403), (status = 422)))]
async fn monthly(State(s): State<AppState>, ApiUser(actor, lang): ApiUser, Query(q): Query<MonthParam>) -> ApiResult<Response> {
    let r = s.svc.monthly_report(&actor, q.month.as_deref().unwrap_or("")).await.map_err(err(&s, lang))?;
    answer(&s, lang, r, q.format.as_deref())
}

/// The year's report: its figures as they stand, each month as reported
/// (frozen where closed) beside the hours recorded late in it, tables by
/// district, unit and theme, and the charts.
#[utoipa::path(get, path = "/api/v1/stats/reports/yearly", tag = "stats", params(YearParam),
    responses((status = 200, description = "an .xlsx workbook, or the report as JSON with `format=json`",
        content(("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"), (Report = "application/json"))),
        (status = 400), (status = 403), (status = 422)))]
async fn yearly(State(s): State<AppState>, ApiUser(actor, lang): ApiUser, Query(q): Query<YearParam>) -> ApiResult<Response> {
    let year = i32::try_from(q.year.unwrap_or(0)).unwrap_or(0);
    let r = s.svc.yearly_report(&actor, year).await.map_err(err(&s, lang))?;
    answer(&s, lang, r, q.format.as_deref())
}

/// The months closed so far, oldest first.
#[utoipa::path(get, path = "/api/v1/stats/months", tag = "stats",
    responses((status = 200, body = Vec<ClosedMonth>), (status = 403)))]
async fn months(State(s): State<AppState>, ApiUser(actor, lang): ApiUser) -> ApiResult<Json<Vec<ClosedMonth>>> {
    Ok(Json(s.svc.closed_months(&actor).await.map_err(err(&s, lang))?))
}

/// Closes a month that is over (coordinator): its report as it stands is
/// frozen; ledger entries dated in it and recorded later show as adjustments
/// in the next report. 409 `already_closed` the second time.
#[utoipa::path(post, path = "/api/v1/stats/months/{month}/close", tag = "stats",
    params(("month" = String, Path, description = "`YYYY-MM`", max_length = 7)),
    responses((status = 201, body = Report), (status = 403), (status = 409), (status = 422)))]
async fn close(State(s): State<AppState>, ApiUser(actor, lang): ApiUser, Path(month): Path<String>) -> ApiResult<Response> {
    let r = s.svc.close_month(&actor, &month).await.map_err(err(&s, lang))?;
    Ok((StatusCode::CREATED, Json(r)).into_response())
}
