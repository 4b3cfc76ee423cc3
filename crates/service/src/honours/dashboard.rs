//! Recognition's part of the leadership dashboard (`stats::source::SOURCES`).

use tongxing_domain::stats::metric::{Drill, Metric, Tally, Unit};
use tongxing_store::honours::dashboard;
use tongxing_store::stats::Filter;

use crate::stats::source::{Figure, FigureSource, Reading, Section};
use crate::Service;

const ROUNDS: Metric = Metric::new("honour_rounds", Unit::Items, Tally::Distinct, Some(Drill::Honours));
const VOLUNTEERS: Metric = Metric::new("honoured_volunteers", Unit::People, Tally::Distinct, Some(Drill::Honours));
const TEAMS: Metric = Metric::new("honoured_teams", Unit::Items, Tally::Distinct, Some(Drill::Honours));

pub struct Honours;

impl FigureSource for Honours {
    fn read<'a>(&'a self, svc: &'a Service, f: &'a Filter, _charts: bool) -> Reading<'a> {
        Box::pin(async move {
            let d = dashboard::dashboard(&svc.db, f).await?;
            Ok(Section {
                key: "honours",
                figures: vec![
                    Figure::of(ROUNDS, Some(d.rounds as f64)),
                    Figure::of(VOLUNTEERS, Some(d.volunteers as f64)),
                    Figure::of(TEAMS, Some(d.teams as f64)),
                ],
                charts: Vec::new(),
            })
        })
    }
}
