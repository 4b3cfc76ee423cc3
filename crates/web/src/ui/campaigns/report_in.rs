//! 报到 pages: a party member's own (`/me/report-in`: pick the community by
//! search, confirm, see the current report and the history), a community's
//! reported members, and the 双进双报到 report with its filters.

use askama::Template;
use axum::extract::{OriginalUri, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::Router;
use tongxing_domain::campaigns::report_in::{Member, Report, ReportInInput};
use tongxing_domain::paging::Page;
use tongxing_domain::permission::{scope, Action, Resource, Scope};
use tongxing_domain::pinyin_index;
use tongxing_service::campaigns::report_in::{Members, ReportQuery, MEMBERS_SHOWN};
use tongxing_service::Error;
use tongxing_store::campaigns::party_orgs::Filter;

use crate::export::xlsx_response;
use crate::extract::{CsrfForm, PageUser};
use crate::i18n::Tr;
use crate::ui::hours::fmt_hours;
use crate::ui::registry::{community_options, district_options, query_value};
use crate::ui::view::{Chrome, SelectFilter};
use crate::ui::volunteers::select_filter;
use crate::ui::{render, see_other, service_error, short_time};
use crate::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/me/report-in", get(me_page).post(me_report))
        .route("/communities/{id}/report-in", get(community_page))
        .route("/reports/report-in", get(report_page))
}

/// The period and filters a page was asked for.
pub(crate) fn period_query(q: &[(String, String)]) -> ReportQuery {
    let id = |k: &str| query_value(q, k).and_then(|v| v.parse().ok());
    ReportQuery {
        from: query_value(q, "from").map(str::to_string),
        to: query_value(q, "to").map(str::to_string),
        district_id: id("district_id"),
        community_id: id("community_id"),
        party_org_id: id("party_org_id"),
        by_org: query_value(q, "by") == Some("party_org"),
    }
}

/// The period's two date inputs, as typed.
pub(crate) struct PeriodForm {
    pub from: String,
    pub to: String,
}

impl PeriodForm {
    pub(crate) fn of(q: &ReportQuery) -> PeriodForm {
        PeriodForm { from: q.from.clone().unwrap_or_default(), to: q.to.clone().unwrap_or_default() }
    }

    /// The same page as .xlsx.
    pub(crate) fn export_href(base: &str, q: &[(String, String)]) -> String {
        let mut q: Vec<(String, String)> = q.iter().filter(|(k, _)| k != "format" && k != "flash").cloned().collect();
        q.push(("format".into(), "xlsx".into()));
        format!("{base}?{}", serde_urlencoded::to_string(&q).unwrap_or_default())
    }
}

/// A members page's table, period and export link.
pub(crate) struct MembersView {
    pub rows: Vec<MemberRow>,
    /// Said under the table when the list was cut at `MEMBERS_SHOWN`.
    pub more: Option<String>,
    pub period: PeriodForm,
    pub export_href: String,
}

/// The members of the page at `base` as rows — or, asked with `format=xlsx`,
/// the workbook to answer with instead.
/// Whether a page is asked for as a workbook.
pub(crate) fn wants_xlsx(q: &[(String, String)]) -> bool {
    query_value(q, "format") == Some("xlsx")
}

pub(crate) fn members_view(
    s: &AppState,
    tr: &Tr,
    base: &str,
    q: &[(String, String)],
    members: &Members,
) -> Result<MembersView, Box<Response>> {
    if wants_xlsx(q) {
        return Err(Box::new(xlsx_response(tr, "report-in-members", &members.items).unwrap_or_else(|e| service_error(s, tr.lang, e))));
    }
    Ok(MembersView {
        rows: members.items.iter().map(|m| MemberRow::of(tr, m)).collect(),
        more: members.more.then(|| tr.f("report_in.more_members", MEMBERS_SHOWN)),
        period: PeriodForm::of(&period_query(q)),
        export_href: PeriodForm::export_href(base, q),
    })
}

