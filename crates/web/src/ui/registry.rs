//! Pages for districts, communities, units, teams and beneficiaries: one set
//! of generic handlers, and per kind only what differs (columns, fields).

use std::future::Future;

use axum::extract::{OriginalUri, Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use axum::Router;
use serde::de::DeserializeOwned;
use tongxing_domain::category::CATEGORIES;
use tongxing_domain::model::{Beneficiary, Community, District, Paged, Team, Unit, User};
use tongxing_domain::paging::Page;
use tongxing_domain::permission::{scope, Action, Resource};
use tongxing_domain::registry::{
    BeneficiaryInput, CommunityInput, DistrictInput, TeamInput, UnitInput, Validate, BENEFICIARY_KINDS, UNIT_KINDS,
};
use tongxing_service::{Error, Result, Service};
use tongxing_store::{beneficiaries, communities, districts, teams, units};

use super::templates::{FormPage, ListPage};
use super::view::{attach_errors, read_form, values_of, Cell, Chrome, Field, Kind, Pager, Values};
use super::{render, see_other, service_error};
use crate::export::{xlsx_response, ExportRow};
use crate::extract::{CsrfForm, PageUser};
use crate::i18n::Tr;
use crate::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .merge(pages::<Districts>())
        .merge(pages::<Communities>())
        .merge(pages::<Units>())
        .merge(pages::<Teams>())
        .merge(pages::<Beneficiaries>())
}

/// What one kind of registry row needs to get list, form and edit pages.
pub trait RegistryPages: Send + Sync + 'static {
    const BASE: &'static str;
    const TITLE: &'static str;
    const NEW: &'static str;
    const EDIT: &'static str;
    const RESOURCE: Resource;
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
}

fn pages<R: RegistryPages>() -> Router<AppState> {
    Router::new()
        .route(R::BASE, get(list_page::<R>).post(create::<R>))
        .route(&format!("{}/new", R::BASE), get(new_page::<R>))
        .route(&format!("{}/{{id}}", R::BASE), get(edit_page::<R>).post(update::<R>))
        .route(&format!("{}/{{id}}/deactivate", R::BASE), post(toggle::<R, false>))
        .route(&format!("{}/{{id}}/reactivate", R::BASE), post(toggle::<R, true>))
}

