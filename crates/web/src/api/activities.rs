//! Activities and hours over HTTP (API.md "Activities and hours").

use axum::extract::{Path, Query, RawQuery, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::{Deserialize, Serialize};
use tongxing_domain::activities::{parse_time, Activity, ActivityInput, SignupStatus};
use tongxing_domain::schema;
use tongxing_service::activities::{CheckKind, Checked};
use tongxing_service::hours::{Attendance, HoursLine, HoursSummary};
use tongxing_store::activities::Filter;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::{router::OpenApiRouter, routes};

use super::registry::{non_empty, respond_list};
use super::{err, ApiResult, ListParams};
use crate::error::ApiError;
use crate::extract::{ApiJson, ApiUser};
use crate::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(plan, list))
        .routes(routes!(get_one))
        .routes(routes!(sign_up))
        .routes(routes!(cancel_signup))
        .routes(routes!(check))
        .routes(routes!(attendance))
        .routes(routes!(confirm))
        .routes(routes!(insurance))
        .routes(routes!(cancel_activity))
        .routes(routes!(hours))
        .routes(routes!(correct))
        .routes(routes!(dispute))
}

#[derive(Serialize, ToSchema)]
pub struct Planned {
    /// The first session's id (also the series id of a weekly plan).
    id: i64,
    /// Every session's id, first first.
    ids: Vec<i64>,
}

/// A leader plans an activity for their team; `repeat_weeks` plans a weekly series in one action.
#[utoipa::path(post, path = "/api/v1/activities", tag = "activities", request_body = ActivityInput,
    responses((status = 201, body = Planned), (status = 403), (status = 422)))]
async fn plan(State(s): State<AppState>, ApiUser(actor, lang): ApiUser, ApiJson(input): ApiJson<ActivityInput>) -> ApiResult<Response> {
    let ids = s.svc.plan_activity(&actor, &input).await.map_err(err(&s, lang))?;
    Ok((StatusCode::CREATED, Json(Planned { id: ids[0], ids })).into_response())
}

#[derive(Deserialize, IntoParams, Default)]
#[into_params(parameter_in = Query)]
pub struct ActivityQuery {
    /// Part of the title.
    q: Option<String>,
    community_id: Option<i64>,
    /// "Near a community": its district.
    district_id: Option<i64>,
    team_id: Option<i64>,
    /// RFC 3339; default now: only activities that have not ended.
    from: Option<String>,
    /// RFC 3339: only activities starting before this.
    to: Option<String>,
}

impl ActivityQuery {
    fn filter(self, s: &AppState, lang: crate::i18n::Lang) -> ApiResult<Filter> {
        let time = |v: Option<String>, field: &str| -> ApiResult<Option<i64>> {
            match non_empty(v) {
                None => Ok(None),
                Some(t) => parse_time(&t).map(Some).ok_or_else(|| {
                    let mut e = ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "time_format", &s.cat, lang);
                    e.field = Some(field.into());
                    e
                }),
            }
        };
        Ok(Filter {
            q: non_empty(self.q),
            community_id: self.community_id,
            district_id: self.district_id,
            team_id: self.team_id,
            ends_after: Some(time(self.from, "from")?.unwrap_or_else(tongxing_store::now_ms)),
            starts_before: time(self.to, "to")?,
            ..Default::default()
        })
    }
}

/// Upcoming activities, soonest first; filter by community, district (near) or team.
#[utoipa::path(get, path = "/api/v1/activities", tag = "activities", params(ListParams, ActivityQuery),
    responses((status = 200, body = super::ListOf<Activity>)))]
