//! 子女照辅班 pages (issue #16): the center's classes, a class day's sheet
//! with the door (printable), and the guardian's public enrolment form and page.

pub mod card;
mod day;
mod public;

use askama::Template;
use axum::extract::{OriginalUri, State};
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use tongxing_domain::childcare::classes::Class;
use tongxing_domain::time::region_date;

use crate::extract::PageUser;
use crate::i18n::Tr;
use crate::ui::view::Chrome;
use crate::ui::{render, service_error};
use crate::AppState;

pub fn router() -> Router<AppState> {
    Router::new().route("/childcare", get(classes)).merge(day::router()).merge(public::router())
}

#[derive(Template)]
#[template(path = "childcare/classes.html")]
struct ClassesPage<'a> {
    c: Chrome<'a>,
    today: String,
    classes: Vec<Class>,
}

/// Every class with its counts; the center opens each one's day sheet.
async fn classes(State(s): State<AppState>, p: PageUser, uri: OriginalUri) -> Response {
    let tr = Tr { cat: &s.cat, lang: p.lang };
    let classes = match s.svc.childcare_classes(&p.user, None).await {
        Ok(x) => x,
        Err(e) => return service_error(&s, p.lang, e),
    };
    let today = region_date(tongxing_store::now_ms()).to_string();
    render(
        axum::http::StatusCode::OK,
        &ClassesPage { c: Chrome::for_page(&s, tr, &p, tr.t("childcare.title"), &uri.0.to_string()), today, classes },
    )
}
