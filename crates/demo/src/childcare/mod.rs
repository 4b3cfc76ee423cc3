//! 子女照辅班 in the demo: the summer term just past — 16 classes across the
//! districts, 2,000+ children of the member units' employees, every class
//! day's attendance, meals and naps, a few incidents, the caretakers' rota
//! with their hours, the guardians' ratings — and the winter term, under way
//! since this week's Monday and still open for enrolment, one class full with
//! a waitlist: its days so far recorded like the summer's (today's as far as
//! it has gone, absences mostly reported by the guardians), the rest of its
//! rota filling.

use chrono::{Datelike, Duration, NaiveDate, TimeZone, Weekday};
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};

use crate::names::{CHILD_GIVEN, ELDERLY_FEMALE_GIVEN, ELDERLY_MALE_GIVEN, FEMALE_GIVEN, MALE_GIVEN, SURNAMES};
use crate::DemoRegion;

mod days;
use days::class_days_until;

pub const CLASSES: usize = 16;
/// Places per class: 16 classes of 130 hold the source's "2000多个孩子".
const CAPACITY: i64 = 130;
const PER_CARETAKER: i64 = 10;
const PLACES: &[&str] = &["社区活动中心二楼", "党群服务中心", "职工文化活动室", "社区学校教室", "社区图书室旁教室"];

/// A term, as days in the region.
#[derive(Debug, Clone, PartialEq)]
pub struct DemoTerm {
    pub name: String,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
}

