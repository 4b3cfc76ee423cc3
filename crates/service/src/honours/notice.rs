//! The public notice (公示), objections and their resolution, publishing,
//! and the honours it writes.

use rand::RngCore;
use tongxing_domain::honours::round::{publish_blocker, Stage, NAME_MAX, REASON_MAX};
use tongxing_domain::honours::scoring::within_quotas;
use tongxing_domain::honours::view::{Honour, Notice, NoticeItem, Objection, ObjectionInput, ResolveInput, TrailEntry};
use tongxing_domain::hours::{certificate_code, DAY_MS};
use tongxing_domain::permission::{self, Action};
use tongxing_domain::{phone, Invalid};
use tongxing_store::honours::{awards, nominations, objections as store, rounds, trail};
use tongxing_store::outbox::Message;
use tongxing_store::registry::{teams, volunteers};

use super::{wrong_stage, year_of};
use crate::{Actor, Error, Result, Service};

/// Objections one address may file in an hour.
const OBJECTIONS_PER_IP_PER_HOUR: i64 = 5;

impl Service {
    /// Puts a reviewed round on public notice for its `notice_days` from `now`;
    /// every nomination must have been decided.
    pub async fn start_honour_notice(&self, actor: &Actor, id: i64, now: i64) -> Result<()> {
        self.require_honours_center(actor)?;
        let r = rounds::get(&self.db, id).await?;
        if r.stage != Stage::Review {
            return Err(Error::Conflict { code: "wrong_stage", field: None });
        }
        if nominations::undecided(&self.db, id).await? > 0 {
            return Err(Error::Conflict { code: "undecided_nominations", field: None });
        }
        rounds::start_notice(&self.db, id, now, now + r.notice_days * DAY_MS).await.map_err(wrong_stage)?;
        self.caches.forget_figures(&notice_key(id));
        self.audit(Some(actor), "honour_round.notice", "honour_round", Some(id), None).await
    }

    /// The public notice: the proposed honourees (approved, within quota),
    /// with unit or district, hours and citation — never a phone or an ID.
    /// Shared widely (WeChat), it is served from memory: a change through
    /// this instance drops it at once, through another within `FIGURES_TTL`.
    pub async fn honour_notice(&self, id: i64) -> Result<Notice> {
        let key = notice_key(id);
        if let Some(n) = self.caches.figures::<Notice>(&key) {
            return Ok(n);
        }
        let n = self.read_notice(id).await?;
        self.caches.put_figures(&key, n.clone());
        Ok(n)
    }

    async fn read_notice(&self, id: i64) -> Result<Notice> {
        let r = rounds::get(&self.db, id).await?;
        if matches!(r.stage, Stage::Nominating | Stage::Review) {
            return Err(Error::NotFound);
        }
        let rows = nominations::on_notice(&self.db, id).await?;
        let kept = within_quotas(&rows.iter().map(|n| n.quota_group).collect::<Vec<_>>(), |g| r.quota_of(g));
        let items = rows
            .into_iter()
            .zip(kept)
            .filter(|(_, k)| *k)
            .map(|(n, _)| NoticeItem { nomination_id: n.id, name: n.name, group_name: n.group_name, hours: n.hours, citation: n.citation })
            .collect();
        Ok(Notice { round_id: r.id, title: r.title, stage: r.stage, notice_from: r.notice_from, notice_until: r.notice_until, items })
    }

    /// Anyone may object to a nominee on notice, anonymously if they wish;
    /// an address may file a few an hour.
    pub async fn object(&self, round_id: i64, input: &ObjectionInput, ip: &str, now: i64) -> Result<i64> {
        let mut e = Invalid::default();
        e.text("reason", &input.reason, REASON_MAX);
        e.optional_text("name", input.name.as_deref(), NAME_MAX);
        let phone = match input.phone.as_deref().map(str::trim).filter(|p| !p.is_empty()) {
            Some(p) => match phone::normalize(p) {
                Some(n) => Some(n),
                None => {
                    e.push("phone", "phone_format");
                    None
                }
            },
            None => None,
        };
        e.into_result()?;
        let r = rounds::get(&self.db, round_id).await?;
        if r.stage != Stage::Notice || r.notice_until.is_some_and(|u| now >= u) {
            return Err(Error::Conflict { code: "not_on_notice", field: None });
        }
        let n = nominations::get(&self.db, input.nomination_id).await.map_err(|_| Error::unknown_reference("nomination_id"))?;
        if n.round_id != round_id || n.status != "approved" {
            return Err(Error::unknown_reference("nomination_id"));
        }
        self.hit(&format!("honour_objection@{ip}"), OBJECTIONS_PER_IP_PER_HOUR, 3_600_000, now).await?;
        let name = input.name.as_deref().map(str::trim).filter(|s| !s.is_empty());
        let new = store::New { round_id, nomination_id: n.id, reason: input.reason.trim(), name, phone: phone.as_deref() };
        let id = store::create(&self.db, &new).await?;
        self.audit(None, "honour.object", "honour_objection", Some(id), Some(&format!("nomination {}", n.id))).await?;
        Ok(id)
    }