async fn list(
    State(s): State<AppState>,
    ApiUser(actor, lang): ApiUser,
    RawQuery(raw): RawQuery,
    Query(p): Query<ListParams>,
    Query(q): Query<ActivityQuery>,
) -> ApiResult<Response> {
    // JSON pages are the same for every reader: served from memory for a
    // moment (tongxing_service::cache::ACTIVITY_LIST_TTL), on PostgreSQL
    // while its feed is heard until something on them changes, keyed by the query.
    let key = (!p.wants_xlsx()).then(|| raw.unwrap_or_default());
    if let Some(k) = key.as_deref() {
        if let Some(body) = s.svc.cached_activity_list(&actor, k).await.map_err(err(&s, lang))? {
            return Ok(json_body(body));
        }
    }
    let f = q.filter(&s, lang)?;
    let Some(key) = key else {
        let list = s.svc.list_activities(&actor, f, p.fetch_page()).await.map_err(err(&s, lang))?;
        return respond_list(&s, lang, &p, "activities", list);
    };
    let read = || async {
        // A read that finished just before this one began left its page.
        if let Some(body) = s.svc.caches.activity_list(&key) {
            return Ok(body);
        }
        let marks = s.svc.caches.activity_marks();
        let (list, until) = s.svc.list_activities_until(&actor, f, p.fetch_page()).await.map_err(err(&s, lang))?;
        let body: std::sync::Arc<[u8]> = serde_json::to_vec(&super::ListOf::from(list))
            .map_err(|_| ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", &s.cat, lang))?
            .into();
        s.svc.caches.put_activity_list(&key, body.clone(), marks, until);
        Ok(body)
    };
    Ok(json_body(s.svc.caches.activity_reads.share(&key, read).await?))
}

fn json_body(body: std::sync::Arc<[u8]>) -> Response {
    ([(header::CONTENT_TYPE, "application/json")], axum::body::Bytes::from_owner(body)).into_response()
}

#[utoipa::path(get, path = "/api/v1/activities/{id}", tag = "activities", params(("id" = i64, Path, minimum = 1)),
    responses((status = 200, body = Activity), (status = 404)))]
async fn get_one(State(s): State<AppState>, ApiUser(actor, lang): ApiUser, Path(id): Path<i64>) -> ApiResult<Json<Activity>> {
    Ok(Json(s.svc.get_activity(&actor, id).await.map_err(err(&s, lang))?))
}

#[derive(Deserialize, ToSchema)]
pub struct SignUp {
    #[schema(schema_with = schema::id)]
    volunteer_id: i64,
    /// One of the activity's roles.
    #[serde(default)]
    #[schema(schema_with = schema::optional_id)]
    role_id: Option<i64>,
}

tongxing_domain::field_schemas! {
    policy_schema = schema::text(tongxing_domain::activities::ADDRESS_MAX);
    reason_schema = schema::text(REASON_MAX);
}

/// A correction's or a dispute's reason.
const REASON_MAX: usize = 500;

#[derive(Serialize, ToSchema)]
pub struct SignedUp {
    status: SignupStatus,
}

/// Signs a volunteer up: `confirmed` while places last, else `waitlisted`.
/// The same volunteer again gets the same sign-up back (200 instead of 201).
#[utoipa::path(post, path = "/api/v1/activities/{id}/signups", tag = "activities", params(("id" = i64, Path, minimum = 1)), request_body = SignUp,
    responses((status = 201, body = SignedUp), (status = 200, body = SignedUp), (status = 409), (status = 422)))]
async fn sign_up(
    State(s): State<AppState>,
    ApiUser(actor, lang): ApiUser,
    Path(id): Path<i64>,
    ApiJson(b): ApiJson<SignUp>,
) -> ApiResult<Response> {
    let (status, new) = s.svc.sign_up(&actor, id, b.volunteer_id, b.role_id).await.map_err(err(&s, lang))?;
    let code = if new { StatusCode::CREATED } else { StatusCode::OK };
    Ok((code, Json(SignedUp { status })).into_response())
}

#[derive(Serialize, ToSchema)]
pub struct SignupCancelled {
    /// The volunteer who moved up from the waitlist into the freed place.
    promoted_volunteer_id: Option<i64>,
}

/// Cancels a sign-up; the first on the waitlist is promoted and notified.
#[utoipa::path(delete, path = "/api/v1/activities/{id}/signups/{volunteer_id}", tag = "activities",
    params(("id" = i64, Path, minimum = 1), ("volunteer_id" = i64, Path, minimum = 1)), responses((status = 200, body = SignupCancelled), (status = 404)))]
