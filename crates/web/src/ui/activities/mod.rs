//! Activity pages: find activities near a community (a list and a month
//! calendar), an activity's page where a volunteer signs up or cancels, and
//! the plan form for leaders (new, weekly series, or a copy of a past one).

mod detail;
mod list;
mod mine;
mod plan;

use axum::routing::{get, post};
use axum::Router;
use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, TimeZone};
use tongxing_domain::activities::Activity;
use tongxing_domain::model::User;
use tongxing_domain::permission::{scope, Action, Resource, Scope};
use tongxing_domain::time::region_offset;

use crate::i18n::Tr;
use crate::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/activities", get(list::page).post(plan::create))
        .route("/activities/new", get(plan::new_page))
        .route("/me/activities", get(mine::page))
        .route("/activities/{id}", get(detail::page))
        .route("/activities/{id}/signup", post(detail::sign_up))
        .route("/activities/{id}/cancel-signup", post(detail::cancel))
        .route("/activities/{id}/insurance", post(detail::insurance))
        .route("/activities/{id}/cancel", post(detail::cancel_activity))
}

fn param<'a>(q: &'a [(String, String)], key: &str) -> Option<&'a str> {
    q.iter().find(|(k, _)| k == key).map(|(_, v)| v.trim()).filter(|v| !v.is_empty())
}

/// Unix milliseconds as the region's wall clock.
fn local(ms: i64) -> DateTime<FixedOffset> {
    region_offset().timestamp_millis_opt(ms).single().unwrap_or_default()
}

/// Midnight at the start of a region day, in unix milliseconds.
fn day_start(d: NaiveDate) -> i64 {
    d.and_hms_opt(0, 0, 0).and_then(|t| t.and_local_timezone(region_offset()).single()).map(|t| t.timestamp_millis()).unwrap_or_default()
}

/// "2026-12-05 周六" in the visitor's language.
fn day_label(tr: &Tr, d: NaiveDate) -> String {
    format!("{} {}", d.format("%Y-%m-%d"), tr.t(&format!("weekday.{}", d.weekday().number_from_monday())))
}

/// "2026-12-05 周六 09:00–11:30"; the end's date is named when it is another day.
fn when(tr: &Tr, a: &Activity) -> String {
    span(tr, a.starts_at, a.ends_at)
}

/// The same for any span of unix milliseconds.
fn span(tr: &Tr, starts_at: i64, ends_at: i64) -> String {
    let (s, e) = (local(starts_at), local(ends_at));
    let end = if e.date_naive() == s.date_naive() { e.format("%H:%M").to_string() } else { e.format("%Y-%m-%d %H:%M").to_string() };
    format!("{} {}–{}", day_label(tr, s.date_naive()), s.format("%H:%M"), end)
}

/// Whether the visitor runs this activity: the center, or the leader of its team.
fn runs(user: &User, a: &Activity) -> bool {
    match scope(user.role, Action::Write, Resource::Activity) {
        Scope::All => true,
        Scope::OwnTeam => user.team_id == Some(a.team_id),
        _ => false,
    }
}

/// An activity as a list or a calendar day shows it, already in words.
pub struct ActivityRow {
    pub id: i64,
    pub title: String,
    pub when: String,
    pub place: String,
    /// (theme code, label) for the badge.
    pub theme: Option<(String, String)>,
    pub places: String,
    pub full: bool,
    pub waitlist: Option<String>,
    /// Risky, adults only: words, not colour alone.
    pub marks: Vec<String>,
}

impl ActivityRow {
    fn of(tr: &Tr, a: &Activity) -> ActivityRow {
        let left = (a.capacity - a.confirmed).max(0);
        let mut marks = Vec::new();
        if a.risky {
            marks.push(tr.t("activity.risky"));
        }
        if a.adults_only {
            marks.push(tr.t("activity.adults_only"));
        }
        let place = match &a.address {
            Some(addr) => format!("{} · {addr}", a.community_name),
            None => a.community_name.clone(),
        };
        ActivityRow {
            id: a.id,
            title: a.title.clone(),
            when: when(tr, a),
            place,
            theme: a.theme.as_ref().map(|t| (t.clone(), tr.t(&format!("theme.{t}")))),
            places: if left > 0 { tr.f2("activity.places_left", left, a.capacity) } else { tr.t("activity.full") },
            full: left == 0,
            waitlist: (a.waitlisted > 0).then(|| tr.f("activity.waitlist_count", a.waitlisted)),
            marks,
        }
    }
}
