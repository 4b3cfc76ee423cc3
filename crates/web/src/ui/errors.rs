//! Error pages that are no dead end: a handler answers with `page`, which
//! marks the response with its code; the refusals layer, which still has the
//! request, renders it again with the visitor's navigation and a link back to
//! where they came from (`with_chrome`). Unknown addresses get the same page.

use axum::body::Body;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use tongxing_domain::model::User;
use tongxing_domain::return_path::is_safe_return_path;

use super::templates::ErrorPage;
use super::view::Chrome;
use crate::extract::{cookie, SESSION_COOKIE};
use crate::i18n::{Lang, Tr};
use crate::AppState;

/// The code and field of an error page, kept on its response.
#[derive(Clone)]
pub struct Marked {
    code: String,
    field: Option<String>,
}

/// Who sees the page and where they came from.
pub struct Visitor {
    pub user: Option<User>,
    pub unread: i64,
    pub csrf: String,
    pub path: String,
    pub back: String,
}

/// The page without the visitor's navigation (what a handler can give).
pub fn page(s: &AppState, lang: Lang, status: StatusCode, code: &str, field: Option<&str>) -> Response {
    let mut resp = render(s, lang, status, code, field, None);
    resp.extensions_mut().insert(Marked { code: code.to_string(), field: field.map(str::to_string) });
    resp
}

fn render(s: &AppState, lang: Lang, status: StatusCode, code: &str, field: Option<&str>, v: Option<&Visitor>) -> Response {
    let tr = Tr { cat: &s.cat, lang };
    let (user, csrf, path, back) = match v {
        Some(v) => (v.user.as_ref(), v.csrf.as_str(), v.path.as_str(), v.back.clone()),
        None => (None, "", "/", "/".to_string()),
    };
    let mut c = Chrome::new(s, tr, user, csrf, tr.t("error.page_title"), path);
    c.unread = v.map_or(0, |v| v.unread);
    let reason = tr.t(&format!("error.{code}"));
    let message = match field {
        Some(f) => format!("{}：{reason}", tr.t(&format!("field.{f}"))),
        None => reason,
    };
    super::render(status, &ErrorPage { c, message, back })
}

/// The visitor of a page request, read before the request is handed on.
pub async fn visitor(s: &AppState, headers: &HeaderMap, path: &str, csrf: String) -> Visitor {
    let user = match cookie(headers, SESSION_COOKIE) {
        Some(token) => s.svc.authenticate(&token).await.ok(),
        None => None,
    };
    let unread = match &user {
        Some(u) => s.svc.unread_notifications(u).await.unwrap_or(0),
        None => 0,
    };
    Visitor { user, unread, csrf, path: path.to_string(), back: back_of(headers, path) }
}

/// The page the visitor came from on this site (the policy sends the
/// referrer to this origin only), else the first page.
fn back_of(headers: &HeaderMap, path: &str) -> String {
    let host = headers.get(header::HOST).and_then(|h| h.to_str().ok());
    let referer = headers.get(header::REFERER).and_then(|r| r.to_str().ok());
    let from = match (host, referer) {
        (Some(host), Some(r)) => r.split_once("://").and_then(|(_, rest)| rest.strip_prefix(host)).map(str::to_string),
        _ => None,
    };
    from.filter(|p| is_safe_return_path(p) && p != path).unwrap_or_else(|| "/".to_string())
}

/// An error page of this request, rendered again with the visitor's chrome.
pub fn with_chrome(s: &AppState, lang: Lang, resp: Response, v: &Visitor) -> Response {
    let Some(m) = resp.extensions().get::<Marked>().cloned() else { return resp };
    let fresh = render(s, lang, resp.status(), &m.code, m.field.as_deref(), Some(v));
    let (mut parts, _) = resp.into_parts();
    let (fresh_parts, body) = fresh.into_parts();
    parts.headers.remove(header::CONTENT_LENGTH);
    if let Some(t) = fresh_parts.headers.get(header::CONTENT_TYPE) {
        parts.headers.insert(header::CONTENT_TYPE, t.clone());
    }
    Response::from_parts(parts, Body::new(body))
}

/// Addresses no route knows: plain text, which the refusals layer turns
/// into the error page (or API.md's error body under /api/).
pub async fn not_found() -> Response {
    (StatusCode::NOT_FOUND, "not found").into_response()
}
