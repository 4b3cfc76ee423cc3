//! Competitions: held by the center (or a unit, for its own contest); each
//! unit records its people's entries, coaches and awards, which enter the
//! entrant's record and the coach's.

use serde::Serialize;
use tongxing_domain::model::Paged;
use tongxing_domain::paging::Page;
use tongxing_domain::permission::{Action, Resource};
use tongxing_domain::skills::competitions::{summary, Competition, CompetitionInput, CompetitionSummary, Entry, EntryInput, LEVELS};
use tongxing_domain::Invalid;
use tongxing_store::registry::volunteers;
use tongxing_store::skills::competitions::{self as store, NewCompetition, NewEntry};
use utoipa::ToSchema;

use crate::registry::volunteers::region_today;
use crate::{Actor, Error, Result, Service};

/// A competition with its entrants.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CompetitionDetail {
    #[serde(flatten)]
    pub competition: Competition,
    pub entries: Vec<Entry>,
}

/// A person's competitions, as entrant and as coach.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CompetitionRecord {
    pub person_id: i64,
    pub name: String,
    pub entries: Vec<Entry>,
    pub coached: Vec<Entry>,
    pub summary: CompetitionSummary,
}

impl Service {
    /// A competition: the center's at any level; a liaison's for their own unit.
    pub async fn create_competition(&self, actor: &Actor, input: CompetitionInput) -> Result<i64> {
        let unit = self.skills_unit(actor, Action::Write, input.unit_id)?;
        input.check()?;
        let trade = self.trade_named(&input.trade, "trade").await?;
        let c = NewCompetition {
            title: input.title.trim().to_string(),
            level: input.level.trim().to_string(),
            trade_id: trade.id,
            unit_id: unit,
            held_on: input.held_on.trim().to_string(),
            by: Some(actor.id),
        };
        let id = store::insert(&self.db, &[c]).await.map_err(|e| match e {
            tongxing_store::Error::BadReference => Error::unknown_reference("unit_id"),
            other => other.into(),
        })?;
        let id = id.first().copied().unwrap_or_default();
        self.audit(Some(actor), "create", "skill_competition", Some(id), Some(input.title.trim())).await?;
        Ok(id)
    }

    /// Competitions of a trade and level, latest first: open to every signed-in user.
    pub async fn competitions(&self, actor: &Actor, trade: Option<&str>, level: Option<&str>, page: Page) -> Result<Paged<Competition>> {
        self.require(actor, Action::Read, Resource::Trade)?;
        let level = level.map(str::trim).unwrap_or("");
        if !level.is_empty() && !LEVELS.contains(&level) {
            return Err(Invalid::one("level", "unknown_choice").into());
        }
        let trade = self.trade_filter(trade).await?;
        let (items, total) = store::list(&self.db, trade, level, page.limit(), page.offset()).await?;
        Ok(Paged { items, total })
    }

    pub async fn competition(&self, actor: &Actor, id: i64) -> Result<CompetitionDetail> {
        self.require(actor, Action::Read, Resource::Trade)?;
        let competition = store::get(&self.db, id).await?;
        Ok(CompetitionDetail { competition, entries: store::entries(&self.db, id).await? })
    }

    /// Records an entrant of the actor's reach — their coach, place and
    /// award; an award before the day it is held is 422 `award`.
    pub async fn record_competition_result(&self, actor: &Actor, id: i64, input: EntryInput) -> Result<CompetitionDetail> {
        let scope = self.require(actor, Action::Write, Resource::Skill)?;
        let c = store::get(&self.db, id).await?;
        let (award, prize) = input.check()?;
        if (award.is_some() || input.rank.is_some()) && c.held_on > region_today().to_string() {
            return Err(Invalid::one(if award.is_some() { "award" } else { "rank" }, "not_yet_held").into());
        }
        self.volunteer_in_scope(actor, scope, input.person_id).await?;
        if let Some(coach) = input.coach_id {
            volunteers::get(&self.db, coach).await.map_err(|e| match e {
                tongxing_store::Error::NotFound => Error::unknown_reference("coach_id"),
                other => other.into(),
            })?;
        }
        let e = NewEntry {
            competition_id: id,
            person_id: input.person_id,
            coach_id: input.coach_id,
            rank: input.rank,
            award,
            prize,
            by: Some(actor.id),
        };
        store::record(&self.db, &[e]).await?;
        let detail = format!("competition {id} {}", award.unwrap_or("entrant"));
        self.audit(Some(actor), "competition_result", "volunteer", Some(input.person_id), Some(&detail)).await?;
        self.competition(actor, id).await
    }

    /// A person's competitions as entrant and as coach: themself, their unit, or the center.
    pub async fn competition_record(&self, actor: &Actor, person_id: i64) -> Result<CompetitionRecord> {
        let person = self.skills_record_in_reach(actor, person_id).await?;
        let (entries, coached) = store::of_person(&self.db, person_id).await?;
        let summary = summary(&entries, &coached);
        Ok(CompetitionRecord { person_id, name: person.name, entries, coached, summary })
    }
}
