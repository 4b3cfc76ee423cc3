//! Who signed up for each activity of the demo year, who came, and what the
//! ledger credits them. A person's sign-ups never overlap (with time to get
//! from one to the next), places are never overbooked, and credited time
//! stays inside the activity.

use rand::rngs::StdRng;
use rand::Rng;
use tongxing_domain::activities::{closing_time, overlaps, served_ms, SignupStatus};
use tongxing_domain::id_number::{self, IdNumber};
use tongxing_domain::time::region_date;

use crate::activities::{DemoActivity, DemoAttendance, DemoCredit, DemoSignup, DemoYear, Plan, DAY_MS, MINUTE_MS, UNCONFIRMED_MS};
use crate::DemoRegion;

/// Time to get from one activity to the next: nobody is booked closer.
pub(crate) const PAD_MS: i64 = 30 * MINUTE_MS;
/// A team's first members are its regulars: they come to nearly everything.
const REGULARS: usize = 8;

/// Who may be asked: each team's members, each district's, and who is an adult when.
struct Pools {
    members: Vec<Vec<usize>>,
    district: Vec<Vec<usize>>,
    team_district: Vec<usize>,
    ids: Vec<Option<IdNumber>>,
}

impl Pools {
    fn new(region: &DemoRegion) -> Pools {
        let mut members = vec![Vec::new(); region.teams.len()];
        let mut district = vec![Vec::new(); region.districts.len()];
        for (v, vol) in region.volunteers.iter().enumerate() {
            for &t in &vol.teams {
                members[t].push(v);
                let d = &mut district[region.teams[t].district];
                if d.last() != Some(&v) {
                    d.push(v);
                }
            }
        }
        let ids = region.volunteers.iter().map(|v| v.id_number.as_deref().and_then(|n| id_number::parse(n).ok())).collect();
        Pools { members, district, team_district: region.teams.iter().map(|t| t.district).collect(), ids }
    }

    /// 18 or older on the activity's day, as the adults-only rule reads it.
    fn adult(&self, v: usize, at: i64) -> bool {
        self.ids[v].as_ref().is_some_and(|id| id_number::age_on(id.birth_date, region_date(at)) >= 18)
    }
}

/// Every volunteer's booked time, padded.
struct Calendar(Vec<Vec<(i64, i64)>>);

impl Calendar {
    fn free(&self, v: usize, span: (i64, i64)) -> bool {
        !self.0[v].iter().any(|s| overlaps(*s, span))
    }
}

fn padded(a: &DemoActivity) -> (i64, i64) {
    (a.starts_at - PAD_MS, a.ends_at + PAD_MS)
}

/// Sign-ups, attendance and hours for the year's plans, in time order.
/// `kept` holds time kept free for a volunteer.
pub(crate) fn fill(rng: &mut StdRng, region: &DemoRegion, plans: Vec<Plan>, kept: &[(usize, (i64, i64))], now: i64) -> DemoYear {
    let pools = Pools::new(region);
    let mut cal = Calendar(vec![Vec::new(); region.volunteers.len()]);
    for &(v, span) in kept {
        cal.0[v].push(span);
    }
    // The demo volunteer's own activities are booked before anyone else's.
    for p in &plans {
        for &v in &p.forced {
            cal.0[v].push(padded(&p.activity));
        }
    }
    let mut activities = Vec::with_capacity(plans.len());
    for p in plans {
        let mut a = p.activity;
        a.signups = sign_up(rng, &pools, &mut cal, &a, &p.forced, p.demand, now);
        attend(rng, &mut a, &p.forced, now);
        activities.push(a);
    }
    let (corrections, disputes) = crate::corrections::corrections_and_disputes(rng, &activities, now);
    DemoYear { activities, corrections, disputes }
}

