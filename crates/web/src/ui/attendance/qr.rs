//! `/activities/{id}/qr`: the check-in QR code, big on screen and on an A4 sheet.

use askama::Template;
use axum::extract::{OriginalUri, Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use qrcode::render::svg;
use qrcode::{EcLevel, QrCode};

use super::Facts;
use crate::extract::{PageUser, PublicBase};
use crate::i18n::Tr;
use crate::ui::view::Chrome;
use crate::ui::{error_page, render, service_error};
use crate::AppState;

#[derive(Template)]
#[template(path = "activity_qr.html")]
struct QrPage<'a> {
    c: Chrome<'a>,
    a: Facts,
    url: String,
    svg: String,
}

/// The QR code of `url` as inline SVG (no XML prolog), scaled by CSS.
pub fn qr_svg(url: &str) -> Option<String> {
    // Level M survives a crease or a smudge on a printed sheet.
    let code = QrCode::with_error_correction_level(url, EcLevel::M).ok()?;
    let image = code.render::<svg::Color>().min_dimensions(240, 240).quiet_zone(true).build();
    let start = image.find("<svg")?;
    Some(image[start..].replacen("<svg ", "<svg role=\"img\" class=\"qr\" ", 1))
}

pub async fn page(State(s): State<AppState>, p: PageUser, PublicBase(base): PublicBase, uri: OriginalUri, Path(id): Path<i64>) -> Response {
    let tr = Tr { cat: &s.cat, lang: p.lang };
    let token = match s.svc.checkin_token(&p.user, id).await {
        Ok(t) => t,
        Err(e) => return service_error(&s, p.lang, e),
    };
    let a = match s.svc.get_activity(&p.user, id).await {
        Ok(a) => a,
        Err(e) => return service_error(&s, p.lang, e),
    };
    let url = format!("{base}/checkin/{token}");
    let Some(svg) = qr_svg(&url) else {
        tracing::error!(%url, "the check-in link does not fit a QR code");
        return error_page(&s, p.lang, StatusCode::INTERNAL_SERVER_ERROR, "internal");
    };
    let c = Chrome::for_page(&s, tr, &p, tr.f("qr.page_title", &a.title), &uri.0.to_string());
    render(StatusCode::OK, &QrPage { c, a: Facts::of(&a), url, svg })
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_qr_code_is_inline_svg_without_a_prolog() {
        let svg = super::qr_svg("http://127.0.0.1:8080/checkin/0123456789abcdef0123456789abcdef").unwrap();
        assert!(svg.starts_with("<svg role=\"img\" class=\"qr\" "), "{svg}");
        assert!(svg.ends_with("</svg>") && svg.contains("viewBox"));
    }
}
