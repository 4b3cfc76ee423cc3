//! The needs marketplace over HTTP (API.md "Needs"). Submission, tracking and
//! rating are public; the rest needs a signed-in role.

use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::{Deserialize, Serialize};
use tongxing_domain::model::User;
use tongxing_domain::needs::{Need, NeedEvent, NeedInput, Status, WarningLevel};
use tongxing_domain::schema;
use tongxing_domain::takeover::TakeoverRequest;
use tongxing_service::needs::{ServedHours, Tracking};
use tongxing_store::needs::Filter;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::{router::OpenApiRouter, routes};

use super::registry::{non_empty, respond_list};
use super::{created, err, ApiResult, ListOf, ListParams, Saved};
use crate::error::ApiError;
use crate::extract::{ApiJson, ApiLang, ApiUser, ClientIp};
use crate::i18n::Lang;
use crate::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(submit, list))
        .routes(routes!(submit_batch))
        .routes(routes!(get_one))
        .routes(routes!(track))
        .routes(routes!(rate))
        .routes(routes!(review))
        .routes(routes!(claim))
        .routes(routes!(release))
        .routes(routes!(merge))
        .routes(routes!(complete))
        .routes(routes!(request_takeover))
        .routes(routes!(decide_takeover))
}

/// Staff may submit with their token (recording the channel); residents without one.
async fn optional_user(s: &AppState, headers: &HeaderMap, lang: Lang) -> ApiResult<Option<User>> {
    let Some(token) = headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok()).and_then(|v| v.strip_prefix("Bearer ")) else {
        return Ok(None);
    };
    s.svc.authenticate(token.trim()).await.map(Some).map_err(err(s, lang))
}

#[derive(Serialize, ToSchema)]
pub struct Submitted {
    id: i64,
    tracking_code: String,
    status: Status,
}

/// Submits a need. Public: a resident needs no account (throttled per phone
/// and address); staff send their token and may set `channel`.
#[utoipa::path(post, path = "/api/v1/needs", tag = "needs", security((), ("bearer" = [])), request_body = NeedInput,
    responses((status = 201, body = Submitted), (status = 422), (status = 429)))]
async fn submit(
    State(s): State<AppState>,
    ApiLang(lang): ApiLang,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    ApiJson(input): ApiJson<NeedInput>,
) -> ApiResult<Response> {
    let actor = optional_user(&s, &headers, lang).await?;
    let (id, tracking_code) = s.svc.submit_need(actor.as_ref(), &input, &ip).await.map_err(err(&s, lang))?;
    Ok((StatusCode::CREATED, Json(Submitted { id, tracking_code, status: Status::Submitted })).into_response())
}

#[derive(Deserialize, ToSchema)]
pub struct Batch {
    /// Up to 100 needs, e.g. all raised at one joint meeting (`channel`: `joint_meeting`).
    #[schema(min_items = 1, max_items = 100)]
    items: Vec<NeedInput>,
}

/// Staff enter several needs in one go. All are checked first: one bad entry
/// stores none, and the error names it (`items[2].requester_phone`).
#[utoipa::path(post, path = "/api/v1/needs/batch", tag = "needs", request_body = Batch,
    responses((status = 201, body = Vec<Submitted>), (status = 403), (status = 422)))]
async fn submit_batch(State(s): State<AppState>, ApiUser(actor, lang): ApiUser, ApiJson(b): ApiJson<Batch>) -> ApiResult<Response> {
    let made = s.svc.submit_needs_batch(&actor, &b.items).await.map_err(err(&s, lang))?;
    let body: Vec<Submitted> =
        made.into_iter().map(|(id, tracking_code)| Submitted { id, tracking_code, status: Status::Submitted }).collect();
    Ok((StatusCode::CREATED, Json(body)).into_response())
}

