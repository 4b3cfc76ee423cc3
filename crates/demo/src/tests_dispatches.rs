//! Acceptance criteria of the demo's two past emergency calls, checked with
//! the domain's own rules.

use std::collections::HashSet;

use tongxing_domain::activities::{overlaps, SignupStatus};
use tongxing_domain::dispatch::ResponseStatus;
use tongxing_domain::id_number;
use tongxing_domain::time::region_date;

use super::*;

/// 2026-12-01, mid-morning in the region.
const NOW: i64 = 1_796_000_000_000;
const MINUTE: i64 = 60_000;

fn calls() -> (DemoRegion, DemoYear, Vec<DemoCall>) {
    let region = generate(42, DEFAULT_VOLUNTEERS, DEFAULT_BENEFICIARIES);
    let year = year_of_activities(7, &region, NOW);
    let calls = past_calls(7, &region, &year, NOW);
    (region, year, calls)
}

fn count(c: &DemoCall, s: ResponseStatus) -> usize {
    c.responses.iter().filter(|r| r.status == s).count()
}

#[test]
fn a_winter_call_closed_short_and_a_summer_call_filled_in_about_forty_minutes() {
    let (region, year, calls) = calls();
    assert_eq!(calls, past_calls(7, &region, &year, NOW), "deterministic");
    assert_eq!(calls.len(), 2);
    let (winter, summer) = (&calls[0], &calls[1]);
    assert_eq!((winter.title, winter.needed, summer.title, summer.needed), ("雪后道路清扫", 20, "汛期积水清理突击", 60));
    assert_eq!(region_date(winter.starts_at).format("%m-%d").to_string(), "01-12");
    assert_eq!(region_date(summer.starts_at).format("%m-%d").to_string(), "07-18");
    assert!(calls.iter().all(|c| c.closed_at < NOW - 2 * 24 * 3_600_000 && c.created_at > NOW - 370 * 24 * 3_600_000));
    let minutes = (summer.filled_at.expect("the summer call filled") - summer.created_at) / MINUTE;
    assert!((25..=45).contains(&minutes), "filled in {minutes} minutes");
    assert_eq!(count(summer, ResponseStatus::Confirmed), 60);
    assert!(count(summer, ResponseStatus::Standby) > 0, "late yeses wait on standby");
    assert_eq!(winter.filled_at, None);
    assert!((10..20).contains(&count(winter, ResponseStatus::Confirmed)), "a few short");
    assert_eq!(count(winter, ResponseStatus::Standby), 0);
    for c in &calls {
        assert!(c.quotas.len() >= 4, "several units: {:?}", c.quotas);
        assert!(count(c, ResponseStatus::Declined) > 0 && count(c, ResponseStatus::Notified) > 0, "no and no answer too");
        assert_eq!(c.waves, 2);
    }
}

#[test]
fn quotas_answers_and_hours_are_consistent_with_the_rules() {
    let (region, year, calls) = calls();
    for c in &calls {
        let confirmed = count(c, ResponseStatus::Confirmed) as u32;
        assert!(confirmed <= c.needed);
        assert_eq!(c.quotas.iter().map(|q| q.quota).sum::<u32>(), c.needed, "quotas sum to needed");
        assert!(c.quotas.iter().all(|q| q.quota <= q.eligible));
        let units: HashSet<usize> = c.quotas.iter().map(|q| q.unit_id as usize).collect();
        let mut seen = HashSet::new();
        for r in &c.responses {
            assert!(seen.insert(r.volunteer), "asked once");
            assert_eq!(region.volunteers[r.volunteer].unit, r.unit);
            assert!(units.contains(&r.unit), "only the called units");
            assert!(r.notified_at >= c.created_at && r.wave >= 1 && r.wave <= c.waves);
            assert_eq!(r.answered_at.is_some(), r.status != ResponseStatus::Notified);
            if let Some(at) = r.answered_at {
                assert!(at > r.notified_at && at < c.closed_at, "answered before it closed");
            }
            if r.status == ResponseStatus::Standby {
                assert!(r.answered_at > c.filled_at, "standby only once full");
            }
            assert!(r.attendance.is_none() || r.status == ResponseStatus::Confirmed);
            // Adults, and free: nothing else of theirs near the call's hours.
            let id = id_number::parse(region.volunteers[r.volunteer].id_number.as_deref().expect("an ID")).expect("valid");
            assert!(id_number::age_on(id.birth_date, region_date(c.starts_at)) >= 18);
            let busy = year.activities.iter().filter(|a| overlaps((a.starts_at, a.ends_at), (c.starts_at, c.ends_at)));
            assert!(busy.flat_map(|a| &a.signups).all(|s| s.volunteer != r.volunteer || s.status == SignupStatus::Cancelled));
            if let Some(credit) = r.credit {
                assert!(credit.started_at >= c.starts_at && credit.started_at + credit.ms <= c.ends_at && credit.ms > 0);
            }
        }
        let came = c.responses.iter().filter(|r| r.credit.is_some()).count() as u32;
        assert!(came > 0 && came <= confirmed);
        assert!(c.hours_confirmed_at > c.ends_at);
        assert_eq!(c.filled_at.is_some(), confirmed == c.needed);
        // The board's events: the call, its waves, every answer, the close, in time order.
        let answered = c.responses.iter().filter(|r| r.answered_at.is_some()).count();
        assert_eq!(c.events.len(), 2 + c.waves as usize + answered);
        assert!(c.events.windows(2).all(|w| w[0].0 <= w[1].0));
        assert_eq!((c.events[0].1, c.events.last().map(|e| e.1)), ("created", Some("closed")));
        // On site: a team of the unit with the largest quota, else one of the district.
        let top = c.quotas.iter().map(|q| q.quota).max().unwrap_or(0);
        let leads = |u: usize| c.quotas.iter().any(|q| q.unit_id as usize == u && q.quota == top);
        let team = &region.teams[c.team];
        assert!(team.unit.is_some_and(leads) || team.district == region.communities[c.community].district);
    }
}
