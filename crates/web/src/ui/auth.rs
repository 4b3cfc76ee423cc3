use axum::extract::{Query, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use serde::Deserialize;
use tongxing_domain::return_path::is_safe_return_path;
use tongxing_service::Error;

use super::templates::LoginPage;
use super::view::Chrome;
use super::{render, service_error};
use crate::extract::{cookie, CsrfForm, PageVisitor, LANG_COOKIE, SESSION_COOKIE};
use crate::i18n::{Lang, Tr};
use crate::AppState;

pub fn router() -> Router<AppState> {
    Router::new().route("/login", get(login_page).post(login)).route("/logout", post(logout)).route("/lang", get(switch_lang))
}

#[derive(Deserialize)]
struct NextQuery {
    next: Option<String>,
}

/// Only same-site paths, so a crafted link cannot send a user elsewhere;
/// anything else goes home.
fn safe_next(next: Option<&str>) -> String {
    next.filter(|n| is_safe_return_path(n)).unwrap_or("/").to_string()
}

fn login_form(s: &AppState, v: &PageVisitor, status: StatusCode, error: Option<&str>, login: &str, next: &str) -> Response {
    let tr = Tr { cat: &s.cat, lang: v.lang };
    let c = Chrome::new(s, tr, None, &v.csrf, tr.t("login.title"), "/login");
    // Someone who scanned an activity's QR code is told why they must sign
    // in; `next` brings them back to the check-in.
    let reason = next.starts_with("/checkin/").then(|| tr.t("login.to_check_in"));
    render(status, &LoginPage { c, error: error.map(|k| tr.t(k)), login: login.to_string(), next: next.to_string(), reason })
}

async fn login_page(State(s): State<AppState>, v: PageVisitor, Query(q): Query<NextQuery>) -> Response {
    login_form(&s, &v, StatusCode::OK, None, "", &safe_next(q.next.as_deref()))
}

async fn login(State(s): State<AppState>, v: PageVisitor, form: CsrfForm) -> Response {
    let login = form.get("login").unwrap_or("").trim().to_string();
    let next = safe_next(form.get("next"));
    match s.svc.login(&login, form.get("password").unwrap_or(""), &v.ip).await {
        Ok((token, _)) => {
            let hours = s.svc.settings.session_ttl_hours;
            let c = format!("{SESSION_COOKIE}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age={}{}", hours * 3600, s.cookie_secure());
            let mut resp = Redirect::to(&next).into_response();
            if let Ok(h) = HeaderValue::from_str(&c) {
                resp.headers_mut().append(header::SET_COOKIE, h);
            }
            resp
        }
        Err(Error::Unauthorized) => login_form(&s, &v, StatusCode::UNAUTHORIZED, Some("login.failed"), &login, &next),
        Err(Error::RateLimited { .. }) => login_form(&s, &v, StatusCode::TOO_MANY_REQUESTS, Some("login.rate_limited"), &login, &next),
        Err(e) => service_error(&s, v.lang, e),
    }
}

async fn logout(State(s): State<AppState>, headers: axum::http::HeaderMap, _form: CsrfForm) -> Response {
    if let Some(token) = cookie(&headers, SESSION_COOKIE) {
        let _ = s.svc.logout(&token).await;
    }
    let mut resp = Redirect::to("/login").into_response();
    let expired = format!("{SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0{}", s.cookie_secure());
    if let Ok(h) = HeaderValue::from_str(&expired) {
        resp.headers_mut().append(header::SET_COOKIE, h);
    }
    resp
}

#[derive(Deserialize)]
struct LangQuery {
    lang: String,
    back: Option<String>,
}

/// Remembers the chosen language for a year and goes back where the user was.
async fn switch_lang(State(s): State<AppState>, Query(q): Query<LangQuery>) -> Response {
    let lang = Lang::parse(&q.lang);
    let mut resp = Redirect::to(&safe_next(q.back.as_deref())).into_response();
    let c = format!("{LANG_COOKIE}={}; Path=/; SameSite=Lax; Max-Age=31536000{}", lang.code(), s.cookie_secure());
    if let Ok(h) = HeaderValue::from_str(&c) {
        resp.headers_mut().append(header::SET_COOKIE, h);
    }
    resp
}
