//! Request counts and latencies by route, in Prometheus' text format.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::Mutex;
use std::time::Instant;

use axum::extract::{MatchedPath, Request, State};
use axum::http::{header, HeaderMap};
use axum::middleware::Next;
use axum::response::Response;
use sha2::{Digest, Sha256};

use crate::AppState;

/// Who may read /metrics on the main listener. Request counts by route tell
/// an outsider how busy the region is and which features it uses, so they
/// are not public unless the operator says so.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum MetricsAccess {
    /// 404, as if there were no such page (the default).
    #[default]
    Off,
    /// Anyone who reaches the listener (a private network).
    Open,
    /// A scraper sending `Authorization: Bearer <token>`; others get 401.
    Token(String),
}

impl MetricsAccess {
    /// From the config file's `metrics` (`off`, `open`, `token`) and `metrics_token`.
    pub fn from_config(mode: &str, token: Option<&str>) -> Result<MetricsAccess, String> {
        match (mode, token.map(str::trim).filter(|t| !t.is_empty())) {
            ("off", _) => Ok(MetricsAccess::Off),
            ("open", _) => Ok(MetricsAccess::Open),
            // Short tokens can be guessed; 16 characters is what `openssl rand -hex 8` gives.
            ("token", Some(t)) if t.len() >= 16 => Ok(MetricsAccess::Token(t.to_string())),
            ("token", _) => Err("metrics = \"token\" needs a metrics_token of at least 16 characters".into()),
            (other, _) => Err(format!("metrics must be \"off\", \"open\" or \"token\", not {other:?}")),
        }
    }

    /// Whether this request may read the metrics.
    pub(crate) fn allows(&self, headers: &HeaderMap) -> bool {
        match self {
            MetricsAccess::Off => false,
            MetricsAccess::Open => true,
            MetricsAccess::Token(token) => {
                let given = headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok()).and_then(|v| v.strip_prefix("Bearer "));
                // Digests are compared so the time taken says nothing about how much of the token was right.
                given.is_some_and(|g| Sha256::digest(g.as_bytes()) == Sha256::digest(token.as_bytes()))
            }
        }
    }
}

const BUCKETS: [f64; 10] = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1.0, 5.0];

#[derive(Default)]
struct Series {
    count: u64,
    sum: f64,
    buckets: [u64; BUCKETS.len()],
}

#[derive(Default)]
pub struct Metrics {
    series: Mutex<BTreeMap<(String, String, u16), Series>>,
}

impl Metrics {
    fn observe(&self, method: &str, route: &str, status: u16, secs: f64) {
        let mut map = self.series.lock().unwrap_or_else(|p| p.into_inner());
        let s = map.entry((method.to_string(), route.to_string(), status)).or_default();
        s.count += 1;
        s.sum += secs;
        for (i, b) in BUCKETS.iter().enumerate() {
            if secs <= *b {
                s.buckets[i] += 1;
            }
        }
    }

    pub fn render(&self) -> String {
        let map = self.series.lock().unwrap_or_else(|p| p.into_inner());
        let mut out = String::from(
            "# HELP tongxing_http_requests_total Requests answered, by route and status.\n# TYPE tongxing_http_requests_total counter\n",
        );
        for ((m, r, st), s) in map.iter() {
            let _ = writeln!(out, "tongxing_http_requests_total{{method=\"{m}\",route=\"{r}\",status=\"{st}\"}} {}", s.count);
        }
        out.push_str("# HELP tongxing_http_request_duration_seconds Time to answer, by route.\n# TYPE tongxing_http_request_duration_seconds histogram\n");
        for ((m, r, st), s) in map.iter() {
            let labels = format!("method=\"{m}\",route=\"{r}\",status=\"{st}\"");
            for (i, b) in BUCKETS.iter().enumerate() {
                let _ = writeln!(out, "tongxing_http_request_duration_seconds_bucket{{{labels},le=\"{b}\"}} {}", s.buckets[i]);
            }
            let _ = writeln!(out, "tongxing_http_request_duration_seconds_bucket{{{labels},le=\"+Inf\"}} {}", s.count);
            let _ = writeln!(out, "tongxing_http_request_duration_seconds_sum{{{labels}}} {}", s.sum);
            let _ = writeln!(out, "tongxing_http_request_duration_seconds_count{{{labels}}} {}", s.count);
        }
        out
    }
}

/// This instance's share of the database and its group-commit queues, after
/// the request series: requests ÷ groups, their mean size, shows how well
/// writes are grouped.
pub fn render_service(out: &mut String, caches: &tongxing_service::cache::Caches) {
    out.push_str(
        "# HELP tongxing_instances Instances sharing the database, as this one hears them on PostgreSQL's feed (1 on SQLite).\n\
         # TYPE tongxing_instances gauge\n",
    );
    let _ = writeln!(out, "tongxing_instances {}", caches.feed.instances());
    let queues = caches.group_commits();
    out.push_str("# HELP tongxing_group_commit_groups_total Groups written by a group-commit queue, by kind.\n# TYPE tongxing_group_commit_groups_total counter\n");
    for (kind, groups, _) in queues {
        let _ = writeln!(out, "tongxing_group_commit_groups_total{{kind=\"{kind}\"}} {groups}");
    }
    out.push_str("# HELP tongxing_group_commit_requests_total Requests those groups carried, by kind.\n# TYPE tongxing_group_commit_requests_total counter\n");
    for (kind, _, items) in queues {
        let _ = writeln!(out, "tongxing_group_commit_requests_total{{kind=\"{kind}\"}} {items}");
    }
}

/// Records every request under its route template (`/api/v1/volunteers/{id}`),
/// never the raw path, so ids do not explode the series.
pub async fn track(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let route = req.extensions().get::<MatchedPath>().map(|p| p.as_str().to_string()).unwrap_or_else(|| "unmatched".into());
    let method = req.method().to_string();
    let start = Instant::now();
    let resp = next.run(req).await;
    state.metrics.observe(&method, &route, resp.status().as_u16(), start.elapsed().as_secs_f64());
    resp
}
