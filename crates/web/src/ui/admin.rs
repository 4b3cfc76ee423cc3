//! Administration pages: accounts and the audit log.

use axum::extract::{OriginalUri, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use chrono::{FixedOffset, TimeZone};
use tongxing_domain::paging::Page;
use tongxing_domain::permission::{Action, Resource};
use tongxing_domain::role::Role;
use tongxing_domain::Invalid;
use tongxing_service::auth::NewAccount;
use tongxing_service::Error;

use super::registry::{team_options, unit_options};
use super::templates::{AuditPage, FormPage, ListPage};
use super::view::{attach_errors, read_form, values_of, Cell, Chrome, Field, Kind, Pager, Values};
use super::{render, see_other, service_error};
use crate::extract::{CsrfForm, PageUser};
use crate::i18n::Tr;
use crate::AppState;

pub fn router() -> Router<AppState> {
    Router::new().route("/users", get(users).post(create_user)).route("/users/new", get(new_user)).route("/audit", get(audit))
}

#[derive(serde::Deserialize)]
struct PageQuery {
    page: Option<u32>,
}

/// Unix milliseconds as the region's local time.
fn local_time(ms: i64) -> String {
    let tz = FixedOffset::east_opt(8 * 3600).expect("UTC+8 is a valid offset");
    tz.timestamp_millis_opt(ms).single().map(|t| t.format("%Y-%m-%d %H:%M:%S").to_string()).unwrap_or_default()
}

async fn audit(State(s): State<AppState>, p: PageUser, uri: OriginalUri, Query(q): Query<PageQuery>) -> Response {
    let tr = Tr { cat: &s.cat, lang: p.lang };
    if let Err(e) = s.svc.require(&p.user, Action::Read, Resource::AuditLog) {
        return service_error(&s, p.lang, e);
    }
    let page = Page::new(q.page, Some(100));
    let list = match tongxing_store::audit::list(&s.svc.db, page).await {
        Ok(l) => l,
        Err(e) => return service_error(&s, p.lang, e.into()),
    };
    let entries = list
        .items
        .iter()
        .map(|e| {
            let subject = format!("{} {}", e.subject_kind, e.subject_id.map(|i| i.to_string()).unwrap_or_default());
            (local_time(e.at), e.user_login.clone().unwrap_or_default(), e.action.clone(), subject, e.detail.clone().unwrap_or_default())
        })
        .collect();
    let pager = Pager::new(&tr, "/audit", &[], page, list.total);
    let c = Chrome::for_page(&s, tr, &p, tr.t("nav.audit"), &uri.0.to_string());
    render(StatusCode::OK, &AuditPage { c, entries, pager })
}

async fn users(State(s): State<AppState>, p: PageUser, uri: OriginalUri, Query(q): Query<Vec<(String, String)>>) -> Response {
    let tr = Tr { cat: &s.cat, lang: p.lang };
    let page = Page::new(q.iter().find(|(k, _)| k == "page").and_then(|(_, v)| v.parse().ok()), None);
    let list = match s.svc.list_users(&p.user, page).await {
        Ok(l) => l,
        Err(e) => return service_error(&s, p.lang, e),
    };
    let rows = list
        .items
        .iter()
        .map(|u| {
            vec![
                Cell::text(u.name.as_deref().unwrap_or_default()),
                Cell::text(&u.login),
                Cell::text(tr.t(&format!("role.{}", u.role.as_str()))),
                Cell::text(tr.t(if u.active { "status.active" } else { "status.inactive" })),
            ]
        })
        .collect();
    let view = ListPage {
        base: "/users",
        search_id: "user-search",
        table_id: "user-list",
        q: String::new(),
        search_hint: tr.t("list.search"),
        filters: Vec::new(),
        include_inactive: false,
        total_text: tr.f("list.total", list.total),
        columns: ["field.person_name", "field.login", "field.role", "field.status"].iter().map(|k| tr.t(k)).collect(),
        rows,
        pager: Pager::new(&tr, "/users", &q, page, list.total),
        resource: Resource::User,
        new_href: Some("/users/new".into()),
        import_href: None,
        export_href: "/users".into(),
        c: Chrome::for_page(&s, tr, &p, tr.t("nav.users"), &uri.0.to_string()),
    };
    render(StatusCode::OK, &view)
}

async fn user_fields(s: &AppState, p: &PageUser, v: &Values) -> Result<Vec<Field>, Error> {
    let tr = Tr { cat: &s.cat, lang: p.lang };
    let roles = Role::ALL.iter().map(|r| (r.as_str().to_string(), tr.t(&format!("role.{}", r.as_str()))));
    let mut name = Field::new(&tr, "name", Kind::Text, false, v);
    name.label = tr.t("field.person_name");
    Ok(vec![
        name,
        Field::new(&tr, "login", Kind::Text, true, v),
        Field::new(&tr, "password", Kind::Password, true, v),
        Field::new(&tr, "role", Kind::Select { numeric: false }, true, v).with_options(v, roles),
        Field::new(&tr, "unit_id", Kind::Select { numeric: true }, false, v).with_options(v, unit_options(&s.svc, &p.user).await?),
        Field::new(&tr, "team_id", Kind::Select { numeric: true }, false, v).with_options(v, team_options(&s.svc, &p.user).await?),
        Field::new(&tr, "volunteer_id", Kind::Integer, false, v),
    ])
}

async fn user_form(s: &AppState, p: &PageUser, path: &str, v: &Values, invalid: Option<&Invalid>, status: StatusCode) -> Response {
    let tr = Tr { cat: &s.cat, lang: p.lang };
    let mut fields = match user_fields(s, p, v).await {
        Ok(f) => f,
        Err(e) => return service_error(s, p.lang, e),
    };
    if let Some(inv) = invalid {
        attach_errors(&tr, &mut fields, inv);
    }
    // Never send a password back into a form.
    fields.iter_mut().filter(|f| f.name == "password").for_each(|f| f.value.clear());
    let page = FormPage {
        form_id: "user-form",
        action: "/users".into(),
        has_errors: invalid.is_some(),
        fields,
        cancel_href: "/users".into(),
        toggle_action: None,
        toggle_label: String::new(),
        read_only: false,
        extras: Default::default(),
        c: Chrome::for_page(s, tr, p, tr.t("user.new"), path),
    };
    render(status, &page)
}

async fn new_user(State(s): State<AppState>, p: PageUser, uri: OriginalUri) -> Response {
    if let Err(e) = s.svc.require(&p.user, Action::Write, Resource::User) {
        return service_error(&s, p.lang, e);
    }
    user_form(&s, &p, &uri.0.to_string(), &Values::new(), None, StatusCode::OK).await
}

async fn create_user(State(s): State<AppState>, p: PageUser, uri: OriginalUri, f: CsrfForm) -> Response {
    let values = values_of(&f.0);
    let spec = match user_fields(&s, &p, &values).await {
        Ok(x) => x,
        Err(e) => return service_error(&s, p.lang, e),
    };
    let parsed = read_form::<NewAccount>(&spec, &values);
    let result = match parsed {
        Ok(a) => s.svc.create_user(Some(&p.user), &a).await.map(|_| ()),
        Err(inv) => Err(Error::Validation(inv)),
    };
    let path = uri.0.to_string();
    match result {
        Ok(()) => see_other("/users", "saved"),
        Err(Error::Validation(inv)) => user_form(&s, &p, &path, &values, Some(&inv), StatusCode::UNPROCESSABLE_ENTITY).await,
        Err(Error::Conflict { field: Some(fld), code }) => {
            user_form(&s, &p, &path, &values, Some(&Invalid::one(fld, code)), StatusCode::CONFLICT).await
        }
        Err(e) => service_error(&s, p.lang, e),
    }
}