/// Who signs up: the forced first, then the team's regulars, then other
/// members of the team or the district; beyond capacity they wait.
fn sign_up(
    rng: &mut StdRng,
    pools: &Pools,
    cal: &mut Calendar,
    a: &DemoActivity,
    forced: &[usize],
    demand: Option<f64>,
    now: i64,
) -> Vec<DemoSignup> {
    let demand = demand.unwrap_or_else(|| if a.ends_at <= now { rng.gen_range(0.6..1.25) } else { rng.gen_range(0.3..0.8) });
    let target = (a.capacity as f64 * demand).round() as usize;
    let span = padded(a);
    let mut order: Vec<usize> = forced.to_vec();
    let fits = |v: usize, order: &[usize], cal: &Calendar| {
        !order.contains(&v) && cal.free(v, span) && (!a.adults_only || pools.adult(v, a.starts_at))
    };
    let team = &pools.members[a.team];
    for &v in team.iter().take(REGULARS) {
        if order.len() < target && rng.gen_bool(0.9) && fits(v, &order, cal) {
            order.push(v);
        }
    }
    let district = &pools.district[pools.team_district[a.team]];
    for _ in 0..target * 6 {
        if order.len() >= target {
            break;
        }
        let pool = if team.len() > REGULARS && rng.gen_bool(0.7) { &team[REGULARS..] } else { &district[..] };
        if pool.is_empty() {
            continue;
        }
        let v = pool[rng.gen_range(0..pool.len())];
        if fits(v, &order, cal) {
            order.push(v);
        }
    }
    let queued_from = (a.starts_at - 10 * DAY_MS).min(now - 2 * DAY_MS);
    let mut confirmed = 0;
    let mut out = Vec::with_capacity(order.len());
    for (k, v) in order.into_iter().enumerate() {
        let is_forced = forced.contains(&v);
        let cancelled = !is_forced && rng.gen_bool(0.04);
        if !cancelled && !is_forced {
            cal.0[v].push(span);
        }
        let status = match () {
            _ if cancelled => SignupStatus::Cancelled,
            _ if confirmed < a.capacity => {
                confirmed += 1;
                SignupStatus::Confirmed
            }
            _ => SignupStatus::Waitlisted,
        };
        out.push(DemoSignup { volunteer: v, status, queued_at: queued_from + k as i64 * 37 * MINUTE_MS, attendance: None, credit: None });
    }
    out
}

/// Check-ins and check-outs of the confirmed, and, once the leader has
/// confirmed (three days after the end), their credited time.
fn attend(rng: &mut StdRng, a: &mut DemoActivity, forced: &[usize], now: i64) {
    let (starts, ends) = (a.starts_at, a.ends_at);
    let confirmed_at = (ends <= now - UNCONFIRMED_MS).then(|| (ends + rng.gen_range(2..48) * 3_600_000).min(now - 3_600_000));
    a.hours_confirmed_at = confirmed_at;
    let length = ends - starts;
    for s in a.signups.iter_mut().filter(|s| s.status == SignupStatus::Confirmed) {
        if starts <= now && now < ends {
            // Happening now: some are already there.
            if !forced.contains(&s.volunteer) && rng.gen_bool(0.5) {
                let at = (starts + rng.gen_range(0..=20) * MINUTE_MS).min(now);
                s.attendance = Some(DemoAttendance { checked_in_at: at, checked_out_at: None, auto_closed: false });
            }
            continue;
        }
        if ends > now {
            continue;
        }
        if !rng.gen_bool(0.92) {
            // Served without scanning: the leader enters the hours by hand (补录).
            if confirmed_at.is_some() && rng.gen_bool(0.25) {
                let ms = length - rng.gen_range(0..=1) * 30 * MINUTE_MS;
                s.credit = Some(DemoCredit { manual: true, started_at: starts, ms });
            }
            continue;
        }
        let checked_in = starts + rng.gen_range(-20..=15) * MINUTE_MS;
        let auto_closed = rng.gen_bool(if confirmed_at.is_none() { 0.1 } else { 0.004 });
        let out = if auto_closed { closing_time(checked_in, ends) } else { (ends + rng.gen_range(-15..=20) * MINUTE_MS).min(now) };
        s.attendance = Some(DemoAttendance { checked_in_at: checked_in, checked_out_at: Some(out), auto_closed });
        let ms = served_ms(checked_in, out, starts, ends);
        if confirmed_at.is_some() && ms > 0 {
            s.credit = Some(DemoCredit { manual: false, started_at: checked_in.max(starts), ms });
        }
    }
}
