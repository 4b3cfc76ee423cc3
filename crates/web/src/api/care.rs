//! 爱心守护 one-to-one care over HTTP (API.md "One-to-one care"): pairs,
//! visits, pauses, ends and handovers, the ledger confirmation of visit
//! hours, a concern turned into a need, and the programme's coverage.

use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::{Deserialize, Serialize};
use tongxing_domain::care::suggest::Candidate;
use tongxing_domain::care::{
    BeneficiaryCare, Coverage, EndInput, HandoverInput, Pair, PairDetail, PairInput, PauseInput, Visit, VisitInput,
};
use tongxing_service::care::visits::ConcernToNeed;
use tongxing_store::care::Filter;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::api::registry::{non_empty, respond_list};
use crate::api::{err, ApiResult, ListOf, ListParams};
use crate::export::ExportRow;
use crate::extract::{ApiJson, ApiUser};
use crate::i18n::Tr;
use crate::ui::care::workbook::coverage_xlsx;
use crate::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(get_one))
        .routes(routes!(log_visit))
        .routes(routes!(pause))
        .routes(routes!(resume))
        .routes(routes!(end))
        .routes(routes!(handover))
        .routes(routes!(beneficiary_care))
        .routes(routes!(pending))
        .routes(routes!(confirm))
        .routes(routes!(to_need))
        .routes(routes!(hide_notes))
        .routes(routes!(coverage))
        .routes(routes!(candidates))
}

#[derive(Deserialize, IntoParams, Default)]
#[into_params(parameter_in = Query)]
pub struct CareQuery {
    /// `active`, `paused`, `ended` or `handed_over`.
    status: Option<String>,
    /// Only pairs past their due day, the latest first.
    #[serde(default)]
    overdue: bool,
    /// Only open pairs whose volunteer left: waiting for a new volunteer.
    #[serde(default)]
    needs_handover: bool,
    district_id: Option<i64>,
    community_id: Option<i64>,
    team_id: Option<i64>,
    unit_id: Option<i64>,
    volunteer_id: Option<i64>,
    beneficiary_id: Option<i64>,
}

impl CareQuery {
    pub fn filter(self) -> Filter {
        Filter {
            status: non_empty(self.status),
            overdue: self.overdue,
            district_id: self.district_id,
            community_id: self.community_id,
            unit_id: self.unit_id,
            team_id: self.team_id,
            volunteer_id: self.volunteer_id,
            beneficiary_id: self.beneficiary_id,
            needs_handover: self.needs_handover,
            ..Default::default()
        }
    }
}

/// Pairs within the caller's reach: the center all, a liaison their unit's,
/// a leader their team's, a volunteer their own. `?format=xlsx` downloads them.
#[utoipa::path(get, path = "/api/v1/care/pairs", tag = "care", params(ListParams, CareQuery),
    responses((status = 200, body = ListOf<Pair>), (status = 403)))]
async fn list(
    State(s): State<AppState>,
    ApiUser(actor, lang): ApiUser,
    Query(p): Query<ListParams>,
    Query(q): Query<CareQuery>,
) -> ApiResult<Response> {
    let list = s.svc.list_pairs(&actor, q.filter(), p.fetch_page()).await.map_err(err(&s, lang))?;
    respond_list(&s, lang, &p, "care-pairs", list)
}

/// Pairs a volunteer with a beneficiary (结对): a coordinator, a liaison
/// (their unit's volunteers) or a leader (their team's). The cadence defaults
/// by the beneficiary's kind; a volunteer's load is capped.
#[utoipa::path(post, path = "/api/v1/care/pairs", tag = "care", request_body = PairInput,
    responses((status = 201, body = Pair), (status = 403), (status = 409), (status = 422)))]
