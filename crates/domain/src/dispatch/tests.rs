use std::collections::HashSet;

use proptest::prelude::*;

use super::pool::{Person, Pool};
use super::rank::{eligible, plan, wave_of, CallSpec, Ranked};
use super::*;

const DAY: i64 = 86_400_000;
const NOW: i64 = 1_790_000_000_000;
const ADULT: Option<i64> = Some(NOW - 365 * DAY);

fn person(id: i64, unit: i64) -> Person {
    Person {
        volunteer_id: id,
        unit_id: unit,
        lat: 37.45,
        lng: 118.50,
        active: true,
        adult_from_ms: ADULT,
        skills: vec![],
        last_called_ms: None,
        invited: 0,
        accepted: 0,
        served_until_ms: None,
    }
}

fn spec() -> CallSpec {
    CallSpec {
        lat: 37.45,
        lng: 118.50,
        starts_ms: NOW + DAY,
        ends_ms: NOW + DAY + 4 * 3_600_000,
        now_ms: NOW,
        skills: vec![],
        unit_ids: vec![],
        max_distance_km: 30.0,
        served_lately_after_ms: rank::served_lately_after(NOW + DAY, REST_DAYS),
    }
}

const REST_DAYS: u32 = 3;

fn pool(people: &[Person]) -> Pool {
    let mut p = Pool::default();
    people.iter().for_each(|x| p.upsert(x));
    p
}

fn order(p: &Pool, s: &CallSpec) -> Vec<i64> {
    let mut r = eligible(p, s, &HashSet::new());
    r.sort_by(rank::best_first);
    r.iter().map(|x| x.volunteer_id).collect()
}

#[test]
fn someone_called_yesterday_ranks_below_an_equal_one_not_called_this_month() {
    let mut yesterday = person(1, 1);
    yesterday.last_called_ms = Some(NOW - DAY);
    let mut last_month = person(2, 1);
    last_month.last_called_ms = Some(NOW - 40 * DAY);
    let never = person(3, 1);
    let p = pool(&[yesterday, last_month, never]);
    let o = order(&p, &spec());
    assert_eq!(o.last(), Some(&1), "{o:?}");
    // Recording a call has the same effect as loading it.
    let mut p = pool(&[person(1, 1), person(2, 1)]);
    p.record_call(2, NOW - DAY);
    assert_eq!(order(&p, &spec()), vec![1, 2]);
}

/// A crew confirmed on today's call, asked again for tomorrow's at the same
/// place: near, keen and asked once each, against people 20 km off who were
/// never asked.
fn todays_crew_and_rested_people_farther_off() -> Vec<Person> {
    let mut people = Vec::new();
    for id in 1..=10 {
        let mut p = person(id, 1);
        p.last_called_ms = Some(NOW - 3_600_000);
        (p.invited, p.accepted) = (1, 1);
        p.served_until_ms = Some(NOW + 4 * 3_600_000);
        people.push(p);
    }
    for id in 11..=20 {
        let mut p = person(id, 1);
        p.lat += 0.18; // about 20 km
        people.push(p);
    }
    people
}

#[test]
fn people_confirmed_on_a_call_lately_rank_after_every_rested_one() {
    let p = pool(&todays_crew_and_rested_people_farther_off());
    let o = order(&p, &spec());
    assert_eq!(o, (11..=20).chain(1..=10).collect::<Vec<i64>>());
    // A wave for 4 asks the rested first; with too few of them, the crew follows.
    let wave: Vec<i64> = plan(&p, &spec(), &HashSet::new(), 4, None).wave.iter().map(|r| r.volunteer_id).collect();
    assert_eq!(wave, (11..=20).collect::<Vec<i64>>());
    let wave = plan(&p, &spec(), &HashSet::new(), 6, None).wave;
    assert!(wave[..10].iter().all(|r| !r.served_lately) && wave[10..].iter().all(|r| r.served_lately), "{wave:?}");
}

#[test]
fn the_rest_is_over_after_its_days_and_0_days_lets_scores_decide() {
    let mut crew = todays_crew_and_rested_people_farther_off();
    let mut s = spec();
    s.served_lately_after_ms = rank::served_lately_after(s.starts_ms, 0);
    // Without the rest the crew is nearer and keener, yet not rested: the
    // score puts the near ones first anyway, the very spread this rule adds.
    assert_eq!(order(&pool(&crew), &s)[..10], (1..=10).collect::<Vec<i64>>()[..]);
    // A call that ended more than the rest days before this one starts.
    for p in crew.iter_mut().filter(|p| p.served_until_ms.is_some()) {
        p.served_until_ms = Some(NOW + DAY - i64::from(REST_DAYS) * DAY - 1);
    }
    assert_eq!(order(&pool(&crew), &spec())[..10], (1..=10).collect::<Vec<i64>>()[..]);
    // One still to come counts as lately.
    crew[0].served_until_ms = Some(NOW + 9 * DAY);
    assert_eq!(order(&pool(&crew), &spec()).last(), Some(&1));
}

