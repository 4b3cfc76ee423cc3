//! `/projects`: the catalogue with search (pinyin too), theme and category
//! filters and .xlsx export; a project's page with its activities and what
//! they did over any period; retiring, which asks about activities ahead.

use askama::Template;
use axum::extract::{OriginalUri, Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use tongxing_domain::activities::THEMES;
use tongxing_domain::campaigns::projects::{FutureActivities, Project, ProjectStats};
use tongxing_domain::category::CATEGORIES;
use tongxing_domain::paging::Page;
use tongxing_domain::permission::{scope, Action, Resource};
use tongxing_service::campaigns::projects::{Ahead, Period, Retired};
use tongxing_service::Error;
use tongxing_store::campaigns::projects::Filter;
use tongxing_store::now_ms;

use super::project_form;
use crate::export::xlsx_response;
use crate::extract::{CsrfForm, PageUser};
use crate::i18n::Tr;
use crate::ui::templates::ListPage;
use crate::ui::view::{Cell, Chrome, Pager};
use crate::ui::{choices, render, see_other, service_error, short_time};
use crate::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/projects", get(list).post(project_form::create))
        .route("/projects/new", get(project_form::new_page))
        .route("/projects/{id}", get(page).post(project_form::update))
        .route("/projects/{id}/edit", get(project_form::edit_page))
        .route("/projects/{id}/retire", get(retire_page).post(retire))
}

fn param<'a>(q: &'a [(String, String)], key: &str) -> Option<&'a str> {
    q.iter().find(|(k, _)| k == key).map(|(_, v)| v.trim()).filter(|v| !v.is_empty())
}

const COLUMNS: [&str; 6] =
    ["field.project_name", "field.category", "field.theme", "field.default_minutes", "stat.activities", "field.status"];

fn row(tr: &Tr, p: &Project) -> Vec<Cell> {
    vec![
        Cell::link(&p.name, format!("/projects/{}", p.id), "row-link"),
        Cell::text(tr.t(&format!("category.{}", p.category))),
        Cell::text(p.theme.as_ref().map(|t| tr.t(&format!("theme.{t}"))).unwrap_or_default()),
        Cell::text(p.default_minutes.map(|m| tr.f("project.minutes", m)).unwrap_or_default()),
        Cell::text(p.activities.to_string()),
        Cell::text(tr.t(if p.active { "project.active" } else { "project.retired" })),
    ]
}

async fn list(State(s): State<AppState>, p: PageUser, uri: OriginalUri, Query(q): Query<Vec<(String, String)>>) -> Response {
    let tr = Tr { cat: &s.cat, lang: p.lang };
    let page = Page::new(param(&q, "page").and_then(|v| v.parse().ok()), None);
    let include_retired = param(&q, "include_inactive") == Some("true");
    let known = |k: &str, codes: &[&str]| param(&q, k).filter(|v| codes.contains(v)).map(str::to_string);
    let f = Filter {
        q: param(&q, "q").map(str::to_string),
        theme: known("theme", &THEMES),
        category: known("category", CATEGORIES),
        active: (!include_retired).then_some(true),
    };
    let xlsx = param(&q, "format") == Some("xlsx");
    let fetch = if xlsx { Page { page: 1, per_page: tongxing_service::export::MAX_EXPORT_ROWS } } else { page };
    let items = match s.svc.list_projects(&p.user, &f, fetch).await {
        Ok(l) => l,
        Err(e) => return service_error(&s, p.lang, e),
    };
    if xlsx {
        return xlsx_response(&tr, "projects", &items.items).unwrap_or_else(|e| service_error(&s, p.lang, e));
    }
    let mut export_q: Vec<(String, String)> = q.iter().filter(|(k, _)| k != "page").cloned().collect();
    export_q.push(("format".into(), "xlsx".into()));
    let view = ListPage {
        base: "/projects",
        search_id: "project-search",
        table_id: "project-list",
        q: f.q.clone().unwrap_or_default(),
        search_hint: tr.t("project.search"),
        filters: vec![
            choices(&tr, "theme", "field.theme", "theme", &THEMES, f.theme.as_deref()),
            choices(&tr, "category", "field.category", "category", CATEGORIES, f.category.as_deref()),
        ],
        include_inactive: include_retired,
        total_text: tr.f("list.total", items.total),
        columns: COLUMNS.iter().map(|k| tr.t(k)).collect(),
        rows: items.items.iter().map(|i| row(&tr, i)).collect(),
        pager: Pager::new(&tr, "/projects", &q, page, items.total),
        resource: Resource::Project,
        new_href: Some("/projects/new".into()),
        import_href: None,
        export_href: format!("/projects?{}", serde_urlencoded::to_string(&export_q).unwrap_or_default()),
        c: Chrome::for_page(&s, tr, &p, tr.t("nav.projects"), &uri.0.to_string()),
    };
    render(StatusCode::OK, &view)
}

#[derive(Template)]
#[template(path = "project.html")]
struct ProjectView<'a> {
    c: Chrome<'a>,
    p: Project,
    /// (label, value) of each stated default.
    facts: Vec<(String, String)>,
    stats: ProjectStats,
    /// (href, title, when, status) of each activity on this page.
    activities: Vec<(String, String, String, String)>,
    pager: Pager,
    manage: bool,
    plan: bool,
    period_error: Option<String>,
}

