//! Campaign pages and the service-project catalogue (issue #14).

pub mod prefill;
mod project_form;
mod projects;

use axum::Router;

use crate::AppState;

pub fn router() -> Router<AppState> {
    Router::new().merge(projects::router())
}
