//! Synthetic volunteers as a real region has them: 24 units of very
//! different sizes, people living in ~320 communities spread over about
//! 40 km around 37.45N 118.50E, one in five with one of a few skills, ages
//! from teenagers to the retired (some unknown), a third called in the last
//! two months with their invited/accepted history. Deterministic per seed.

use tongxing_domain::dispatch::pool::Person;
use tongxing_domain::dispatch::rank::CallSpec;

pub const CENTER: (f64, f64) = (37.45, 118.50);
pub const UNITS: i64 = 24;
pub const SKILLS: [&str; 5] = ["急救", "驾驶", "水电维修", "心理疏导", "医护"];
const DAY_MS: i64 = 86_400_000;
/// China Standard Time, the region's clock: a birthday starts at 16:00 UTC the day before.
pub const REGION_OFFSET_MS: i64 = 8 * 3_600_000;
/// 2026-07-01T02:00:00Z, the bench's "now".
pub const NOW_MS: i64 = 1_782_871_200_000;

pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }
    /// splitmix64
    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    pub fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
    pub fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }
}

/// A person as the pool sees them, and what only the database row has.
pub struct Synth {
    pub person: Person,
    pub community_id: i64,
    /// (year, month, day)
    pub birth: Option<(i64, u32, u32)>,
}

pub struct Region {
    /// (lat, lng) per community; community id = index + 1.
    pub communities: Vec<(f64, f64)>,
}

impl Region {
    pub fn new(seed: u64) -> Region {
        let mut rng = Rng::new(seed);
        let communities = (0..320)
            .map(|_| {
                // Uniform over a disc of 20 km radius.
                let r_km = 20.0 * rng.unit().sqrt();
                let a = rng.unit() * std::f64::consts::TAU;
                let lat = CENTER.0 + r_km * a.sin() / 111.195;
                let lng = CENTER.1 + r_km * a.cos() / (111.195 * CENTER.0.to_radians().cos());
                (lat, lng)
            })
            .collect();
        Region { communities }
    }

    /// `n` people with ids 1..=n.
    pub fn people(&self, n: usize, seed: u64) -> Vec<Synth> {
        let mut rng = Rng::new(seed);
        (1..=n as i64).map(|id| self.person(&mut rng, id)).collect()
    }

    fn person(&self, rng: &mut Rng, id: i64) -> Synth {
        // Unit sizes from a few hundred to several thousand per 100,000.
        let unit_id = 1 + rng.below(UNITS as u64).min(rng.below(UNITS as u64)) as i64;
        let community = rng.below(self.communities.len() as u64) as usize;
        let (lat, lng) = self.communities[community];
        let birth = (!rng.chance(0.04)).then(|| birth(rng));
        let skills = if rng.chance(0.2) { vec![SKILLS[rng.below(SKILLS.len() as u64) as usize].to_string()] } else { Vec::new() };
        let (last_called_ms, invited, accepted) = if rng.chance(0.33) {
            let invited = 1 + rng.below(12) as u32;
            let accepted = rng.below(u64::from(invited) + 1) as u32;
            (Some(NOW_MS - rng.below(60 * DAY_MS as u64) as i64), invited, accepted)
        } else {
            (None, 0, 0)
        };
        let person = Person {
            volunteer_id: id,
            unit_id,
            lat,
            lng,
            active: !rng.chance(0.03),
            adult_from_ms: birth.map(|(y, m, d)| midnight_ms(y + 18, m, d)),
            skills,
            last_called_ms,
            invited,
            accepted,
            // Nobody: the SQL side (b) has no such rule to agree with.
            served_until_ms: None,
        };
        Synth { person, community_id: community as i64 + 1, birth }
    }
}

fn birth(rng: &mut Rng) -> (i64, u32, u32) {
    (1950 + rng.below(62) as i64, 1 + rng.below(12) as u32, 1 + rng.below(28) as u32)
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
pub fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (i64::from(m) + 9) % 12;
    let doy = (153 * mp + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The date of a day number (inverse of `days_from_civil`).
pub fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

/// The region's midnight starting that date, in unix ms.
pub fn midnight_ms(y: i64, m: u32, d: u32) -> i64 {
    days_from_civil(y, m, d) * DAY_MS - REGION_OFFSET_MS
}

/// A 60-person call two hours from now at a point a little off the centre, 30 km radius.
pub fn call(skills: &[&str]) -> CallSpec {
    CallSpec {
        lat: CENTER.0 + 0.03,
        lng: CENTER.1 - 0.05,
        starts_ms: NOW_MS + 2 * 3_600_000,
        ends_ms: NOW_MS + 6 * 3_600_000,
        now_ms: NOW_MS,
        skills: skills.iter().map(|s| s.to_string()).collect(),
        unit_ids: Vec::new(),
        max_distance_km: 30.0,
        served_lately_after_ms: tongxing_domain::dispatch::rank::served_lately_after(NOW_MS + 2 * 3_600_000, 3),
    }
}
