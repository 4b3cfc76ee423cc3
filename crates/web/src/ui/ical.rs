//! Calendar feeds: `GET /ical/{token}.ics` (public, the token is the secret)
//! and the page where a volunteer or leader gets — or regenerates — the
//! link their phone's calendar subscribes to.

use askama::Template;
use axum::extract::{OriginalUri, Path, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;

use super::view::Chrome;
use super::{error_page, render, see_other, service_error};
use crate::extract::{lang_of, CsrfForm, PageUser};
use crate::i18n::Tr;
use crate::AppState;

pub fn router() -> Router<AppState> {
    Router::new().route("/ical/{file}", get(feed)).route("/calendar", get(page)).route("/calendar/feeds", post(make))
}

/// The host this request came to, for links and event UIDs.
fn host(headers: &HeaderMap) -> String {
    headers.get(header::HOST).and_then(|h| h.to_str().ok()).filter(|h| !h.is_empty()).unwrap_or("localhost").to_string()
}

/// (`https?://host/ical/{token}.ics`, `webcal://host/ical/{token}.ics`).
pub fn feed_urls(headers: &HeaderMap, secure: bool, token: &str) -> (String, String) {
    let host = host(headers);
    let scheme = if secure { "https" } else { "http" };
    (format!("{scheme}://{host}/ical/{token}.ics"), format!("webcal://{host}/ical/{token}.ics"))
}

async fn feed(State(s): State<AppState>, headers: HeaderMap, Path(file): Path<String>) -> Response {
    let lang = lang_of(&headers);
    let Some(token) = file.strip_suffix(".ics").filter(|t| !t.is_empty()) else {
        return error_page(&s, lang, StatusCode::NOT_FOUND, "calendar_not_found");
    };
    let host = host(&headers);
    let uid_host = host.split(':').next().unwrap_or("localhost");
    // A volunteer's or team's feed, else a campaign's rotation (its slots as all-day events).
    let body = match s.svc.calendar_feed(token, uid_host).await {
        Err(tongxing_service::Error::NotFound) => s.svc.campaign_feed(token, uid_host).await,
        other => other,
    };
    match body {
        Ok(body) => ([(header::CONTENT_TYPE, "text/calendar; charset=utf-8"), (header::CACHE_CONTROL, "private, max-age=300")], body)
            .into_response(),
        Err(tongxing_service::Error::NotFound) => error_page(&s, lang, StatusCode::NOT_FOUND, "calendar_not_found"),
        Err(e) => service_error(&s, lang, e),
    }
}

/// One calendar the visitor may subscribe to.
pub struct FeedLink {
    pub label: String,
    /// The team's id, for the regenerate form; none for the visitor's own.
    pub team_id: Option<i64>,
    /// (https link, webcal link) once made.
    pub urls: Option<(String, String)>,
}

#[derive(Template)]
#[template(path = "calendar.html")]
pub struct CalendarPage<'a> {
    pub c: Chrome<'a>,
    pub feeds: Vec<FeedLink>,
}

async fn page(State(s): State<AppState>, p: PageUser, headers: HeaderMap, uri: OriginalUri) -> Response {
    let tr = Tr { cat: &s.cat, lang: p.lang };
    let mut feeds = Vec::new();
    let mut owners = Vec::new();
    if p.user.volunteer_id.is_some() {
        owners.push((tr.t("feed.mine"), None));
    }
    if let Some(t) = p.user.team_id {
        owners.push((tr.t("feed.my_team"), Some(t)));
    }
    for (label, team_id) in owners {
        match s.svc.calendar_token(&p.user, team_id).await {
            Ok(token) => feeds.push(FeedLink { label, team_id, urls: token.map(|t| feed_urls(&headers, s.secure_cookies, &t)) }),
            Err(tongxing_service::Error::Forbidden) => {}
            Err(e) => return service_error(&s, p.lang, e),
        }
    }
    let c = Chrome::for_page(&s, tr, &p, tr.t("feed.title"), &uri.0.to_string());
    render(StatusCode::OK, &CalendarPage { c, feeds })
}

/// Makes the link on first use; `regenerate` replaces it and revokes the old one.
async fn make(State(s): State<AppState>, p: PageUser, f: CsrfForm) -> Response {
    let team_id = f.get("team_id").and_then(|t| t.parse().ok());
    let regenerate = f.get("regenerate") == Some("true");
    match s.svc.make_calendar_token(&p.user, team_id, regenerate).await {
        Ok(_) => see_other("/calendar", if regenerate { "calendar_regenerated" } else { "calendar_ready" }),
        Err(e) => service_error(&s, p.lang, e),
    }
}
