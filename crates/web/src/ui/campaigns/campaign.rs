//! `/campaigns`: the list, the form to launch or edit a campaign, and a
//! campaign's page (goals with bars, the rotation grid with status badges
//! and clashes, progress per district); .xlsx of the list, rotation and progress.

use askama::Template;
use axum::extract::{OriginalUri, Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::routing::{get, post};
use axum::Router;
use tongxing_domain::activities::THEMES;
use tongxing_domain::campaigns::campaign::{CampaignInput, GoalInput, METRICS};
use tongxing_domain::campaigns::view::{Campaign, CampaignItem};
use tongxing_domain::paging::Page;
use tongxing_domain::permission::{scope, Action, Resource, Scope};
use tongxing_domain::Invalid;
use tongxing_service::Error;

use super::rotation::{slot_form, SlotForm};
use crate::export::{xlsx_response, ExportRow};
use crate::extract::{CsrfForm, PageUser};
use crate::i18n::Tr;
use crate::ui::registry::kinds::district_options;
use crate::ui::view::{Chrome, Opt};
use crate::ui::{render, see_other, service_error};
use crate::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/campaigns", get(list).post(create))
        .route("/campaigns/new", get(new_page))
        .route("/campaigns/{id}", get(page))
        .route("/campaigns/{id}/edit", get(edit_page).post(update))
        .route("/campaigns/{id}/rotation.xlsx", get(rotation_xlsx))
        .route("/campaigns/{id}/progress.xlsx", get(progress_xlsx))
        .merge(super::rotation::router())
        .merge(super::calendar::router())
        .route("/campaigns/{id}/rotation", post(super::rotation::generate))
}

pub(super) fn theme_labels(tr: &Tr, themes: &[String]) -> Vec<(String, String)> {
    themes.iter().map(|t| (t.clone(), tr.t(&format!("theme.{t}")))).collect()
}

#[derive(Template)]
#[template(path = "campaigns/list.html")]
struct ListPage<'a> {
    c: Chrome<'a>,
    items: Vec<(CampaignItem, Vec<(String, String)>)>,
}

impl ExportRow for CampaignItem {
    const HEADINGS: &'static [&'static str] =
        &["campaign.name", "campaign.starts_on", "campaign.ends_on", "campaign.themes", "campaign.slots"];
    fn cells(&self, tr: &Tr) -> Vec<String> {
        let themes = self.themes.iter().map(|t| tr.t(&format!("theme.{t}"))).collect::<Vec<_>>().join("、");
        vec![self.name.clone(), self.starts_on.clone(), self.ends_on.clone(), themes, self.slots.to_string()]
    }
}

async fn list(State(s): State<AppState>, p: PageUser, uri: OriginalUri, Query(q): Query<Vec<(String, String)>>) -> Response {
    let tr = Tr { cat: &s.cat, lang: p.lang };
    let list = match s.svc.list_campaigns(&p.user, Page { page: 1, per_page: 500 }).await {
        Ok(l) => l,
        Err(e) => return service_error(&s, p.lang, e),
    };
    if q.iter().any(|(k, v)| k == "format" && v == "xlsx") {
        return xlsx_response(&tr, "campaigns", &list.items).unwrap_or_else(|e| service_error(&s, p.lang, e));
    }
    let items = list.items.into_iter().map(|i| (theme_labels(&tr, &i.themes), i)).map(|(t, i)| (i, t)).collect();
    render(StatusCode::OK, &ListPage { c: Chrome::for_page(&s, tr, &p, tr.t("nav.campaigns"), &uri.0.to_string()), items })
}

#[derive(Template)]
#[template(path = "campaigns/form.html")]
struct FormPage<'a> {
    c: Chrome<'a>,
    action: String,
    values: Vec<(String, String)>,
    themes: Vec<Opt>,
    goal_fields: Vec<(String, String)>,
    errors: Vec<(String, String)>,
}

impl FormPage<'_> {
    fn v(&self, k: &str) -> &str {
        self.values.iter().find(|(x, _)| x == k).map_or("", |(_, v)| v.as_str())
    }
    fn error(&self, field: &str) -> Option<&str> {
        self.errors.iter().find(|(f, _)| f == field).map(|(_, m)| m.as_str())
    }
}

/// A goal input: its form key, and the goal it sets (theme or district, measure).
struct GoalKey {
    key: String,
    theme: Option<&'static str>,
    district: Option<(i64, String)>,
    metric: &'static str,
}

/// Measures a district's goals are set in on the form (PRODUCT.md C5: goals per district).
const DISTRICT_METRICS: [&str; 2] = ["activities", "hours"];

