//! Activities: planning, sign-ups with a waitlist, and check-in/out. The
//! rules come from `tongxing_domain::activities`; capacity is the store's.

use chrono::NaiveDate;
use rand::RngCore;
use serde::{Deserialize, Serialize};
use tongxing_domain::activities::{self as rules, Activity, ActivityInput, RosterLine, SignupStatus};
use tongxing_domain::model::Paged;
use tongxing_domain::paging::Page;
use tongxing_domain::permission::{Action, Resource, Scope};
use tongxing_domain::Invalid;
use tongxing_store::activities::attendance::{self, CheckOut};
use tongxing_store::activities::{self as store, Filter, NewActivity};
use tongxing_store::{
    activities::{mine, signups},
    now_ms,
    registry::{communities, teams, volunteers},
};
use utoipa::ToSchema;

use crate::{Actor, Error, Result, Service};

/// How early before the start a check-in is accepted (people arrive early).
const CHECKIN_EARLY_MS: i64 = 2 * rules::HOUR_MS;
/// A client's clock may run a little ahead of ours.
const CLOCK_SKEW_MS: i64 = 5 * 60_000;
/// "My activities" lists this many sign-ups ahead and activities attended.
const MINE_AHEAD_MAX: i64 = 100;
const MINE_PAST_MAX: i64 = 50;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum CheckKind {
    In,
    Out,
}

/// The answer to a check-in or check-out; `repeated` when it was already recorded.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Checked {
    pub kind: CheckKind,
    #[serde(serialize_with = "tongxing_domain::time::ms_as_rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub at: i64,
    pub repeated: bool,
    pub walk_up: bool,
}

pub(crate) fn conflict(code: &'static str, field: &'static str) -> Error {
    Error::Conflict { code, field: Some(field) }
}

fn token() -> String {
    let mut b = [0u8; 16];
    rand::thread_rng().fill_bytes(&mut b);
    rules::token(b)
}

impl Service {
    /// The team a write on an activity needs: a leader only their own.
    fn require_team(&self, actor: &Actor, team_id: i64) -> Result<()> {
        match self.require(actor, Action::Write, Resource::Activity)? {
            Scope::All => Ok(()),
            Scope::OwnTeam if actor.team_id == Some(team_id) => Ok(()),
            _ => Err(Error::Forbidden),
        }
    }

    /// Plans an activity, or a weekly series of them in one action. Returns
    /// the ids, first session first.
    pub async fn plan_activity(&self, actor: &Actor, input: &ActivityInput) -> Result<Vec<i64>> {
        // Who may plan at all is asked before the plan is judged.
        self.require(actor, Action::Write, Resource::Activity)?;
        let checked = input.check()?;
        self.require_team(actor, input.team_id)?;
        let team = teams::get(&self.db, input.team_id).await.map_err(|_| Error::unknown_reference("team_id"))?;
        if !team.active {
            return Err(Error::unknown_reference("team_id"));
        }
        let community = communities::get(&self.db, input.community_id).await.map_err(|_| Error::unknown_reference("community_id"))?;
        if let Some(p) = input.project_id {
            match tongxing_store::campaigns::projects::get(&self.db, p).await {
                Ok(p) if !p.active => return Err(Error::Validation(Invalid::one("project_id", "project_retired"))),
                Ok(_) => {}
                Err(_) => return Err(Error::unknown_reference("project_id")),
            }
        }
        let tidy = |s: &Option<String>| s.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(str::to_string);
        let new = NewActivity {
            team_id: team.id,
            community_id: community.id,
            district_id: community.district_id,
            project_id: input.project_id,
            title: input.title.trim().to_string(),
            description: tidy(&input.description),
            address: tidy(&input.address),
            theme: checked.theme,
            tokens: checked.sessions.iter().map(|_| token()).collect(),
            sessions: checked.sessions,
            capacity: input.capacity,
            risky: input.risky,
            insurance: tidy(&input.insurance),
            adults_only: input.adults_only,
            walk_ups: input.walk_ups,
            roles: input.roles.iter().map(|r| (r.name.trim().to_string(), r.capacity)).collect(),
            created_by: Some(actor.id),
        };
        let ids = store::create(&self.db, &new).await?;
        self.caches.activities_changed();
        Ok(ids)
    }

    pub async fn list_activities(&self, actor: &Actor, f: Filter, page: Page) -> Result<Paged<Activity>> {
        self.require(actor, Action::Read, Resource::Activity)?;
        Ok(store::list(&self.db, &f, page).await?)
    }

    /// The list with the moment it next changes by itself, for keeping its
    /// page (`Caches::put_activity_list`; SQLite's: now).
    pub async fn list_activities_until(&self, actor: &Actor, f: Filter, page: Page) -> Result<(Paged<Activity>, i64)> {
        self.require(actor, Action::Read, Resource::Activity)?;
        Ok(store::list_until(&self.db, &f, page).await?)
    }