fn query_value<'a>(q: &'a [(String, String)], key: &str) -> Option<&'a str> {
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
    let list = match R::list(&s.svc, &p.user, text.clone(), include_inactive, fetch).await {
        Ok(l) => l,
        Err(e) => return service_error(&s, p.lang, e),
    };
    if xlsx {
        return xlsx_response(&tr, R::BASE.trim_start_matches('/'), &list.items).unwrap_or_else(|e| service_error(&s, p.lang, e));
    }
    let can_write = scope(p.user.role, Action::Write, R::RESOURCE).allowed();
    let mut export_q: Vec<(String, String)> = q.iter().filter(|(k, _)| k != "page").cloned().collect();
    export_q.push(("format".into(), "xlsx".into()));
    let page_view = ListPage {
        base: R::BASE,
        search_id: "registry-search",
        table_id: "registry-list",
        q: text.unwrap_or_default(),
        search_hint: tr.t("list.search"),
        filters: Vec::new(),
        include_inactive,
        total_text: tr.f("list.total", list.total),
        columns: R::COLUMNS.iter().map(|k| tr.t(k)).collect(),
        rows: list.items.iter().map(|i| R::row(i, &tr)).collect(),
        pager: Pager::new(&tr, R::BASE, &q, page, list.total),
        new_href: can_write.then(|| format!("{}/new", R::BASE)),
        import_href: None,
        export_href: format!("{}?{}", R::BASE, serde_urlencoded::to_string(&export_q).unwrap_or_default()),
        c: Chrome::new(&s, tr, Some(&p.user), &p.csrf, tr.t(R::TITLE), &uri.0.to_string()),
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
        cancel_href: R::BASE.to_string(),
        toggle_action: id.filter(|_| can_write).map(|i| format!("{}/{i}/{}", R::BASE, if active { "deactivate" } else { "reactivate" })),
        toggle_label: tr.t(if active { "action.deactivate" } else { "action.reactivate" }),
        read_only: !can_write,
        c: Chrome::new(s, tr, Some(&p.user), &p.csrf, title, path),
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

fn one(v: impl ToString) -> Vec<String> {
    vec![v.to_string()]
}

fn status_cell(tr: &Tr, active: bool) -> Cell {
    Cell::text(tr.t(if active { "status.active" } else { "status.inactive" }))
}

/// Choices of a lookup list, as (id, name).
async fn district_options(svc: &Service, actor: &User) -> Result<Vec<(String, String)>> {
    let all = Page { page: 1, per_page: 10_000 };
    Ok(svc.list_districts(actor, &Default::default(), all).await?.items.into_iter().map(|d| (d.id.to_string(), d.name)).collect())
}

pub(super) async fn unit_options(svc: &Service, actor: &User) -> Result<Vec<(String, String)>> {
    let all = Page { page: 1, per_page: 10_000 };
    Ok(svc.list_units(actor, &Default::default(), all).await?.items.into_iter().map(|u| (u.id.to_string(), u.name)).collect())
}

pub(super) async fn community_options(svc: &Service, actor: &User) -> Result<Vec<(String, String)>> {
    let all = Page { page: 1, per_page: 10_000 };
    Ok(svc
        .list_communities(actor, &Default::default(), all)
        .await?
        .items
        .into_iter()
        .map(|c| (c.id.to_string(), format!("{}（{}）", c.name, c.district_name)))
        .collect())
}

pub(super) async fn team_options(svc: &Service, actor: &User) -> Result<Vec<(String, String)>> {
    let all = Page { page: 1, per_page: 10_000 };
    Ok(svc.list_teams(actor, &Default::default(), all).await?.items.into_iter().map(|t| (t.id.to_string(), t.name)).collect())
}

fn coded(tr: &Tr, prefix: &str, codes: &[&str]) -> Vec<(String, String)> {
    codes.iter().map(|c| (c.to_string(), tr.t(&format!("{prefix}.{c}")))).collect()
}

struct Districts;
impl RegistryPages for Districts {
    const BASE: &'static str = "/districts";
    const TITLE: &'static str = "nav.districts";
    const NEW: &'static str = "district.new";
    const EDIT: &'static str = "district.edit";
    const RESOURCE: Resource = Resource::District;
    const COLUMNS: &'static [&'static str] = &["field.name", "stat.communities", "stat.teams", "field.status"];
    type Item = District;
    type Input = DistrictInput;
    fn active(i: &District) -> bool {
        i.active
    }
    fn row(i: &District, tr: &Tr) -> Vec<Cell> {
        vec![
            Cell::link(&i.name, format!("/districts/{}", i.id), "row-link"),
            Cell::link(i.community_count.to_string(), format!("/communities?district_id={}", i.id), ""),
            Cell::link(i.team_count.to_string(), format!("/teams?district_id={}", i.id), ""),
            status_cell(tr, i.active),
        ]
    }
    fn values(i: &District) -> Values {
        Values::from([("name".into(), one(&i.name))])
    }
    async fn list(svc: &Service, a: &User, q: Option<String>, include_inactive: bool, page: Page) -> Result<Paged<District>> {
        svc.list_districts(a, &districts::Filter { q, include_inactive }, page).await
    }
    async fn get(svc: &Service, a: &User, id: i64) -> Result<District> {
        svc.get_district(a, id).await
    }
    async fn save(svc: &Service, a: &User, id: Option<i64>, i: &DistrictInput) -> Result<i64> {
        svc.save_district(a, id, i).await
    }
    async fn fields(_: &Service, _: &User, tr: Tr<'_>, v: &Values) -> Result<Vec<Field>> {
        Ok(vec![Field::new(&tr, "name", Kind::Text, true, v)])
    }
}

struct Communities;
impl RegistryPages for Communities {
    const BASE: &'static str = "/communities";
    const TITLE: &'static str = "nav.communities";
    const NEW: &'static str = "community.new";
    const EDIT: &'static str = "community.edit";
    const RESOURCE: Resource = Resource::Community;
    const COLUMNS: &'static [&'static str] = &["field.name", "field.district_id", "field.lat", "field.lng", "field.status"];
    type Item = Community;
    type Input = CommunityInput;
    fn active(i: &Community) -> bool {
        i.active
    }
    fn row(i: &Community, tr: &Tr) -> Vec<Cell> {
        vec![
            Cell::link(&i.name, format!("/communities/{}", i.id), "row-link"),
            Cell::text(&i.district_name),
            Cell::text(format!("{:.5}", i.lat)),
            Cell::text(format!("{:.5}", i.lng)),
            status_cell(tr, i.active),
        ]
    }
    fn values(i: &Community) -> Values {
        Values::from([
            ("name".into(), one(&i.name)),
            ("district_id".into(), one(i.district_id)),
            ("lat".into(), one(i.lat)),
            ("lng".into(), one(i.lng)),
        ])
    }
    async fn list(svc: &Service, a: &User, q: Option<String>, include_inactive: bool, page: Page) -> Result<Paged<Community>> {
        svc.list_communities(a, &communities::Filter { q, include_inactive, district_id: None }, page).await
    }
    async fn get(svc: &Service, a: &User, id: i64) -> Result<Community> {
        svc.get_community(a, id).await
    }
    async fn save(svc: &Service, a: &User, id: Option<i64>, i: &CommunityInput) -> Result<i64> {
        svc.save_community(a, id, i).await
    }
    async fn fields(svc: &Service, a: &User, tr: Tr<'_>, v: &Values) -> Result<Vec<Field>> {
        Ok(vec![
            Field::new(&tr, "name", Kind::Text, true, v),
            Field::new(&tr, "district_id", Kind::Select { numeric: true }, true, v).with_options(v, district_options(svc, a).await?),
            Field::new(&tr, "lat", Kind::Number, true, v),
            Field::new(&tr, "lng", Kind::Number, true, v),
        ])
    }
}