async fn create(State(s): State<AppState>, ApiUser(actor, lang): ApiUser, ApiJson(input): ApiJson<PairInput>) -> ApiResult<Response> {
    let pair = s.svc.create_pair(&actor, &input).await.map_err(err(&s, lang))?;
    Ok((axum::http::StatusCode::CREATED, Json(pair)).into_response())
}

/// A pair with the beneficiary's visits (a handover's earlier ones included)
/// and contact; reading the contact is audited.
#[utoipa::path(get, path = "/api/v1/care/pairs/{id}", tag = "care", params(("id" = i64, Path, minimum = 1)),
    responses((status = 200, body = PairDetail), (status = 403), (status = 404)))]
async fn get_one(State(s): State<AppState>, ApiUser(actor, lang): ApiUser, Path(id): Path<i64>) -> ApiResult<Json<PairDetail>> {
    Ok(Json(s.svc.pair(&actor, id).await.map_err(err(&s, lang))?))
}

/// Logs a contact (Idempotency-Key honoured). An in-person visit's minutes
/// wait for the leader's confirmation into the ledger and must fit it.
#[utoipa::path(post, path = "/api/v1/care/pairs/{id}/visits", tag = "care", params(("id" = i64, Path, minimum = 1)),
    request_body = VisitInput, responses((status = 201, body = Visit), (status = 403), (status = 404), (status = 409), (status = 422)))]
async fn log_visit(
    State(s): State<AppState>,
    ApiUser(actor, lang): ApiUser,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<VisitInput>,
) -> ApiResult<Response> {
    let v = s.svc.log_visit(&actor, id, &input).await.map_err(err(&s, lang))?;
    Ok((axum::http::StatusCode::CREATED, Json(v)).into_response())
}

/// Pauses an active pair (a hospital stay, travel): never overdue while paused.
#[utoipa::path(post, path = "/api/v1/care/pairs/{id}/pause", tag = "care", params(("id" = i64, Path, minimum = 1)),
    request_body = PauseInput, responses((status = 200, body = Pair), (status = 403), (status = 404), (status = 409), (status = 422)))]
async fn pause(
    State(s): State<AppState>,
    ApiUser(actor, lang): ApiUser,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<PauseInput>,
) -> ApiResult<Json<Pair>> {
    Ok(Json(s.svc.pause_pair(&actor, id, &input).await.map_err(err(&s, lang))?))
}

/// Resumes a paused pair; its due day moves on by the days it was paused.
#[utoipa::path(post, path = "/api/v1/care/pairs/{id}/resume", tag = "care", params(("id" = i64, Path, minimum = 1)),
    responses((status = 200, body = Pair), (status = 403), (status = 404), (status = 409)))]
async fn resume(State(s): State<AppState>, ApiUser(actor, lang): ApiUser, Path(id): Path<i64>) -> ApiResult<Json<Pair>> {
    Ok(Json(s.svc.resume_pair(&actor, id).await.map_err(err(&s, lang))?))
}

/// Ends a pair with a reason; its history stays.
#[utoipa::path(post, path = "/api/v1/care/pairs/{id}/end", tag = "care", params(("id" = i64, Path, minimum = 1)),
    request_body = EndInput, responses((status = 200, body = Pair), (status = 403), (status = 404), (status = 409), (status = 422)))]
async fn end(
    State(s): State<AppState>,
    ApiUser(actor, lang): ApiUser,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<EndInput>,
) -> ApiResult<Json<Pair>> {
    Ok(Json(s.svc.end_pair(&actor, id, &input).await.map_err(err(&s, lang))?))
}

/// Hands a pair over: this pair ends as `handed_over` and the new pair for
/// the new volunteer is returned; nothing is deleted.
#[utoipa::path(post, path = "/api/v1/care/pairs/{id}/handover", tag = "care", params(("id" = i64, Path, minimum = 1)),
    request_body = HandoverInput, responses((status = 200, body = Pair), (status = 403), (status = 404), (status = 409), (status = 422)))]
