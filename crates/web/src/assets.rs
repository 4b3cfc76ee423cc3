//! Static files embedded in the binary, served under content-hashed names with
//! long cache lifetimes: a new release changes the name, never a stale copy.

use axum::extract::{Path, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};

use crate::AppState;

const CSS: &str = include_str!("../static/app.css");
const JS: &str = include_str!("../static/app.js");
const ICON: &str = include_str!("../static/icon.svg");

pub struct Assets {
    pub css: String,
    pub js: String,
}

fn hashed(name: &str, ext: &str, body: &str) -> String {
    let h = hex::encode(&Sha256::digest(body.as_bytes())[..6]);
    format!("/static/{name}.{h}.{ext}")
}

impl Assets {
    pub fn new() -> Assets {
        Assets { css: hashed("app", "css", CSS), js: hashed("app", "js", JS) }
    }
}

impl Default for Assets {
    fn default() -> Self {
        Assets::new()
    }
}

pub async fn serve(State(state): State<AppState>, Path(file): Path<String>) -> Response {
    let path = format!("/static/{file}");
    let (body, mime) = if path == state.assets.css {
        (CSS, "text/css; charset=utf-8")
    } else if path == state.assets.js {
        (JS, "text/javascript; charset=utf-8")
    } else {
        return StatusCode::NOT_FOUND.into_response();
    };
    ([(header::CONTENT_TYPE, mime), (header::CACHE_CONTROL, "public, max-age=31536000, immutable")], body).into_response()
}

/// The site's icon, where browsers look for it (every page links it too).
pub async fn icon() -> Response {
    ([(header::CONTENT_TYPE, "image/svg+xml"), (header::CACHE_CONTROL, "public, max-age=86400")], ICON).into_response()
}
