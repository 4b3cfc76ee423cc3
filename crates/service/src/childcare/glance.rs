//! 子女照辅班 on the first screens: the center sees today's classes, the
//! children in and the alerts; a class head or caretaker sees today's class
//! (and the day sheet it leads to); a liaison, the classes open for their
//! unit's families. Nobody else is asked anything.

use tongxing_domain::role::Role;
use tongxing_domain::time::region_date;
use tongxing_store::childcare::classes as store;

use crate::{Actor, Result, Service};

/// What the first screen shows of the programme.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum ChildcareGlance {
    #[default]
    Nothing,
    /// The center: classes meeting today, children in now, alerts raised today.
    Center { classes: i64, children_in: i64, alerts: i64 },
    /// A liaison: classes open for enrolment, to enrol the unit's families in.
    Enrolment { open: i64 },
    /// Today's classes the volunteer heads or has a shift in: (class, name, heads it), and the day.
    Duty { day: String, classes: Vec<(i64, String, bool)> },
}

impl Service {
    pub async fn childcare_glance(&self, actor: &Actor, now: i64) -> Result<ChildcareGlance> {
        let day = region_date(now).to_string();
        match (actor.role, actor.volunteer_id) {
            (Role::Admin | Role::Coordinator, _) => {
                let (classes, children_in, alerts) = store::today(&self.db, &day).await?;
                Ok(if classes == 0 { ChildcareGlance::Nothing } else { ChildcareGlance::Center { classes, children_in, alerts } })
            }
            (Role::Liaison, _) => {
                let open = store::list(&self.db, None).await?.iter().filter(|c| c.ends_on >= day).count() as i64;
                Ok(if open == 0 { ChildcareGlance::Nothing } else { ChildcareGlance::Enrolment { open } })
            }
            (_, Some(v)) => {
                let duty = store::on_duty(&self.db, v, &day).await?;
                if duty.is_empty() {
                    return Ok(ChildcareGlance::Nothing);
                }
                let ids: Vec<i64> = duty.iter().map(|d| d.0).collect();
                let names = store::names(&self.db, &ids).await?;
                let classes = names.into_iter().map(|(id, n)| (id, n, duty.iter().any(|d| d.0 == id && d.1))).collect();
                Ok(ChildcareGlance::Duty { day, classes })
            }
            _ => Ok(ChildcareGlance::Nothing),
        }
    }
}
