//! Volunteer pages: search (name, pinyin initials, phone tail), detail with
//! masked personal data, register and edit.

use axum::extract::{OriginalUri, Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use axum::Router;
use tongxing_domain::model::VolunteerView;
use tongxing_domain::paging::Page;
use tongxing_domain::permission::{may_see_id_number, scope, Action, Resource, Scope};
use tongxing_domain::registry::VolunteerInput;
use tongxing_domain::Invalid;
use tongxing_service::Error;

use super::registry::{community_options, team_options, unit_options};
use super::templates::{FormPage, ListPage, VolunteerPage};
use super::view::{attach_errors, read_form, values_of, Cell, Chrome, Field, Kind, Opt, Pager, SelectFilter, Values};
use super::{render, see_other, service_error};
use crate::api::volunteers::VolunteerQuery;
use crate::export::xlsx_response;
use crate::extract::{CsrfForm, PageUser};
use crate::i18n::Tr;
use crate::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/volunteers", get(list_page).post(create))
        .route("/volunteers/new", get(new_page))
        .route("/volunteers/{id}", get(detail).post(update))
        .route("/volunteers/{id}/edit", get(edit_page))
        .route("/volunteers/{id}/deactivate", post(deactivate))
        .route("/volunteers/{id}/reactivate", post(reactivate))
}

fn param<'a>(q: &'a [(String, String)], key: &str) -> Option<&'a str> {
    q.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str()).filter(|v| !v.is_empty())
}

pub(crate) fn select_filter(name: &'static str, label: String, current: Option<&str>, options: Vec<(String, String)>) -> SelectFilter {
    SelectFilter {
        name,
        label,
        options: options.into_iter().map(|(value, label)| Opt { selected: current == Some(value.as_str()), value, label }).collect(),
    }
}

async fn list_page(State(s): State<AppState>, p: PageUser, uri: OriginalUri, Query(q): Query<Vec<(String, String)>>) -> Response {
    let tr = Tr { cat: &s.cat, lang: p.lang };
    let page = Page::new(param(&q, "page").and_then(|v| v.parse().ok()), Some(20));
    let query = VolunteerQuery {
        q: param(&q, "q").map(str::to_string),
        unit_id: param(&q, "unit_id").and_then(|v| v.parse().ok()),
        team_id: param(&q, "team_id").and_then(|v| v.parse().ok()),
        community_id: param(&q, "community_id").and_then(|v| v.parse().ok()),
        skill: param(&q, "skill").map(str::to_string),
        party_member: param(&q, "party_member").map(|v| v == "true"),
    };
    let include_inactive = param(&q, "include_inactive") == Some("true");
    let xlsx = param(&q, "format") == Some("xlsx");
    let fetch = if xlsx { Page { page: 1, per_page: tongxing_service::export::MAX_EXPORT_ROWS } } else { page };
    let typed = query.q.clone();
    let list = match s.svc.list_volunteers(&p.user, query.filter(include_inactive), fetch).await {
        Ok(l) => l,
        Err(e) => return service_error(&s, p.lang, e),
    };
    if xlsx {
        return xlsx_response(&tr, "volunteers", &list.items).unwrap_or_else(|e| service_error(&s, p.lang, e));
    }
    let role = p.user.role;
    let mut filters = Vec::new();
    // A liaison's and a leader's lists are already narrowed; offer the filters that still choose.
    if scope(role, Action::Read, Resource::Volunteer) == Scope::All {
        if let Ok(units) = unit_options(&s.svc, &p.user).await {
            filters.push(select_filter("unit_id", tr.t("field.unit"), param(&q, "unit_id"), units));
        }
    }
    if let Ok(teams) = team_options(&s.svc, &p.user).await {
        filters.push(select_filter("team_id", tr.t("field.teams"), param(&q, "team_id"), teams));
    }
    let yes_no = vec![("true".to_string(), tr.t("yes")), ("false".to_string(), tr.t("no"))];
    filters.push(select_filter("party_member", tr.t("field.party_member"), param(&q, "party_member"), yes_no));
    let mut export_q: Vec<(String, String)> = q.iter().filter(|(k, _)| k != "page").cloned().collect();
    export_q.push(("format".into(), "xlsx".into()));
    let columns = ["field.person_name", "field.phone", "field.unit", "field.community", "field.teams"];
    let view = ListPage {
        base: "/volunteers",
        search_id: "volunteer-search",
        table_id: "volunteer-list",
        q: typed.unwrap_or_default(),
        search_hint: tr.t("list.search_hint"),
        filters,
        include_inactive,
        total_text: tr.f("list.total", list.total),
        columns: columns.iter().map(|k| tr.t(k)).collect(),
        rows: list.items.iter().map(row).collect(),
        pager: Pager::new(&tr, "/volunteers", &q, page, list.total),
        resource: Resource::Volunteer,
        new_href: Some("/volunteers/new".to_string()),
        import_href: Some("/volunteers/import".to_string()),
        export_href: format!("/volunteers?{}", serde_urlencoded::to_string(&export_q).unwrap_or_default()),
        c: Chrome::for_page(&s, tr, &p, tr.t("nav.volunteers"), &uri.0.to_string()),
    };
    render(StatusCode::OK, &view)
}

