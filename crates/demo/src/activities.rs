//! A year of the region's activities (C3, C5): about a thousand, like the
//! source article's region, across the 76 teams and every campaign theme —
//! weekly series, each district's theme day every two months, one-off
//! services — with sign-ups, check-ins and confirmed hours, and a few weeks
//! ahead open for sign-up, so hours, star levels and certificates are real.
//!
//! Time is passed in (`now`, unix ms): the year ends at it.

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use tongxing_domain::activities::{SignupStatus, HOUR_MS, THEMES};

use crate::projects::{is_risky, theme_of, PROJECTS};
use crate::DemoRegion;

/// Activities that ended within the past year: the source's "近千场".
pub const PAST_ACTIVITIES: usize = 1000;
pub(crate) const MINUTE_MS: i64 = 60_000;
pub(crate) const DAY_MS: i64 = 24 * HOUR_MS;
/// The region's clock runs at UTC+8.
const OFFSET_MS: i64 = 8 * HOUR_MS;
/// Weekly series run until this many weeks ahead.
const AHEAD_WEEKS: i64 = 3;
/// Teams that run a weekly series all year (the demo leader's team runs two).
const SERIES_TEAMS: usize = 8;
/// Activities that ended less than this long ago still wait for their leader.
pub(crate) const UNCONFIRMED_MS: i64 = 3 * DAY_MS;
/// (start minute of the day, length in minutes) of the usual time slots.
const SLOTS: &[(i64, i64)] = &[(8 * 60 + 30, 180), (9 * 60, 150), (14 * 60 + 30, 150), (15 * 60, 120), (19 * 60, 120)];
const WEEKDAYS: [&str; 7] = ["日", "一", "二", "三", "四", "五", "六"];
const THEME_LABELS: [&str; 5] = ["健康", "绿色", "幸福", "和谐", "清廉"];
/// Why hours were entered by hand (补录) for someone who served without scanning.
pub const MANUAL_NOTE: &str = "未扫码签到，按现场签到表补录";
pub const INSURANCE: &str = "志愿者团体意外伤害保险（中国人寿，保单号 P2026XC0001）";

