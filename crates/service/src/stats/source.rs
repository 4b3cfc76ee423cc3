//! The dashboard's one plug-in point. Each capability contributes a
//! `FigureSource`: its headline figures and its charts for a filter. The
//! dashboard page, its .xlsx export, the overview API and the previous-period
//! comparison are built from whatever `SOURCES` lists, so a new module (care,
//! childcare, recognition, skills) adds one file implementing the trait in
//! its own folder and one line in `SOURCES` — no page of its own.

use std::future::Future;
use std::pin::Pin;

use serde::{Deserialize, Serialize};
use tongxing_domain::stats::metric::{Drill, Metric, Tally, Unit};
use tongxing_store::stats::figures::Group;
use tongxing_store::stats::Filter;
use utoipa::ToSchema;

use crate::{Result, Service};

/// One figure as read, with its description; the comparison is filled in
/// by the dashboard.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(as = StatsFigure)]
pub struct Figure {
    /// Names the figure in the catalogue (`stats.metric.<key>`) and the API.
    pub key: &'static str,
    pub unit: Unit,
    /// Distinct people, a count of rows, a sum …: said beside every figure.
    pub tally: Tally,
    /// Absent where there is nothing to measure (a median of no needs).
    pub value: Option<f64>,
    /// The same figure over the previous period (none for today's registry figures).
    pub previous: Option<f64>,
    /// Percent change against `previous`; none when it was zero or absent.
    pub change_pct: Option<f64>,
    pub drill: Option<Drill>,
    /// Compared with the previous period (registry figures are as of today).
    #[serde(skip)]
    pub dated: bool,
}

impl Figure {
    pub fn of(m: Metric, value: Option<f64>) -> Self {
        Figure { key: m.key, unit: m.unit, tally: m.tally, value, previous: None, change_pct: None, drill: m.drill, dated: m.dated }
    }
}

/// How a chart's bars read and what a bar narrows the drill-down by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
#[schema(as = StatsAxis)]
pub enum Axis {
    /// `YYYY-MM`: a bar is a month.
    Month,
    District,
    Unit,
    Team,
    /// A campaign theme code (`theme.<code>` in the catalogue).
    Theme,
    /// A warning level 0–4 (`level.<code>`).
    Level,
    /// A service category code (`category.<code>`).
    Category,
}

/// One bar (or point) of a chart.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[schema(as = StatsBar)]
pub struct Bar {
    /// The month, id or code the bar stands for.
    pub key: String,
    /// The name for ids (districts, units, teams); codes are named by the page.
    pub name: Option<String>,
    pub value: f64,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(as = StatsChart)]
pub struct Chart {
    /// Names the chart in the catalogue (`stats.chart.<key>`).
    pub key: &'static str,
    pub axis: Axis,
    /// The figure each bar measures (a bar drills into its rows).
    pub metric: &'static str,
    pub unit: Unit,
    pub tally: Tally,
    pub drill: Option<Drill>,
    pub bars: Vec<Bar>,
}

impl Chart {
    pub fn of(key: &'static str, axis: Axis, m: Metric, groups: Vec<Group>) -> Self {
        let bars = groups.into_iter().map(|g| Bar { key: g.key, name: g.name, value: g.n }).collect();
        Chart { key, axis, metric: m.key, unit: m.unit, tally: m.tally, drill: m.drill, bars }
    }
}

/// A capability's part of the dashboard.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(as = StatsSection)]
pub struct Section {
    /// Names the section in the catalogue (`stats.section.<key>`).
    pub key: &'static str,
    pub figures: Vec<Figure>,
    pub charts: Vec<Chart>,
}

pub type Reading<'a> = Pin<Box<dyn Future<Output = Result<Section>> + Send + 'a>>;

/// A capability's figures for a filter. `charts` is false when only the
/// headline figures are wanted (the previous period, the overview API).
pub trait FigureSource: Sync {
    fn read<'a>(&'a self, svc: &'a Service, filter: &'a Filter, charts: bool) -> Reading<'a>;

    /// Whether any of its figures belongs to a period: only those sources
    /// are read again for the previous period.
    fn dated(&self) -> bool {
        true
    }
}

/// Every section of the dashboard, in the order they show.
pub static SOURCES: &[&dyn FigureSource] = &[
    &super::sources::registry::Registry,
    &super::sources::service::Activities,
    &super::sources::needs::Needs,
    &super::sources::calls::Calls,
    &crate::care::dashboard::Care,
    &crate::childcare::dashboard::Childcare,
    &crate::honours::dashboard::Honours,
    &crate::skills::dashboard::Skills,
];