    pub async fn get_activity(&self, actor: &Actor, id: i64) -> Result<Activity> {
        self.require(actor, Action::Read, Resource::Activity)?;
        Ok(store::get(&self.db, id).await?)
    }

    /// The signed-in volunteer's own sign-up on an activity; a cancelled one is none.
    pub async fn my_signup(&self, actor: &Actor, activity_id: i64) -> Result<Option<SignupStatus>> {
        self.require(actor, Action::Read, Resource::Activity)?;
        let Some(volunteer) = actor.volunteer_id else { return Ok(None) };
        Ok(signups::status(&self.db, activity_id, volunteer).await?.filter(|s| *s != SignupStatus::Cancelled))
    }

    /// The signed-in volunteer's activities: sign-ups ahead (with waitlist
    /// places) and the latest they came to; none for an account with no
    /// volunteer record.
    pub async fn my_activities(&self, actor: &Actor) -> Result<(Vec<mine::Ahead>, Vec<mine::Attended>)> {
        self.require(actor, Action::Read, Resource::Activity)?;
        let Some(volunteer) = actor.volunteer_id else { return Ok((Vec::new(), Vec::new())) };
        let (ahead, attended) = tokio::try_join!(
            mine::ahead(&self.db, volunteer, now_ms(), MINE_AHEAD_MAX),
            mine::attended(&self.db, volunteer, MINE_PAST_MAX)
        )?;
        Ok((ahead, attended))
    }

    /// Cancels an activity; everyone signed up (confirmed or waitlisted) is
    /// told. False when it already was cancelled.
    pub async fn cancel_activity(&self, actor: &Actor, id: i64) -> Result<bool> {
        let a = store::get(&self.db, id).await?;
        self.require_team(actor, a.team_id)?;
        let done = store::cancel(&self.db, id, now_ms()).await?;
        if done {
            self.caches.activities_changed();
            self.audit(Some(actor), "cancel", "activity", Some(id), None).await?;
        }
        Ok(done)
    }

    /// Cancels an activity by hand (rain, a closed venue) before it begins;
    /// once begun, its check-ins and hours are the record, so it stays.
    /// False when it already was cancelled.
    pub async fn cancel_activity_ahead(&self, actor: &Actor, id: i64, now: i64) -> Result<bool> {
        let a = store::get(&self.db, id).await?;
        self.require_team(actor, a.team_id)?;
        if !a.cancelled && a.starts_at <= now {
            return Err(Error::Conflict { code: "activity_started", field: None });
        }
        self.cancel_activity(actor, id).await
    }

    /// Records the accident insurance a risky activity needs before anyone is confirmed.
    pub async fn record_insurance(&self, actor: &Actor, id: i64, policy: &str) -> Result<()> {
        let a = store::get(&self.db, id).await?;
        self.require_team(actor, a.team_id)?;
        let mut e = Invalid::default();
        e.text("insurance", policy, rules::ADDRESS_MAX);
        e.into_result()?;
        store::set_insurance(&self.db, id, policy.trim()).await?;
        self.caches.activities_changed();
        self.audit(Some(actor), "record_insurance", "activity", Some(id), Some(policy.trim())).await
    }

    /// Who may act for a volunteer: themselves, their team's leader, the center.
    async fn require_for_volunteer(&self, actor: &Actor, volunteer_id: i64) -> Result<tongxing_domain::model::Volunteer> {
        if actor.volunteer_id == Some(volunteer_id) {
            return Ok(volunteers::get(&self.db, volunteer_id).await?);
        }
        let scope = self.require(actor, Action::Write, Resource::Volunteer)?;
        self.volunteer_in_scope(actor, scope, volunteer_id).await
    }

