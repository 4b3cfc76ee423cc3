//! The leadership dashboard over HTTP: the overview API.md promises, the
//! whole dashboard (JSON, or .xlsx with a sheet per section), and the rows
//! behind a figure with the same filters.

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;
use tongxing_domain::schema;
use tongxing_domain::stats::metric::Drill;
use tongxing_service::stats::overview::StatsOverview;
use tongxing_service::stats::series::Series;
use tongxing_service::stats::{Dashboard, StatsQuery};
use tongxing_store::stats::drill::Line;
use utoipa::IntoParams;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::api::{err, ApiResult, ListOf, ListParams};
use crate::error::ApiError;
use crate::export::xlsx_response;
use crate::extract::ApiUser;
use crate::i18n::{Lang, Tr};
use crate::ui::stats::workbook::dashboard_xlsx;
use crate::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(overview)).routes(routes!(dashboard)).routes(routes!(lines)).routes(routes!(series))
}

tongxing_domain::field_schemas! {
    period_schema = schema::padded_choice(&["month", "year", "last12", "custom"]);
    theme_schema = schema::padded_choice(&tongxing_domain::activities::THEMES);
    drill_schema = schema::one_of(&["entries", "activities", "needs", "calls", "honours", "certifications", "trainees", "problems"]);
    series_metric_schema = schema::padded_choice(&["hours", "active_volunteers", "activities"]);
    group_schema = schema::padded_choice(&["district", "unit", "theme"]);
    by_schema = schema::padded_choice(&["month"]);
}

/// The dashboard's filter. A liaison's figures are always their unit's, a
/// team leader's their team's, whatever is asked.
#[derive(Deserialize, IntoParams, Default)]
#[into_params(parameter_in = Query)]
pub struct StatsParams {
    /// `month` (this month so far), `year` (default: this year so far),
    /// `last12` (the last twelve months), `custom` (`from`–`to`).
    #[param(schema_with = period_schema)]
    period: Option<String>,
    /// First day, `YYYY-MM-DD`; given, the period is custom.
    from: Option<String>,
    /// Last day, `YYYY-MM-DD`, included (default: today).
    to: Option<String>,
    district_id: Option<i64>,
    unit_id: Option<i64>,
    team_id: Option<i64>,
    /// A campaign theme: health, green, happiness, harmony, integrity.
    #[param(schema_with = theme_schema)]
    theme: Option<String>,
}

impl StatsParams {
    pub fn query(self) -> StatsQuery {
        StatsQuery {
            period: self.period,
            from: self.from,
            to: self.to,
            district_id: self.district_id,
            unit_id: self.unit_id,
            team_id: self.team_id,
            theme: self.theme,
        }
    }
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct FormatParam {
    /// `xlsx` for the dashboard as a workbook: a sheet per section, each
    /// chart's numbers with a native Excel chart.
    format: Option<String>,
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DrillParam {
    /// Which rows: `entries` (the ledger; the default), `activities`, `needs` (completed), `calls`.
    #[param(schema_with = drill_schema)]
    metric: Option<String>,
}

/// The figures API.md promises for the period and filters: the registry's
/// counts (teams, volunteers and party members narrowed by the filter), and
/// the period's active volunteers (distinct), activities, projects (distinct),
/// hours (a sum), completed needs and people served (distinct).
#[utoipa::path(get, path = "/api/v1/stats/overview", tag = "stats", params(StatsParams),
    responses((status = 200, body = StatsOverview), (status = 403), (status = 422)))]
async fn overview(
    State(s): State<AppState>,
    ApiUser(actor, lang): ApiUser,
    Query(q): Query<StatsParams>,
) -> ApiResult<Json<StatsOverview>> {
    Ok(Json(s.svc.stats_overview(&actor, q.query()).await.map_err(err(&s, lang))?))
}

/// Every section of the dashboard: each figure with its unit, how it adds up
/// (`distinct`, `count`, `sum` …), the previous period's value and the change;
/// each chart's bars. `?format=xlsx` for the workbook.
#[utoipa::path(get, path = "/api/v1/stats/dashboard", tag = "stats", params(StatsParams, FormatParam),
    responses((status = 200, body = Dashboard), (status = 403), (status = 422)))]
async fn dashboard(
    State(s): State<AppState>,
    ApiUser(actor, lang): ApiUser,
    Query(q): Query<StatsParams>,
    Query(f): Query<FormatParam>,
) -> ApiResult<Response> {
    let d = s.svc.dashboard(&actor, q.query()).await.map_err(err(&s, lang))?;
    if f.format.as_deref() == Some("xlsx") {
        return dashboard_xlsx(&Tr { cat: &s.cat, lang }, &d).map_err(err(&s, lang));
    }
    Ok(Json(d).into_response())
}

/// The rows behind a figure (`metric`: which kind), with the dashboard's
/// filters, newest first: they add up to the figure.
#[utoipa::path(get, path = "/api/v1/stats/lines", tag = "stats", params(DrillParam, StatsParams, ListParams),
    responses((status = 200, body = ListOf<Line>), (status = 403), (status = 422)))]
async fn lines(
    State(s): State<AppState>,
    ApiUser(actor, lang): ApiUser,
    Query(d): Query<DrillParam>,
    Query(q): Query<StatsParams>,
    Query(list): Query<ListParams>,
) -> ApiResult<Response> {
    let kind = drill_kind(&s, lang, d.metric.as_deref().filter(|m| !m.trim().is_empty()).unwrap_or("entries"))?;
    let (_, rows) = s.svc.stats_lines(&actor, q.query(), kind, list.fetch_page()).await.map_err(err(&s, lang))?;
    if list.wants_xlsx() {
        return xlsx_response(&Tr { cat: &s.cat, lang }, "stats-lines", &rows.items).map_err(err(&s, lang));
    }
    Ok(Json(ListOf::from(rows)).into_response())
}

/// An unknown kind of rows is a 422 naming `metric`.
fn drill_kind(s: &AppState, lang: Lang, v: &str) -> ApiResult<Drill> {
    Drill::parse(v).ok_or_else(|| {
        let mut e = ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "unknown_choice", &s.cat, lang);
        e.field = Some("metric".into());
        e
    })
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SeriesParams {
    /// `hours` (a sum; the default), `active_volunteers` (distinct per line and month) or `activities`.
    #[param(schema_with = series_metric_schema)]
    metric: Option<String>,
    /// `month`, the only step so far.
    #[param(schema_with = by_schema)]
    by: Option<String>,
    /// A line per `district` (default; where the service was), `unit` (the volunteers' unit) or `theme`.
    #[param(schema_with = group_schema)]
    group: Option<String>,
}

/// One figure month by month, a line per district, unit or theme, with the
/// dashboard's filters; every month of the period is present.
#[utoipa::path(get, path = "/api/v1/stats/series", tag = "stats", params(SeriesParams, StatsParams),
    responses((status = 200, body = Series), (status = 403), (status = 422)))]
async fn series(
    State(s): State<AppState>,
    ApiUser(actor, lang): ApiUser,
    Query(p): Query<SeriesParams>,
    Query(q): Query<StatsParams>,
) -> ApiResult<Json<Series>> {
    if p.by.as_deref().is_some_and(|b| !matches!(b.trim(), "" | "month")) {
        let mut e = ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "unknown_choice", &s.cat, lang);
        e.field = Some("by".into());
        return Err(e);
    }
    let metric = p.metric.as_deref().filter(|m| !m.trim().is_empty()).unwrap_or("hours");
    Ok(Json(s.svc.stats_series(&actor, q.query(), metric, p.group.as_deref()).await.map_err(err(&s, lang))?))
}
