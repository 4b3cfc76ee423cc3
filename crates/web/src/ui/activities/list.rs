//! `/activities`: upcoming activities near a community, as a paged list or
//! (`?view=calendar&month=2026-12`) as a month calendar with a list per day.

use askama::Template;
use axum::extract::{OriginalUri, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use chrono::{Datelike, Months, NaiveDate};
use tongxing_domain::activities::{Activity, THEMES};
use tongxing_domain::paging::Page;
use tongxing_domain::permission::{scope, Action, Resource};
use tongxing_store::activities::Filter;

use super::{day_label, day_start, local, param, ActivityRow};
use crate::extract::PageUser;
use crate::i18n::Tr;
use crate::ui::registry::community_options;
use crate::ui::view::{Chrome, Opt, Pager, SelectFilter};
use crate::ui::{render, service_error};
use crate::AppState;

/// A calendar shows at most this many activities in a month.
const MONTH_MAX: u32 = 500;

#[derive(Template)]
#[template(path = "activities.html")]
pub struct ActivitiesPage<'a> {
    pub c: Chrome<'a>,
    pub filters: Vec<SelectFilter>,
    pub from: String,
    pub to: String,
    pub has_places: bool,
    pub calendar: Option<Calendar>,
    pub list_href: String,
    pub calendar_href: String,
    pub new_href: Option<&'static str>,
    pub total_text: String,
    pub rows: Vec<ActivityRow>,
    pub pager: Option<Pager>,
    /// With a community chosen and more elsewhere: (how many, in words; the
    /// same search in every community).
    pub widen: Option<(String, String)>,
    /// A volunteer's own sign-ups and attendance.
    pub mine_href: Option<&'static str>,
}

pub struct Calendar {
    /// "2026-12", kept in the filter form.
    pub month: String,
    pub label: String,
    pub prev: String,
    pub next: String,
    pub weekdays: Vec<String>,
    /// Weeks of seven cells, Monday first; `None` outside the month.
    pub weeks: Vec<Vec<Option<DayCell>>>,
    /// Days with activities, in order.
    pub days: Vec<Day>,
    /// (theme code, label, activities): the season's themes at a glance.
    pub themes: Vec<(String, String, usize)>,
}

pub struct DayCell {
    pub day: u32,
    pub anchor: String,
    pub count: usize,
    pub today: bool,
}

pub struct Day {
    pub anchor: String,
    pub label: String,
    pub rows: Vec<ActivityRow>,
}

/// What the filter form chose, with a volunteer's own community as the
/// default until they choose another (or all).
struct Chosen {
    community: Option<i64>,
    district: Option<i64>,
    theme: Option<String>,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
    has_places: bool,
}

fn date(v: Option<&str>) -> Option<NaiveDate> {
    v.and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
}

async fn chosen(s: &AppState, p: &PageUser, q: &[(String, String)]) -> Chosen {
    let mut community = param(q, "community_id").and_then(|v| v.parse().ok());
    if !q.iter().any(|(k, _)| k == "community_id") {
        if let Some(v) = p.user.volunteer_id {
            community = s.svc.get_volunteer(&p.user, v, false).await.ok().map(|v| v.community_id);
        }
    }
    Chosen {
        community,
        district: param(q, "district_id").and_then(|v| v.parse().ok()),
        theme: param(q, "theme").filter(|t| THEMES.contains(t)).map(str::to_string),
        from: date(param(q, "from")),
        to: date(param(q, "to")),
        has_places: param(q, "has_places") == Some("true"),
    }
}

fn select(name: &'static str, label: String, current: Option<String>, options: Vec<(String, String)>) -> SelectFilter {
    let options =
        options.into_iter().map(|(value, label)| Opt { selected: current.as_deref() == Some(value.as_str()), value, label }).collect();
    SelectFilter { name, label, options }
}

async fn filters(s: &AppState, p: &PageUser, tr: &Tr<'_>, c: &Chosen) -> Vec<SelectFilter> {
    let all = Page { page: 1, per_page: 10_000 };
    let districts = match s.svc.list_districts(&p.user, &Default::default(), all).await {
        Ok(l) => l.items.into_iter().map(|d| (d.id.to_string(), d.name)).collect(),
        Err(_) => Vec::new(),
    };
    let communities = community_options(&s.svc, &p.user).await.unwrap_or_default();
    let themes = THEMES.iter().map(|t| (t.to_string(), tr.t(&format!("theme.{t}")))).collect();
    vec![
        select("community_id", tr.t("field.community"), c.community.map(|x| x.to_string()), communities),
        select("district_id", tr.t("field.district_id"), c.district.map(|x| x.to_string()), districts),
        select("theme", tr.t("field.theme"), c.theme.clone(), themes),
    ]
}

/// This page's query with `set` replace_rank those keys (and no page number).
fn href(q: &[(String, String)], set: &[(&str, &str)]) -> String {
    let mut out: Vec<(String, String)> = q.iter().filter(|(k, _)| k != "page" && !set.iter().any(|(s, _)| s == k)).cloned().collect();
    out.extend(set.iter().filter(|(_, v)| !v.is_empty()).map(|(k, v)| (k.to_string(), v.to_string())));
    format!("/activities?{}", serde_urlencoded::to_string(&out).unwrap_or_default())
}

