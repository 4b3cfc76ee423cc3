//! The streams pages listen to. Events carry no content — `changed` only
//! tells the page to fetch itself again, through its own permission checks —
//! and each event's id is a history position, so a stream reopened with
//! `Last-Event-ID` (or a page's `?since=`) first reports what it missed.

use std::convert::Infallible;
use std::time::Duration;

use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use futures_util::StreamExt;
use serde::Deserialize;
use tokio::sync::broadcast::error::{RecvError, TryRecvError};
use tongxing_domain::permission::{scope, Action, Resource};
use tongxing_store::needs::feed as need_feed;

use super::{Change, Subscription};
use crate::extract::{cookie, SESSION_COOKIE};
use crate::AppState;

/// Comment lines that keep proxies from closing a quiet stream.
pub(super) const KEEP_ALIVE: Duration = Duration::from_secs(15);
/// How soon a browser reconnects after losing the stream.
pub(super) const RETRY: Duration = Duration::from_secs(3);

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/live/needs", get(all_needs))
        .route("/live/needs/{id}", get(one_need))
        .route("/live/track/{code}", get(tracked_need))
}

#[derive(Deserialize)]
pub(crate) struct Since {
    since: Option<i64>,
}

/// Which changes a stream reports.
#[derive(Clone, Copy)]
enum Topic {
    /// Any need: queues and lists (warning rises included).
    Needs,
    /// One need's history: its page and its tracking page.
    Need(i64),
}

impl Topic {
    fn matches(self, c: &Change) -> bool {
        match (self, c) {
            (Topic::Needs, _) => true,
            (Topic::Need(id), Change::Needs { ids, .. }) => ids.contains(&id),
            (Topic::Need(_), Change::Warnings) => false,
        }
    }

    async fn changed_since(self, s: &AppState, since: i64) -> bool {
        match self {
            Topic::Needs => true,
            Topic::Need(id) => need_feed::changed_since(&s.svc.db, id, since).await.unwrap_or(true),
        }
    }
}

/// Staff who may read needs. A status, not the login redirect of pages:
/// an event stream cannot show a login form.
async fn staff(s: &AppState, headers: &HeaderMap) -> Result<(), StatusCode> {
    may_read(s, headers, Resource::Need).await
}

/// Whoever may read `resource`, signed in by session cookie (pages) or
/// bearer token (API clients).
pub(super) async fn may_read(s: &AppState, headers: &HeaderMap, resource: Resource) -> Result<(), StatusCode> {
    let bearer = headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok()).and_then(|v| v.strip_prefix("Bearer "));
    let token = bearer.map(|t| t.trim().to_string()).or_else(|| cookie(headers, SESSION_COOKIE)).ok_or(StatusCode::UNAUTHORIZED)?;
    let user = match s.svc.authenticate(&token).await {
        Ok(u) => u,
        Err(tongxing_service::Error::Unauthorized) => return Err(StatusCode::UNAUTHORIZED),
        Err(_) => return Err(StatusCode::SERVICE_UNAVAILABLE),
    };
    if scope(user.role, Action::Read, resource).allowed() {
        Ok(())
    } else {
        Err(StatusCode::FORBIDDEN)
    }
}

/// The later of the page's position and the browser's last event id.
pub(super) fn since(headers: &HeaderMap, q: Since) -> Option<i64> {
    let last = headers.get("last-event-id").and_then(|v| v.to_str().ok()).and_then(|v| v.trim().parse().ok());
    q.since.max(last)
}

async fn all_needs(State(s): State<AppState>, headers: HeaderMap, Query(q): Query<Since>) -> Response {
    match staff(&s, &headers).await {
        Ok(()) => stream(&s, Topic::Needs, since(&headers, q)).await,
        Err(status) => status.into_response(),
    }
}

async fn one_need(State(s): State<AppState>, headers: HeaderMap, Path(id): Path<i64>, Query(q): Query<Since>) -> Response {
    match staff(&s, &headers).await {
        Ok(()) => stream(&s, Topic::Need(id), since(&headers, q)).await,
        Err(status) => status.into_response(),
    }
}

/// Public, like the tracking page: whoever holds the code hears when that
/// one need moves, and nothing else.
async fn tracked_need(State(s): State<AppState>, headers: HeaderMap, Path(code): Path<String>, Query(q): Query<Since>) -> Response {
    match need_feed::need_of_code(&s.svc.db, code.trim()).await {
        Ok(id) => stream(&s, Topic::Need(id), since(&headers, q)).await,
        Err(tongxing_store::Error::NotFound) => StatusCode::NOT_FOUND.into_response(),
        Err(e) => {
            tracing::warn!(error = %e, "looking up a tracking code failed");
            StatusCode::SERVICE_UNAVAILABLE.into_response()
        }
    }
}

fn changed(upto: Option<i64>) -> Event {
    let e = Event::default().event("changed").data("changed");
    match upto {
        Some(id) => e.id(id.to_string()),
        None => e,
    }
}

/// `ready` once listening (so a client knows no later change is missed),
/// `changed` at once if the client's position is behind, then one
/// `changed` per change of the topic.
async fn stream(s: &AppState, topic: Topic, since: Option<i64>) -> Response {
    let Some(sub) = s.live.subscribe().await else { return StatusCode::SERVICE_UNAVAILABLE.into_response() };
    let mut first = vec![Event::default().event("ready").id(sub.seen.to_string()).retry(RETRY).data("ready")];
    if let Some(since) = since.filter(|since| *since < sub.seen) {
        if topic.changed_since(s, since).await {
            first.push(changed(None));
        }
    }
    // A client ahead of this instance (it came from another) has seen those lines.
    let known = since.unwrap_or(0).max(sub.seen);
    let later = futures_util::stream::unfold((sub, topic), move |(mut sub, topic)| async move {
        next_change(&mut sub, topic, known).await.map(|e| (e, (sub, topic)))
    });
    let events = futures_util::stream::iter(first).chain(later).map(Ok::<_, Infallible>);
    // nginx would otherwise hold events back in its buffer.
    ([("x-accel-buffering", "no")], Sse::new(events).keep_alive(KeepAlive::new().interval(KEEP_ALIVE))).into_response()
}

/// Waits for the next change of `topic` after history line `known`, folding
/// a backlog into one event. None when the server shuts down.
async fn next_change(sub: &mut Subscription, topic: Topic, known: i64) -> Option<Event> {
    loop {
        let mut next = tokio::select! {
            _ = sub.closing.changed() => return None,
            r = sub.rx.recv() => Some(r),
        };
        let (mut hit, mut upto) = (false, None);
        while let Some(r) = next {
            match r {
                Ok(Change::Needs { upto: u, .. }) if u <= known => {}
                Ok(c) => {
                    hit |= topic.matches(&c);
                    if let Change::Needs { upto: u, .. } = c {
                        upto = Some(u);
                    }
                }
                // Changes were dropped for this slow stream: assume one was ours.
                Err(RecvError::Lagged(_)) => hit = true,
                Err(RecvError::Closed) => return None,
            }
            next = match sub.rx.try_recv() {
                Ok(c) => Some(Ok(c)),
                Err(TryRecvError::Lagged(n)) => Some(Err(RecvError::Lagged(n))),
                Err(_) => None,
            };
        }
        if hit {
            return Some(changed(upto));
        }
    }
}
