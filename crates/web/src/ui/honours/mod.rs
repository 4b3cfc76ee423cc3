//! Recognition pages (issue #18): the rounds and the forms that run them
//! (`rounds`, `round`, `actions`), the entries behind a figure (`lines`), the public notice (公示) with its
//! objection form, and the public honour roll by year.

mod actions;
mod lines;
mod panel;
mod round;
mod rounds;

use askama::Template;
use axum::extract::{OriginalUri, Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use axum::Router;
use serde::Deserialize;
use tongxing_domain::honours::view::{Honour, Notice, ObjectionInput};
use tongxing_store::now_ms;

use super::needs::short_time;
use super::view::Chrome;
use super::{render, see_other, service_error};
use crate::extract::{CsrfForm, PageVisitor};
use crate::i18n::Tr;
use crate::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/honours/{id}/notice", get(notice_page).post(object))
        .route("/honours", get(roll_page))
        .route("/honours/rounds", get(rounds::list_page).post(rounds::create))
        .route("/honours/rounds/new", get(rounds::new_page))
        .route("/honours/rounds/{id}", get(round::round_page))
        .route("/honours/rounds/{id}/lines/{metric}/{subject}", get(lines::page))
        .route("/honours/rounds/{id}/{action}", post(actions::round_action))
        .route("/honours/rounds/{id}/nominations/{nid}/decision", post(actions::decide))
        .route("/honours/rounds/{id}/nominations/{nid}/vote", post(actions::vote))
        .route("/honours/rounds/{id}/objections/{oid}/resolve", post(actions::resolve))
}

#[derive(Template)]
#[template(path = "honours/notice.html")]
struct NoticePage<'a> {
    c: Chrome<'a>,
    n: Notice,
    from: String,
    until: String,
    /// Objections are taken (the notice is running).
    open: bool,
}

/// Public: who is proposed, with unit, hours and citation, the notice's dates, and a way to object.
async fn notice_page(State(s): State<AppState>, v: PageVisitor, uri: OriginalUri, Path(id): Path<i64>) -> Response {
    let tr = Tr { cat: &s.cat, lang: v.lang };
    match s.svc.honour_notice(id).await {
        Ok(n) => {
            let now = now_ms();
            let open = n.stage == tongxing_domain::honours::round::Stage::Notice && n.notice_until.is_some_and(|u| now < u);
            let (from, until) = (n.notice_from.map(short_time).unwrap_or_default(), n.notice_until.map(short_time).unwrap_or_default());
            let c = Chrome::new(&s, tr, None, &v.csrf, format!("{} · {}", n.title, tr.t("honour.notice")), &uri.0.to_string());
            render(StatusCode::OK, &NoticePage { c, n, from, until, open })
        }
        Err(e) => service_error(&s, v.lang, e),
    }
}

/// Public: an objection, anonymous or with a name and mobile; rate-limited per address.
async fn object(State(s): State<AppState>, v: PageVisitor, Path(id): Path<i64>, f: CsrfForm) -> Response {
    let text = |k: &str| f.get(k).map(str::trim).filter(|x| !x.is_empty()).map(str::to_string);
    let input = ObjectionInput {
        nomination_id: f.get("nomination_id").and_then(|x| x.parse().ok()).unwrap_or_default(),
        reason: text("reason").unwrap_or_default(),
        name: text("name"),
        phone: text("phone"),
    };
    match s.svc.object(id, &input, &v.ip, now_ms()).await {
        Ok(_) => see_other(&format!("/honours/{id}/notice"), "objection_filed"),
        Err(e) => service_error(&s, v.lang, e),
    }
}

#[derive(Deserialize)]
struct RollQuery {
    year: Option<i64>,
}

#[derive(Template)]
#[template(path = "honours/roll.html")]
struct RollPage<'a> {
    c: Chrome<'a>,
    items: Vec<Honour>,
}

/// Public: the honour roll, by year.
async fn roll_page(State(s): State<AppState>, v: PageVisitor, uri: OriginalUri, Query(q): Query<RollQuery>) -> Response {
    let tr = Tr { cat: &s.cat, lang: v.lang };
    match s.svc.honour_roll(q.year).await {
        Ok(items) => {
            let c = Chrome::new(&s, tr, None, &v.csrf, tr.t("honour.roll"), &uri.0.to_string());
            render(StatusCode::OK, &RollPage { c, items })
        }
        Err(e) => service_error(&s, v.lang, e),
    }
}

/// Recognition on a first screen: where to go and what it says.
pub struct HonourCard {
    pub href: String,
    pub text: String,
}

impl HonourCard {
    pub fn of(tr: &Tr, p: tongxing_service::honours::prompt::HonourPrompt) -> Option<HonourCard> {
        use tongxing_service::honours::prompt::HonourPrompt as P;
        match p {
            P::Nothing => None,
            P::Nominate { round_id, title, until } => {
                Some(HonourCard { href: format!("/honours/rounds/{round_id}#nominate"), text: tr.f2("home.honour_nominate", title, until) })
            }
            P::Run(r) => Some(HonourCard { href: format!("/honours/rounds/{}", r.id), text: run_text(tr, &r, now_ms()) }),
            P::Honoured { title, .. } => Some(HonourCard { href: "/me/hours#honours".into(), text: tr.f("home.honoured", title) }),
        }
    }
}

/// What the newest running round waits for from the center, in words.
fn run_text(tr: &Tr, r: &tongxing_store::honours::rounds::Running, now: i64) -> String {
    match r.stage.as_str() {
        "nominating" => tr.f2("home.honour_nominating", &r.title, r.nominations),
        "review" => tr.f2("home.honour_review", &r.title, r.undecided),
        _ if r.open_objections > 0 => tr.f2("home.honour_objections", &r.title, r.open_objections),
        _ if r.notice_until.is_some_and(|u| now >= u) => tr.f("home.honour_publish", &r.title),
        _ => tr.f2("home.honour_on_notice", &r.title, r.notice_until.map(short_time).unwrap_or_default()),
    }
}
