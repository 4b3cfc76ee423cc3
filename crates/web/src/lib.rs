//! Tongxing's HTTP face: the JSON API of API.md under /api/v1, server-rendered
//! pages for people, and the operations endpoints.
#![forbid(unsafe_code)]

pub mod api;
mod assets;
pub mod error;
mod export;
pub mod extract;
pub mod i18n;
mod idempotency;
mod live;
mod metrics;
mod ops;
mod refusals;
pub mod ui;

use std::sync::Arc;
use std::time::Duration;

use axum::extract::{DefaultBodyLimit, Request, State};
use axum::http::{header, HeaderValue};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use tongxing_service::Service;
use tower_http::compression::CompressionLayer;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

pub use i18n::{Catalogue, Lang};
pub use metrics::MetricsAccess;
pub use ops::metrics_only;

/// What every handler shares. Cloned several times per request by axum's
/// extractors and middleware, so it is one pointer: cloning the parts one by
/// one moved a dozen shared reference counts per request (7% of the CPU of a
/// cheap request on two cores).
#[derive(Clone)]
pub struct AppState(Arc<Shared>);

pub struct Shared {
    pub svc: Service,
    pub cat: Arc<Catalogue>,
    metrics: Arc<metrics::Metrics>,
    assets: Arc<assets::Assets>,
    live: Arc<live::Hub>,
    /// Mark cookies `Secure` (behind HTTPS).
    pub secure_cookies: bool,
    /// Read the client address from X-Forwarded-For.
    trust_forwarded_for: bool,
    metrics_access: MetricsAccess,
    request_timeout: Duration,
}

/// What the operator decides about the HTTP side (the config file's part).
#[derive(Debug, Clone, Default)]
pub struct WebSettings {
    /// Mark cookies `Secure`. Unset: when `public_url` is https, since a
    /// server reached over HTTPS should never send its session in clear.
    pub secure_cookies: Option<bool>,
    /// Behind a load balancer, the client is the last X-Forwarded-For entry.
    pub trust_forwarded_for: bool,
    /// Who may read /metrics on the main listener.
    pub metrics: MetricsAccess,
    /// How long a request may take before it is answered 408; `None`: 60 s.
    pub request_timeout: Option<Duration>,
}

impl AppState {
    /// The defaults: what the tests and a bare `serve` use.
    pub fn new(svc: Service) -> AppState {
        AppState::configured(svc, WebSettings::default())
    }

    pub fn configured(svc: Service, web: WebSettings) -> AppState {
        let https = svc.settings.public_url.as_deref().is_some_and(|u| u.get(..8).is_some_and(|s| s.eq_ignore_ascii_case("https://")));
        let live = Arc::new(live::Hub::new(svc.db.clone()));
        AppState(Arc::new(Shared {
            svc,
            cat: Arc::new(Catalogue::load()),
            metrics: Arc::default(),
            assets: Arc::new(assets::Assets::new()),
            live,
            secure_cookies: web.secure_cookies.unwrap_or(https),
            trust_forwarded_for: web.trust_forwarded_for,
            metrics_access: web.metrics,
            request_timeout: web.request_timeout.unwrap_or(REQUEST_TIMEOUT),
        }))
    }

    /// Ends the live pages' event streams: call it when shutting down, or a
    /// graceful shutdown waits for streams that never end.
    pub fn end_live_streams(&self) {
        self.live.close();
    }
}

impl Shared {
    /// The attribute every cookie we set ends with.
    pub(crate) fn cookie_secure(&self) -> &'static str {
        if self.secure_cookies {
            "; Secure"
        } else {
            ""
        }
    }
}

impl std::ops::Deref for AppState {
    type Target = Shared;
    fn deref(&self) -> &Shared {
        &self.0
    }
}

/// Every page's scripts and styles are files under /static — no inline
/// script, style or on* handler (tests/api/security.rs checks each kind of
/// page) — so the policy can refuse everything else: injected markup could
/// not run a script or send a form elsewhere.
const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; \
                   object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/// The time to answer a request, unless configured otherwise.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(60);

/// Uploads (a large roster) set the limit; everything else is far smaller.
pub(crate) const BODY_LIMIT: usize = tongxing_service::upload::MAX_UPLOAD_BYTES;

