//! Past emergency calls loaded in bulk (the demo's): each call with its unit
//! quotas, everyone asked and their answers, the board's events and the
//! callers' statistics, many rows per statement in one transaction; its
//! backing roll-call activity (sign-ups, check-ins, confirmed hours) goes in
//! first through `past_activities`, so the ledger's running totals stay the
//! sums of the entries, and is then tied to its call.

use std::collections::HashMap;

use crate::activities::past::{create_past, PastActivity};
use crate::dispatch::NewCall;
use crate::needs::past::{value_rows, MAX_BINDS};
use crate::{Db, Error, Result};

/// A call as it happened. Its `plan.checkin_token` is its backing activity's.
#[derive(Debug, Clone)]
pub struct PastCall {
    pub plan: NewCall,
    pub created_at: i64,
    pub waves: i64,
    pub filled_at: Option<i64>,
    pub closed_at: Option<i64>,
    pub responses: Vec<PastResponse>,
    /// (when, kind), oldest first.
    pub events: Vec<(i64, &'static str)>,
    /// Its roll call: one session, the call's token, the confirmed as sign-ups.
    pub activity: PastActivity,
}

#[derive(Debug, Clone)]
pub struct PastResponse {
    pub volunteer_id: i64,
    pub unit_id: i64,
    pub wave: i64,
    pub score: f64,
    pub distance_km: f64,
    /// `notified`, `confirmed`, `standby`, `declined` or `withdrawn`.
    pub status: &'static str,
    pub token: String,
    pub notified_at: i64,
    pub answered_at: Option<i64>,
}

const CALL_COLUMNS: &str = "title, description, address, community_id, district_id, lat, lng, radius_km, skills, starts_at, ends_at, \
    needed, confirmed, standby, status, waves, created_by, created_at, filled_at, closed_at, updated_at";
const RESPONSE_COLUMNS: &str =
    "dispatch_id, volunteer_id, unit_id, wave, score, distance_km, status, token, notified_at, answered_at, queued_at";

/// Who was asked and said yes across `calls`: (invited, accepted, last called, last changed).
fn stats(calls: &[PastCall]) -> Vec<(i64, (i64, i64, i64, i64))> {
    let mut by: HashMap<i64, (i64, i64, i64, i64)> = HashMap::new();
    for r in calls.iter().flat_map(|c| &c.responses) {
        let s = by.entry(r.volunteer_id).or_insert((0, 0, i64::MIN, i64::MIN));
        s.0 += i64::from(r.wave > 0);
        s.1 += i64::from(matches!(r.status, "confirmed" | "standby" | "withdrawn"));
        s.2 = s.2.max(r.notified_at);
        s.3 = s.3.max(r.answered_at.unwrap_or(r.notified_at));
    }
    let mut out: Vec<_> = by.into_iter().collect();
    out.sort_unstable_by_key(|s| s.0);
    out
}

/// Stores past calls; returns how many responses were written. The call
/// counters come from the responses: `closed` when `closed_at` is set, else
/// `filled` once full, else `open`.
pub async fn create_calls(db: &Db, calls: &[PastCall]) -> Result<usize> {
    let acts: Vec<PastActivity> = calls.iter().map(|c| c.activity.clone()).collect();
    create_past(db, &acts, &[], &[]).await?;
    let stats = stats(calls);
    db_write!(db, |p| {
        let mut tx = p.begin().await?;
        let mut written = 0;
        for c in calls {
            let n = |s: &str| c.responses.iter().filter(|r| r.status == s).count() as i64;
            let confirmed = n("confirmed");
            let status = match c.closed_at {
                Some(_) => "closed",
                None if confirmed >= c.plan.needed => "filled",
                None => "open",
            };
            let last = c.events.last().map_or(c.created_at, |e| e.0);
            let sql = format!("INSERT INTO dispatches ({CALL_COLUMNS}) VALUES {} RETURNING id", value_rows(db, 21, 1, ""));
            let k = &c.plan;
            let mut q =
                sqlx::query_scalar(sqlx::AssertSqlSafe(&*sql)).bind(&k.title).bind(&k.description).bind(&k.address).bind(k.community_id);
            q = q.bind(k.district_id).bind(k.lat).bind(k.lng).bind(k.radius_km).bind(k.skills.join("\n")).bind(k.starts_at);
            q = q.bind(k.ends_at).bind(k.needed).bind(confirmed).bind(n("standby")).bind(status).bind(c.waves).bind(k.created_by);
            q = q.bind(c.created_at).bind(c.filled_at).bind(c.closed_at).bind(last);
            let id: i64 = q.fetch_one(&mut *tx).await?;
            let tied = sqlx::query("UPDATE activities SET dispatch_id = $1 WHERE checkin_token = $2")
                .bind(id)
                .bind(&k.checkin_token)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            if tied != 1 {
                return Err(Error::BadReference);
            }
            for chunk in k.quotas.chunks(MAX_BINDS / 4) {
                let sql = format!(
                    "INSERT INTO dispatch_units (dispatch_id, unit_id, eligible, quota) VALUES {}",
                    value_rows(db, 4, chunk.len(), "")
                );
                let mut q = sqlx::query(sqlx::AssertSqlSafe(&*sql)).persistent(false);
                for (unit, eligible, quota) in chunk {
                    q = q.bind(id).bind(unit).bind(eligible).bind(quota);
                }
                q.execute(&mut *tx).await?;
            }
            for chunk in c.responses.chunks(MAX_BINDS / 11) {
                let sql = format!("INSERT INTO dispatch_responses ({RESPONSE_COLUMNS}) VALUES {}", value_rows(db, 11, chunk.len(), ""));
                let mut q = sqlx::query(sqlx::AssertSqlSafe(&*sql)).persistent(false);
                for r in chunk {
                    let queued = (r.status == "standby").then_some(r.answered_at).flatten();
                    q = q.bind(id).bind(r.volunteer_id).bind(r.unit_id).bind(r.wave).bind(r.score).bind(r.distance_km);
                    q = q.bind(r.status).bind(&r.token).bind(r.notified_at).bind(r.answered_at).bind(queued);
                }
                q.execute(&mut *tx).await?;
            }
            for chunk in c.events.chunks(MAX_BINDS / 3) {
                let sql = format!("INSERT INTO dispatch_events (dispatch_id, at, kind) VALUES {}", value_rows(db, 3, chunk.len(), ""));
                let mut q = sqlx::query(sqlx::AssertSqlSafe(&*sql)).persistent(false);
                for (at, kind) in chunk {
                    q = q.bind(id).bind(at).bind(kind);
                }
                q.execute(&mut *tx).await?;
            }
            written += c.responses.len();
        }
        for chunk in stats.chunks(MAX_BINDS / 5) {
            let sql = format!(
                "INSERT INTO volunteer_call_stats (volunteer_id, invited, accepted, last_called_at, updated_at) VALUES {} \
                 ON CONFLICT (volunteer_id) DO UPDATE SET invited = volunteer_call_stats.invited + excluded.invited, \
                 accepted = volunteer_call_stats.accepted + excluded.accepted, \
                 last_called_at = CASE WHEN excluded.last_called_at > volunteer_call_stats.last_called_at \
                 THEN excluded.last_called_at ELSE volunteer_call_stats.last_called_at END, updated_at = excluded.updated_at",
                value_rows(db, 5, chunk.len(), "")
            );
            let mut q = sqlx::query(sqlx::AssertSqlSafe(&*sql)).persistent(false);
            for (v, (invited, accepted, called, changed)) in chunk {
                q = q.bind(v).bind(invited).bind(accepted).bind(called).bind(changed);
            }
            q.execute(&mut *tx).await?;
        }
        tx.commit().await?;
        Ok(written)
    })
}
