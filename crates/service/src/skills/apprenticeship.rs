//! A 师带徒 agreement's course: assessments (monthly by the mentor,
//! quarterly by the workshop, yearly by the unit) and its completion (出师).

use serde::Serialize;
use tongxing_domain::campaigns::campaign::parse_date;
use tongxing_domain::permission::{Action, Resource};
use tongxing_domain::skills::apprenticeship::{timing, AssessmentInput, CompletionInput};
use tongxing_domain::skills::views::{Assessment, Mentorship};
use tongxing_store::skills::mentoring::{self as store, NewAssessment};
use utoipa::ToSchema;

use crate::registry::volunteers::region_today;
use crate::{Actor, Error, Result, Service};

/// An agreement with its assessments. The list is not `assessments`: the
/// agreement's own `assessments` (their count) is flattened beside it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MentorshipDetail {
    #[serde(flatten)]
    pub mentorship: Mentorship,
    pub assessment_records: Vec<Assessment>,
}

/// Names an agreement's status and, once completed, its timing.
pub(crate) fn settle(m: &mut Mentorship) {
    let done = m.completed_on.as_deref().and_then(parse_date);
    m.status = if done.is_some() { "completed" } else { "active" }.to_string();
    m.timing = done.zip(parse_date(&m.ends_on)).map(|(on, end)| timing(on, end).to_string());
}

impl Service {
    /// An agreement: its mentor and apprentice, or whoever may read the apprentice's record.
    pub async fn mentorship(&self, actor: &Actor, id: i64) -> Result<MentorshipDetail> {
        let (mut m, _) = store::get(&self.db, id).await?;
        if actor.volunteer_id != Some(m.mentor_id) {
            self.skills_record_in_reach(actor, m.apprentice_id).await?;
        }
        settle(&mut m);
        Ok(MentorshipDetail { assessment_records: store::assessments(&self.db, id).await?, mentorship: m })
    }

    /// The agreement, if the actor keeps the apprentice's records: their unit or the center.
    async fn mentorship_to_keep(&self, actor: &Actor, id: i64) -> Result<Mentorship> {
        let (m, _) = store::get(&self.db, id).await?;
        let scope = self.require(actor, Action::Write, Resource::Skill)?;
        self.volunteer_in_scope(actor, scope, m.apprentice_id).await?;
        Ok(m)
    }

    /// Records an assessment: a monthly one by the mentor themself, the
    /// unit's liaison or the center; quarterly and yearly ones by the unit or
    /// the center. A second of one scope and period is 409 `duplicate_assessment`.
    pub async fn assess_apprentice(&self, actor: &Actor, id: i64, input: AssessmentInput) -> Result<MentorshipDetail> {
        let (m, _) = store::get(&self.db, id).await?;
        if !(input.scope == "monthly" && actor.volunteer_id == Some(m.mentor_id)) {
            self.mentorship_to_keep(actor, id).await?;
        }
        if m.completed_on.is_some() {
            return Err(Error::Conflict { code: "already_completed", field: None });
        }
        let starts = parse_date(&m.starts_on).unwrap_or_default();
        input.check(starts, region_today())?;
        let a = NewAssessment {
            apprenticeship_id: id,
            scope: input.scope.clone(),
            period: input.period.trim().to_string(),
            score: input.score,
            comment: input.comment.filter(|c| !c.trim().is_empty()),
            by: Some(actor.id),
        };
        store::assess(&self.db, &[a]).await.map_err(|e| match e {
            tongxing_store::Error::Conflict => Error::Conflict { code: "duplicate_assessment", field: Some("period") },
            other => other.into(),
        })?;
        let detail = format!("{} {} {}", input.scope, input.period.trim(), input.score);
        self.audit(Some(actor), "assess", "skill_apprenticeship", Some(id), Some(&detail)).await?;
        self.mentorship(actor, id).await
    }

    /// 出师 with a final assessment, by the apprentice's unit or the center;
    /// early or late against the agreed end. Twice is 409 `already_completed`.
    pub async fn complete_mentorship(&self, actor: &Actor, id: i64, input: CompletionInput) -> Result<MentorshipDetail> {
        let m = self.mentorship_to_keep(actor, id).await?;
        let on = input.check(parse_date(&m.starts_on).unwrap_or_default(), region_today())?;
        let comment = input.comment.as_deref().map(str::trim).filter(|c| !c.is_empty());
        if !store::complete(&self.db, id, &on.to_string(), input.final_score, comment).await? {
            return Err(Error::Conflict { code: "already_completed", field: None });
        }
        self.audit(Some(actor), "complete", "skill_apprenticeship", Some(id), Some(&on.to_string())).await?;
        self.mentorship(actor, id).await
    }
}
