//! The leadership dashboard (`/stats`): one filter form driving every
//! section's figures and charts, each figure and bar opening the rows behind
//! it (`/stats/lines`), the whole page as a workbook, and a wall mode.

mod chart;
mod labels;
pub mod report_book;
mod reports;
pub mod workbook;

use askama::Template;
use axum::extract::{OriginalUri, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use axum::Router;
use tongxing_domain::paging::Page;
use tongxing_domain::stats::metric::Drill;
use tongxing_domain::stats::PeriodKind;
use tongxing_service::stats::source::{Axis, Chart, Section};
use tongxing_service::stats::{Applied, StatsQuery};
use tongxing_service::Error;
use tongxing_store::stats::drill::Line;

use crate::export::xlsx_response;
use crate::extract::PageUser;
use crate::i18n::Tr;
use crate::ui::registry::{district_options, query_value, team_options, unit_options};
use crate::ui::view::{Chrome, Pager, SelectFilter};
use crate::ui::volunteers::select_filter;
use crate::ui::{render, service_error};
use crate::AppState;
use labels::{bar_label, change, shown};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/stats", get(dashboard_page))
        .route("/stats/lines", get(lines_page))
        .route("/stats/reports/monthly", get(reports::monthly))
        .route("/stats/reports/yearly", get(reports::yearly))
        .route("/stats/months/close", post(reports::close))
}

/// The filter as the query string has it.
fn stats_query(q: &[(String, String)]) -> StatsQuery {
    let id = |k: &str| query_value(q, k).and_then(|v| v.trim().parse().ok());
    let text = |k: &str| query_value(q, k).map(str::to_string);
    StatsQuery {
        period: text("period"),
        from: text("from"),
        to: text("to"),
        district_id: id("district_id"),
        unit_id: id("unit_id"),
        team_id: id("team_id"),
        theme: text("theme"),
    }
}

/// A query string for `applied` with `extra` pairs on top, for links that keep the filter.
fn href(base: &str, applied: &Applied, extra: &[(&str, String)]) -> String {
    let mut q: Vec<(&str, String)> = vec![("from", applied.from.clone()), ("to", applied.to.clone())];
    let ids = [("district_id", applied.district_id), ("unit_id", applied.unit_id), ("team_id", applied.team_id)];
    q.extend(ids.into_iter().filter_map(|(k, v)| v.map(|v| (k, v.to_string()))));
    if let Some(t) = &applied.theme {
        q.push(("theme", t.clone()));
    }
    for (k, v) in extra {
        q.retain(|(x, _)| x != k);
        q.push((k, v.clone()));
    }
    format!("{base}?{}", serde_urlencoded::to_string(&q).unwrap_or_default())
}

pub(crate) struct FigureView {
    pub key: &'static str,
    pub label: String,
    pub value: String,
    pub tally: String,
    pub change: Option<String>,
    pub falling: bool,
    pub previous: Option<String>,
    pub href: Option<String>,
}

pub(crate) struct BarRow {
    pub label: String,
    pub value: String,
    pub href: Option<String>,
}

pub(crate) struct ChartView {
    pub key: &'static str,
    pub title: String,
    pub note: String,
    pub svg: String,
    pub rows: Vec<BarRow>,
}

pub(crate) struct SectionView {
    pub key: &'static str,
    pub title: String,
    pub figures: Vec<FigureView>,
    pub charts: Vec<ChartView>,
}

/// What a bar narrows the drill-down by: its month's days, or its id or code.
fn bar_filter(axis: Axis, key: &str) -> Option<Vec<(&'static str, String)>> {
    match axis {
        Axis::Month => {
            let first = chrono::NaiveDate::parse_from_str(&format!("{key}-01"), "%Y-%m-%d").ok()?;
            let last = first.checked_add_months(chrono::Months::new(1))?.pred_opt()?;
            Some(vec![("from", first.to_string()), ("to", last.to_string())])
        }
        Axis::District => Some(vec![("district_id", key.to_string())]),
        Axis::Unit => Some(vec![("unit_id", key.to_string())]),
        Axis::Team => Some(vec![("team_id", key.to_string())]),
        Axis::Theme if !key.is_empty() => Some(vec![("theme", key.to_string())]),
        _ => None,
    }
}

