//! The volunteer's record beyond the ledger over HTTP: answering disputes,
//! issuing and verifying service certificates, and calendar feed links.

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::{Deserialize, Serialize};
use tongxing_domain::certificate::{Certificate, Verified};
use tongxing_domain::dispute::Dispute;
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

use super::{err, ApiResult, ListOf};
use crate::error::ApiError;
use crate::extract::{ApiJson, ApiLang, ApiUser};
use crate::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(open_disputes))
        .routes(routes!(answer))
        .routes(routes!(issue))
        .routes(routes!(verify))
        .routes(routes!(calendar_feed))
}

/// The open disputes the caller must answer: their team's, or every one for the center.
#[utoipa::path(get, path = "/api/v1/hours/disputes", tag = "activities",
    responses((status = 200, body = ListOf<Dispute>), (status = 403)))]
async fn open_disputes(State(s): State<AppState>, ApiUser(actor, lang): ApiUser) -> ApiResult<Json<ListOf<Dispute>>> {
    let items = s.svc.open_disputes(&actor).await.map_err(err(&s, lang))?;
    Ok(Json(ListOf { total: items.len() as i64, items }))
}

#[derive(Deserialize, ToSchema)]
pub struct DisputeAnswer {
    #[schema(schema_with = answer_schema)]
    answer: String,
}

tongxing_domain::field_schemas! {
    answer_schema = tongxing_domain::schema::text(500);
}

/// Answers a dispute: a leader of the team whose activity or need the entry is for, or the center.
#[utoipa::path(post, path = "/api/v1/hours/disputes/{id}/answer", tag = "activities", params(("id" = i64, Path, minimum = 1)), request_body = DisputeAnswer,
    responses((status = 204), (status = 403), (status = 404), (status = 409), (status = 422)))]
async fn answer(
    State(s): State<AppState>,
    ApiUser(actor, lang): ApiUser,
    Path(id): Path<i64>,
    ApiJson(b): ApiJson<DisputeAnswer>,
) -> ApiResult<StatusCode> {
    s.svc.answer_dispute(&actor, id, &b.answer).await.map_err(err(&s, lang))?;
    Ok(StatusCode::NO_CONTENT)
}

/// Issues a service certificate (志愿服务证明) of the hours confirmed so far: free, one call.
/// The printable page is `/volunteers/{id}/certificate?code=…`.
#[utoipa::path(post, path = "/api/v1/volunteers/{id}/certificates", tag = "activities", params(("id" = i64, Path, minimum = 1)),
    responses((status = 201, body = Certificate), (status = 403)))]
async fn issue(State(s): State<AppState>, ApiUser(actor, lang): ApiUser, Path(id): Path<i64>) -> ApiResult<Response> {
    let cert = s.svc.issue_certificate(&actor, id).await.map_err(err(&s, lang))?;
    Ok((StatusCode::CREATED, Json(cert)).into_response())
}

/// Public: what the certificate with this number states, personal data masked;
/// 404 `certificate_not_found` for a number that was never issued.
#[utoipa::path(get, path = "/api/v1/verify/{code}", tag = "activities", security(()), params(("code" = String, Path)),
    responses((status = 200, body = Verified), (status = 404)))]
async fn verify(State(s): State<AppState>, ApiLang(lang): ApiLang, Path(code): Path<String>) -> ApiResult<Json<Verified>> {
    match s.svc.verify_certificate(&code).await {
        Ok(v) => Ok(Json(v)),
        Err(tongxing_service::Error::NotFound) => Err(ApiError::new(StatusCode::NOT_FOUND, "certificate_not_found", &s.cat, lang)),
        Err(e) => Err(err(&s, lang)(e)),
    }
}

#[derive(Deserialize, ToSchema, Default)]
pub struct FeedRequest {
    /// A team's calendar (its leader, or the center); without it, the caller's own.
    #[serde(default)]
    #[schema(schema_with = tongxing_domain::schema::optional_id)]
    team_id: Option<i64>,
    /// Make a new link; the old one stops working.
    #[serde(default)]
    regenerate: bool,
}

#[derive(Serialize, ToSchema)]
pub struct Feed {
    token: String,
    /// The `https?://…/ical/{token}.ics` address.
    url: String,
    /// The same as `webcal://`, which phones open in their calendar app.
    webcal: String,
}

/// The private iCalendar link of the caller's (or a team's) activities, made on first use.
#[utoipa::path(post, path = "/api/v1/calendar-feeds", tag = "activities", request_body = FeedRequest,
    responses((status = 200, body = Feed), (status = 403), (status = 404)))]
async fn calendar_feed(
    State(s): State<AppState>,
    ApiUser(actor, lang): ApiUser,
    headers: HeaderMap,
    ApiJson(b): ApiJson<FeedRequest>,
) -> ApiResult<Json<Feed>> {
    let token = s.svc.make_calendar_token(&actor, b.team_id, b.regenerate).await.map_err(err(&s, lang))?;
    let (url, webcal) = crate::ui::ical::feed_urls(&headers, s.secure_cookies, &token);
    Ok(Json(Feed { token, url, webcal }))
}
