//! Enrolment: from a guardian's phone without an account (throttled like
//! the public need form), confirmed while places last, else waitlisted in
//! priority order; a cancelled place goes to the next, who is told by SMS.

use rand::RngCore;
use serde::Serialize;
use tongxing_domain::campaigns::campaign::parse_date;
use tongxing_domain::childcare::enrolment::{EnrolmentInput, EnrolmentStatus, Facts};
use tongxing_domain::{phone, throttle};
use tongxing_store::childcare::classes as class_store;
use tongxing_store::childcare::enrolments::{self as store, Enrolment, NewEnrolment};
use tongxing_store::now_ms;
use tongxing_store::registry::units;
use utoipa::ToSchema;

use crate::{Actor, Error, Result, Service};

/// What a guardian gets back: the code of their page, and where they stand.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Enrolled {
    pub id: i64,
    pub code: String,
    pub status: EnrolmentStatus,
    /// Place in the waitlist (1 = next), while waitlisted.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub position: Option<i64>,
}

/// A guardian's code: "ZF" and 8 unambiguous characters.
pub(crate) fn random_code() -> String {
    let mut b = [0u8; 8];
    rand::thread_rng().fill_bytes(&mut b);
    format!("ZF{}", &tongxing_domain::needs::tracking_code(b)[2..])
}

impl Service {
    /// Enrols a child in a class. Public (`actor` none): throttled per phone
    /// and address. Staff (a liaison's bulk sheet) send their account.
    pub async fn enrol_child(&self, actor: Option<&Actor>, class_id: i64, input: &EnrolmentInput, ip: &str) -> Result<Enrolled> {
        let class = class_store::get(&self.db, class_id).await?;
        let start = parse_date(&class.starts_on).unwrap_or_default();
        let form = input.check((class.min_age, class.max_age), start)?;
        let today = tongxing_domain::time::region_date(now_ms()).to_string();
        if class.ends_on < today {
            return Err(Error::Conflict { code: "term_over", field: None });
        }
        if actor.is_none() {
            let s = &self.settings;
            self.hit(&throttle::childcare_phone(&form.guardian_phone), s.childcare_per_phone_per_hour, 3_600_000, now_ms()).await?;
            self.hit(&throttle::childcare_address(ip), s.childcare_per_ip_per_hour, 3_600_000, now_ms()).await?;
        }
        let member_unit = match input.guardian_unit_id {
            Some(u) => units::get(&self.db, u).await.map_err(|e| crate::campaigns::party_orgs::reference(e, "guardian_unit_id"))?.active,
            None => false,
        };
        let facts = Facts { member_unit, shift_worker: input.shift_worker, both_parents_on_shift: input.both_parents_on_shift };
        let mut new = NewEnrolment {
            class_id,
            code: random_code(),
            form: &form,
            guardian_unit_id: input.guardian_unit_id,
            priority: self.settings.childcare_priority.score(facts),
            enrolled_by: actor.map(|a| a.id),
        };
        // A clash of random codes is astronomically rare; try a fresh one once.
        let (id, status) = match store::enrol(&self.db, &new).await {
            Err(tongxing_store::Error::Conflict) => {
                new.code = random_code();
                store::enrol(&self.db, &new).await?
            }
            other => other?,
        };
        let position = match status {
            EnrolmentStatus::Waitlisted => Some(store::position(&self.db, &store::get(&self.db, id).await?).await?),
            _ => None,
        };
        Ok(Enrolled { id, code: new.code, status, position })
    }

    /// The enrolment behind a guardian's code, when `mobile` is the
    /// guardian's; anything else is "not found", so codes cannot be probed
    /// for whose they are. Wrong guesses count against the address.
    pub(crate) async fn guardian_enrolment(&self, code: &str, mobile: &str, ip: &str) -> Result<Enrolment> {
        let found = store::by_code(&self.db, code.trim()).await.ok();
        match (found, phone::normalize(mobile)) {
            (Some(e), Some(p)) if e.guardian_phone == p => Ok(e),
            _ => {
                self.hit(&throttle::childcare_address(ip), self.settings.childcare_per_ip_per_hour, 3_600_000, now_ms()).await?;
                Err(Error::NotFound)
            }
        }
    }

    /// The guardian gives up the place (or the waitlist spot); a place goes
    /// to the next by priority, whose guardian is told by SMS.
    pub async fn cancel_enrolment(&self, code: &str, mobile: &str, ip: &str) -> Result<Option<i64>> {
        let e = self.guardian_enrolment(code, mobile, ip).await?;
        let tell = |phone: &str, class: &str, code: &str| self.sms_to(phone, "sms.childcare_promoted", &[class, code]);
        Ok(store::cancel(&self.db, e.id, &tell).await?)
    }

    /// The center cancels an enrolment (e.g. a family that moved away).
    pub async fn cancel_enrolment_by_center(&self, actor: &Actor, id: i64) -> Result<Option<i64>> {
        self.require_childcare_center(actor)?;
        let tell = |phone: &str, class: &str, code: &str| self.sms_to(phone, "sms.childcare_promoted", &[class, code]);
        let promoted = store::cancel(&self.db, id, &tell).await?;
        self.audit(Some(actor), "cancel", "childcare_enrolment", Some(id), None).await?;
        Ok(promoted)
    }
}
