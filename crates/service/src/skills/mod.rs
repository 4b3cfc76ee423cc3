//! 技能传承 (PRODUCT.md C11): trades and the certification ladder, who may
//! apply for the next level, training classes, competitions, 师带徒 and the
//! front-line problem board. People are the registry's; reach follows `permission`.

pub mod apprenticeship;
pub mod attachments;
pub mod competitions;
pub mod dashboard;
mod demo;
pub mod import;
pub mod ladder;
pub mod mentoring;
pub mod merges;
pub mod problems;
pub mod reminders;
pub mod training;

use tongxing_domain::permission::{Action, Resource, Scope};
use tongxing_domain::skills::ladder::Level;
use tongxing_domain::skills::views::{LevelRule, Trade};
use tongxing_store::skills::ladder::{self as trades, rule_of};

use crate::{Actor, Error, Result, Service};

impl Service {
    /// A trade by its code, or 422 on `field`.
    pub(crate) async fn trade_named(&self, code: &str, field: &'static str) -> Result<trades::TradeRow> {
        trades::trade_by_code(&self.db, code).await?.ok_or_else(|| Error::unknown_reference(field))
    }

    /// A list filter's trade: its id, 0 when none is asked; 422 `trade` for an unknown code.
    pub(crate) async fn trade_filter(&self, code: Option<&str>) -> Result<i64> {
        match code.map(str::trim).filter(|t| !t.is_empty()) {
            Some(code) => Ok(self.trade_named(code, "trade").await?.id),
            None => Ok(0),
        }
    }

    /// Every trade with the rule of each step up: its own, or the default.
    pub async fn trades(&self, actor: &Actor) -> Result<Vec<Trade>> {
        self.require(actor, Action::Read, Resource::Trade)?;
        let own = trades::rules(&self.db).await?;
        Ok(trades::trades(&self.db)
            .await?
            .into_iter()
            .map(|t| {
                let rules = Level::ALL[..4]
                    .iter()
                    .map(|l| {
                        let r = rule_of(&own, t.id, *l);
                        LevelRule { level: l.code().to_string(), years: r.years, hours: r.hours }
                    })
                    .collect();
                Trade { id: t.id, code: t.code, name: t.name, rules }
            })
            .collect())
    }

    /// A person whose skills record the actor may read: their own always
    /// (whatever their role), else within the role's reach.
    pub(crate) async fn skills_record_in_reach(&self, actor: &Actor, person_id: i64) -> Result<tongxing_domain::model::Volunteer> {
        if actor.volunteer_id == Some(person_id) {
            return Ok(tongxing_store::registry::volunteers::get(&self.db, person_id).await?);
        }
        let scope = self.require(actor, Action::Read, Resource::Skill)?;
        self.volunteer_in_scope(actor, scope, person_id).await
    }

    /// Reach over one unit's skills records: `None` for the whole region.
    /// A liaison reads and writes only their own unit's.
    pub(crate) fn skills_unit(&self, actor: &Actor, action: Action, asked: Option<i64>) -> Result<Option<i64>> {
        match self.require(actor, action, Resource::Skill)? {
            Scope::All => Ok(asked),
            Scope::OwnUnit if asked.is_none() || asked == actor.unit_id => Ok(actor.unit_id),
            _ => Err(Error::Forbidden),
        }
    }
}

/// What a first screen shows of 技能传承.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SkillsPrompt {
    Nothing,
    /// A liaison: how many lines of their unit's list may apply for the next
    /// level now, and how many within six months.
    UnitEligible {
        now: i64,
        soon: i64,
    },
    /// A worker: their certifications, and the problems open on the board.
    Own {
        certifications: i64,
        open_problems: i64,
    },
    /// The center and team leaders: problems waiting for a team.
    OpenProblems(i64),
}

impl Service {
    /// The first screen's skills card for the actor's role.
    pub(crate) async fn skills_prompt(&self, actor: &Actor) -> Result<SkillsPrompt> {
        use tongxing_domain::role::Role;
        use tongxing_store::skills::problems;
        Ok(match actor.role {
            Role::Liaison if actor.unit_id.is_some() => {
                // Walking a unit of thousands for two numbers was most of the
                // liaison's first screen, and eligibility moves by the day: the
                // counts are read at most once per `cache::FIGURES_TTL` per unit
                // (the list itself is always read afresh).
                let key = format!("skills-eligible:{:?}", actor.unit_id);
                if let Some(p) = self.caches.figures::<SkillsPrompt>(&key) {
                    return Ok(p);
                }
                // The counts are what the card shows; one line is the least page there is.
                let q = ladder::EligibleQuery { unit_id: actor.unit_id, trade: None, within_months: None };
                let list = self.eligible(actor, &q, tongxing_domain::paging::Page { page: 1, per_page: 1 }).await?;
                let p = SkillsPrompt::UnitEligible { now: list.now, soon: list.soon };
                self.caches.put_figures(&key, p);
                p
            }
            Role::Volunteer => match actor.volunteer_id {
                Some(v) => SkillsPrompt::Own {
                    certifications: trades::of_person(&self.db, v).await?.len() as i64,
                    open_problems: problems::open_count(&self.db).await?,
                },
                None => SkillsPrompt::Nothing,
            },
            Role::Admin | Role::Coordinator | Role::TeamLeader => SkillsPrompt::OpenProblems(problems::open_count(&self.db).await?),
            _ => SkillsPrompt::Nothing,
        })
    }
}
