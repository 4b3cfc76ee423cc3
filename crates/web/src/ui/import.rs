//! Imports in two steps: upload → preview with a line-by-line report →
//! commit (all, or only the good lines). The upload waits in the database
//! between the two, so any instance can finish it. A volunteer roster is one
//! `Importer`; a sheet of 双进双报到 reports another; a liaison's
//! childcare enrolment sheet a third.

use std::future::Future;

use axum::extract::{Multipart, OriginalUri, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use axum::Router;
use serde::Deserialize;
use tongxing_domain::model::User;
use tongxing_domain::permission::{Action, Resource};
use tongxing_service::registry::roster_import::{ImportReport, Mode};
use tongxing_service::{Error, Result, Service};

use super::templates::ImportPage;
use super::view::Chrome;
use super::{error_page, render, see_other, service_error};
use crate::api::volunteers::{import_result, ImportResult};
use crate::error::classify;
use crate::extract::{upload_field, CsrfForm, PageUser};
use crate::i18n::Tr;
use crate::AppState;

pub fn router() -> Router<AppState> {
    routes::<Roster>()
}

/// One kind of sheet imported with a preview.
pub trait Importer: Send + Sync + 'static {
    /// The upload form's address; the commit posts to `{BASE}/commit`.
    const BASE: &'static str;
    /// i18n keys of the page's title and its help text.
    const TITLE: &'static str;
    const HELP: &'static str;
    /// Where a finished import leads.
    const DONE: &'static str;
    /// What the importer must be allowed to import.
    const RESOURCE: Resource;
    /// Where a sheet with the expected headings downloads, if there is one.
    const TEMPLATE: Option<&'static str> = None;
    fn run(svc: &Service, actor: &User, name: &str, bytes: &[u8], mode: Mode) -> impl Future<Output = Result<ImportReport>> + Send;
}

struct Roster;
impl Importer for Roster {
    const BASE: &'static str = "/volunteers/import";
    const TITLE: &'static str = "import.title";
    const HELP: &'static str = "import.help";
    const DONE: &'static str = "/volunteers";
    const RESOURCE: Resource = Resource::Volunteer;
    async fn run(svc: &Service, actor: &User, name: &str, bytes: &[u8], mode: Mode) -> Result<ImportReport> {
        svc.import_roster(actor, name, bytes, mode, &|_, _| {}).await
    }
}

pub(crate) fn routes<I: Importer>() -> Router<AppState> {
    Router::new().route(I::BASE, get(upload_page::<I>).post(preview::<I>)).route(&format!("{}/commit", I::BASE), post(commit::<I>))
}

/// A checked upload: its report, file name and stash token.
type Preview = (ImportResult, String, String);

fn page<I: Importer>(
    s: &AppState,
    p: &PageUser,
    path: &str,
    status: StatusCode,
    error: Option<String>,
    preview: Option<Preview>,
) -> Response {
    let tr = Tr { cat: &s.cat, lang: p.lang };
    let c = Chrome::for_page(s, tr, p, tr.t(I::TITLE), path);
    let (report, file_name, token) = match preview {
        Some((r, f, t)) => (Some(r), f, t),
        None => (None, String::new(), String::new()),
    };
    render(status, &ImportPage { c, error, report, file_name, token, base: I::BASE, help: tr.t(I::HELP), template: I::TEMPLATE })
}

async fn upload_page<I: Importer>(State(s): State<AppState>, p: PageUser, uri: OriginalUri) -> Response {
    if let Err(e) = s.svc.require(&p.user, Action::Import, I::RESOURCE) {
        return service_error(&s, p.lang, e);
    }
    page::<I>(&s, &p, &uri.0.to_string(), StatusCode::OK, None, None)
}

#[derive(Deserialize)]
struct CsrfQuery {
    #[serde(rename = "_csrf")]
    csrf: Option<String>,
}

/// Multipart bodies are checked against the CSRF token in the form's action URL.
async fn preview<I: Importer>(
    State(s): State<AppState>,
    p: PageUser,
    uri: OriginalUri,
    Query(q): Query<CsrfQuery>,
    mut form: Multipart,
) -> Response {
    if q.csrf.as_deref() != Some(p.csrf.as_str()) || p.csrf.is_empty() {
        return error_page(&s, p.lang, StatusCode::FORBIDDEN, "csrf");
    }
    let tr = Tr { cat: &s.cat, lang: p.lang };
    let path = uri.0.path().to_string();
    let file = match upload_field(&mut form).await {
        Ok(file) => file,
        Err((status, code)) => return page::<I>(&s, &p, &path, status, Some(tr.t(&format!("error.{code}"))), None),
    };
    let Some((name, bytes)) = file.filter(|(_, b)| !b.is_empty()) else {
        return page::<I>(&s, &p, &path, StatusCode::BAD_REQUEST, Some(tr.t("error.empty_file")), None);
    };
    match I::run(&s.svc, &p.user, &name, &bytes, Mode::Preview).await {
        Ok(report) => {
            let token = match s.svc.stash_upload(&p.user, &name, &bytes).await {
                Ok(t) => t,
                Err(e) => return service_error(&s, p.lang, e),
            };
            page::<I>(&s, &p, &path, StatusCode::OK, None, Some((import_result(report, &tr), name, token)))
        }
        // A refused file: the form again, with why.
        Err(e @ (Error::TooLarge(_) | Error::Unprocessable(_) | Error::RateLimited { .. })) => {
            let (status, code, _) = classify(&e);
            page::<I>(&s, &p, &path, status, Some(tr.t(&format!("error.{code}"))), None)
        }
        Err(e) => service_error(&s, p.lang, e),
    }
}

async fn commit<I: Importer>(State(s): State<AppState>, p: PageUser, uri: OriginalUri, f: CsrfForm) -> Response {
    let tr = Tr { cat: &s.cat, lang: p.lang };
    let partial = f.get("partial") == Some("true");
    let token = f.get("token").unwrap_or("");
    let (name, bytes) = match s.svc.stashed_upload(&p.user, token).await {
        Ok(Some(u)) => u,
        Ok(None) => return error_page(&s, p.lang, StatusCode::NOT_FOUND, "not_found"),
        Err(e) => return service_error(&s, p.lang, e),
    };
    match I::run(&s.svc, &p.user, &name, &bytes, Mode::Commit { partial }).await {
        Ok(r) if r.committed => {
            let _ = s.svc.drop_upload(token).await;
            see_other(I::DONE, "imported")
        }
        Ok(r) => {
            page::<I>(&s, &p, uri.0.path(), StatusCode::UNPROCESSABLE_ENTITY, None, Some((import_result(r, &tr), name, token.to_string())))
        }
        Err(e) => service_error(&s, p.lang, e),
    }
}
