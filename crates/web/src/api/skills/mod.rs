//! 技能传承 over HTTP (issue #19): trades and certifications, the
//! eligibility list, training classes, 师带徒 and the front-line problem board.

mod attachments;
mod competitions;
mod import;
mod mentoring;
mod problems;
pub(crate) mod rows;
mod training;

pub(crate) use attachments::{read_attachment_form, ATTACHMENT_BODY_LIMIT};

use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;
use tongxing_domain::schema;
use tongxing_domain::skills::inputs::{CertificationInput, TradeInput};
use tongxing_domain::skills::views::{Certification, EligibleList, Trade};
use tongxing_service::skills::ladder::EligibleQuery;
use utoipa::IntoParams;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::api::{created, err, ApiResult, ListOf, ListParams, Saved};
use crate::export::xlsx_response;
use crate::extract::{ApiJson, ApiUser};
use crate::i18n::Tr;
use crate::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(trades, create_trade))
        .routes(routes!(add_certification, certifications))
        .routes(routes!(eligible))
        .merge(import::router())
        .merge(training::router())
        .merge(competitions::router())
        .merge(mentoring::router())
        .merge(problems::router())
        .merge(attachments::router())
}

/// `?format=xlsx` on a whole list.
#[derive(Deserialize, IntoParams, Default)]
#[into_params(parameter_in = Query)]
pub struct FormatQuery {
    /// `xlsx` for an Excel file.
    format: Option<String>,
}

impl FormatQuery {
    fn xlsx(&self) -> bool {
        self.format.as_deref() == Some("xlsx")
    }
}

/// A whole list as JSON `{"items", "total"}`, or with `?format=xlsx` as a workbook.
fn whole_list<T: crate::export::ExportRow + serde::Serialize>(
    s: &AppState,
    lang: crate::i18n::Lang,
    f: &FormatQuery,
    sheet: &'static str,
    items: Vec<T>,
) -> ApiResult<Response> {
    if f.xlsx() {
        return xlsx_response(&Tr { cat: &s.cat, lang }, sheet, &items).map_err(err(s, lang));
    }
    Ok(Json(ListOf::all(items)).into_response())
}

/// The trades, each with what moving up from each level asks.
#[utoipa::path(get, path = "/api/v1/trades", tag = "skills", responses((status = 200, body = Vec<Trade>)))]
async fn trades(State(s): State<AppState>, ApiUser(actor, lang): ApiUser) -> ApiResult<Json<Vec<Trade>>> {
    Ok(Json(s.svc.trades(&actor).await.map_err(err(&s, lang))?))
}

/// Adds a trade (the center); a taken code or name is 409 `duplicate`.
#[utoipa::path(post, path = "/api/v1/trades", tag = "skills", request_body = TradeInput,
    responses((status = 201, body = Saved), (status = 403), (status = 409), (status = 422)))]
async fn create_trade(
    State(s): State<AppState>,
    ApiUser(actor, lang): ApiUser,
    ApiJson(input): ApiJson<TradeInput>,
) -> ApiResult<Response> {
    Ok(created(s.svc.create_trade(&actor, input).await.map_err(err(&s, lang))?))
}

/// Records a certification for a person of the caller's unit (or any, for
/// the center). Levels go up one at a time within a trade (422 `level`
/// unless `direct_reason` records a direct appraisal); a day in the future
/// is 422 `certified_on`; a number the issuer already gave is 409.
#[utoipa::path(post, path = "/api/v1/people/{id}/certifications", tag = "skills", params(("id" = i64, Path, minimum = 1)),
    request_body = CertificationInput,
    responses((status = 201, body = Vec<Certification>), (status = 403), (status = 404), (status = 409), (status = 422)))]
async fn add_certification(
    State(s): State<AppState>,
    ApiUser(actor, lang): ApiUser,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<CertificationInput>,
) -> ApiResult<Response> {
    let all = s.svc.add_certification(&actor, id, input).await.map_err(err(&s, lang))?;
    Ok((axum::http::StatusCode::CREATED, Json(all)).into_response())
}

/// A person's certifications (`?format=xlsx` for Excel).
#[utoipa::path(get, path = "/api/v1/people/{id}/certifications", tag = "skills", params(("id" = i64, Path, minimum = 1), FormatQuery),
    responses((status = 200, body = ListOf<Certification>), (status = 403), (status = 404)))]
async fn certifications(
    State(s): State<AppState>,
    ApiUser(actor, lang): ApiUser,
    Path(id): Path<i64>,
    Query(f): Query<FormatQuery>,
) -> ApiResult<Response> {
    let items = s.svc.certifications(&actor, id).await.map_err(err(&s, lang))?;
    whole_list(&s, lang, &f, "certifications", items)
}

tongxing_domain::field_schemas! {
    months_param = schema::optional_int_range(0, 24);
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct EligibleParams {
    /// A unit (a liaison: their own, the default).
    unit_id: Option<i64>,
    /// A trade's code.
    trade: Option<String>,
    /// How far `soon` looks ahead, in months (default 6).
    #[param(schema_with = months_param)]
    within_months: Option<u32>,
}

/// Who may apply for the next level `now` (years at the level, training
/// hours and a passed exam since), and whose years complete within
/// `within_months` (`soon`), per unit and trade: a page, earliest certified
/// first, with `now` and `soon` counted apart over the whole list
/// (`?format=xlsx`: the whole list as a workbook).
#[utoipa::path(get, path = "/api/v1/skills/eligible", tag = "skills", params(ListParams, EligibleParams),
    responses((status = 200, body = EligibleList), (status = 403), (status = 422)))]
async fn eligible(
    State(s): State<AppState>,
    ApiUser(actor, lang): ApiUser,
    Query(p): Query<ListParams>,
    Query(q): Query<EligibleParams>,
) -> ApiResult<Response> {
    let eq = EligibleQuery { unit_id: q.unit_id, trade: q.trade, within_months: q.within_months };
    let list = s.svc.eligible(&actor, &eq, p.fetch_page()).await.map_err(err(&s, lang))?;
    if p.wants_xlsx() {
        return xlsx_response(&Tr { cat: &s.cat, lang }, "eligible", &list.items).map_err(err(&s, lang));
    }
    Ok(Json(list).into_response())
}
