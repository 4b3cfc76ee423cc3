//! The guardian's page, reached with the code and their mobile: the
//! enrolment's status (and waitlist place), today's day of their own child
//! only, and the end-of-term rating.

use serde::Serialize;
use tongxing_domain::campaigns::campaign::parse_date;
use tongxing_domain::childcare::enrolment::EnrolmentStatus;
use tongxing_domain::time::region_date;
use tongxing_domain::Invalid;
use tongxing_store::childcare::classes as class_store;
use tongxing_store::childcare::days as store;
use tongxing_store::childcare::enrolments;
use tongxing_store::now_ms;
use utoipa::ToSchema;

use super::days::{fold_day, ChildDay};
use crate::{Error, Result, Service};

/// What the guardian sees: their enrolment, their child's day, nobody else's.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct GuardianView {
    pub code: String,
    pub status: EnrolmentStatus,
    /// Place in the waitlist (1 = next), while waitlisted.
    pub position: Option<i64>,
    pub child_name: String,
    pub class_name: String,
    pub place: String,
    pub daily_from: String,
    pub daily_to: String,
    pub starts_on: String,
    pub ends_on: String,
    pub date: String,
    /// The day shown (today, or the asked day): times, who, meals, nap, notes.
    pub day: ChildDay,
    /// The absences reported from today on.
    pub absences: Vec<super::absence::Absence>,
    /// The guardian may rate the class from its last day on, once.
    pub may_rate: bool,
    pub rating: Option<i64>,
}

impl Service {
    /// The guardian's view of `day` (today when none).
    pub async fn guardian_view(&self, code: &str, mobile: &str, day: Option<&str>, ip: &str) -> Result<GuardianView> {
        let e = self.guardian_enrolment(code, mobile, ip).await?;
        let class = class_store::get(&self.db, e.class_id).await?;
        let today = region_date(now_ms()).to_string();
        let date = match day.map(str::trim).filter(|d| !d.is_empty()) {
            Some(d) => parse_date(d).ok_or_else(|| Error::Validation(Invalid::one("date", "date_format")))?.to_string(),
            None => today.clone(),
        };
        let mut line =
            ChildDay { enrolment_id: e.id, child_name: e.child_name.clone(), allergies: e.allergies.clone(), ..Default::default() };
        let a = store::attendance(&self.db, class.id, &date, Some(e.id)).await?;
        let l = store::logs(&self.db, class.id, &date, Some(e.id)).await?;
        fold_day(&mut line, &a.iter().collect::<Vec<_>>(), &l.iter().collect::<Vec<_>>());
        if let Some(b) = tongxing_store::childcare::absences::of_child(&self.db, e.id, &date).await?.into_iter().find(|b| b.day == date) {
            (line.absent, line.absence_reason) = (true, b.reason);
        }
        let absences = self.coming_absences(e.id).await?;
        let rating = enrolments::rating(&self.db, e.id).await?.map(|r| r.0);
        let status = e.status();
        let position = match status {
            EnrolmentStatus::Waitlisted => Some(enrolments::position(&self.db, &e).await?),
            _ => None,
        };
        Ok(GuardianView {
            code: e.code.clone(),
            status,
            position,
            child_name: e.child_name,
            place: class.address.clone().map_or(class.community_name.clone(), |a| format!("{} {a}", class.community_name)),
            class_name: class.name,
            daily_from: class.daily_from,
            daily_to: class.daily_to,
            may_rate: status == EnrolmentStatus::Enrolled && today >= class.ends_on && rating.is_none(),
            starts_on: class.starts_on,
            ends_on: class.ends_on,
            date,
            day: line,
            absences,
            rating,
        })
    }

    /// The guardian rates the class at the end of the term, once.
    pub async fn rate_childcare(&self, code: &str, mobile: &str, stars: i64, comment: Option<&str>, ip: &str) -> Result<()> {
        let e = self.guardian_enrolment(code, mobile, ip).await?;
        let mut bad = Invalid::default();
        if !(1..=5).contains(&stars) {
            bad.push("stars", "out_of_range");
        }
        bad.optional_text("comment", comment, tongxing_domain::childcare::enrolment::NOTE_MAX);
        bad.into_result()?;
        let class = class_store::get(&self.db, e.class_id).await?;
        if e.status() != EnrolmentStatus::Enrolled {
            return Err(Error::Conflict { code: "not_enrolled", field: None });
        }
        if region_date(now_ms()).to_string() < class.ends_on {
            return Err(Error::Conflict { code: "term_not_over", field: None });
        }
        let comment = comment.map(str::trim).filter(|c| !c.is_empty());
        enrolments::rate(&self.db, e.id, stars, comment).await.map_err(|e| match e {
            tongxing_store::Error::Conflict => Error::Conflict { code: "already_rated", field: None },
            other => other.into(),
        })
    }
}