/// The goal inputs: each measure overall, activities per theme, and
/// activities and hours per district (`districts`: id and name).
fn goal_keys(districts: &[(String, String)]) -> Vec<GoalKey> {
    let mut keys: Vec<_> = METRICS.iter().map(|m| GoalKey { key: format!("goal_{m}"), theme: None, district: None, metric: m }).collect();
    keys.extend(THEMES.iter().map(|t| GoalKey {
        key: format!("goal_activities_{t}"),
        theme: Some(*t),
        district: None,
        metric: "activities",
    }));
    for (id, name) in districts {
        let Ok(d) = id.parse::<i64>() else { continue };
        keys.extend(DISTRICT_METRICS.iter().map(|m| GoalKey {
            key: format!("goal_{m}_d{d}"),
            theme: None,
            district: Some((d, name.clone())),
            metric: m,
        }));
    }
    keys
}

/// Whether the form has a field for a goal: goals without one are kept as they were on save.
fn has_field(theme: Option<&str>, district: Option<i64>, metric: &str) -> bool {
    match (theme, district) {
        (None, None) => true,
        (Some(_), None) => metric == "activities",
        (None, Some(_)) => DISTRICT_METRICS.contains(&metric),
        (Some(_), Some(_)) => false,
    }
}

fn read(f: &[(String, String)], districts: &[(String, String)]) -> (CampaignInput, Invalid) {
    let get = |k: &str| f.iter().find(|(x, _)| x == k).map(|(_, v)| v.trim().to_string()).unwrap_or_default();
    let mut bad = Invalid::default();
    let mut goals = Vec::new();
    for g in goal_keys(districts) {
        match get(&g.key).parse::<f64>() {
            Ok(target) => goals.push(GoalInput {
                metric: g.metric.into(),
                theme: g.theme.map(Into::into),
                district_id: g.district.map(|(d, _)| d),
                target,
            }),
            Err(_) if get(&g.key).is_empty() => {}
            Err(_) => bad.push("goals", "number_format"),
        }
    }
    let input = CampaignInput {
        name: get("name"),
        starts_on: get("starts_on"),
        ends_on: get("ends_on"),
        themes: f.iter().filter(|(k, _)| k == "themes").map(|(_, v)| v.clone()).collect(),
        goals,
        exclusive_themes: get("exclusive_themes") == "true",
        allow_overlap: get("allow_overlap") == "true",
        warn_days: get("warn_days").parse().ok(),
    };
    (input, bad)
}

