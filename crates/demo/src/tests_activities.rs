//! Acceptance criteria of the demo year of activities, checked with the
//! domain's own rules.

use std::collections::{HashMap, HashSet};

use tongxing_domain::activities::{overlaps, SignupStatus, THEMES};
use tongxing_domain::category::CATEGORIES;
use tongxing_domain::hours::{check_manual, correction, may_credit, Credit, StarLadder};
use tongxing_domain::id_number;
use tongxing_domain::time::region_date;

use super::*;
use crate::activities::{DemoSignup, PAST_ACTIVITIES};
use crate::projects::PROJECTS;

/// 2026-12-01, mid-morning in the region.
const NOW: i64 = 1_796_000_000_000;
const HOUR: i64 = 3_600_000;

fn year_at(now: i64) -> (DemoRegion, DemoYear) {
    let region = generate(42, DEFAULT_VOLUNTEERS, DEFAULT_BENEFICIARIES);
    let year = year_of_activities(7, &region, now);
    (region, year)
}

fn live(s: &DemoSignup) -> bool {
    s.status != SignupStatus::Cancelled
}

/// Each volunteer's credited ms over the year, corrections included.
fn totals(year: &DemoYear) -> HashMap<usize, i64> {
    let mut t: HashMap<usize, i64> = HashMap::new();
    for s in year.activities.iter().flat_map(|a| &a.signups) {
        *t.entry(s.volunteer).or_default() += s.credit.map_or(0, |c| c.ms);
    }
    for c in &year.corrections {
        *t.entry(c.volunteer).or_default() += c.delta_ms;
    }
    t
}

#[test]
fn a_year_holds_a_thousand_activities_of_every_team_theme_and_district_rotation() {
    let (region, year) = year_at(NOW);
    assert_eq!(year, year_of_activities(7, &region, NOW), "deterministic");
    let acts = &year.activities;
    assert_eq!(acts.iter().filter(|a| a.ends_at <= NOW).count(), PAST_ACTIVITIES);
    assert!(acts.iter().all(|a| a.ends_at <= NOW || a.starts_at > NOW - 24 * HOUR), "only the past year and ahead");
    assert!(acts.iter().all(|a| a.starts_at >= NOW - 366 * 24 * HOUR && a.starts_at < NOW + 22 * 24 * HOUR));
    let teams: HashSet<usize> = acts.iter().map(|a| a.team).collect();
    assert_eq!(teams.len(), region.teams.len(), "every team ran something");
    for theme in THEMES {
        assert!(acts.iter().any(|a| a.theme == theme), "{theme} missing");
    }
    // Each district hosts within every two months of the year (每双月).
    for d in 0..region.districts.len() {
        for period in 0..6 {
            let (from, to) = (NOW - 365 * 24 * HOUR + period * 61 * 24 * HOUR, NOW - 365 * 24 * HOUR + (period + 1) * 61 * 24 * HOUR);
            let hosted = acts.iter().any(|a| region.communities[a.community].district == d && (from..to).contains(&a.starts_at));
            assert!(hosted, "district {d} period {period}");
        }
    }
    let names: HashSet<&str> = PROJECTS.iter().map(|p| p.1).collect();
    assert!(names.len() >= 100 && names.len() == PROJECTS.len(), "a catalogue of 100+ distinct projects");
    assert!(PROJECTS.iter().all(|p| CATEGORIES.contains(&p.0)));
    let series: HashMap<usize, usize> = acts.iter().filter_map(|a| a.series).fold(HashMap::new(), |mut m, h| {
        *m.entry(h).or_default() += 1;
        m
    });
    assert!(series.len() >= 8 && series.values().all(|n| *n >= 50), "weekly series all year: {series:?}");
    assert!(series.keys().all(|h| acts[*h].series == Some(*h)), "a series is named by its first session");
    let ahead = acts.iter().filter(|a| a.starts_at > NOW).count();
    assert!((20..=60).contains(&ahead), "a few weeks open for sign-up: {ahead}");
    assert!(acts.windows(2).all(|w| w[0].starts_at <= w[1].starts_at), "oldest first");
}

#[test]
fn no_activity_is_overbooked_and_the_risky_need_insurance() {
    let (region, year) = year_at(NOW);
    for a in &year.activities {
        let confirmed = a.signups.iter().filter(|s| s.status == SignupStatus::Confirmed).count() as i64;
        let waiting = a.signups.iter().filter(|s| s.status == SignupStatus::Waitlisted).count();
        assert!(confirmed <= a.capacity, "{}", a.title);
        assert!(waiting == 0 || confirmed == a.capacity, "a waitlist only when full: {}", a.title);
        let people: HashSet<usize> = a.signups.iter().map(|s| s.volunteer).collect();
        assert_eq!(people.len(), a.signups.len(), "one sign-up per person");
        if a.risky && a.insurance.is_none() {
            assert!(a.signups.is_empty(), "no sign-up before insurance");
        }
        if a.adults_only {
            for s in a.signups.iter().filter(|s| live(s)) {
                let id = id_number::parse(region.volunteers[s.volunteer].id_number.as_deref().unwrap()).unwrap();
                assert!(id_number::age_on(id.birth_date, region_date(a.starts_at)) >= 18);
            }
        }
    }
    let waitlisted = |a: &&DemoActivity| a.signups.iter().any(|s| s.status == SignupStatus::Waitlisted);
    assert!(year.activities.iter().filter(|a| a.ends_at <= NOW).filter(waitlisted).count() > 10);
    assert!(year.activities.iter().filter(|a| a.starts_at > NOW).any(|a| waitlisted(&a)), "an open one is full");
    assert!(year.activities.iter().filter(|a| a.risky && a.insurance.is_some()).count() > 5);
    assert_eq!(year.activities.iter().filter(|a| a.risky && a.insurance.is_none()).count(), 1);
    assert!(year.activities.iter().flat_map(|a| &a.signups).any(|s| s.status == SignupStatus::Cancelled));
}

