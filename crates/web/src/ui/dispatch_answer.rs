//! The one-tap answer page a volunteer's SMS links to (`/r/{token}`: public,
//! the link's secret is the proof), and the way there from a signed-in
//! volunteer's notification.

use askama::Template;
use axum::extract::{OriginalUri, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use tongxing_domain::dispatch::Answer;
use tongxing_store::dispatch::Call;

use super::needs::short_time;
use super::view::Chrome;
use super::{render, service_error};
use crate::extract::{CsrfForm, PageUser, PageVisitor};
use crate::i18n::Tr;
use crate::AppState;

pub fn router() -> Router<AppState> {
    Router::new().route("/r/{token}", get(answer_page).post(answer)).route("/dispatch/{id}/answer", get(my_answer))
}

#[derive(Template)]
#[template(path = "dispatch_answer.html")]
struct AnswerPage<'a> {
    c: Chrome<'a>,
    token: String,
    call: Call,
    when: String,
    /// Where the volunteer stands, in words, and whether the call still takes answers.
    standing: String,
    confirmed: bool,
    open: bool,
}

async fn answer_view(s: &AppState, v: &PageVisitor, path: &str, token: &str) -> Response {
    let tr = Tr { cat: &s.cat, lang: v.lang };
    match s.svc.answer_link_target(token).await {
        Ok((call, _, status)) => {
            let view = AnswerPage {
                token: token.to_string(),
                when: format!("{} – {}", short_time(call.starts_at), short_time(call.ends_at)),
                standing: tr.t(&format!("dispatch.you_are.{}", status.as_str())),
                confirmed: status == tongxing_domain::dispatch::ResponseStatus::Confirmed,
                open: call.status != "closed",
                c: Chrome::new(s, tr, None, &v.csrf, tr.t("dispatch.answer_title"), path),
                call,
            };
            render(StatusCode::OK, &view)
        }
        Err(e) => service_error(s, v.lang, e),
    }
}

async fn answer_page(State(s): State<AppState>, v: PageVisitor, uri: OriginalUri, Path(token): Path<String>) -> Response {
    answer_view(&s, &v, &uri.0.to_string(), &token).await
}

/// One tap: the same answer twice changes nothing, so a retry is harmless.
async fn answer(State(s): State<AppState>, v: PageVisitor, uri: OriginalUri, Path(token): Path<String>, f: CsrfForm) -> Response {
    let choice = if f.get("answer") == Some("accept") { Answer::Accept } else { Answer::Decline };
    match s.svc.answer_by_link(&token, choice).await {
        Ok(_) => answer_view(&s, &v, &uri.0.to_string(), &token).await,
        Err(e) => service_error(&s, v.lang, e),
    }
}

/// From a volunteer's in-app notification to their own one-tap answer page.
async fn my_answer(State(s): State<AppState>, p: PageUser, Path(id): Path<i64>) -> Response {
    match s.svc.my_answer_token(&p.user, id).await {
        Ok(token) => axum::response::Redirect::to(&format!("/r/{token}")).into_response(),
        Err(e) => service_error(&s, p.lang, e),
    }
}
