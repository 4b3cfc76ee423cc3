//! The region's volunteers as a call's ranking needs them, held in memory:
//! one compact row per person and every person's skills in one flat array, so
//! ranking 100,000 people is a scan over contiguous memory, not a query.

use std::collections::HashMap;

/// Everything about one volunteer that decides whether and how well they fit a call.
#[derive(Debug, Clone, PartialEq)]
pub struct Person {
    pub volunteer_id: i64,
    pub unit_id: i64,
    pub lat: f64,
    pub lng: f64,
    pub active: bool,
    /// The moment they turn 18; `None` when the age is unknown, which is
    /// treated as not adult, as activities do.
    pub adult_from_ms: Option<i64>,
    pub skills: Vec<String>,
    /// When they were last notified of a call.
    pub last_called_ms: Option<i64>,
    /// Calls they were notified of and calls they accepted.
    pub invited: u32,
    pub accepted: u32,
    /// When the latest call they were confirmed on ends (or ended).
    pub served_until_ms: Option<i64>,
}

/// One person packed: 64 bytes, skills as a range of `Pool::skill_ids`.
#[derive(Debug, Clone, Copy)]
pub(super) struct Row {
    pub volunteer_id: i64,
    pub unit_id: i64,
    pub lat: f32,
    pub lng: f32,
    pub adult_from_ms: i64,
    pub last_called_ms: i64,
    pub served_until_ms: i64,
    pub invited: u32,
    pub accepted: u32,
    pub skills_at: u32,
    pub skills_len: u16,
    pub active: bool,
}

const NEVER: i64 = i64::MIN;
const UNKNOWN_AGE: i64 = i64::MAX;

#[derive(Debug, Default, Clone)]
pub struct Pool {
    pub(super) rows: Vec<Row>,
    pub(super) skill_ids: Vec<u16>,
    skill_names: HashMap<String, u16>,
    by_volunteer: HashMap<i64, usize>,
}

impl Pool {
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// Adds a person or replaces what is known of them. A replaced person's
    /// old skills stay in the flat array unused until the pool is rebuilt,
    /// which the service does when the waste grows (see `wasted_skill_slots`).
    pub fn upsert(&mut self, p: &Person) {
        let mut ids: Vec<u16> = p.skills.iter().map(|s| self.intern(s)).collect();
        ids.sort_unstable();
        ids.dedup();
        let row = Row {
            volunteer_id: p.volunteer_id,
            unit_id: p.unit_id,
            lat: p.lat as f32,
            lng: p.lng as f32,
            adult_from_ms: p.adult_from_ms.unwrap_or(UNKNOWN_AGE),
            last_called_ms: p.last_called_ms.unwrap_or(NEVER),
            served_until_ms: p.served_until_ms.unwrap_or(NEVER),
            invited: p.invited,
            accepted: p.accepted,
            skills_at: self.skill_ids.len() as u32,
            skills_len: ids.len() as u16,
            active: p.active,
        };
        self.skill_ids.extend_from_slice(&ids);
        match self.by_volunteer.get(&p.volunteer_id) {
            Some(&i) => self.rows[i] = row,
            None => {
                self.by_volunteer.insert(p.volunteer_id, self.rows.len());
                self.rows.push(row);
            }
        }
    }

    /// Records that a volunteer was notified of a call at `at_ms` and, once
    /// they answer, whether they accepted: the ranking's memory of who was
    /// asked lately, kept current without reloading the person.
    pub fn record_call(&mut self, volunteer_id: i64, at_ms: i64) {
        if let Some(&i) = self.by_volunteer.get(&volunteer_id) {
            let r = &mut self.rows[i];
            r.last_called_ms = r.last_called_ms.max(at_ms);
            r.invited += 1;
        }
    }

    pub fn record_acceptance(&mut self, volunteer_id: i64) {
        if let Some(&i) = self.by_volunteer.get(&volunteer_id) {
            self.rows[i].accepted += 1;
        }
    }

    /// Skill slots no row points at any more.
    pub fn wasted_skill_slots(&self) -> usize {
        let used: usize = self.rows.iter().map(|r| usize::from(r.skills_len)).sum();
        self.skill_ids.len() - used
    }

    /// The id of a skill, or `None` when nobody in the pool has it.
    pub(super) fn skill_id(&self, name: &str) -> Option<u16> {
        self.skill_names.get(name.trim()).copied()
    }

    pub(super) fn skills_of(&self, r: &Row) -> &[u16] {
        &self.skill_ids[r.skills_at as usize..r.skills_at as usize + usize::from(r.skills_len)]
    }

    fn intern(&mut self, name: &str) -> u16 {
        let next = self.skill_names.len();
        // More distinct skills than u16 holds would be a data problem, not a
        // region; they share the last id rather than failing a call.
        *self.skill_names.entry(name.trim().to_string()).or_insert(next.min(usize::from(u16::MAX)) as u16)
    }
}

impl Row {
    pub(super) fn last_called(&self) -> Option<i64> {
        (self.last_called_ms != NEVER).then_some(self.last_called_ms)
    }
}
