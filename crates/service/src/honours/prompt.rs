//! What recognition asks of each role on its first screen, in one small read.

use tongxing_domain::role::Role;
use tongxing_domain::time::region_date;
use tongxing_store::honours::rounds::Running;
use tongxing_store::honours::{awards, rounds};

use crate::{Actor, Result, Service};

pub enum HonourPrompt {
    Nothing,
    /// A liaison or leader: nominate by this day.
    Nominate {
        round_id: i64,
        title: String,
        until: String,
    },
    /// The center: the newest round still running and what it waits for.
    Run(Running),
    /// A volunteer honoured: the newest honour.
    Honoured {
        title: String,
        year: i64,
    },
}

impl Service {
    pub async fn honour_prompt(&self, actor: &Actor, now: i64) -> Result<HonourPrompt> {
        Ok(match actor.role {
            Role::Admin | Role::Coordinator => match rounds::running(&self.db).await? {
                Some(r) => HonourPrompt::Run(r),
                None => HonourPrompt::Nothing,
            },
            Role::Liaison | Role::TeamLeader => match rounds::nominating(&self.db, &region_date(now).to_string()).await? {
                Some((round_id, title, until)) => HonourPrompt::Nominate { round_id, title, until },
                None => HonourPrompt::Nothing,
            },
            Role::Volunteer => match actor.volunteer_id {
                Some(v) => match awards::of_volunteer(&self.db, v).await?.into_iter().next() {
                    Some(a) => HonourPrompt::Honoured { title: a.round_title, year: a.year },
                    None => HonourPrompt::Nothing,
                },
                None => HonourPrompt::Nothing,
            },
            _ => HonourPrompt::Nothing,
        })
    }
}
