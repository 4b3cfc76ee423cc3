//! Pages for districts, communities, units, teams and beneficiaries: one set
//! of generic handlers, and per kind only what differs (columns, fields).

use std::future::Future;

use axum::extract::{OriginalUri, Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use axum::Router;
use serde::de::DeserializeOwned;
use tongxing_domain::model::{Paged, User};
use tongxing_domain::paging::Page;
use tongxing_domain::permission::{scope, Action, Resource};
use tongxing_domain::registry::Validate;
use tongxing_service::{Error, Result, Service};

use super::templates::{FormPage, ListPage};
use super::view::{attach_errors, read_form, values_of, Cell, Chrome, Field, Pager, SelectFilter, Values};
use super::{render, see_other, service_error};
use crate::export::{xlsx_response, ExportRow};
use crate::extract::{CsrfForm, PageUser};
use crate::i18n::Tr;
use crate::AppState;

pub(crate) mod kinds;
mod team;

pub(crate) use kinds::{community_options, district_options, team_options, unit_options};
use kinds::{Beneficiaries, Communities, Districts, Teams, Units};

pub fn router() -> Router<AppState> {
    Router::new()
        .merge(pages::<Districts>())
        .merge(pages::<Communities>())
        .merge(pages::<Units>())
        .merge(pages::<Teams>())
        .route("/teams/{id}", get(team::team_page).post(update::<Teams>))
        .merge(pages::<Beneficiaries>())
}

/// What one kind of registry row needs to get list, form and edit pages.
pub(crate) trait RegistryPages: Send + Sync + 'static {
    const BASE: &'static str;
    const TITLE: &'static str;
    const NEW: &'static str;
    const EDIT: &'static str;
    const RESOURCE: Resource;
    /// Whether `{BASE}/{id}` is a page of its own (routed by the kind), the form then at `{BASE}/{id}/edit`.
    const HAS_PAGE: bool = false;
    /// i18n keys of the list's columns.
    const COLUMNS: &'static [&'static str];
    type Item: ExportRow + Send + Sync + 'static;
    type Input: DeserializeOwned + Validate + Send + Sync + 'static;

    fn active(item: &Self::Item) -> bool;
    fn row(item: &Self::Item, tr: &Tr) -> Vec<Cell>;
    fn values(item: &Self::Item) -> Values;
    fn list(
        svc: &Service,
        actor: &User,
        q: Option<String>,
        include_inactive: bool,
        page: Page,
    ) -> impl Future<Output = Result<Paged<Self::Item>>> + Send;
    fn get(svc: &Service, actor: &User, id: i64) -> impl Future<Output = Result<Self::Item>> + Send;
    fn save(svc: &Service, actor: &User, id: Option<i64>, input: &Self::Input) -> impl Future<Output = Result<i64>> + Send;
    /// The form's fields, filled from `values`; may look up choices.
    fn fields(svc: &Service, actor: &User, tr: Tr<'_>, values: &Values) -> impl Future<Output = Result<Vec<Field>>> + Send;
    /// Selects beside the search box, set from the query; none by default.
    fn filters(_: &Service, _: &User, _: Tr<'_>, _query: &[(String, String)]) -> impl Future<Output = Result<Vec<SelectFilter>>> + Send {
        async { Ok(Vec::new()) }
    }
    /// The list under the whole query, its selects' values too; `list` by default.
    fn list_filtered(
        svc: &Service,
        actor: &User,
        _query: &[(String, String)],
        q: Option<String>,
        include_inactive: bool,
        page: Page,
    ) -> impl Future<Output = Result<Paged<Self::Item>>> + Send {
        Self::list(svc, actor, q, include_inactive, page)
    }
}

