//! Joining by oneself (实名注册): a code to the phone, an application, and a
//! leader's or liaison's decision that creates the volunteer and their account.

use rand::RngCore;
use serde::Serialize;
use tongxing_domain::joining::{self, Application, JoinInput, JoinStatus, CODE_TTL_MS};
use tongxing_domain::model::Paged;
use tongxing_domain::paging::Page;
use tongxing_domain::permission::{self, Action, Resource, Scope};
use tongxing_domain::{id_number, phone, pinyin_index, throttle, Invalid};
use tongxing_store::now_ms;
use tongxing_store::registry::registrations::{self as store, Filter, NewRegistration, Registration};
use tongxing_store::registry::volunteers;
use utoipa::ToSchema;

use crate::auth::hash_password;
use crate::{Actor, Error, Result, Service};

/// Codes sent to one phone, and asked for from one address, in an hour;
/// one phone gets at most one code a minute.
const CODES_PER_PHONE_PER_HOUR: i64 = 5;
const CODES_PER_IP_PER_HOUR: i64 = 20;
/// Applications for one phone, and from one address, in an hour (above the
/// five wrong tries a code allows, so a typo never costs the hour).
const JOINS_PER_PHONE_PER_HOUR: i64 = 8;
const JOINS_PER_IP_PER_HOUR: i64 = 10;

/// How a code went out: by SMS, or (no gateway configured, development) to the server log.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum CodeDelivery {
    Sms,
    ServerLog,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CodeSent {
    pub delivery: CodeDelivery,
    pub expires_in_seconds: i64,
}

/// The outcome of a decision.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Decided {
    pub id: i64,
    pub status: JoinStatus,
    /// The volunteer record an approval created.
    pub volunteer_id: Option<i64>,
}

fn taken(field: &'static str, pending: bool) -> Error {
    let code = match (field, pending) {
        ("phone", false) => "phone_registered",
        ("phone", true) => "phone_pending",
        (_, false) => "id_number_registered",
        (_, true) => "id_number_pending",
    };
    Error::Conflict { code, field: Some(field) }
}

impl Service {
    /// Sends a one-time code to a phone that is not a volunteer's yet,
    /// through the SMS outbox; with no gateway it is written to the log.
    pub async fn send_join_code(&self, raw_phone: &str, ip: &str) -> Result<CodeSent> {
        let phone = phone::normalize(raw_phone)
            .ok_or_else(|| Invalid::one("phone", if raw_phone.trim().is_empty() { "required" } else { "phone_format" }))?;
        self.phone_free(&phone).await?;
        let now = now_ms();
        self.hit(&throttle::join_code_address(ip), CODES_PER_IP_PER_HOUR, 3_600_000, now).await?;
        self.hit(&format!("{}:minute", throttle::join_code_phone(&phone)), 1, 60_000, now).await?;
        self.hit(&throttle::join_code_phone(&phone), CODES_PER_PHONE_PER_HOUR, 3_600_000, now).await?;
        let mut b = [0u8; 4];
        rand::thread_rng().fill_bytes(&mut b);
        let code = joining::code_from(b);
        let hash = self.crypto.keyed_hash(&format!("{phone}:{code}"));
        let minutes = (CODE_TTL_MS / 60_000).to_string();
        let sms = self.sms_to(&phone, "sms.join_code", &[&code, &minutes]);
        let delivery = if sms.is_empty() { CodeDelivery::ServerLog } else { CodeDelivery::Sms };
        store::put_code(&self.db, &phone, &hash, now + CODE_TTL_MS, &sms, now).await?;
        if delivery == CodeDelivery::ServerLog {
            tracing::warn!(phone = %phone::mask(&phone), code = %code, "no SMS gateway configured: the join code goes to this log (development only)");
        }
        Ok(CodeSent { delivery, expires_in_seconds: CODE_TTL_MS / 1000 })
    }

    /// Refuses a phone that already belongs to a volunteer, an account or a waiting application.
    async fn phone_free(&self, phone: &str) -> Result<()> {
        if volunteers::find_duplicate(&self.db, phone, None).await?.is_some() || store::login_taken(&self.db, phone).await? {
            return Err(taken("phone", false));
        }
        if store::pending_duplicate(&self.db, phone, "").await?.is_some() {
            return Err(taken("phone", true));
        }
        Ok(())
    }

