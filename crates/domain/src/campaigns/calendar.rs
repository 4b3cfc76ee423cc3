//! The campaign calendar (月月有活动，季季有主题): for a month, who hosts
//! which theme and where the month has a gap to fill.

use chrono::{Datelike, Months, NaiveDate};
use serde::Serialize;
use utoipa::ToSchema;

/// The first and last day of the month `2026-03`.
pub fn month_span(month: &str) -> Option<(NaiveDate, NaiveDate)> {
    let first = NaiveDate::parse_from_str(&format!("{}-01", month.trim()), "%Y-%m-%d").ok()?;
    let last = first.checked_add_months(Months::new(1))?.pred_opt()?;
    Some((first, last))
}

/// A hole in the month: a hosting district with no activity of its theme in
/// the month (`district_id` set), or a theme of the campaign with none at all.
/// `date` is the day a new activity would best go (the first day of the
/// month the slot covers, not before today).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct Gap {
    pub district_id: Option<i64>,
    pub theme: String,
    pub date: String,
}

/// What the month holds: `(district, theme)` of each activity.
pub struct MonthFacts<'a> {
    pub first: NaiveDate,
    pub last: NaiveDate,
    pub today: NaiveDate,
    /// The campaign's days.
    pub campaign: (NaiveDate, NaiveDate),
    pub themes: &'a [String],
    /// `(district, theme, starts_on, ends_on)` of each slot.
    pub slots: &'a [(i64, String, NaiveDate, NaiveDate)],
    pub held: &'a [(i64, String)],
}

/// The month's gaps, hosting districts first.
pub fn gaps(f: &MonthFacts) -> Vec<Gap> {
    let from = f.first.max(f.campaign.0);
    let to = f.last.min(f.campaign.1);
    if from > to {
        return Vec::new();
    }
    let day = |a: NaiveDate, b: NaiveDate| a.max(f.today.min(b)).format("%Y-%m-%d").to_string();
    let mut out = Vec::new();
    for (district, theme, s, e) in f.slots {
        let (a, b) = (from.max(*s), to.min(*e));
        if a <= b && !f.held.iter().any(|(d, t)| d == district && t == theme) {
            let g = Gap { district_id: Some(*district), theme: theme.clone(), date: day(a, b) };
            if !out.contains(&g) {
                out.push(g);
            }
        }
    }
    for t in f.themes {
        if !f.held.iter().any(|(_, x)| x == t) {
            out.push(Gap { district_id: None, theme: t.clone(), date: day(from, to) });
        }
    }
    out
}

/// `2026-03` → `2026-04`, and back.
pub fn shift_month(first: NaiveDate, months: i32) -> String {
    let m = if months >= 0 {
        first.checked_add_months(Months::new(months as u32))
    } else {
        first.checked_sub_months(Months::new((-months) as u32))
    };
    m.map(|d| format!("{:04}-{:02}", d.year(), d.month())).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn a_host_without_its_theme_and_a_theme_without_activity_are_gaps() {
        let (first, last) = month_span("2026-03").unwrap();
        assert_eq!(last, d("2026-03-31"));
        let themes = vec!["health".to_string(), "green".to_string()];
        let slots =
            vec![(1, "health".to_string(), d("2026-03-01"), d("2026-04-30")), (2, "green".to_string(), d("2026-03-01"), d("2026-04-30"))];
        let held = vec![(1, "health".to_string())];
        let f = MonthFacts {
            first,
            last,
            today: d("2026-03-10"),
            campaign: (d("2026-01-01"), d("2026-12-31")),
            themes: &themes,
            slots: &slots,
            held: &held,
        };
        let g = gaps(&f);
        assert_eq!(
            g,
            vec![
                Gap { district_id: Some(2), theme: "green".into(), date: "2026-03-10".into() },
                Gap { district_id: None, theme: "green".into(), date: "2026-03-10".into() },
            ]
        );
        assert!(month_span("2026-13").is_none());
        assert_eq!(shift_month(first, -3), "2025-12");
    }
}
