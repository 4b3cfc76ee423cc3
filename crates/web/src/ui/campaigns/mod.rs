//! Campaign pages, the service-project catalogue and 双进双报到 (issue #14).

pub mod calendar;
pub mod campaign;
pub mod glance;
pub mod party_orgs;
pub mod prefill;
mod project_form;
mod projects;
pub mod report_in;
pub mod report_in_unit;
pub mod rotation;

use axum::Router;

use crate::AppState;

pub fn router() -> Router<AppState> {
    Router::new().merge(projects::router())
}