async fn handover(
    State(s): State<AppState>,
    ApiUser(actor, lang): ApiUser,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<HandoverInput>,
) -> ApiResult<Json<Pair>> {
    Ok(Json(s.svc.hand_over_pair(&actor, id, &input).await.map_err(err(&s, lang))?))
}

/// Every pair the beneficiary ever had, with its visits.
#[utoipa::path(get, path = "/api/v1/beneficiaries/{id}/care", tag = "care", params(("id" = i64, Path, minimum = 1)),
    responses((status = 200, body = BeneficiaryCare), (status = 403), (status = 404)))]
async fn beneficiary_care(
    State(s): State<AppState>,
    ApiUser(actor, lang): ApiUser,
    Path(id): Path<i64>,
) -> ApiResult<Json<BeneficiaryCare>> {
    Ok(Json(s.svc.beneficiary_care(&actor, id).await.map_err(err(&s, lang))?))
}

/// In-person visits whose hours wait for the caller's confirmation. `?format=xlsx` downloads them.
#[utoipa::path(get, path = "/api/v1/care/visits/pending", tag = "care", params(ListParams),
    responses((status = 200, body = ListOf<Visit>), (status = 403)))]
async fn pending(State(s): State<AppState>, ApiUser(actor, lang): ApiUser, Query(p): Query<ListParams>) -> ApiResult<Response> {
    let list = s.svc.pending_visits(&actor, p.fetch_page()).await.map_err(err(&s, lang))?;
    respond_list(&s, lang, &p, "care-visits", list)
}

/// Confirms a visit's minutes into the hours ledger, once (409 `already_confirmed` after).
#[utoipa::path(post, path = "/api/v1/care/visits/{id}/confirm", tag = "care", params(("id" = i64, Path, minimum = 1)),
    responses((status = 200, body = Visit), (status = 403), (status = 404), (status = 409), (status = 422)))]
async fn confirm(State(s): State<AppState>, ApiUser(actor, lang): ApiUser, Path(id): Path<i64>) -> ApiResult<Json<Visit>> {
    Ok(Json(s.svc.confirm_visit(&actor, id).await.map_err(err(&s, lang))?))
}

/// The need a concern became.
#[derive(Serialize, ToSchema)]
pub struct NeedMade {
    pub need_id: i64,
}

/// Turns a visit's concern into a need in the marketplace, linked back to
/// the visit; a second tap answers the same need.
#[utoipa::path(post, path = "/api/v1/care/visits/{id}/need", tag = "care", params(("id" = i64, Path, minimum = 1)),
    request_body = ConcernToNeed, responses((status = 200, body = NeedMade), (status = 403), (status = 404), (status = 422), (status = 429)))]
async fn to_need(
    State(s): State<AppState>,
    ApiUser(actor, lang): ApiUser,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<ConcernToNeed>,
) -> ApiResult<Json<NeedMade>> {
    Ok(Json(NeedMade { need_id: s.svc.concern_to_need(&actor, id, &input).await.map_err(err(&s, lang))? }))
}

/// Whether a visit's personal notes are hidden.
#[derive(Deserialize, Serialize, ToSchema, Default)]
#[schema(as = CareNotesHidden)]
pub struct NotesHidden {
    /// True hides them from the beneficiary's later volunteers; false shows them again.
    pub hidden: bool,
}

/// The coordinator hides a visit's personal notes from the beneficiary's
/// later volunteers (before or after a handover), or shows them again; the
/// center and the visit's own volunteer still read them. Audited.
#[utoipa::path(post, path = "/api/v1/care/visits/{id}/notes", tag = "care", params(("id" = i64, Path, minimum = 1)),
    request_body = NotesHidden, responses((status = 200, body = Visit), (status = 403), (status = 404), (status = 422)))]
