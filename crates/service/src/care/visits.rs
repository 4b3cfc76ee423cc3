//! Logging a visit from a phone, confirming an in-person visit's minutes
//! into the hours ledger (under the ledger's own rules), and turning a
//! visit's concern into a need in one tap, through the needs service.

use serde::Deserialize;
use tongxing_domain::care::due::{day_of_ms, due_after_visit, warning_level};
use tongxing_domain::care::{counts_as_hours, visit_in_pair, Visit, VisitInput};
use tongxing_domain::hours::{self as rules, Credit};
use tongxing_domain::model::Paged;
use tongxing_domain::needs::{NeedInput, TITLE_MAX};
use tongxing_domain::paging::Page;
use tongxing_domain::permission::{Action, Scope};
use tongxing_domain::Invalid;
use tongxing_store::care::visits::{self as rows, NewVisit, PendingFilter};
use tongxing_store::care::{self as store};
use tongxing_store::ledger::NewEntry;
use tongxing_store::now_ms;
use tongxing_store::registry::beneficiaries;
use utoipa::ToSchema;

use crate::delivery::text;
use crate::{Actor, Error, Result, Service};

/// The one tap that turns a concern into a need: its service category.
#[derive(Debug, Clone, Default, Deserialize, serde::Serialize, ToSchema)]
pub struct ConcernToNeed {
    #[schema(schema_with = tongxing_domain::schema::category)]
    pub category: String,
}

fn day_text(ms: i64) -> String {
    tongxing_domain::time::region_date(ms).format("%Y-%m-%d").to_string()
}

impl Service {
    /// Logs a contact with the beneficiary. A visit with contact made moves
    /// the pair's due day; an in-person one waits for its hours to be
    /// confirmed, and must fit the volunteer's ledger (no overlap, 24 h a day).
    pub async fn log_visit(&self, actor: &Actor, pair_id: i64, input: &VisitInput) -> Result<Visit> {
        let now = now_ms();
        let c = input.check(now)?;
        let s = store::get(&self.db, pair_id).await?;
        self.care_scope(actor, Action::Write, s.pair.volunteer_id).await?;
        if !s.pair.is_open() {
            return Err(Error::Conflict { code: "care_not_open", field: Some("status") });
        }
        visit_in_pair(c.visited_at, &s.pair.starts_on)?;
        let counted = counts_as_hours(c.mode);
        if counted {
            self.visit_fits(s.pair.volunteer_id, c.visited_at, input.minutes).await?;
        }
        let active = s.pair.status == "active";
        let due = (input.contact_made && active).then(|| due_after_visit(s.due_day, day_of_ms(c.visited_at), s.pair.every_days));
        let level = due.map_or(0, |d| warning_level(&self.settings.care_limits, true, d, day_of_ms(now)).rank());
        let id = rows::log(
            &self.db,
            &NewVisit {
                pair_id,
                volunteer_id: s.pair.volunteer_id,
                visited_at: c.visited_at,
                minutes: input.minutes,
                mode: c.mode,
                contact_made: input.contact_made,
                notes: c.notes,
                concern: c.concern,
                hours_status: if counted { "pending" } else { "none" },
                recorded_by: actor.id,
                due_day: due,
                warning_level: level,
            },
        )
        .await
        .map_err(|e| match e {
            tongxing_store::Error::NotFound => Error::Conflict { code: "care_not_open", field: Some("status") },
            other => other.into(),
        })?;
        Ok(rows::get(&self.db, id).await?)
    }

    /// The ledger's overlap and 24-hour rules, against both confirmed
    /// entries and in-person visits still waiting for confirmation.
    async fn visit_fits(&self, volunteer_id: i64, start: i64, minutes: i64) -> Result<()> {
        let end = start + minutes * 60_000;
        if !rows::pending_sessions(&self.db, volunteer_id, start, end).await?.is_empty() {
            return Err(Error::Validation(Invalid::one("visited_at", rules::LedgerRefusal::Overlap.code())));
        }
        if let Err(r) = self.fits_ledger(volunteer_id, Credit::session(start, end)).await? {
            return Err(Error::Validation(Invalid::one("visited_at", r.code())));
        }
        Ok(())
    }