    /// The round's objections for the center; phones masked unless revealed (audited).
    pub async fn honour_objections(&self, actor: &Actor, round_id: i64, reveal: bool) -> Result<Vec<Objection>> {
        self.require_honours_center(actor)?;
        rounds::get(&self.db, round_id).await?;
        let rows = store::of_round(&self.db, round_id).await?;
        let full = reveal && permission::may_see_full_phone(actor.role);
        if full && rows.iter().any(|o| o.phone.is_some()) {
            self.audit(Some(actor), "read_phone", "honour_round", Some(round_id), Some("objections")).await?;
        }
        Ok(rows.into_iter().map(|o| Objection { phone: o.phone.map(|p| if full { p } else { phone::mask(&p) }), ..o }).collect())
    }

    /// The center's finding on an objection; upheld removes the nominee.
    pub async fn resolve_objection(&self, actor: &Actor, id: i64, input: &ResolveInput) -> Result<()> {
        self.require_honours_center(actor)?;
        let mut e = Invalid::default();
        e.text("finding", &input.finding, REASON_MAX);
        e.into_result()?;
        let o = store::get(&self.db, id).await?;
        store::resolve(&self.db, id, input.upheld, input.finding.trim(), actor.id).await.map_err(|e| match e {
            tongxing_store::Error::Conflict => Error::Conflict { code: "already_resolved", field: None },
            e => e.into(),
        })?;
        if input.upheld {
            let round_id = nominations::get(&self.db, o.nomination_id).await?.round_id;
            self.caches.forget_figures(&notice_key(round_id));
        }
        let what = if input.upheld { "upheld" } else { "not_upheld" };
        self.audit(Some(actor), "honour.resolve", "honour_objection", Some(id), Some(what)).await
    }

    /// Publishes a round once its notice has run its full length and every
    /// objection is resolved: honours with certificate numbers, and the
    /// honourees told in-app and by SMS (through the outbox, with the honours).
    pub async fn publish_round(&self, actor: &Actor, id: i64, now: i64) -> Result<usize> {
        self.require_honours_center(actor)?;
        let r = rounds::get(&self.db, id).await?;
        let open = store::open_count(&self.db, id).await?;
        if let Some(code) = publish_blocker(r.stage, r.notice_until, open, now) {
            return Err(Error::Conflict { code, field: None });
        }
        let notice = self.honour_notice(id).await?;
        let all = nominations::of_round(&self.db, id).await?;
        let year = year_of(&r);
        let list: Vec<rounds::NewAward> = notice
            .items
            .iter()
            .filter_map(|i| all.iter().find(|n| n.id == i.nomination_id))
            .map(|n| {
                let mut b = [0u8; 8];
                rand::thread_rng().fill_bytes(&mut b);
                rounds::NewAward { nomination_id: n.id, volunteer_id: n.volunteer_id, team_id: n.team_id, code: certificate_code(year, b) }
            })
            .collect();
        let mut sms = Vec::new();
        for a in &list {
            sms.extend(self.honour_sms(&r.title, a).await?);
        }
        rounds::publish(&self.db, id, year, now, &list, &sms).await.map_err(wrong_stage)?;
        self.caches.forget_figures(&notice_key(id));
        self.audit(Some(actor), "honour_round.publish", "honour_round", Some(id), Some(&format!("{} honoured", list.len()))).await?;
        Ok(list.len())
    }

    /// The SMS telling of one honour: to the volunteer, or to an honoured
    /// team's leader (none when the team has no leader on file).
    async fn honour_sms(&self, title: &str, a: &rounds::NewAward) -> Result<Vec<Message>> {
        if let Some(v) = a.volunteer_id {
            let phone = volunteers::get(&self.db, v).await?.phone;
            return Ok(self.sms_to(&phone, "sms.honoured", &[title, &a.code]));
        }
        let Some(t) = a.team_id else { return Ok(Vec::new()) };
        let team = teams::get(&self.db, t).await?;
        let Some(leader) = team.leader_volunteer_id else { return Ok(Vec::new()) };
        let phone = volunteers::get(&self.db, leader).await?.phone;
        Ok(self.sms_to(&phone, "sms.team_honoured", &[&team.name, title, &a.code]))
    }

    /// The public honour roll of a year (or every year).
    pub async fn honour_roll(&self, year: Option<i64>) -> Result<Vec<Honour>> {
        Ok(awards::roll(&self.db, year).await?)
    }

    /// A volunteer's commendations, for whoever may read their record.
    pub async fn volunteer_honours(&self, actor: &Actor, volunteer_id: i64) -> Result<Vec<Honour>> {
        self.hours_access(actor, volunteer_id, Action::Read).await?;
        Ok(awards::of_volunteer(&self.db, volunteer_id).await?)
    }

    /// The round's audit trail (every score frozen, nomination, decision,
    /// objection and change), for the center.
    pub async fn honour_trail(&self, actor: &Actor, round_id: i64) -> Result<Vec<TrailEntry>> {
        self.require_honours_center(actor)?;
        rounds::get(&self.db, round_id).await?;
        Ok(trail::of_round(&self.db, round_id).await?)
    }

    /// An honour certificate by its number, for `/verify/{code}`.
    pub async fn verify_honour(&self, code: &str) -> Result<Option<Honour>> {
        Ok(awards::by_code(&self.db, code).await?)
    }
}

/// Where a round's public notice is cached.
fn notice_key(round_id: i64) -> String {
    format!("honour_notice:{round_id}")
}
