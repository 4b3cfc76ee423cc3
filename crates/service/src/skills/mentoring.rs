//! 师带徒: agreements entered by the apprentice's unit, and a mentor's page
//! of what became of each apprentice — computed from their records.

use serde::Serialize;
use tongxing_domain::model::Paged;
use tongxing_domain::paging::Page;
use tongxing_domain::permission::{Action, Resource};
use tongxing_domain::skills::inputs::MentorshipInput;
use tongxing_domain::skills::ladder::Level;
use tongxing_domain::skills::views::{Apprentice, LevelCount, MentoringSummary, Mentorship, TradeCount};
use tongxing_store::registry::volunteers;
use tongxing_store::skills::mentoring::{self as store, ApprenticeRow, CertifiedSince, NewMentorship};
use utoipa::ToSchema;

use crate::{Actor, Error, Result, Service};

/// A mentor's page.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Mentoring {
    pub mentor_id: i64,
    pub mentor_name: String,
    pub apprentices: Vec<Apprentice>,
    pub summary: MentoringSummary,
}

impl Service {
    /// A 师带徒 agreement for an apprentice of the actor's reach.
    pub async fn create_mentorship(&self, actor: &Actor, input: MentorshipInput) -> Result<i64> {
        let scope = self.require(actor, Action::Write, Resource::Skill)?;
        let (from, target) = input.check()?;
        self.volunteer_in_scope(actor, scope, input.apprentice_id).await?;
        volunteers::get(&self.db, input.mentor_id).await.map_err(|e| match e {
            tongxing_store::Error::NotFound => Error::unknown_reference("mentor_id"),
            other => other.into(),
        })?;
        let trade = self.trade_named(&input.trade, "trade").await?;
        let m = NewMentorship {
            mentor_id: input.mentor_id,
            apprentice_id: input.apprentice_id,
            trade_id: trade.id,
            from_level: from,
            target_level: target,
            starts_on: input.starts_on.trim().to_string(),
            ends_on: input.ends_on.trim().to_string(),
            goals: input.goals.filter(|g| !g.trim().is_empty()),
            by: Some(actor.id),
        };
        let id = store::insert(&self.db, &[m]).await?.pop().unwrap_or_default();
        self.audit(Some(actor), "create", "skill_apprenticeship", Some(id), None).await?;
        Ok(id)
    }

    /// Agreements of a person (as mentor or apprentice) or of a unit's apprentices.
    pub async fn mentorships(&self, actor: &Actor, person_id: Option<i64>, unit_id: Option<i64>, page: Page) -> Result<Paged<Mentorship>> {
        let unit = self.skills_unit(actor, Action::Read, unit_id)?;
        let (mut items, total) = store::list(&self.db, person_id.unwrap_or(0), unit.unwrap_or(0), page.limit(), page.offset()).await?;
        items.iter_mut().for_each(super::apprenticeship::settle);
        Ok(Paged { items, total })
    }

    /// A mentor's apprentices and what became of them: the mentor
    /// themself, their unit, or the center.
    pub async fn mentoring(&self, actor: &Actor, mentor_id: i64) -> Result<Mentoring> {
        let mentor = self.skills_record_in_reach(actor, mentor_id).await?;
        let (people, trades) = store::apprentices(&self.db, mentor_id).await?;
        let (apprentices, summary) = outcomes(people, &trades);
        Ok(Mentoring { mentor_id, mentor_name: mentor.name, apprentices, summary })
    }
}

/// Each apprentice's outcome and the mentor's figures: apprentices by the
/// highest level reached in their agreement's trade, by trade certified in
/// since, and those who won a competition award since.
pub fn outcomes(people: Vec<ApprenticeRow>, trades: &[CertifiedSince]) -> (Vec<Apprentice>, MentoringSummary) {
    let mut apprentices: Vec<Apprentice> = Vec::new();
    for p in people {
        if apprentices.iter().any(|a| a.person_id == p.person_id) {
            continue;
        }
        let mut since: Vec<String> = trades.iter().filter(|t| t.person_id == p.person_id).map(|t| t.trade_name.clone()).collect();
        since.sort();
        apprentices.push(Apprentice {
            mentorship_id: p.mentorship_id,
            person_id: p.person_id,
            name: p.name,
            trade: p.trade,
            trade_name: p.trade_name,
            level: Level::from_rank(p.level).map(|l| l.code().to_string()),
            certifications_since: p.certifications_since,
            trades_since: since,
            completed: p.completed != 0,
            awards: p.awards,
        });
    }
    let by_level = Level::ALL
        .iter()
        .rev()
        .map(|l| LevelCount {
            level: l.code().to_string(),
            people: apprentices.iter().filter(|a| a.level.as_deref() == Some(l.code())).count() as i64,
        })
        .collect();
    let mut names: Vec<&String> = trades.iter().map(|t| &t.trade_name).collect();
    names.sort();
    names.dedup();
    let certified_by_trade = names
        .into_iter()
        .map(|n| TradeCount { trade_name: n.clone(), people: apprentices.iter().filter(|a| a.trades_since.contains(n)).count() as i64 })
        .collect();
    let summary = MentoringSummary {
        apprentices: apprentices.len() as i64,
        completed: apprentices.iter().filter(|a| a.completed).count() as i64,
        by_level,
        certified_by_trade,
        awarded: apprentices.iter().filter(|a| a.awards > 0).count() as i64,
    };
    (apprentices, summary)
}
