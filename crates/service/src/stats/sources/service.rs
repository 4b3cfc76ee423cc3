//! Activities and the hours ledger: what was done, by whom, how long.

use tongxing_domain::stats::metric::{Drill, Metric, Tally, Unit};
use tongxing_store::stats::{figures, Filter};

use crate::stats::source::{Axis, Chart, Figure, FigureSource, Reading, Section};
use crate::Service;

pub const ACTIVITIES: Metric = Metric::new("activities", Unit::Items, Tally::Count, Some(Drill::Activities));
pub const PROJECTS: Metric = Metric::new("projects", Unit::Items, Tally::Distinct, Some(Drill::Activities));
pub const HOURS: Metric = Metric::new("hours", Unit::Hours, Tally::Sum, Some(Drill::Entries));
pub const ACTIVE_VOLUNTEERS: Metric = Metric::new("active_volunteers", Unit::People, Tally::Distinct, Some(Drill::Entries));

pub struct Activities;

impl FigureSource for Activities {
    fn read<'a>(&'a self, svc: &'a Service, f: &'a Filter, charts: bool) -> Reading<'a> {
        Box::pin(async move {
            let s = figures::service(&svc.db, f, charts).await?;
            let t = &s.totals;
            Ok(Section {
                key: "service",
                figures: vec![
                    Figure::of(ACTIVITIES, Some(t.activities as f64)),
                    Figure::of(PROJECTS, Some(t.projects as f64)),
                    Figure::of(HOURS, Some((t.hours * 10.0).round() / 10.0)),
                    Figure::of(ACTIVE_VOLUNTEERS, Some(t.people as f64)),
                ],
                charts: if charts {
                    vec![
                        Chart::of("hours_by_month", Axis::Month, HOURS, s.hours_by_month),
                        Chart::of("activities_by_month", Axis::Month, ACTIVITIES, s.activities_by_month),
                        Chart::of("activities_by_theme", Axis::Theme, ACTIVITIES, s.activities_by_theme),
                        Chart::of("hours_by_team", Axis::Team, HOURS, s.hours_by_team),
                    ]
                } else {
                    Vec::new()
                },
            })
        })
    }
}
