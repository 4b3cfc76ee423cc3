//! Hours: confirming an activity's attendance into the ledger, corrections,
//! disputes, and a volunteer's standing. The rules are `tongxing_domain::hours`.

use std::sync::Arc;

use serde::{Deserialize, Serialize};
use tongxing_domain::activities::{closing_time, served_ms, Activity, RosterLine};
use tongxing_domain::hours::{self as rules, Credit, Entry, StarLadder};
use tongxing_domain::paging::Page;
use tongxing_domain::permission::{Action, Resource};
use tongxing_domain::time::region_date;
use tongxing_domain::Invalid;
use tongxing_store::ledger::{self, NewEntry};
use tongxing_store::{activities, activities::attendance, now_ms, Backend};
use utoipa::ToSchema;

use crate::activities::conflict;
use crate::cache;
use crate::group_commit::HoursPage;
use crate::{Actor, Error, Result, Service};

/// A leader's correction of computed hours, or hours entered by hand (补录)
/// for someone who served without checking in. Both need a reason.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct HoursLine {
    #[schema(schema_with = tongxing_domain::schema::id)]
    pub volunteer_id: i64,
    /// At most the activity's length.
    #[schema(minimum = 0.0)]
    pub hours: f64,
    /// Needed when the hours differ from the computed ones.
    #[serde(default)]
    pub reason: Option<String>,
}

/// One roster line with the hours its check-in and check-out give.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Attendance {
    #[serde(flatten)]
    pub line: RosterLine,
    pub computed_hours: f64,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct HoursSummary {
    pub volunteer_id: i64,
    pub total_hours: f64,
    pub star: u8,
    pub next_star_hours: Option<f64>,
    pub total_entries: i64,
    pub entries: Vec<Entry>,
}

fn computed_ms(a: &Activity, l: &RosterLine) -> i64 {
    match l.checked_in_at {
        Some(i) => served_ms(i, l.checked_out_at.unwrap_or(closing_time(i, a.ends_at)), a.starts_at, a.ends_at),
        None => 0,
    }
}

fn day_text(ms: i64) -> String {
    region_date(ms).format("%Y-%m-%d").to_string()
}

impl Service {
    pub fn star_ladder(&self) -> &StarLadder {
        &self.settings.star_ladder
    }

    /// Attendance with computed hours, for the leader's confirmation screen.
    pub async fn attendance(&self, actor: &Actor, activity_id: i64) -> Result<(Activity, Vec<Attendance>)> {
        let (a, lines) = self.roster(actor, activity_id).await?;
        let out = lines.into_iter().map(|line| Attendance { computed_hours: rules::hours(computed_ms(&a, &line)), line }).collect();
        Ok((a, out))
    }

    /// Confirms an ended activity's hours into the ledger, once. `changes`
    /// override computed hours or add hand entries; each needs a reason.
    /// Returns how many entries were written.
    pub async fn confirm_hours(&self, actor: &Actor, activity_id: i64, changes: &[HoursLine]) -> Result<usize> {
        let (a, lines) = self.roster(actor, activity_id).await?;
        if a.hours_confirmed {
            return Err(conflict("already_confirmed", "activity_id"));
        }
        if now_ms() < a.ends_at {
            return Err(conflict("activity_not_ended", "activity_id"));
        }
        let length = a.ends_at - a.starts_at;
        let mut bad = Invalid::default();
        let mut entries = Vec::new();
        for line in &lines {
            let change = changes.iter().find(|c| c.volunteer_id == line.volunteer_id);
            let computed = computed_ms(&a, line);
            let field = format!("hours_{}", line.volunteer_id);
            let (ms, kind, note) = match change {
                None => (computed, "activity", None),
                Some(c) => {
                    let ms = rules::ms_from_hours(c.hours);
                    let reason = c.reason.as_deref().map(str::trim).filter(|r| !r.is_empty());
                    if ms != computed && reason.is_none() {
                        bad.push(&field, "reason_required");
                        continue;
                    }
                    if c.hours < 0.0 || ms > length {
                        bad.push(&field, rules::LedgerRefusal::OverActivity.code());
                        continue;
                    }
                    let kind = if line.checked_in_at.is_some() { "activity" } else { "manual" };
                    (ms, kind, reason.map(str::to_string))
                }
            };
            if ms == 0 {
                continue;
            }
            let start = line.checked_in_at.map_or(a.starts_at, |i| i.max(a.starts_at));
            let span = (start, start + ms);
            if let Err(r) = self.fits_ledger(line.volunteer_id, Credit::session(span.0, span.1)).await? {
                bad.push(&field, r.code());
                continue;
            }
            entries.push(NewEntry {
                volunteer_id: line.volunteer_id,
                kind,
                activity_id: Some(a.id),
                hours: rules::hours(ms),
                served_on: day_text(span.0),
                started_at: Some(span.0),
                ended_at: Some(span.1),
                recorded_by: Some(actor.id),
                confirmed_by: Some(actor.id),
                note,
                ..Default::default()
            });
        }
        if let Some(c) = changes.iter().find(|c| !lines.iter().any(|l| l.volunteer_id == c.volunteer_id)) {
            bad.push(&format!("hours_{}", c.volunteer_id), "not_signed_up");
        }
        bad.into_result()?;
        if !ledger::confirm_activity(&self.db, a.id, actor.id, &entries).await? {
            return Err(conflict("already_confirmed", "activity_id"));
        }
        self.caches.activities_changed();
        Ok(entries.len())
    }

