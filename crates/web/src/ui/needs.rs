//! Staff pages for needs: the queue (most urgent first, with warning badges),
//! a need's page with its history, and the actions each role may take there.

use axum::extract::{OriginalUri, Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use axum::Router;
use tongxing_domain::needs::{assignment_order, team_fits, NeedEvent, Status, WarningLevel, SYSTEM_NOTES};
use tongxing_domain::paging::Page;
use tongxing_domain::permission::{scope, Action, Resource};
use tongxing_domain::role::Role;
use tongxing_service::needs::ServedHours;
use tongxing_store::needs::Filter;
use tongxing_store::registry::volunteers;

use super::registry::team_options;
use super::templates::{ListPage, NeedPage, Rejected};
use super::view::{Cell, Chrome, Opt, Pager, SelectFilter};
use super::{render, see_other, service_error};
use crate::export::xlsx_response;
use crate::extract::{CsrfForm, PageUser};
use crate::i18n::Tr;
use crate::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/needs", get(queue))
        .route("/needs/{id}", get(detail))
        .route("/needs/{id}/review", post(review))
        .route("/needs/{id}/claim", post(claim))
        .route("/needs/{id}/release", post(release))
        .route("/needs/{id}/complete", post(complete))
}

fn param<'a>(q: &'a [(String, String)], key: &str) -> Option<&'a str> {
    q.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str()).filter(|v| !v.is_empty())
}

/// When a need reached its status, and for an open one how long it has waited ("已等待 3 天").
fn since_text(tr: &Tr, status: Status, since: i64, now: i64) -> String {
    if !status.is_open() {
        return short_time(since);
    }
    let (unit, n) = tongxing_domain::needs::waited((now - since) / 60_000);
    format!("{} · {}", short_time(since), tr.f(&format!("need.waited_{unit}"), n))
}

/// One history step in words: who acted by name (or role, for an account
/// without a volunteer record) and the platform's own notes translated.
fn history_line(tr: &Tr, e: &NeedEvent) -> (String, String, String, Option<String>) {
    let person = e.user_name.clone().or_else(|| e.user_role.map(|r| tr.t(&format!("role.{}", r.as_str()))));
    let who = [person, e.team_name.clone()].into_iter().flatten().collect::<Vec<_>>().join(" · ");
    let note = e.note.as_deref().map(|n| match SYSTEM_NOTES.contains(&n) {
        true => tr.t(&format!("need_note.{n}")),
        false => n.to_string(),
    });
    (short_time(e.at), tr.t(&format!("need_status.{}", e.status.as_str())), who, note)
}

pub(crate) fn short_time(ms: i64) -> String {
    tongxing_domain::time::rfc3339(ms).replace('T', " ").chars().take(16).collect()
}

pub(crate) fn choices(tr: &Tr, name: &'static str, label_key: &str, prefix: &str, codes: &[&str], current: Option<&str>) -> SelectFilter {
    let options =
        codes.iter().map(|c| Opt { value: c.to_string(), label: tr.t(&format!("{prefix}.{c}")), selected: current == Some(*c) }).collect();
    SelectFilter { name, label: tr.t(label_key), options }
}

async fn queue(State(s): State<AppState>, p: PageUser, uri: OriginalUri, Query(q): Query<Vec<(String, String)>>) -> Response {
    let since = s.live.position().await;
    let tr = Tr { cat: &s.cat, lang: p.lang };
    let page = Page::new(param(&q, "page").and_then(|v| v.parse().ok()), Some(30));
    let f = Filter {
        q: param(&q, "q").map(str::to_string),
        status: param(&q, "status").and_then(Status::parse),
        warning_level: param(&q, "warning_level").and_then(WarningLevel::parse),
        district_id: param(&q, "district_id").and_then(|v| v.parse().ok()),
        team_id: param(&q, "team_id").and_then(|v| v.parse().ok()),
        ..Default::default()
    };
    let xlsx = param(&q, "format") == Some("xlsx");
    let fetch = if xlsx { Page { page: 1, per_page: tongxing_service::export::MAX_EXPORT_ROWS } } else { page };
    let list = match s.svc.list_needs(&p.user, f, fetch).await {
        Ok(l) => l,
        Err(e) => return service_error(&s, p.lang, e),
    };
    if xlsx {
        return xlsx_response(&tr, "needs", &list.items).unwrap_or_else(|e| service_error(&s, p.lang, e));
    }
    let mut export_q: Vec<(String, String)> = q.iter().filter(|(k, _)| k != "page").cloned().collect();
    export_q.push(("format".into(), "xlsx".into()));
    let statuses: Vec<&str> = Status::ALL.iter().map(|x| x.as_str()).collect();
    let levels: Vec<&str> = WarningLevel::ALL.iter().map(|x| x.as_str()).collect();
    let filters = vec![
        choices(&tr, "status", "field.status", "need_status", &statuses, param(&q, "status")),
        choices(&tr, "warning_level", "field.warning_level", "level", &levels, param(&q, "warning_level")),
        team_filter(&s, &p, &tr, param(&q, "team_id")).await,
    ];
    let now = tongxing_store::now_ms();
    let rows = list
        .items
        .iter()
        .map(|n| {
            vec![
                Cell::link(&n.title, format!("/needs/{}", n.id), "need-link"),
                Cell { text: tr.t(&format!("level.{}", n.warning_level.as_str())), href: None, class: level_class(n.warning_level) },
                Cell::text(tr.t(&format!("need_status.{}", n.status.as_str()))),
                Cell::text(format!("{}（{}）", n.community_name, n.district_name)),
                Cell::text(n.team_name.clone().unwrap_or_default()),
                Cell::text(since_text(&tr, n.status, n.status_since, now)),
            ]
        })
        .collect();
    let columns = ["field.title", "field.warning_level", "field.status", "field.community", "field.teams", "field.since"];
    let view = ListPage {
        base: "/needs",
        search_id: "need-filter",
        table_id: "need-queue",
        q: param(&q, "q").unwrap_or_default().to_string(),
        search_hint: tr.t("need.search_hint"),
        filters,
        include_inactive: false,
        total_text: tr.f("list.total", list.total),
        columns: columns.iter().map(|k| tr.t(k)).collect(),
        rows,
        pager: Pager::new(&tr, "/needs", &q, page, list.total),
        new_href: Some("/needs/new".into()),
        resource: Resource::NeedEntry,
        import_href: None,
        export_href: format!("/needs?{}", serde_urlencoded::to_string(&export_q).unwrap_or_default()),
        c: Chrome::for_page(&s, tr, &p, tr.t("nav.needs"), &uri.0.to_string()).live("/live/needs", since),
    };
    render(StatusCode::OK, &view)
}