fn chart_view(tr: &Tr, applied: &Applied, c: &Chart) -> ChartView {
    let values: Vec<f64> = c.bars.iter().map(|b| b.value).collect();
    let svg = if c.axis == Axis::Month { chart::line(&values) } else { chart::bars(&values) };
    let rows = c
        .bars
        .iter()
        .map(|b| BarRow {
            label: bar_label(tr, c.axis, b),
            value: shown(c.unit, Some(b.value)),
            href: c.drill.zip(bar_filter(c.axis, &b.key)).map(|(d, mut extra)| {
                extra.push(("metric", d.as_str().to_string()));
                href("/stats/lines", applied, &extra)
            }),
        })
        .collect();
    let note = format!("{} · {}", tr.t(&format!("stats.metric.{}", c.metric)), tr.t(&format!("stats.tally.{}", c.tally.as_str())));
    ChartView { key: c.key, title: tr.t(&format!("stats.chart.{}", c.key)), note, svg, rows }
}

fn section_view(tr: &Tr, applied: &Applied, s: &Section) -> SectionView {
    let figures = s
        .figures
        .iter()
        .map(|f| FigureView {
            key: f.key,
            label: tr.t(&format!("stats.metric.{}", f.key)),
            value: match f.unit {
                // A count reads as a bare number; other figures carry their unit.
                tongxing_domain::stats::metric::Unit::Items => shown(f.unit, f.value),
                u => format!("{} {}", shown(u, f.value), tr.t(&format!("stats.unit.{}", u.as_str()))),
            },
            tally: tr.t(&format!("stats.tally.{}", f.tally.as_str())),
            change: change(f),
            falling: f.change_pct.is_some_and(|c| c < 0.0),
            previous: f.previous.map(|p| tr.f("stats.previous_was", shown(f.unit, Some(p)))),
            href: f.drill.map(|d| href("/stats/lines", applied, &[("metric", d.as_str().to_string())])),
        })
        .collect();
    SectionView {
        key: s.key,
        title: tr.t(&format!("stats.section.{}", s.key)),
        figures,
        charts: s.charts.iter().map(|c| chart_view(tr, applied, c)).collect(),
    }
}

#[derive(Template)]
#[template(path = "stats/dashboard.html")]
struct DashboardPage<'a> {
    c: Chrome<'a>,
    filters: Vec<SelectFilter>,
    periods: Vec<(String, String, bool)>,
    from: String,
    to: String,
    span: String,
    sections: Vec<SectionView>,
    export_href: String,
    wall_href: String,
    wall: bool,
    error: Option<String>,
    reports: Option<reports::ReportsCard>,
}

async fn filters(s: &AppState, p: &PageUser, tr: &Tr<'_>, q: &[(String, String)]) -> Result<Vec<SelectFilter>, Error> {
    let (districts, units, teams) =
        tokio::try_join!(district_options(&s.svc, &p.user), unit_options(&s.svc, &p.user), team_options(&s.svc, &p.user))?;
    let themes = tongxing_domain::activities::THEMES.iter().map(|t| (t.to_string(), tr.t(&format!("theme.{t}")))).collect();
    Ok(vec![
        select_filter("district_id", tr.t("field.district_id"), query_value(q, "district_id"), districts),
        select_filter("unit_id", tr.t("field.unit_id"), query_value(q, "unit_id"), units),
        select_filter("team_id", tr.t("field.team_id"), query_value(q, "team_id"), teams),
        select_filter("theme", tr.t("field.theme"), query_value(q, "theme"), themes),
    ])
}

