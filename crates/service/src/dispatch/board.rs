//! What a call looks like while it fills (the live board), its roster for
//! roll call, and the report afterwards.

use std::collections::BTreeMap;

use serde::Serialize;
use tongxing_domain::permission::{Action, Resource, Scope};
use tongxing_domain::phone;
use tongxing_store::dispatch::answers::{self as answers, Response};
use tongxing_store::dispatch::{self as store, Call};
use utoipa::ToSchema;

use crate::{Actor, Result, Service};

/// One unit's part of a call.
#[derive(Debug, Clone, Default, Serialize, ToSchema)]
pub struct UnitLine {
    pub unit_id: i64,
    pub unit_name: String,
    pub eligible: i64,
    pub quota: i64,
    pub notified: i64,
    pub confirmed: i64,
    pub standby: i64,
    pub declined: i64,
    /// Asked and not answered yet.
    pub waiting: i64,
}

/// Someone who answered, for the board's "who answered" list. Named apart
/// from the `accept`/`decline` answer in the document, whose schema would
/// otherwise replace this one.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(as = AnswerLine)]
pub struct Answer {
    pub volunteer_id: i64,
    pub name: String,
    pub unit_name: String,
    pub status: String,
    pub wave: i64,
    #[serde(serialize_with = "tongxing_domain::time::ms_as_rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub answered_at: i64,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Board {
    #[serde(flatten)]
    pub call: Call,
    /// Per unit: quota and fill (API.md names it `quotas`).
    pub quotas: Vec<UnitLine>,
    /// Newest answers first.
    pub answers: Vec<Answer>,
}

/// One person on the roll-call roster.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(as = DispatchRosterLine)]
pub struct RosterLine {
    pub volunteer_id: i64,
    pub name: String,
    pub unit_name: String,
    pub phone: String,
    pub skills: Vec<String>,
    pub status: String,
}

/// After the call: how fast it filled and who came, per unit.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Report {
    pub id: i64,
    pub title: String,
    pub needed: i64,
    pub confirmed: i64,
    /// From sending to the last place filled; none if it never filled.
    pub minutes_to_fill: Option<f64>,
    pub notified: i64,
    pub accepted: i64,
    pub acceptance_rate: f64,
    pub units: Vec<UnitReport>,
    /// Everyone who accepted, in the order they did: the emergency responders.
    pub responders: Vec<Answer>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct UnitReport {
    pub unit_id: i64,
    pub unit_name: String,
    pub notified: i64,
    pub accepted: i64,
    pub acceptance_rate: f64,
}

fn accepted(status: &str) -> bool {
    matches!(status, "confirmed" | "standby" | "withdrawn")
}

fn rate(a: i64, n: i64) -> f64 {
    if n == 0 {
        0.0
    } else {
        (a as f64 / n as f64 * 1000.0).round() / 1000.0
    }
}

impl Service {
    /// A liaison sees only their own unit's people on a call.
    fn people_scope(&self, actor: &Actor) -> Result<Option<i64>> {
        Ok(match self.require(actor, Action::Read, Resource::Dispatch)? {
            Scope::OwnUnit => Some(actor.unit_id.unwrap_or(-1)),
            _ => None,
        })
    }

    pub(super) async fn unit_lines(&self, call: &Call) -> Result<Vec<UnitLine>> {
        let mut lines: BTreeMap<i64, UnitLine> = store::quotas(&self.db, call.id)
            .await?
            .into_iter()
            .map(|(unit_id, unit_name, eligible, quota)| (unit_id, UnitLine { unit_id, unit_name, eligible, quota, ..Default::default() }))
            .collect();
        for r in answers::responses(&self.db, call.id, &[]).await? {
            let l = lines.entry(r.unit_id).or_insert_with(|| UnitLine {
                unit_id: r.unit_id,
                unit_name: r.unit_name.clone(),
                ..Default::default()
            });
            l.notified += i64::from(r.wave > 0);
            match r.status.as_str() {
                "confirmed" => l.confirmed += 1,
                "standby" => l.standby += 1,
                "declined" | "withdrawn" => l.declined += 1,
                _ => l.waiting += 1,
            }
        }
        Ok(lines.into_values().collect())
    }

