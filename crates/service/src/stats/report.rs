//! The monthly (月报) and yearly reports sent up to the 文明办 and the
//! oilfield: the dashboard's figures and charts for the period, tables by
//! district, unit and theme, and — since closed months stay as reported —
//! the late ledger entries that adjust them.

use serde::{Deserialize, Serialize};
use tongxing_domain::hours::two_decimals;
use tongxing_domain::permission::{Action, Resource, Scope};
use tongxing_domain::stats::closing::{self, adjusts, month_span, year_span, Closed};
use tongxing_domain::stats::metric::{Tally, Unit};
use tongxing_domain::stats::{months, Span};
use tongxing_store::stats::closing::{self as store, Late};
use tongxing_store::stats::series::Split;
use tongxing_store::stats::tables::{totals, GroupTotals};
use utoipa::ToSchema;

use super::source::{Axis, Bar};
use super::StatsQuery;
use crate::registry::volunteers::region_today;
use crate::{Actor, Error, Result, Service};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
#[schema(as = StatsReportKind)]
pub enum ReportKind {
    Monthly,
    Yearly,
}

/// A dashboard figure as reported.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[schema(as = StatsReportFigure)]
pub struct ReportFigure {
    /// The section it belongs to (`stats.section.<key>`).
    pub section: String,
    pub key: String,
    pub unit: Unit,
    pub tally: Tally,
    pub value: Option<f64>,
    pub previous: Option<f64>,
    pub change_pct: Option<f64>,
}

/// A dashboard chart as reported.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[schema(as = StatsReportChart)]
pub struct ReportChart {
    pub key: String,
    pub axis: Axis,
    pub metric: String,
    pub bars: Vec<Bar>,
}

/// One district's, unit's or theme's activities, hours and distinct volunteers.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[schema(as = StatsReportRow)]
pub struct ReportRow {
    pub key: String,
    pub name: Option<String>,
    pub activities: f64,
    pub hours: f64,
    pub people: f64,
}

/// One month of a yearly report: as reported (frozen if closed) and the
/// hours recorded in its days after it closed.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[schema(as = StatsReportMonth)]
pub struct ReportMonth {
    pub month: String,
    pub closed: bool,
    pub activities: f64,
    pub hours: f64,
    pub adjustment_hours: f64,
}

/// Late entries of one closed month, adjusting this report.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[schema(as = StatsReportAdjustment)]
pub struct Adjustment {
    /// The closed month they were served in.
    pub month: String,
    pub entries: i64,
    /// Distinct volunteers.
    pub people: i64,
    pub hours: f64,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[schema(as = StatsReport)]
pub struct Report {
    pub kind: ReportKind,
    /// `YYYY-MM` or `YYYY`.
    pub period: String,
    pub from: String,
    pub to: String,
    /// When the month was closed (unix ms): the report is frozen as sent.
    pub closed_at: Option<i64>,
    pub figures: Vec<ReportFigure>,
    pub charts: Vec<ReportChart>,
    pub by_district: Vec<ReportRow>,
    pub by_unit: Vec<ReportRow>,
    pub by_theme: Vec<ReportRow>,
    pub months: Vec<ReportMonth>,
    pub adjustments: Vec<Adjustment>,
}

/// A closed month's entry in the list of closings.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(as = StatsClosedMonth)]
pub struct ClosedMonth {
    pub month: String,
    pub closed_at: i64,
}

fn rows(t: Vec<GroupTotals>) -> Vec<ReportRow> {
    t.into_iter().map(|g| ReportRow { key: g.key, name: g.name, activities: g.activities, hours: g.hours, people: g.people }).collect()
}

/// The late entries that adjust `month`'s report, by the month they were served in.
fn adjustments_for(month: &str, late: &[Late], closed: &[Closed]) -> Vec<Adjustment> {
    let mut out: Vec<(Adjustment, Vec<i64>)> = Vec::new();
    for l in late.iter().filter(|l| adjusts(&l.month, l.recorded_at, closed).as_deref() == Some(month)) {
        let i = match out.iter().position(|(a, _)| a.month == l.month) {
            Some(i) => i,
            None => {
                out.push((Adjustment { month: l.month.clone(), entries: 0, people: 0, hours: 0.0 }, Vec::new()));
                out.len() - 1
            }
        };
        let (a, people) = &mut out[i];
        a.entries += 1;
        a.hours += l.hours;
        if !people.contains(&l.volunteer_id) {
            people.push(l.volunteer_id);
        }
    }
    out.sort_by(|a, b| a.0.month.cmp(&b.0.month));
    out.into_iter()
        .map(|(mut a, p)| {
            a.people = p.len() as i64;
            a.hours = two_decimals(a.hours);
            a
        })
        .collect()
}

impl Service {
    /// Reports are the center's: the whole region, for roles that see it all.
    fn report_reader(&self, actor: &Actor) -> Result<()> {
        match self.require(actor, Action::Read, Resource::Stats)? {
            Scope::All => Ok(()),
            _ => Err(Error::Forbidden),
        }
    }

