//! The registry as it stands: teams, volunteers, party members' share.

use tongxing_domain::stats::metric::{Metric, Tally, Unit};
use tongxing_store::stats::{figures, Filter};

use crate::stats::source::{Axis, Chart, Figure, FigureSource, Reading, Section};
use crate::Service;

pub const TEAMS: Metric = Metric::new("teams", Unit::Items, Tally::Current, None);
pub const VOLUNTEERS: Metric = Metric::new("volunteers", Unit::People, Tally::Current, None);
pub const PARTY_MEMBERS: Metric = Metric::new("party_members", Unit::People, Tally::Current, None);
pub const PARTY_SHARE: Metric = Metric::new("party_share", Unit::Percent, Tally::Share, None).today();

pub struct Registry;

impl FigureSource for Registry {
    fn read<'a>(&'a self, svc: &'a Service, f: &'a Filter, charts: bool) -> Reading<'a> {
        Box::pin(async move {
            // Today's registry does not depend on the period: one read per
            // narrowing serves every period asked within `cache::FIGURES_TTL`.
            let key = format!("stats-registry:{}:{}:{}:{charts}", f.district_id, f.unit_id, f.team_id);
            let (t, by_district, by_unit) = match svc.caches.figures(&key) {
                Some(cached) => cached,
                None => {
                    let read = figures::registry(&svc.db, f, charts).await?;
                    svc.caches.put_figures(&key, read.clone());
                    read
                }
            };
            let share = (t.volunteers > 0).then(|| (t.party_members as f64 * 1000.0 / t.volunteers as f64).round() / 10.0);
            Ok(Section {
                key: "registry",
                figures: vec![
                    Figure::of(TEAMS, Some(t.teams as f64)),
                    Figure::of(VOLUNTEERS, Some(t.volunteers as f64)),
                    Figure::of(PARTY_MEMBERS, Some(t.party_members as f64)),
                    Figure::of(PARTY_SHARE, share),
                ],
                charts: if charts {
                    vec![
                        Chart::of("volunteers_by_district", Axis::District, VOLUNTEERS, by_district),
                        Chart::of("volunteers_by_unit", Axis::Unit, VOLUNTEERS, by_unit),
                    ]
                } else {
                    Vec::new()
                },
            })
        })
    }

    fn dated(&self) -> bool {
        false
    }
}
