//! A year of the region's needs, for loading in bulk: almost all of them
//! closed long ago, a few thousand still open, each with the steps it went
//! through and when, so a database of this size looks like one in use.

use std::collections::HashMap;

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use tongxing_domain::needs::Status;

use crate::needs::{requester_phone, waiting_at, weighted, CHANNELS, LEVEL_WEIGHTS, REQUESTS};
use crate::{DemoNeed, DemoRegion};

/// Where a year's needs end up, per thousand: 3% still open.
const YEAR_OUTCOMES: &[(Status, u32)] = &[
    (Status::Submitted, 6),
    (Status::Published, 10),
    (Status::Claimed, 14),
    (Status::Completed, 110),
    (Status::Rated, 740),
    (Status::Rejected, 70),
    (Status::Cancelled, 50),
];

/// A claim with no progress for three days (the default `claim_expiry_hours`)
/// goes back to the pool, so an open claim is at most yellow.
const CLAIM_LEVEL_WEIGHTS: &[(usize, u32)] = &[(0, 50), (1, 30), (2, 20)];

const YEAR_MINUTES: i64 = 365 * 24 * 60;

pub const REJECT_REASON: &str = "不属于志愿服务范围，已转交社区办理";
pub const SUMMARY: &str = "已上门服务，问题已解决";
pub const RATING_COMMENT: &str = "志愿者很热心，谢谢！";

/// A need of the past year and its history.
#[derive(Debug, Clone, PartialEq)]
pub struct PastNeed {
    pub need: DemoNeed,
    /// Every step it went through, oldest first, with how many minutes ago.
    /// The last is `need.outcome`, `need.waited_minutes` ago.
    pub steps: Vec<(Status, i64)>,
    /// Index into `DemoRegion::teams` of the team that took it.
    pub team: Option<usize>,
    /// A duplicate's original: an earlier index in the same list, never itself merged.
    pub merged_into: Option<usize>,
}

/// `n` needs of the past year in `region`'s communities; same seed, same
/// needs. Residents ask more than once: about one need in three comes from
/// someone who asked before, with the same name and phone.
pub fn year_of_needs(seed: u64, region: &DemoRegion, n: usize) -> Vec<PastNeed> {
    let mut rng = StdRng::seed_from_u64(seed ^ 0x7965_6172);
    let residents = (n / 3).max(1);
    // The last need of each title that a duplicate could be folded into.
    let mut originals: HashMap<&str, usize> = HashMap::new();
    let mut all = Vec::with_capacity(n);
    for i in 0..n {
        let (category, title, description) = REQUESTS[rng.gen_range(0..REQUESTS.len())];
        let mut outcome = weighted(&mut rng, YEAR_OUTCOMES);
        let merged_into = match outcome {
            Status::Cancelled => originals.get(title).copied(),
            _ => None,
        };
        if outcome == Status::Cancelled && merged_into.is_none() {
            outcome = Status::Rejected;
        }
        let waited_minutes = match outcome {
            Status::Claimed => waiting_at(&mut rng, outcome, CLAIM_LEVEL_WEIGHTS),
            s if s.is_open() => waiting_at(&mut rng, s, LEVEL_WEIGHTS),
            _ => rng.gen_range(0..YEAR_MINUTES),
        };
        let resident = rng.gen_range(0..residents);
        let community = resident % region.communities.len();
        let claimed = matches!(outcome, Status::Claimed | Status::Completed | Status::Rated);
        let need = DemoNeed {
            category,
            title,
            description,
            community,
            requester_name: resident_name(resident),
            requester_phone: requester_phone(resident),
            channel: weighted(&mut rng, CHANNELS),
            outcome,
            waited_minutes,
            stars: if rng.gen_bool(0.8) { 5 } else { rng.gen_range(3..=4) },
        };
        let steps = steps(&mut rng, outcome, waited_minutes);
        if !matches!(outcome, Status::Cancelled | Status::Rejected) {
            originals.insert(title, i);
        }
        let team = claimed.then(|| fitting_team(region, community, category));
        all.push(PastNeed { need, steps, team, merged_into });
    }
    all
}

