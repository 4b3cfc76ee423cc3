//! Attendance pages (issue #4): the activity's QR code for the leader, the
//! check-in page a volunteer's phone camera opens, and the leader's roster
//! with check-in by hand and the bulk confirmation of hours.

mod checkin;
pub(crate) mod qr;
mod roster;

use axum::routing::{get, post};
use axum::Router;
use tongxing_domain::activities::Activity;

use super::needs::short_time;
use crate::i18n::Tr;
use crate::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/activities/{id}/qr", get(qr::page))
        .route("/checkin/{token}", get(checkin::page).post(checkin::submit))
        .route("/activities/{id}/roster", get(roster::page))
        .route("/activities/{id}/roster/check", post(roster::check))
        .route("/activities/{id}/confirm", get(roster::confirm_page).post(roster::confirm))
}

/// What every attendance page says about the activity, already formatted.
pub struct Facts {
    pub id: i64,
    pub title: String,
    pub when: String,
    pub place: String,
    pub team: String,
}

impl Facts {
    pub fn of(a: &Activity) -> Facts {
        let (start, end) = (short_time(a.starts_at), short_time(a.ends_at));
        // The same day shows once: "2026-12-05 09:00–11:30".
        let end = if start.get(..10) == end.get(..10) { clock(a.ends_at) } else { end };
        let place = match &a.address {
            Some(addr) => format!("{} · {addr}", a.community_name),
            None => a.community_name.clone(),
        };
        Facts { id: a.id, title: a.title.clone(), when: format!("{start}–{end}"), place, team: a.team_name.clone() }
    }
}

/// "09:02": a time of day in the region's zone.
pub fn clock(ms: i64) -> String {
    short_time(ms).get(11..).unwrap_or_default().to_string()
}

/// "09:02" from an RFC 3339 time as the API gives it (the text itself if it is not one).
pub fn clock_of(rfc3339: &str) -> String {
    tongxing_domain::activities::parse_time(rfc3339).map_or_else(|| rfc3339.to_string(), clock)
}

/// The text of a service error's first field code, for a message on a page.
pub fn error_text(tr: &Tr, e: &tongxing_service::Error) -> String {
    let (_, code, _) = crate::error::classify(e);
    tr.t(&format!("error.{code}"))
}
