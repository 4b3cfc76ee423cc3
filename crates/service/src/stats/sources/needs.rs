//! The needs marketplace: needs completed, how they were rated, how long
//! residents waited for a team and for the service.

use tongxing_domain::stats::median;
use tongxing_domain::stats::metric::{Drill, Metric, Tally, Unit};
use tongxing_store::stats::{figures, Filter};

use crate::stats::source::{Axis, Chart, Figure, FigureSource, Reading, Section};
use crate::Service;

pub const COMPLETED: Metric = Metric::new("needs_completed", Unit::Items, Tally::Count, Some(Drill::Needs));
pub const PEOPLE_SERVED: Metric = Metric::new("people_served", Unit::People, Tally::Distinct, Some(Drill::Needs));
pub const RATING: Metric = Metric::new("average_rating", Unit::Stars, Tally::Average, Some(Drill::Needs));
pub const TO_CLAIM: Metric = Metric::new("hours_to_claim", Unit::Hours, Tally::Median, Some(Drill::Needs));
pub const TO_COMPLETE: Metric = Metric::new("hours_to_complete", Unit::Hours, Tally::Median, Some(Drill::Needs));
/// Needs submitted in the period (the breakdowns count these).
pub const SUBMITTED: Metric = Metric::new("needs_submitted", Unit::Items, Tally::Count, None);

const HOUR_MS: f64 = 3_600_000.0;

fn hours(ms: Option<f64>) -> Option<f64> {
    ms.map(|v| (v / HOUR_MS * 10.0).round() / 10.0)
}

pub struct Needs;

impl FigureSource for Needs {
    fn read<'a>(&'a self, svc: &'a Service, f: &'a Filter, charts: bool) -> Reading<'a> {
        Box::pin(async move {
            let n = figures::needs(&svc.db, f, charts).await?;
            let rated: Vec<i64> = n.completed.iter().filter_map(|x| x.rating_stars).collect();
            let rating = (!rated.is_empty()).then(|| (rated.iter().sum::<i64>() as f64 / rated.len() as f64 * 10.0).round() / 10.0);
            let to_claim = median(n.completed.iter().filter_map(|x| x.claimed_at.map(|c| c - x.created_at)).collect());
            let to_complete = median(n.completed.iter().map(|x| x.completed_at - x.created_at).collect());
            Ok(Section {
                key: "needs",
                figures: vec![
                    Figure::of(COMPLETED, Some(n.completed.len() as f64)),
                    Figure::of(PEOPLE_SERVED, Some(n.people_served as f64)),
                    Figure::of(RATING, rating),
                    Figure::of(TO_CLAIM, hours(to_claim)),
                    Figure::of(TO_COMPLETE, hours(to_complete)),
                ],
                charts: if charts {
                    vec![
                        Chart::of("needs_by_level", Axis::Level, SUBMITTED, n.by_level),
                        Chart::of("needs_by_category", Axis::Category, SUBMITTED, n.by_category),
                    ]
                } else {
                    Vec::new()
                },
            })
        })
    }
}
