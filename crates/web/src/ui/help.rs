//! Public pages for residents: 有困难找志愿者 (ask for help), and following
//! and rating a request by its tracking code. No account needed.

use axum::extract::{OriginalUri, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use serde::Deserialize;
use tongxing_domain::category::CATEGORIES;
use tongxing_domain::needs::NeedInput;
use tongxing_domain::paging::Page;
use tongxing_service::Error;
use tongxing_store::registry::communities;

use super::templates::{FormExtras, FormPage, TrackPage};
use super::view::{attach_errors, read_form, values_of, Chrome, Field, Kind, Values};
use super::{render, see_other, service_error};
use crate::extract::{urlencode, CsrfForm, PageVisitor};
use crate::i18n::Tr;
use crate::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/help", get(help_page).post(submit))
        .route("/track", get(lookup))
        .route("/track/{code}", get(track_page))
        .route("/track/{code}/rating", post(rate))
}

pub(super) async fn fields(s: &AppState, tr: Tr<'_>, v: &Values) -> Result<Vec<Field>, Error> {
    let all = Page { page: 1, per_page: 10_000 };
    let places = communities::list(&s.svc.db, &Default::default(), all).await?;
    let community_options = places.items.into_iter().map(|c| (c.id.to_string(), format!("{}（{}）", c.name, c.district_name)));
    let categories = CATEGORIES.iter().map(|c| (c.to_string(), tr.t(&format!("category.{c}"))));
    Ok(vec![
        Field::new(&tr, "category", Kind::Select { numeric: false }, true, v).with_options(v, categories),
        Field::new(&tr, "community_id", Kind::Select { numeric: true }, true, v).with_options(v, community_options),
        Field::new(&tr, "title", Kind::Text, true, v),
        Field::new(&tr, "description", Kind::Textarea, true, v),
        Field::new(&tr, "requester_name", Kind::Text, true, v),
        Field::new(&tr, "requester_phone", Kind::Text, true, v),
    ])
}

async fn form(
    s: &AppState,
    v: &PageVisitor,
    path: &str,
    values: &Values,
    invalid: Option<&tongxing_domain::Invalid>,
    status: StatusCode,
) -> Response {
    let tr = Tr { cat: &s.cat, lang: v.lang };
    let mut fs = match fields(s, tr, values).await {
        Ok(f) => f,
        Err(e) => return service_error(s, v.lang, e),
    };
    if let Some(inv) = invalid {
        attach_errors(&tr, &mut fs, inv);
    }
    let c = Chrome::new(s, tr, None, &v.csrf, tr.t("help.title"), path);
    let (action, switch) =
        if c.large { ("/help?large=1", ("/help", "help.normal_text")) } else { ("/help", ("/help?large=1", "help.large_text")) };
    let extras = FormExtras {
        intro: Some(tr.t("help.intro")),
        submit_label: Some(tr.t("help.submit")),
        text_size: Some((switch.0.to_string(), tr.t(switch.1))),
    };
    let page = FormPage {
        form_id: "help-form",
        action: action.into(),
        has_errors: invalid.is_some(),
        fields: fs,
        cancel_href: "/track".into(),
        toggle_action: None,
        toggle_label: String::new(),
        read_only: false,
        extras,
        c,
    };
    render(status, &page)
}

async fn help_page(State(s): State<AppState>, v: PageVisitor, uri: OriginalUri) -> Response {
    form(&s, &v, &uri.0.to_string(), &Values::new(), None, StatusCode::OK).await
}

async fn submit(State(s): State<AppState>, v: PageVisitor, uri: OriginalUri, f: CsrfForm) -> Response {
    let values = values_of(&f.0);
    let tr = Tr { cat: &s.cat, lang: v.lang };
    let spec = match fields(&s, tr, &values).await {
        Ok(x) => x,
        Err(e) => return service_error(&s, v.lang, e),
    };
    let result = match read_form::<NeedInput>(&spec, &values) {
        Ok(input) => s.svc.submit_need(None, &input, &v.ip).await,
        Err(inv) => Err(Error::Validation(inv)),
    };
    match result {
        Ok((_, code)) => see_other(&format!("/track/{code}"), "submitted"),
        Err(Error::Validation(inv)) => form(&s, &v, &uri.0.to_string(), &values, Some(&inv), StatusCode::UNPROCESSABLE_ENTITY).await,
        Err(e) => service_error(&s, v.lang, e),
    }
}

#[derive(Deserialize)]
struct Lookup {
    code: Option<String>,
}

async fn lookup(State(s): State<AppState>, v: PageVisitor, uri: OriginalUri, Query(q): Query<Lookup>) -> Response {
    match q.code.map(|c| c.trim().to_uppercase()).filter(|c| !c.is_empty()) {
        // Encoded: the code is whatever was typed, and a raw newline would
        // make the Location header invalid (a 500).
        Some(code) => Redirect::to(&format!("/track/{}", urlencode(&code))).into_response(),
        None => track(&s, &v, &uri.0.to_string(), None, StatusCode::OK, None).await,
    }
}

async fn track(s: &AppState, v: &PageVisitor, path: &str, code: Option<&str>, status: StatusCode, error: Option<String>) -> Response {
    let tr = Tr { cat: &s.cat, lang: v.lang };
    let since = if code.is_some() { s.live.position().await } else { None };
    let found = match code {
        Some(c) => match s.svc.track_need(c).await {
            Ok(t) => Some(t),
            Err(Error::NotFound) => {
                let c = Chrome::new(s, tr, None, &v.csrf, tr.t("track.title"), path);
                return render(StatusCode::NOT_FOUND, &TrackPage::lookup(c, Some(tr.t("error.not_found"))));
            }
            Err(e) => return service_error(s, v.lang, e),
        },
        None => None,
    };
    let c = Chrome::new(s, tr, None, &v.csrf, tr.t("track.title"), path);
    let page = match found {
        Some(t) => {
            let live = format!("/live/track/{}", t.tracking_code);
            TrackPage::of(c.live(&live, since), t, error)
        }
        None => TrackPage::lookup(c, error),
    };
    render(status, &page)
}

async fn track_page(State(s): State<AppState>, v: PageVisitor, uri: OriginalUri, Path(code): Path<String>) -> Response {
    track(&s, &v, &uri.0.to_string(), Some(&code), StatusCode::OK, None).await
}

async fn rate(State(s): State<AppState>, v: PageVisitor, uri: OriginalUri, Path(code): Path<String>, f: CsrfForm) -> Response {
    let tr = Tr { cat: &s.cat, lang: v.lang };
    let stars = f.get("stars").and_then(|x| x.parse().ok()).unwrap_or(0);
    let path = uri.0.path().trim_end_matches("/rating").to_string();
    match s.svc.rate_need(&code, f.get("phone").unwrap_or(""), stars, f.get("comment")).await {
        Ok(()) => see_other(&path, "rated"),
        Err(e @ (Error::Forbidden | Error::Validation(_) | Error::Conflict { .. })) => {
            let (status, key, _) = crate::error::classify(&e);
            let key = if key == "forbidden" { "rating_phone_mismatch" } else { key };
            track(&s, &v, &path, Some(&code), status, Some(tr.t(&format!("error.{key}")))).await
        }
        Err(e) => service_error(&s, v.lang, e),
    }
}