/// The team select: needs held by one team. A leader's list always keeps to
/// what their team may take or holds (the service's scope for leaders), so
/// "my team" is their default view and a team picked narrows it to what that
/// team holds.
async fn team_filter(s: &AppState, p: &PageUser, tr: &Tr<'_>, current: Option<&str>) -> SelectFilter {
    let teams = team_options(&s.svc, &p.user).await.unwrap_or_default();
    let mine = (p.user.role == Role::TeamLeader).then(|| Opt {
        value: "mine".into(),
        label: tr.t("need.my_team"),
        selected: matches!(current, None | Some("mine")),
    });
    let options = mine
        .into_iter()
        .chain(teams.into_iter().map(|(id, name)| Opt { selected: current == Some(id.as_str()), value: id, label: name }))
        .collect();
    SelectFilter { name: "team_id", label: tr.t("field.teams"), options }
}

pub(super) fn level_class(l: WarningLevel) -> &'static str {
    match l {
        WarningLevel::None => "badge level-none",
        WarningLevel::Blue => "badge level-blue",
        WarningLevel::Yellow => "badge level-yellow",
        WarningLevel::Orange => "badge level-orange",
        WarningLevel::Red => "badge level-red",
    }
}

async fn detail(State(s): State<AppState>, p: PageUser, uri: OriginalUri, Path(id): Path<i64>) -> Response {
    detail_page(&s, &p, &uri.0.to_string(), id, None).await
}

/// A refused review or completion: the need's page again, the message beside
/// the field and what was typed kept; anything else is the error page.
pub(super) async fn refused(s: &AppState, p: &PageUser, id: i64, form: &'static str, f: &CsrfForm, e: tongxing_service::Error) -> Response {
    let (status, invalid) = match e {
        tongxing_service::Error::Validation(inv) => (StatusCode::UNPROCESSABLE_ENTITY, inv),
        e => return service_error(s, p.lang, e),
    };
    let tr = Tr { cat: &s.cat, lang: p.lang };
    let errors = invalid.0.iter().map(|e| (e.field.to_string(), tr.t(&format!("error.{}", e.code)))).collect();
    let rejected = Rejected { form, errors, values: f.0.iter().filter(|(k, _)| k != "_csrf").cloned().collect() };
    let mut resp = detail_page(s, p, &format!("/needs/{id}"), id, Some(rejected)).await;
    if resp.status() == StatusCode::OK {
        *resp.status_mut() = status;
    }
    resp
}