#[test]
fn nobody_is_in_two_places_at_once_and_the_ledger_rules_hold() {
    for now in [NOW, NOW + 3 * 24 * HOUR + 7 * HOUR] {
        let (_, year) = year_at(now);
        let mut booked: HashMap<usize, Vec<(i64, i64)>> = HashMap::new();
        let mut credits: HashMap<usize, Vec<Credit>> = HashMap::new();
        for a in &year.activities {
            for s in a.signups.iter().filter(|s| live(s)) {
                booked.entry(s.volunteer).or_default().push((a.starts_at, a.ends_at));
            }
            for s in &a.signups {
                if let Some(at) = s.attendance {
                    assert_eq!(s.status, SignupStatus::Confirmed);
                    assert!(at.checked_in_at >= a.starts_at - 2 * HOUR && at.checked_in_at <= now);
                    assert!(at.checked_out_at.is_none_or(|o| o >= at.checked_in_at && o <= now));
                    assert!(!at.auto_closed || at.checked_out_at == Some(a.ends_at));
                }
                let Some(c) = s.credit else { continue };
                assert!(a.hours_confirmed_at.is_some_and(|t| t > a.ends_at && t <= now));
                assert!(c.started_at >= a.starts_at && c.started_at + c.ms <= a.ends_at, "inside the activity");
                if c.manual {
                    assert_eq!(check_manual(c.ms, a.ends_at - a.starts_at), Ok(()));
                }
                credits.entry(s.volunteer).or_default().push(Credit::session(c.started_at, c.started_at + c.ms));
            }
        }
        for (v, spans) in &booked {
            for (i, x) in spans.iter().enumerate() {
                assert!(spans[i + 1..].iter().all(|y| !overlaps(*x, *y)), "volunteer {v} booked twice at {x:?}");
            }
        }
        // Each credit, added in time order, passes the 24-hour and overlap rules.
        for (v, mut list) in credits {
            list.sort_by_key(|c| c.span);
            for k in 0..list.len() {
                assert_eq!(may_credit(&list[..k], &list[k]), Ok(()), "volunteer {v}");
            }
        }
        for c in &year.corrections {
            let a = &year.activities[c.activity];
            let entry = a.signups.iter().find(|s| s.volunteer == c.volunteer).and_then(|s| s.credit).expect("corrects an entry");
            let delta = correction(entry.ms, entry.ms + c.delta_ms, a.ends_at - a.starts_at);
            assert_eq!(delta, Ok(c.delta_ms));
            assert!(c.at <= now && c.at >= a.hours_confirmed_at.unwrap());
        }
    }
}

#[test]
fn volunteers_reach_stars_and_the_demo_volunteer_can_join_the_activity_under_way() {
    let (region, year) = year_at(NOW);
    let totals = totals(&year);
    let ladder = StarLadder::default();
    let starred = totals.values().filter(|ms| ladder.star(**ms as f64 / HOUR as f64) >= 1).count();
    assert!(starred >= 10, "several volunteers past 100 h: {starred}");
    assert!(totals.values().all(|ms| *ms >= 0));
    assert!(totals[&0] >= 100 * HOUR, "the demo volunteer has real hours: {}", totals[&0] / HOUR);
    let lead = region.volunteers[0].teams[0];
    let now_on: Vec<&DemoActivity> = year.activities.iter().filter(|a| a.starts_at <= NOW && NOW < a.ends_at && a.team == lead).collect();
    assert_eq!(now_on.len(), 1, "the demo leader's team has one activity under way");
    let open = now_on[0];
    let taken = open.signups.iter().filter(|s| s.status == SignupStatus::Confirmed).count() as i64;
    assert!(open.walk_ups && taken < open.capacity, "open for a sign-up or a walk-up");
    assert!(open.signups.iter().any(|s| s.attendance.is_some()), "others already checked in");
    // She is free from three hours ago until it ends: signing up (or planning her own) succeeds.
    let hers: Vec<&DemoActivity> = year.activities.iter().filter(|a| a.signups.iter().any(|s| s.volunteer == 0 && live(s))).collect();
    assert!(hers.iter().all(|a| !overlaps((a.starts_at, a.ends_at), (NOW - 3 * HOUR, open.ends_at))));
    assert!(hers.iter().any(|a| a.starts_at > NOW && a.team == lead), "and is signed up for one ahead");
    let attended = year.activities.iter().flat_map(|a| &a.signups).filter_map(|s| s.attendance);
    let flagged: Vec<_> = attended.filter(|at| at.auto_closed).collect();
    assert!(flagged.len() >= 3, "a few check-ins closed by rule");
    let unconfirmed = |a: &&DemoActivity| a.ends_at <= NOW && a.hours_confirmed_at.is_none();
    assert!(year.activities.iter().filter(unconfirmed).any(|a| a.signups.iter().any(|s| s.attendance.is_some_and(|x| x.auto_closed))));
    assert!(year.activities.iter().flat_map(|a| &a.signups).any(|s| s.credit.is_some_and(|c| c.manual)), "hours entered by hand");
    assert!(year.corrections.len() >= 10);
    assert!(year.disputes.iter().any(|d| d.answer.is_some()));
    let open: Vec<_> = year.disputes.iter().filter(|d| d.answer.is_none()).collect();
    assert_eq!(open.len(), 1);
    assert_eq!((open[0].volunteer, year.activities[open[0].activity].team), (0, lead));
}
