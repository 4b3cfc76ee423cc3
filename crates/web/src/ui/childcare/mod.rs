//! 子女照辅班 pages (issue #16): the center's classes, a class day's sheet
//! with the door (printable), the guardian's public enrolment form and page,
//! and a liaison's enrolment sheet.

pub mod card;
mod day;
mod public;

use askama::Template;
use axum::extract::{OriginalUri, State};
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use tongxing_domain::childcare::classes::Class;
// `Action` is read by the template (`c.may`).
use tongxing_domain::model::User;
use tongxing_domain::permission::{Action, Resource};
use tongxing_domain::time::region_date;
use tongxing_service::registry::roster_import::{ImportReport, Mode};
use tongxing_service::{Result, Service};

use crate::extract::PageUser;
use crate::i18n::Tr;
use crate::ui::view::Chrome;
use crate::ui::{render, service_error};
use crate::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/childcare", get(classes))
        .merge(day::router())
        .merge(public::router())
        .merge(crate::ui::import::routes::<EnrolmentSheet>())
}

/// A liaison's sheet of children to enrol, with the import's preview.
struct EnrolmentSheet;
impl crate::ui::import::Importer for EnrolmentSheet {
    const BASE: &'static str = "/childcare/import";
    const TITLE: &'static str = "childcare.import_title";
    const HELP: &'static str = "childcare.import_help";
    const DONE: &'static str = "/childcare";
    const RESOURCE: Resource = Resource::Childcare;
    const TEMPLATE: Option<&'static str> = Some("/api/v1/childcare/enrolments/import/template");
    async fn run(svc: &Service, actor: &User, name: &str, bytes: &[u8], mode: Mode) -> Result<ImportReport> {
        svc.import_enrolments(actor, name, bytes, mode).await
    }
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