    /// The figures, charts and tables of `s` as they stand now.
    async fn live_report(&self, actor: &Actor, kind: ReportKind, period: &str, s: Span, cached: bool) -> Result<Report> {
        let q = StatsQuery { from: Some(s.from.to_string()), to: Some(s.to.to_string()), ..StatsQuery::default() };
        let d = self.dashboard_read(actor, q.clone(), cached).await?;
        let (_, f, _) = self.stats_filters(actor, q)?;
        let (by_district, by_unit, by_theme) =
            tokio::try_join!(totals(&self.db, &f, Split::District), totals(&self.db, &f, Split::Unit), totals(&self.db, &f, Split::Theme))?;
        let figures = d
            .sections
            .iter()
            .flat_map(|sec| {
                sec.figures.iter().map(|x| ReportFigure {
                    section: sec.key.to_string(),
                    key: x.key.to_string(),
                    unit: x.unit,
                    tally: x.tally,
                    value: x.value,
                    previous: x.previous,
                    change_pct: x.change_pct,
                })
            })
            .collect();
        let charts = d
            .sections
            .iter()
            .flat_map(|sec| &sec.charts)
            .map(|c| ReportChart { key: c.key.to_string(), axis: c.axis, metric: c.metric.to_string(), bars: c.bars.clone() })
            .collect();
        Ok(Report {
            kind,
            period: period.to_string(),
            from: s.from.to_string(),
            to: s.to.to_string(),
            closed_at: None,
            figures,
            charts,
            by_district: rows(by_district),
            by_unit: rows(by_unit),
            by_theme: rows(by_theme),
            months: Vec::new(),
            adjustments: Vec::new(),
        })
    }

    /// A month's report: frozen as it was closed, or as it stands with the
    /// late entries of earlier closed months that adjust it.
    pub async fn monthly_report(&self, actor: &Actor, month: &str) -> Result<Report> {
        self.report_reader(actor)?;
        let s = month_span("month", month)?;
        closing::reportable("month", s, region_today())?;
        let month = s.from.format("%Y-%m").to_string();
        if let Some(json) = store::frozen(&self.db, &month).await? {
            return thawed(&month, &json);
        }
        self.open_month(actor, &month, s, true).await
    }

    async fn open_month(&self, actor: &Actor, month: &str, s: Span, cached: bool) -> Result<Report> {
        let mut r = self.live_report(actor, ReportKind::Monthly, month, s, cached).await?;
        let (late, closed) = tokio::try_join!(store::late(&self.db), store::closed(&self.db))?;
        r.adjustments = adjustments_for(month, &late, &closed);
        Ok(r)
    }

    /// A year's report: its figures as they stand, and each month as
    /// reported (frozen where closed) beside the hours recorded late in it.
    pub async fn yearly_report(&self, actor: &Actor, year: i32) -> Result<Report> {
        self.report_reader(actor)?;
        let s = year_span(year)?;
        closing::reportable("year", s, region_today())?;
        let mut r = self.live_report(actor, ReportKind::Yearly, &year.to_string(), s, true).await?;
        let (late, closed) = tokio::try_join!(store::late(&self.db), store::closed(&self.db))?;
        let live = |chart: &str, m: &str| {
            r.charts.iter().find(|c| c.key == chart).and_then(|c| c.bars.iter().find(|b| b.key == m)).map_or(0.0, |b| b.value)
        };
        let mut out = Vec::new();
        for m in months(s) {
            let frozen = match closed.iter().any(|c| c.month == m) {
                true => store::frozen(&self.db, &m).await?.map(|j| thawed(&m, &j)).transpose()?,
                false => None,
            };
            let (activities, hours) = match &frozen {
                Some(f) => (figure(f, "activities"), figure(f, "hours")),
                None => (live("activities_by_month", &m), live("hours_by_month", &m)),
            };
            let adjustment_hours = late.iter().filter(|l| l.month == m).map(|l| l.hours).sum::<f64>();
            out.push(ReportMonth { closed: frozen.is_some(), month: m, activities, hours, adjustment_hours });
        }
        r.months = out;
        Ok(r)
    }

