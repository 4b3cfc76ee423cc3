//! The service certificate (志愿服务证明): a printable A4 page issued in one
//! click, and the public verification page for its number.

use askama::Template;
use axum::extract::{OriginalUri, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::Router;
use serde::Deserialize;
use tongxing_domain::certificate::{Certificate, Verified};

use super::attendance::qr::qr_svg;
use super::hours::fmt_hours;
use super::view::Chrome;
use super::{render, see_other, service_error};
use crate::extract::{urlencode, CsrfForm, PageUser, PageVisitor, PublicBase};
use crate::i18n::Tr;
use crate::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/volunteers/{id}/certificate", get(page).post(issue))
        .route("/verify", get(lookup))
        .route("/verify/{code}", get(verify))
}

#[derive(Template)]
#[template(path = "certificate.html")]
pub struct CertificatePage<'a> {
    pub c: Chrome<'a>,
    pub volunteer_id: i64,
    pub cert: Option<Certificate>,
    pub id_type: String,
    pub hours: String,
    pub can_issue: bool,
    /// The full address anyone verifies the number at, and its QR code.
    pub verify_url: String,
    pub verify_qr: String,
    /// The commendations in their record, printed with the hours.
    pub honours: Vec<tongxing_domain::honours::view::Honour>,
}

#[derive(Template)]
#[template(path = "verify.html")]
pub struct VerifyPage<'a> {
    pub c: Chrome<'a>,
    pub v: Option<Verified>,
    pub hours: String,
    pub code: String,
    /// Set when a number was looked up and not found.
    pub unknown: bool,
    /// An honour certificate (评选表彰) with this number, when it is one.
    pub honour: Option<tongxing_domain::honours::view::Honour>,
}

#[derive(Deserialize)]
struct CodeQuery {
    code: Option<String>,
}

async fn page(
    State(s): State<AppState>,
    p: PageUser,
    PublicBase(base): PublicBase,
    uri: OriginalUri,
    Path(id): Path<i64>,
    Query(q): Query<CodeQuery>,
) -> Response {
    let tr = Tr { cat: &s.cat, lang: p.lang };
    let code = q.code.filter(|c| !c.trim().is_empty());
    let cert = match s.svc.certificate(&p.user, id, code.as_deref()).await {
        Ok(c) => c,
        Err(e) => return service_error(&s, p.lang, e),
    };
    let can_issue = s.svc.may_issue_certificate(&p.user, id).await;
    let id_type = match cert.as_ref().and_then(|c| c.id_type.as_deref()) {
        Some(t) => tr.t(&format!("certificate.id_type_{t}")),
        None => tr.t("certificate.id_type_none"),
    };
    let hours = cert.as_ref().map(|c| fmt_hours(c.total_hours)).unwrap_or_default();
    // Printed on paper: the whole address (public_url when configured), and
    // the code a phone scans to open it.
    let verify_url = cert.as_ref().map(|c| format!("{base}/verify/{}", urlencode(&c.code))).unwrap_or_default();
    let verify_qr = cert.as_ref().and_then(|_| qr_svg(&verify_url)).unwrap_or_default();
    let honours = match cert.is_some() {
        true => match s.svc.volunteer_honours(&p.user, id).await {
            Ok(h) => h,
            Err(e) => return service_error(&s, p.lang, e),
        },
        false => Vec::new(),
    };
    let c = Chrome::for_page(&s, tr, &p, tr.t("certificate.title"), &uri.0.to_string());
    let page = CertificatePage { c, volunteer_id: id, cert, id_type, hours, can_issue, verify_url, verify_qr, honours };
    render(StatusCode::OK, &page)
}

/// One click, free: a new certificate of everything confirmed so far.
async fn issue(State(s): State<AppState>, p: PageUser, Path(id): Path<i64>, _f: CsrfForm) -> Response {
    match s.svc.issue_certificate(&p.user, id).await {
        Ok(cert) => see_other(&format!("/volunteers/{id}/certificate?code={}", cert.code), "certificate_issued"),
        Err(e) => service_error(&s, p.lang, e),
    }
}

/// The lookup form; a submitted number goes to its page.
async fn lookup(State(s): State<AppState>, v: PageVisitor, uri: OriginalUri, Query(q): Query<CodeQuery>) -> Response {
    if let Some(code) = q.code.map(|c| c.trim().to_string()).filter(|c| !c.is_empty()) {
        return Redirect::to(&format!("/verify/{}", urlencode(&code))).into_response();
    }
    let tr = Tr { cat: &s.cat, lang: v.lang };
    let c = Chrome::new(&s, tr, None, &v.csrf, tr.t("verify.title"), &uri.0.to_string());
    render(StatusCode::OK, &VerifyPage { c, v: None, hours: String::new(), code: String::new(), unknown: false, honour: None })
}

/// Public: the certificate's essentials with personal data masked, or a
/// clear 404 for a number that was never issued.
async fn verify(State(s): State<AppState>, v: PageVisitor, uri: OriginalUri, Path(code): Path<String>) -> Response {
    let tr = Tr { cat: &s.cat, lang: v.lang };
    let c = Chrome::new(&s, tr, None, &v.csrf, tr.t("verify.title"), &uri.0.to_string());
    match s.svc.verify_certificate(&code).await {
        Ok(found) => {
            let hours = fmt_hours(found.total_hours);
            render(StatusCode::OK, &VerifyPage { c, v: Some(found), hours, code, unknown: false, honour: None })
        }
        Err(tongxing_service::Error::NotFound) => match s.svc.verify_honour(&code.trim().to_ascii_uppercase()).await {
            Ok(Some(h)) => render(StatusCode::OK, &VerifyPage { c, v: None, hours: String::new(), code, unknown: false, honour: Some(h) }),
            Ok(None) => render(StatusCode::NOT_FOUND, &VerifyPage { c, v: None, hours: String::new(), code, unknown: true, honour: None }),
            Err(e) => service_error(&s, v.lang, e),
        },
        Err(e) => service_error(&s, v.lang, e),
    }
}
