//! Training classes: made by a unit (or the center), people enrolled,
//! attendance per lesson (hours that count toward the next level) and exam results.

use serde::Serialize;
use tongxing_domain::model::Paged;
use tongxing_domain::paging::Page;
use tongxing_domain::permission::{Action, Resource, Scope};
use tongxing_domain::skills::inputs::{check_score, AttendanceInput, ResultInput, TrainingInput};
use tongxing_domain::skills::views::Training;
use tongxing_domain::Invalid;
use tongxing_store::skills::training::{self as store, Enrolled, NewTraining};
use utoipa::ToSchema;

use crate::{Actor, Error, Result, Service};

/// What an enrolment did: `enrolled`, `already` (nothing new) — a full class is 409 `class_full`.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct EnrolmentResult {
    pub status: &'static str,
    pub enrolled: i64,
}

/// An exam result as recorded.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ExamResult {
    pub person_id: i64,
    pub score: i64,
    pub passed: bool,
}

impl Service {
    pub async fn create_training(&self, actor: &Actor, input: TrainingInput) -> Result<i64> {
        let unit = self.skills_unit(actor, Action::Write, input.unit_id)?;
        let c = input.check()?;
        let trade = self.trade_named(&input.trade, "trade").await?;
        let t = NewTraining {
            title: input.title.trim().to_string(),
            trade_id: trade.id,
            level: c.level,
            unit_id: unit,
            starts_on: input.starts_on.trim().to_string(),
            ends_on: input.ends_on.trim().to_string(),
            capacity: input.capacity,
            pass_mark: c.pass_mark,
            teachers: input.teacher_ids.clone(),
            lessons: c.lessons,
            by: Some(actor.id),
        };
        let id = store::insert(&self.db, &t).await.map_err(|e| match e {
            tongxing_store::Error::BadReference => Error::unknown_reference(if unit.is_some() { "teacher_ids" } else { "unit_id" }),
            other => other.into(),
        })?;
        self.audit(Some(actor), "create", "skill_training", Some(id), Some(&t.title)).await?;
        Ok(id)
    }

    /// Classes of a trade and unit, latest first: open to every signed-in user.
    pub async fn trainings(&self, actor: &Actor, trade: Option<&str>, unit_id: Option<i64>, page: Page) -> Result<Paged<Training>> {
        self.require(actor, Action::Read, Resource::Trade)?;
        let trade = self.trade_filter(trade).await?;
        let (items, total) = store::list(&self.db, trade, unit_id.unwrap_or(0), page.limit(), page.offset()).await?;
        Ok(Paged { items, total })
    }

    pub async fn training(&self, actor: &Actor, id: i64) -> Result<Training> {
        self.require(actor, Action::Read, Resource::Trade)?;
        Ok(store::get(&self.db, id).await?)
    }

    /// The class, if the actor runs it: the center, or the running unit's liaison.
    async fn training_to_run(&self, actor: &Actor, id: i64) -> Result<Training> {
        let scope = self.require(actor, Action::Write, Resource::Skill)?;
        let t = store::get(&self.db, id).await?;
        match scope {
            Scope::All => Ok(t),
            Scope::OwnUnit if t.unit_id.is_some() && t.unit_id == actor.unit_id => Ok(t),
            _ => Err(Error::Forbidden),
        }
    }

    /// Enrols a person of the actor's reach in a class, within its capacity.
    pub async fn enrol(&self, actor: &Actor, training_id: i64, person_id: i64) -> Result<EnrolmentResult> {
        let scope = self.require(actor, Action::Write, Resource::Skill)?;
        store::get(&self.db, training_id).await?;
        self.volunteer_in_scope(actor, scope, person_id).await?;
        let status = match store::enrol(&self.db, training_id, person_id).await? {
            Enrolled::New => "enrolled",
            Enrolled::Already => "already",
            Enrolled::Full => return Err(Error::Conflict { code: "class_full", field: None }),
        };
        self.audit(Some(actor), "enrol", "skill_training", Some(training_id), Some(&format!("volunteer {person_id}"))).await?;
        let enrolled = store::get(&self.db, training_id).await?.enrolled;
        Ok(EnrolmentResult { status, enrolled })
    }

    /// Marks enrolled people present at one of the class's lessons; the
    /// number newly marked.
    pub async fn attend(&self, actor: &Actor, training_id: i64, input: &AttendanceInput) -> Result<u64> {
        self.training_to_run(actor, training_id).await?;
        if store::lesson_training(&self.db, input.lesson_id).await? != Some(training_id) {
            return Err(Error::unknown_reference("lesson_id"));
        }
        let mut people = input.person_ids.clone();
        people.sort_unstable();
        people.dedup();
        if people.is_empty() || people.len() > 500 {
            return Err(Invalid::one("person_ids", "out_of_range").into());
        }
        if store::enrolled_among(&self.db, training_id, &people).await? != people.len() as i64 {
            return Err(Invalid::one("person_ids", "not_in_training").into());
        }
        let n = store::attend(&self.db, input.lesson_id, &people).await?;
        self.audit(Some(actor), "attendance", "skill_training", Some(training_id), Some(&format!("lesson {}", input.lesson_id))).await?;
        Ok(n)
    }

    /// An enrolled person's exam score; passing is at least the pass mark.
    pub async fn record_exam(&self, actor: &Actor, training_id: i64, input: ResultInput) -> Result<ExamResult> {
        let t = self.training_to_run(actor, training_id).await?;
        check_score("score", input.score)?;
        let passed = input.score >= t.pass_mark;
        if !store::record_result(&self.db, training_id, input.person_id, input.score, passed).await? {
            return Err(Invalid::one("person_id", "not_in_training").into());
        }
        let detail = format!("volunteer {} score {}", input.person_id, input.score);
        self.audit(Some(actor), "exam", "skill_training", Some(training_id), Some(&detail)).await?;
        Ok(ExamResult { person_id: input.person_id, score: input.score, passed })
    }
}