fn facts(tr: &Tr, p: &Project) -> Vec<(String, String)> {
    let mut f = vec![(tr.t("field.category"), tr.t(&format!("category.{}", p.category)))];
    let mut add = |key: &str, v: Option<String>| {
        if let Some(v) = v.filter(|v| !v.is_empty()) {
            f.push((tr.t(key), v));
        }
    };
    add("field.theme", p.theme.as_ref().map(|t| tr.t(&format!("theme.{t}"))));
    add("field.default_minutes", p.default_minutes.map(|m| tr.f("project.minutes", m)));
    add("field.default_capacity", p.default_capacity.map(|c| c.to_string()));
    add("field.default_roles", Some(p.default_roles.iter().map(|r| format!("{}×{}", r.name, r.capacity)).collect::<Vec<_>>().join("、")));
    add("field.risky", p.risky.then(|| tr.t("yes")));
    add("field.adults_only", p.adults_only.then(|| tr.t("yes")));
    add("field.what_to_bring", p.what_to_bring.clone());
    add("field.unit_id", p.unit_name.clone());
    add("field.team_id", p.team_name.clone());
    add("field.description", p.description.clone());
    let retired = p.retired_at.map(|at| [short_time(at), p.retired_by.clone().unwrap_or_default()].join(" ").trim().to_string());
    add("project.retired_at", retired);
    f
}

async fn page(
    State(s): State<AppState>,
    p: PageUser,
    uri: OriginalUri,
    Path(id): Path<i64>,
    Query(q): Query<Vec<(String, String)>>,
) -> Response {
    let tr = Tr { cat: &s.cat, lang: p.lang };
    let project = match s.svc.get_project(&p.user, id).await {
        Ok(x) => x,
        Err(e) => return service_error(&s, p.lang, e),
    };
    let (period, period_error) = match Period::read(param(&q, "from"), param(&q, "to"), now_ms()) {
        Ok(period) => (period, None),
        Err(Error::Validation(inv)) => {
            let msg = inv.0.first().map(|e| tr.t(&format!("error.{}", e.code)));
            (Period::read(None, None, now_ms()).unwrap_or(Period { from: Default::default(), to: Default::default() }), msg)
        }
        Err(e) => return service_error(&s, p.lang, e),
    };
    let pg = Page::new(param(&q, "page").and_then(|v| v.parse().ok()), Some(20));
    let (stats, acts) = match tokio::try_join!(s.svc.project_stats(&p.user, id, period), s.svc.project_activities(&p.user, id, pg)) {
        Ok(x) => x,
        Err(e) => return service_error(&s, p.lang, e),
    };
    let status =
        |a: &tongxing_domain::activities::Activity| tr.t(if a.cancelled { "error.activity_cancelled" } else { "project.activity_on" });
    let view = ProjectView {
        facts: facts(&tr, &project),
        activities: acts
            .items
            .iter()
            .map(|a| (format!("/activities/{}", a.id), a.title.clone(), short_time(a.starts_at), status(a)))
            .collect(),
        pager: Pager::new(&tr, &format!("/projects/{id}"), &q, pg, acts.total),
        stats,
        manage: scope(p.user.role, Action::Write, Resource::Project).allowed(),
        plan: project.active && scope(p.user.role, Action::Write, Resource::Activity).allowed(),
        period_error,
        c: Chrome::for_page(&s, tr, &p, project.name.clone(), &uri.0.to_string()),
        p: project,
    };
    render(StatusCode::OK, &view)
}

#[derive(Template)]
#[template(path = "project_retire.html")]
struct RetireView<'a> {
    c: Chrome<'a>,
    p: Project,
    /// (href, title, when) of each activity ahead.
    ahead: Vec<(String, String, String)>,
}

async fn retire_view(s: &AppState, p: &PageUser, path: &str, id: Option<Project>, ahead: Vec<Ahead>, status: StatusCode) -> Response {
    let tr = Tr { cat: &s.cat, lang: p.lang };
    let Some(project) = id else { return service_error(s, p.lang, Error::NotFound) };
    let view = RetireView {
        ahead: ahead.iter().map(|a| (format!("/activities/{}", a.id), a.title.clone(), short_time(a.starts_at))).collect(),
        c: Chrome::for_page(s, tr, p, tr.f("project.retire_title", &project.name), path),
        p: project,
    };
    render(status, &view)
}

async fn retire_page(State(s): State<AppState>, p: PageUser, uri: OriginalUri, Path(id): Path<i64>) -> Response {
    if !scope(p.user.role, Action::Write, Resource::Project).allowed() {
        return service_error(&s, p.lang, Error::Forbidden);
    }
    match tokio::try_join!(s.svc.get_project(&p.user, id), s.svc.projects_ahead(&p.user, id)) {
        Ok((project, ahead)) => retire_view(&s, &p, &uri.0.to_string(), Some(project), ahead, StatusCode::OK).await,
        Err(e) => service_error(&s, p.lang, e),
    }
}

async fn retire(State(s): State<AppState>, p: PageUser, uri: OriginalUri, Path(id): Path<i64>, f: CsrfForm) -> Response {
    let choice = match f.get("future_activities") {
        Some("keep") => Some(FutureActivities::Keep),
        Some("cancel") => Some(FutureActivities::Cancel),
        _ => None,
    };
    match s.svc.retire_project(&p.user, id, choice).await {
        Ok(Retired::Done { .. }) => see_other(&format!("/projects/{id}"), "project_retired"),
        Ok(Retired::Ask(ahead)) => {
            let project = s.svc.get_project(&p.user, id).await.ok();
            retire_view(&s, &p, &uri.0.to_string(), project, ahead, StatusCode::CONFLICT).await
        }
        Err(e) => service_error(&s, p.lang, e),
    }
}