pub(crate) fn pages<R: RegistryPages>() -> Router<AppState> {
    let r = Router::new().route(R::BASE, get(list_page::<R>).post(create::<R>)).route(&format!("{}/new", R::BASE), get(new_page::<R>));
    let r = if R::HAS_PAGE {
        r.route(&format!("{}/{{id}}/edit", R::BASE), get(edit_page::<R>))
    } else {
        r.route(&format!("{}/{{id}}", R::BASE), get(edit_page::<R>).post(update::<R>))
    };
    r.route(&format!("{}/{{id}}/deactivate", R::BASE), post(toggle::<R, false>))
        .route(&format!("{}/{{id}}/reactivate", R::BASE), post(toggle::<R, true>))
}

pub(crate) fn query_value<'a>(q: &'a [(String, String)], key: &str) -> Option<&'a str> {
    q.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str()).filter(|v| !v.is_empty())
}

async fn list_page<R: RegistryPages>(
    State(s): State<AppState>,
    p: PageUser,
    uri: OriginalUri,
    Query(q): Query<Vec<(String, String)>>,
) -> Response {
    let tr = Tr { cat: &s.cat, lang: p.lang };
    let page = Page::new(query_value(&q, "page").and_then(|v| v.parse().ok()), None);
    let include_inactive = query_value(&q, "include_inactive") == Some("true");
    let text = query_value(&q, "q").map(str::to_string);
    let xlsx = query_value(&q, "format") == Some("xlsx");
    let fetch = if xlsx { Page { page: 1, per_page: tongxing_service::export::MAX_EXPORT_ROWS } } else { page };
    let (list, filters) = match tokio::try_join!(
        R::list_filtered(&s.svc, &p.user, &q, text.clone(), include_inactive, fetch),
        R::filters(&s.svc, &p.user, tr, &q)
    ) {
        Ok(l) => l,
        Err(e) => return service_error(&s, p.lang, e),
    };
    if xlsx {
        return xlsx_response(&tr, R::BASE.trim_start_matches('/'), &list.items).unwrap_or_else(|e| service_error(&s, p.lang, e));
    }
    let mut export_q: Vec<(String, String)> = q.iter().filter(|(k, _)| k != "page").cloned().collect();
    export_q.push(("format".into(), "xlsx".into()));
    let page_view = ListPage {
        base: R::BASE,
        search_id: "registry-search",
        table_id: "registry-list",
        q: text.unwrap_or_default(),
        search_hint: tr.t("list.search"),
        filters,
        include_inactive,
        total_text: tr.f("list.total", list.total),
        columns: R::COLUMNS.iter().map(|k| tr.t(k)).collect(),
        rows: list.items.iter().map(|i| R::row(i, &tr)).collect(),
        pager: Pager::new(&tr, R::BASE, &q, page, list.total),
        resource: R::RESOURCE,
        new_href: Some(format!("{}/new", R::BASE)),
        import_href: None,
        export_href: format!("{}?{}", R::BASE, serde_urlencoded::to_string(&export_q).unwrap_or_default()),
        c: Chrome::for_page(&s, tr, &p, tr.t(R::TITLE), &uri.0.to_string()),
    };
    render(StatusCode::OK, &page_view)
}

/// Renders the form; `id` is the row being edited, if any.
#[allow(clippy::too_many_arguments)]
async fn form<R: RegistryPages>(
    s: &AppState,
    p: &PageUser,
    path: &str,
    id: Option<i64>,
    active: bool,
    values: &Values,
    invalid: Option<&tongxing_domain::Invalid>,
    status: StatusCode,
) -> Response {
    let tr = Tr { cat: &s.cat, lang: p.lang };
    let mut fields = match R::fields(&s.svc, &p.user, tr, values).await {
        Ok(f) => f,
        Err(e) => return service_error(s, p.lang, e),
    };
    if let Some(inv) = invalid {
        attach_errors(&tr, &mut fields, inv);
    }
    let can_write = scope(p.user.role, Action::Write, R::RESOURCE).allowed();
    let title = tr.t(if id.is_some() { R::EDIT } else { R::NEW });
    let page = FormPage {
        form_id: "registry-form",
        action: id.map(|i| format!("{}/{i}", R::BASE)).unwrap_or_else(|| R::BASE.to_string()),
        has_errors: invalid.is_some(),
        fields,
        cancel_href: match id {
            Some(i) if R::HAS_PAGE => format!("{}/{i}", R::BASE),
            _ => R::BASE.to_string(),
        },
        toggle_action: id.filter(|_| can_write).map(|i| format!("{}/{i}/{}", R::BASE, if active { "deactivate" } else { "reactivate" })),
        toggle_label: tr.t(if active { "action.deactivate" } else { "action.reactivate" }),
        read_only: !can_write,
        extras: Default::default(),
        c: Chrome::for_page(s, tr, p, title, path),
    };
    render(status, &page)
}