    /// Takes an application: every rule first, then duplicates, then the
    /// code (used up only by an application that is otherwise good).
    pub async fn submit_join(&self, input: &JoinInput, ip: &str) -> Result<i64> {
        let checked = input.check()?;
        let v = &checked.volunteer;
        let now = now_ms();
        self.hit(&throttle::join_address(ip), JOINS_PER_IP_PER_HOUR, 3_600_000, now).await?;
        self.hit(&throttle::join_phone(&v.phone), JOINS_PER_PHONE_PER_HOUR, 3_600_000, now).await?;
        let id = v.id_number.as_ref().expect("an application has an ID number");
        let id_hash = self.crypto.keyed_hash(&id.value);
        self.phone_free(&v.phone).await?;
        if volunteers::find_duplicate(&self.db, "", Some(&id_hash)).await?.is_some() {
            return Err(taken("id_number", false));
        }
        if store::pending_duplicate(&self.db, "", &id_hash).await?.is_some() {
            return Err(taken("id_number", true));
        }
        self.check_volunteer_references(&input.as_volunteer()).await?;
        self.use_code(&v.phone, &checked.code, now).await?;
        let mut team_ids = input.team_ids.clone();
        team_ids.sort_unstable();
        team_ids.dedup();
        let pw = input.password.clone();
        let password_hash = crate::auth::argon2(move || hash_password(&pw)).await?;
        let new = NewRegistration {
            name: v.name.clone(),
            phone: v.phone.clone(),
            id_number_enc: self.crypto.encrypt(&id.value),
            id_number_hash: id_hash,
            birth_date: id.birth_date.to_string(),
            unit_id: input.unit_id,
            community_id: input.community_id,
            skills: v.skills.clone(),
            party_member: input.party_member,
            password_hash,
            team_ids,
        };
        match store::create(&self.db, &new, now).await {
            Ok(id) => Ok(id),
            // Another application for the same phone or ID won a race.
            Err(tongxing_store::Error::Conflict) => Err(taken("phone", true)),
            Err(e) => Err(e.into()),
        }
    }

    async fn use_code(&self, phone: &str, code: &str, now: i64) -> Result<()> {
        let hash = self.crypto.keyed_hash(&format!("{phone}:{code}"));
        if store::take_code(&self.db, phone, &hash, now).await? {
            return Ok(());
        }
        let before = store::count_wrong_code(&self.db, phone).await?;
        Err(Error::Validation(Invalid::one("code", joining::refusal(before, now))))
    }

    /// The applications `actor` may decide (a liaison's unit, a leader's
    /// team, all for the center), oldest first. Phones and ID numbers masked.
    pub async fn applications(&self, actor: &Actor, status: Option<JoinStatus>, page: Page) -> Result<Paged<Application>> {
        let mut f = self.reach(actor, Action::Read)?;
        f.status = status.map(|s| s.as_str().to_string());
        let list = store::list(&self.db, &f, page).await?;
        Ok(Paged { items: list.items.into_iter().map(|r| self.view(r, false, false)).collect(), total: list.total })
    }

    /// How many applications wait for `actor` (a first screen's "to do"); 0
    /// for a role that never decides.
    pub async fn applications_waiting(&self, actor: &Actor) -> Result<i64> {
        match self.reach(actor, Action::Read) {
            Ok(mut f) => {
                f.status = Some(JoinStatus::Pending.as_str().to_string());
                Ok(store::count(&self.db, &f).await?)
            }
            Err(Error::Forbidden) => Ok(0),
            Err(e) => Err(e),
        }
    }

    fn reach(&self, actor: &Actor, action: Action) -> Result<Filter> {
        Ok(match self.require(actor, action, Resource::Registration)? {
            Scope::OwnUnit => Filter { unit_id: Some(actor.unit_id.unwrap_or(-1)), ..Default::default() },
            Scope::OwnTeam => Filter { team_id: Some(actor.team_id.unwrap_or(-1)), ..Default::default() },
            _ => Filter::default(),
        })
    }

    /// One application; the full phone to roles that call people, the full
    /// ID number only when asked for and allowed. Each such read is audited.
    pub async fn application(&self, actor: &Actor, id: i64, reveal_id: bool) -> Result<Application> {
        let r = self.decidable(actor, Action::Read, id).await?;
        let show_phone = permission::may_see_full_phone(actor.role);
        let show_id = reveal_id && permission::may_see_id_number(actor.role);
        if show_phone {
            self.audit(Some(actor), "read_phone", "registration", Some(id), None).await?;
        }
        if show_id {
            self.audit(Some(actor), "read_id_number", "registration", Some(id), None).await?;
        }
        Ok(self.view(r, show_phone, show_id))
    }

