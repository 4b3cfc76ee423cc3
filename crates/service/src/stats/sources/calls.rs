//! Emergency dispatch: calls made and how fast they filled.

use tongxing_domain::stats::median;
use tongxing_domain::stats::metric::{Drill, Metric, Tally, Unit};
use tongxing_store::stats::{figures, Filter};

use crate::stats::source::{Figure, FigureSource, Reading, Section};
use crate::Service;

pub const CALLS: Metric = Metric::new("calls", Unit::Items, Tally::Count, Some(Drill::Calls));
pub const CONFIRMED: Metric = Metric::new("called_people", Unit::People, Tally::Sum, Some(Drill::Calls));
pub const TO_FILL: Metric = Metric::new("minutes_to_fill", Unit::Minutes, Tally::Median, Some(Drill::Calls));

pub struct Calls;

impl FigureSource for Calls {
    fn read<'a>(&'a self, svc: &'a Service, f: &'a Filter, _charts: bool) -> Reading<'a> {
        Box::pin(async move {
            let calls = figures::calls(&svc.db, f).await?;
            let to_fill = median(calls.iter().filter_map(|c| c.filled_at.map(|at| at - c.created_at)).collect());
            Ok(Section {
                key: "calls",
                figures: vec![
                    Figure::of(CALLS, Some(calls.len() as f64)),
                    Figure::of(CONFIRMED, Some(calls.iter().map(|c| c.confirmed).sum::<i64>() as f64)),
                    Figure::of(TO_FILL, to_fill.map(|ms| (ms / 6_000.0).round() / 10.0)),
                ],
                charts: Vec::new(),
            })
        })
    }
}