#[test]
fn nearer_and_more_skilled_and_more_reliable_rank_higher() {
    let mut far = person(1, 1);
    far.lat += 0.1; // about 11 km
    assert_eq!(order(&pool(&[far, person(2, 1)]), &spec()), vec![2, 1]);

    let mut s = spec();
    s.skills = vec!["急救".into(), "驾驶".into()];
    let mut one = person(1, 1);
    one.skills = vec!["急救".into()];
    let mut both = person(2, 1);
    both.skills = vec!["驾驶".into(), "急救".into()];
    assert_eq!(order(&pool(&[one, both, person(3, 1)]), &s), vec![2, 1], "3 has no wanted skill");

    let mut flaky = person(1, 1);
    (flaky.invited, flaky.accepted) = (10, 1);
    let mut keen = person(2, 1);
    (keen.invited, keen.accepted) = (10, 9);
    assert_eq!(order(&pool(&[flaky, keen]), &spec()), vec![2, 1]);
}

#[test]
fn the_ineligible_never_appear() {
    let mut inactive = person(1, 1);
    inactive.active = false;
    let mut minor = person(2, 1);
    minor.adult_from_ms = Some(NOW + 30 * DAY);
    let mut unknown_age = person(3, 1);
    unknown_age.adult_from_ms = None;
    let mut far = person(4, 1);
    far.lat += 1.0;
    let busy = person(5, 1);
    let other_unit = person(6, 2);
    let ok = person(7, 1);
    let p = pool(&[inactive, minor, unknown_age, far, busy, other_unit, ok]);
    let mut s = spec();
    s.unit_ids = vec![1];
    let got: Vec<i64> = eligible(&p, &s, &HashSet::from([5])).iter().map(|r| r.volunteer_id).collect();
    assert_eq!(got, vec![7]);
    s.skills = vec!["nobody has this".into()];
    assert!(eligible(&p, &s, &HashSet::new()).is_empty());
}

#[test]
fn a_wave_asks_enough_people_to_fill_given_their_acceptance() {
    let ranked = |n: i64, acceptance: f64| -> Vec<Ranked> {
        (0..n)
            .map(|i| Ranked {
                volunteer_id: i,
                unit_id: 1,
                distance_km: 1.0,
                score: 1.0 - i as f64 / 1000.0,
                acceptance,
                served_lately: false,
            })
            .collect()
    };
    // Sure to accept: quota × 1.25 people.
    assert_eq!(wave_of(ranked(100, 1.0), 8).len(), 10);
    // Half accept: 2.5 × quota.
    assert_eq!(wave_of(ranked(100, 0.5), 8).len(), 20);
    // Rarely accept: grows past the first prefix, best first.
    let w = wave_of(ranked(1000, 0.1), 8);
    assert_eq!(w.len(), 100);
    assert!(w.windows(2).all(|p| p[0].score >= p[1].score));
    // Too few people: all of them.
    assert_eq!(wave_of(ranked(3, 0.5), 8).len(), 3);
    assert!(wave_of(ranked(3, 0.5), 0).is_empty());
}

#[test]
fn a_plan_splits_by_eligible_people_and_notifies_per_unit() {
    let people: Vec<Person> = (0..300).map(|i| person(i, if i < 200 { 1 } else { 2 })).collect();
    let p = pool(&people);
    let plan = plan(&p, &spec(), &HashSet::new(), 60, None);
    let q: Vec<(i64, u32, u32)> = plan.quotas.iter().map(|q| (q.unit_id, q.eligible, q.quota)).collect();
    assert_eq!(q, vec![(1, 200, 40), (2, 100, 20)]);
    // Nobody asked before: an even chance each, so 2.5 × quota per unit.
    assert_eq!(plan.wave.iter().filter(|r| r.unit_id == 1).count(), 100);
    assert_eq!(plan.wave.iter().filter(|r| r.unit_id == 2).count(), 50);
    // By hand: unit 2 gets more, unit 3 (chosen, nobody there) shows with 0.
    let mut s = spec();
    s.unit_ids = vec![1, 2, 3];
    let adjusted = [quota::UnitQuota { unit_id: 1, eligible: 200, quota: 30 }, quota::UnitQuota { unit_id: 2, eligible: 100, quota: 30 }];
    let plan = rank::plan(&p, &s, &HashSet::new(), 60, Some(&adjusted));
    let q: Vec<(i64, u32)> = plan.quotas.iter().map(|q| (q.unit_id, q.quota)).collect();
    assert_eq!(q, vec![(1, 30), (2, 30), (3, 0)]);
}