    /// Signs a volunteer up: `confirmed` while places last, then `waitlisted`.
    /// The same volunteer twice gives the first answer again.
    pub async fn sign_up(&self, actor: &Actor, activity_id: i64, volunteer_id: i64, role_id: Option<i64>) -> Result<(SignupStatus, bool)> {
        // Someone else's sign-up: only by those who may act for them.
        let other = match actor.volunteer_id == Some(volunteer_id) {
            true => None,
            false => Some(self.require_for_volunteer(actor, volunteer_id).await.map_err(|e| match e {
                Error::NotFound => Error::unknown_reference("volunteer_id"),
                other => other,
            })?),
        };
        // The activity, the volunteer's facts and other sign-ups in one read.
        let (a, facts, sessions) = store::for_volunteer(&self.db, activity_id, volunteer_id, true).await?;
        let (active, birth_date, status) = facts.ok_or_else(|| Error::unknown_reference("volunteer_id"))?;
        let (active, birth_date) = match other {
            Some(v) => (v.active, v.birth_date),
            None => (active, birth_date),
        };
        let status = status.as_deref().and_then(SignupStatus::parse);
        if a.dispatch_id.is_some() {
            return Err(conflict("answer_the_call", "activity_id"));
        }
        if let Some(s) = status.filter(|s| *s != SignupStatus::Cancelled) {
            return Ok((s, false));
        }
        if !active {
            return Err(conflict("volunteer_inactive", "volunteer_id"));
        }
        if role_id.is_some_and(|r| !a.roles.iter().any(|x| x.id == r)) {
            return Err(Error::unknown_reference("role_id"));
        }
        let birth = birth_date.as_deref().and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok());
        let others: Vec<(i64, i64)> = sessions.into_iter().filter(|(other, _, _)| *other != activity_id).map(|(_, s, e)| (s, e)).collect();
        rules::may_sign_up(&a.facts(), now_ms(), birth, &others).map_err(|r| conflict(r.code(), "volunteer_id"))?;
        let request = signups::Request { activity_id, volunteer_id, role_id, span: (a.starts_at, a.ends_at) };
        let out = self.caches.signups.run(&self.db, request).await?;
        Ok((out.status, out.new))
    }

    /// Cancels a sign-up; the first on the waitlist takes a freed place and is told.
    pub async fn cancel_signup(&self, actor: &Actor, activity_id: i64, volunteer_id: i64) -> Result<Option<i64>> {
        self.require_for_volunteer(actor, volunteer_id).await?;
        store::get(&self.db, activity_id).await?;
        match signups::cancel(&self.db, activity_id, volunteer_id).await? {
            Some(c) => Ok(c.promoted),
            None => Err(Error::NotFound),
        }
    }

    /// A check-in or check-out, by the volunteer (from the QR link) or by the
    /// leader from the roster. A retry returns the first answer.
    pub async fn check(&self, actor: &Actor, activity_id: i64, volunteer_id: i64, kind: CheckKind, at: Option<i64>) -> Result<Checked> {
        // A check-in reads the volunteer's sign-up with the activity, in one read.
        let (a, facts) = match kind {
            CheckKind::In => {
                let (a, facts, _) = store::for_volunteer(&self.db, activity_id, volunteer_id, false).await?;
                (a, facts)
            }
            CheckKind::Out => (store::get(&self.db, activity_id).await?, None),
        };
        let leader = actor.volunteer_id != Some(volunteer_id);
        if leader {
            self.require_team(actor, a.team_id)?;
        }
        let now = now_ms();
        let at = at.unwrap_or(now);
        if at > now + CLOCK_SKEW_MS || at < a.starts_at - CHECKIN_EARLY_MS || (kind == CheckKind::In && at >= a.ends_at) {
            return Err(Error::Validation(Invalid::one("at", "outside_activity")));
        }
        if a.cancelled {
            return Err(conflict("activity_cancelled", "activity_id"));
        }
        match kind {
            CheckKind::In => {
                let (_, _, status) = facts.ok_or_else(|| Error::unknown_reference("volunteer_id"))?;
                let signed = status.as_deref().and_then(SignupStatus::parse) == Some(SignupStatus::Confirmed);
                if !signed && !a.walk_ups {
                    return Err(conflict("not_signed_up", "volunteer_id"));
                }
                let check_in = attendance::CheckIn { activity_id, volunteer_id, at, by: Some(actor.id), walk_up: !signed };
                let (at, new) = self.caches.checkins.run(&self.db, check_in).await?;
                Ok(Checked { kind, at, repeated: !new, walk_up: !signed })
            }
            CheckKind::Out => match attendance::check_out(&self.db, activity_id, volunteer_id, at, Some(actor.id)).await? {
                CheckOut::Done(at) => Ok(Checked { kind, at, repeated: false, walk_up: false }),
                CheckOut::Already(at) => Ok(Checked { kind, at, repeated: true, walk_up: false }),
                CheckOut::NotCheckedIn => Err(conflict("not_checked_in", "kind")),
                CheckOut::BeforeCheckIn => Err(Error::Validation(Invalid::one("at", "before_check_in"))),
            },
        }
    }

    /// The activity a QR code opens, for the signed-in volunteer's check-in page.
    pub async fn activity_by_token(&self, token: &str) -> Result<Activity> {
        Ok(store::by_token(&self.db, token).await?)
    }

    /// The QR token of an activity: shown only to those who run it.
    pub async fn checkin_token(&self, actor: &Actor, activity_id: i64) -> Result<String> {
        let a = store::get(&self.db, activity_id).await?;
        self.require_team(actor, a.team_id)?;
        Ok(store::checkin_token(&self.db, activity_id).await?)
    }

    /// The roster: sign-ups and attendance, for the people who run the activity.
    pub async fn roster(&self, actor: &Actor, activity_id: i64) -> Result<(Activity, Vec<RosterLine>)> {
        let a = store::get(&self.db, activity_id).await?;
        self.require_team(actor, a.team_id)?;
        let lines = attendance::roster(&self.db, activity_id).await?;
        Ok((a, lines))
    }

    /// Closes check-ins left open after their activity ended (run every minute).
    pub async fn close_open_checkins(&self) -> Result<u64> {
        Ok(attendance::close_open(&self.db, now_ms()).await?)
    }
}

mod calendar;
pub mod checkin;
mod demo;
mod reminders;