    /// Checks a credit against the volunteer's ledger around its days.
    pub(crate) async fn fits_ledger(&self, volunteer_id: i64, new: Credit) -> Result<std::result::Result<(), rules::LedgerRefusal>> {
        let (from, to) = match new.span {
            Some((s, e)) => (s - rules::DAY_MS, e + rules::DAY_MS),
            None => (now_ms() - rules::DAY_MS, now_ms() + rules::DAY_MS),
        };
        let existing: Vec<Credit> = ledger::credits(&self.db, volunteer_id, &day_text(from), &day_text(to))
            .await?
            .into_iter()
            .map(|(h, day, s, e)| Credit {
                ms: rules::ms_from_hours(h),
                span: s.zip(e),
                day: chrono::NaiveDate::parse_from_str(&day, "%Y-%m-%d").unwrap_or(new.day),
            })
            .collect();
        Ok(rules::may_credit(&existing, &new))
    }

    /// A volunteer's total, star level and entries. Volunteers see their own;
    /// leaders and liaisons their people's.
    pub async fn hours_summary(&self, actor: &Actor, volunteer_id: i64, page: Page) -> Result<HoursSummary> {
        self.hours_access(actor, volunteer_id, Action::Read).await?;
        let read = self.hours_page(volunteer_id, page).await?;
        let (total, count, entries) = (read.0, read.1, read.2.clone());
        let s = rules::standing(self.star_ladder(), rules::ms_from_hours(total));
        Ok(HoursSummary {
            volunteer_id,
            total_hours: s.total_hours,
            star: s.star,
            next_star_hours: s.next_star_hours,
            total_entries: count,
            entries,
        })
    }

    /// The volunteer's total, entry count and page of entries. On SQLite a
    /// direct read; on PostgreSQL kept in memory while the feed is heard
    /// (`crate::feed`), else read with the other pages asked at the moment.
    async fn hours_page(&self, volunteer_id: i64, page: Page) -> Result<cache::HoursPage> {
        if self.db.backend() == Backend::Sqlite {
            return Ok(Arc::new(ledger::summary_page(&self.db, volunteer_id, page).await?));
        }
        let keep = self.caches.feed.caught_up(&self.db, &self.caches).await;
        if keep {
            if let Some(kept) = self.caches.hours_page(volunteer_id, page) {
                return Ok(kept);
            }
        }
        let mark = self.caches.hours_mark(volunteer_id);
        let read = Arc::new(self.caches.hours_pages.run(&self.db, HoursPage { volunteer_id, page }).await?);
        if keep {
            self.caches.put_hours_page(volunteer_id, page, mark, read.clone());
        }
        Ok(read)
    }