fn row(v: &VolunteerView) -> Vec<Cell> {
    vec![
        Cell::link(&v.name, format!("/volunteers/{}", v.id), "volunteer-link"),
        Cell::text(&v.phone),
        Cell::text(&v.unit_name),
        Cell::text(&v.community_name),
        Cell::text(v.teams.iter().map(|t| t.name.as_str()).collect::<Vec<_>>().join("、")),
    ]
}

#[derive(serde::Deserialize)]
struct Reveal {
    reveal: Option<String>,
}

async fn detail(State(s): State<AppState>, p: PageUser, uri: OriginalUri, Path(id): Path<i64>, Query(r): Query<Reveal>) -> Response {
    let tr = Tr { cat: &s.cat, lang: p.lang };
    let reveal = r.reveal.as_deref() == Some("id_number");
    match s.svc.get_volunteer(&p.user, id, reveal).await {
        Ok(v) => {
            let can_edit = scope(p.user.role, Action::Write, Resource::Volunteer).allowed();
            let can_reveal = !reveal && may_see_id_number(p.user.role);
            let honours = match s.svc.volunteer_honours(&p.user, id).await {
                Ok(h) => h,
                Err(e) => return service_error(&s, p.lang, e),
            };
            let c = Chrome::for_page(&s, tr, &p, v.name.clone(), &uri.0.to_string());
            render(StatusCode::OK, &VolunteerPage { c, v, can_edit, can_reveal, honours })
        }
        Err(e) => service_error(&s, p.lang, e),
    }
}

async fn fields(s: &AppState, p: &PageUser, values: &Values) -> Result<Vec<Field>, Error> {
    let tr = Tr { cat: &s.cat, lang: p.lang };
    Ok(vec![
        Field::new(&tr, "name", Kind::Text, true, values).labelled(&tr, "field.person_name"),
        Field::new(&tr, "phone", Kind::Text, true, values),
        Field::new(&tr, "id_number", Kind::Text, false, values),
        Field::new(&tr, "unit_id", Kind::Select { numeric: true }, true, values).with_options(values, unit_options(&s.svc, &p.user).await?),
        Field::new(&tr, "community_id", Kind::Select { numeric: true }, true, values)
            .with_options(values, community_options(&s.svc, &p.user).await?),
        Field::new(&tr, "team_ids", Kind::Multi, false, values).with_options(values, team_options(&s.svc, &p.user).await?),
        Field::new(&tr, "skills", Kind::List, false, values),
        Field::new(&tr, "party_member", Kind::Check, false, values),
        Field::new(&tr, "vest_number", Kind::Text, false, values),
        Field::new(&tr, "availability", Kind::Text, false, values),
    ])
}

async fn form(
    s: &AppState,
    p: &PageUser,
    path: &str,
    id: Option<i64>,
    values: &Values,
    invalid: Option<&Invalid>,
    status: StatusCode,
) -> Response {
    let tr = Tr { cat: &s.cat, lang: p.lang };
    let mut fs = match fields(s, p, values).await {
        Ok(f) => f,
        Err(e) => return service_error(s, p.lang, e),
    };
    if let Some(inv) = invalid {
        attach_errors(&tr, &mut fs, inv);
    }
    let title = tr.t(if id.is_some() { "volunteer.edit" } else { "volunteer.new" });
    let page = FormPage {
        form_id: "volunteer-form",
        action: id.map(|i| format!("/volunteers/{i}")).unwrap_or_else(|| "/volunteers".into()),
        has_errors: invalid.is_some(),
        fields: fs,
        cancel_href: id.map(|i| format!("/volunteers/{i}")).unwrap_or_else(|| "/volunteers".into()),
        toggle_action: None,
        toggle_label: String::new(),
        read_only: false,
        extras: Default::default(),
        c: Chrome::for_page(s, tr, p, title, path),
    };
    render(status, &page)
}

