//! Staff and observers enter a need that came by phone, in person or from a
//! community, with its channel recorded (the public form records 线上).

use axum::extract::{OriginalUri, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use tongxing_domain::needs::{entry_channel, NeedInput, CHANNELS};
use tongxing_domain::Invalid;
use tongxing_service::Error;

use super::templates::{FormExtras, FormPage};
use super::view::{attach_errors, read_form, values_of, Chrome, Field, Kind, Values};
use super::{error_page, render, see_other, service_error};
use crate::extract::{ClientIp, CsrfForm, PageUser};
use crate::i18n::Tr;
use crate::AppState;

pub fn router() -> Router<AppState> {
    Router::new().route("/needs/new", get(new_page).post(create))
}

async fn fields(s: &AppState, tr: Tr<'_>, v: &Values) -> Result<Vec<Field>, Error> {
    let mut fs = super::help::fields(s, tr, v).await?;
    let channels = CHANNELS.iter().map(|c| (c.to_string(), tr.t(&format!("channel.{c}"))));
    fs.insert(0, Field::new(&tr, "channel", Kind::Select { numeric: false }, true, v).with_options(v, channels));
    Ok(fs)
}

async fn form(s: &AppState, p: &PageUser, path: &str, values: &Values, invalid: Option<&Invalid>, status: StatusCode) -> Response {
    let tr = Tr { cat: &s.cat, lang: p.lang };
    let mut fs = match fields(s, tr, values).await {
        Ok(f) => f,
        Err(e) => return service_error(s, p.lang, e),
    };
    if let Some(inv) = invalid {
        attach_errors(&tr, &mut fs, inv);
    }
    let page = FormPage {
        form_id: "need-entry",
        action: "/needs/new".into(),
        has_errors: invalid.is_some(),
        fields: fs,
        cancel_href: "/needs".into(),
        toggle_action: None,
        toggle_label: String::new(),
        read_only: false,
        extras: FormExtras { intro: Some(tr.t("need.entry_intro")), submit_label: Some(tr.t("help.submit")), text_size: None },
        c: Chrome::for_page(s, tr, p, tr.t("need.entry_title"), path),
    };
    render(status, &page)
}

async fn new_page(State(s): State<AppState>, p: PageUser, uri: OriginalUri) -> Response {
    let Some(channel) = entry_channel(p.user.role) else { return error_page(&s, p.lang, StatusCode::FORBIDDEN, "forbidden") };
    let values = values_of(&[("channel".to_string(), channel.to_string())]);
    form(&s, &p, &uri.0.to_string(), &values, None, StatusCode::OK).await
}

async fn create(State(s): State<AppState>, p: PageUser, ClientIp(ip): ClientIp, uri: OriginalUri, f: CsrfForm) -> Response {
    if entry_channel(p.user.role).is_none() {
        return error_page(&s, p.lang, StatusCode::FORBIDDEN, "forbidden");
    }
    let values = values_of(&f.0);
    let tr = Tr { cat: &s.cat, lang: p.lang };
    let spec = match fields(&s, tr, &values).await {
        Ok(x) => x,
        Err(e) => return service_error(&s, p.lang, e),
    };
    let result = match read_form::<NeedInput>(&spec, &values) {
        Ok(input) => s.svc.submit_need(Some(&p.user), &input, &ip).await,
        Err(inv) => Err(Error::Validation(inv)),
    };
    match result {
        Ok((id, _)) => see_other(&format!("/needs/{id}"), "submitted"),
        Err(Error::Validation(inv)) => form(&s, &p, &uri.0.to_string(), &values, Some(&inv), StatusCode::UNPROCESSABLE_ENTITY).await,
        Err(e) => service_error(&s, p.lang, e),
    }
}
