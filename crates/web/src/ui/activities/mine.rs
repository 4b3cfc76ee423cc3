//! `/me/activities`: what a volunteer signed up for, with their place on
//! each waitlist, and the activities they came to with the hours credited.

use askama::Template;
use axum::extract::{OriginalUri, State};
use axum::http::StatusCode;
use axum::response::Response;

use super::{local, span};
use crate::extract::PageUser;
use crate::i18n::Tr;
use crate::ui::hours::fmt_hours;
use crate::ui::view::Chrome;
use crate::ui::{render, service_error};
use crate::AppState;

pub struct AheadRow {
    pub id: i64,
    pub title: String,
    pub when: String,
    pub place: String,
    /// 已确认 / 候补第 3 位
    pub standing: String,
    pub waitlisted: bool,
}

pub struct AttendedRow {
    pub id: i64,
    pub title: String,
    pub day: String,
    pub place: String,
    /// The hours credited, or that the leader has yet to confirm them.
    pub hours: String,
}

#[derive(Template)]
#[template(path = "my_activities.html")]
pub struct MyActivitiesPage<'a> {
    pub c: Chrome<'a>,
    pub ahead: Vec<AheadRow>,
    pub attended: Vec<AttendedRow>,
}

pub async fn page(State(s): State<AppState>, p: PageUser, uri: OriginalUri) -> Response {
    let tr = Tr { cat: &s.cat, lang: p.lang };
    let (ahead, attended) = match s.svc.my_activities(&p.user).await {
        Ok(x) => x,
        Err(e) => return service_error(&s, p.lang, e),
    };
    let ahead = ahead
        .into_iter()
        .map(|a| {
            let place = match a.address.filter(|x| !x.trim().is_empty()) {
                Some(addr) => format!("{} · {addr}", a.community_name),
                None => a.community_name,
            };
            let standing = match a.position {
                Some(n) if a.status == "waitlisted" => tr.f("mine.waitlisted_at", n),
                _ => tr.t("mine.confirmed"),
            };
            AheadRow {
                id: a.id,
                title: a.title,
                when: span(&tr, a.starts_at, a.ends_at),
                place,
                waitlisted: a.status == "waitlisted",
                standing,
            }
        })
        .collect();
    let attended = attended
        .into_iter()
        .map(|a| AttendedRow {
            id: a.id,
            title: a.title,
            day: local(a.starts_at).format("%Y-%m-%d").to_string(),
            place: a.community_name,
            hours: match a.hours {
                Some(h) => tr.f("mine.hours", fmt_hours(h)),
                None => tr.t("mine.hours_pending"),
            },
        })
        .collect();
    let c = Chrome::for_page(&s, tr, &p, tr.t("mine.title"), &uri.0.to_string());
    render(StatusCode::OK, &MyActivitiesPage { c, ahead, attended })
}