async fn detail_page(s: &AppState, p: &PageUser, path: &str, id: i64, rejected: Option<Rejected>) -> Response {
    let since = s.live.position().await;
    let tr = Tr { cat: &s.cat, lang: p.lang };
    let (n, events) = match s.svc.get_need(&p.user, id).await {
        Ok(x) => x,
        Err(e) => return service_error(s, p.lang, e),
    };
    let center = matches!(p.user.role, Role::Admin | Role::Coordinator);
    let holder = n.team_id.is_some() && n.team_id == p.user.team_id;
    let published = n.status == Status::Published;
    let assign_teams = if center && published {
        let all = Page { page: 1, per_page: 10_000 };
        let mut teams = s.svc.list_teams(&p.user, &Default::default(), all).await.map(|l| l.items).unwrap_or_default();
        assignment_order(&mut teams, n.district_id, &n.category);
        let fits = |t: &tongxing_domain::model::Team| team_fits(t, n.district_id, &n.category);
        teams.iter().map(|t| (t.id, if fits(t) { tr.f("need.fitting_team", &t.name) } else { t.name.clone() })).collect()
    } else {
        Vec::new()
    };
    let can_complete = n.status == Status::Claimed && (center || holder);
    let members = match (can_complete, n.team_id) {
        (true, Some(team)) => {
            let f = volunteers::Filter { team_id: Some(team), ..Default::default() };
            s.svc.list_volunteers(&p.user, f, Page { page: 1, per_page: 200 }).await.map(|l| l.items).unwrap_or_default()
        }
        _ => Vec::new(),
    };
    let takeovers = match n.status {
        Status::Claimed => s.svc.open_takeovers(&n).await.unwrap_or_default(),
        _ => Vec::new(),
    };
    // A leader of another fitting team may ask once; the holder's leader or the center decides.
    let asked = takeovers.iter().any(|t| Some(t.team_id) == p.user.team_id);
    let takeover_team = match (p.user.role, n.status) {
        (Role::TeamLeader, Status::Claimed) if !holder && !asked && s.svc.team_fits(p.user.team_id, &n).await.unwrap_or(false) => {
            p.user.team_id
        }
        _ => None,
    };
    let history = events.iter().map(|e| history_line(&tr, e)).collect();
    let page = NeedPage {
        status_label: tr.t(&format!("need_status.{}", n.status.as_str())),
        level_label: tr.t(&format!("level.{}", n.warning_level.as_str())),
        category_label: tr.t(&format!("category.{}", n.category)),
        channel_label: tr.t(&format!("channel.{}", n.channel)),
        history,
        can_review: n.status == Status::Submitted && scope(p.user.role, Action::Write, Resource::Need).allowed(),
        claim_team: p.user.team_id.filter(|_| published && p.user.role == Role::TeamLeader),
        assign_teams,
        can_complete,
        members: members.into_iter().map(|v| (v.id, v.name)).collect(),
        takeovers: takeovers
            .iter()
            .map(|t| {
                let who = [Some(t.team_name.clone()), t.requested_by.clone()].into_iter().flatten().collect::<Vec<_>>().join(" · ");
                (t.id, who, t.reason.clone(), short_time(t.created_at))
            })
            .collect(),
        can_decide_takeover: center || (holder && p.user.role == Role::TeamLeader),
        takeover_team,
        rejected,
        c: Chrome::for_page(s, tr, p, n.title.clone(), path).live(&format!("/live/needs/{id}"), since),
        n,
    };
    render(StatusCode::OK, &page)
}

async fn review(State(s): State<AppState>, p: PageUser, Path(id): Path<i64>, f: CsrfForm) -> Response {
    let publish = f.get("decision") == Some("publish");
    match s.svc.review_need(&p.user, id, publish, f.get("reason")).await {
        Ok(()) => see_other(&format!("/needs/{id}"), "updated"),
        Err(e) => refused(&s, &p, id, "review", &f, e).await,
    }
}

async fn claim(State(s): State<AppState>, p: PageUser, Path(id): Path<i64>, f: CsrfForm) -> Response {
    let team = f.get("team_id").and_then(|t| t.parse().ok()).unwrap_or(-1);
    match s.svc.claim_need(&p.user, id, team).await {
        Ok(()) => see_other(&format!("/needs/{id}"), "claimed"),
        Err(e) => service_error(&s, p.lang, e),
    }
}

async fn release(State(s): State<AppState>, p: PageUser, Path(id): Path<i64>, _f: CsrfForm) -> Response {
    match s.svc.release_need(&p.user, id).await {
        Ok(()) => see_other(&format!("/needs/{id}"), "updated"),
        Err(e) => service_error(&s, p.lang, e),
    }
}

/// Hours come as `hours_<volunteer id>` fields; blank or zero means "did not serve".
async fn complete(State(s): State<AppState>, p: PageUser, Path(id): Path<i64>, f: CsrfForm) -> Response {
    // Who served is chosen first; each of them is credited the same hours.
    let each = match f.get("hours").map(str::trim).filter(|h| !h.is_empty()).map(str::parse::<f64>) {
        None => 0.0,
        Some(Ok(h)) => h,
        Some(Err(_)) => {
            let e = tongxing_service::Error::Validation(tongxing_domain::validation::Invalid::one("hours", "number_format"));
            return refused(&s, &p, id, "complete", &f, e).await;
        }
    };
    let served = f.0.iter().filter(|(k, _)| k == "served").filter_map(|(_, v)| v.parse::<i64>().ok());
    let hours: Vec<ServedHours> = served.map(|volunteer_id| ServedHours { volunteer_id, hours: each }).collect();
    match s.svc.complete_need(&p.user, id, f.get("summary").unwrap_or(""), &hours).await {
        Ok(()) => see_other(&format!("/needs/{id}"), "updated"),
        Err(e) => refused(&s, &p, id, "complete", &f, e).await,
    }
}
