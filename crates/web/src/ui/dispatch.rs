//! 应急调度 pages for the center and liaisons: the call form with its preview
//! of the split, the live board, roll call and report. The answer page a
//! volunteer's SMS links to is `dispatch_answer`.

use askama::Template;
use axum::extract::{OriginalUri, Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use axum::Router;
use tongxing_domain::dispatch::{DispatchInput, QuotaInput};
use tongxing_domain::paging::Page;
use tongxing_domain::permission::{Action, Resource};
use tongxing_service::dispatch::{Board, Preview, Report, RosterLine};
use tongxing_store::dispatch::Call;
use tongxing_store::registry::{communities, units};

use super::needs::short_time;
use super::view::{Chrome, Opt};
use super::{render, see_other, service_error};
use crate::extract::{CsrfForm, PageUser, PublicBase};
use crate::i18n::Tr;
use crate::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/dispatch", get(calls).post(send))
        .route("/dispatch/{id}", get(board))
        .route("/dispatch/{id}/wave", post(wave))
        .route("/dispatch/{id}/close", post(close))
        .route("/dispatch/{id}/top-up", post(top_up))
        .route("/dispatch/{id}/commit", post(commit))
        .route("/dispatch/{id}/roster", get(roster))
        .route("/dispatch/{id}/report", get(report))
}

/// The call form's values as typed, so a refused or previewed form keeps them.
#[derive(Default)]
pub struct CallForm {
    title: String,
    community_id: i64,
    address: String,
    starts_at: String,
    ends_at: String,
    needed: String,
    skills: Vec<String>,
    radius_km: String,
    /// A point to gather at, when it is not the community's own.
    lat: String,
    lng: String,
    unit_ids: Vec<i64>,
}

#[derive(Template)]
#[template(path = "dispatch_calls.html")]
struct CallsPage<'a> {
    c: Chrome<'a>,
    calls: Vec<CallRow>,
    form: CallForm,
    communities: Vec<Opt>,
    units: Vec<Opt>,
    /// The region's skills, ticked as chosen.
    skills: Vec<Opt>,
    errors: Vec<(String, String)>,
    preview: Option<Preview>,
    unit_names: Vec<(i64, String)>,
}

impl CallsPage<'_> {
    fn error(&self, field: &str) -> Option<&str> {
        self.errors.iter().find(|(f, _)| f == field).map(|(_, m)| m.as_str())
    }
    fn unit_name(&self, id: &i64) -> &str {
        self.unit_names.iter().find(|(u, _)| u == id).map_or("", |(_, n)| n.as_str())
    }
    /// The quotas of the preview added up, against what the call needs.
    fn quota_total(&self) -> u32 {
        self.preview.as_ref().map_or(0, |p| p.quotas.iter().map(|q| q.quota).sum())
    }
}

struct CallRow {
    id: i64,
    title: String,
    when: String,
    fill: String,
    status: String,
    status_class: &'static str,
}

fn status_class(status: &str) -> &'static str {
    match status {
        "open" => "badge level-orange",
        "filled" => "badge level-blue",
        _ => "badge level-none",
    }
}

fn call_row(tr: &Tr, c: &Call) -> CallRow {
    CallRow {
        id: c.id,
        title: c.title.clone(),
        when: short_time(c.starts_at),
        fill: format!("{} / {}", c.confirmed, c.needed),
        status: tr.t(&format!("dispatch_status.{}", c.status)),
        status_class: status_class(&c.status),
    }
}

/// `2026-07-14T09:00` from a datetime-local input, in the region's zone.
fn local_time(v: &str) -> String {
    let v = v.trim();
    if v.len() == 16 {
        format!("{v}:00+08:00")
    } else {
        v.to_string()
    }
}