/// A new volunteer's form starts in the liaison's unit or the leader's team.
async fn new_page(State(s): State<AppState>, p: PageUser, uri: OriginalUri) -> Response {
    if !scope(p.user.role, Action::Write, Resource::Volunteer).allowed() {
        return service_error(&s, p.lang, Error::Forbidden);
    }
    let mut values = Values::new();
    if let Some(u) = p.user.unit_id {
        values.insert("unit_id".into(), vec![u.to_string()]);
    }
    if let Some(t) = p.user.team_id {
        values.insert("team_ids".into(), vec![t.to_string()]);
    }
    form(&s, &p, &uri.0.to_string(), None, &values, None, StatusCode::OK).await
}

async fn edit_page(State(s): State<AppState>, p: PageUser, uri: OriginalUri, Path(id): Path<i64>) -> Response {
    let v = match s.svc.get_volunteer(&p.user, id, false).await {
        Ok(v) => v,
        Err(e) => return service_error(&s, p.lang, e),
    };
    let one = |x: String| vec![x];
    let values = Values::from([
        ("name".into(), one(v.name.clone())),
        ("phone".into(), one(if v.phone_masked { String::new() } else { v.phone.clone() })),
        ("unit_id".into(), one(v.unit_id.to_string())),
        ("community_id".into(), one(v.community_id.to_string())),
        ("team_ids".into(), v.teams.iter().map(|t| t.id.to_string()).collect()),
        ("skills".into(), v.skills.clone()),
        ("party_member".into(), one(v.party_member.to_string())),
        ("vest_number".into(), one(v.vest_number.clone().unwrap_or_default())),
        ("availability".into(), one(v.availability.clone().unwrap_or_default())),
    ]);
    form(&s, &p, &uri.0.to_string(), Some(id), &values, None, StatusCode::OK).await
}

/// The ID number is never shown in the form; left blank, the stored one stays.
async fn save(s: &AppState, p: &PageUser, path: &str, id: Option<i64>, f: &CsrfForm) -> Response {
    let values = values_of(&f.0);
    let spec = match fields(s, p, &values).await {
        Ok(x) => x,
        Err(e) => return service_error(s, p.lang, e),
    };
    let parsed = read_form::<VolunteerInput>(&spec, &values);
    let result = match parsed {
        Ok(mut input) => {
            if let (Some(id), true) = (id, input.id_number.as_deref().is_none_or(str::is_empty)) {
                input.id_number = s.svc.volunteer_id_number(&p.user, id).await.ok().flatten();
            }
            s.svc.save_volunteer(&p.user, id, &input).await
        }
        Err(inv) => Err(Error::Validation(inv)),
    };
    match result {
        Ok(saved) => see_other(&format!("/volunteers/{saved}"), "saved"),
        Err(Error::Validation(inv)) => form(s, p, path, id, &values, Some(&inv), StatusCode::UNPROCESSABLE_ENTITY).await,
        Err(Error::Conflict { field: Some(fld), code }) => {
            form(s, p, path, id, &values, Some(&Invalid::one(fld, code)), StatusCode::CONFLICT).await
        }
        Err(e) => service_error(s, p.lang, e),
    }
}

async fn create(State(s): State<AppState>, p: PageUser, uri: OriginalUri, f: CsrfForm) -> Response {
    save(&s, &p, &uri.0.to_string(), None, &f).await
}

async fn update(State(s): State<AppState>, p: PageUser, uri: OriginalUri, Path(id): Path<i64>, f: CsrfForm) -> Response {
    save(&s, &p, &uri.0.to_string(), Some(id), &f).await
}

async fn deactivate(State(s): State<AppState>, p: PageUser, Path(id): Path<i64>, _f: CsrfForm) -> Response {
    match s.svc.set_active(&p.user, Resource::Volunteer, id, false).await {
        Ok(()) => see_other(&format!("/volunteers/{id}"), "deactivated"),
        Err(e) => service_error(&s, p.lang, e),
    }
}

async fn reactivate(State(s): State<AppState>, p: PageUser, Path(id): Path<i64>, _f: CsrfForm) -> Response {
    match s.svc.set_active(&p.user, Resource::Volunteer, id, true).await {
        Ok(()) => see_other(&format!("/volunteers/{id}"), "reactivated"),
        Err(e) => service_error(&s, p.lang, e),
    }
}
