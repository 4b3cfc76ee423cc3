//! The programme for the center and leadership: per class of a term
//! (enrolled, waitlisted, attending per day, caretaker-hours, incidents,
//! ratings) and per unit of the guardians. Counts only: no child's data.

use serde::Serialize;
use tongxing_domain::role::Role;
use tongxing_store::childcare::classes as class_store;
use tongxing_store::childcare::report::{self as store, ClassFigures, UnitFigures};
use utoipa::ToSchema;

use crate::{Actor, Error, Result, Service};

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Programme {
    pub term_id: i64,
    pub term_name: String,
    pub classes: Vec<ClassFigures>,
    pub units: Vec<UnitFigures>,
}

impl Service {
    pub async fn childcare_programme(&self, actor: &Actor, term_id: i64) -> Result<Programme> {
        if !matches!(actor.role, Role::Admin | Role::Coordinator | Role::Viewer) {
            return Err(Error::Forbidden);
        }
        let term = class_store::term(&self.db, term_id).await?;
        let (classes, units) = tokio::try_join!(store::classes(&self.db, term_id), store::units(&self.db, term_id))?;
        Ok(Programme { term_id, term_name: term.name, classes, units })
    }
}