async fn form(s: &AppState, p: &PageUser, path: &str, action: String, values: Vec<(String, String)>, invalid: Option<Invalid>) -> Response {
    let tr = Tr { cat: &s.cat, lang: p.lang };
    let districts = match district_options(&s.svc, &p.user).await {
        Ok(d) => d,
        Err(e) => return service_error(s, p.lang, e),
    };
    let chosen: Vec<&str> = values.iter().filter(|(k, _)| k == "themes").map(|(_, v)| v.as_str()).collect();
    let themes =
        THEMES.iter().map(|t| Opt { value: t.to_string(), label: tr.t(&format!("theme.{t}")), selected: chosen.contains(t) }).collect();
    let goal_fields = goal_keys(&districts)
        .into_iter()
        .map(|g| {
            let label = match (g.theme, &g.district) {
                (Some(t), _) => tr.f("campaign.goal_theme", tr.t(&format!("theme.{t}"))),
                (None, Some((_, name))) => tr.f(&format!("campaign.goal_district_{}", g.metric), name),
                (None, None) => tr.t(&format!("campaign.goal_{}", g.metric)),
            };
            (g.key, label)
        })
        .collect();
    let errors =
        invalid.as_ref().map_or(Vec::new(), |i| i.0.iter().map(|e| (e.field.clone(), tr.t(&format!("error.{}", e.code)))).collect());
    let status = if invalid.is_some() { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    let c = Chrome::for_page(s, tr, p, tr.t("campaign.new"), path);
    render(status, &FormPage { c, action, values, themes, goal_fields, errors })
}

fn may_write(p: &PageUser) -> bool {
    scope(p.user.role, Action::Write, Resource::Campaign) == Scope::All
}

async fn new_page(State(s): State<AppState>, p: PageUser, uri: OriginalUri) -> Response {
    if !may_write(&p) {
        return service_error(&s, p.lang, Error::Forbidden);
    }
    let mut values: Vec<(String, String)> = THEMES.iter().map(|t| ("themes".to_string(), t.to_string())).collect();
    values.push(("warn_days".into(), "7".into()));
    form(&s, &p, &uri.0.to_string(), "/campaigns".into(), values, None).await
}

async fn save(s: &AppState, p: &PageUser, path: &str, id: Option<i64>, f: CsrfForm) -> Response {
    let districts = match district_options(&s.svc, &p.user).await {
        Ok(d) => d,
        Err(e) => return service_error(s, p.lang, e),
    };
    let (mut input, bad) = read(&f.0, &districts);
    let action = id.map_or("/campaigns".to_string(), |i| format!("/campaigns/{i}/edit"));
    // Goals the form has no field for (hours per theme, say) are kept as they were.
    if let Some(id) = id {
        match s.svc.campaign(&p.user, id, tongxing_store::now_ms()).await {
            Ok(k) => input.goals.extend(
                k.goals.into_iter().filter(|g| !has_field(g.theme.as_deref(), g.district_id, &g.metric)).map(|g| GoalInput {
                    metric: g.metric,
                    theme: g.theme,
                    district_id: g.district_id,
                    target: g.target,
                }),
            ),
            Err(e) => return service_error(s, p.lang, e),
        }
    }
    if !bad.is_empty() {
        return form(s, p, path, action, f.0, Some(bad)).await;
    }
    match s.svc.save_campaign(&p.user, id, &input).await {
        Ok(id) => see_other(&format!("/campaigns/{id}"), "saved"),
        Err(Error::Validation(inv)) => form(s, p, path, action, f.0, Some(inv)).await,
        Err(e) => service_error(s, p.lang, e),
    }
}

async fn create(State(s): State<AppState>, p: PageUser, uri: OriginalUri, f: CsrfForm) -> Response {
    save(&s, &p, &uri.0.to_string(), None, f).await
}

async fn update(State(s): State<AppState>, p: PageUser, uri: OriginalUri, Path(id): Path<i64>, f: CsrfForm) -> Response {
    save(&s, &p, &uri.0.to_string(), Some(id), f).await
}

async fn edit_page(State(s): State<AppState>, p: PageUser, uri: OriginalUri, Path(id): Path<i64>) -> Response {
    if !may_write(&p) {
        return service_error(&s, p.lang, Error::Forbidden);
    }
    let k = match s.svc.campaign(&p.user, id, tongxing_store::now_ms()).await {
        Ok(k) => k,
        Err(e) => return service_error(&s, p.lang, e),
    };
    let mut values =
        vec![("name".to_string(), k.name.clone()), ("starts_on".into(), k.starts_on.clone()), ("ends_on".into(), k.ends_on.clone())];
    values.extend(k.themes.iter().map(|t| ("themes".to_string(), t.clone())));
    values.extend([
        ("warn_days".to_string(), k.warn_days.to_string()),
        ("exclusive_themes".into(), k.exclusive_themes.to_string()),
        ("allow_overlap".into(), k.allow_overlap.to_string()),
    ]);
    for g in k.goals.iter().filter(|g| has_field(g.theme.as_deref(), g.district_id, &g.metric)) {
        let key = match (&g.theme, g.district_id) {
            (Some(t), _) => format!("goal_activities_{t}"),
            (None, Some(d)) => format!("goal_{}_d{d}", g.metric),
            (None, None) => format!("goal_{}", g.metric),
        };
        values.push((key, g.target.to_string()));
    }
    form(&s, &p, &uri.0.to_string(), format!("/campaigns/{id}/edit"), values, None).await
}

#[derive(Template)]
#[template(path = "campaigns/campaign.html")]
pub(super) struct CampaignPage<'a> {
    pub c: Chrome<'a>,
    pub k: Campaign,
    pub themes: Vec<(String, String)>,
    /// (label, shown value, percent) per goal.
    pub goals: Vec<(String, String, i64)>,
    pub clashes: Vec<String>,
    pub periods: Vec<String>,
    pub grid: Vec<(String, Vec<Vec<super::rotation::Cell>>)>,
    pub may_write: bool,
    pub feed_url: String,
    pub slot_action: String,
    pub editing: Option<i64>,
    pub districts: Vec<Opt>,
    pub theme_opts: Vec<Opt>,
    pub values: Vec<(String, String)>,
    pub errors: Vec<(String, String)>,
}

impl CampaignPage<'_> {
    fn v(&self, k: &str) -> &str {
        self.values.iter().find(|(x, _)| x == k).map_or("", |(_, v)| v.as_str())
    }
    fn error(&self, field: &str) -> Option<&str> {
        self.errors.iter().find(|(f, _)| f == field).map(|(_, m)| m.as_str())
    }
}

async fn page(
    State(s): State<AppState>,
    p: PageUser,
    uri: OriginalUri,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Query(q): Query<Vec<(String, String)>>,
) -> Response {
    let editing = q.iter().find(|(k, _)| k == "edit").and_then(|(_, v)| v.parse().ok());
    slot_form(&s, &p, &uri.0.to_string(), &headers, id, SlotForm { editing, values: None, invalid: None }).await
}

async fn rotation_xlsx(State(s): State<AppState>, p: PageUser, Path(id): Path<i64>) -> Response {
    let tr = Tr { cat: &s.cat, lang: p.lang };
    match s.svc.campaign(&p.user, id, tongxing_store::now_ms()).await {
        Ok(k) => xlsx_response(&tr, "rotation", &k.slots).unwrap_or_else(|e| service_error(&s, p.lang, e)),
        Err(e) => service_error(&s, p.lang, e),
    }
}

async fn progress_xlsx(State(s): State<AppState>, p: PageUser, Path(id): Path<i64>) -> Response {
    let tr = Tr { cat: &s.cat, lang: p.lang };
    match s.svc.campaign(&p.user, id, tongxing_store::now_ms()).await {
        Ok(k) => xlsx_response(&tr, "progress", &k.progress.by_district).unwrap_or_else(|e| service_error(&s, p.lang, e)),
        Err(e) => service_error(&s, p.lang, e),
    }
}