/// A member as a table shows them.
pub(crate) struct MemberRow {
    pub name: String,
    pub unit: String,
    pub home: String,
    pub org: String,
    pub reported_to: String,
    pub status: String,
    pub reported: bool,
    pub hours: String,
}

impl MemberRow {
    pub(crate) fn of(tr: &Tr, m: &Member) -> MemberRow {
        MemberRow {
            name: m.name.clone(),
            unit: m.unit_name.clone(),
            home: m.home_community_name.clone(),
            org: m.party_org_name.clone().unwrap_or_default(),
            reported_to: m.reported_community_name.clone().unwrap_or_default(),
            status: match m.reported_at {
                Some(at) => tr.f("report_in.reported_on", &short_time(at)[..10]),
                None => tr.t("report_in.not_reported"),
            },
            reported: m.reported_at.is_some(),
            hours: fmt_hours(m.hours),
        }
    }
}

/// A report as the history lists it.
pub(crate) struct ReportRow {
    pub community: String,
    pub org: String,
    pub when: String,
}

impl ReportRow {
    fn of(tr: &Tr, r: &Report) -> ReportRow {
        let since = short_time(r.reported_at);
        ReportRow {
            community: r.community_name.clone(),
            org: r.party_org_name.clone().unwrap_or_default(),
            when: match r.ended_at {
                Some(end) => tr.f2("report_in.from_to", since, short_time(end)),
                None => tr.f("report_in.since", since),
            },
        }
    }
}

// ---- the member's own page

#[derive(Template)]
#[template(path = "campaigns/report_in_me.html")]
struct MePage<'a> {
    c: Chrome<'a>,
    party_member: bool,
    current: Option<ReportRow>,
    history: Vec<ReportRow>,
    q: String,
    /// (id, name, marked as where they live) of the communities found.
    found: Vec<(i64, String, bool)>,
    /// The community picked, to confirm: (id, name) and its organisations.
    picked: Option<(i64, String)>,
    orgs: Vec<(String, String)>,
    error: Option<String>,
}

/// Whether `name` matches a search: its characters, or its pinyin.
fn matches(name: &str, q: &str) -> bool {
    let q = q.trim().to_lowercase();
    let (initials, full) = pinyin_index::index(name);
    q.is_empty() || name.contains(&q) || initials.starts_with(&q) || full.starts_with(&q)
}

async fn me_render(s: &AppState, p: &PageUser, path: &str, q: &[(String, String)], error: Option<(StatusCode, String)>) -> Response {
    let tr = Tr { cat: &s.cat, lang: p.lang };
    let Some(vid) = p.user.volunteer_id else { return service_error(s, p.lang, Error::Forbidden) };
    let all = Page { page: 1, per_page: 10_000 };
    let every = Default::default();
    let loaded = tokio::try_join!(
        s.svc.report_history(&p.user, vid),
        s.svc.get_volunteer(&p.user, vid, false),
        s.svc.list_communities(&p.user, &every, all)
    );
    let (h, v, communities) = match loaded {
        Ok(x) => x,
        Err(e) => return service_error(s, p.lang, e),
    };
    let text = query_value(q, "q").unwrap_or("").to_string();
    let mut found: Vec<(i64, String, bool)> = communities
        .items
        .iter()
        .filter(|c| matches(&c.name, &text))
        .map(|c| (c.id, format!("{}（{}）", c.name, c.district_name), c.id == v.community_id))
        .collect();
    found.sort_by_key(|(_, _, home)| !home);
    let picked_id = query_value(q, "community_id").and_then(|v| v.parse::<i64>().ok());
    let picked = picked_id.and_then(|id| communities.items.iter().find(|c| c.id == id)).map(|c| (c.id, c.name.clone()));
    let orgs = match picked_id {
        Some(id) => {
            let f = Filter { community_id: Some(id), ..Default::default() };
            match s.svc.list_party_orgs(&p.user, &f, all).await {
                Ok(l) => l.items.into_iter().map(|o| (o.id.to_string(), o.name)).collect(),
                Err(e) => return service_error(s, p.lang, e),
            }
        }
        None => Vec::new(),
    };
    let (status, error) = match error {
        Some((st, e)) => (st, Some(e)),
        None => (StatusCode::OK, None),
    };
    let page = MePage {
        party_member: v.party_member,
        current: h.current.as_ref().map(|r| ReportRow::of(&tr, r)),
        history: h.history.iter().filter(|r| r.ended_at.is_some()).map(|r| ReportRow::of(&tr, r)).collect(),
        q: text,
        found: if picked.is_some() { Vec::new() } else { found },
        picked,
        orgs,
        error,
        c: Chrome::for_page(s, tr, p, tr.t("report_in.me_title"), path),
    };
    render(status, &page)
}