/// An activity of the year with everyone who signed up for it.
#[derive(Debug, Clone, PartialEq)]
pub struct DemoActivity {
    /// Index into `DemoRegion::teams`.
    pub team: usize,
    /// Index into `DemoRegion::communities`.
    pub community: usize,
    /// Index into `projects::PROJECTS`.
    pub project: usize,
    /// The first session of its weekly series: an index into the same list, itself included.
    pub series: Option<usize>,
    pub title: String,
    pub description: String,
    pub address: String,
    /// One of `tongxing_domain::activities::THEMES`.
    pub theme: &'static str,
    pub starts_at: i64,
    pub ends_at: i64,
    pub capacity: i64,
    pub risky: bool,
    pub insurance: Option<String>,
    pub adults_only: bool,
    pub walk_ups: bool,
    /// When its leader confirmed the hours; `None` while it is ahead or just ended.
    pub hours_confirmed_at: Option<i64>,
    pub signups: Vec<DemoSignup>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct DemoSignup {
    /// Index into `DemoRegion::volunteers`.
    pub volunteer: usize,
    pub status: SignupStatus,
    pub queued_at: i64,
    pub attendance: Option<DemoAttendance>,
    /// The ledger entry written when the hours were confirmed.
    pub credit: Option<DemoCredit>,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DemoAttendance {
    pub checked_in_at: i64,
    pub checked_out_at: Option<i64>,
    /// Closed by rule at the activity's end and flagged for the leader.
    pub auto_closed: bool,
}

/// Confirmed service time: from check-in and check-out, or entered by hand (补录).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DemoCredit {
    pub manual: bool,
    pub started_at: i64,
    pub ms: i64,
}

/// A correction entry: the difference to an activity's entry, with a reason.
#[derive(Debug, Clone, PartialEq)]
pub struct DemoCorrection {
    /// Index into `DemoYear::activities`.
    pub activity: usize,
    pub volunteer: usize,
    pub delta_ms: i64,
    pub note: &'static str,
    pub at: i64,
}

/// A volunteer's dispute of an activity's entry, answered or still open.
#[derive(Debug, Clone, PartialEq)]
pub struct DemoDispute {
    pub activity: usize,
    pub volunteer: usize,
    pub reason: &'static str,
    pub at: i64,
    /// (answer, when).
    pub answer: Option<(&'static str, i64)>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct DemoYear {
    /// Oldest first.
    pub activities: Vec<DemoActivity>,
    pub corrections: Vec<DemoCorrection>,
    pub disputes: Vec<DemoDispute>,
}

/// The region day (days since 1970-01-01 at UTC+8) of `ms`.
pub(crate) fn day_of(ms: i64) -> i64 {
    (ms + OFFSET_MS).div_euclid(DAY_MS)
}

/// Unix ms of `minute` minutes into region day `day`.
fn at(day: i64, minute: i64) -> i64 {
    day * DAY_MS - OFFSET_MS + minute * MINUTE_MS
}

/// 0 = Sunday (1970-01-01 was a Thursday).
fn weekday(day: i64) -> usize {
    (day + 4).rem_euclid(7) as usize
}

/// What an activity is, before anyone signs up.
pub(crate) struct Plan {
    pub activity: DemoActivity,
    /// A weekly series' number, for finding its first session.
    pub series_key: Option<usize>,
    /// Volunteers who must be on it (the demo volunteer's next activities).
    pub forced: Vec<usize>,
    /// Sign-ups wanted per place, when not the usual.
    pub demand: Option<f64>,
}

/// A year of activities in `region` ending at `now`, with their sign-ups and
/// hours; same seed and `now`, same year. The demo volunteer (the region's
/// first) serves weekly in the demo leader's team (her first), is free to
/// join that team's activity happening now, and is signed up for one ahead.
pub fn year_of_activities(seed: u64, region: &DemoRegion, now: i64) -> DemoYear {
    let mut rng = StdRng::seed_from_u64(seed ^ 0x6163_7469);
    let lead = region.volunteers.first().and_then(|v| v.teams.first().copied()).unwrap_or(0);
    let mut plans = Vec::new();
    let series = series_plans(&mut rng, region, lead, now);
    let in_series = series.iter().filter(|p| p.activity.ends_at <= now).count();
    plans.extend(series);
    plans.extend(district_days(&mut rng, region, now));
    let (open_now, now_span) = ahead(&mut rng, region, lead, now);
    plans.extend(open_now);
    let past = plans.iter().filter(|p| p.activity.ends_at <= now).count();
    plans.extend(one_offs(&mut rng, region, now, PAST_ACTIVITIES.saturating_sub(past)));
    debug_assert!(in_series <= past);
    plans.sort_by_key(|p| (p.activity.starts_at, p.activity.team));
    let mut heads = std::collections::HashMap::new();
    for (i, p) in plans.iter_mut().enumerate() {
        if let Some(k) = p.series_key {
            p.activity.series = Some(*heads.entry(k).or_insert(i));
        }
    }
    // The demo volunteer stays free from three hours ago until the activity
    // happening now ends, so she can sign up for it (or plan her own) and check in.
    let free = (now - 3 * HOUR_MS, now_span.1 + crate::signups::PAD_MS);
    let kept: Vec<(usize, (i64, i64))> = region.volunteers.first().map(|_| (0, free)).into_iter().collect();
    if !kept.is_empty() {
        force_next(&mut plans, 0, lead, free.1);
    }
    crate::signups::fill(&mut rng, region, plans, &kept, now)
}

fn plan(region: &DemoRegion, team: usize, community: usize, project: usize, day: i64, slot: (i64, i64)) -> Plan {
    let (category, name) = PROJECTS[project];
    let place = &region.communities[community].name;
    let risky = is_risky(name);
    let starts_at = at(day, slot.0);
    Plan {
        activity: DemoActivity {
            team,
            community,
            project,
            series: None,
            title: name.to_string(),
            description: format!("{name}，由{}组织，欢迎报名参加。", region.teams[team].name),
            address: format!("{place}社区活动中心"),
            theme: theme_of(category, name),
            starts_at,
            ends_at: starts_at + slot.1 * MINUTE_MS,
            capacity: 12,
            risky,
            insurance: risky.then(|| INSURANCE.to_string()),
            adults_only: risky,
            walk_ups: false,
            hours_confirmed_at: None,
            signups: Vec::new(),
        },
        series_key: None,
        forced: Vec::new(),
        demand: None,
    }
}

/// A project of `team`'s category (the `k`-th of them), else any.
fn project_for(region: &DemoRegion, team: usize, k: usize) -> usize {
    let category = region.teams[team].category;
    let own: Vec<usize> = (0..PROJECTS.len()).filter(|&p| PROJECTS[p].0 == category).collect();
    if own.is_empty() {
        k % PROJECTS.len()
    } else {
        own[k % own.len()]
    }
}

/// A community of `team`'s district.
fn community_for(rng: &mut StdRng, region: &DemoRegion, team: usize) -> usize {
    let d = region.teams[team].district;
    let near: Vec<usize> = (0..region.communities.len()).filter(|&c| region.communities[c].district == d).collect();
    if near.is_empty() {
        0
    } else {
        near[rng.gen_range(0..near.len())]
    }
}

/// Weekly series through the year and a few weeks ahead: the demo leader's
/// team on Saturday mornings and Wednesday evenings, seven more teams once a week.
fn series_plans(rng: &mut StdRng, region: &DemoRegion, lead: usize, now: i64) -> Vec<Plan> {
    let teams = region.teams.len();
    let mut chosen = vec![lead];
    while chosen.len() < SERIES_TEAMS.min(teams) {
        let t = rng.gen_range(0..teams);
        if !chosen.contains(&t) {
            chosen.push(t);
        }
    }
    let mut specs: Vec<(usize, usize, (i64, i64))> = vec![(lead, 6, (9 * 60, 180)), (lead, 3, (19 * 60, 120))];
    specs.extend(chosen[1..].iter().map(|&t| (t, rng.gen_range(0..7), SLOTS[rng.gen_range(0..SLOTS.len())])));
    let (first, last) = (day_of(now) - 365, day_of(now) + 7 * AHEAD_WEEKS);
    let mut out = Vec::new();
    for (key, &(team, wd, slot)) in specs.iter().enumerate() {
        let project = project_for(region, team, key);
        let community = community_for(rng, region, team);
        let capacity = rng.gen_range(12..=20);
        for day in (first..=last).filter(|d| weekday(*d) == wd) {
            let mut p = plan(region, team, community, project, day, slot);
            p.activity.title = format!("每周{}·{}", WEEKDAYS[wd], PROJECTS[project].1);
            p.activity.capacity = capacity;
            p.series_key = Some(key);
            out.push(p);
        }
    }
    out
}

/// Each district hosts a theme day every two months (每双月); the theme
/// follows the season, so the campaign's five themes all come round.
fn district_days(rng: &mut StdRng, region: &DemoRegion, now: i64) -> Vec<Plan> {
    let first = day_of(now) - 365;
    let mut out = Vec::new();
    for period in 0..6i64 {
        let theme = THEMES[period as usize % THEMES.len()];
        let projects: Vec<usize> = (0..PROJECTS.len()).filter(|&p| theme_of(PROJECTS[p].0, PROJECTS[p].1) == theme).collect();
        for (d, district) in region.districts.iter().enumerate() {
            let Some(team) = region.teams.iter().position(|t| t.district == d) else { continue };
            let day = first + period * 61 + 10 + d as i64 * 7;
            let project = projects[rng.gen_range(0..projects.len())];
            let community = community_for(rng, region, team);
            let mut p = plan(region, team, community, project, day, (8 * 60 + 30, 180));
            let label = THEME_LABELS[period as usize % THEME_LABELS.len()];
            p.activity.title = format!("{district}「{label}」主题服务日·{}", PROJECTS[project].1);
            p.activity.theme = theme;
            p.activity.capacity = rng.gen_range(30..=50);
            p.activity.walk_ups = true;
            out.push(p);
        }
    }
    out
}

/// `n` one-off services on days of the past year: every team at least once.
fn one_offs(rng: &mut StdRng, region: &DemoRegion, now: i64, n: usize) -> Vec<Plan> {
    let today = day_of(now);
    (0..n)
        .map(|i| {
            let team = if i < region.teams.len() { i } else { rng.gen_range(0..region.teams.len()) };
            let project = if rng.gen_bool(0.8) { project_for(region, team, rng.gen_range(0..8)) } else { rng.gen_range(0..PROJECTS.len()) };
            let community = community_for(rng, region, team);
            let day = rng.gen_range(today - 365..today);
            let mut p = plan(region, team, community, project, day, SLOTS[rng.gen_range(0..SLOTS.len())]);
            p.activity.capacity = rng.gen_range(8..=30);
            p.activity.walk_ups = rng.gen_bool(0.3);
            p
        })
        .collect()
}

/// What is open for sign-up: one of the demo leader's team's activities
/// happening now (so the demo check-in works), a popular one with a
/// waitlist, a risky one insured and one still waiting for its insurance,
/// and a few more in the next two weeks.
fn ahead(rng: &mut StdRng, region: &DemoRegion, lead: usize, now: i64) -> (Vec<Plan>, (i64, i64)) {
    let today = day_of(now);
    let started = (now - HOUR_MS).div_euclid(30 * MINUTE_MS) * 30 * MINUTE_MS;
    let mut current = plan(region, lead, community_for(rng, region, lead), project_for(region, lead, 3), today, (0, 8 * 60));
    current.activity.starts_at = started;
    current.activity.ends_at = started + 8 * HOUR_MS;
    current.activity.title = format!("社区服务日·{}", PROJECTS[current.activity.project].1);
    current.activity.capacity = 20;
    current.activity.walk_ups = true;
    let span = (current.activity.starts_at, current.activity.ends_at);
    let mut out = vec![current];
    let elderly_cut = PROJECTS.iter().position(|p| p.1 == "敬老院义剪").unwrap_or(0);
    let mut popular = plan(region, lead, community_for(rng, region, lead), elderly_cut, today + 5, (9 * 60, 150));
    popular.activity.capacity = 10;
    popular.demand = Some(1.5);
    out.push(popular);
    for (k, name) in ["河道巡护清理", "防汛巡查"].iter().enumerate() {
        let project = PROJECTS.iter().position(|p| p.1 == *name).unwrap_or(0);
        let team = region.teams.iter().position(|t| t.category == PROJECTS[project].0).unwrap_or(0);
        let mut p = plan(region, team, community_for(rng, region, team), project, today + 6 + k as i64 * 3, (8 * 60 + 30, 180));
        if k == 1 {
            // Nobody can sign up before the insurance is recorded.
            p.activity.insurance = None;
            p.demand = Some(0.0);
        }
        out.push(p);
    }
    for _ in 0..4 {
        let team = rng.gen_range(0..region.teams.len());
        let day = rng.gen_range(today + 1..=today + 14);
        let mut p = plan(region, team, community_for(rng, region, team), project_for(region, team, rng.gen_range(0..8)), day, SLOTS[1]);
        p.activity.capacity = rng.gen_range(10..=25);
        out.push(p);
    }
    (out, span)
}

/// Signs volunteer `v` up for the first weekly session of the demo leader's
/// team that starts after `after`.
fn force_next(plans: &mut [Plan], v: usize, lead: usize, after: i64) {
    let next = plans
        .iter_mut()
        .find(|p| p.activity.team == lead && p.series_key.is_some() && p.activity.starts_at - crate::signups::PAD_MS >= after);
    if let Some(p) = next {
        p.forced.push(v);
    }
}