struct Units;
impl RegistryPages for Units {
    const BASE: &'static str = "/units";
    const TITLE: &'static str = "nav.units";
    const NEW: &'static str = "unit.new";
    const EDIT: &'static str = "unit.edit";
    const RESOURCE: Resource = Resource::Unit;
    const COLUMNS: &'static [&'static str] = &["field.name", "field.kind", "stat.volunteers", "field.status"];
    type Item = Unit;
    type Input = UnitInput;
    fn active(i: &Unit) -> bool {
        i.active
    }
    fn row(i: &Unit, tr: &Tr) -> Vec<Cell> {
        vec![
            Cell::link(&i.name, format!("/units/{}", i.id), "row-link"),
            Cell::text(tr.t(&format!("unit_kind.{}", i.kind))),
            Cell::link(i.volunteer_count.to_string(), format!("/volunteers?unit_id={}", i.id), ""),
            status_cell(tr, i.active),
        ]
    }
    fn values(i: &Unit) -> Values {
        Values::from([
            ("name".into(), one(&i.name)),
            ("kind".into(), one(&i.kind)),
            ("webhook_url".into(), one(i.webhook_url.clone().unwrap_or_default())),
        ])
    }
    async fn list(svc: &Service, a: &User, q: Option<String>, include_inactive: bool, page: Page) -> Result<Paged<Unit>> {
        svc.list_units(a, &units::Filter { q, include_inactive, ..Default::default() }, page).await
    }
    async fn get(svc: &Service, a: &User, id: i64) -> Result<Unit> {
        svc.get_unit(a, id).await
    }
    async fn save(svc: &Service, a: &User, id: Option<i64>, i: &UnitInput) -> Result<i64> {
        svc.save_unit(a, id, i).await
    }
    async fn fields(_: &Service, _: &User, tr: Tr<'_>, v: &Values) -> Result<Vec<Field>> {
        Ok(vec![
            Field::new(&tr, "name", Kind::Text, true, v),
            Field::new(&tr, "kind", Kind::Select { numeric: false }, true, v).with_options(v, coded(&tr, "unit_kind", UNIT_KINDS)),
            Field::new(&tr, "webhook_url", Kind::Text, false, v),
        ])
    }
}

