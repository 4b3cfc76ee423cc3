//! Absences (请假): the guardian says from their page that the child will
//! not come on a class day (or staff record it when the guardian phones in),
//! so the door and the day sheet know, and no late drop-off alert goes out.

use serde::Serialize;
use tongxing_domain::campaigns::campaign::parse_date;
use tongxing_domain::childcare::day::{absence_refused, AbsenceInput, REASON_MAX};
use tongxing_domain::childcare::enrolment::EnrolmentStatus;
use tongxing_domain::time::region_date;
use tongxing_domain::Invalid;
use tongxing_store::childcare::absences::{self as store, AbsenceRow};
use tongxing_store::childcare::classes as class_store;
use tongxing_store::childcare::enrolments::Enrolment;
use tongxing_store::now_ms;
use utoipa::ToSchema;

use super::classes::meets_on;
use crate::{Actor, Error, Result, Service};

/// An absence as the guardian's page lists it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Absence {
    pub date: String,
    pub reason: Option<String>,
    /// Whether the guardian reported it (else the class's staff recorded it).
    pub by_guardian: bool,
}

impl From<AbsenceRow> for Absence {
    fn from(r: AbsenceRow) -> Self {
        Absence { date: r.day, reason: r.reason, by_guardian: r.by_guardian }
    }
}

impl Service {
    /// The guardian reports the child absent; true when new (a repeat is no second record).
    pub async fn report_absence(&self, code: &str, mobile: &str, input: &AbsenceInput, ip: &str) -> Result<bool> {
        let e = self.guardian_enrolment(code, mobile, ip).await?;
        self.absence(&e, input, None).await
    }

    /// Staff of the class (its head, a caretaker on duty, the center) record
    /// an absence the guardian phoned in. Audited: it is a child's record.
    pub async fn record_absence(&self, actor: &Actor, class_id: i64, enrolment_id: i64, input: &AbsenceInput) -> Result<bool> {
        let day = parse_date(input.date.trim()).ok_or_else(|| Error::Validation(Invalid::one("date", "date_format")))?.to_string();
        self.childcare_reach(actor, class_id, &day).await?;
        let e = tongxing_store::childcare::enrolments::get(&self.db, enrolment_id).await.ok().filter(|e| e.class_id == class_id);
        let e = e.ok_or_else(|| Error::unknown_reference("enrolment_id"))?;
        let new = self.absence(&e, input, Some(actor.id)).await?;
        self.audit(Some(actor), "absence", "childcare_enrolment", Some(e.id), Some(&day)).await?;
        Ok(new)
    }

    async fn absence(&self, e: &Enrolment, input: &AbsenceInput, by: Option<i64>) -> Result<bool> {
        let mut bad = Invalid::default();
        let day = parse_date(input.date.trim()).map(|d| d.to_string());
        if day.is_none() {
            bad.push("date", "date_format");
        }
        bad.optional_text("reason", input.reason.as_deref(), REASON_MAX);
        bad.into_result()?;
        let day = day.unwrap_or_default();
        if e.status() != EnrolmentStatus::Enrolled {
            return Err(Error::Conflict { code: "not_enrolled", field: None });
        }
        let class = class_store::get(&self.db, e.class_id).await?;
        let today = region_date(now_ms()).to_string();
        if let Some(code) = absence_refused(&today, &day, meets_on(&class, &day)) {
            return Err(Error::Validation(Invalid::one("date", code)));
        }
        // A child already at the door that day is not absent: the day sheet has them.
        if tongxing_store::childcare::days::last_entry(&self.db, e.id, &day).await?.is_some() {
            return Err(Error::Conflict { code: "already_checked_in", field: Some("date") });
        }
        let reason = input.reason.as_deref().map(str::trim).filter(|r| !r.is_empty());
        Ok(store::report(&self.db, e.id, e.class_id, &day, reason, by).await?)
    }

    /// The child's absences from today on, for the guardian's page.
    pub(crate) async fn coming_absences(&self, enrolment_id: i64) -> Result<Vec<Absence>> {
        let today = region_date(now_ms()).to_string();
        Ok(store::of_child(&self.db, enrolment_id, &today).await?.into_iter().map(Absence::from).collect())
    }
}
