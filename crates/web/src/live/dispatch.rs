//! The live board of an emergency call (API.md `GET /api/v1/dispatches/{id}/events`).
//! Each stream follows its call's own event rows — an index range, read every
//! half second — so answers taken by any instance reach every open board.
//! Events are the live pages' `ready` / `changed`, ids are event positions
//! (so `Last-Event-ID` and `?since=` catch up), and each `changed` carries
//! the fill as JSON for API clients: `{"needed", "confirmed", "standby", "status", "waves"}`.

use std::convert::Infallible;
use std::time::Duration;

use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use futures_util::StreamExt;
use serde_json::json;
use tongxing_domain::permission::Resource;
use tongxing_store::dispatch as dispatches;

use super::routes::{may_read, since, Since, KEEP_ALIVE, RETRY};
use crate::AppState;

const POLL: Duration = Duration::from_millis(500);

async fn fill(s: &AppState, id: i64, position: i64) -> Option<Event> {
    let c = dispatches::get(&s.svc.db, id).await.ok()?;
    let data = json!({"needed": c.needed, "confirmed": c.confirmed, "standby": c.standby, "status": c.status, "waves": c.waves});
    Some(Event::default().event("changed").id(position.to_string()).data(data.to_string()))
}

/// Server-sent events of the fill: `ready`, then `changed` with
/// `{"needed", "confirmed", "standby", "status", "waves"}` whenever the call changes.
#[utoipa::path(get, path = "/api/v1/dispatches/{id}/events", tag = "dispatch",
    params(("id" = i64, Path, minimum = 1), ("since" = Option<i64>, Query, description = "Report what happened after this event id first"),
        ("Last-Event-ID" = Option<String>, Header, description = "The browser's reconnection position, as `since`")),
    responses((status = 200, content_type = "text/event-stream", body = String), (status = 404)))]
pub async fn board_events(State(s): State<AppState>, headers: HeaderMap, Path(id): Path<i64>, Query(q): Query<Since>) -> Response {
    if let Err(status) = may_read(&s, &headers, Resource::Dispatch).await {
        return status.into_response();
    }
    let Ok(start) = dispatches::last_event_of(&s.svc.db, id).await else { return StatusCode::NOT_FOUND.into_response() };
    let mut first = vec![Event::default().event("ready").id(start.to_string()).retry(RETRY).data("ready")];
    if since(&headers, q).is_some_and(|n| n < start) {
        first.extend(fill(&s, id, start).await);
    }
    let closing = s.live.closing();
    let later = futures_util::stream::unfold((s, start, closing), move |(s, mut seen, mut closing)| async move {
        loop {
            tokio::select! {
                _ = closing.changed() => return None,
                _ = tokio::time::sleep(POLL) => {}
            }
            let now = dispatches::last_event_of(&s.svc.db, id).await.unwrap_or(seen);
            if now > seen {
                seen = now;
                if let Some(e) = fill(&s, id, now).await {
                    return Some((e, (s, seen, closing)));
                }
            }
        }
    });
    let events = futures_util::stream::iter(first).chain(later).map(Ok::<_, Infallible>);
    ([("x-accel-buffering", "no")], Sse::new(events).keep_alive(KeepAlive::new().interval(KEEP_ALIVE))).into_response()
}
