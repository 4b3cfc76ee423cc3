//! Refusals made before a handler runs — a request line or header block too
//! large, an unreadable query string, path or body, an unknown route, a wrong
//! method — or around it, like the request timeout's 408. axum and tower
//! answer these as plain text or with no body at all; here they get API.md's
//! JSON error body under /api/, and the HTML error page everywhere else.
//!
//! What hyper refuses while reading the request head never reaches any of
//! this: a request line over 64 KiB (414), a head over hyper's read buffer of
//! about 400 KiB (431) or one it cannot parse (400) is answered by hyper
//! itself with a status line and no body, before a service is called. The
//! limits below are far under hyper's, so every request within them is
//! answered here, with a body.

use axum::body::HttpBody;
use axum::extract::{Request, State};
use axum::http::{header, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::error::ApiError;
use crate::ui::errors;
use crate::AppState;

/// Longest request target (path and query) answered normally: the common
/// proxy default, far above any link Tongxing makes. Longer ones get 414
/// here, below hyper's own limit, whose 414 has no body.
pub(crate) const URI_LIMIT: usize = 8 * 1024;
/// Largest header block answered normally, for the same reason (431).
pub(crate) const HEADERS_LIMIT: usize = 32 * 1024;

/// The `code` of the error body for a refusal's status.
pub(crate) fn code_for(status: StatusCode) -> &'static str {
    match status {
        StatusCode::NOT_FOUND => "not_found",
        StatusCode::METHOD_NOT_ALLOWED => "method_not_allowed",
        StatusCode::PAYLOAD_TOO_LARGE => "body_too_large",
        StatusCode::URI_TOO_LONG => "uri_too_long",
        StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE => "headers_too_large",
        StatusCode::REQUEST_TIMEOUT => "request_timeout",
        s if s.is_server_error() => "internal",
        _ => "malformed",
    }
}

/// The status for a body that could not be read whole: 413 when it is over
/// the limit, 400 when the client sent something broken.
pub(crate) fn unread_body_status(e: axum::Error) -> StatusCode {
    if e.into_inner().is::<http_body_util::LengthLimitError>() {
        StatusCode::PAYLOAD_TOO_LARGE
    } else {
        StatusCode::BAD_REQUEST
    }
}

/// The refusal `status` as API.md's JSON error (`api`) or the HTML error page.
fn refusal(s: &AppState, api: bool, lang: crate::Lang, status: StatusCode) -> Response {
    if api {
        ApiError::new(status, code_for(status), &s.cat, lang).into_response()
    } else {
        crate::ui::error_page(s, lang, status, code_for(status))
    }
}

pub async fn layer(State(s): State<AppState>, req: Request, next: Next) -> Response {
    let api = req.uri().path().starts_with("/api/");
    let lang = crate::extract::lang_of(req.headers());
    let refuse = |status: StatusCode| refusal(&s, api, lang, status);
    if req.uri().path_and_query().map_or(0, |p| p.as_str().len()) > URI_LIMIT {
        return refuse(StatusCode::URI_TOO_LONG);
    }
    if req.headers().iter().map(|(k, v)| k.as_str().len() + v.len() + 4).sum::<usize>() > HEADERS_LIMIT {
        return refuse(StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE);
    }
    // Pages keep what an error page needs to show the visitor's navigation.
    let page = (!api).then(|| {
        let csrf = req.extensions().get::<crate::extract::CsrfToken>().map(|c| c.0.clone()).unwrap_or_default();
        (req.headers().clone(), req.uri().path_and_query().map_or("/", |p| p.as_str()).to_string(), csrf)
    });
    let resp = next.run(req).await;
    let status = resp.status();
    let content_type = resp.headers().get(header::CONTENT_TYPE).map(|v| v.as_bytes());
    // Handlers' own errors are JSON (API) or HTML (pages); a bare status (an
    // event stream refusing) or plain text is axum's.
    let axums = if api {
        !content_type.is_some_and(|t| t.starts_with(b"application/json")) && (status.is_client_error() || status.is_server_error())
    } else {
        content_type.is_some_and(|t| t.starts_with(b"text/plain")) && status.is_client_error()
    };
    let mut out = if axums {
        let mut out = refuse(status);
        if let Some(allow) = resp.headers().get(header::ALLOW) {
            out.headers_mut().insert(header::ALLOW, allow.clone());
        }
        out
    } else {
        resp
    };
    if let Some((headers, path, csrf)) = page.filter(|_| out.status().is_client_error() || out.status().is_server_error()) {
        let visitor = errors::visitor(&s, &headers, &path, csrf).await;
        out = errors::with_chrome(&s, lang, out, &visitor);
    }
    out
}

/// Gives a body to an error answered with none by a layer outside the router
/// — the request timeout's 408 — as `layer` does for the router's own.
pub async fn fill_empty(State(s): State<AppState>, req: Request, next: Next) -> Response {
    let api = req.uri().path().starts_with("/api/");
    let lang = crate::extract::lang_of(req.headers());
    let resp = next.run(req).await;
    let status = resp.status();
    let empty = !resp.headers().contains_key(header::CONTENT_TYPE) && resp.body().size_hint().exact() == Some(0);
    if empty && (status.is_client_error() || status.is_server_error()) {
        refusal(&s, api, lang, status)
    } else {
        resp
    }
}