async fn dashboard_page(State(s): State<AppState>, p: PageUser, uri: OriginalUri, Query(q): Query<Vec<(String, String)>>) -> Response {
    let tr = Tr { cat: &s.cat, lang: p.lang };
    let asked = stats_query(&q);
    let (dashboard, error) = match s.svc.dashboard(&p.user, asked.clone()).await {
        Ok(d) => (Some(d), None),
        Err(Error::Validation(inv)) => (None, inv.0.first().map(|e| tr.t(&format!("error.{}", e.code)))),
        Err(e) => return service_error(&s, p.lang, e),
    };
    if let (Some(d), Some("xlsx")) = (&dashboard, query_value(&q, "format")) {
        return workbook::dashboard_xlsx(&tr, d).unwrap_or_else(|e| service_error(&s, p.lang, e));
    }
    let filters = match filters(&s, &p, &tr, &q).await {
        Ok(f) => f,
        Err(e) => return service_error(&s, p.lang, e),
    };
    let chosen = dashboard.as_ref().map(|d| d.filter.period);
    let page = DashboardPage {
        filters,
        periods: PeriodKind::ALL
            .iter()
            .map(|k| (k.as_str().to_string(), tr.t(&format!("stats.period.{}", k.as_str())), chosen == Some(*k)))
            .collect(),
        from: asked.from.clone().unwrap_or_default(),
        to: asked.to.clone().unwrap_or_default(),
        span: dashboard.as_ref().map(|d| tr.f2("stats.span", &d.filter.from, &d.filter.to)).unwrap_or_default(),
        sections: dashboard.as_ref().map(|d| d.sections.iter().map(|x| section_view(&tr, &d.filter, x)).collect()).unwrap_or_default(),
        export_href: dashboard.as_ref().map(|d| href("/stats", &d.filter, &[("format", "xlsx".into())])).unwrap_or_default(),
        wall_href: wall_href(&q),
        wall: query_value(&q, "wall").is_some(),
        error,
        reports: reports::card(&s, &p).await,
        c: Chrome::for_page(&s, tr, &p, tr.t("nav.stats"), &uri.0.to_string()),
    };
    let status = if page.error.is_some() { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    render(status, &page)
}

/// The page as asked (a rolling period keeps rolling), full screen and refreshing.
fn wall_href(q: &[(String, String)]) -> String {
    let mut q: Vec<(String, String)> = q.iter().filter(|(k, _)| k != "wall" && k != "format").cloned().collect();
    q.push(("wall".into(), "1".into()));
    format!("/stats?{}", serde_urlencoded::to_string(&q).unwrap_or_default())
}

pub(crate) struct LineRow {
    pub when: String,
    pub what: String,
    pub href: Option<String>,
    pub person: String,
    pub team: String,
    pub value: String,
}

#[derive(Template)]
#[template(path = "stats/lines.html")]
struct LinesPage<'a> {
    c: Chrome<'a>,
    heading: String,
    span: String,
    rows: Vec<LineRow>,
    total: i64,
    pager: Pager,
    export_href: String,
    back_href: String,
}

fn line_href(kind: Drill, l: &Line) -> Option<String> {
    match kind {
        Drill::Activities => Some(format!("/activities/{}", l.id)),
        Drill::Needs => Some(format!("/needs/{}", l.id)),
        Drill::Calls => Some(format!("/dispatch/{}", l.id)),
        Drill::Entries | Drill::Honours | Drill::Certifications | Drill::Trainees | Drill::Problems => None,
    }
}

async fn lines_page(State(s): State<AppState>, p: PageUser, uri: OriginalUri, Query(q): Query<Vec<(String, String)>>) -> Response {
    let tr = Tr { cat: &s.cat, lang: p.lang };
    let kind = query_value(&q, "metric").and_then(Drill::parse).unwrap_or(Drill::Entries);
    let xlsx = query_value(&q, "format") == Some("xlsx");
    let page = if xlsx {
        Page { page: 1, per_page: tongxing_service::export::MAX_EXPORT_ROWS }
    } else {
        Page::new(query_value(&q, "page").and_then(|v| v.parse().ok()), None)
    };
    let (applied, lines) = match s.svc.stats_lines(&p.user, stats_query(&q), kind, page).await {
        Ok(x) => x,
        Err(e) => return service_error(&s, p.lang, e),
    };
    if xlsx {
        return xlsx_response(&tr, "stats-lines", &lines.items).unwrap_or_else(|e| service_error(&s, p.lang, e));
    }
    let rows = lines
        .items
        .iter()
        .map(|l| {
            let cells = crate::export::ExportRow::cells(l, &tr);
            LineRow {
                when: cells[0].clone(),
                what: l.what.clone(),
                href: line_href(kind, l),
                person: cells[2].clone(),
                team: cells[3].clone(),
                value: cells[4].clone(),
            }
        })
        .collect();
    let view = LinesPage {
        heading: tr.t(&format!("stats.lines.{}", kind.as_str())),
        span: tr.f2("stats.span", &applied.from, &applied.to),
        rows,
        total: lines.total,
        pager: Pager::new(&tr, "/stats/lines", &q, page, lines.total),
        export_href: href("/stats/lines", &applied, &[("metric", kind.as_str().into()), ("format", "xlsx".into())]),
        back_href: href("/stats", &applied, &[]),
        c: Chrome::for_page(&s, tr, &p, tr.t("nav.stats"), &uri.0.to_string()),
    };
    render(StatusCode::OK, &view)
}