/// The path to `outcome`, walked backwards from its last step `waited` minutes ago.
fn steps(rng: &mut StdRng, outcome: Status, waited: i64) -> Vec<(Status, i64)> {
    use Status::*;
    let path: &[Status] = match outcome {
        Submitted => &[Submitted],
        Published => &[Submitted, Published],
        Claimed => &[Submitted, Published, Claimed],
        Completed => &[Submitted, Published, Claimed, Completed],
        Rated => &[Submitted, Published, Claimed, Completed, Rated],
        Rejected => &[Submitted, Rejected],
        Cancelled => &[Submitted, Cancelled],
    };
    let mut at = waited;
    let mut out: Vec<(Status, i64)> = Vec::with_capacity(path.len());
    for (k, s) in path.iter().enumerate().rev() {
        out.push((*s, at));
        // How long the step before this one took: review within a morning,
        // a taker within a day, service within three days, a rating within three.
        if k > 0 {
            at += match s {
                Published | Rejected | Cancelled => rng.gen_range(10..8 * 60),
                Claimed => rng.gen_range(30..24 * 60),
                Completed => rng.gen_range(60..72 * 60),
                _ => rng.gen_range(10..72 * 60),
            };
        }
    }
    out.reverse();
    out
}

/// Resident `k`'s name, the same every time they ask.
fn resident_name(k: usize) -> String {
    let surnames = crate::names::SURNAMES;
    let given = crate::names::ELDERLY_FEMALE_GIVEN;
    format!("{}{}", surnames[k * 7 % surnames.len()].0, given[k / surnames.len() % given.len()])
}

/// A team of the community's district and the need's category, else of its
/// district, else the first: who would take it.
pub fn fitting_team(region: &DemoRegion, community: usize, category: &str) -> usize {
    let district = region.communities[community].district;
    let teams = &region.teams;
    teams
        .iter()
        .position(|t| t.district == district && t.category == category)
        .or_else(|| teams.iter().position(|t| t.district == district))
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use tongxing_domain::needs::{warning_level, WarningLevel, WarningLimits};

    #[test]
    fn a_year_is_mostly_closed_with_every_status_and_level_present() {
        let region = crate::generate(1, 0, 0);
        let all = year_of_needs(7, &region, 20_000);
        assert_eq!(all, year_of_needs(7, &region, 20_000), "deterministic");
        let open = all.iter().filter(|p| p.need.outcome.is_open()).count();
        assert!((400..=800).contains(&open), "about 3% open: {open}");
        for s in Status::ALL {
            assert!(all.iter().any(|p| p.need.outcome == s), "{s:?} missing");
        }
        let limits = WarningLimits::default();
        for level in WarningLevel::ALL {
            assert!(all.iter().any(|p| warning_level(&limits, p.need.outcome, p.need.waited_minutes) == level), "{level:?} missing");
        }
        let claim_limit = limits.claimed.orange;
        assert!(all.iter().filter(|p| p.need.outcome == Status::Claimed).all(|p| p.need.waited_minutes < claim_limit));
    }

    #[test]
    fn each_history_runs_forward_to_the_outcome_and_duplicates_point_back() {
        let region = crate::generate(1, 0, 0);
        let all = year_of_needs(3, &region, 5_000);
        for (i, p) in all.iter().enumerate() {
            assert_eq!(p.steps[0].0, Status::Submitted);
            assert_eq!(*p.steps.last().unwrap(), (p.need.outcome, p.need.waited_minutes));
            assert!(p.steps.windows(2).all(|w| w[0].0.can_become(w[1].0) && w[0].1 > w[1].1), "{:?}", p.steps);
            assert_eq!(p.team.is_some(), matches!(p.need.outcome, Status::Claimed | Status::Completed | Status::Rated));
            if let Some(j) = p.merged_into {
                assert!(j < i && all[j].merged_into.is_none() && all[j].need.title == p.need.title);
            }
            assert!(tongxing_domain::phone::normalize(&p.need.requester_phone).is_some());
        }
        let phones: std::collections::HashSet<&str> = all.iter().map(|p| p.need.requester_phone.as_str()).collect();
        assert!(phones.len() < all.len() * 9 / 10, "residents ask again");
    }
}