fn input_of(f: &CsrfForm) -> (CallForm, DispatchInput) {
    let text = |k: &str| f.get(k).unwrap_or_default().trim().to_string();
    let unit_ids: Vec<i64> = f.0.iter().filter(|(k, _)| k == "unit_ids").filter_map(|(_, v)| v.parse().ok()).collect();
    let skills: Vec<String> =
        f.0.iter().filter(|(k, _)| k == "skills").map(|(_, v)| v.trim().to_string()).filter(|v| !v.is_empty()).collect();
    let form = CallForm {
        title: text("title"),
        community_id: text("community_id").parse().unwrap_or(0),
        address: text("address"),
        starts_at: text("starts_at"),
        ends_at: text("ends_at"),
        needed: text("needed"),
        skills: skills.clone(),
        radius_km: text("radius_km"),
        lat: text("lat"),
        lng: text("lng"),
        unit_ids: unit_ids.clone(),
    };
    // Quotas typed on the preview, one field per unit.
    let quotas: Vec<QuotaInput> =
        f.0.iter()
            .filter_map(|(k, v)| Some(QuotaInput { unit_id: k.strip_prefix("quota_")?.parse().ok()?, quota: v.trim().parse().ok()? }))
            .collect();
    let input = DispatchInput {
        title: form.title.clone(),
        community_id: form.community_id,
        address: Some(form.address.clone()),
        starts_at: local_time(&form.starts_at),
        ends_at: local_time(&form.ends_at),
        needed: form.needed.parse().unwrap_or(0),
        skills,
        unit_ids,
        radius_km: form.radius_km.parse().ok(),
        lat: form.lat.parse().ok(),
        lng: form.lng.parse().ok(),
        quotas: (!quotas.is_empty()).then_some(quotas),
        ..Default::default()
    };
    (form, input)
}

async fn calls_page(
    s: &AppState,
    p: &PageUser,
    path: &str,
    form: CallForm,
    outcome: Result<Option<Preview>, tongxing_service::Error>,
) -> Response {
    let tr = Tr { cat: &s.cat, lang: p.lang };
    let (preview, errors, status) = match outcome {
        Ok(preview) => (preview, Vec::new(), StatusCode::OK),
        Err(tongxing_service::Error::Validation(inv)) => {
            let errors = inv.0.iter().map(|e| (e.field.clone(), tr.t(&format!("error.{}", e.code)))).collect();
            (None, errors, StatusCode::UNPROCESSABLE_ENTITY)
        }
        Err(e) => return service_error(s, p.lang, e),
    };
    let all = Page { page: 1, per_page: 10_000 };
    let (calls, places, unit_list, skill_names) = match (
        s.svc.dispatches(&p.user).await,
        communities::list(&s.svc.db, &Default::default(), all).await,
        units::list(&s.svc.db, &Default::default(), all).await,
        tongxing_store::dispatch::pool::skill_names(&s.svc.db).await,
    ) {
        (Ok(c), Ok(pl), Ok(u), Ok(k)) => (c, pl.items, u.items, k),
        (Err(e), ..) => return service_error(s, p.lang, e),
        (_, Err(e), _, _) | (_, _, Err(e), _) | (_, _, _, Err(e)) => return service_error(s, p.lang, e.into()),
    };
    let communities = places
        .iter()
        .map(|c| Opt {
            value: c.id.to_string(), label: format!("{}（{}）", c.name, c.district_name), selected: c.id == form.community_id
        })
        .collect();
    let units =
        unit_list.iter().map(|u| Opt { value: u.id.to_string(), label: u.name.clone(), selected: form.unit_ids.contains(&u.id) }).collect();
    let skills = skill_names.into_iter().map(|k| Opt { selected: form.skills.contains(&k), value: k.clone(), label: k }).collect();
    let view = CallsPage {
        calls: calls.iter().map(|c| call_row(&tr, c)).collect(),
        skills,
        form,
        communities,
        units,
        errors,
        preview,
        unit_names: unit_list.into_iter().map(|u| (u.id, u.name)).collect(),
        c: Chrome::for_page(s, tr, p, tr.t("nav.dispatch"), path),
    };
    render(status, &view)
}