async fn new_page<R: RegistryPages>(State(s): State<AppState>, p: PageUser, uri: OriginalUri) -> Response {
    if !scope(p.user.role, Action::Write, R::RESOURCE).allowed() {
        return service_error(&s, p.lang, Error::Forbidden);
    }
    form::<R>(&s, &p, &uri.0.to_string(), None, true, &Values::new(), None, StatusCode::OK).await
}

async fn edit_page<R: RegistryPages>(State(s): State<AppState>, p: PageUser, uri: OriginalUri, Path(id): Path<i64>) -> Response {
    match R::get(&s.svc, &p.user, id).await {
        Ok(item) => form::<R>(&s, &p, &uri.0.to_string(), Some(id), R::active(&item), &R::values(&item), None, StatusCode::OK).await,
        Err(e) => service_error(&s, p.lang, e),
    }
}

async fn save<R: RegistryPages>(s: &AppState, p: &PageUser, path: &str, id: Option<i64>, form_data: &CsrfForm) -> Response {
    let values = values_of(&form_data.0);
    let tr = Tr { cat: &s.cat, lang: p.lang };
    let spec = match R::fields(&s.svc, &p.user, tr, &values).await {
        Ok(f) => f,
        Err(e) => return service_error(s, p.lang, e),
    };
    let parsed = read_form::<R::Input>(&spec, &values);
    let result = match parsed {
        Ok(input) => R::save(&s.svc, &p.user, id, &input).await,
        Err(inv) => Err(Error::Validation(inv)),
    };
    match result {
        Ok(saved) => see_other(&format!("{}/{saved}", R::BASE), "saved"),
        Err(Error::Validation(inv)) => form::<R>(s, p, path, id, true, &values, Some(&inv), StatusCode::UNPROCESSABLE_ENTITY).await,
        Err(Error::Conflict { field: Some(f), code }) => {
            let inv = tongxing_domain::Invalid::one(f, code);
            form::<R>(s, p, path, id, true, &values, Some(&inv), StatusCode::CONFLICT).await
        }
        Err(e) => service_error(s, p.lang, e),
    }
}

async fn create<R: RegistryPages>(State(s): State<AppState>, p: PageUser, uri: OriginalUri, f: CsrfForm) -> Response {
    save::<R>(&s, &p, &uri.0.to_string(), None, &f).await
}

async fn update<R: RegistryPages>(State(s): State<AppState>, p: PageUser, uri: OriginalUri, Path(id): Path<i64>, f: CsrfForm) -> Response {
    save::<R>(&s, &p, &uri.0.to_string(), Some(id), &f).await
}

async fn toggle<R: RegistryPages, const ACTIVE: bool>(
    State(s): State<AppState>,
    p: PageUser,
    Path(id): Path<i64>,
    _f: CsrfForm,
) -> Response {
    match s.svc.set_active(&p.user, R::RESOURCE, id, ACTIVE).await {
        Ok(()) => see_other(&format!("{}/{id}", R::BASE), if ACTIVE { "reactivated" } else { "deactivated" }),
        Err(e) => service_error(&s, p.lang, e),
    }
}