async fn cancel_signup(
    State(s): State<AppState>,
    ApiUser(actor, lang): ApiUser,
    Path((id, volunteer_id)): Path<(i64, i64)>,
) -> ApiResult<Json<SignupCancelled>> {
    let promoted_volunteer_id = s.svc.cancel_signup(&actor, id, volunteer_id).await.map_err(err(&s, lang))?;
    Ok(Json(SignupCancelled { promoted_volunteer_id }))
}

#[derive(Deserialize, ToSchema)]
pub struct Check {
    #[schema(schema_with = schema::id)]
    volunteer_id: i64,
    kind: CheckKind,
    /// When it happened (RFC 3339), for a scan queued offline; left out or blank, now.
    #[serde(default)]
    #[schema(schema_with = schema::optional_time)]
    at: Option<String>,
}

/// Check-in or check-out. A retry returns the first record (`repeated`), never a second one.
#[utoipa::path(post, path = "/api/v1/activities/{id}/checkins", tag = "activities", params(("id" = i64, Path, minimum = 1)), request_body = Check,
    responses((status = 201, body = Checked), (status = 200, body = Checked), (status = 409), (status = 422)))]
async fn check(
    State(s): State<AppState>,
    ApiUser(actor, lang): ApiUser,
    Path(id): Path<i64>,
    ApiJson(b): ApiJson<Check>,
) -> ApiResult<Response> {
    let at = match non_empty(b.at) {
        None => None,
        Some(t) => Some(parse_time(&t).ok_or_else(|| {
            let mut e = ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "time_format", &s.cat, lang);
            e.field = Some("at".into());
            e
        })?),
    };
    let done = s.svc.check(&actor, id, b.volunteer_id, b.kind, at).await.map_err(err(&s, lang))?;
    let code = if done.repeated { StatusCode::OK } else { StatusCode::CREATED };
    Ok((code, Json(done)).into_response())
}

#[derive(Serialize, ToSchema)]
pub struct AttendanceSheet {
    activity: Activity,
    items: Vec<Attendance>,
}

/// The roster with check-ins and the hours they give, for the leader.
#[utoipa::path(get, path = "/api/v1/activities/{id}/attendance", tag = "activities", params(("id" = i64, Path, minimum = 1)),
    responses((status = 200, body = AttendanceSheet), (status = 403)))]
async fn attendance(State(s): State<AppState>, ApiUser(actor, lang): ApiUser, Path(id): Path<i64>) -> ApiResult<Json<AttendanceSheet>> {
    let (activity, items) = s.svc.attendance(&actor, id).await.map_err(err(&s, lang))?;
    Ok(Json(AttendanceSheet { activity, items }))
}

/// Send `{}` to confirm the computed hours as they are.
#[derive(Deserialize, ToSchema, Default)]
pub struct Confirm {
    /// Corrections of computed hours and hand entries (补录), each with a reason.
    #[serde(default)]
    changes: Vec<HoursLine>,
}

#[derive(Serialize, ToSchema)]
pub struct Confirmed {
    credited: usize,
}

/// The leader confirms the hours of an ended activity in bulk; they enter the ledger once.
#[utoipa::path(post, path = "/api/v1/activities/{id}/confirm", tag = "activities", params(("id" = i64, Path, minimum = 1)), request_body = Confirm,
    responses((status = 200, body = Confirmed), (status = 403), (status = 409), (status = 422)))]
async fn confirm(
    State(s): State<AppState>,
    ApiUser(actor, lang): ApiUser,
    Path(id): Path<i64>,
    ApiJson(b): ApiJson<Confirm>,
) -> ApiResult<Json<Confirmed>> {
    let credited = s.svc.confirm_hours(&actor, id, &b.changes).await.map_err(err(&s, lang))?;
    Ok(Json(Confirmed { credited }))
}

#[derive(Deserialize, ToSchema)]
pub struct Insurance {
    #[schema(schema_with = policy_schema)]
    policy: String,
}