#[derive(Deserialize, IntoParams, Default)]
#[into_params(parameter_in = Query)]
pub struct NeedQuery {
    /// A tracking code (exact) or part of the title.
    q: Option<String>,
    /// submitted, published, rejected, claimed, completed, rated, cancelled
    #[param(schema_with = status_schema)]
    status: Option<String>,
    /// none, blue, yellow, orange, red
    #[param(schema_with = level_schema)]
    warning_level: Option<String>,
    district_id: Option<i64>,
    team_id: Option<i64>,
    category: Option<String>,
}

impl NeedQuery {
    /// An unknown status or level is a 422 naming the parameter, not an empty list.
    fn filter(self, s: &AppState, lang: Lang) -> ApiResult<Filter> {
        let bad = |field: &str| {
            let mut e = ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "unknown_choice", &s.cat, lang);
            e.field = Some(field.into());
            e
        };
        let status = match non_empty(self.status) {
            Some(v) => Some(Status::parse(&v).ok_or_else(|| bad("status"))?),
            None => None,
        };
        let warning_level = match non_empty(self.warning_level) {
            Some(v) => Some(WarningLevel::parse(&v).ok_or_else(|| bad("warning_level"))?),
            None => None,
        };
        Ok(Filter {
            q: non_empty(self.q),
            status,
            warning_level,
            district_id: self.district_id,
            team_id: self.team_id,
            category: non_empty(self.category),
            claimable_by_or_held: None,
        })
    }
}

/// The queue, most urgent first. A team leader sees what their team may take and holds.
/// `?format=xlsx` exports the whole filtered queue.
#[utoipa::path(get, path = "/api/v1/needs", tag = "needs", params(ListParams, NeedQuery), responses((status = 200, body = ListOf<Need>)))]
async fn list(
    State(s): State<AppState>,
    ApiUser(actor, lang): ApiUser,
    Query(p): Query<ListParams>,
    Query(q): Query<NeedQuery>,
) -> ApiResult<Response> {
    let f = q.filter(&s, lang)?;
    let list = s.svc.list_needs(&actor, f, p.fetch_page()).await.map_err(err(&s, lang))?;
    respond_list(&s, lang, &p, "needs", list)
}

#[derive(Serialize, ToSchema)]
pub struct NeedDetail {
    need: Need,
    history: Vec<NeedEvent>,
    /// Open requests of other teams to take it over.
    takeover_requests: Vec<TakeoverRequest>,
}

/// One need with its history (who, when, why) and open take-over requests.
#[utoipa::path(get, path = "/api/v1/needs/{id}", tag = "needs", params(("id" = i64, Path, minimum = 1)), responses((status = 200, body = NeedDetail), (status = 403), (status = 404)))]
async fn get_one(State(s): State<AppState>, ApiUser(actor, lang): ApiUser, Path(id): Path<i64>) -> ApiResult<Json<NeedDetail>> {
    let (need, history) = s.svc.get_need(&actor, id).await.map_err(err(&s, lang))?;
    let takeover_requests = s.svc.open_takeovers(&need).await.map_err(err(&s, lang))?;
    Ok(Json(NeedDetail { need, history, takeover_requests }))
}

/// Public: status and history by tracking code, without anyone's personal data.
#[utoipa::path(get, path = "/api/v1/needs/track/{tracking_code}", tag = "needs", security(()), params(("tracking_code" = String, Path)),
    responses((status = 200, body = Tracking), (status = 404)))]
async fn track(State(s): State<AppState>, ApiLang(lang): ApiLang, Path(code): Path<String>) -> ApiResult<Json<Tracking>> {
    Ok(Json(s.svc.track_need(&code).await.map_err(err(&s, lang))?))
}

/// A rating from the person served (a need) or a guardian (a childcare class).
#[derive(Deserialize, ToSchema)]
pub struct Rating {
    /// The phone the need was submitted with (the guardian's, for a class).
    #[schema(schema_with = schema::phone)]
    pub(crate) phone: String,
    #[schema(minimum = 1, maximum = 5)]
    pub(crate) stars: i64,
    #[serde(default)]
    #[schema(max_length = 500)]
    pub(crate) comment: Option<String>,
}

