//! Answers to a call: a volunteer's own (signed in, or from the one-tap
//! link in their SMS), and a liaison committing named people of their unit.

use serde::Serialize;
use tongxing_domain::dispatch::{Answer, ResponseStatus};
use tongxing_domain::model::Volunteer;
use tongxing_domain::permission::{Action, Resource, Scope};
use tongxing_store::dispatch as dispatches;
use tongxing_store::dispatch::answers::{self as store, Refused};
use tongxing_store::registry::volunteers;
use utoipa::ToSchema;

use super::secret;
use crate::{Actor, Error, Result, Service};

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Answered {
    pub volunteer_id: i64,
    pub status: ResponseStatus,
    /// False when this answer had already been given: nothing changed.
    pub changed: bool,
}

fn settle(volunteer_id: i64, r: std::result::Result<store::Answered, Refused>) -> Result<Answered> {
    match r {
        Ok(a) => Ok(Answered { volunteer_id, status: a.status, changed: a.changed }),
        Err(Refused::CallClosed) => Err(Error::Conflict { code: "call_closed", field: None }),
    }
}

impl Service {
    /// An answer for `volunteer_id`: a volunteer only for themselves, a
    /// liaison for their unit's people, the center for anyone. A liaison or
    /// the center accepting for someone not asked commits them.
    pub async fn answer_dispatch(&self, actor: &Actor, id: i64, volunteer_id: i64, answer: Answer) -> Result<Answered> {
        let (scope, person) = self.answerable(actor, volunteer_id).await?;
        dispatches::get(&self.db, id).await?;
        self.record_answer(actor, scope, id, &person, answer).await
    }

    /// The caller's reach on calls, and the person, if the caller may answer for them.
    async fn answerable(&self, actor: &Actor, volunteer_id: i64) -> Result<(Scope, Volunteer)> {
        let scope = self.require(actor, Action::Write, Resource::Dispatch)?;
        let person = volunteers::get(&self.db, volunteer_id).await.map_err(|_| Error::unknown_reference("volunteer_id"))?;
        let allowed = match scope {
            Scope::All => true,
            Scope::OwnUnit => actor.unit_id == Some(person.unit_id),
            Scope::OwnRecord => actor.volunteer_id == Some(volunteer_id),
            _ => false,
        };
        allowed.then_some((scope, person)).ok_or(Error::Forbidden)
    }

    async fn record_answer(&self, actor: &Actor, scope: Scope, id: i64, person: &Volunteer, answer: Answer) -> Result<Answered> {
        let result = match store::answer(&self.db, id, person.id, answer, Some(actor.id)).await {
            Err(tongxing_store::Error::NotFound) if scope != Scope::OwnRecord && answer == Answer::Accept => {
                store::commit(&self.db, id, person.id, person.unit_id, &secret(), actor.id).await?
            }
            Err(tongxing_store::Error::NotFound) => return Err(Error::Conflict { code: "not_asked", field: Some("volunteer_id") }),
            other => other?,
        };
        settle(person.id, result)
    }

    /// A liaison commits named people of their unit in one go; each gets
    /// their own result (confirmed, or standby once the call is full). Every
    /// one must be within the caller's reach before anyone is committed.
    pub async fn commit_people(&self, actor: &Actor, id: i64, volunteer_ids: &[i64]) -> Result<Vec<Answered>> {
        let mut people = Vec::with_capacity(volunteer_ids.len());
        for &v in volunteer_ids {
            people.push(self.answerable(actor, v).await?);
        }
        dispatches::get(&self.db, id).await?;
        let mut out = Vec::with_capacity(people.len());
        for (scope, person) in &people {
            out.push(self.record_answer(actor, *scope, id, person, Answer::Accept).await?);
        }
        Ok(out)
    }

    /// A signed-in volunteer's own answer link on a call they were asked on
    /// (their in-app notification leads there).
    pub async fn my_answer_token(&self, actor: &Actor, id: i64) -> Result<String> {
        let me = actor.volunteer_id.ok_or(Error::Forbidden)?;
        store::token_of(&self.db, id, me).await.map_err(|e| match e {
            tongxing_store::Error::NotFound => Error::Conflict { code: "not_asked", field: None },
            other => other.into(),
        })
    }

    /// A liaison's own unit's people who could come, best first, with
    /// whether they were already asked: the list they commit people from.
    pub async fn unit_candidates(&self, actor: &Actor, id: i64) -> Result<Vec<tongxing_domain::dispatch::rank::Ranked>> {
        let unit = match self.require(actor, Action::Write, Resource::Dispatch)? {
            Scope::OwnUnit => actor.unit_id.ok_or(Error::Forbidden)?,
            _ => return Err(Error::Forbidden),
        };
        let mut all = self.ranked(id, usize::MAX).await?;
        all.retain(|r| r.unit_id == unit);
        all.truncate(200);
        Ok(all)
    }

    /// The call and person an answer link is for, and where they stand.
    pub async fn answer_link_target(&self, token: &str) -> Result<(dispatches::Call, i64, ResponseStatus)> {
        let (call, volunteer) = store::by_token(&self.db, token).await?;
        let status = store::responses(&self.db, call, &[])
            .await?
            .into_iter()
            .find(|r| r.volunteer_id == volunteer)
            .and_then(|r| ResponseStatus::parse(&r.status))
            .ok_or(Error::NotFound)?;
        Ok((dispatches::get(&self.db, call).await?, volunteer, status))
    }

    /// An answer from the one-tap link: the link's secret is the proof.
    pub async fn answer_by_link(&self, token: &str, answer: Answer) -> Result<Answered> {
        let (call, volunteer) = store::by_token(&self.db, token).await?;
        settle(volunteer, store::answer(&self.db, call, volunteer, answer, None).await?)
    }
}
