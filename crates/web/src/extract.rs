//! Request extractors: who is asking (bearer token or session cookie), in
//! which language, from where; JSON bodies whose errors follow API.md; forms
//! that carry a valid CSRF token.

use std::net::SocketAddr;

use axum::body::Bytes;
use axum::extract::{ConnectInfo, FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use serde::de::DeserializeOwned;
use tongxing_domain::model::User;

use crate::error::ApiError;
use crate::i18n::Lang;
use crate::AppState;

pub const SESSION_COOKIE: &str = "tx_session";
pub const CSRF_COOKIE: &str = "tx_csrf";
pub const LANG_COOKIE: &str = "tx_lang";

pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
}

/// The page language: the `tx_lang` cookie, else the browser's preference.
pub fn lang_of(headers: &HeaderMap) -> Lang {
    cookie(headers, LANG_COOKIE)
        .or_else(|| headers.get(header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()).map(str::to_string))
        .map(|s| Lang::parse(&s))
        .unwrap_or_default()
}

#[derive(Clone)]
struct ClientAddr(String);

/// Works out the client's address once per request: the socket's peer, or
/// behind a trusted proxy the last X-Forwarded-For entry.
pub async fn remember_client_addr(
    axum::extract::State(s): axum::extract::State<AppState>,
    mut req: Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    let forwarded = s
        .trust_forwarded_for
        .then(|| {
            req.headers()
                .get("x-forwarded-for")
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.rsplit(',').next())
                .map(|v| v.trim().to_string())
        })
        .flatten()
        .filter(|v| !v.is_empty());
    let peer = req.extensions().get::<ConnectInfo<SocketAddr>>().map(|c| c.0.ip().to_string());
    let addr = forwarded.or(peer).unwrap_or_else(|| "unknown".into());
    req.extensions_mut().insert(ClientAddr(addr));
    next.run(req).await
}

/// Where links that leave the browser (SMS, printed QR codes) point: the
/// configured `public_url`, else the address this request came to.
pub struct PublicBase(pub String);

impl FromRequestParts<AppState> for PublicBase {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, s: &AppState) -> Result<Self, Self::Rejection> {
        Ok(PublicBase(match &s.svc.settings.public_url {
            Some(url) => url.trim_end_matches('/').to_string(),
            None => request_origin(s, &parts.headers, &parts.uri),
        }))
    }
}

/// The Host the client used (the forwarded scheme too behind a trusted
/// proxy), so a link works from phones on the same network as the browser.
fn request_origin(s: &AppState, headers: &HeaderMap, uri: &axum::http::Uri) -> String {
    let host = headers
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .or_else(|| uri.authority().map(|a| a.as_str()))
        .filter(|h| !h.is_empty() && h.chars().all(|c| c.is_ascii_alphanumeric() || ".-:[]".contains(c)))
        .unwrap_or("localhost");
    let forwarded = s
        .trust_forwarded_for
        .then(|| headers.get("x-forwarded-proto").and_then(|v| v.to_str().ok()))
        .flatten()
        .filter(|p| *p == "https" || *p == "http");
    let scheme = forwarded.unwrap_or(if s.secure_cookies { "https" } else { "http" });
    format!("{scheme}://{host}")
}

/// The client's address, for login throttling.
pub fn client_ip(parts: &Parts) -> String {
    parts.extensions.get::<ClientAddr>().map(|c| c.0.clone()).unwrap_or_else(|| "unknown".into())
}

/// The caller of an API endpoint, from `Authorization: Bearer …` — or, for
/// a read (GET, HEAD), from the session cookie, so that a page's links to
/// its .xlsx downloads and templates work for whoever is signed in. Writes
/// never take the cookie: a cross-site form could send it, not a header.
pub struct ApiUser(pub User, pub Lang);

impl FromRequestParts<AppState> for ApiUser {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let lang = lang_of(&parts.headers);
        let bearer =
            parts.headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok()).and_then(|v| v.strip_prefix("Bearer ")).map(str::trim);
        let read = matches!(parts.method, axum::http::Method::GET | axum::http::Method::HEAD);
        let token = match bearer {
            Some(t) => t.to_string(),
            None => read
                .then(|| cookie(&parts.headers, SESSION_COOKIE))
                .flatten()
                .ok_or_else(|| ApiError::new(StatusCode::UNAUTHORIZED, "unauthorized", &state.cat, lang))?,
        };
        let user = state.svc.authenticate(&token).await.map_err(|e| ApiError::from_service(e, &state.cat, lang))?;
        Ok(ApiUser(user, lang))
    }
}