async fn me_page(State(s): State<AppState>, p: PageUser, uri: OriginalUri, Query(q): Query<Vec<(String, String)>>) -> Response {
    me_render(&s, &p, &uri.0.to_string(), &q, None).await
}

async fn me_report(State(s): State<AppState>, p: PageUser, uri: OriginalUri, f: CsrfForm) -> Response {
    let tr = Tr { cat: &s.cat, lang: p.lang };
    let Some(vid) = p.user.volunteer_id else { return service_error(&s, p.lang, Error::Forbidden) };
    let id = |k: &str| f.get(k).filter(|v| !v.is_empty()).and_then(|v| v.parse::<i64>().ok());
    let input = ReportInInput { community_id: id("community_id").unwrap_or(0), party_org_id: id("party_org_id") };
    match s.svc.report_in(&p.user, vid, input).await {
        Ok(_) => see_other("/me/report-in", "reported"),
        Err(Error::Validation(inv)) => {
            let e = inv.0.first().map(|e| tr.t(&format!("error.{}", e.code))).unwrap_or_default();
            let back = vec![("community_id".to_string(), input.community_id.to_string())];
            me_render(&s, &p, uri.0.path(), &back, Some((StatusCode::UNPROCESSABLE_ENTITY, e))).await
        }
        Err(e) => service_error(&s, p.lang, e),
    }
}

// ---- a community's reported members

#[derive(Template)]
#[template(path = "campaigns/report_in_community.html")]
struct CommunityPage<'a> {
    more: Option<String>,
    c: Chrome<'a>,
    community_id: i64,
    summary: String,
    members: Vec<MemberRow>,
    period: PeriodForm,
    export_href: String,
}

async fn community_page(
    State(s): State<AppState>,
    p: PageUser,
    uri: OriginalUri,
    Path(id): Path<i64>,
    Query(q): Query<Vec<(String, String)>>,
) -> Response {
    let tr = Tr { cat: &s.cat, lang: p.lang };
    let (community, members) = match s.svc.community_members(&p.user, id, &period_query(&q), wants_xlsx(&q)).await {
        Ok(x) => x,
        Err(e) => return service_error(&s, p.lang, e),
    };
    let view = match members_view(&s, &tr, &format!("/communities/{id}/report-in"), &q, &members) {
        Ok(v) => v,
        Err(xlsx) => return *xlsx,
    };
    let reported = members.items.iter().filter(|m| m.reported_at.is_some()).count();
    let page = CommunityPage {
        community_id: id,
        summary: tr.f2("report_in.community_summary", reported, members.items.len() - reported),
        members: view.rows,
        more: view.more,
        period: view.period,
        export_href: view.export_href,
        c: Chrome::for_page(&s, tr, &p, tr.f("report_in.community_title", &community.name), &uri.0.to_string()),
    };
    render(StatusCode::OK, &page)
}

// ---- the report

