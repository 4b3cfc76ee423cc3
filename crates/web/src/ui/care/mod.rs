//! 爱心守护 pages: the pair list (a volunteer's "my pairs"), a pair's page
//! with the visit form a phone fills in a few taps, the beneficiary's whole
//! history, the center's coverage, and the first screens' care card.

mod actions;
pub mod card;
pub mod workbook;

use askama::Template;
use axum::extract::{OriginalUri, Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use axum::Router;
use tongxing_domain::care::{Coverage, Pair, PairDetail, Visit, MODES};
use tongxing_domain::category::CATEGORIES;
use tongxing_domain::paging::Page;
// `Action` and `Resource` are read by the templates (`c.may`).
#[allow(unused_imports)]
use tongxing_domain::permission::{Action, Resource};
use tongxing_domain::role::Role;
use tongxing_store::care::Filter;

use super::needs::{level_class, short_time};
use super::view::{Chrome, Pager};
use super::{render, service_error};
use crate::extract::PageUser;
use crate::i18n::Tr;
use crate::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/care", get(list_page))
        .route("/care/pairs", post(actions::create))
        .route("/care/coverage", get(coverage_page))
        .route("/care/pairs/{id}", get(pair_page))
        .route("/care/pairs/{id}/visits", post(actions::log_visit))
        .route("/care/pairs/{id}/{action}", post(actions::change))
        .route("/care/visits/{id}/{action}", post(actions::visit_action))
        .route("/beneficiaries/{id}/care", get(history_page))
}

/// A pair as a list line: who, where, when due, and its level in words.
pub struct PairLine {
    pub href: String,
    pub beneficiary: String,
    pub volunteer: String,
    pub place: String,
    pub due: String,
    pub level: String,
    pub level_class: &'static str,
    pub status: String,
    pub handover: bool,
    pub role: String,
}

impl PairLine {
    pub fn of(tr: &Tr, p: &Pair) -> PairLine {
        PairLine {
            href: format!("/care/pairs/{}", p.id),
            beneficiary: format!("{}（{}）", p.beneficiary_name, tr.t(&format!("beneficiary_kind.{}", p.beneficiary_kind))),
            volunteer: p.volunteer_name.clone(),
            place: format!("{} · {}", p.district_name, p.community_name),
            due: p.next_due.clone(),
            level: tr.t(&format!("level.{}", p.warning_level.as_str())),
            level_class: level_class(p.warning_level),
            status: tr.t(&format!("care.status_{}", p.status)),
            handover: p.needs_handover,
            role: tr.t(&format!("care.role_{}", p.role)),
        }
    }
}

#[derive(Template)]
#[template(path = "care/list.html")]
struct ListPage<'a> {
    c: Chrome<'a>,
    pairs: Vec<PairLine>,
    pager: Pager,
    overdue: bool,
    export_href: String,
    arranges: bool,
}

fn flag(q: &[(String, String)], key: &str) -> bool {
    q.iter().any(|(k, v)| k == key && v == "true")
}

fn number(q: &[(String, String)], key: &str) -> Option<i64> {
    q.iter().find(|(k, _)| k == key).and_then(|(_, v)| v.parse().ok())
}

async fn list_page(State(s): State<AppState>, p: PageUser, uri: OriginalUri, Query(q): Query<Vec<(String, String)>>) -> Response {
    let tr = Tr { cat: &s.cat, lang: p.lang };
    let page = Page::new(number(&q, "page").map(|n| n as u32), Some(50));
    let f = Filter {
        overdue: flag(&q, "overdue"),
        needs_handover: flag(&q, "needs_handover"),
        district_id: number(&q, "district_id"),
        community_id: number(&q, "community_id"),
        team_id: number(&q, "team_id"),
        unit_id: number(&q, "unit_id"),
        ..Default::default()
    };
    let overdue = f.overdue;
    let list = match s.svc.list_pairs(&p.user, f, page).await {
        Ok(l) => l,
        Err(e) => return service_error(&s, p.lang, e),
    };
    let title = tr.t(if p.user.role == Role::Volunteer { "care.my_pairs" } else { "care.pairs" });
    let query = uri.0.query().unwrap_or_default();
    let page_view = ListPage {
        pairs: list.items.iter().map(|x| PairLine::of(&tr, x)).collect(),
        pager: Pager::new(&tr, "/care", &q, page, list.total),
        overdue,
        export_href: format!("/api/v1/care/pairs?format=xlsx&{query}"),
        arranges: p.user.role != Role::Volunteer,
        c: Chrome::for_page(&s, tr, &p, title, &uri.0.to_string()),
    };
    render(StatusCode::OK, &page_view)
}

/// A visit as the log shows it.
pub struct VisitLine {
    pub id: i64,
    pub when: String,
    pub who: String,
    pub how: String,
    pub contact: String,
    pub notes: String,
    pub concern: String,
    pub need: Option<i64>,
    pub hours: String,
    pub pending: bool,
    pub notes_hidden: bool,
}

impl VisitLine {
    fn of(tr: &Tr, v: &Visit) -> VisitLine {
        VisitLine {
            id: v.id,
            when: short_time(v.visited_at),
            who: v.volunteer_name.clone(),
            how: format!("{} · {}", tr.t(&format!("care.mode_{}", v.mode)), tr.f("care.minutes_n", v.minutes)),
            contact: tr.t(if v.contact_made { "care.contact_made" } else { "care.no_contact" }),
            notes: v.notes.clone().unwrap_or_default(),
            concern: v.concern.clone().unwrap_or_default(),
            need: v.need_id,
            hours: tr.t(&format!("care.hours_{}", v.hours_status)),
            pending: v.hours_status == "pending",
            notes_hidden: v.notes_hidden,
        }
    }
}

