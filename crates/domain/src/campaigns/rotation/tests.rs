use super::*;
use proptest::prelude::*;

use crate::activities::THEMES;

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

#[test]
fn a_year_is_six_two_month_periods() {
    let p = periods(d("2026-01-01"), d("2026-12-31"));
    assert_eq!(p.len(), 6);
    assert_eq!(p[0], (d("2026-01-01"), d("2026-02-28")));
    assert_eq!(p[5], (d("2026-11-01"), d("2026-12-31")));
}

#[test]
fn six_districts_host_one_slot_each_with_every_theme() {
    let slots = generate(d("2026-01-01"), d("2026-12-31"), &[1, 2, 3, 4, 5, 6], &THEMES);
    assert_eq!(slots.len(), 6);
    for t in THEMES {
        assert!(slots.iter().any(|s| s.theme == t), "{t}");
    }
    assert!(clashes(&slots, &[1, 2, 3, 4, 5, 6], true).is_empty());
}

#[test]
fn clashes_name_same_themes_overlaps_and_districts_without_a_slot() {
    let s = |district_id, theme, from: &str, to: &str| Slot { district_id, theme, starts_on: d(from), ends_on: d(to) };
    let slots =
        [s(1, "health", "2026-01-01", "2026-02-28"), s(2, "health", "2026-02-01", "2026-03-31"), s(1, "green", "2026-02-15", "2026-02-20")];
    let c = clashes(&slots, &[1, 2, 3], true);
    assert!(c.contains(&Clash::SameTheme { theme: "health", first: 0, second: 1 }));
    assert!(c.contains(&Clash::Overlap { district_id: 1, first: 0, second: 2 }));
    assert!(c.contains(&Clash::NoSlot { district_id: 3 }));
    assert!(!clashes(&slots, &[1, 2], false).iter().any(|c| matches!(c, Clash::SameTheme { .. })));
}

fn campaign() -> impl Strategy<Value = (NaiveDate, NaiveDate)> {
    (0i64..3650, 0i64..731).prop_map(|(start, len)| {
        let from = d("2020-01-01") + chrono::Duration::days(start);
        (from, from + chrono::Duration::days(len))
    })
}

proptest! {
    #[test]
    fn a_generated_plan_is_fair(
        (from, to) in campaign(),
        n_districts in 1usize..40,
        n_themes in 1usize..=5,
    ) {
        let districts: Vec<i64> = (1..=n_districts as i64).collect();
        let themes = &THEMES[..n_themes];
        let slots = generate(from, to, &districts, themes);
        let periods = periods(from, to);
        // Every district hosts at least once.
        for dist in &districts {
            prop_assert!(slots.iter().any(|s| s.district_id == *dist));
        }
        // No two slots of one district overlap.
        for (i, a) in slots.iter().enumerate() {
            for b in &slots[i + 1..] {
                prop_assert!(a.district_id != b.district_id || !a.overlaps(b));
            }
        }
        // Slots lie inside the campaign, on period boundaries.
        for s in &slots {
            prop_assert!(from <= s.starts_on && s.ends_on <= to && s.starts_on <= s.ends_on);
            prop_assert!(periods.contains(&(s.starts_on, s.ends_on)));
        }
        // Every period has a host, and the themes cover the year as far as slots allow.
        for p in &periods {
            prop_assert!(slots.iter().any(|s| (s.starts_on, s.ends_on) == *p));
        }
        let covered = themes.iter().filter(|t| slots.iter().any(|s| s.theme == **t)).count();
        prop_assert_eq!(covered, themes.len().min(slots.len()));
        prop_assert!(slots.len() >= themes.len().min(districts.len() * periods.len()));
    }
}
