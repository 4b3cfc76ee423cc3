//! `/checkin/{token}`: the page a volunteer's phone camera opens from the QR
//! code. One big button (签到, then 签退). It works without JavaScript as a
//! plain form; with it, each tap is sent with an idempotency key kept in
//! localStorage and retried until the server answers (static/app.js). The
//! same key always gets the first answer back, and the service itself never
//! records a second check-in, so no retry counts twice.

use askama::Template;
use axum::extract::{OriginalUri, Path, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::{Deserialize, Serialize};
use serde_json::json;
use tongxing_domain::activities::SignupStatus;
use tongxing_service::activities::CheckKind;
use tongxing_service::Error;
use tongxing_store::idempotency::{self, Seen};

use super::{clock, error_text, Facts};
use crate::error::ApiError;
use crate::extract::{CsrfForm, PageUser};
use crate::i18n::Tr;
use crate::ui::view::Chrome;
use crate::ui::{render, see_other, service_error};
use crate::AppState;

/// A tap queued on a phone longer than this is no longer trusted for its time.
const MAX_ELAPSED_MS: i64 = 12 * 3_600_000;

#[derive(Template)]
#[template(path = "checkin.html")]
struct CheckinPage<'a> {
    c: Chrome<'a>,
    token: String,
    a: Facts,
    /// Where the volunteer stands: signed up, checked in at…
    status: Vec<String>,
    /// Why there is no button, or a note about walk-ups.
    note: Option<String>,
    /// "in" or "out" when the button is shown.
    kind: Option<&'static str>,
    button: String,
    key: String,
    error: Option<String>,
}

/// What one tap came to; stored under its key so a retry gets it back.
#[derive(Serialize, Deserialize)]
struct Done {
    kind: CheckKind,
    at: i64,
    repeated: bool,
    walk_up: bool,
}

fn fresh_key() -> String {
    use rand::RngCore;
    let mut b = [0u8; 16];
    rand::thread_rng().fill_bytes(&mut b);
    hex::encode(b)
}

pub async fn page(State(s): State<AppState>, p: PageUser, uri: OriginalUri, Path(token): Path<String>) -> Response {
    view(&s, &p, &uri.0.to_string(), &token, None).await
}

/// The page, optionally with an error from a plain form post.
async fn view(s: &AppState, p: &PageUser, path: &str, token: &str, error: Option<(StatusCode, String)>) -> Response {
    let tr = Tr { cat: &s.cat, lang: p.lang };
    let st = match s.svc.checkin_state(&p.user, token).await {
        Ok(st) => st,
        Err(e) => return service_error(s, p.lang, e),
    };
    let a = &st.activity;
    let now = tongxing_store::now_ms();
    let signed = st.signup == Some(SignupStatus::Confirmed);
    let mut status = Vec::new();
    if signed {
        status.push(tr.t("checkin.signed_up"));
    }
    if let Some(i) = st.checked_in_at {
        status.push(tr.f("checkin.in_at", clock(i)));
    }
    if let Some(o) = st.checked_out_at {
        status.push(tr.f("checkin.out_at", clock(o)));
    }
    let refusal = if st.volunteer_id.is_none() {
        Some("checkin.no_volunteer")
    } else if a.cancelled {
        Some("checkin.cancelled")
    } else if st.checked_out_at.is_some() {
        Some("checkin.done")
    } else if st.checked_in_at.is_none() && now >= a.ends_at {
        Some("checkin.ended")
    } else if st.checked_in_at.is_none() && !signed && !a.walk_ups {
        Some(if st.signup == Some(SignupStatus::Waitlisted) { "checkin.waitlisted" } else { "checkin.not_signed_up" })
    } else {
        None
    };
    let kind = match (refusal, st.checked_in_at) {
        (Some(_), _) => None,
        (None, None) => Some("in"),
        (None, Some(_)) => Some("out"),
    };
    let note = refusal.or((kind == Some("in") && !signed).then_some("checkin.walk_up")).map(|k| tr.t(k));
    let code = error.as_ref().map_or(StatusCode::OK, |e| e.0);
    let c = Chrome::for_page(s, tr, p, tr.t("checkin.title"), path);
    let button = tr.t(if kind == Some("out") { "checkin.out" } else { "checkin.in" });
    let page = CheckinPage {
        c,
        token: token.to_string(),
        a: Facts::of(a),
        status,
        note,
        kind,
        button,
        key: fresh_key(),
        error: error.map(|e| e.1),
    };
    render(code, &page)
}

