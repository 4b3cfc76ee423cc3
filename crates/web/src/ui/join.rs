//! 加入志愿者: the public page where a person joins from their phone. "Send
//! code" posts the whole form, so what was typed comes back with the notice.

use axum::extract::{OriginalUri, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use axum::Router;
use tongxing_domain::joining::JoinInput;
use tongxing_domain::paging::Page;
use tongxing_domain::Invalid;
use tongxing_service::registry::joining::CodeDelivery;
use tongxing_service::Error;
use tongxing_store::registry::{communities, teams, units, volunteers};

use super::templates::{JoinPage, JoinSentPage};
use super::view::{attach_errors, read_form, values_of, Chrome, Field, Kind, Values};
use super::{render, see_other, service_error};
use crate::extract::{CsrfForm, PageVisitor};
use crate::i18n::Tr;
use crate::AppState;

pub fn router() -> Router<AppState> {
    Router::new().route("/join", get(page).post(submit)).route("/join/code", post(send_code)).route("/join/sent", get(sent))
}

async fn fields(s: &AppState, tr: Tr<'_>, v: &Values) -> Result<Vec<Field>, Error> {
    let all = Page { page: 1, per_page: 10_000 };
    let db = &s.svc.db;
    let unit_options = units::list(db, &Default::default(), all).await?.items.into_iter().map(|u| (u.id.to_string(), u.name));
    let places = communities::list(db, &Default::default(), all).await?.items;
    let community_options = places.into_iter().map(|c| (c.id.to_string(), format!("{}（{}）", c.name, c.district_name)));
    let team_options = teams::list(db, &Default::default(), all).await?.items.into_iter().map(|t| (t.id.to_string(), t.name));
    let skills = volunteers::skill_names(db, 200).await?;
    let mut out = vec![
        Field::new(&tr, "name", Kind::Text, true, v).labelled(&tr, "field.person_name"),
        Field::new(&tr, "phone", Kind::Text, true, v),
        Field::new(&tr, "code", Kind::Text, true, v).labelled(&tr, "join.code"),
        Field::new(&tr, "password", Kind::Password, true, v).labelled(&tr, "join.password"),
        Field::new(&tr, "id_number", Kind::Text, true, v),
        Field::new(&tr, "unit_id", Kind::Select { numeric: true }, true, v).with_options(v, unit_options),
        Field::new(&tr, "community_id", Kind::Select { numeric: true }, true, v)
            .labelled(&tr, "join.community")
            .with_options(v, community_options),
        Field::new(&tr, "team_ids", Kind::Multi, false, v).labelled(&tr, "join.teams").with_options(v, team_options),
    ];
    if !skills.is_empty() {
        out.push(
            Field::new(&tr, "skills", Kind::Choices, false, v)
                .labelled(&tr, "field.skill")
                .with_options(v, skills.into_iter().map(|k| (k.clone(), k))),
        );
    }
    out.push(Field::new(&tr, "party_member", Kind::Check, false, v));
    // A password is never sent back into the page.
    out.iter_mut().filter(|f| f.name == "password").for_each(|f| f.value.clear());
    Ok(out)
}

/// What the page shows besides the fields: an error at the top (a refusal
/// with no field), and the notice that a code went out.
#[derive(Default)]
struct Notes {
    invalid: Option<Invalid>,
    error: Option<String>,
    notice: Option<String>,
}

async fn form(s: &AppState, v: &PageVisitor, path: &str, values: &Values, notes: Notes, status: StatusCode) -> Response {
    let tr = Tr { cat: &s.cat, lang: v.lang };
    let mut fields = match fields(s, tr, values).await {
        Ok(f) => f,
        Err(e) => return service_error(s, v.lang, e),
    };
    if let Some(inv) = &notes.invalid {
        attach_errors(&tr, &mut fields, inv);
    }
    let error = notes.error.or_else(|| notes.invalid.as_ref().map(|_| tr.t("error.invalid")));
    let page = JoinPage {
        fields,
        error,
        notice: notes.notice,
        dev_log: s.svc.settings.sms_gateway_url.is_none(),
        c: Chrome::new(s, tr, None, &v.csrf, tr.t("join.title"), path),
    };
    render(status, &page)
}

async fn page(State(s): State<AppState>, v: PageVisitor, uri: OriginalUri) -> Response {
    form(&s, &v, &uri.0.to_string(), &Values::new(), Notes::default(), StatusCode::OK).await
}

/// A refusal as the form shows it: beside its field when it has one.
fn notes_for(tr: &Tr, e: &Error) -> Notes {
    let (_, code, field) = crate::error::classify(e);
    match (e, field) {
        (Error::Validation(inv), _) => Notes { invalid: Some(inv.clone()), ..Default::default() },
        (_, Some(f)) => Notes { invalid: Some(Invalid::one(&f, code)), ..Default::default() },
        _ => Notes { error: Some(tr.t(&format!("error.{code}"))), ..Default::default() },
    }
}

async fn send_code(State(s): State<AppState>, v: PageVisitor, f: CsrfForm) -> Response {
    let values = values_of(&f.0);
    let tr = Tr { cat: &s.cat, lang: v.lang };
    let phone = values.get("phone").and_then(|p| p.first()).cloned().unwrap_or_default();
    match s.svc.send_join_code(&phone, &v.ip).await {
        Ok(sent) => {
            let key = if sent.delivery == CodeDelivery::Sms { "join.code_sent" } else { "join.code_logged" };
            let notes = Notes { notice: Some(tr.t(key)), ..Default::default() };
            form(&s, &v, "/join", &values, notes, StatusCode::OK).await
        }
        Err(e @ Error::Internal(_)) => service_error(&s, v.lang, e),
        Err(e) => {
            let (status, _, _) = crate::error::classify(&e);
            form(&s, &v, "/join", &values, notes_for(&tr, &e), status).await
        }
    }
}

async fn submit(State(s): State<AppState>, v: PageVisitor, f: CsrfForm) -> Response {
    let values = values_of(&f.0);
    let tr = Tr { cat: &s.cat, lang: v.lang };
    let spec = match fields(&s, tr, &values).await {
        Ok(x) => x,
        Err(e) => return service_error(&s, v.lang, e),
    };
    let result = match read_form::<JoinInput>(&spec, &values) {
        Ok(input) => s.svc.submit_join(&input, &v.ip).await,
        Err(inv) => Err(Error::Validation(inv)),
    };
    match result {
        Ok(_) => see_other("/join/sent", "join_submitted"),
        Err(e @ Error::Internal(_)) => service_error(&s, v.lang, e),
        Err(e) => {
            let (status, _, _) = crate::error::classify(&e);
            form(&s, &v, "/join", &values, notes_for(&tr, &e), status).await
        }
    }
}

async fn sent(State(s): State<AppState>, v: PageVisitor, uri: OriginalUri) -> Response {
    let tr = Tr { cat: &s.cat, lang: v.lang };
    render(StatusCode::OK, &JoinSentPage { c: Chrome::new(&s, tr, None, &v.csrf, tr.t("join.sent_title"), &uri.0.to_string()) })
}
