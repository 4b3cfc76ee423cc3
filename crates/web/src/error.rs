//! The one error type of the HTTP layer: the API's JSON error body, or for
//! pages an HTML error page. Internal errors are logged once and never shown.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Serialize;
use tongxing_service::Error;
use utoipa::ToSchema;

use crate::i18n::{Catalogue, Lang};

/// An error answered as API.md's `{"error": {"code", "message", "field"}}`.
#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub code: String,
    pub message: String,
    pub field: Option<String>,
    /// Seconds for Retry-After, with a 429.
    pub retry_after: Option<u64>,
}

/// The status, code and (for one bad field) field name of a service error.
pub fn classify(e: &Error) -> (StatusCode, &'static str, Option<String>) {
    match e {
        Error::Validation(inv) => {
            let one = inv.0.first();
            (StatusCode::UNPROCESSABLE_ENTITY, one.map(|f| f.code).unwrap_or("invalid"), one.map(|f| f.field.clone()))
        }
        Error::NotFound => (StatusCode::NOT_FOUND, "not_found", None),
        Error::Conflict { code, field } => (StatusCode::CONFLICT, code, field.map(str::to_string)),
        Error::Forbidden => (StatusCode::FORBIDDEN, "forbidden", None),
        Error::Refused { code, field } => (StatusCode::FORBIDDEN, code, field.map(str::to_string)),
        Error::Unauthorized => (StatusCode::UNAUTHORIZED, "unauthorized", None),
        Error::RateLimited { .. } => (StatusCode::TOO_MANY_REQUESTS, "rate_limited", None),
        Error::TooLarge(code) => (StatusCode::PAYLOAD_TOO_LARGE, code, None),
        Error::Unprocessable(code) => (StatusCode::UNPROCESSABLE_ENTITY, code, None),
        Error::Internal(_) => (StatusCode::INTERNAL_SERVER_ERROR, "internal", None),
    }
}

impl ApiError {
    pub fn from_service(e: Error, cat: &Catalogue, lang: Lang) -> ApiError {
        if let Error::Internal(detail) = &e {
            tracing::error!(%detail, "internal error");
        }
        let (status, code, field) = classify(&e);
        let retry_after = match e {
            Error::RateLimited { retry_after_secs } => Some(retry_after_secs),
            _ => None,
        };
        ApiError { status, code: code.to_string(), message: cat.get(lang, &format!("error.{code}")).to_string(), field, retry_after }
    }

    pub fn new(status: StatusCode, code: &str, cat: &Catalogue, lang: Lang) -> ApiError {
        let message = cat.get(lang, &format!("error.{code}")).to_string();
        ApiError { status, code: code.to_string(), message, field: None, retry_after: None }
    }
}

/// API.md's error body, as sent and as the document describes it.
#[derive(Serialize, ToSchema)]
pub struct ErrorBody {
    #[schema(inline)]
    error: ErrorDetail,
}

#[derive(Serialize, ToSchema)]
struct ErrorDetail {
    /// snake_case, stable: what a client branches on.
    code: String,
    /// For people, in the caller's language.
    message: String,
    /// The one field at fault, when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    field: Option<String>,
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = ErrorBody { error: ErrorDetail { code: self.code, message: self.message, field: self.field } };
        let mut resp = (self.status, Json(body)).into_response();
        if let Some(secs) = self.retry_after {
            resp.headers_mut().insert(axum::http::header::RETRY_AFTER, secs.into());
        }
        resp
    }
}