    /// Closes a month that is over: its report as it stands now is stored
    /// and served from then on; a second closing is a 409.
    pub async fn close_month(&self, actor: &Actor, month: &str) -> Result<Report> {
        self.require(actor, Action::Write, Resource::Stats)?;
        let s = month_span("month", month)?;
        closing::closable(s, region_today())?;
        let month = s.from.format("%Y-%m").to_string();
        if store::frozen(&self.db, &month).await?.is_some() {
            return Err(Error::Conflict { code: "already_closed", field: Some("month") });
        }
        // Taken before the read: an entry recorded while the figures are
        // read may show twice (frozen and as an adjustment), never be lost.
        let now = tongxing_store::now_ms();
        let mut r = self.open_month(actor, &month, s, false).await?;
        r.closed_at = Some(now);
        let json = serde_json::to_string(&r).map_err(|e| Error::Internal(e.to_string()))?;
        store::close(&self.db, &month, now, actor.id, &json).await.map_err(|e| match e {
            tongxing_store::Error::Conflict => Error::Conflict { code: "already_closed", field: Some("month") },
            e => e.into(),
        })?;
        self.audit(Some(actor), "stats.close_month", "stats_month", None, Some(&month)).await?;
        Ok(r)
    }

    /// The months closed so far, oldest first.
    pub async fn closed_months(&self, actor: &Actor) -> Result<Vec<ClosedMonth>> {
        self.report_reader(actor)?;
        Ok(store::closed(&self.db).await?.into_iter().map(|c| ClosedMonth { month: c.month, closed_at: c.closed_at }).collect())
    }
}

/// A closed month's report as it was stored.
fn thawed(month: &str, json: &str) -> Result<Report> {
    serde_json::from_str(json).map_err(|e| Error::Internal(format!("frozen report {month}: {e}")))
}

/// A figure's value in a report (zero when absent).
fn figure(r: &Report, key: &str) -> f64 {
    r.figures.iter().find(|f| f.key == key).and_then(|f| f.value).unwrap_or(0.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn late(month: &str, recorded_at: i64, hours: f64, volunteer_id: i64) -> Late {
        Late { month: month.into(), recorded_at, hours, volunteer_id }
    }

    #[test]
    fn late_entries_adjust_the_next_open_report_by_month_served_with_people_once() {
        let closed = [Closed { month: "2026-02".into(), closed_at: 100 }, Closed { month: "2026-03".into(), closed_at: 200 }];
        let entries = [
            late("2026-02", 150, 1.5, 7), // after February closed, before March did: March's report
            late("2026-02", 250, 2.0, 7), // after both: April's
            late("2026-03", 250, 1.0, 7),
            late("2026-03", 260, 0.5, 8),
            late("2026-03", 270, -0.5, 8), // a correction is an adjustment too
        ];
        let march = adjustments_for("2026-03", &entries, &closed);
        assert_eq!(march.len(), 1);
        assert_eq!((march[0].month.as_str(), march[0].entries, march[0].people, march[0].hours), ("2026-02", 1, 1, 1.5));
        let april: Vec<_> =
            adjustments_for("2026-04", &entries, &closed).into_iter().map(|a| (a.month, a.entries, a.people, a.hours)).collect();
        assert_eq!(april, vec![("2026-02".into(), 1, 1, 2.0), ("2026-03".into(), 3, 2, 1.0)]);
        assert!(adjustments_for("2026-05", &entries, &closed).is_empty(), "each late entry adjusts one report");
    }
}
