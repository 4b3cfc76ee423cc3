//! 子女照辅班's part of the leadership dashboard (`stats::source::SOURCES`).

use tongxing_domain::stats::metric::{Metric, Tally, Unit};
use tongxing_store::childcare::report;
use tongxing_store::stats::Filter;

use crate::stats::source::{Figure, FigureSource, Reading, Section};
use crate::Service;

const CLASSES: Metric = Metric::new("childcare_classes", Unit::Items, Tally::Count, None);
const CHILDREN: Metric = Metric::new("childcare_children", Unit::People, Tally::Distinct, None);
const CHILD_DAYS: Metric = Metric::new("childcare_child_days", Unit::Items, Tally::Count, None);
const INCIDENTS: Metric = Metric::new("childcare_incidents", Unit::Items, Tally::Count, None);

pub struct Childcare;

impl FigureSource for Childcare {
    fn read<'a>(&'a self, svc: &'a Service, f: &'a Filter, _charts: bool) -> Reading<'a> {
        Box::pin(async move {
            let d = report::dashboard(&svc.db, f).await?;
            Ok(Section {
                key: "childcare",
                figures: vec![
                    Figure::of(CLASSES, Some(d.classes as f64)),
                    Figure::of(CHILDREN, Some(d.children as f64)),
                    Figure::of(CHILD_DAYS, Some(d.child_days as f64)),
                    Figure::of(INCIDENTS, Some(d.incidents as f64)),
                ],
                charts: Vec::new(),
            })
        })
    }
}
