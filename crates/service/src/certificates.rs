//! Service certificates (志愿服务证明): issued in one click and free of
//! charge, each a stored snapshot of what it certifies, verifiable by anyone
//! by its number with personal data masked.

use rand::RngCore;
use tongxing_domain::certificate::{volunteer_number, Certificate, Verified};
use tongxing_domain::hours::{certificate_code, hours};
use tongxing_domain::id_number;
use tongxing_domain::permission::{Action, Resource};
use tongxing_domain::time::region_date;
use tongxing_store::certificates::{self as store, NewCertificate};
use tongxing_store::{ledger, now_ms, registry::volunteers};

use crate::delivery::text;
use crate::{Actor, Error, Result, Service};

/// How many titles the service content names before it stops.
const CONTENT_TITLES: i64 = 8;

fn or_default(configured: &str, key: &str) -> String {
    match configured.trim() {
        "" => text(key, &[]),
        v => v.to_string(),
    }
}

impl Service {
    /// 403 unless `actor` may `action` `volunteer_id`'s hours: the volunteer
    /// themselves, or a role whose reach includes them (to write: whoever
    /// records their hours, i.e. their leader or the center).
    pub(crate) async fn hours_access(&self, actor: &Actor, volunteer_id: i64, action: Action) -> Result<()> {
        if actor.volunteer_id != Some(volunteer_id) {
            let scope = self.require(actor, action, Resource::Hours)?;
            self.volunteer_in_scope(actor, scope, volunteer_id).await?;
        }
        Ok(())
    }

    /// Whether `actor` may issue `volunteer_id` a certificate.
    pub async fn may_issue_certificate(&self, actor: &Actor, volunteer_id: i64) -> bool {
        self.hours_access(actor, volunteer_id, Action::Write).await.is_ok()
    }

    /// Issues a certificate of everything confirmed so far; audited.
    pub async fn issue_certificate(&self, actor: &Actor, volunteer_id: i64) -> Result<Certificate> {
        self.hours_access(actor, volunteer_id, Action::Write).await?;
        let v = volunteers::get(&self.db, volunteer_id).await?;
        let (total, entries) = ledger::summary(&self.db, volunteer_id).await?;
        let (titles, first_day, last_day) = store::service_facts(&self.db, volunteer_id, CONTENT_TITLES).await?;
        let content = match titles.is_empty() {
            true => text("certificate.no_service", &[]),
            false => titles
                .iter()
                .map(|(t, n)| text("certificate.title_times", &[t, &n.to_string()]))
                .collect::<Vec<_>>()
                .join(&text("certificate.separator", &[])),
        };
        let plain = v.id_number_enc.as_deref().and_then(|e| self.crypto.decrypt(e));
        let issuer = &self.settings.certificate;
        let handler = match actor.volunteer_id == Some(volunteer_id) {
            true => text("certificate.handler_online", &[]),
            false => actor.login.clone(),
        };
        let now = now_ms();
        let mut cert = Certificate {
            code: String::new(),
            volunteer_id,
            name: v.name.clone(),
            id_type: plain.as_ref().map(|_| "resident_id".to_string()),
            id_number_masked: plain.as_deref().map(id_number::mask),
            volunteer_number: volunteer_number(v.id, v.vest_number.as_deref()),
            content,
            first_day,
            last_day,
            total_hours: hours(tongxing_domain::hours::ms_from_hours(total)),
            entries,
            organisation: or_default(&issuer.organisation, "certificate.organisation"),
            person_in_charge: or_default(&issuer.person_in_charge, "certificate.person_in_charge"),
            handler,
            contact: or_default(&issuer.contact, "certificate.contact"),
            issued_on: region_date(now).format("%Y-%m-%d").to_string(),
        };
        let year: i32 = region_date(now).format("%Y").to_string().parse().unwrap_or(2026);
        // A clash of random codes is astronomically rare; try again rather than fail.
        for _ in 0..3 {
            let mut b = [0u8; 8];
            rand::thread_rng().fill_bytes(&mut b);
            cert.code = certificate_code(year, b);
            let new = NewCertificate { cert: cert.clone(), issued_by: Some(actor.id), issued_at: now };
            match store::create(&self.db, &new).await {
                Ok(_) => {
                    self.audit(Some(actor), "issue_certificate", "volunteer", Some(volunteer_id), Some(&cert.code)).await?;
                    return Ok(cert);
                }
                Err(tongxing_store::Error::Conflict) => continue,
                Err(e) => return Err(e.into()),
            }
        }
        Err(Error::Internal("no free certificate code".into()))
    }

    /// The volunteer's certificate `code`, or their newest with `None`.
    pub async fn certificate(&self, actor: &Actor, volunteer_id: i64, code: Option<&str>) -> Result<Option<Certificate>> {
        self.hours_access(actor, volunteer_id, Action::Read).await?;
        let found = match code {
            Some(c) => store::by_code(&self.db, c).await?.filter(|c| c.volunteer_id == volunteer_id),
            None => store::newest(&self.db, volunteer_id).await?,
        };
        if code.is_some() && found.is_none() {
            return Err(Error::NotFound);
        }
        Ok(found)
    }

    /// Public: what the certificate numbered `code` states, personal data masked.
    pub async fn verify_certificate(&self, code: &str) -> Result<Verified> {
        let code = code.trim().to_ascii_uppercase();
        store::by_code(&self.db, &code).await?.map(|c| c.verified()).ok_or(Error::NotFound)
    }
}
