//! Server-rendered pages. Every form posts back with a CSRF token; success
//! redirects (303) with a flash message, failure re-renders with 422 and the
//! message next to the field.

mod activities;
mod admin;
mod attendance;
mod auth;
mod campaigns;
pub(crate) mod care;
mod certificate;
mod childcare;
mod dispatch;
mod dispatch_answer;
pub mod errors;
mod help;
mod home;
pub mod honours;
mod hours;
pub mod ical;
mod import;
mod join;
mod need_entry;
mod needs;
pub(crate) use needs::{choices, short_time};
mod notifications;
mod outbox;
mod registrations;
mod registry;
pub mod skills;
pub mod stats;
mod takeover;
mod templates;
pub mod view;
mod volunteers;

use askama::Template;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::Router;

use crate::i18n::Lang;
use crate::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .merge(auth::router())
        .merge(home::router())
        .merge(volunteers::router())
        .merge(import::router())
        .merge(registry::router())
        .merge(admin::router())
        .merge(help::router())
        .merge(need_entry::router())
        .merge(needs::router())
        .merge(activities::router())
        .merge(takeover::router())
        .merge(notifications::router())
        .merge(outbox::router())
        .merge(dispatch::router())
        .merge(dispatch_answer::router())
        .merge(attendance::router())
        .merge(hours::router())
        .merge(certificate::router())
        .merge(honours::router())
        .merge(ical::router())
        .merge(join::router())
        .merge(registrations::router())
        .merge(campaigns::party_orgs::router())
        .merge(campaigns::report_in::router())
        .merge(campaigns::report_in_unit::router())
        .merge(campaigns::router())
        .merge(stats::router())
        .merge(care::router())
        .merge(campaigns::campaign::router())
        .merge(childcare::router())
        .merge(skills::router())
}

/// Renders a template, or logs and answers 500 if it cannot.
pub fn render(status: StatusCode, t: &impl Template) -> Response {
    match t.render() {
        Ok(html) => (status, Html(html)).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "template failed");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

/// An error page in the visitor's language. The refusals layer gives it the
/// signed-in visitor's navigation and a way back (`errors::with_chrome`).
pub fn error_page(s: &AppState, lang: Lang, status: StatusCode, code: &str) -> Response {
    errors::page(s, lang, status, code, None)
}

/// Maps a service error to a page: 401 goes to login, the rest to an error
/// page naming the field at fault, if there is one.
pub fn service_error(s: &AppState, lang: Lang, e: tongxing_service::Error) -> Response {
    if let tongxing_service::Error::Internal(detail) = &e {
        tracing::error!(%detail, "internal error");
    }
    let (status, code, field) = crate::error::classify(&e);
    if status == StatusCode::UNAUTHORIZED {
        return Redirect::to("/login").into_response();
    }
    errors::page(s, lang, status, code, field.as_deref())
}

/// 303 See Other to `to`, with a flash message key.
pub fn see_other(to: &str, flash: &str) -> Response {
    let sep = if to.contains('?') { '&' } else { '?' };
    Redirect::to(&format!("{to}{sep}flash={flash}")).into_response()
}
