//! Campaigns over HTTP (API.md "Campaigns, projects and 双进双报到"): create,
//! edit, list, and one campaign with goals, progress, slots and clashes.

use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use axum::Json;
use tongxing_domain::campaigns::campaign::CampaignInput;
use tongxing_domain::campaigns::view::{Campaign, CampaignItem};
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::api::{created, err, ApiResult, ListOf, ListParams, Saved};
use crate::export::{xlsx_response, ExportRow};
use crate::extract::{ApiJson, ApiUser};
use crate::i18n::Tr;
use crate::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list, create)).routes(routes!(get_one, update))
}

/// The campaigns, newest first.
#[utoipa::path(get, path = "/api/v1/campaigns", tag = "campaigns", params(ListParams), responses((status = 200, body = ListOf<CampaignItem>)))]
async fn list(State(s): State<AppState>, ApiUser(actor, lang): ApiUser, Query(p): Query<ListParams>) -> ApiResult<Response> {
    let list = s.svc.list_campaigns(&actor, p.page()).await.map_err(err(&s, lang))?;
    Ok(Json(ListOf::from(list)).into_response())
}

/// The center launches a campaign with its themes and goals.
#[utoipa::path(post, path = "/api/v1/campaigns", tag = "campaigns", request_body = CampaignInput,
    responses((status = 201, body = Saved), (status = 403), (status = 422)))]
async fn create(State(s): State<AppState>, ApiUser(actor, lang): ApiUser, ApiJson(input): ApiJson<CampaignInput>) -> ApiResult<Response> {
    Ok(created(s.svc.save_campaign(&actor, None, &input).await.map_err(err(&s, lang))?))
}

#[derive(serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CampaignQuery {
    /// `rotation` or `progress` for an Excel download of that part.
    format: Option<String>,
}

/// A campaign: goals against what the records say now, the rotation's slots
/// with their status, and the plan's clashes. `?format=rotation` or
/// `?format=progress` downloads that part as .xlsx.
#[utoipa::path(get, path = "/api/v1/campaigns/{id}", tag = "campaigns", params(("id" = i64, Path, minimum = 1), CampaignQuery),
    responses((status = 200, body = Campaign), (status = 404)))]
async fn get_one(
    State(s): State<AppState>,
    ApiUser(actor, lang): ApiUser,
    Path(id): Path<i64>,
    Query(q): Query<CampaignQuery>,
) -> ApiResult<Response> {
    let c = s.svc.campaign(&actor, id, tongxing_store::now_ms()).await.map_err(err(&s, lang))?;
    let tr = Tr { cat: &s.cat, lang };
    match q.format.as_deref() {
        Some("rotation") => xlsx_response(&tr, "rotation", &c.slots).map_err(err(&s, lang)),
        Some("progress") => xlsx_response(&tr, "progress", &c.progress.by_district).map_err(err(&s, lang)),
        _ => Ok(Json(c).into_response()),
    }
}

/// Edits a campaign and replaces its goals; its slots must stay within its days and themes.
#[utoipa::path(put, path = "/api/v1/campaigns/{id}", tag = "campaigns", params(("id" = i64, Path, minimum = 1)), request_body = CampaignInput,
    responses((status = 200, body = Saved), (status = 404), (status = 422)))]
async fn update(
    State(s): State<AppState>,
    ApiUser(actor, lang): ApiUser,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<CampaignInput>,
) -> ApiResult<Json<Saved>> {
    Ok(Json(Saved { id: s.svc.save_campaign(&actor, Some(id), &input).await.map_err(err(&s, lang))? }))
}

impl ExportRow for tongxing_domain::campaigns::view::SlotView {
    const HEADINGS: &'static [&'static str] = &[
        "campaign.district",
        "campaign.theme",
        "campaign.starts_on",
        "campaign.ends_on",
        "campaign.status",
        "campaign.activities",
        "campaign.hours",
    ];
    fn cells(&self, tr: &Tr) -> Vec<String> {
        vec![
            self.district_name.clone(),
            tr.t(&format!("theme.{}", self.theme)),
            self.starts_on.clone(),
            self.ends_on.clone(),
            tr.t(&format!("slot.{}", self.status.as_str())),
            self.activities.to_string(),
            self.hours.to_string(),
        ]
    }
}

impl ExportRow for tongxing_domain::campaigns::view::DistrictFigures {
    const HEADINGS: &'static [&'static str] =
        &["campaign.district", "campaign.activities", "campaign.held", "campaign.hours", "campaign.people_served"];
    fn cells(&self, _: &Tr) -> Vec<String> {
        let f = &self.figures;
        vec![self.district_name.clone(), f.activities.to_string(), f.held.to_string(), f.hours.to_string(), f.people_served.to_string()]
    }
}