    /// Visits whose hours wait for the actor's confirmation.
    pub async fn pending_visits(&self, actor: &Actor, page: Page) -> Result<Paged<Visit>> {
        let f = match self.arranges_pairs(actor)? {
            Scope::OwnUnit => PendingFilter { unit_id: Some(actor.unit_id.ok_or(Error::Forbidden)?), ..Default::default() },
            Scope::OwnTeam => PendingFilter { team_id: Some(actor.team_id.ok_or(Error::Forbidden)?), ..Default::default() },
            _ => PendingFilter::default(),
        };
        Ok(rows::pending(&self.db, &f, page).await?)
    }

    /// The team leader, the liaison or the center confirms a visit's minutes
    /// into the ledger as a care-visit entry, once.
    pub async fn confirm_visit(&self, actor: &Actor, visit_id: i64) -> Result<Visit> {
        let scope = self.arranges_pairs(actor)?;
        let v = rows::get(&self.db, visit_id).await?;
        self.volunteer_in_scope(actor, scope, v.volunteer_id).await?;
        if v.hours_status != "pending" {
            return Err(Error::Conflict { code: "already_confirmed", field: None });
        }
        let end = v.visited_at + v.minutes * 60_000;
        if let Err(r) = self.fits_ledger(v.volunteer_id, Credit::session(v.visited_at, end)).await? {
            return Err(Error::Validation(Invalid::one("visited_at", r.code())));
        }
        let pair = store::get(&self.db, v.pair_id).await?.pair;
        let entry = NewEntry {
            volunteer_id: v.volunteer_id,
            kind: "manual",
            hours: rules::hours(v.minutes * 60_000),
            served_on: day_text(v.visited_at),
            started_at: Some(v.visited_at),
            ended_at: Some(end),
            recorded_by: Some(actor.id),
            confirmed_by: Some(actor.id),
            note: Some(text("care.ledger_note", &[&pair.beneficiary_name])),
            care_visit_id: Some(v.id),
            ..Default::default()
        };
        if !rows::confirm(&self.db, v.id, &entry).await? {
            return Err(Error::Conflict { code: "already_confirmed", field: None });
        }
        self.audit(Some(actor), "confirm_hours", "care_visit", Some(v.id), None).await?;
        Ok(rows::get(&self.db, v.id).await?)
    }

    /// Turns a visit's concern into a need for the marketplace, linked back
    /// to the visit (and so to the pair). A second tap answers the same need.
    pub async fn concern_to_need(&self, actor: &Actor, visit_id: i64, input: &ConcernToNeed) -> Result<i64> {
        let v = rows::get(&self.db, visit_id).await?;
        self.care_scope(actor, Action::Write, v.volunteer_id).await?;
        if let Some(n) = v.need_id {
            return Ok(n);
        }
        let concern = v.concern.clone().ok_or_else(|| Error::Validation(Invalid::one("concern", "required")))?;
        let pair = store::get(&self.db, v.pair_id).await?.pair;
        let b = beneficiaries::get(&self.db, pair.beneficiary_id).await?;
        let volunteer = tongxing_store::registry::volunteers::get(&self.db, v.volunteer_id).await?;
        let need = NeedInput {
            title: concern.chars().take(TITLE_MAX).collect(),
            description: text("care.need_description", &[&b.name, &pair.volunteer_name, &concern]),
            category: input.category.clone(),
            community_id: b.community_id,
            requester_name: b.name.clone(),
            // The beneficiary's own phone, or the volunteer's when they have none.
            requester_phone: b.phone.clone().unwrap_or(volunteer.phone),
            channel: None,
            volunteers_needed: None,
        };
        // Entered by the actor for the beneficiary: recorded as theirs, never throttled like an anonymous one.
        let (need_id, _) = self.submit_need(Some(actor), &need, "").await?;
        if !rows::link_need(&self.db, v.id, need_id).await? {
            return Ok(rows::get(&self.db, v.id).await?.need_id.unwrap_or(need_id));
        }
        self.audit(Some(actor), "concern_to_need", "care_visit", Some(v.id), Some(&need_id.to_string())).await?;
        Ok(need_id)
    }

    /// The coordinator hides a visit's personal notes from the
    /// beneficiary's later volunteers (a handover), or shows them again.
    pub async fn hide_visit_notes(&self, actor: &Actor, visit_id: i64, hidden: bool) -> Result<Visit> {
        if self.arranges_pairs(actor)? != Scope::All {
            return Err(Error::Forbidden);
        }
        rows::hide_notes(&self.db, visit_id, hidden).await?;
        self.audit(Some(actor), if hidden { "hide_notes" } else { "show_notes" }, "care_visit", Some(visit_id), None).await?;
        Ok(rows::get(&self.db, visit_id).await?)
    }
}