    /// Corrects an entry by appending the difference; the entry itself never changes.
    pub async fn correct_entry(&self, actor: &Actor, entry_id: i64, hours: f64, reason: &str) -> Result<()> {
        let (entry, volunteer_id, net) = ledger::entry_with_net(&self.db, entry_id).await?;
        if entry.kind == "correction" {
            return Err(Error::Validation(Invalid::one("entry_id", "correct_the_original")));
        }
        let limit = match entry.activity_id {
            Some(a) => {
                let a = activities::get(&self.db, a).await?;
                self.require_team_hours(actor, a.team_id)?;
                a.ends_at - a.starts_at
            }
            // A need's hours: the volunteer must be within the corrector's reach.
            None => {
                let scope = self.require(actor, Action::Write, Resource::Hours)?;
                self.volunteer_in_scope(actor, scope, volunteer_id).await?;
                rules::DAY_MS
            }
        };
        let mut e = Invalid::default();
        e.text("reason", reason, 500);
        e.into_result()?;
        // A negative figure is refused as typed, not after rounding to the millisecond.
        let wanted = if hours < 0.0 { -1 } else { rules::ms_from_hours(hours) };
        let delta =
            rules::correction(rules::ms_from_hours(net), wanted, limit).map_err(|r| Error::Validation(Invalid::one("hours", r.code())))?;
        if delta == 0 {
            return Ok(());
        }
        if delta > 0 {
            let day = chrono::NaiveDate::parse_from_str(&entry.served_on, "%Y-%m-%d").unwrap_or_default();
            let more = Credit { ms: delta, span: None, day };
            if let Err(r) = self.fits_ledger(volunteer_id, more).await? {
                return Err(Error::Validation(Invalid::one("hours", r.code())));
            }
        }
        let fix = NewEntry {
            volunteer_id,
            kind: "correction",
            activity_id: entry.activity_id,
            need_id: entry.need_id,
            hours: rules::hours(delta),
            served_on: entry.served_on.clone(),
            recorded_by: Some(actor.id),
            confirmed_by: Some(actor.id),
            corrects_entry_id: Some(entry_id),
            note: Some(reason.trim().to_string()),
            ..Default::default()
        };
        ledger::append(&self.db, &[fix]).await?;
        Ok(())
    }

    fn require_team_hours(&self, actor: &Actor, team_id: i64) -> Result<()> {
        match self.require(actor, Action::Write, Resource::Hours)? {
            tongxing_domain::permission::Scope::All => Ok(()),
            tongxing_domain::permission::Scope::OwnTeam if actor.team_id == Some(team_id) => Ok(()),
            _ => Err(Error::Forbidden),
        }
    }

    /// A volunteer disputes one of their entries; the organisation must answer.
    pub async fn dispute_entry(&self, actor: &Actor, entry_id: i64, reason: &str) -> Result<i64> {
        let (_, volunteer_id, _) = ledger::entry_with_net(&self.db, entry_id).await?;
        if actor.volunteer_id != Some(volunteer_id) {
            return Err(Error::Forbidden);
        }
        let mut e = Invalid::default();
        e.text("reason", reason, 500);
        e.into_result()?;
        ledger::dispute(&self.db, entry_id, volunteer_id, reason.trim()).await.map_err(|e| match e {
            tongxing_store::Error::Conflict => conflict("already_disputed", "entry_id"),
            other => other.into(),
        })
    }

    /// The organisation answers a dispute: a leader of the team whose
    /// activity or need the entry is for, or the center.
    pub async fn answer_dispute(&self, actor: &Actor, dispute_id: i64, answer: &str) -> Result<()> {
        let scope = self.require(actor, Action::Write, Resource::Hours)?;
        let d = tongxing_store::disputes::get(&self.db, dispute_id).await?;
        let ours = scope == tongxing_domain::permission::Scope::OwnTeam && d.team_id.is_some() && actor.team_id == d.team_id;
        if scope != tongxing_domain::permission::Scope::All && !ours {
            return Err(Error::Forbidden);
        }
        let mut e = Invalid::default();
        e.text("answer", answer, 500);
        e.into_result()?;
        match ledger::answer_dispute(&self.db, dispute_id, actor.id, answer.trim()).await? {
            true => Ok(()),
            false => Err(conflict("already_answered", "dispute_id")),
        }
    }

    /// How many check-ins an activity holds, counted in the database.
    pub async fn checkin_count(&self, activity_id: i64) -> Result<i64> {
        Ok(attendance::count(&self.db, activity_id).await?)
    }
}
