//! Public enrolment and the guardian's page (code plus mobile), with
//! cancelling and the end-of-term rating; the center's cancellation.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::{Deserialize, Serialize};
use tongxing_domain::childcare::day::AbsenceInput;
use tongxing_domain::childcare::enrolment::EnrolmentInput;
use tongxing_domain::schema;
use tongxing_service::childcare::enrolment::Enrolled;
use tongxing_service::childcare::guardian::GuardianView;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::{router::OpenApiRouter, routes};

use super::days::{absence_response, AbsenceRecorded};
use crate::api::needs::Rating;
use crate::api::{err, ApiResult};
use crate::extract::{ApiJson, ApiLang, ApiUser, ClientIp};
use crate::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(enrol))
        .routes(routes!(guardian))
        .routes(routes!(cancel))
        .routes(routes!(rate))
        .routes(routes!(cancel_by_center))
        .routes(routes!(absence))
}

/// An absence the guardian reports from their page.
#[derive(Deserialize, ToSchema)]
pub struct GuardianAbsence {
    /// The guardian's mobile, as enrolled.
    #[schema(schema_with = schema::phone)]
    phone: String,
    /// The class day (YYYY-MM-DD).
    #[schema(schema_with = tongxing_domain::schema::date)]
    date: String,
    #[serde(default)]
    #[schema(schema_with = tongxing_domain::childcare::day::absence_reason_schema)]
    reason: Option<String>,
}

/// Public: the guardian reports the child absent (请假) for a class day,
/// today or later: the class does not wait for them and no late drop-off
/// SMS is sent. A repeat is 200 and records nothing new.
#[utoipa::path(post, path = "/api/v1/childcare/enrolments/{code}/absences", tag = "childcare", security(()),
    params(("code" = String, Path)), request_body = GuardianAbsence,
    responses((status = 201, body = AbsenceRecorded), (status = 200, body = AbsenceRecorded), (status = 404), (status = 409), (status = 422), (status = 429)))]
async fn absence(
    State(s): State<AppState>,
    ApiLang(lang): ApiLang,
    ClientIp(ip): ClientIp,
    Path(code): Path<String>,
    ApiJson(b): ApiJson<GuardianAbsence>,
) -> ApiResult<Response> {
    Ok(absence_response(
        s.svc.report_absence(&code, &b.phone, &AbsenceInput { date: b.date, reason: b.reason }, &ip).await.map_err(err(&s, lang))?,
    ))
}

/// Public: a guardian enrols a child from their phone, no account needed
/// (throttled per phone and address). Enrolled while places last, else
/// waitlisted with a position; the code opens the guardian's page.
#[utoipa::path(post, path = "/api/v1/childcare/classes/{id}/enrolments", tag = "childcare", security(()),
    params(("id" = i64, Path, minimum = 1)), request_body = EnrolmentInput,
    responses((status = 201, body = Enrolled), (status = 404), (status = 409), (status = 422), (status = 429)))]
async fn enrol(
    State(s): State<AppState>,
    ApiLang(lang): ApiLang,
    ClientIp(ip): ClientIp,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<EnrolmentInput>,
) -> ApiResult<Response> {
    let made = s.svc.enrol_child(None, id, &input, &ip).await.map_err(err(&s, lang))?;
    Ok((StatusCode::CREATED, Json(made)).into_response())
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct GuardianQuery {
    /// The guardian's mobile, as enrolled.
    phone: String,
    /// The day to show (YYYY-MM-DD); today when left out.
    date: Option<String>,
}

/// Public: the guardian's view with the code and their mobile — the
/// enrolment's status, and their own child's day (check-in/out with who,
/// meals, nap, notes). A wrong mobile is "not found".
#[utoipa::path(get, path = "/api/v1/childcare/enrolments/{code}", tag = "childcare", security(()),
    params(("code" = String, Path), GuardianQuery), responses((status = 200, body = GuardianView), (status = 404), (status = 422), (status = 429)))]
async fn guardian(
    State(s): State<AppState>,
    ApiLang(lang): ApiLang,
    ClientIp(ip): ClientIp,
    Path(code): Path<String>,
    Query(q): Query<GuardianQuery>,
) -> ApiResult<Json<GuardianView>> {
    Ok(Json(s.svc.guardian_view(&code, &q.phone, q.date.as_deref(), &ip).await.map_err(err(&s, lang))?))
}

#[derive(Deserialize, ToSchema)]
pub struct GuardianPhone {
    /// The guardian's mobile, as enrolled.
    #[schema(schema_with = schema::phone)]
    phone: String,
}

#[derive(Serialize, ToSchema)]
#[schema(as = EnrolmentCancelled)]
pub struct Cancelled {
    /// Whether the place went to the next on the waitlist (who is told by SMS).
    promoted: bool,
}

/// Public: the guardian gives up the place; it goes to the next by priority.
#[utoipa::path(post, path = "/api/v1/childcare/enrolments/{code}/cancel", tag = "childcare", security(()),
    params(("code" = String, Path)), request_body = GuardianPhone,
    responses((status = 200, body = Cancelled), (status = 404), (status = 422), (status = 429)))]
async fn cancel(
    State(s): State<AppState>,
    ApiLang(lang): ApiLang,
    ClientIp(ip): ClientIp,
    Path(code): Path<String>,
    ApiJson(b): ApiJson<GuardianPhone>,
) -> ApiResult<Json<Cancelled>> {
    let promoted = s.svc.cancel_enrolment(&code, &b.phone, &ip).await.map_err(err(&s, lang))?;
    Ok(Json(Cancelled { promoted: promoted.is_some() }))
}

/// The center cancels an enrolment; the place goes to the next by priority.
#[utoipa::path(post, path = "/api/v1/childcare/enrolments/by-id/{id}/cancel", tag = "childcare",
    params(("id" = i64, Path, minimum = 1)), responses((status = 200, body = Cancelled), (status = 403), (status = 404)))]
async fn cancel_by_center(State(s): State<AppState>, ApiUser(actor, lang): ApiUser, Path(id): Path<i64>) -> ApiResult<Json<Cancelled>> {
    let promoted = s.svc.cancel_enrolment_by_center(&actor, id).await.map_err(err(&s, lang))?;
    Ok(Json(Cancelled { promoted: promoted.is_some() }))
}

/// Public: at the end of the term the guardian rates the class, once.
#[utoipa::path(post, path = "/api/v1/childcare/enrolments/{code}/rating", tag = "childcare", security(()),
    params(("code" = String, Path)), request_body = Rating,
    responses((status = 204), (status = 404), (status = 409), (status = 422), (status = 429)))]
async fn rate(
    State(s): State<AppState>,
    ApiLang(lang): ApiLang,
    ClientIp(ip): ClientIp,
    Path(code): Path<String>,
    ApiJson(r): ApiJson<Rating>,
) -> ApiResult<StatusCode> {
    s.svc.rate_childcare(&code, &r.phone, r.stars, r.comment.as_deref(), &ip).await.map_err(err(&s, lang))?;
    Ok(StatusCode::NO_CONTENT)
}
