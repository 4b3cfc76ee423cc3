//! A region's past activities loaded in bulk (the demo's year): activities,
//! sign-ups, attendance, ledger entries, corrections and disputes, many rows
//! per statement, in one transaction, with the counters and running totals
//! the live code keeps derived from what was written.

use std::collections::HashMap;

use tongxing_domain::activities::SignupStatus;

use crate::activities::NewActivity;
use crate::needs::past::{value_rows, MAX_BINDS};
use crate::{Db, Result};

/// An activity with everything that happened around it.
#[derive(Debug, Clone)]
pub struct PastActivity {
    /// Exactly one session and one check-in token.
    pub plan: NewActivity,
    /// Its weekly series' first session: an earlier entry of the same batch, or itself.
    pub series: Option<usize>,
    /// (when, by whom) its hours were confirmed.
    pub hours_confirmed: Option<(i64, i64)>,
    pub created_at: i64,
    pub signups: Vec<PastSignup>,
}

#[derive(Debug, Clone)]
pub struct PastSignup {
    pub volunteer_id: i64,
    pub status: SignupStatus,
    pub queued_at: i64,
    /// (checked in, checked out, closed by rule), recorded by the activity's leader.
    pub attendance: Option<(i64, Option<i64>, bool)>,
    pub entry: Option<PastEntry>,
}

/// A ledger entry of an activity, recorded and confirmed by `by` at `at`.
#[derive(Debug, Clone)]
pub struct PastEntry {
    /// `activity`, `manual` (补录) or, for corrections, `correction`.
    pub kind: &'static str,
    pub hours: f64,
    pub served_on: String,
    /// The session credited; corrections have none.
    pub span: Option<(i64, i64)>,
    pub note: Option<String>,
    pub by: i64,
    pub at: i64,
}

/// A correction of the entry of `volunteer_id` at batch activity `activity`.
#[derive(Debug, Clone)]
pub struct PastCorrection {
    pub activity: usize,
    pub volunteer_id: i64,
    pub entry: PastEntry,
}

/// A dispute of the entry of `volunteer_id` at batch activity `activity`.
#[derive(Debug, Clone)]
pub struct PastDispute {
    pub activity: usize,
    pub volunteer_id: i64,
    pub reason: String,
    pub at: i64,
    /// (answer, by, when).
    pub answer: Option<(String, i64, i64)>,
}

/// What a bulk load wrote.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Written {
    pub activities: usize,
    pub signups: usize,
    pub entries: usize,
}

const ACTIVITY_COLUMNS: &str = "team_id, community_id, district_id, project_id, title, description, address, theme, starts_at, ends_at, \
    capacity, confirmed, waitlisted, risky, insurance, adults_only, walk_ups, checkin_token, hours_confirmed_at, hours_confirmed_by, \
    created_by, created_at, updated_at";