pub async fn page(State(s): State<AppState>, p: PageUser, uri: OriginalUri, Query(mut q): Query<Vec<(String, String)>>) -> Response {
    let tr = Tr { cat: &s.cat, lang: p.lang };
    let c = chosen(&s, &p, &q).await;
    // The default community becomes an explicit choice, so paging and the
    // calendar link keep it and "all" stays reachable.
    if !q.iter().any(|(k, _)| k == "community_id") {
        q.push(("community_id".into(), c.community.map(|x| x.to_string()).unwrap_or_default()));
    }
    let calendar_view = param(&q, "view") == Some("calendar");
    let month = date(param(&q, "month").map(|m| format!("{m}-01")).as_deref())
        .unwrap_or_else(|| local(tongxing_store::now_ms()).date_naive().with_day(1).unwrap_or_default());
    let next_month = month.checked_add_months(Months::new(1)).unwrap_or(month);
    let mut f = Filter {
        community_id: c.community,
        district_id: c.district,
        theme: c.theme.clone(),
        has_places: c.has_places,
        ends_after: Some(c.from.map(day_start).unwrap_or_else(tongxing_store::now_ms)),
        starts_before: c.to.and_then(|d| d.succ_opt()).map(day_start),
        ..Default::default()
    };
    let page = if calendar_view {
        (f.ends_after, f.starts_before) = (Some(day_start(month)), Some(day_start(next_month)));
        Page { page: 1, per_page: MONTH_MAX }
    } else {
        Page::new(param(&q, "page").and_then(|v| v.parse().ok()), Some(20))
    };
    let everywhere = c.community.map(|_| Filter { community_id: None, ..f.clone() });
    let list = match s.svc.list_activities(&p.user, f, page).await {
        Ok(l) => l,
        Err(e) => return service_error(&s, p.lang, e),
    };
    let widen = match everywhere {
        Some(everywhere) => match s.svc.list_activities(&p.user, everywhere, Page { page: 1, per_page: 1 }).await {
            Ok(all) if all.total > list.total => {
                let mut wide: Vec<(String, String)> = q.iter().filter(|(k, _)| k != "page" && k != "community_id").cloned().collect();
                wide.push(("community_id".into(), String::new()));
                let text = tr.f2("activity.elsewhere", list.total, all.total - list.total);
                Some((text, format!("/activities?{}", serde_urlencoded::to_string(&wide).unwrap_or_default())))
            }
            Ok(_) => None,
            Err(e) => return service_error(&s, p.lang, e),
        },
        None => None,
    };
    let month_text = month.format("%Y-%m").to_string();
    let view = ActivitiesPage {
        widen,
        mine_href: p.user.volunteer_id.map(|_| "/me/activities"),
        filters: filters(&s, &p, &tr, &c).await,
        from: c.from.map(|d| d.to_string()).unwrap_or_default(),
        to: c.to.map(|d| d.to_string()).unwrap_or_default(),
        has_places: c.has_places,
        calendar: calendar_view.then(|| calendar(&tr, &q, month, &list.items)),
        list_href: href(&q, &[("view", ""), ("month", "")]),
        calendar_href: href(&q, &[("view", "calendar"), ("month", &month_text)]),
        new_href: scope(p.user.role, Action::Write, Resource::Activity).allowed().then_some("/activities/new"),
        total_text: tr.f("list.total", list.total),
        rows: if calendar_view { Vec::new() } else { list.items.iter().map(|a| ActivityRow::of(&tr, a)).collect() },
        pager: (!calendar_view).then(|| Pager::new(&tr, "/activities", &q, page, list.total)),
        c: Chrome::for_page(&s, tr, &p, tr.t("nav.activities"), &uri.0.to_string()),
    };
    render(StatusCode::OK, &view)
}

/// The month grid (Monday first) and the activities of each day below it.
fn calendar(tr: &Tr, q: &[(String, String)], month: NaiveDate, items: &[Activity]) -> Calendar {
    let today = local(tongxing_store::now_ms()).date_naive();
    let anchor = |d: NaiveDate| format!("d-{}", d.format("%Y-%m-%d"));
    let mut days: Vec<Day> = Vec::new();
    for a in items {
        let d = local(a.starts_at).date_naive();
        if d.month() != month.month() {
            continue; // began the month before, ends in this one
        }
        if days.last().is_none_or(|x| x.anchor != anchor(d)) {
            days.push(Day { anchor: anchor(d), label: day_label(tr, d), rows: Vec::new() });
        }
        if let Some(day) = days.last_mut() {
            day.rows.push(ActivityRow::of(tr, a));
        }
    }
    let mut cells: Vec<Option<DayCell>> = (1..month.weekday().number_from_monday()).map(|_| None).collect();
    for d in month.iter_days().take_while(|d| d.month() == month.month()) {
        let count = days.iter().find(|x| x.anchor == anchor(d)).map_or(0, |x| x.rows.len());
        cells.push(Some(DayCell { day: d.day(), anchor: anchor(d), count, today: d == today }));
    }
    while !cells.len().is_multiple_of(7) {
        cells.push(None);
    }
    let mut weeks = Vec::new();
    let mut cells = cells.into_iter().peekable();
    while cells.peek().is_some() {
        weeks.push(cells.by_ref().take(7).collect());
    }
    let mut themes: Vec<(String, String, usize)> = Vec::new();
    for t in days.iter().flat_map(|d| &d.rows).filter_map(|r| r.theme.as_ref()) {
        match themes.iter_mut().find(|x| x.0 == t.0) {
            Some(x) => x.2 += 1,
            None => themes.push((t.0.clone(), t.1.clone(), 1)),
        }
    }
    let shift =
        |m: Option<NaiveDate>| m.map(|m| href(q, &[("view", "calendar"), ("month", &m.format("%Y-%m").to_string())])).unwrap_or_default();
    Calendar {
        month: month.format("%Y-%m").to_string(),
        label: tr.f2("calendar.month", month.year(), month.month()),
        prev: shift(month.checked_sub_months(Months::new(1))),
        next: shift(month.checked_add_months(Months::new(1))),
        weekdays: (1..=7).map(|n| tr.t(&format!("weekday.{n}"))).collect(),
        weeks,
        days,
        themes,
    }
}
