//! `/activities/{id}`: everything about one activity; a volunteer signs
//! themselves up or cancels here, and those who run it find the roster,
//! the copy link and the insurance form.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use tongxing_domain::activities::{Activity, SignupStatus};
use tongxing_service::Error;

use super::{runs, when, ActivityRow};
use crate::extract::{CsrfForm, PageUser};
use crate::i18n::Tr;
use crate::ui::view::Chrome;
use crate::ui::{render, see_other, service_error};
use crate::AppState;

#[derive(Template)]
#[template(path = "activity.html")]
pub struct ActivityPage<'a> {
    pub c: Chrome<'a>,
    pub a: Activity,
    pub row: ActivityRow,
    pub when: String,
    /// (name, "confirmed / places") of each role.
    pub roles: Vec<(i64, String, String)>,
    /// The visitor is a volunteer who may sign themselves up.
    pub volunteer: bool,
    pub my_status: Option<SignupStatus>,
    pub my_status_text: String,
    /// Why the last sign-up was refused, from the catalogue.
    pub refused: Option<String>,
    pub open: bool,
    pub manage: bool,
    /// The visitor runs it and it has not begun: it may still be called off.
    pub may_cancel: bool,
    pub counts: String,
}

async fn view(s: &AppState, p: &PageUser, id: i64, refused: Option<&str>, status: StatusCode, path: &str) -> Response {
    let tr = Tr { cat: &s.cat, lang: p.lang };
    let a = match s.svc.get_activity(&p.user, id).await {
        Ok(a) => a,
        Err(e) => return service_error(s, p.lang, e),
    };
    let my_status = match s.svc.my_signup(&p.user, id).await {
        Ok(m) => m,
        Err(e) => return service_error(s, p.lang, e),
    };
    let page = ActivityPage {
        row: ActivityRow::of(&tr, &a),
        when: when(&tr, &a),
        roles: a.roles.iter().map(|r| (r.id, r.name.clone(), tr.f2("activity.role_places", r.confirmed, r.capacity))).collect(),
        volunteer: p.user.volunteer_id.is_some(),
        my_status_text: my_status.map(|m| tr.t(&format!("signup.{}", m.as_str()))).unwrap_or_default(),
        my_status,
        refused: refused.map(|code| tr.t(&format!("error.{code}"))),
        open: !a.cancelled && a.ends_at > tongxing_store::now_ms(),
        manage: runs(&p.user, &a),
        may_cancel: runs(&p.user, &a) && !a.cancelled && a.starts_at > tongxing_store::now_ms(),
        counts: tr.f2("activity.roster_counts", format!("{} / {}", a.confirmed, a.capacity), a.waitlisted),
        c: Chrome::for_page(s, tr, p, a.title.clone(), path),
        a,
    };
    render(status, &page)
}

/// The activity's page again with the reason a request was refused (409 or
/// 422); anything else is an error page.
async fn refused(s: &AppState, p: &PageUser, id: i64, e: Error) -> Response {
    let (code, status) = match &e {
        Error::Conflict { code, .. } => (*code, StatusCode::CONFLICT),
        Error::Validation(inv) => (inv.0.first().map_or("invalid", |x| x.code), StatusCode::UNPROCESSABLE_ENTITY),
        _ => return service_error(s, p.lang, e),
    };
    view(s, p, id, Some(code), status, &format!("/activities/{id}")).await
}

pub async fn page(State(s): State<AppState>, p: PageUser, uri: axum::extract::OriginalUri, Path(id): Path<i64>) -> Response {
    view(&s, &p, id, None, StatusCode::OK, &uri.0.to_string()).await
}

/// The volunteer signs themselves up; a refusal is shown on the page with its reason.
pub async fn sign_up(State(s): State<AppState>, p: PageUser, Path(id): Path<i64>, f: CsrfForm) -> Response {
    let Some(volunteer) = p.user.volunteer_id else { return service_error(&s, p.lang, Error::Forbidden) };
    let role = f.get("role_id").and_then(|r| r.parse().ok());
    let back = format!("/activities/{id}");
    match s.svc.sign_up(&p.user, id, volunteer, role).await {
        Ok((status, _)) => see_other(&back, &format!("signup_{}", status.as_str())),
        Err(e) => refused(&s, &p, id, e).await,
    }
}

pub async fn cancel(State(s): State<AppState>, p: PageUser, Path(id): Path<i64>, _f: CsrfForm) -> Response {
    let Some(volunteer) = p.user.volunteer_id else { return service_error(&s, p.lang, Error::Forbidden) };
    match s.svc.cancel_signup(&p.user, id, volunteer).await {
        Ok(_) => see_other(&format!("/activities/{id}"), "signup_cancelled"),
        Err(e) => service_error(&s, p.lang, e),
    }
}

/// Those who run a risky activity record its accident insurance here.
/// The team's leader or the center cancels the activity before it begins.
pub async fn cancel_activity(State(s): State<AppState>, p: PageUser, Path(id): Path<i64>, _f: CsrfForm) -> Response {
    match s.svc.cancel_activity_ahead(&p.user, id, tongxing_store::now_ms()).await {
        Ok(_) => see_other(&format!("/activities/{id}"), "activity_cancelled"),
        Err(e) => refused(&s, &p, id, e).await,
    }
}

pub async fn insurance(State(s): State<AppState>, p: PageUser, Path(id): Path<i64>, f: CsrfForm) -> Response {
    match s.svc.record_insurance(&p.user, id, f.get("insurance").unwrap_or("")).await {
        Ok(()) => see_other(&format!("/activities/{id}"), "saved"),
        Err(e) => refused(&s, &p, id, e).await,
    }
}
