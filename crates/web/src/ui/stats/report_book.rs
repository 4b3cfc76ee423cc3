//! The monthly and yearly reports as workbooks: a summary of every figure
//! (and the late entries adjusting closed months), tables by district, unit
//! and theme, the months of a year, and the dashboard's charts — each table
//! with a native Excel chart, every sheet set for A4 with a signature block.

use axum::response::Response;
use tongxing_service::export::{report, Block, Cell, Plot};
use tongxing_service::stats::report::{Report, ReportKind, ReportRow};
use tongxing_service::stats::source::Axis;

use super::labels::bar_label;
use super::workbook::{axis_key, figure_row, letterhead};
use crate::export::xlsx_download;
use crate::i18n::Tr;

fn headings(tr: &Tr, keys: &[&str]) -> Vec<String> {
    keys.iter().map(|k| tr.t(k)).collect()
}

/// Every figure, a block per section in the dashboard's order.
fn summary(tr: &Tr, r: &Report) -> Vec<Block> {
    let status = match r.closed_at {
        Some(ms) => tr.f("stats.report.closed_at", tongxing_domain::time::region_date(ms)),
        None => tr.t("stats.report.open"),
    };
    let mut blocks = vec![Block { title: status, headings: Vec::new(), rows: Vec::new(), chart: None }];
    let mut sections: Vec<&str> = Vec::new();
    for f in &r.figures {
        if !sections.contains(&f.section.as_str()) {
            sections.push(&f.section);
        }
    }
    for s in sections {
        let rows = r
            .figures
            .iter()
            .filter(|f| f.section == s)
            .map(|f| figure_row(tr, &f.key, f.unit, f.tally, [f.value, f.previous, f.change_pct]))
            .collect();
        let keys = ["stats.figure", "stats.tally", "stats.value", "stats.previous", "stats.change"];
        blocks.push(Block { title: tr.t(&format!("stats.section.{s}")), headings: headings(tr, &keys), rows, chart: None });
    }
    if r.kind == ReportKind::Monthly {
        let rows = r
            .adjustments
            .iter()
            .map(|a| {
                vec![Cell::Text(a.month.clone()), Cell::Number(a.entries as f64), Cell::Number(a.people as f64), Cell::Number(a.hours)]
            })
            .collect();
        let keys = ["stats.report.served_month", "stats.report.entries", "stats.report.people", "stats.metric.hours"];
        blocks.push(Block { title: tr.t("stats.report.adjustments"), headings: headings(tr, &keys), rows, chart: None });
    }
    blocks
}

/// A table by district, unit or theme, charted by `plot`.
fn by_group(tr: &Tr, title: &str, axis: Axis, rows: &[ReportRow], plot: Plot) -> Block {
    let name = |g: &ReportRow| match axis {
        Axis::Theme if g.key.is_empty() => tr.t("stats.no_theme"),
        Axis::Theme => tr.t(&format!("theme.{}", g.key)),
        _ => g.name.clone().unwrap_or_else(|| g.key.clone()),
    };
    Block {
        title: tr.t(title),
        headings: vec![
            tr.t(&format!("stats.axis.{}", axis_key(axis))),
            tr.t("stats.metric.activities"),
            tr.t("stats.metric.hours"),
            tr.t("stats.metric.active_volunteers"),
        ],
        rows: rows
            .iter()
            .map(|g| vec![Cell::Text(name(g)), Cell::Number(g.activities), Cell::Number(g.hours), Cell::Number(g.people)])
            .collect(),
        chart: Some(plot),
    }
}

/// A year's months as reported, with the hours recorded late in closed ones.
fn months(tr: &Tr, r: &Report) -> Block {
    let keys = [
        "stats.axis.month",
        "stats.report.status",
        "stats.metric.activities",
        "stats.report.hours_reported",
        "stats.report.adjustment_hours",
        "stats.report.hours_now",
    ];
    Block {
        title: tr.t("stats.report.months"),
        headings: headings(tr, &keys),
        rows: r
            .months
            .iter()
            .map(|m| {
                let status = tr.t(if m.closed { "stats.report.closed" } else { "stats.report.open_short" });
                let now = ((m.hours + m.adjustment_hours) * 100.0).round() / 100.0;
                vec![
                    Cell::Text(m.month.clone()),
                    Cell::Text(status),
                    Cell::Number(m.activities),
                    Cell::Number(m.hours),
                    Cell::Number(m.adjustment_hours),
                    Cell::Number(now),
                ]
            })
            .collect(),
        chart: Some(Plot::Line(3)),
    }
}

/// The dashboard's charts, each as its numbers with the same chart in Excel.
fn charts(tr: &Tr, r: &Report) -> Vec<Block> {
    r.charts
        .iter()
        .map(|c| Block {
            title: tr.t(&format!("stats.chart.{}", c.key)),
            headings: vec![tr.t(&format!("stats.axis.{}", axis_key(c.axis))), tr.t(&format!("stats.metric.{}", c.metric))],
            rows: c.bars.iter().map(|b| vec![Cell::Text(bar_label(tr, c.axis, b)), Cell::Number(b.value)]).collect(),
            chart: Some(if c.axis == Axis::Month { Plot::Line(1) } else { Plot::Column(1) }),
        })
        .collect()
}

pub fn report_xlsx(tr: &Tr, r: &Report) -> Result<Response, tongxing_service::Error> {
    let (title, name) = match r.kind {
        ReportKind::Monthly => (tr.f("stats.report.monthly_title", &r.period), "report-monthly"),
        ReportKind::Yearly => (tr.f("stats.report.yearly_title", &r.period), "report-yearly"),
    };
    let mut sheets = vec![
        (tr.t("stats.report.sheet.summary"), summary(tr, r)),
        (
            tr.t("stats.report.sheet.district"),
            vec![by_group(tr, "stats.report.by_district", Axis::District, &r.by_district, Plot::Column(2))],
        ),
        (tr.t("stats.report.sheet.unit"), vec![by_group(tr, "stats.report.by_unit", Axis::Unit, &r.by_unit, Plot::Column(2))]),
        (tr.t("stats.report.sheet.theme"), vec![by_group(tr, "stats.report.by_theme", Axis::Theme, &r.by_theme, Plot::Column(1))]),
    ];
    if r.kind == ReportKind::Yearly {
        sheets.push((tr.t("stats.report.sheet.months"), vec![months(tr, r)]));
    }
    sheets.push((tr.t("stats.report.sheet.charts"), charts(tr, r)));
    let bytes = report(&letterhead(tr, title, &r.from, &r.to), &sheets)?;
    Ok(xlsx_download(name, bytes))
}