/// Public: the resident rates the service (评单) with the phone they gave. Once.
#[utoipa::path(post, path = "/api/v1/needs/track/{tracking_code}/rating", tag = "needs", security(()), params(("tracking_code" = String, Path)),
    request_body = Rating, responses((status = 204), (status = 403), (status = 409), (status = 422)))]
async fn rate(
    State(s): State<AppState>,
    ApiLang(lang): ApiLang,
    Path(code): Path<String>,
    ApiJson(r): ApiJson<Rating>,
) -> ApiResult<StatusCode> {
    s.svc.rate_need(&code, &r.phone, r.stars, r.comment.as_deref()).await.map_err(err(&s, lang))?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Decision {
    Publish,
    Reject,
}

#[derive(Deserialize, ToSchema)]
pub struct Review {
    decision: Decision,
    /// Required to reject; the resident reads it.
    #[serde(default)]
    #[schema(schema_with = reason_schema)]
    reason: Option<String>,
}

tongxing_domain::field_schemas! {
    reason_schema = schema::optional_text(tongxing_service::needs::REASON_MAX);
    summary_schema = schema::text(tongxing_domain::needs::DESCRIPTION_MAX);
    takeover_reason_schema = schema::text(tongxing_domain::takeover::REASON_MAX);
    status_schema = schema::padded_choice(&Status::ALL.map(Status::as_str));
    level_schema = schema::padded_choice(&WarningLevel::ALL.map(WarningLevel::as_str));
}

/// The coordinator publishes or rejects (with a reason the resident sees).
#[utoipa::path(post, path = "/api/v1/needs/{id}/review", tag = "needs", params(("id" = i64, Path, minimum = 1)), request_body = Review,
    responses((status = 204), (status = 403), (status = 409), (status = 422)))]
async fn review(
    State(s): State<AppState>,
    ApiUser(actor, lang): ApiUser,
    Path(id): Path<i64>,
    ApiJson(r): ApiJson<Review>,
) -> ApiResult<StatusCode> {
    let publish = matches!(r.decision, Decision::Publish);
    s.svc.review_need(&actor, id, publish, r.reason.as_deref()).await.map_err(err(&s, lang))?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, ToSchema)]
pub struct Claim {
    #[schema(schema_with = schema::id)]
    team_id: i64,
}

/// A team leader claims for their team (抢单); the coordinator assigns any team (派单).
/// A need is held by exactly one team: the second claim is 409 `already_claimed`.
#[utoipa::path(post, path = "/api/v1/needs/{id}/claim", tag = "needs", params(("id" = i64, Path, minimum = 1)), request_body = Claim,
    responses((status = 204), (status = 403), (status = 409)))]
async fn claim(
    State(s): State<AppState>,
    ApiUser(actor, lang): ApiUser,
    Path(id): Path<i64>,
    ApiJson(c): ApiJson<Claim>,
) -> ApiResult<StatusCode> {
    s.svc.claim_need(&actor, id, c.team_id).await.map_err(err(&s, lang))?;
    Ok(StatusCode::NO_CONTENT)
}

/// The holding team gives the need back to the pool.
#[utoipa::path(post, path = "/api/v1/needs/{id}/release", tag = "needs", params(("id" = i64, Path, minimum = 1)), responses((status = 204), (status = 403), (status = 409)))]
async fn release(State(s): State<AppState>, ApiUser(actor, lang): ApiUser, Path(id): Path<i64>) -> ApiResult<StatusCode> {
    s.svc.release_need(&actor, id).await.map_err(err(&s, lang))?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, ToSchema)]
pub struct Merge {
    /// An open need, not this one.
    #[schema(schema_with = schema::id)]
    into: i64,
}