#[derive(Debug, Clone, PartialEq)]
pub struct DemoClass {
    /// 0: the past summer term, 1: the coming winter term.
    pub term: usize,
    pub name: String,
    /// Index into `DemoRegion::communities`.
    pub community: usize,
    pub address: String,
    pub min_age: i64,
    pub max_age: i64,
    pub capacity: i64,
    pub per_caretaker: i64,
    /// Indices into `DemoRegion::volunteers`.
    pub head: usize,
    /// Index into `DemoRegion::teams`: its caretakers' team.
    pub team: usize,
    /// The volunteers who take the class's shifts.
    pub caretakers: Vec<usize>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct DemoChild {
    /// Index into the classes.
    pub class: usize,
    pub name: String,
    pub birth_date: NaiveDate,
    pub guardian_name: String,
    pub guardian_phone: String,
    /// Index into `DemoRegion::units`: a member unit's employee.
    pub unit: Option<usize>,
    pub shift_worker: bool,
    pub both_on_shift: bool,
    /// (name, relation, phone); the guardian first.
    pub pickups: Vec<(String, &'static str, String)>,
    pub allergies: Option<&'static str>,
    pub waitlisted: bool,
    pub queued_at: i64,
    /// Stars and a comment, after the term.
    pub rating: Option<(i64, Option<&'static str>)>,
}

/// One child's class day: in and out (ms, by whom), meal, nap, a note, an
/// incident; a day still under way has no check-out and no meal yet.
#[derive(Debug, Clone, PartialEq)]
pub struct DemoDay {
    pub child: usize,
    pub day: NaiveDate,
    pub in_at: (i64, usize),
    pub out_at: Option<(i64, usize)>,
    pub meal: Option<&'static str>,
    pub nap: (String, String),
    pub note: Option<&'static str>,
    pub incident: Option<(&'static str, &'static str)>,
}

/// A class day's caretakers: (class, day, the volunteers who came — or, for
/// a day still to come, who signed up).
pub type DemoShift = (usize, NaiveDate, Vec<usize>);

/// A child's absence the guardian reported (请假), and when.
#[derive(Debug, Clone, PartialEq)]
pub struct DemoAbsence {
    pub child: usize,
    pub day: NaiveDate,
    pub reason: &'static str,
    pub at: i64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct DemoChildcare {
    pub terms: [DemoTerm; 2],
    pub classes: Vec<DemoClass>,
    pub children: Vec<DemoChild>,
    pub days: Vec<DemoDay>,
    /// (class, day, caretakers) of both terms.
    pub shifts: Vec<DemoShift>,
    pub absences: Vec<DemoAbsence>,
}

const DAY_MS: i64 = 86_400_000;

/// Unix ms of `day` at `h:m` in the region.
pub fn at(day: NaiveDate, h: u32, m: u32) -> i64 {
    let t = day.and_hms_opt(h, m, 0).unwrap_or_default();
    chrono::FixedOffset::east_opt(8 * 3600).and_then(|o| o.from_local_datetime(&t).single()).map_or(0, |t| t.timestamp_millis())
}

fn region_day(ms: i64) -> NaiveDate {
    chrono::DateTime::from_timestamp_millis(ms + 8 * 3_600_000).map(|t| t.date_naive()).unwrap_or_default()
}

/// The weekdays of a term.
pub fn class_days(t: &DemoTerm) -> Vec<NaiveDate> {
    t.starts_on.iter_days().take_while(|d| *d <= t.ends_on).filter(|d| !matches!(d.weekday(), Weekday::Sat | Weekday::Sun)).collect()
}

fn monday_on_or_after(d: NaiveDate) -> NaiveDate {
    d + Duration::days(i64::from((7 - d.weekday().num_days_from_monday()) % 7))
}

/// The summer term that ended before `now`, and the next holiday term —
/// already under way since this week's Monday, so that its classes meet on
/// today's weekdays and their door and day sheets can be tried (still open
/// for enrolment: a term takes children until its last day).
fn terms(now: i64) -> [DemoTerm; 2] {
    let today = region_day(now);
    let mut year = today.year();
    let summer = |y: i32| monday_on_or_after(NaiveDate::from_ymd_opt(y, 7, 13).unwrap_or_default());
    while summer(year) + Duration::days(39) >= today {
        year -= 1;
    }
    let past = DemoTerm { name: format!("{year}年暑期照辅班"), starts_on: summer(year), ends_on: summer(year) + Duration::days(39) };
    let monday = today - Duration::days(i64::from(today.weekday().num_days_from_monday()));
    let winter = monday_on_or_after(NaiveDate::from_ymd_opt(year + 1, 1, 18).unwrap_or_default());
    let name = if winter > today + Duration::days(7) {
        format!("{}年寒假照辅班", year + 1)
    } else {
        format!("{}年暑期照辅班", year + 1)
    };
    [past, DemoTerm { name, starts_on: monday, ends_on: monday + Duration::days(39) }]
}

fn surname(rng: &mut StdRng) -> &'static str {
    SURNAMES.choose_weighted(rng, |s| s.1).map_or("王", |s| s.0)
}

fn given(rng: &mut StdRng, names: &[&'static str]) -> &'static str {
    names.choose(rng).copied().unwrap_or("明")
}

/// Classes of one term: one per community spread over the districts, each
/// headed and staffed by volunteers of a team of its district.
fn classes(rng: &mut StdRng, region: &DemoRegion, term: usize, taken: &mut Vec<usize>) -> Vec<DemoClass> {
    let mut by_district: Vec<Vec<usize>> = vec![Vec::new(); region.districts.len()];
    for (i, c) in region.communities.iter().enumerate() {
        by_district[c.district].push(i);
    }
    let mut out = Vec::new();
    let mut k = 0;
    while out.len() < CLASSES {
        let d = k % by_district.len().max(1);
        if let Some(&community) = by_district[d].get(k / by_district.len().max(1)) {
            let team = region.teams.iter().position(|t| t.district == d).unwrap_or(0);
            // Caretakers: the team's members nobody else has taken, then anyone free.
            let mut people: Vec<usize> = (0..region.volunteers.len())
                .filter(|v| region.volunteers[*v].teams.contains(&team) && !taken.contains(v) && *v != 0)
                .take(24)
                .collect();
            let more: Vec<usize> =
                (1..region.volunteers.len()).filter(|v| !taken.contains(v) && !people.contains(v)).take(24 - people.len()).collect();
            people.extend(more);
            // A small region (a benchmark's, a test's) has too few to keep the crews apart.
            let reused: Vec<usize> = (0..region.volunteers.len()).filter(|v| !people.contains(v)).take(24 - people.len()).collect();
            people.extend(reused);
            taken.extend(&people);
            let (min_age, max_age) = [(6, 12), (5, 10), (7, 13)][out.len() % 3];
            out.push(DemoClass {
                term,
                name: format!("{}照辅班", region.communities[community].name),
                community,
                address: PLACES.choose(rng).copied().unwrap_or("社区活动中心").to_string(),
                min_age,
                max_age,
                capacity: CAPACITY,
                per_caretaker: PER_CARETAKER,
                head: people.first().copied().unwrap_or(0),
                team,
                caretakers: people.iter().skip(1).copied().collect(),
            });
        }
        k += 1;
        if k > 10_000 {
            break;
        }
    }
    out
}

fn child(rng: &mut StdRng, region: &DemoRegion, class: &DemoClass, index: usize, term: &DemoTerm, queued_at: i64) -> DemoChild {
    let age = rng.gen_range(class.min_age..=class.max_age);
    let birth = term.starts_on - Duration::days(age * 365 + rng.gen_range(1..360));
    let surname = surname(rng);
    let name = format!("{surname}{}", given(rng, CHILD_GIVEN));
    let father = format!("{surname}{}", given(rng, MALE_GIVEN));
    let mother = format!("{}{}", self::surname(rng), given(rng, FEMALE_GIVEN));
    let phone = format!("135{:08}", 10_000_000 + index * 37 % 89_000_000);
    let (guardian, relation) = if rng.gen_bool(0.55) { (father.clone(), "父亲") } else { (mother.clone(), "母亲") };
    let mut pickups = vec![(guardian.clone(), relation, phone.clone())];
    let other = if relation == "父亲" { (mother, "母亲") } else { (father, "父亲") };
    pickups.push((other.0, other.1, format!("136{:08}", 10_000_000 + index * 41 % 89_000_000)));
    if rng.gen_bool(0.6) {
        let (g, r) = if rng.gen_bool(0.5) { (ELDERLY_MALE_GIVEN, "爷爷") } else { (ELDERLY_FEMALE_GIVEN, "奶奶") };
        pickups.push((format!("{surname}{}", given(rng, g)), r, format!("137{:08}", 10_000_000 + index * 43 % 89_000_000)));
    }
    let oilfield: Vec<usize> = region.units.iter().enumerate().filter(|(_, u)| u.kind == "oilfield_unit").map(|(i, _)| i).collect();
    let unit = if rng.gen_bool(0.85) { oilfield.choose(rng).copied() } else { None };
    let shift_worker = rng.gen_bool(0.6);
    DemoChild {
        class: 0,
        name,
        birth_date: birth,
        guardian_name: guardian,
        guardian_phone: phone,
        unit,
        shift_worker,
        both_on_shift: shift_worker && rng.gen_bool(0.3),
        pickups,
        allergies: if rng.gen_bool(0.06) { ["花生", "海鲜", "牛奶", "芒果"].choose(rng).copied() } else { None },
        waitlisted: false,
        queued_at,
        rating: None,
    }
}

/// The programme for `region` at `now`; the same seed gives the same programme.
pub fn childcare(seed: u64, region: &DemoRegion, now: i64) -> DemoChildcare {
    let mut rng = StdRng::seed_from_u64(seed ^ 0x6368_696c);
    let terms = terms(now);
    let mut taken = Vec::new();
    let mut all = classes(&mut rng, region, 0, &mut taken);
    // The winter term copies the summer's classes (the template), with the demo volunteer heading the first.
    let mut winter: Vec<DemoClass> = all.iter().map(|c| DemoClass { term: 1, ..c.clone() }).collect();
    if let Some(first) = winter.first_mut() {
        first.head = 0;
    }
    all.append(&mut winter);
    let mut children = Vec::new();
    let open_at = at(terms[0].starts_on - Duration::days(30), 9, 0);
    for (ci, class) in all.iter().enumerate() {
        let (enrolled, waiting) = match (class.term, ci % CLASSES) {
            (0, k) => (class.capacity - (k as i64 % 3), if k % 5 == 0 { 6 } else { 0 }),
            (_, 0) => (class.capacity, 14),
            (_, k) => (class.capacity * (30 + (k as i64 * 7) % 50) / 100, 0),
        };
        let term = &terms[class.term];
        let opened = if class.term == 0 { open_at } else { now - 10 * DAY_MS };
        for n in 0..(enrolled + waiting) {
            let index = children.len();
            let queued_at = opened + n * 60_000 + rng.gen_range(0..50_000);
            let mut c = child(&mut rng, region, class, index, term, queued_at);
            c.class = ci;
            c.waitlisted = n >= enrolled;
            if class.term == 0 && !c.waitlisted && rng.gen_bool(0.7) {
                let stars = *[5, 5, 5, 4, 4, 3].choose(&mut rng).unwrap_or(&5);
                c.rating = Some((
                    stars,
                    ["老师很用心，孩子每天都很开心", "解决了我们倒班家庭的大难题", "午饭可以再丰富些"].choose(&mut rng).copied(),
                ));
            }
            children.push(c);
        }
    }
    let (days, shifts, absences) = class_days_until(&mut rng, &terms, &all, &children, now);
    DemoChildcare { terms, classes: all, children, days, shifts, absences }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_past_summer_has_sixteen_classes_and_two_thousand_children_every_day_accounted_for() {
        let region = crate::generate(7, 3200, 0);
        let now = at(NaiveDate::from_ymd_opt(2026, 12, 6).unwrap(), 10, 0);
        let d = childcare(7, &region, now);
        let summer: Vec<usize> = (0..d.classes.len()).filter(|c| d.classes[*c].term == 0).collect();
        assert_eq!(summer.len(), CLASSES);
        let enrolled = d.children.iter().filter(|c| summer.contains(&c.class) && !c.waitlisted).count();
        assert!(enrolled >= 2000, "{enrolled}");
        assert!(d.terms[0].ends_on < region_day(now) && d.terms[1].starts_on <= region_day(now) && region_day(now) < d.terms[1].ends_on);
        assert_eq!(d.terms[1].starts_on.weekday(), Weekday::Mon, "under way since this week's Monday");
        let full: Vec<usize> =
            (0..d.classes.len()).filter(|c| d.classes[*c].term == 1 && d.children.iter().any(|k| k.class == *c && k.waitlisted)).collect();
        assert_eq!(full.len(), 1, "one winter class has a waitlist");
        for x in &d.days {
            let listed = d.children[x.child].pickups.len();
            assert!(x.in_at.1 < listed && x.out_at.is_none_or(|o| o.1 < listed), "only listed people");
            assert!(x.out_at.is_none_or(|o| x.in_at.0 < o.0 && o.0 <= now), "out after in, never in the future");
            assert!(x.in_at.0 <= now, "nobody checked in ahead of the clock");
        }
        assert!(d.days.iter().any(|x| x.incident.is_some()));
        let enrolled = |ci: usize| d.children.iter().filter(|k| k.class == ci && !k.waitlisted).count() as i64;
        let today = region_day(now);
        for (ci, day, crew) in &d.shifts {
            if *day <= today {
                assert!(crew.len() as i64 * PER_CARETAKER >= enrolled(*ci), "every day so far staffed to the ratio");
            }
        }
        // The winter term's days so far are recorded; an absent child was either reported or is missing.
        let winter_days: Vec<&DemoDay> = d.days.iter().filter(|x| d.classes[d.children[x.child].class].term == 1).collect();
        assert!(winter_days.iter().any(|x| x.day < today && x.out_at.is_some()), "this week's days are recorded");
        assert!(!d.absences.is_empty());
        for a in &d.absences {
            assert!(a.at <= now && !d.days.iter().any(|x| x.child == a.child && x.day == a.day), "absent or present, never both");
        }
        // Loaded on a class morning, today's children are in and none is out yet.
        let tuesday = at(NaiveDate::from_ymd_opt(2026, 12, 8).unwrap(), 10, 0);
        let t = childcare(7, &region, tuesday);
        let on = |x: &&DemoDay| x.day == region_day(tuesday);
        assert!(t.days.iter().filter(on).count() > 500 && t.days.iter().filter(on).all(|x| x.out_at.is_none() && x.meal.is_none()));
    }
}
