//! 爱心守护's part of the leadership dashboard (`stats::source::SOURCES`).

use tongxing_domain::stats::metric::{Metric, Tally, Unit};
use tongxing_store::care::figures;
use tongxing_store::stats::Filter;

use crate::stats::source::{Figure, FigureSource, Reading, Section};
use crate::Service;

const VISITS: Metric = Metric::new("care_visits", Unit::Items, Tally::Count, None);
const VISITED: Metric = Metric::new("care_visited", Unit::People, Tally::Distinct, None);
const VISIT_HOURS: Metric = Metric::new("care_visit_hours", Unit::Hours, Tally::Sum, None);
const CONCERNS: Metric = Metric::new("care_concerns", Unit::Items, Tally::Count, None);
const CONCERNS_TO_NEEDS: Metric = Metric::new("care_concerns_to_needs", Unit::Items, Tally::Count, None);
const OPEN_PAIRS: Metric = Metric::new("care_open_pairs", Unit::Items, Tally::Current, None);
const OVERDUE: Metric = Metric::new("care_overdue", Unit::Items, Tally::Current, None);

pub struct Care;

impl FigureSource for Care {
    fn read<'a>(&'a self, svc: &'a Service, f: &'a Filter, _charts: bool) -> Reading<'a> {
        Box::pin(async move {
            let d = figures::dashboard(&svc.db, f).await?;
            Ok(Section {
                key: "care",
                figures: vec![
                    Figure::of(VISITS, Some(d.visits as f64)),
                    Figure::of(VISITED, Some(d.visited as f64)),
                    Figure::of(VISIT_HOURS, Some((d.visit_hours * 10.0).round() / 10.0)),
                    Figure::of(CONCERNS, Some(d.concerns as f64)),
                    Figure::of(CONCERNS_TO_NEEDS, Some(d.concerns_to_needs as f64)),
                    Figure::of(OPEN_PAIRS, Some(d.open_pairs as f64)),
                    Figure::of(OVERDUE, Some(d.overdue as f64)),
                ],
                charts: Vec::new(),
            })
        })
    }
}
