//! A class day's sheet for its head, the caretakers on duty and the center:
//! each child with who may take them home, the door's buttons, the live
//! ratio and tomorrow's rota. It prints (the print stylesheet drops the
//! buttons).

use askama::Template;
use axum::extract::{OriginalUri, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use tongxing_domain::childcare::day::{AbsenceInput, AttendanceInput};
use tongxing_service::childcare::days::DaySheet;

use crate::extract::{CsrfForm, PageUser};
use crate::i18n::Tr;
use crate::ui::view::Chrome;
use crate::ui::{render, service_error};
use crate::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/childcare/classes/{id}/days/{date}", get(sheet))
        .route("/childcare/classes/{id}/days/{date}/door", post(door))
        .route("/childcare/classes/{id}/days/{date}/absence", post(absence))
}

#[derive(Template)]
#[template(path = "childcare/day.html")]
struct DayPage<'a> {
    c: Chrome<'a>,
    d: DaySheet,
    /// The door works on today's sheet only: a check-in is now.
    is_today: bool,
    ratio: String,
    /// Children reported absent for the day.
    absent: usize,
    next_day: Option<String>,
    error: Option<String>,
}

impl DayPage<'_> {
    /// "all" / "some" / "none" in words.
    fn meal(&self, m: &str) -> String {
        self.c.tr.t(&format!("childcare.meal_{m}"))
    }
    /// A check-in's time of day.
    fn clock(&self, t: &str) -> String {
        crate::ui::attendance::clock_of(t)
    }
}

async fn page(s: &AppState, p: &PageUser, path: &str, id: i64, date: &str, error: Option<String>, status: StatusCode) -> Response {
    let tr = Tr { cat: &s.cat, lang: p.lang };
    let d = match s.svc.childcare_day(&p.user, id, date).await {
        Ok(d) => d,
        Err(e) => return service_error(s, p.lang, e),
    };
    let is_today = d.date == tongxing_domain::time::region_date(tongxing_store::now_ms()).to_string();
    let ratio = tr.f2("childcare.ratio", d.children_in, d.caretakers_in);
    let next_day = d
        .next_day
        .as_ref()
        .filter(|_| d.next_day_short)
        .map(|n| tr.f2("childcare.next_short", n, format!("{}/{}", d.next_day_rostered, d.next_day_needed)));
    let title = format!("{} · {}", d.class_name, d.date);
    let absent = d.children.iter().filter(|k| k.absent).count();
    render(status, &DayPage { c: Chrome::for_page(s, tr, p, title, path), d, is_today, ratio, absent, next_day, error })
}

async fn sheet(State(s): State<AppState>, p: PageUser, uri: OriginalUri, Path((id, date)): Path<(i64, String)>) -> Response {
    page(&s, &p, &uri.0.to_string(), id, &date, None, StatusCode::OK).await
}

/// A check-in or check-out from the sheet's buttons, now.
async fn door(State(s): State<AppState>, p: PageUser, Path((id, date)): Path<(i64, String)>, f: CsrfForm) -> Response {
    let input = AttendanceInput {
        enrolment_id: f.get("enrolment_id").and_then(|v| v.parse().ok()).unwrap_or(0),
        kind: f.get("kind").unwrap_or_default().to_string(),
        by_name: f.get("by_name").unwrap_or_default().to_string(),
        at: None,
        exception_reason: f.get("exception_reason").map(str::to_string),
    };
    let done = s.svc.record_attendance(&p.user, id, &input).await.map(|_| ());
    after(&s, &p, (id, input.enrolment_id), &date, done).await
}

/// An absence the guardian phoned in, recorded from the sheet.
async fn absence(State(s): State<AppState>, p: PageUser, Path((id, date)): Path<(i64, String)>, f: CsrfForm) -> Response {
    let enrolment_id = f.get("enrolment_id").and_then(|v| v.parse().ok()).unwrap_or(0);
    let input = AbsenceInput { date: date.clone(), reason: f.get("reason").map(str::to_string) };
    let done = s.svc.record_absence(&p.user, id, enrolment_id, &input).await.map(|_| ());
    after(&s, &p, (id, enrolment_id), &date, done).await
}

/// Back to the sheet at the child's card (the door goes on down the list),
/// or the sheet again with why the door refused.
async fn after(s: &AppState, p: &PageUser, (id, child): (i64, i64), date: &str, done: tongxing_service::Result<()>) -> Response {
    let back = format!("/childcare/classes/{id}/days/{date}");
    match done {
        Ok(()) => axum::response::Redirect::to(&format!("{back}?flash=saved#k{child}")).into_response(),
        Err(
            e @ (tongxing_service::Error::Refused { .. }
            | tongxing_service::Error::Validation(_)
            | tongxing_service::Error::Conflict { .. }),
        ) => {
            let tr = Tr { cat: &s.cat, lang: p.lang };
            let (status, code, _) = crate::error::classify(&e);
            page(s, p, &back, id, date, Some(tr.t(&format!("error.{code}"))), status).await
        }
        Err(e) => service_error(s, p.lang, e),
    }
}