pub fn app(state: AppState) -> Router {
    let (api, mut openapi) = api::router().split_for_parts();
    utoipa::Modify::modify(&api::SharedErrors, &mut openapi);
    let openapi = Arc::new(openapi);
    let routed = Router::new()
        .merge(api)
        .route("/api/v1/openapi.json", get(move || std::future::ready(axum::Json(openapi.as_ref().clone()))))
        .merge(ui::router())
        .merge(ops::router())
        .merge(live::router())
        .route("/static/{file}", get(assets::serve))
        .route("/favicon.ico", get(assets::icon))
        .fallback(ui::errors::not_found)
        .layer(middleware::from_fn_with_state(state.clone(), refusals::layer))
        .layer(middleware::from_fn_with_state(state.clone(), idempotency::layer))
        .layer(middleware::from_fn_with_state(state.clone(), ensure_csrf_cookie))
        .layer(middleware::from_fn_with_state(state.clone(), extract::remember_client_addr))
        .layer(middleware::from_fn_with_state(state.clone(), metrics::track))
        .layer(CompressionLayer::new())
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .layer(middleware::from_fn_with_state(state.clone(), finish_writes))
        .layer(TimeoutLayer::with_status_code(axum::http::StatusCode::REQUEST_TIMEOUT, state.request_timeout))
        .layer(middleware::from_fn_with_state(state.clone(), refusals::fill_empty))
        // Outside the timeout, so that its 408 carries them too.
        .layer(SetResponseHeaderLayer::if_not_present(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff")))
        .layer(SetResponseHeaderLayer::if_not_present(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY")))
        .layer(SetResponseHeaderLayer::if_not_present(header::REFERRER_POLICY, HeaderValue::from_static("same-origin")))
        .layer(SetResponseHeaderLayer::if_not_present(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(CSP)))
        .layer(TraceLayer::new_for_http())
        .with_state(state);
    // Before routing, so that the path parameters are read from the rewritten path.
    Router::new().fallback_service(tower::ServiceBuilder::new().layer(middleware::map_request(whole_ids)).service(routed))
}

/// The document types path ids as integers, and JSON Schema counts `7.0`
/// as one: an API path written so reaches the same record as `7`.
async fn whole_ids(mut req: Request) -> Request {
    let path = req.uri().path();
    if !path.starts_with("/api/") || !path.contains('.') {
        return req;
    }
    let canonical: Vec<&str> = path
        .split('/')
        .map(|seg| match seg.split_once('.') {
            Some((whole, zeros))
                if !whole.is_empty()
                    && whole.bytes().all(|b| b.is_ascii_digit())
                    && !zeros.is_empty()
                    && zeros.bytes().all(|b| b == b'0') =>
            {
                whole
            }
            _ => seg,
        })
        .collect();
    let rewritten = match req.uri().query() {
        Some(q) => format!("{}?{q}", canonical.join("/")),
        None => canonical.join("/"),
    };
    if let Ok(uri) = rewritten.parse() {
        *req.uri_mut() = uri;
    }
    req
}

/// Runs every request that may write in a task of its own, so that a
/// client hanging up (or the timeout above) cannot stop a write halfway:
/// hyper drops a request's future when its connection closes, and a future
/// dropped between two statements of a write would leave the rest undone.
/// Dropping the task's handle leaves the task running to its end. Reads are
/// left in the connection's future, where dropping them loses nothing.
///
/// Each write answered is counted before its answer leaves, for the kept
/// hours pages (`tongxing_service::feed`): a page is served from memory only
/// once the feed of changes has been heard past every write counted.
async fn finish_writes(State(s): State<AppState>, req: Request, next: Next) -> Response {
    if req.method().is_safe() {
        return next.run(req).await;
    }
    let caches = s.svc.caches.clone();
    let write = async move {
        let resp = next.run(req).await;
        caches.feed.wrote();
        resp
    };
    match tokio::spawn(write).await {
        Ok(resp) => resp,
        // The handler panicked: what axum answers for a panic without the task.
        Err(_) => axum::http::StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}

/// Gives every visitor a CSRF cookie before their first form, and makes the
/// token available to the request's extractors.
async fn ensure_csrf_cookie(State(s): State<AppState>, mut req: Request, next: Next) -> Response {
    let existing = extract::cookie(req.headers(), extract::CSRF_COOKIE).filter(|v| v.len() == 32);
    let token = existing.clone().unwrap_or_else(new_csrf_token);
    req.extensions_mut().insert(extract::CsrfToken(token.clone()));
    let mut resp = next.run(req).await;
    if existing.is_none() {
        let c = format!("{}={token}; Path=/; HttpOnly; SameSite=Strict{}", extract::CSRF_COOKIE, s.cookie_secure());
        if let Ok(v) = HeaderValue::from_str(&c) {
            resp.headers_mut().append(axum::http::header::SET_COOKIE, v);
        }
    }
    resp
}

fn new_csrf_token() -> String {
    use rand::RngCore;
    let mut b = [0u8; 16];
    rand::thread_rng().fill_bytes(&mut b);
    hex::encode(b)
}