/// Stores a batch of past activities with their sign-ups, attendance,
/// entries, corrections and disputes in one transaction, then rebuilds the
/// ledger's running totals. Activity counters come from the sign-ups.
pub async fn create_past(db: &Db, acts: &[PastActivity], fixes: &[PastCorrection], disputes: &[PastDispute]) -> Result<Written> {
    let count = |a: &PastActivity, s: SignupStatus| a.signups.iter().filter(|x| x.status == s).count() as i64;
    let signups: Vec<(usize, &PastSignup)> = acts.iter().enumerate().flat_map(|(i, a)| a.signups.iter().map(move |s| (i, s))).collect();
    let attended: Vec<&(usize, &PastSignup)> = signups.iter().filter(|(_, s)| s.attendance.is_some()).collect();
    let entries: Vec<(usize, i64, &PastEntry)> =
        signups.iter().filter_map(|(i, s)| s.entry.as_ref().map(|e| (*i, s.volunteer_id, e))).collect();
    let rebuild = crate::ledger::rebuild(db.backend());
    db_write!(db, |p| {
        let mut tx = p.begin().await?;
        let mut ids: Vec<i64> = Vec::with_capacity(acts.len());
        for chunk in acts.chunks(MAX_BINDS / 23) {
            let sql = format!(
                "INSERT INTO activities ({ACTIVITY_COLUMNS}) VALUES {} RETURNING id, checkin_token",
                value_rows(db, 23, chunk.len(), "")
            );
            let mut q = sqlx::query_as::<_, (i64, String)>(sqlx::AssertSqlSafe(&*sql)).persistent(false);
            for a in chunk {
                let (n, (starts, ends)) = (&a.plan, a.plan.sessions[0]);
                q = q.bind(n.team_id).bind(n.community_id).bind(n.district_id).bind(n.project_id).bind(&n.title).bind(&n.description);
                q = q.bind(&n.address).bind(n.theme).bind(starts).bind(ends).bind(n.capacity).bind(count(a, SignupStatus::Confirmed));
                q = q.bind(count(a, SignupStatus::Waitlisted)).bind(n.risky).bind(&n.insurance).bind(n.adults_only).bind(n.walk_ups);
                q = q.bind(&n.tokens[0]).bind(a.hours_confirmed.map(|h| h.0)).bind(a.hours_confirmed.map(|h| h.1)).bind(n.created_by);
                q = q.bind(a.created_at).bind(a.created_at);
            }
            // RETURNING promises no order: the unique token says which id is whose.
            let stored: HashMap<String, i64> = q.fetch_all(&mut *tx).await?.into_iter().map(|(id, t)| (t, id)).collect();
            ids.extend(chunk.iter().map(|a| stored[&a.plan.tokens[0]]));
        }
        for (head, _) in acts.iter().enumerate().filter(|(i, a)| a.series == Some(*i)) {
            let members: Vec<i64> = acts.iter().enumerate().filter(|(_, a)| a.series == Some(head)).map(|(i, _)| ids[i]).collect();
            for chunk in members.chunks(MAX_BINDS) {
                let sql = format!("UPDATE activities SET series_id = {} WHERE id IN {}", ids[head], value_rows(db, chunk.len(), 1, ""));
                let mut q = sqlx::query(sqlx::AssertSqlSafe(&*sql)).persistent(false);
                for id in chunk {
                    q = q.bind(*id);
                }
                q.execute(&mut *tx).await?;
            }
        }
        for chunk in signups.chunks(MAX_BINDS / 8) {
            let sql = format!(
                "INSERT INTO signups (activity_id, volunteer_id, status, starts_at, ends_at, queued_at, created_at, updated_at) VALUES {}",
                value_rows(db, 8, chunk.len(), "")
            );
            let mut q = sqlx::query(sqlx::AssertSqlSafe(&*sql)).persistent(false);
            for (i, s) in chunk {
                let (starts, ends) = acts[*i].plan.sessions[0];
                q = q.bind(ids[*i]).bind(s.volunteer_id).bind(s.status.as_str()).bind(starts).bind(ends).bind(s.queued_at);
                q = q.bind(s.queued_at).bind(s.queued_at);
            }
            q.execute(&mut *tx).await?;
        }
        for chunk in attended.chunks(MAX_BINDS / 7) {
            let sql = format!(
                "INSERT INTO attendance (activity_id, volunteer_id, checked_in_at, checked_out_at, auto_closed, in_by, out_by) VALUES {}",
                value_rows(db, 7, chunk.len(), "")
            );
            let mut q = sqlx::query(sqlx::AssertSqlSafe(&*sql)).persistent(false);
            for (i, s) in chunk {
                let ((checked_in, out, auto), by) = (s.attendance.unwrap_or_default(), acts[*i].plan.created_by);
                q = q.bind(ids[*i]).bind(s.volunteer_id).bind(checked_in).bind(out).bind(auto).bind(by).bind(out.and(by));
            }
            q.execute(&mut *tx).await?;
        }
        // (activity id, volunteer) → entry id, for the corrections and disputes that name an entry.
        let mut entry_ids: HashMap<(i64, i64), i64> = HashMap::new();
        for chunk in entries.chunks(MAX_BINDS / 11) {
            let sql = format!(
                "INSERT INTO hours_entries (volunteer_id, kind, activity_id, hours, served_on, started_at, ended_at, recorded_by, \
                 confirmed_by, note, created_at) VALUES {} RETURNING id, activity_id, volunteer_id",
                value_rows(db, 11, chunk.len(), "")
            );
            let mut q = sqlx::query_as::<_, (i64, i64, i64)>(sqlx::AssertSqlSafe(&*sql)).persistent(false);
            for (i, volunteer, e) in chunk {
                q = q.bind(*volunteer).bind(e.kind).bind(ids[*i]).bind(e.hours).bind(&e.served_on).bind(e.span.map(|s| s.0));
                q = q.bind(e.span.map(|s| s.1)).bind(e.by).bind(e.by).bind(&e.note).bind(e.at);
            }
            entry_ids.extend(q.fetch_all(&mut *tx).await?.into_iter().map(|(id, a, v)| ((a, v), id)));
        }
        let entry_of =
            |activity: usize, volunteer: i64| entry_ids.get(&(ids[activity], volunteer)).copied().ok_or(crate::Error::BadReference);
        for chunk in fixes.chunks(MAX_BINDS / 10) {
            let sql = format!(
                "INSERT INTO hours_entries (volunteer_id, kind, activity_id, hours, served_on, recorded_by, confirmed_by, \
                 corrects_entry_id, note, created_at) VALUES {}",
                value_rows(db, 10, chunk.len(), "")
            );
            let mut q = sqlx::query(sqlx::AssertSqlSafe(&*sql)).persistent(false);
            for f in chunk {
                let (e, corrects) = (&f.entry, entry_of(f.activity, f.volunteer_id)?);
                q = q.bind(f.volunteer_id).bind(e.kind).bind(ids[f.activity]).bind(e.hours).bind(&e.served_on).bind(e.by);
                q = q.bind(e.by).bind(corrects).bind(&e.note).bind(e.at);
            }
            q.execute(&mut *tx).await?;
        }
        for d in disputes {
            let entry = entry_of(d.activity, d.volunteer_id)?;
            let (answer, by, answered_at) = d.answer.clone().map_or((None, None, None), |(a, b, t)| (Some(a), Some(b), Some(t)));
            let status = if answer.is_some() { "answered" } else { "open" };
            sqlx::query(
                "INSERT INTO hours_disputes (entry_id, volunteer_id, reason, status, answer, answered_by, created_at, answered_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            )
            .bind(entry)
            .bind(d.volunteer_id)
            .bind(&d.reason)
            .bind(status)
            .bind(answer)
            .bind(by)
            .bind(d.at)
            .bind(answered_at)
            .execute(&mut *tx)
            .await?;
        }
        crate::ledger::rebuild_in!(tx, db, &rebuild);
        for sql in crate::campaigns::report_in::REBUILD_HOURS {
            sqlx::query(sql).execute(&mut *tx).await?;
        }
        tx.commit().await?;
        Ok(Written { activities: ids.len(), signups: signups.len(), entries: entries.len() + fixes.len() })
    })
}
