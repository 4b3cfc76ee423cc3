//! Liveness, readiness and metrics for whoever runs Tongxing.

use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;

use crate::{AppState, MetricsAccess};

pub fn router() -> Router<AppState> {
    Router::new().route("/healthz", get(healthz)).route("/readyz", get(readyz)).route("/metrics", get(metrics))
}

async fn healthz() -> &'static str {
    "ok"
}

/// Ready when the database answers.
async fn readyz(State(s): State<AppState>) -> impl IntoResponse {
    match s.svc.db.ping().await {
        Ok(()) => (StatusCode::OK, "ready"),
        Err(e) => {
            tracing::warn!(error = %e, "database not reachable");
            (StatusCode::SERVICE_UNAVAILABLE, "database unreachable")
        }
    }
}

/// Behind the configured access: off looks like no page at all, a wrong or
/// missing token is told how to authenticate.
async fn metrics(State(s): State<AppState>, headers: HeaderMap) -> Response {
    match &s.metrics_access {
        MetricsAccess::Off => StatusCode::NOT_FOUND.into_response(),
        access if access.allows(&headers) => metrics_text(&s).into_response(),
        _ => (StatusCode::UNAUTHORIZED, [(header::WWW_AUTHENTICATE, "Bearer")]).into_response(),
    }
}

fn metrics_text(s: &AppState) -> impl IntoResponse {
    let mut text = s.metrics.render();
    crate::metrics::render_service(&mut text, &s.svc.caches);
    ([(header::CONTENT_TYPE, "text/plain; version=0.0.4")], text)
}

/// /metrics alone, for anyone who reaches it: served on `metrics_listen`, an
/// address the operator keeps private (loopback, the monitoring network).
pub fn metrics_only(state: AppState) -> Router {
    Router::new().route("/metrics", get(|State(s): State<AppState>| async move { metrics_text(&s) })).with_state(state)
}