async fn calls(State(s): State<AppState>, p: PageUser, uri: OriginalUri) -> Response {
    calls_page(&s, &p, &uri.0.to_string(), CallForm { radius_km: "30".into(), ..Default::default() }, Ok(None)).await
}

/// "Preview" shows the split (editable); "send" sends the call.
async fn send(State(s): State<AppState>, p: PageUser, uri: OriginalUri, PublicBase(base): PublicBase, f: CsrfForm) -> Response {
    let (form, input) = input_of(&f);
    if f.get("action") == Some("preview") {
        let outcome = s.svc.preview_dispatch(&p.user, &DispatchInput { quotas: None, ..input }).await.map(Some);
        return calls_page(&s, &p, &uri.0.to_string(), form, outcome).await;
    }
    match s.svc.create_dispatch(&p.user, &input, &base).await {
        Ok(created) => see_other(&format!("/dispatch/{}", created.id), "dispatch_sent"),
        Err(e) => calls_page(&s, &p, &uri.0.to_string(), form, Err(e)).await,
    }
}

#[derive(Template)]
#[template(path = "dispatch_board.html")]
struct BoardPage<'a> {
    c: Chrome<'a>,
    b: Board,
    status: String,
    status_class: &'static str,
    when: String,
    percent: i64,
    may_send: bool,
    /// For a liaison: their unit's people who could come, `(id, name, km)`.
    commit: Vec<(i64, String, String)>,
}

async fn board(State(s): State<AppState>, p: PageUser, uri: OriginalUri, Path(id): Path<i64>) -> Response {
    let tr = Tr { cat: &s.cat, lang: p.lang };
    let b = match s.svc.dispatch_board(&p.user, id).await {
        Ok(b) => b,
        Err(e) => return service_error(&s, p.lang, e),
    };
    let position = tongxing_store::dispatch::last_event_of(&s.svc.db, id).await.ok();
    let may_send = tongxing_domain::permission::scope(
        p.user.role,
        tongxing_domain::permission::Action::Write,
        tongxing_domain::permission::Resource::Dispatch,
    ) == tongxing_domain::permission::Scope::All
        && b.call.status != "closed";
    let commit = if p.user.role == tongxing_domain::role::Role::Liaison && b.call.status != "closed" {
        match unit_people(&s, &p, id).await {
            Ok(c) => c,
            Err(e) => return service_error(&s, p.lang, e),
        }
    } else {
        Vec::new()
    };
    let view = BoardPage {
        commit,
        status: tr.t(&format!("dispatch_status.{}", b.call.status)),
        status_class: status_class(&b.call.status),
        when: format!("{} – {}", short_time(b.call.starts_at), short_time(b.call.ends_at)),
        percent: (b.call.confirmed * 100).checked_div(b.call.needed).unwrap_or(0),
        may_send,
        c: Chrome::for_page(&s, tr, &p, b.call.title.clone(), &uri.0.to_string())
            .live(&format!("/api/v1/dispatches/{id}/events"), position),
        b,
    };
    render(StatusCode::OK, &view)
}

/// A liaison's own people who could come, best first (at most 50 on the page).
async fn unit_people(s: &AppState, p: &PageUser, id: i64) -> Result<Vec<(i64, String, String)>, tongxing_service::Error> {
    let people: Vec<_> = s.svc.unit_candidates(&p.user, id).await?.into_iter().take(50).collect();
    let ids: Vec<i64> = people.iter().map(|r| r.volunteer_id).collect();
    let mut names = tongxing_store::registry::volunteers::names_of(&s.svc.db, &ids).await?;
    Ok(people.iter().filter_map(|r| Some((r.volunteer_id, names.remove(&r.volunteer_id)?, format!("{:.1}", r.distance_km)))).collect())
}