pub(crate) struct LineRow {
    pub district: String,
    pub community: String,
    pub community_href: String,
    pub org: Option<(String, String)>,
    pub members: i64,
    pub reported: i64,
    pub active: i64,
    pub hours: String,
}

#[derive(Template)]
#[template(path = "campaigns/report_in_report.html")]
struct ReportPage<'a> {
    c: Chrome<'a>,
    filters: Vec<SelectFilter>,
    period: PeriodForm,
    by_org: bool,
    lines: Vec<LineRow>,
    /// The whole region's (members, reported, active, hours).
    totals: (i64, i64, i64, String),
    export_href: String,
    error: Option<String>,
}

async fn report_page(State(s): State<AppState>, p: PageUser, uri: OriginalUri, Query(q): Query<Vec<(String, String)>>) -> Response {
    // A member's own view of 双进双报到 is their report.
    if scope(p.user.role, Action::Read, Resource::ReportIn) == Scope::OwnRecord {
        return Redirect::to("/me/report-in").into_response();
    }
    let tr = Tr { cat: &s.cat, lang: p.lang };
    let asked = period_query(&q);
    let (figures, error) = match s.svc.report_in_figures(&p.user, &asked).await {
        Ok(f) => (Some(f), None),
        Err(Error::Validation(inv)) => (None, inv.0.first().map(|e| tr.t(&format!("error.{}", e.code)))),
        Err(e) => return service_error(&s, p.lang, e),
    };
    if let (Some(f), Some("xlsx")) = (&figures, query_value(&q, "format")) {
        return xlsx_response(&tr, "report-in", &f.items).unwrap_or_else(|e| service_error(&s, p.lang, e));
    }
    let all = Page { page: 1, per_page: 10_000 };
    let every = Filter::default();
    let options = tokio::try_join!(
        district_options(&s.svc, &p.user),
        community_options(&s.svc, &p.user),
        s.svc.list_party_orgs(&p.user, &every, all)
    );
    let (districts, communities, orgs) = match options {
        Ok(x) => x,
        Err(e) => return service_error(&s, p.lang, e),
    };
    let orgs = orgs.items.into_iter().map(|o| (o.id.to_string(), o.name)).collect();
    let items = figures.map(|f| f.items).unwrap_or_default();
    let sum = |f: fn(&tongxing_domain::campaigns::report_in::ReportLine) -> i64| items.iter().map(f).sum::<i64>();
    let totals = (sum(|l| l.members), sum(|l| l.reported), sum(|l| l.active), fmt_hours(items.iter().map(|l| l.hours).sum()));
    let by = vec![("community".to_string(), tr.t("report_in.by_community")), ("party_org".to_string(), tr.t("report_in.by_org"))];
    let page = ReportPage {
        filters: vec![
            select_filter("district_id", tr.t("field.district_id"), query_value(&q, "district_id"), districts),
            select_filter("community_id", tr.t("field.community"), query_value(&q, "community_id"), communities),
            select_filter("party_org_id", tr.t("field.party_org_id"), query_value(&q, "party_org_id"), orgs),
            select_filter("by", tr.t("report_in.by"), query_value(&q, "by"), by),
        ],
        period: PeriodForm::of(&asked),
        by_org: asked.by_org,
        lines: items
            .iter()
            .map(|l| LineRow {
                district: l.district_name.clone(),
                community: l.community_name.clone(),
                community_href: format!("/communities/{}/report-in", l.community_id),
                org: l.party_org_id.map(|id| (format!("/party-orgs/{id}/members"), l.party_org_name.clone().unwrap_or_default())),
                members: l.members,
                reported: l.reported,
                active: l.active,
                hours: fmt_hours(l.hours),
            })
            .collect(),
        totals,
        export_href: PeriodForm::export_href("/reports/report-in", &q),
        error,
        c: Chrome::for_page(&s, tr, &p, tr.t("nav.report_in"), &uri.0.to_string()),
    };
    let status = if page.error.is_some() { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    render(status, &page)
}
