//! 子女照辅班 (issue #16): terms and classes, public enrolment with its
//! waitlist, the door, the day log and sheet, alerts, and the guardian's page.
//! Children's data is read only by the center, the class's head and the
//! caretakers on duty that day (every such read audited), and by the guardian
//! with the code and their mobile.

pub mod absence;
pub mod bulk;
pub mod classes;
pub mod dashboard;
pub mod days;
pub(crate) mod demo;
pub mod enrolment;
pub mod glance;
pub mod guardian;
pub mod report;

use tongxing_domain::permission::{Action, Resource};
use tongxing_domain::role::Role;
use tongxing_store::childcare::classes as store;

use crate::{Actor, Error, Result, Service};

/// How a staff member reaches a class day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reach {
    Center,
    Head,
    Caretaker,
}

impl Service {
    /// Whether `actor` may see and record the children of `class_id` on
    /// `day`: the center always, the class's head during the term, a
    /// caretaker on the day of their confirmed shift; 403 otherwise.
    pub async fn childcare_reach(&self, actor: &Actor, class_id: i64, day: &str) -> Result<Reach> {
        if matches!(actor.role, Role::Admin | Role::Coordinator) {
            return Ok(Reach::Center);
        }
        let Some(v) = actor.volunteer_id else { return Err(Error::Forbidden) };
        match store::on_duty(&self.db, v, day).await?.into_iter().filter(|(c, _)| *c == class_id).map(|(_, head)| head).max() {
            Some(true) => Ok(Reach::Head),
            Some(false) => Ok(Reach::Caretaker),
            None => Err(Error::Forbidden),
        }
    }

    /// Center-only writes (terms, classes, the rota).
    fn require_childcare_center(&self, actor: &Actor) -> Result<()> {
        self.require(actor, Action::Write, Resource::Childcare).map(|_| ())
    }
}