    pub async fn dispatch_board(&self, actor: &Actor, id: i64) -> Result<Board> {
        let unit = self.people_scope(actor)?;
        let call = store::get(&self.db, id).await?;
        let quotas = self.unit_lines(&call).await?;
        let mut people: Vec<Response> = answers::responses(&self.db, id, &["confirmed", "standby", "declined", "withdrawn"]).await?;
        people.retain(|r| unit.is_none_or(|u| u == r.unit_id));
        people.sort_by_key(|r| std::cmp::Reverse(r.answered_at));
        Ok(Board { call, quotas, answers: people.into_iter().map(answer_of).collect() })
    }

    /// Confirmed people first, then standby, with full phones for roll call
    /// (the read is audited, as every full-phone read is).
    pub async fn dispatch_roster(&self, actor: &Actor, id: i64) -> Result<Vec<RosterLine>> {
        let unit = self.people_scope(actor)?;
        let full = tongxing_domain::permission::may_see_full_phone(actor.role);
        store::get(&self.db, id).await?;
        let skills = answers::skills(&self.db, id).await?;
        let mut out: Vec<RosterLine> = answers::responses(&self.db, id, &["confirmed", "standby"])
            .await?
            .into_iter()
            .filter(|r| unit.is_none_or(|u| u == r.unit_id))
            .map(|r| RosterLine {
                volunteer_id: r.volunteer_id,
                skills: skills.iter().filter(|s| s.0 == r.volunteer_id).map(|s| s.1.clone()).collect(),
                phone: if full { r.phone } else { phone::mask(&r.phone) },
                name: r.name,
                unit_name: r.unit_name,
                status: r.status,
            })
            .collect();
        out.sort_by(|a, b| (a.status != "confirmed", &a.unit_name, &a.name).cmp(&(b.status != "confirmed", &b.unit_name, &b.name)));
        if full {
            self.audit(Some(actor), "read_phone", "dispatch_roster", Some(id), None).await?;
        }
        Ok(out)
    }

    pub async fn dispatch_report(&self, actor: &Actor, id: i64) -> Result<Report> {
        self.people_scope(actor)?;
        let call = store::get(&self.db, id).await?;
        let all = answers::responses(&self.db, id, &[]).await?;
        let mut units: BTreeMap<i64, UnitReport> = BTreeMap::new();
        for r in &all {
            let u = units.entry(r.unit_id).or_insert_with(|| UnitReport {
                unit_id: r.unit_id,
                unit_name: r.unit_name.clone(),
                notified: 0,
                accepted: 0,
                acceptance_rate: 0.0,
            });
            u.notified += i64::from(r.wave > 0);
            u.accepted += i64::from(r.wave > 0 && accepted(&r.status));
        }
        for u in units.values_mut() {
            u.acceptance_rate = rate(u.accepted, u.notified);
        }
        let (notified, accepted_n) = units.values().fold((0, 0), |(n, a), u| (n + u.notified, a + u.accepted));
        let mut responders: Vec<Response> = all.into_iter().filter(|r| accepted(&r.status)).collect();
        responders.sort_by_key(|r| (r.answered_at, r.volunteer_id));
        Ok(Report {
            id,
            title: call.title,
            needed: call.needed,
            confirmed: call.confirmed,
            minutes_to_fill: call.filled_at.map(|f| ((f - call.created_at) as f64 / 60_000.0 * 10.0).round() / 10.0),
            notified,
            accepted: accepted_n,
            acceptance_rate: rate(accepted_n, notified),
            units: units.into_values().collect(),
            responders: responders.into_iter().map(answer_of).collect(),
        })
    }
}

fn answer_of(r: Response) -> Answer {
    Answer {
        volunteer_id: r.volunteer_id,
        name: r.name,
        unit_name: r.unit_name,
        status: r.status,
        wave: r.wave,
        answered_at: r.answered_at.unwrap_or(r.notified_at),
    }
}