/// The client's address, for throttling.
pub struct ClientIp(pub String);

impl<S: Send + Sync> FromRequestParts<S> for ClientIp {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(ClientIp(client_ip(parts)))
    }
}

/// The API language alone, for public endpoints.
pub struct ApiLang(pub Lang);

impl<S: Send + Sync> FromRequestParts<S> for ApiLang {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(ApiLang(lang_of(&parts.headers)))
    }
}

/// A JSON body: malformed → 400, wrong shape → 422 naming the field.
pub struct ApiJson<T>(pub T);

impl<T: DeserializeOwned> FromRequest<AppState> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        let lang = lang_of(req.headers());
        let malformed = || ApiError::new(StatusCode::BAD_REQUEST, "malformed", &state.cat, lang);
        // A body over the limit is 413, whether its length was declared or it came chunked.
        let bytes = Bytes::from_request(req, state)
            .await
            .map_err(|r| ApiError::new(r.status(), crate::refusals::code_for(r.status()), &state.cat, lang))?;
        // Syntax first: a truncated body is malformed even if its first value has the wrong type.
        serde_json::from_slice::<serde::de::IgnoredAny>(&bytes).map_err(|_| malformed())?;
        let de = &mut serde_json::Deserializer::from_slice(&bytes);
        let read = match serde_path_to_error::deserialize(de) {
            Err(e) if e.inner().is_data() => read_with_integers(&bytes).unwrap_or(Err(e)),
            other => other,
        };
        read.map(ApiJson).map_err(|e| {
            let inner = e.inner();
            if inner.is_data() {
                let mut err = ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid", &state.cat, lang);
                let path = e.path().to_string();
                err.field = Some(if path == "." { missing_field(&inner.to_string()).unwrap_or(path) } else { path });
                if inner.to_string().starts_with("missing field") {
                    err.code = "required".into();
                    err.message = state.cat.get(lang, "error.required").to_string();
                }
                err
            } else {
                ApiError::new(StatusCode::BAD_REQUEST, "malformed", &state.cat, lang)
            }
        })
    }
}

type Read<T> = Result<T, serde_path_to_error::Error<serde_json::Error>>;

/// JSON Schema's `integer` is any number without a fraction, `2.0` too, and
/// the document says `integer`; serde takes only `2` for an i64. A body
/// refused as it came is read once more with such numbers as integers
/// (`None`: it had none).
fn read_with_integers<T: DeserializeOwned>(bytes: &[u8]) -> Option<Read<T>> {
    let mut v: serde_json::Value = serde_json::from_slice(bytes).ok()?;
    whole_numbers_as_integers(&mut v).then(|| serde_path_to_error::deserialize(v))
}

/// Turns every number without a fraction that fits an i64 into an integer;
/// whether any was changed.
fn whole_numbers_as_integers(v: &mut serde_json::Value) -> bool {
    use serde_json::Value;
    match v {
        Value::Number(n) if n.is_f64() => {
            let f = n.as_f64().unwrap_or(f64::NAN);
            // i64::MIN as f64 is exact; i64::MAX as f64 rounds up to 2^63, which no longer fits.
            let whole = f.fract() == 0.0 && (i64::MIN as f64..i64::MAX as f64).contains(&f);
            if whole {
                *v = Value::from(f as i64);
            }
            whole
        }
        Value::Array(items) => items.iter_mut().fold(false, |any, x| whole_numbers_as_integers(x) | any),
        Value::Object(fields) => fields.values_mut().fold(false, |any, x| whole_numbers_as_integers(x) | any),
        _ => false,
    }
}

/// serde reports a missing field as "missing field `phone` at …".
fn missing_field(msg: &str) -> Option<String> {
    let rest = msg.strip_prefix("missing field `")?;
    rest.split_once('`').map(|(f, _)| f.to_string())
}

/// A signed-in page visitor, from the session cookie; others go to /login.
pub struct PageUser {
    pub user: User,
    pub lang: Lang,
    pub csrf: String,
    /// Unread notifications, for the badge in the navigation.
    pub unread: i64,
}