/// A liaison commits the people ticked on the board.
async fn commit(State(s): State<AppState>, p: PageUser, Path(id): Path<i64>, f: CsrfForm) -> Response {
    let ids: Vec<i64> = f.0.iter().filter(|(k, _)| k == "volunteer_ids").filter_map(|(_, v)| v.parse().ok()).collect();
    match s.svc.commit_people(&p.user, id, &ids).await {
        Ok(_) => see_other(&format!("/dispatch/{id}"), "dispatch_committed"),
        Err(e) => service_error(&s, p.lang, e),
    }
}

async fn wave(State(s): State<AppState>, p: PageUser, PublicBase(base): PublicBase, Path(id): Path<i64>, _f: CsrfForm) -> Response {
    match s.svc.send_wave(&p.user, id, &base).await {
        Ok(w) if w.notified == 0 => see_other(&format!("/dispatch/{id}"), "dispatch_nobody_left"),
        Ok(_) => see_other(&format!("/dispatch/{id}"), "dispatch_wave_sent"),
        Err(e) => service_error(&s, p.lang, e),
    }
}

async fn top_up(State(s): State<AppState>, p: PageUser, PublicBase(base): PublicBase, Path(id): Path<i64>, f: CsrfForm) -> Response {
    let add = f.get("add").and_then(|v| v.trim().parse().ok()).unwrap_or(0);
    match s.svc.top_up_dispatch(&p.user, id, add, &base).await {
        Ok(_) => see_other(&format!("/dispatch/{id}"), "dispatch_topped_up"),
        Err(e) => service_error(&s, p.lang, e),
    }
}

async fn close(State(s): State<AppState>, p: PageUser, Path(id): Path<i64>, _f: CsrfForm) -> Response {
    match s.svc.close_dispatch(&p.user, id).await {
        Ok(_) => see_other(&format!("/dispatch/{id}"), "dispatch_closed"),
        Err(e) => service_error(&s, p.lang, e),
    }
}

#[derive(Template)]
#[template(path = "dispatch_roster.html")]
struct RosterPage<'a> {
    c: Chrome<'a>,
    id: i64,
    title: String,
    when: String,
    lines: Vec<RosterLine>,
    activity_id: Option<i64>,
}

async fn roster(State(s): State<AppState>, p: PageUser, uri: OriginalUri, Path(id): Path<i64>) -> Response {
    let tr = Tr { cat: &s.cat, lang: p.lang };
    let (call, lines) = match (s.svc.dispatch_board(&p.user, id).await, s.svc.dispatch_roster(&p.user, id).await) {
        (Ok(b), Ok(l)) => (b.call, l),
        (Err(e), _) | (_, Err(e)) => return service_error(&s, p.lang, e),
    };
    let view = RosterPage {
        id,
        when: format!("{} – {}", short_time(call.starts_at), short_time(call.ends_at)),
        title: call.title,
        activity_id: call.activity_id,
        lines,
        c: Chrome::for_page(&s, tr, &p, tr.t("dispatch.roster"), &uri.0.to_string()),
    };
    render(StatusCode::OK, &view)
}

#[derive(Template)]
#[template(path = "dispatch_report.html")]
struct ReportPage<'a> {
    c: Chrome<'a>,
    r: Report,
}

async fn report(State(s): State<AppState>, p: PageUser, uri: OriginalUri, Path(id): Path<i64>) -> Response {
    let tr = Tr { cat: &s.cat, lang: p.lang };
    match s.svc.dispatch_report(&p.user, id).await {
        Ok(r) => render(StatusCode::OK, &ReportPage { c: Chrome::for_page(&s, tr, &p, tr.t("dispatch.report"), &uri.0.to_string()), r }),
        Err(e) => service_error(&s, p.lang, e),
    }
}

/// A response status in words, for the templates.
pub(crate) fn response_text<'a>(tr: impl std::borrow::Borrow<Tr<'a>>, status: impl AsRef<str>) -> String {
    tr.borrow().t(&format!("response_status.{}", status.as_ref()))
}