/// Folds a duplicate into the need it repeats.
#[utoipa::path(post, path = "/api/v1/needs/{id}/merge", tag = "needs", params(("id" = i64, Path, minimum = 1)), request_body = Merge,
    responses((status = 204), (status = 403), (status = 409), (status = 422)))]
async fn merge(
    State(s): State<AppState>,
    ApiUser(actor, lang): ApiUser,
    Path(id): Path<i64>,
    ApiJson(m): ApiJson<Merge>,
) -> ApiResult<StatusCode> {
    s.svc.merge_need(&actor, id, m.into).await.map_err(err(&s, lang))?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, ToSchema)]
pub struct Completion {
    #[schema(schema_with = summary_schema)]
    summary: String,
    /// At most one line per volunteer, each of the closer's team (the center: anyone).
    #[serde(default)]
    hours: Vec<ServedHours>,
}

/// Closes a served need; each volunteer's hours enter the hours ledger.
#[utoipa::path(post, path = "/api/v1/needs/{id}/complete", tag = "needs", params(("id" = i64, Path, minimum = 1)), request_body = Completion,
    responses((status = 204), (status = 403), (status = 409), (status = 422)))]
async fn complete(
    State(s): State<AppState>,
    ApiUser(actor, lang): ApiUser,
    Path(id): Path<i64>,
    ApiJson(c): ApiJson<Completion>,
) -> ApiResult<StatusCode> {
    s.svc.complete_need(&actor, id, &c.summary, &c.hours).await.map_err(err(&s, lang))?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, ToSchema)]
pub struct TakeoverAsk {
    /// The asking leader's own team; it must fit the need (district and category).
    #[schema(schema_with = schema::id)]
    team_id: i64,
    /// Why this team should serve it instead; the holder's leader reads it.
    #[schema(schema_with = takeover_reason_schema)]
    reason: String,
}

/// A leader of another fitting team asks to take over a claimed need (转单).
/// The holding team's leaders are notified. One open request per team and
/// need: the second is 409 `takeover_pending`.
#[utoipa::path(post, path = "/api/v1/needs/{id}/takeover", tag = "needs", params(("id" = i64, Path, minimum = 1)), request_body = TakeoverAsk,
    responses((status = 201, body = Saved), (status = 403), (status = 404), (status = 409), (status = 422)))]
async fn request_takeover(
    State(s): State<AppState>,
    ApiUser(actor, lang): ApiUser,
    Path(id): Path<i64>,
    ApiJson(a): ApiJson<TakeoverAsk>,
) -> ApiResult<Response> {
    let request = s.svc.request_takeover(&actor, id, a.team_id, &a.reason).await.map_err(err(&s, lang))?;
    Ok(created(request))
}

#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum TakeoverAnswer {
    Accept,
    Decline,
}

#[derive(Deserialize, ToSchema)]
pub struct TakeoverDecision {
    decision: TakeoverAnswer,
}

/// The holding team's leader, or the coordinator, accepts (the need moves to
/// the asking team at once, recorded in its history) or declines. 409
/// `takeover_closed` once decided, or when the need left its holder.
#[utoipa::path(post, path = "/api/v1/needs/{id}/takeover/{request_id}", tag = "needs",
    params(("id" = i64, Path, minimum = 1), ("request_id" = i64, Path, minimum = 1)), request_body = TakeoverDecision,
    responses((status = 204), (status = 403), (status = 404), (status = 409)))]
async fn decide_takeover(
    State(s): State<AppState>,
    ApiUser(actor, lang): ApiUser,
    Path((id, request_id)): Path<(i64, i64)>,
    ApiJson(d): ApiJson<TakeoverDecision>,
) -> ApiResult<StatusCode> {
    let accept = matches!(d.decision, TakeoverAnswer::Accept);
    s.svc.decide_takeover(&actor, id, request_id, accept).await.map_err(err(&s, lang))?;
    Ok(StatusCode::NO_CONTENT)
}
