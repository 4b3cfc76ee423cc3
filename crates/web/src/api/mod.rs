//! The JSON API of API.md. Each handler is documented with `utoipa::path`
//! and registered through `routes!`, so the served OpenAPI document is built
//! from the same code that routes requests.

mod activities;
mod auth;
mod campaigns;
mod care;
mod childcare;
mod dispatch;
mod doc;
mod honours;
mod needs;
mod notifications;
mod records;
mod registrations;
mod registry;
pub(crate) mod skills;
mod stats;
mod users;
pub mod volunteers;

pub use doc::SharedErrors;

use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::{Deserialize, Serialize};
use tongxing_domain::model::Paged;
use tongxing_domain::paging::Page;
use utoipa::{IntoParams, OpenApi, ToSchema};
use utoipa_axum::router::OpenApiRouter;

use crate::error::ApiError;
use crate::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(doc::ApiDoc::openapi())
        .merge(auth::router())
        .merge(users::router())
        .merge(registry::router())
        .merge(volunteers::router())
        .merge(stats::router())
        .merge(needs::router())
        .merge(notifications::router())
        .merge(activities::router())
        .merge(dispatch::router())
        .merge(records::router())
        .merge(registrations::router())
        .merge(campaigns::party_orgs::router())
        .merge(campaigns::report_in::router())
        .merge(campaigns::projects::router())
        .merge(campaigns::campaign::router())
        .merge(campaigns::rotation::router())
        .merge(campaigns::calendar::router())
        .merge(childcare::classes::router())
        .merge(childcare::enrolments::router())
        .merge(childcare::days::router())
        .merge(childcare::import::router())
        .merge(skills::router())
        .merge(care::router())
        .merge(honours::rounds::router())
        .merge(honours::notice::router())
        .merge(honours::panel::router())
}

pub type ApiResult<T> = Result<T, ApiError>;

/// Maps service errors to API errors in the caller's language: `.map_err(err(&s, lang))`.
pub(super) fn err(s: &AppState, lang: crate::i18n::Lang) -> impl Fn(tongxing_service::Error) -> ApiError + '_ {
    move |e| ApiError::from_service(e, &s.cat, lang)
}

/// `{"items": [...], "total": N}`, the shape of every list.
#[derive(Serialize, ToSchema)]
pub struct ListOf<T> {
    pub items: Vec<T>,
    pub total: i64,
}

impl<T> ListOf<T> {
    /// A whole list in one page.
    pub fn all(items: Vec<T>) -> Self {
        ListOf { total: items.len() as i64, items }
    }
}

impl<T> From<Paged<T>> for ListOf<T> {
    fn from(p: Paged<T>) -> Self {
        ListOf { items: p.items, total: p.total }
    }
}

/// Paging and output format, shared by every list endpoint.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListParams {
    /// 1-based page number. Any 32-bit unsigned number is read (past the
    /// last page is an empty page), so the document says so.
    #[param(value_type = Option<u64>, maximum = 4294967295_u64)]
    pub page: Option<u32>,
    /// Rows per page: more than 500 reads as 500.
    #[param(value_type = Option<u64>, maximum = 4294967295_u64)]
    pub per_page: Option<u32>,
    /// `xlsx` for an Excel download of the whole filtered list.
    pub format: Option<String>,
    /// Include deactivated rows.
    #[serde(default)]
    pub include_inactive: bool,
}

impl ListParams {
    pub fn page(&self) -> Page {
        Page::new(self.page, self.per_page)
    }
    pub fn wants_xlsx(&self) -> bool {
        self.format.as_deref() == Some("xlsx")
    }
    /// The page to fetch: everything (up to the export limit) for a download.
    pub fn fetch_page(&self) -> Page {
        if self.wants_xlsx() {
            Page { page: 1, per_page: tongxing_service::export::MAX_EXPORT_ROWS }
        } else {
            self.page()
        }
    }
}

/// `{"id": N}` for a created or updated row.
#[derive(Serialize, ToSchema)]
pub struct Saved {
    pub id: i64,
}

pub fn created(id: i64) -> Response {
    (axum::http::StatusCode::CREATED, Json(Saved { id })).into_response()
}
