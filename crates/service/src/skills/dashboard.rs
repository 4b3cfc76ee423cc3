//! 技能传承's part of the leadership dashboard (`stats::source::SOURCES`).

use tongxing_domain::stats::metric::{Drill, Metric, Tally, Unit};
use tongxing_store::skills::dashboard;
use tongxing_store::stats::Filter;

use crate::stats::source::{Figure, FigureSource, Reading, Section};
use crate::Service;

const CERTIFICATIONS: Metric = Metric::new("skill_certifications", Unit::Items, Tally::Count, Some(Drill::Certifications));
const CERTIFIED: Metric = Metric::new("skill_certified", Unit::People, Tally::Distinct, Some(Drill::Certifications));
const TRAINEES: Metric = Metric::new("skill_trainees", Unit::People, Tally::Distinct, Some(Drill::Trainees));
const PASSED: Metric = Metric::new("skill_passed", Unit::People, Tally::Distinct, Some(Drill::Trainees));
const SOLVED: Metric = Metric::new("skill_problems_solved", Unit::Items, Tally::Count, Some(Drill::Problems));

pub struct Skills;

impl FigureSource for Skills {
    fn read<'a>(&'a self, svc: &'a Service, f: &'a Filter, _charts: bool) -> Reading<'a> {
        Box::pin(async move {
            let d = dashboard::dashboard(&svc.db, f).await?;
            Ok(Section {
                key: "skills",
                figures: vec![
                    Figure::of(CERTIFICATIONS, Some(d.certifications as f64)),
                    Figure::of(CERTIFIED, Some(d.certified as f64)),
                    Figure::of(TRAINEES, Some(d.trainees as f64)),
                    Figure::of(PASSED, Some(d.passed as f64)),
                    Figure::of(SOLVED, Some(d.problems_solved as f64)),
                ],
                charts: Vec::new(),
            })
        })
    }
}
