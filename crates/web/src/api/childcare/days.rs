//! The door, the day log and the day sheet: for the center, the class's
//! head and the caretakers on duty that day only.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::{Deserialize, Serialize};
use tongxing_domain::childcare::day::{AbsenceInput, AttendanceInput, LogInput};
use tongxing_service::childcare::days::{ChildDay, DaySheet, Recorded};
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::api::{created, err, ApiResult, ListParams};
use crate::export::{xlsx_response, ExportRow};
use crate::extract::{ApiJson, ApiUser};
use crate::i18n::Tr;
use crate::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(attendance)).routes(routes!(log)).routes(routes!(day)).routes(routes!(absence))
}

/// A child's absence the guardian phoned in, recorded by the class's staff.
#[derive(Deserialize, ToSchema)]
pub struct StaffAbsence {
    #[schema(schema_with = tongxing_domain::schema::id)]
    enrolment_id: i64,
    /// The class day (YYYY-MM-DD).
    #[schema(schema_with = tongxing_domain::schema::date)]
    date: String,
    #[serde(default)]
    #[schema(schema_with = tongxing_domain::childcare::day::absence_reason_schema)]
    reason: Option<String>,
}

/// Whether an absence was recorded now, or was already.
#[derive(Serialize, ToSchema)]
pub struct AbsenceRecorded {
    /// False when the child was already reported absent that day.
    pub new: bool,
}

/// 201 with `new`, or 200 when the absence was already recorded.
pub fn absence_response(new: bool) -> Response {
    (if new { StatusCode::CREATED } else { StatusCode::OK }, Json(AbsenceRecorded { new })).into_response()
}

/// Staff (the head, a caretaker on duty, the center) record an absence (请假)
/// the guardian phoned in: that day the child is not waited for, no late
/// drop-off alert goes out, and the day sheet says so. Audited.
#[utoipa::path(post, path = "/api/v1/childcare/classes/{id}/absences", tag = "childcare", params(("id" = i64, Path, minimum = 1)),
    request_body = StaffAbsence,
    responses((status = 201, body = AbsenceRecorded), (status = 200, body = AbsenceRecorded), (status = 403), (status = 404), (status = 409), (status = 422)))]
async fn absence(
    State(s): State<AppState>,
    ApiUser(actor, lang): ApiUser,
    Path(id): Path<i64>,
    ApiJson(b): ApiJson<StaffAbsence>,
) -> ApiResult<Response> {
    Ok(absence_response(
        s.svc.record_absence(&actor, id, b.enrolment_id, &AbsenceInput { date: b.date, reason: b.reason }).await.map_err(err(&s, lang))?,
    ))
}

/// A child checked in or out at the door (Idempotency-Key honoured; a
/// repeat writes nothing new). Out only to a person on the child's pick-up
/// list: anyone else is 403 `not_authorised_pickup` and the head is told,
/// unless the head records `exception_reason`.
#[utoipa::path(post, path = "/api/v1/childcare/classes/{id}/attendance", tag = "childcare", params(("id" = i64, Path, minimum = 1)),
    request_body = AttendanceInput,
    responses((status = 201, body = Recorded), (status = 200, body = Recorded), (status = 403), (status = 404), (status = 409), (status = 422)))]
async fn attendance(
    State(s): State<AppState>,
    ApiUser(actor, lang): ApiUser,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<AttendanceInput>,
) -> ApiResult<Response> {
    let r = s.svc.record_attendance(&actor, id, &input).await.map_err(err(&s, lang))?;
    let status = if r.new { StatusCode::CREATED } else { StatusCode::OK };
    Ok((status, Json(r)).into_response())
}

/// An entry of a child's day log: meal, nap, notes, an incident. Append-only:
/// a correction is a new entry.
#[utoipa::path(post, path = "/api/v1/childcare/classes/{id}/logs", tag = "childcare", params(("id" = i64, Path, minimum = 1)),
    request_body = LogInput, responses((status = 201, body = crate::api::Saved), (status = 403), (status = 404), (status = 409), (status = 422)))]
async fn log(
    State(s): State<AppState>,
    ApiUser(actor, lang): ApiUser,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<LogInput>,
) -> ApiResult<Response> {
    Ok(created(s.svc.log_child_day(&actor, id, &input).await.map_err(err(&s, lang))?))
}

/// A class's day sheet: every child's day, the caretakers, the live ratio
/// and the next day's rota. Read audited. `?format=xlsx` downloads the children.
#[utoipa::path(get, path = "/api/v1/childcare/classes/{id}/days/{date}", tag = "childcare",
    params(("id" = i64, Path, minimum = 1), ("date" = String, Path, format = Date), ListParams),
    responses((status = 200, body = DaySheet), (status = 403), (status = 404), (status = 422)))]
async fn day(
    State(s): State<AppState>,
    ApiUser(actor, lang): ApiUser,
    Path((id, date)): Path<(i64, String)>,
    Query(p): Query<ListParams>,
) -> ApiResult<Response> {
    let sheet = s.svc.childcare_day(&actor, id, &date).await.map_err(err(&s, lang))?;
    if p.wants_xlsx() {
        return xlsx_response(&Tr { cat: &s.cat, lang }, "childcare-day", &sheet.children).map_err(err(&s, lang));
    }
    Ok(Json(sheet).into_response())
}

impl ExportRow for ChildDay {
    const HEADINGS: &'static [&'static str] = &[
        "childcare.child",
        "childcare.age",
        "childcare.absent",
        "childcare.in",
        "childcare.in_by",
        "childcare.out",
        "childcare.out_by",
        "childcare.meal",
        "childcare.nap",
        "childcare.notes",
        "childcare.incidents",
    ];
    fn cells(&self, tr: &Tr) -> Vec<String> {
        let o = |s: &Option<String>| s.clone().unwrap_or_default();
        vec![
            self.child_name.clone(),
            self.age.to_string(),
            if self.absent { self.absence_reason.clone().unwrap_or_else(|| tr.t("childcare.absent")) } else { String::new() },
            o(&self.in_at),
            o(&self.in_by),
            o(&self.out_at),
            o(&self.out_by),
            self.meal.as_ref().map(|m| tr.t(&format!("childcare.meal_{m}"))).unwrap_or_default(),
            match (&self.nap_from, &self.nap_to) {
                (Some(f), Some(t)) => format!("{f}–{t}"),
                _ => String::new(),
            },
            self.notes.join("; "),
            self.incidents.join("; "),
        ]
    }
}
