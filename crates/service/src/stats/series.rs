//! `GET /api/v1/stats/series`: one figure month by month, a line per
//! district, unit or theme, every month of the period present.

use serde::Serialize;
use tongxing_domain::stats::metric::{Metric, Unit};
use tongxing_domain::stats::months;
use tongxing_domain::Invalid;
use tongxing_store::stats::series::{self as store, Measure, Split};
use utoipa::ToSchema;

use super::sources::service::{ACTIVE_VOLUNTEERS, ACTIVITIES, HOURS};
use super::StatsQuery;
use crate::{Actor, Result, Service};

#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(as = StatsSeriesPoint)]
pub struct Point {
    /// `YYYY-MM`.
    pub period: String,
    pub value: f64,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(as = StatsSeriesLine)]
pub struct Line {
    /// The district's or unit's id, or the theme's code (blank: no theme).
    pub key: String,
    pub name: Option<String>,
    pub points: Vec<Point>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(as = StatsSeries)]
pub struct Series {
    pub metric: &'static str,
    pub unit: Unit,
    pub series: Vec<Line>,
}

/// The figures a series can follow, and how each is read.
const MEASURES: [(Metric, Measure); 3] = [(HOURS, Measure::Hours), (ACTIVE_VOLUNTEERS, Measure::People), (ACTIVITIES, Measure::Activities)];

fn split(group: Option<&str>) -> Result<Split> {
    Ok(match group.map(str::trim).unwrap_or("") {
        "" | "district" => Split::District,
        "unit" => Split::Unit,
        "theme" => Split::Theme,
        _ => return Err(Invalid::one("group", "unknown_choice").into()),
    })
}

impl Service {
    pub async fn stats_series(&self, actor: &Actor, q: StatsQuery, metric: &str, group: Option<&str>) -> Result<Series> {
        let (m, measure) =
            MEASURES.into_iter().find(|(m, _)| m.key == metric.trim()).ok_or_else(|| Invalid::one("metric", "unknown_choice"))?;
        let split = split(group)?;
        let (applied, f, _) = self.stats_filters(actor, q)?;
        let points = store::series(&self.db, &f, measure, split).await?;
        let span = tongxing_domain::stats::Span {
            from: applied.from.parse().map_err(|_| Invalid::one("from", "date_format"))?,
            to: applied.to.parse().map_err(|_| Invalid::one("to", "date_format"))?,
        };
        let mut series: Vec<Line> = Vec::new();
        for p in points {
            if series.last().is_none_or(|l| l.key != p.key) {
                let points = months(span).into_iter().map(|period| Point { period, value: 0.0 }).collect();
                series.push(Line { key: p.key.clone(), name: p.name.clone(), points });
            }
            if let Some(slot) = series.last_mut().and_then(|l| l.points.iter_mut().find(|x| x.period == p.period)) {
                slot.value = p.n;
            }
        }
        Ok(Series { metric: m.key, unit: m.unit, series })
    }
}