async fn hide_notes(
    State(s): State<AppState>,
    ApiUser(actor, lang): ApiUser,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<NotesHidden>,
) -> ApiResult<Json<Visit>> {
    Ok(Json(s.svc.hide_visit_notes(&actor, id, input.hidden).await.map_err(err(&s, lang))?))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CoverageQuery {
    /// `xlsx` for the coverage as an Excel workbook.
    format: Option<String>,
}

/// The programme at a glance, for the center: coverage, overdue pairs by
/// level, visits and concerns this month, beneficiaries without a pair by
/// kind and community. `?format=xlsx` downloads it as a workbook.
#[utoipa::path(get, path = "/api/v1/care/coverage", tag = "care", params(CoverageQuery),
    responses((status = 200, body = Coverage), (status = 403)))]
async fn coverage(State(s): State<AppState>, ApiUser(actor, lang): ApiUser, Query(q): Query<CoverageQuery>) -> ApiResult<Response> {
    let k = s.svc.care_coverage(&actor).await.map_err(err(&s, lang))?;
    if q.format.as_deref() == Some("xlsx") {
        let day = tongxing_domain::time::region_date(tongxing_store::now_ms()).to_string();
        return coverage_xlsx(&Tr { cat: &s.cat, lang }, &k, &day).map_err(err(&s, lang));
    }
    Ok(Json(k).into_response())
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CandidateQuery {
    #[param(minimum = 1)]
    beneficiary_id: i64,
    /// The kinds of help being agreed; skills that answer them rank higher
    /// (left out: the beneficiary's last pair's).
    #[param(max_length = 200)]
    help: Option<String>,
}

/// Volunteers suited to pair with a beneficiary, within the caller's reach
/// and under the load cap: their own community first, then communities
/// nearby, then the district; within each, more skills matching the help or
/// the beneficiary's needs, then fewer pairs.
#[utoipa::path(get, path = "/api/v1/care/candidates", tag = "care", params(CandidateQuery),
    responses((status = 200, body = ListOf<Candidate>), (status = 403), (status = 404), (status = 422)))]
async fn candidates(
    State(s): State<AppState>,
    ApiUser(actor, lang): ApiUser,
    Query(q): Query<CandidateQuery>,
) -> ApiResult<Json<ListOf<Candidate>>> {
    Ok(Json(ListOf::all(s.svc.care_candidates(&actor, q.beneficiary_id, q.help.as_deref()).await.map_err(err(&s, lang))?)))
}

impl ExportRow for Pair {
    const HEADINGS: &'static [&'static str] = &[
        "field.id",
        "care.beneficiary",
        "care.kind",
        "care.community",
        "care.volunteer",
        "care.unit",
        "care.role",
        "care.every_days",
        "care.next_due",
        "care.level",
        "care.status",
    ];
    fn cells(&self, tr: &Tr) -> Vec<String> {
        vec![
            self.id.to_string(),
            self.beneficiary_name.clone(),
            tr.t(&format!("beneficiary_kind.{}", self.beneficiary_kind)),
            format!("{} · {}", self.district_name, self.community_name),
            self.volunteer_name.clone(),
            self.unit_name.clone(),
            tr.t(&format!("care.role_{}", self.role)),
            self.every_days.to_string(),
            self.next_due.clone(),
            tr.t(&format!("level.{}", self.warning_level.as_str())),
            tr.t(&format!("care.status_{}", self.status)),
        ]
    }
}

impl ExportRow for Visit {
    const HEADINGS: &'static [&'static str] =
        &["field.id", "care.volunteer", "care.visited_at", "care.minutes", "care.mode", "care.contact_made", "care.concern"];
    fn cells(&self, tr: &Tr) -> Vec<String> {
        vec![
            self.id.to_string(),
            self.volunteer_name.clone(),
            tongxing_domain::time::rfc3339(self.visited_at),
            self.minutes.to_string(),
            tr.t(&format!("care.mode_{}", self.mode)),
            tr.t(if self.contact_made { "yes" } else { "no" }),
            self.concern.clone().unwrap_or_default(),
        ]
    }
}
