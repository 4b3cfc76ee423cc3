//! Joining by oneself over HTTP (API.md "Registry", 实名注册): a code to the
//! phone and the application are public; deciding is for the team leader of
//! a chosen team, the unit's liaison or the center.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::{Deserialize, Serialize};
use tongxing_domain::joining::{Application, JoinInput, JoinStatus};
use tongxing_service::registry::joining::{CodeSent, Decided};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::{router::OpenApiRouter, routes};

use super::registry::{non_empty, respond_list};
use super::volunteers::RevealQuery;
use super::{err, ApiResult, ListOf, ListParams};
use crate::error::ApiError;
use crate::extract::{ApiJson, ApiLang, ApiUser, ClientIp};
use crate::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(send_code)).routes(routes!(submit, list)).routes(routes!(get_one)).routes(routes!(decide))
}

#[derive(Deserialize, ToSchema)]
pub struct CodeRequest {
    /// The mobile the code goes to; not one a volunteer or a waiting application already has.
    phone: String,
}

/// Sends a one-time code (six digits, ten minutes, five tries) to a phone by
/// SMS; with no gateway configured it goes to the server log (development).
/// Public; one a minute and five an hour per phone, twenty an hour per address.
#[utoipa::path(post, path = "/api/v1/registrations/code", tag = "registry", security(()), request_body = CodeRequest,
    responses((status = 202, body = CodeSent), (status = 409, description = "`phone_registered` or `phone_pending`"), (status = 422), (status = 429)))]
async fn send_code(
    State(s): State<AppState>,
    ApiLang(lang): ApiLang,
    ClientIp(ip): ClientIp,
    ApiJson(r): ApiJson<CodeRequest>,
) -> ApiResult<Response> {
    let sent = s.svc.send_join_code(&r.phone, &ip).await.map_err(err(&s, lang))?;
    Ok((StatusCode::ACCEPTED, Json(sent)).into_response())
}

#[derive(Serialize, ToSchema)]
pub struct Submitted {
    id: i64,
    status: JoinStatus,
}

/// Applies to join (实名注册) with the code sent to the phone. Public;
/// throttled per phone and address. Duplicates of a volunteer's or a waiting
/// application's phone or ID number answer 409 naming the field.
#[utoipa::path(post, path = "/api/v1/registrations", tag = "registry", security(()), request_body = JoinInput,
    responses((status = 201, body = Submitted),
        (status = 409, description = "`phone_registered`, `phone_pending`, `id_number_registered` or `id_number_pending`"),
        (status = 422, description = "A field breaks a rule; `code_wrong`, `code_expired` or `code_attempts` for the code"), (status = 429)))]
async fn submit(
    State(s): State<AppState>,
    ApiLang(lang): ApiLang,
    ClientIp(ip): ClientIp,
    ApiJson(input): ApiJson<JoinInput>,
) -> ApiResult<Response> {
    let id = s.svc.submit_join(&input, &ip).await.map_err(err(&s, lang))?;
    Ok((StatusCode::CREATED, Json(Submitted { id, status: JoinStatus::Pending })).into_response())
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RegistrationQuery {
    /// pending (the default), approved, declined
    status: Option<String>,
}

/// The applications the caller may decide, oldest first: a leader's team's,
/// a liaison's unit's, all for the center. Phones and ID numbers masked;
/// `?format=xlsx` exports.
#[utoipa::path(get, path = "/api/v1/registrations", tag = "registry", params(RegistrationQuery, ListParams),
    responses((status = 200, body = ListOf<Application>), (status = 403)))]
async fn list(
    State(s): State<AppState>,
    ApiUser(actor, lang): ApiUser,
    Query(q): Query<RegistrationQuery>,
    Query(p): Query<ListParams>,
) -> ApiResult<Response> {
    let status = match non_empty(q.status) {
        None => JoinStatus::Pending,
        Some(v) => JoinStatus::parse(&v).ok_or_else(|| {
            let mut e = ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "unknown_choice", &s.cat, lang);
            e.field = Some("status".into());
            e
        })?,
    };
    let list = s.svc.applications(&actor, Some(status), p.fetch_page()).await.map_err(err(&s, lang))?;
    respond_list(&s, lang, &p, "registrations", list)
}

/// One application the caller may decide. Roles that call people see the
/// full phone; `reveal=id_number` shows the full ID number to those allowed. Both audited.
#[utoipa::path(get, path = "/api/v1/registrations/{id}", tag = "registry", params(("id" = i64, Path), RevealQuery),
    responses((status = 200, body = Application), (status = 403), (status = 404)))]
async fn get_one(
    State(s): State<AppState>,
    ApiUser(actor, lang): ApiUser,
    Path(id): Path<i64>,
    Query(r): Query<RevealQuery>,
) -> ApiResult<Json<Application>> {
    Ok(Json(s.svc.application(&actor, id, r.wants_id_number()).await.map_err(err(&s, lang))?))
}

#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum JoinDecision {
    Approve,
    Decline,
}

#[derive(Deserialize, ToSchema)]
pub struct Decision {
    decision: JoinDecision,
    /// Required to decline (the person is told it by SMS); up to 500 characters.
    #[serde(default)]
    #[schema(max_length = 500)]
    reason: Option<String>,
}

/// Approves (creating the volunteer and their account, who signs in with
/// the phone and the password chosen when applying) or declines with a
/// reason. The team leader of a chosen team, the unit's liaison or the center.
#[utoipa::path(post, path = "/api/v1/registrations/{id}/decision", tag = "registry", params(("id" = i64, Path)), request_body = Decision,
    responses((status = 200, body = Decided), (status = 403), (status = 404),
        (status = 409, description = "`already_decided`, or the phone or ID number became a volunteer's meanwhile"), (status = 422)))]
async fn decide(
    State(s): State<AppState>,
    ApiUser(actor, lang): ApiUser,
    Path(id): Path<i64>,
    ApiJson(d): ApiJson<Decision>,
) -> ApiResult<Json<Decided>> {
    let approve = matches!(d.decision, JoinDecision::Approve);
    Ok(Json(s.svc.decide_application(&actor, id, approve, d.reason.as_deref()).await.map_err(err(&s, lang))?))
}