#[test]
fn bad_calls_name_their_field() {
    let ok = DispatchInput {
        title: "清理积水".into(),
        community_id: 1,
        starts_at: "2026-11-24T09:00:00+08:00".into(),
        ends_at: "2026-11-24T12:00:00+08:00".into(),
        needed: 60,
        ..Default::default()
    };
    let before = crate::activities::parse_time(&ok.starts_at).unwrap() - DAY;
    assert!(ok.check(before).is_ok());
    let fields = |d: DispatchInput, now: i64| -> Vec<String> { d.check(now).unwrap_err().0.into_iter().map(|e| e.field).collect() };
    assert_eq!(fields(DispatchInput { needed: 0, ..ok.clone() }, before), ["needed"]);
    assert_eq!(fields(DispatchInput { needed: 1_000_000, ..ok.clone() }, before), ["needed"]);
    assert_eq!(fields(DispatchInput { ends_at: "2026-11-24T08:00:00+08:00".into(), ..ok.clone() }, before), ["ends_at"]);
    assert_eq!(fields(ok.clone(), before + 2 * DAY), ["starts_at"]);
    assert_eq!(fields(DispatchInput { lat: Some(10.0), ..ok.clone() }, before), ["lat"]);
    assert_eq!(fields(DispatchInput { radius_km: Some(0.0), ..ok }, before), ["radius_km"]);
}

#[test]
fn answers_are_idempotent_and_a_closed_call_takes_none() {
    use ResponseStatus::*;
    assert_eq!(may_answer(CallStatus::Open, Notified, Answer::Accept), Ok(true));
    assert_eq!(may_answer(CallStatus::Open, Confirmed, Answer::Accept), Ok(false));
    assert_eq!(may_answer(CallStatus::Filled, Standby, Answer::Accept), Ok(false));
    assert_eq!(may_answer(CallStatus::Open, Confirmed, Answer::Decline), Ok(true));
    assert_eq!(may_answer(CallStatus::Open, Declined, Answer::Decline), Ok(false));
    assert_eq!(may_answer(CallStatus::Closed, Notified, Answer::Accept), Err("call_closed"));
}

fn arb_person() -> impl Strategy<Value = Person> {
    (
        1i64..4,
        -0.5f64..0.5,
        any::<bool>(),
        0u8..3,
        prop::option::of(0i64..60),
        0u32..20,
        prop::collection::vec(0usize..4, 0..3),
        prop::option::of(-3i64..8),
    )
        .prop_map(|(unit, dlat, active, age, called, invited, skills, served)| {
            let mut p = person(0, unit);
            p.lat += dlat;
            p.active = active;
            p.adult_from_ms = [ADULT, None, Some(NOW + 400 * DAY)][usize::from(age)];
            p.last_called_ms = called.map(|d| NOW - d * DAY);
            p.invited = invited;
            p.accepted = invited / 2;
            p.skills = skills.iter().map(|s| ["急救", "驾驶", "电工", "厨师"][*s].to_string()).collect();
            p.served_until_ms = served.map(|d| NOW - d * DAY);
            p
        })
}

proptest! {
    #[test]
    fn ranking_holds_only_the_eligible_best_first(people in prop::collection::vec(arb_person(), 0..80), wanted in prop::collection::vec(0usize..4, 0..2), busy in prop::collection::hash_set(0i64..80, 0..10)) {
        let people: Vec<Person> = people.into_iter().enumerate().map(|(i, mut p)| { p.volunteer_id = i as i64; p }).collect();
        let p = pool(&people);
        let mut s = spec();
        s.skills = wanted.iter().map(|w| ["急救", "驾驶", "电工", "厨师"][*w].to_string()).collect();
        let got = eligible(&p, &s, &busy);
        for r in &got {
            let x = &people[r.volunteer_id as usize];
            prop_assert!(x.active && x.adult_from_ms.is_some_and(|a| a <= s.starts_ms));
            prop_assert!(!busy.contains(&x.volunteer_id));
            prop_assert!(r.distance_km <= s.max_distance_km + 1e-6);
            prop_assert!(s.skills.is_empty() || x.skills.iter().any(|k| s.skills.contains(k)));
        }
        let expected = people.iter().filter(|x| x.active && x.adult_from_ms.is_some_and(|a| a <= s.starts_ms) && !busy.contains(&x.volunteer_id) && (s.skills.is_empty() || x.skills.iter().any(|k| s.skills.contains(k)))).filter(|x| (x.lat - s.lat).abs() * 111.195 <= s.max_distance_km).count();
        prop_assert_eq!(got.len(), expected);
        let plan = plan(&p, &s, &busy, 10, None);
        prop_assert!(plan.wave.iter().all(|w| got.iter().any(|g| g.volunteer_id == w.volunteer_id)));
        prop_assert!(plan.quotas.iter().all(|q| q.quota <= q.eligible));
        // Someone who served lately is asked only once their unit's rested are all asked.
        for late in plan.wave.iter().filter(|w| w.served_lately) {
            let rested = got.iter().filter(|g| g.unit_id == late.unit_id && !g.served_lately);
            for g in rested {
                prop_assert!(plan.wave.iter().any(|w| w.volunteer_id == g.volunteer_id), "{} asked before {}", late.volunteer_id, g.volunteer_id);
            }
        }
    }
}