/// Records the accident insurance a risky activity needs before confirming anyone.
#[utoipa::path(post, path = "/api/v1/activities/{id}/insurance", tag = "activities", params(("id" = i64, Path, minimum = 1)), request_body = Insurance,
    responses((status = 204), (status = 403), (status = 422)))]
async fn insurance(
    State(s): State<AppState>,
    ApiUser(actor, lang): ApiUser,
    Path(id): Path<i64>,
    ApiJson(b): ApiJson<Insurance>,
) -> ApiResult<StatusCode> {
    s.svc.record_insurance(&actor, id, &b.policy).await.map_err(err(&s, lang))?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Serialize, ToSchema)]
#[schema(as = ActivityCancelled)]
pub struct Cancelled {
    /// False when the activity already was cancelled.
    cancelled: bool,
}

/// Cancels an activity before it begins; everyone signed up or waiting is
/// notified. A begun activity is refused (409 `activity_started`).
#[utoipa::path(post, path = "/api/v1/activities/{id}/cancel", tag = "activities", params(("id" = i64, Path, minimum = 1)),
    responses((status = 200, body = Cancelled), (status = 403), (status = 404), (status = 409)))]
async fn cancel_activity(State(s): State<AppState>, ApiUser(actor, lang): ApiUser, Path(id): Path<i64>) -> ApiResult<Json<Cancelled>> {
    let cancelled = s.svc.cancel_activity_ahead(&actor, id, tongxing_store::now_ms()).await.map_err(err(&s, lang))?;
    Ok(Json(Cancelled { cancelled }))
}

/// A volunteer's total confirmed hours, star level and entries (newest first).
#[utoipa::path(get, path = "/api/v1/volunteers/{id}/hours", tag = "activities", params(("id" = i64, Path, minimum = 1), ListParams),
    responses((status = 200, body = HoursSummary), (status = 403)))]
async fn hours(
    State(s): State<AppState>,
    ApiUser(actor, lang): ApiUser,
    Path(id): Path<i64>,
    Query(p): Query<ListParams>,
) -> ApiResult<Json<HoursSummary>> {
    Ok(Json(s.svc.hours_summary(&actor, id, p.page()).await.map_err(err(&s, lang))?))
}

#[derive(Deserialize, ToSchema)]
pub struct Correction {
    /// What the entry should credit, in hours: at most the activity's length (a need's: a day).
    #[schema(minimum = 0.0)]
    hours: f64,
    #[schema(schema_with = reason_schema)]
    reason: String,
}

/// Corrects a ledger entry by appending the difference; the original stays.
#[utoipa::path(post, path = "/api/v1/hours/{entry_id}/corrections", tag = "activities", params(("entry_id" = i64, Path, minimum = 1)),
    request_body = Correction, responses((status = 204), (status = 403), (status = 422)))]
async fn correct(
    State(s): State<AppState>,
    ApiUser(actor, lang): ApiUser,
    Path(entry_id): Path<i64>,
    ApiJson(b): ApiJson<Correction>,
) -> ApiResult<StatusCode> {
    s.svc.correct_entry(&actor, entry_id, b.hours, &b.reason).await.map_err(err(&s, lang))?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, ToSchema)]
pub struct DisputeRequest {
    #[schema(schema_with = reason_schema)]
    reason: String,
}

/// A volunteer disputes one of their entries; the organisation must answer.
#[utoipa::path(post, path = "/api/v1/hours/{entry_id}/disputes", tag = "activities", params(("entry_id" = i64, Path, minimum = 1)),
    request_body = DisputeRequest, responses((status = 201, body = super::Saved), (status = 403), (status = 409)))]
async fn dispute(
    State(s): State<AppState>,
    ApiUser(actor, lang): ApiUser,
    Path(entry_id): Path<i64>,
    ApiJson(b): ApiJson<DisputeRequest>,
) -> ApiResult<Response> {
    let id = s.svc.dispute_entry(&actor, entry_id, &b.reason).await.map_err(err(&s, lang))?;
    Ok(super::created(id))
}