struct Teams;
impl RegistryPages for Teams {
    const BASE: &'static str = "/teams";
    const TITLE: &'static str = "nav.teams";
    const NEW: &'static str = "team.new";
    const EDIT: &'static str = "team.edit";
    const RESOURCE: Resource = Resource::Team;
    const COLUMNS: &'static [&'static str] =
        &["field.name", "field.category", "field.district_id", "field.unit", "field.leader", "field.members"];
    type Item = Team;
    type Input = TeamInput;
    fn active(i: &Team) -> bool {
        i.active
    }
    fn row(i: &Team, tr: &Tr) -> Vec<Cell> {
        vec![
            Cell::link(&i.name, format!("/teams/{}", i.id), "row-link"),
            Cell::text(tr.t(&format!("category.{}", i.category))),
            Cell::text(&i.district_name),
            Cell::text(i.unit_name.clone().unwrap_or_default()),
            match (i.leader_volunteer_id, &i.leader_name) {
                (Some(id), Some(n)) => Cell::link(n, format!("/volunteers/{id}"), ""),
                _ => Cell::text(""),
            },
            Cell::link(i.member_count.to_string(), format!("/volunteers?team_id={}", i.id), ""),
        ]
    }
    fn values(i: &Team) -> Values {
        Values::from([
            ("name".into(), one(&i.name)),
            ("district_id".into(), one(i.district_id)),
            ("category".into(), one(&i.category)),
            ("unit_id".into(), i.unit_id.map(one).unwrap_or_default()),
            ("leader_volunteer_id".into(), i.leader_volunteer_id.map(one).unwrap_or_default()),
        ])
    }
    async fn list(svc: &Service, a: &User, q: Option<String>, include_inactive: bool, page: Page) -> Result<Paged<Team>> {
        svc.list_teams(a, &teams::Filter { q, include_inactive, ..Default::default() }, page).await
    }
    async fn get(svc: &Service, a: &User, id: i64) -> Result<Team> {
        svc.get_team(a, id).await
    }
    async fn save(svc: &Service, a: &User, id: Option<i64>, i: &TeamInput) -> Result<i64> {
        svc.save_team(a, id, i).await
    }
    async fn fields(svc: &Service, a: &User, tr: Tr<'_>, v: &Values) -> Result<Vec<Field>> {
        Ok(vec![
            Field::new(&tr, "name", Kind::Text, true, v),
            Field::new(&tr, "category", Kind::Select { numeric: false }, true, v).with_options(v, coded(&tr, "category", CATEGORIES)),
            Field::new(&tr, "district_id", Kind::Select { numeric: true }, true, v).with_options(v, district_options(svc, a).await?),
            Field::new(&tr, "unit_id", Kind::Select { numeric: true }, false, v).with_options(v, unit_options(svc, a).await?),
            Field::new(&tr, "leader_volunteer_id", Kind::Integer, false, v),
        ])
    }
}

struct Beneficiaries;
impl RegistryPages for Beneficiaries {
    const BASE: &'static str = "/beneficiaries";
    const TITLE: &'static str = "nav.beneficiaries";
    const NEW: &'static str = "beneficiary.new";
    const EDIT: &'static str = "beneficiary.edit";
    const RESOURCE: Resource = Resource::Beneficiary;
    const COLUMNS: &'static [&'static str] = &["field.person_name", "field.kind", "field.community", "field.phone", "field.status"];
    type Item = Beneficiary;
    type Input = BeneficiaryInput;
    fn active(i: &Beneficiary) -> bool {
        i.active
    }
    fn row(i: &Beneficiary, tr: &Tr) -> Vec<Cell> {
        vec![
            Cell::link(&i.name, format!("/beneficiaries/{}", i.id), "row-link"),
            Cell::text(tr.t(&format!("beneficiary_kind.{}", i.kind))),
            Cell::text(&i.community_name),
            Cell::text(i.phone.clone().unwrap_or_default()),
            status_cell(tr, i.active),
        ]
    }
    fn values(i: &Beneficiary) -> Values {
        Values::from([
            ("name".into(), one(&i.name)),
            ("kind".into(), one(&i.kind)),
            ("community_id".into(), one(i.community_id)),
            ("phone".into(), one(i.phone.clone().unwrap_or_default())),
            ("address".into(), one(i.address.clone().unwrap_or_default())),
            ("notes".into(), one(i.notes.clone().unwrap_or_default())),
        ])
    }
    async fn list(svc: &Service, a: &User, q: Option<String>, include_inactive: bool, page: Page) -> Result<Paged<Beneficiary>> {
        svc.list_beneficiaries(a, &beneficiaries::Filter { q, include_inactive, ..Default::default() }, page).await
    }
    async fn get(svc: &Service, a: &User, id: i64) -> Result<Beneficiary> {
        svc.get_beneficiary(a, id).await
    }
    async fn save(svc: &Service, a: &User, id: Option<i64>, i: &BeneficiaryInput) -> Result<i64> {
        svc.save_beneficiary(a, id, i).await
    }
    async fn fields(svc: &Service, a: &User, tr: Tr<'_>, v: &Values) -> Result<Vec<Field>> {
        Ok(vec![
            Field::new(&tr, "name", Kind::Text, true, v).labelled(&tr, "field.person_name"),
            Field::new(&tr, "kind", Kind::Select { numeric: false }, true, v)
                .with_options(v, coded(&tr, "beneficiary_kind", BENEFICIARY_KINDS)),
            Field::new(&tr, "community_id", Kind::Select { numeric: true }, true, v).with_options(v, community_options(svc, a).await?),
            Field::new(&tr, "phone", Kind::Text, false, v),
            Field::new(&tr, "address", Kind::Text, false, v),
            Field::new(&tr, "notes", Kind::Textarea, false, v),
        ])
    }
}