impl FromRequestParts<AppState> for PageUser {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let lang = lang_of(&parts.headers);
        let csrf = csrf_of(parts);
        let to_login = || {
            let next = parts.uri.path_and_query().map(|p| p.as_str()).unwrap_or("/");
            Redirect::to(&format!("/login?next={}", urlencode(next))).into_response()
        };
        let Some(token) = cookie(&parts.headers, SESSION_COOKIE) else { return Err(to_login()) };
        match state.svc.authenticate(&token).await {
            Ok(user) => {
                let unread = state.svc.unread_notifications(&user).await.unwrap_or(0);
                Ok(PageUser { user, lang, csrf, unread })
            }
            Err(_) => Err(to_login()),
        }
    }
}

/// A page open to visitors that shows more to the signed-in (the first screen).
impl axum::extract::OptionalFromRequestParts<AppState> for PageUser {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Option<Self>, Self::Rejection> {
        Ok(<PageUser as FromRequestParts<AppState>>::from_request_parts(parts, state).await.ok())
    }
}

/// Anyone, signed in or not (the login page).
pub struct PageVisitor {
    pub lang: Lang,
    pub csrf: String,
    pub ip: String,
}

impl FromRequestParts<AppState> for PageVisitor {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &AppState) -> Result<Self, Self::Rejection> {
        Ok(PageVisitor { lang: lang_of(&parts.headers), csrf: csrf_of(parts), ip: client_ip(parts) })
    }
}

/// The CSRF token the `csrf_cookie` middleware put on this request.
fn csrf_of(parts: &Parts) -> String {
    parts.extensions.get::<CsrfToken>().map(|c| c.0.clone()).unwrap_or_default()
}

#[derive(Clone)]
pub struct CsrfToken(pub String);

/// A submitted form whose `_csrf` field matches the visitor's CSRF cookie
/// (double-submit: a foreign site can send the cookie but cannot read it).
pub struct CsrfForm(pub Vec<(String, String)>);

impl FromRequest<AppState> for CsrfForm {
    type Rejection = Response;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        let expected = req.extensions().get::<CsrfToken>().map(|c| c.0.clone()).unwrap_or_default();
        let lang = lang_of(req.headers());
        let bytes = Bytes::from_request(req, state).await.map_err(IntoResponse::into_response)?;
        let pairs: Vec<(String, String)> =
            serde_urlencoded::from_bytes(&bytes).map_err(|_| crate::ui::error_page(state, lang, StatusCode::BAD_REQUEST, "malformed"))?;
        let sent = pairs.iter().find(|(k, _)| k == "_csrf").map(|(_, v)| v.as_str()).unwrap_or("");
        if expected.is_empty() || sent != expected {
            return Err(crate::ui::error_page(state, lang, StatusCode::FORBIDDEN, "csrf"));
        }
        Ok(CsrfForm(pairs))
    }
}

impl CsrfForm {
    pub fn get(&self, key: &str) -> Option<&str> {
        self.0.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str())
    }
}

pub fn urlencode(s: &str) -> String {
    serde_urlencoded::to_string([("", s)]).map(|q| q.trim_start_matches('=').to_string()).unwrap_or_default()
}

/// The multipart field `file` of an upload form: its name and bytes. On
/// error, the status to answer with: 413 when the body is over the upload
/// limit, 422 when a part of it cannot be read (a control character in a
/// part's header, a cut-off part): the form was sent, its content is bad.
pub async fn upload_field(form: &mut axum::extract::Multipart) -> Result<Option<(String, Bytes)>, (StatusCode, &'static str)> {
    let refuse = |e: axum::extract::multipart::MultipartError| match e.status() {
        StatusCode::PAYLOAD_TOO_LARGE => (StatusCode::PAYLOAD_TOO_LARGE, "file_too_large"),
        _ => (StatusCode::UNPROCESSABLE_ENTITY, "unreadable_file"),
    };
    let mut file = None;
    while let Some(field) = form.next_field().await.map_err(refuse)? {
        if field.name() == Some("file") {
            let name = field.file_name().unwrap_or("roster.csv").to_string();
            file = Some((name, field.bytes().await.map_err(refuse)?));
        }
    }
    Ok(file)
}