#[derive(Template)]
#[template(path = "care/pair.html")]
struct PairPage<'a> {
    c: Chrome<'a>,
    p: PairLine,
    d: PairDetail,
    visits: Vec<VisitLine>,
    modes: Vec<(&'static str, String)>,
    categories: Vec<(&'static str, String)>,
    now: String,
    arranges: bool,
    confirms: bool,
    /// The center may hide a visit's personal notes from later volunteers.
    hides: bool,
    error: Option<String>,
    candidates: Vec<(i64, String)>,
}

/// Suggested volunteers as form options, for those who arrange pairs.
async fn candidate_options(s: &AppState, p: &PageUser, tr: &Tr<'_>, beneficiary_id: i64) -> Vec<(i64, String)> {
    if p.user.role == Role::Volunteer {
        return Vec::new();
    }
    match s.svc.care_candidates(&p.user, beneficiary_id, None).await {
        Ok(list) => list
            .into_iter()
            .map(|k| {
                let load = tr.f2("care.load_of", k.load, k.max_pairs);
                let mut line = format!("{} · {} · {load}", k.name, k.community_name);
                if !k.matching_skills.is_empty() {
                    line.push_str(&format!(" · {}", k.matching_skills.join("、")));
                }
                (k.volunteer_id, line)
            })
            .collect(),
        Err(_) => Vec::new(),
    }
}

pub(super) async fn render_pair(s: &AppState, p: &PageUser, id: i64, path: &str, error: Option<String>) -> Response {
    let tr = Tr { cat: &s.cat, lang: p.lang };
    let d = match s.svc.pair(&p.user, id).await {
        Ok(d) => d,
        Err(e) => return service_error(s, p.lang, e),
    };
    let status = if error.is_some() { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    let arranges = p.user.role != Role::Volunteer;
    let candidates = candidate_options(s, p, &tr, d.pair.beneficiary_id).await;
    let page = PairPage {
        candidates,
        p: PairLine::of(&tr, &d.pair),
        visits: d.visits.iter().map(|v| VisitLine::of(&tr, v)).collect(),
        modes: MODES.iter().map(|m| (*m, tr.t(&format!("care.mode_{m}")))).collect(),
        categories: CATEGORIES.iter().map(|k| (*k, tr.t(&format!("category.{k}")))).collect(),
        now: short_time(tongxing_store::now_ms()).replace(' ', "T"),
        arranges,
        confirms: arranges,
        hides: matches!(p.user.role, Role::Admin | Role::Coordinator),
        error,
        c: Chrome::for_page(s, tr, p, d.pair.beneficiary_name.clone(), path),
        d,
    };
    render(status, &page)
}

async fn pair_page(State(s): State<AppState>, p: PageUser, uri: OriginalUri, Path(id): Path<i64>) -> Response {
    render_pair(&s, &p, id, &uri.0.to_string(), None).await
}

#[derive(Template)]
#[template(path = "care/history.html")]
struct HistoryPage<'a> {
    c: Chrome<'a>,
    beneficiary_id: i64,
    candidates: Vec<(i64, String)>,
    phone: String,
    address: String,
    pairs: Vec<(PairLine, Vec<VisitLine>)>,
}

async fn history_page(State(s): State<AppState>, p: PageUser, uri: OriginalUri, Path(id): Path<i64>) -> Response {
    let tr = Tr { cat: &s.cat, lang: p.lang };
    let h = match s.svc.beneficiary_care(&p.user, id).await {
        Ok(h) => h,
        Err(e) => return service_error(&s, p.lang, e),
    };
    let name = h.pairs.first().map(|x| x.pair.beneficiary_name.clone()).unwrap_or_default();
    let candidates = candidate_options(&s, &p, &tr, id).await;
    let page = HistoryPage {
        beneficiary_id: id,
        candidates,
        phone: h.phone.unwrap_or_default(),
        address: h.address.unwrap_or_default(),
        pairs: h
            .pairs
            .iter()
            .rev()
            .map(|d| (PairLine::of(&tr, &d.pair), d.visits.iter().map(|v| VisitLine::of(&tr, v)).collect()))
            .collect(),
        c: Chrome::for_page(&s, tr, &p, format!("{} · {}", name, tr.t("care.history")), &uri.0.to_string()),
    };
    render(StatusCode::OK, &page)
}

#[derive(Template)]
#[template(path = "care/coverage.html")]
struct CoveragePage<'a> {
    c: Chrome<'a>,
    k: Coverage,
    levels: Vec<(String, &'static str, i64)>,
    kinds: Vec<(String, i64)>,
}

async fn coverage_page(State(s): State<AppState>, p: PageUser, uri: OriginalUri) -> Response {
    let tr = Tr { cat: &s.cat, lang: p.lang };
    let k = match s.svc.care_coverage(&p.user).await {
        Ok(k) => k,
        Err(e) => return service_error(&s, p.lang, e),
    };
    let page = CoveragePage {
        levels: k.by_level.iter().map(|l| (tr.t(&format!("level.{}", l.level.as_str())), level_class(l.level), l.pairs)).collect(),
        kinds: k.unpaired_by_kind.iter().map(|g| (tr.t(&format!("beneficiary_kind.{}", g.name)), g.count)).collect(),
        c: Chrome::for_page(&s, tr, &p, tr.t("care.coverage"), &uri.0.to_string()),
        k,
    };
    render(StatusCode::OK, &page)
}
