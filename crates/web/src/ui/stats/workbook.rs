//! The dashboard as a workbook leadership can forward: a sheet per section,
//! its figures with the previous period, then each chart's numbers with a
//! native Excel chart; the rows behind a figure as a list.

use axum::response::Response;
use tongxing_domain::stats::metric::{Tally, Unit};
use tongxing_service::export::{report, Block, Cell, Letterhead, Plot};
use tongxing_service::stats::source::{Axis, Section};
use tongxing_service::stats::Dashboard;
use tongxing_store::stats::drill::Line;

use super::labels::{bar_label, shown};
use crate::export::{xlsx_download, ExportRow};
use crate::i18n::Tr;

/// A figure as one row of a workbook: what it is (in its unit), how it
/// counts, its value, the previous period's and the change; blank where absent.
pub(super) fn figure_row(tr: &Tr, key: &str, unit: Unit, tally: Tally, values: [Option<f64>; 3]) -> Vec<Cell> {
    let mut row = vec![
        Cell::Text(format!("{}（{}）", tr.t(&format!("stats.metric.{key}")), tr.t(&format!("stats.unit.{}", unit.as_str())))),
        Cell::Text(tr.t(&format!("stats.tally.{}", tally.as_str()))),
    ];
    row.extend(values.map(|v| v.map_or(Cell::Text(String::new()), Cell::Number)));
    row
}

fn figures(tr: &Tr, s: &Section) -> Block {
    Block {
        title: tr.t(&format!("stats.section.{}", s.key)),
        headings: ["stats.figure", "stats.tally", "stats.value", "stats.previous", "stats.change"].iter().map(|k| tr.t(k)).collect(),
        rows: s.figures.iter().map(|f| figure_row(tr, f.key, f.unit, f.tally, [f.value, f.previous, f.change_pct])).collect(),
        chart: None,
    }
}

/// The letterhead of every report: what it is, who reports for which days,
/// and the signature block (填报单位, 填表人, 审核人, 日期).
pub fn letterhead(tr: &Tr, title: String, from: &str, to: &str) -> Letterhead {
    let unit = tr.t("stats.reporting_unit");
    Letterhead { title, subtitle: tr.f2("stats.report_header", &unit, tr.f2("stats.report.period", from, to)), signature: signature(tr) }
}

/// The signature block under every report the center sends up.
pub fn signature(tr: &Tr) -> Vec<String> {
    let unit = tr.t("stats.reporting_unit");
    vec![tr.f("stats.sign.unit", &unit), tr.t("stats.sign.prepared"), tr.t("stats.sign.reviewed"), tr.t("stats.sign.date")]
}

/// Every section of `d` as a sheet, headed by the period and filter.
pub fn dashboard_xlsx(tr: &Tr, d: &Dashboard) -> Result<Response, tongxing_service::Error> {
    let sheets: Vec<(String, Vec<Block>)> = d
        .sections
        .iter()
        .map(|s| {
            let mut blocks = vec![figures(tr, s)];
            blocks.extend(s.charts.iter().map(|c| Block {
                title: tr.t(&format!("stats.chart.{}", c.key)),
                headings: vec![tr.t(&format!("stats.axis.{}", axis_key(c.axis))), tr.t(&format!("stats.metric.{}", c.metric))],
                rows: c.bars.iter().map(|b| vec![Cell::Text(bar_label(tr, c.axis, b)), Cell::Number(b.value)]).collect(),
                chart: Some(if c.axis == Axis::Month { Plot::Line(1) } else { Plot::Column(1) }),
            }));
            (tr.t(&format!("stats.section.{}", s.key)), blocks)
        })
        .collect();
    let head = letterhead(tr, tr.t("stats.workbook_title"), &d.filter.from, &d.filter.to);
    let bytes = report(&head, &sheets)?;
    Ok(xlsx_download("dashboard", bytes))
}

pub fn axis_key(a: Axis) -> &'static str {
    match a {
        Axis::Month => "month",
        Axis::District => "district",
        Axis::Unit => "unit",
        Axis::Team => "team",
        Axis::Theme => "theme",
        Axis::Level => "level",
        Axis::Category => "category",
    }
}

impl ExportRow for Line {
    const HEADINGS: &'static [&'static str] = &["stats.when", "stats.what", "stats.person", "stats.team", "stats.value"];
    fn cells(&self, _: &Tr) -> Vec<String> {
        let when = self.day.clone().or_else(|| self.at.map(|ms| tongxing_domain::time::region_date(ms).to_string()));
        vec![
            when.unwrap_or_default(),
            self.what.clone(),
            self.person.clone().unwrap_or_default(),
            self.team.clone().unwrap_or_default(),
            self.value.map(|v| shown(tongxing_domain::stats::metric::Unit::Hours, Some(v))).unwrap_or_default(),
        ]
    }
}