    /// The application if `actor` may decide it; one out of reach is as unknown as a missing one.
    async fn decidable(&self, actor: &Actor, action: Action, id: i64) -> Result<Registration> {
        self.require(actor, action, Resource::Registration)?;
        let r = store::get(&self.db, id).await?;
        let teams: Vec<i64> = r.teams.iter().map(|t| t.id).collect();
        if !joining::may_decide(actor.role, actor.unit_id, actor.team_id, r.unit_id, &teams) {
            return Err(Error::Forbidden);
        }
        Ok(r)
    }

    fn view(&self, r: Registration, show_phone: bool, show_id: bool) -> Application {
        let plain = self.crypto.decrypt(&r.id_number_enc).unwrap_or_default();
        Application {
            id: r.id,
            phone: if show_phone { r.phone.clone() } else { phone::mask(&r.phone) },
            phone_masked: !show_phone,
            id_number: if show_id { plain } else { id_number::mask(&plain) },
            name: r.name,
            unit_id: r.unit_id,
            unit_name: r.unit_name,
            community_id: r.community_id,
            community_name: r.community_name,
            skills: r.skills.lines().map(str::to_string).collect(),
            party_member: r.party_member,
            teams: r.teams,
            status: JoinStatus::parse(&r.status).unwrap_or(JoinStatus::Pending),
            reason: r.reason,
            created_at: r.created_at,
            decided_at: r.decided_at,
            volunteer_id: r.volunteer_id,
        }
    }

    /// Approves (creating the volunteer and their account) or declines with
    /// a reason; the person is told by SMS either way. Audited.
    pub async fn decide_application(&self, actor: &Actor, id: i64, approve: bool, reason: Option<&str>) -> Result<Decided> {
        joining::check_reason(approve, reason)?;
        let r = self.decidable(actor, Action::Write, id).await?;
        if r.status != JoinStatus::Pending.as_str() {
            return Err(Error::Conflict { code: "already_decided", field: None });
        }
        let reason = reason.map(str::trim).filter(|s| !s.is_empty());
        let now = now_ms();
        let decided = if approve {
            let vid = self.approve(actor, &r, reason, now).await?;
            Decided { id, status: JoinStatus::Approved, volunteer_id: Some(vid) }
        } else {
            let why = reason.unwrap_or_default();
            let sms = self.sms_to(&r.phone, "sms.join_declined", &[why]);
            if !store::decline(&self.db, id, actor.id, why, &sms, now).await? {
                return Err(Error::Conflict { code: "already_decided", field: None });
            }
            Decided { id, status: JoinStatus::Declined, volunteer_id: None }
        };
        self.audit(Some(actor), decided.status.as_str(), "registration", Some(id), reason).await?;
        Ok(decided)
    }

    async fn approve(&self, actor: &Actor, r: &Registration, note: Option<&str>, now: i64) -> Result<i64> {
        if let Some((_, field)) = volunteers::find_duplicate(&self.db, &r.phone, Some(&r.id_number_hash)).await? {
            return Err(taken(field, false));
        }
        let (name_initials, name_pinyin) = pinyin_index::index(&r.name);
        let record = volunteers::Record {
            name: r.name.clone(),
            name_initials,
            name_pinyin,
            phone: r.phone.clone(),
            phone_rev: phone::reversed(&r.phone),
            id_number_enc: Some(r.id_number_enc.clone()),
            id_number_hash: Some(r.id_number_hash.clone()),
            birth_date: Some(r.birth_date.clone()),
            unit_id: r.unit_id,
            community_id: r.community_id,
            team_ids: r.teams.iter().map(|t| t.id).collect(),
            skills: r.skills.lines().map(str::to_string).collect(),
            party_member: r.party_member,
            vest_number: None,
            availability: None,
        };
        let sms = self.sms_to(&r.phone, "sms.join_approved", &[&r.phone]);
        match store::approve(&self.db, r.id, actor.id, &record, note, &sms, now).await {
            Ok(Some(vid)) => Ok(vid),
            Ok(None) => Err(Error::Conflict { code: "already_decided", field: None }),
            // A volunteer or an account with this phone appeared since the check.
            Err(tongxing_store::Error::Conflict) => Err(taken("phone", false)),
            Err(e) => Err(e.into()),
        }
    }
}
