//! The rotation (每双月): the campaign split into two-month periods, a fair
//! default plan of which district hosts which theme in which period, and the
//! clashes a hand-edited plan may have.

use chrono::{Months, NaiveDate};

/// A slot of a plan: a district (by id) hosts a theme over inclusive days.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Slot {
    pub district_id: i64,
    pub theme: &'static str,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
}

impl Slot {
    pub fn overlaps(&self, other: &Slot) -> bool {
        self.starts_on <= other.ends_on && other.starts_on <= self.ends_on
    }
}

/// The campaign's two-month periods from its first day, the last one cut at its end.
pub fn periods(starts_on: NaiveDate, ends_on: NaiveDate) -> Vec<(NaiveDate, NaiveDate)> {
    let mut out = Vec::new();
    let mut from = starts_on;
    while from <= ends_on {
        let next = from.checked_add_months(Months::new(2)).unwrap_or(NaiveDate::MAX);
        let to = next.pred_opt().unwrap_or(next).min(ends_on);
        out.push((from, to));
        if next <= from {
            break;
        }
        from = next;
    }
    out
}

/// The default plan: every district hosts at least once, each period has a
/// host, and themes go round in order so that every theme comes up (as long
/// as there are as many slots as themes to give). A district never hosts two
/// slots in one period, so its slots never overlap. Slots are as many as the
/// largest of districts, periods and themes, but never more than fit.
pub fn generate(starts_on: NaiveDate, ends_on: NaiveDate, districts: &[i64], themes: &[&'static str]) -> Vec<Slot> {
    let periods = periods(starts_on, ends_on);
    if periods.is_empty() || districts.is_empty() || themes.is_empty() {
        return Vec::new();
    }
    let n = districts.len().max(periods.len()).max(themes.len()).min(districts.len() * periods.len());
    let mut hosted = vec![0usize; districts.len()];
    let mut taken = vec![vec![false; districts.len()]; periods.len()];
    let mut slots = Vec::with_capacity(n);
    for k in 0..n {
        let p = k % periods.len();
        // The district that has hosted least and is free in this period; ties
        // go round from where the last one left off, so hosts rotate.
        let Some(d) = (0..districts.len()).map(|i| (i + k) % districts.len()).filter(|&d| !taken[p][d]).min_by_key(|&d| hosted[d]) else {
            continue;
        };
        taken[p][d] = true;
        hosted[d] += 1;
        let (from, to) = periods[p];
        slots.push(Slot { district_id: districts[d], theme: themes[k % themes.len()], starts_on: from, ends_on: to });
    }
    slots.sort_by_key(|s| (s.starts_on, s.district_id));
    slots
}

/// Something wrong with a plan, shown beside it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Clash {
    /// Two districts host the same theme in overlapping slots (when the campaign forbids it).
    SameTheme { theme: &'static str, first: usize, second: usize },
    /// Two slots of one district overlap (when the campaign allows it, else they are refused).
    Overlap { district_id: i64, first: usize, second: usize },
    /// A district of the region hosts nothing.
    NoSlot { district_id: i64 },
}

/// The clashes of `slots` (indices into it) for a region of `districts`.
pub fn clashes(slots: &[Slot], districts: &[i64], exclusive_themes: bool) -> Vec<Clash> {
    let mut out = Vec::new();
    for (i, a) in slots.iter().enumerate() {
        for (j, b) in slots.iter().enumerate().skip(i + 1) {
            if !a.overlaps(b) {
                continue;
            }
            if a.district_id == b.district_id {
                out.push(Clash::Overlap { district_id: a.district_id, first: i, second: j });
            } else if exclusive_themes && a.theme == b.theme {
                out.push(Clash::SameTheme { theme: a.theme, first: i, second: j });
            }
        }
    }
    out.extend(districts.iter().filter(|d| !slots.iter().any(|s| s.district_id == **d)).map(|&district_id| Clash::NoSlot { district_id }));
    out
}

/// The first slot of `others` overlapping `slot` in the same district, if any.
pub fn overlapping<'a>(slot: &Slot, others: impl IntoIterator<Item = &'a Slot>) -> Option<&'a Slot> {
    others.into_iter().find(|o| o.district_id == slot.district_id && o.overlaps(slot))
}

#[cfg(test)]
mod tests;
