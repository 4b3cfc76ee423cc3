//! Disputes of ledger entries: which ones a leader or the center must
//! answer, and a volunteer's own with their answers.

use tongxing_domain::dispute::Dispute;
use tongxing_domain::permission::{Action, Resource, Scope};
use tongxing_store::disputes;

use crate::{Actor, Error, Result, Service};

impl Service {
    /// The open disputes the actor must answer: their team's, or all for the center.
    pub async fn open_disputes(&self, actor: &Actor) -> Result<Vec<Dispute>> {
        let team = match self.require(actor, Action::Write, Resource::Hours)? {
            Scope::All => None,
            Scope::OwnTeam => Some(actor.team_id.ok_or(Error::Forbidden)?),
            _ => return Err(Error::Forbidden),
        };
        Ok(disputes::open(&self.db, team, 500).await?)
    }

    /// A volunteer's disputes with their answers, newest first.
    pub async fn disputes_of(&self, actor: &Actor, volunteer_id: i64) -> Result<Vec<Dispute>> {
        self.hours_access(actor, volunteer_id, Action::Read).await?;
        Ok(disputes::of_volunteer(&self.db, volunteer_id, 200).await?)
    }
}