pub async fn submit(State(s): State<AppState>, p: PageUser, headers: HeaderMap, Path(token): Path<String>, f: CsrfForm) -> Response {
    let wants_json = headers.get(header::ACCEPT).and_then(|v| v.to_str().ok()).is_some_and(|v| v.contains("application/json"));
    let path = format!("/checkin/{token}");
    match tap(&s, &p, &token, &f).await {
        Ok(done) if wants_json => answer(&s, &p, done),
        Ok(done) => see_other(&path, if done.kind == CheckKind::In { "checked_in" } else { "checked_out" }),
        Err(e) if wants_json => ApiError::from_service(e, &s.cat, p.lang).into_response(),
        Err(e @ (Error::Validation(_) | Error::Conflict { .. })) => {
            let (status, _, _) = crate::error::classify(&e);
            let text = error_text(&Tr { cat: &s.cat, lang: p.lang }, &e);
            view(&s, &p, &path, &token, Some((status, text))).await
        }
        Err(e) => service_error(&s, p.lang, e),
    }
}

/// The JSON answer the page's script shows without reloading.
fn answer(s: &AppState, p: &PageUser, d: Done) -> Response {
    let tr = Tr { cat: &s.cat, lang: p.lang };
    let key = match (d.kind, d.repeated) {
        (CheckKind::In, false) => "checkin.checked_in",
        (CheckKind::In, true) => "checkin.repeated_in",
        (CheckKind::Out, false) => "checkin.checked_out",
        (CheckKind::Out, true) => "checkin.repeated_out",
    };
    let status = if d.repeated { StatusCode::OK } else { StatusCode::CREATED };
    let next = (d.kind == CheckKind::In).then_some("out");
    let body = json!({"kind": d.kind, "at": tongxing_domain::time::rfc3339(d.at), "repeated": d.repeated, "walk_up": d.walk_up,
                      "message": tr.f(key, clock(d.at)), "next": next});
    (status, Json(body)).into_response()
}

/// Runs one tap once per key: a key seen before gets its first answer back.
async fn tap(s: &AppState, p: &PageUser, token: &str, f: &CsrfForm) -> Result<Done, Error> {
    let kind = match f.get("kind") {
        Some("in") => CheckKind::In,
        Some("out") => CheckKind::Out,
        _ => return Err(Error::Validation(tongxing_domain::Invalid::one("kind", "unknown_choice"))),
    };
    let key = f.get("key").map(str::trim).filter(|k| !k.is_empty() && k.len() <= 100);
    let Some(key) = key else { return run(s, p, token, kind, f).await };
    let scope = format!("page:{}", p.user.id);
    let hash = format!("checkin:{token}:{kind:?}");
    match idempotency::begin(&s.svc.db, &scope, key, &hash).await? {
        Seen::New => {}
        Seen::Done(_, _, body) => return serde_json::from_slice(&body).map_err(|e| Error::Internal(e.to_string())),
        Seen::Mismatch => return Err(Error::Validation(tongxing_domain::Invalid::one("key", "idempotency_key_reused"))),
        Seen::InProgress => return Err(Error::Conflict { code: "idempotency_in_progress", field: None }),
    }
    let done = run(s, p, token, kind, f).await;
    let stored = match &done {
        Ok(d) => {
            let body = serde_json::to_vec(d).unwrap_or_default();
            idempotency::finish(&s.svc.db, &scope, key, 200, "application/json", &body).await
        }
        // Refusals are not stored: the same tap may succeed once things change (a sign-up confirmed).
        Err(_) => idempotency::abandon(&s.svc.db, &scope, key).await,
    };
    if let Err(e) = stored {
        tracing::warn!(error = %e, "check-in key not updated");
    }
    done
}

async fn run(s: &AppState, p: &PageUser, token: &str, kind: CheckKind, f: &CsrfForm) -> Result<Done, Error> {
    let volunteer = p.user.volunteer_id.ok_or(Error::Forbidden)?;
    let a = s.svc.activity_by_token(token).await?;
    // The time of the tap, not of the retry that got through: the phone says how long ago it was.
    let elapsed = f.get("elapsed_ms").and_then(|v| v.trim().parse::<i64>().ok()).filter(|e| (1..=MAX_ELAPSED_MS).contains(e));
    let at = elapsed.map(|e| tongxing_store::now_ms() - e);
    let c = s.svc.check(&p.user, a.id, volunteer, kind, at).await?;
    Ok(Done { kind: c.kind, at: c.at, repeated: c.repeated, walk_up: c.walk_up })
}
