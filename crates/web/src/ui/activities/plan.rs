//! `/activities/new`: the plan form for leaders and the center — one
//! activity or a weekly series, with a few role rows; `?copy={id}` fills it
//! from a past activity, moved by whole weeks to the same weekday ahead;
//! `?project_id={id}` from a catalogue project's defaults.

use axum::extract::{OriginalUri, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use chrono::NaiveDateTime;
use tongxing_domain::activities::{parse_time, Activity, ActivityInput, RoleInput, THEMES};
use tongxing_domain::permission::{scope, Action, Resource, Scope};
use tongxing_domain::Invalid;
use tongxing_service::Error;

use super::{local, param};
use crate::extract::{CsrfForm, PageUser};
use crate::i18n::Tr;
use crate::ui::registry::{community_options, team_options};
use crate::ui::templates::FormPage;
use crate::ui::view::{attach_errors, values_of, Chrome, Field, Kind, Values};
use crate::ui::{render, see_other, service_error};
use crate::AppState;

/// A few role rows are enough on a phone; the API takes any number.
const ROLE_NAMES: [&str; 3] = ["role_name_1", "role_name_2", "role_name_3"];
const ROLE_CAPACITIES: [&str; 3] = ["role_capacity_1", "role_capacity_2", "role_capacity_3"];
const WEEK_MS: i64 = 7 * 24 * 3_600_000;

/// The teams the visitor may plan for: a leader only their own.
async fn teams(s: &AppState, p: &PageUser) -> Result<Vec<(String, String)>, Error> {
    let all = team_options(&s.svc, &p.user).await?;
    Ok(match scope(p.user.role, Action::Write, Resource::Activity) {
        Scope::OwnTeam => all.into_iter().filter(|(id, _)| p.user.team_id.map(|t| t.to_string()).as_deref() == Some(id.as_str())).collect(),
        _ => all,
    })
}

async fn fields(s: &AppState, p: &PageUser, v: &Values) -> Result<Vec<Field>, Error> {
    let tr = Tr { cat: &s.cat, lang: p.lang };
    let projects = s.svc.project_options(&p.user).await?.into_iter().map(|(id, name)| (id.to_string(), name));
    let themes = THEMES.iter().map(|t| (t.to_string(), tr.t(&format!("theme.{t}"))));
    let time = |name| {
        let mut f = Field::new(&tr, name, Kind::Text, true, v);
        f.input_type = "datetime-local";
        f
    };
    let mut fs = vec![
        Field::new(&tr, "title", Kind::Text, true, v).labelled(&tr, "field.activity_title"),
        Field::new(&tr, "team_id", Kind::Select { numeric: true }, true, v).with_options(v, teams(s, p).await?),
        Field::new(&tr, "project_id", Kind::Select { numeric: true }, false, v).with_options(v, projects),
        Field::new(&tr, "theme", Kind::Select { numeric: false }, false, v).with_options(v, themes),
        Field::new(&tr, "community_id", Kind::Select { numeric: true }, true, v).with_options(v, community_options(&s.svc, &p.user).await?),
        Field::new(&tr, "address", Kind::Text, false, v),
        time("starts_at"),
        time("ends_at"),
        Field::new(&tr, "repeat_weeks", Kind::Integer, false, v),
        Field::new(&tr, "capacity", Kind::Integer, true, v),
    ];
    for (i, (name, cap)) in ROLE_NAMES.iter().zip(ROLE_CAPACITIES).enumerate() {
        let mut n = Field::new(&tr, name, Kind::Text, false, v);
        n.label = tr.f("activity.role_name", i + 1);
        let mut c = Field::new(&tr, cap, Kind::Integer, false, v);
        c.label = tr.f("activity.role_capacity", i + 1);
        fs.extend([n, c]);
    }
    for (name, kind) in [("risky", Kind::Check), ("insurance", Kind::Text), ("adults_only", Kind::Check), ("walk_ups", Kind::Check)] {
        fs.push(Field::new(&tr, name, kind, false, v));
    }
    fs.push(Field::new(&tr, "description", Kind::Textarea, false, v));
    Ok(fs)
}

async fn form(s: &AppState, p: &PageUser, path: &str, v: &Values, invalid: Option<&Invalid>) -> Response {
    let tr = Tr { cat: &s.cat, lang: p.lang };
    let mut fs = match fields(s, p, v).await {
        Ok(f) => f,
        Err(e) => return service_error(s, p.lang, e),
    };
    if let Some(inv) = invalid {
        attach_errors(&tr, &mut fs, inv);
    }
    let page = FormPage {
        form_id: "activity-form",
        action: "/activities".into(),
        has_errors: invalid.is_some(),
        fields: fs,
        cancel_href: "/activities".into(),
        toggle_action: None,
        toggle_label: String::new(),
        read_only: false,
        extras: Default::default(),
        c: Chrome::for_page(s, tr, p, tr.t("activity.new"), path),
    };
    render(if invalid.is_some() { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK }, &page)
}

/// The empty form (a leader's own team chosen), or a copy of `?copy={id}`.
pub async fn new_page(State(s): State<AppState>, p: PageUser, uri: OriginalUri, Query(q): Query<Vec<(String, String)>>) -> Response {
    if !scope(p.user.role, Action::Write, Resource::Activity).allowed() {
        return service_error(&s, p.lang, Error::Forbidden);
    }
    let mut v = Values::new();
    if let Some(id) = param(&q, "copy").and_then(|c| c.parse().ok()) {
        match s.svc.get_activity(&p.user, id).await {
            Ok(a) => v = copied(&a, tongxing_store::now_ms()),
            Err(e) => return service_error(&s, p.lang, e),
        }
    }
    if let Some(id) = param(&q, "project_id").and_then(|c| c.parse().ok()) {
        let tr = Tr { cat: &s.cat, lang: p.lang };
        let rows: Vec<(&str, &str)> = ROLE_NAMES.into_iter().zip(ROLE_CAPACITIES).collect();
        match s.svc.get_project(&p.user, id).await {
            Ok(project) => v = crate::ui::campaigns::prefill::from_project(&tr, &project, tongxing_store::now_ms(), &rows),
            Err(e) => return service_error(&s, p.lang, e),
        }
    }
    if let Err(e) = gap_prefill(&s, &p, &q, &mut v).await {
        return service_error(&s, p.lang, e);
    }
    if scope(p.user.role, Action::Write, Resource::Activity) == Scope::OwnTeam {
        if let Some(t) = p.user.team_id {
            v.insert("team_id".into(), vec![t.to_string()]);
        }
    }
    form(&s, &p, &uri.0.to_string(), &v, None).await
}

/// A campaign calendar's gap link (`?district_id=&theme=&date=YYYY-MM-DD`):
/// the theme, a morning on that day, and the district's first community.
async fn gap_prefill(s: &AppState, p: &PageUser, q: &[(String, String)], v: &mut Values) -> Result<(), Error> {
    if let Some(t) = param(q, "theme").filter(|t| THEMES.contains(t)) {
        v.insert("theme".into(), vec![t.to_string()]);
    }
    if let Some(d) = param(q, "date").and_then(tongxing_domain::campaigns::campaign::parse_date) {
        v.insert("starts_at".into(), vec![format!("{d}T09:00")]);
        v.insert("ends_at".into(), vec![format!("{d}T11:00")]);
    }
    if let Some(d) = param(q, "district_id").and_then(|d| d.parse().ok()) {
        let f = tongxing_store::registry::communities::Filter { district_id: Some(d), ..Default::default() };
        let first = s.svc.list_communities(&p.user, &f, tongxing_domain::paging::Page { page: 1, per_page: 1 }).await?.items;
        v.extend(first.first().map(|c| ("community_id".to_string(), vec![c.id.to_string()])));
    }
    Ok(())
}

/// The form's values from a past activity: the same plan, moved by whole
/// weeks to the first same weekday after `now` (at least one week on).
fn copied(a: &Activity, now: i64) -> Values {
    let weeks = if a.starts_at + WEEK_MS > now { 1 } else { (now - a.starts_at) / WEEK_MS + 1 };
    let at = |ms: i64| local(ms + weeks * WEEK_MS).format("%Y-%m-%dT%H:%M").to_string();
    let mut v = Values::new();
    let mut set = |k: &str, val: String| {
        v.insert(k.to_string(), vec![val]);
    };
    set("title", a.title.clone());
    set("team_id", a.team_id.to_string());
    set("community_id", a.community_id.to_string());
    set("starts_at", at(a.starts_at));
    set("ends_at", at(a.ends_at));
    set("capacity", a.capacity.to_string());
    let optional = [("project_id", a.project_id.map(|x| x.to_string())), ("theme", a.theme.clone()), ("address", a.address.clone())];
    for (k, val) in optional.into_iter().chain([("description", a.description.clone())]) {
        set(k, val.unwrap_or_default());
    }
    for (k, on) in [("risky", a.risky), ("adults_only", a.adults_only), ("walk_ups", a.walk_ups)] {
        set(k, on.to_string());
    }
    for (i, r) in a.roles.iter().take(ROLE_NAMES.len()).enumerate() {
        set(ROLE_NAMES[i], r.name.clone());
        set(ROLE_CAPACITIES[i], r.capacity.to_string());
    }
    v
}

/// A phone's `datetime-local` value ("2026-12-05T09:00") as the region's
/// RFC 3339 time; anything else is passed on for the rules to refuse.
fn rfc3339_of(s: &str) -> String {
    if parse_time(s).is_some() {
        return s.to_string();
    }
    ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"]
        .iter()
        .find_map(|f| NaiveDateTime::parse_from_str(s, f).ok())
        .map(|t| t.format("%Y-%m-%dT%H:%M:%S+08:00").to_string())
        .unwrap_or_else(|| s.to_string())
}

/// The plan as the API takes it, the form problems the rules cannot see
/// (missing choices, unreadable numbers), and which role row each role came from.
fn read(v: &Values) -> (ActivityInput, Invalid, Vec<usize>) {
    let text = |k: &str| v.get(k).and_then(|x| x.first()).map(|s| s.trim().to_string()).filter(|s| !s.is_empty());
    let mut bad = Invalid::default();
    let mut int = |k: &str, required: bool| -> Option<i64> {
        match text(k).map(|t| t.parse::<i64>()) {
            Some(Ok(n)) => Some(n),
            Some(Err(_)) => {
                bad.push(k, "number_format");
                None
            }
            None if required => {
                bad.push(k, "required");
                None
            }
            None => None,
        }
    };
    let (team_id, community_id, capacity) = (int("team_id", true), int("community_id", true), int("capacity", true));
    let (project_id, repeat_weeks) = (int("project_id", false), int("repeat_weeks", false));
    let mut roles = Vec::new();
    let mut rows = Vec::new();
    for (i, (name, cap)) in ROLE_NAMES.iter().zip(ROLE_CAPACITIES).enumerate() {
        let filled = text(name).is_some() || text(cap).is_some();
        if let (true, Some(c)) = (filled, int(cap, filled)) {
            roles.push(RoleInput { name: text(name).unwrap_or_default(), capacity: c });
            rows.push(i);
        }
    }
    let on = |k: &str| text(k).as_deref() == Some("true");
    let input = ActivityInput {
        title: text("title").unwrap_or_default(),
        team_id: team_id.unwrap_or_default(),
        community_id: community_id.unwrap_or_default(),
        starts_at: rfc3339_of(&text("starts_at").unwrap_or_default()),
        ends_at: rfc3339_of(&text("ends_at").unwrap_or_default()),
        capacity: capacity.unwrap_or(1),
        project_id,
        theme: text("theme"),
        address: text("address"),
        description: text("description"),
        roles,
        risky: on("risky"),
        insurance: text("insurance"),
        adults_only: on("adults_only"),
        walk_ups: on("walk_ups"),
        repeat_weeks: repeat_weeks.unwrap_or(0),
    };
    (input, bad, rows)
}

/// The rules name roles by position among those given (`roles[0].name`);
/// the form names them by row.
fn to_rows(inv: Invalid, rows: &[usize]) -> Invalid {
    let mut out = Invalid::default();
    for e in inv.0 {
        let at = e
            .field
            .strip_prefix("roles[")
            .and_then(|r| r.split_once("]."))
            .and_then(|(k, f)| Some((rows.get(k.parse::<usize>().ok()?)?, f)));
        let field = match at {
            Some((row, "name")) => ROLE_NAMES[*row].to_string(),
            Some((row, _)) => ROLE_CAPACITIES[*row].to_string(),
            None => e.field,
        };
        out.0.push(tongxing_domain::FieldError { field, code: e.code });
    }
    out
}

pub async fn create(State(s): State<AppState>, p: PageUser, uri: OriginalUri, f: CsrfForm) -> Response {
    let v = values_of(&f.0);
    let (input, mut bad, rows) = read(&v);
    let result = if bad.is_empty() {
        s.svc.plan_activity(&p.user, &input).await
    } else {
        bad.merge(input.check().err().unwrap_or_default());
        Err(Error::Validation(bad))
    };
    match result {
        Ok(ids) => see_other(&format!("/activities/{}", ids[0]), if ids.len() > 1 { "planned_series" } else { "planned" }),
        Err(Error::Validation(inv)) => form(&s, &p, &uri.0.to_string(), &v, Some(&to_rows(inv, &rows))).await,
        Err(e) => service_error(&s, p.lang, e),
    }
}
