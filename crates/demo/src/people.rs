//! Volunteers and beneficiaries: random but plausible, drawn from one seeded
//! generator so the same seed always yields the same people.

use rand::distributions::{Distribution, WeightedIndex};
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::Rng;

use crate::identity::Numbering;
use crate::names::{
    AVAILABILITY, CHILD_GIVEN, ELDERLY_FEMALE_GIVEN, ELDERLY_MALE_GIVEN, FEMALE_GIVEN, KIND_WEIGHTS, MALE_GIVEN, SKILLS, SURNAMES,
};
use crate::orgs;
use crate::{names, DemoBeneficiary, DemoCommunity, DemoTeam, DemoUnit, DemoVolunteer};

/// Share of volunteers who gave an ID number at registration.
const ID_SHARE: f64 = 0.7;
const PARTY_SHARE: f64 = 0.35;
const VEST_SHARE: f64 = 0.6;
const AVAILABILITY_SHARE: f64 = 0.65;
/// Share of volunteers who live in their unit's district; the rest live anywhere.
const LIVES_NEAR_WORK: f64 = 0.5;
/// Volunteers are adults born 1956–2006; the sum of two uniform draws peaks
/// around 1981, the working-age bulk of an oilfield workforce.
const BIRTH_YEAR_FIRST: u32 = 1956;
const BIRTH_YEAR_HALF_SPAN: u32 = 25;

/// The demo's search example: 张晓静 of 现河采油厂, found by "zxj".
const FIRST_VOLUNTEER: (&str, &str, &str) = ("张", "晓静", "现河采油厂");

/// Everything volunteer generation looks up, precomputed once so each of up to
/// 100,000 volunteers costs a handful of random draws.
pub struct Context<'a> {
    pub numbering: Numbering,
    pub communities: &'a [DemoCommunity],
    pub units: &'a [DemoUnit],
    pub teams: &'a [DemoTeam],
    pub districts: usize,
}

struct Tables {
    surnames: WeightedIndex<u32>,
    units: WeightedIndex<u32>,
    by_district: Vec<Vec<usize>>,
    pools: Vec<Vec<Vec<usize>>>,
}

impl Tables {
    fn new(ctx: &Context) -> Self {
        Tables {
            surnames: weighted(SURNAMES.iter().map(|s| s.1)),
            units: weighted(ctx.units.iter().map(|u| unit_weight(u.kind))),
            by_district: crate::places::communities_by_district(ctx.communities, ctx.districts),
            pools: orgs::team_pools(ctx.teams, ctx.units.len(), ctx.districts),
        }
    }
}

fn weighted(weights: impl IntoIterator<Item = u32>) -> WeightedIndex<u32> {
    WeightedIndex::new(weights).expect("demo weight tables are non-empty and positive")
}

/// Oilfield units are by far the largest employers in the region.
fn unit_weight(kind: &str) -> u32 {
    match kind {
        "oilfield_unit" => 8,
        "street_office" => 3,
        "school" => 2,
        _ => 1,
    }
}

pub fn volunteers(rng: &mut StdRng, ctx: &Context, count: usize) -> Vec<DemoVolunteer> {
    let tables = Tables::new(ctx);
    let mut vests = 0usize;
    let mut out: Vec<DemoVolunteer> = (0..count).map(|i| volunteer(rng, ctx, &tables, i, &mut vests)).collect();
    if let Some(first) = out.first_mut() {
        make_first_volunteer(first, ctx, rng);
    }
    out
}

fn volunteer(rng: &mut StdRng, ctx: &Context, tables: &Tables, index: usize, vests: &mut usize) -> DemoVolunteer {
    let female = rng.gen_bool(0.5);
    let given = if female { FEMALE_GIVEN } else { MALE_GIVEN };
    let name = format!("{}{}", SURNAMES[tables.surnames.sample(rng)].0, pick(rng, given));
    let unit = tables.units.sample(rng);
    let community = home_community(rng, tables, unit, ctx.communities.len());
    let district = ctx.communities[community].district;
    let id_number = id_number(rng, ctx, index, female);
    DemoVolunteer {
        name,
        phone: ctx.numbering.phone(index),
        id_number,
        unit,
        community,
        teams: pick_teams(rng, &tables.pools[unit][district]),
        skills: pick_skills(rng),
        party_member: rng.gen_bool(PARTY_SHARE),
        vest_number: vest_number(rng, vests),
        availability: rng.gen_bool(AVAILABILITY_SHARE).then(|| pick(rng, AVAILABILITY).to_string()),
    }
}

fn pick<'a>(rng: &mut StdRng, list: &[&'a str]) -> &'a str {
    list.choose(rng).copied().unwrap_or_default()
}

fn home_community(rng: &mut StdRng, tables: &Tables, unit: usize, communities: usize) -> usize {
    let near = &tables.by_district[orgs::unit_district(unit)];
    if !near.is_empty() && rng.gen_bool(LIVES_NEAR_WORK) {
        near[rng.gen_range(0..near.len())]
    } else {
        rng.gen_range(0..communities)
    }
}

fn id_number(rng: &mut StdRng, ctx: &Context, index: usize, female: bool) -> Option<String> {
    if !rng.gen_bool(ID_SHARE) {
        return None;
    }
    let year = BIRTH_YEAR_FIRST + rng.gen_range(0..=BIRTH_YEAR_HALF_SPAN) + rng.gen_range(0..=BIRTH_YEAR_HALF_SPAN);
    ctx.numbering.id_number(index, year, female)
}

/// Most volunteers serve in exactly one team; some in none yet, a few in two.
fn pick_teams(rng: &mut StdRng, pool: &[usize]) -> Vec<usize> {
    let count = match rng.gen_range(0..100) {
        0..=9 => 0,
        10..=84 => 1,
        _ => 2,
    };
    pool.choose_multiple(rng, count).copied().collect()
}

fn pick_skills(rng: &mut StdRng) -> Vec<String> {
    let count = match rng.gen_range(0..100) {
        0..=29 => 0,
        30..=64 => 1,
        65..=89 => 2,
        _ => 3,
    };
    SKILLS.choose_multiple(rng, count).map(|s| s.to_string()).collect()
}

/// Vests are numbered in issue order, so numbers are unique and dense.
fn vest_number(rng: &mut StdRng, issued: &mut usize) -> Option<String> {
    if !rng.gen_bool(VEST_SHARE) {
        return None;
    }
    *issued += 1;
    Some(format!("XC-{:06}", *issued))
}

/// Pins the search demo's volunteer. Draws from the generator only after all
/// volunteers exist, so the others are the same as without the override.
fn make_first_volunteer(first: &mut DemoVolunteer, ctx: &Context, rng: &mut StdRng) {
    let (surname, given, unit_name) = FIRST_VOLUNTEER;
    first.name = format!("{surname}{given}");
    let unit = ctx.units.iter().position(|u| u.name == unit_name).unwrap_or(first.unit);
    first.unit = unit;
    let own_team = (0..ctx.teams.len()).find(|&t| ctx.teams[t].unit == Some(unit));
    first.teams = vec![own_team.unwrap_or(0)];
    // A party member, so the demo shows 双进双报到 from her phone.
    first.party_member = true;
    if first.id_number.is_some() {
        let year = BIRTH_YEAR_FIRST + rng.gen_range(0..=2 * BIRTH_YEAR_HALF_SPAN);
        first.id_number = ctx.numbering.id_number(0, year, true);
    }
}

pub fn beneficiaries(rng: &mut StdRng, ctx: &Context, phone_base: usize, count: usize) -> Vec<DemoBeneficiary> {
    let surnames = weighted(SURNAMES.iter().map(|s| s.1));
    let kinds = weighted(KIND_WEIGHTS.iter().map(|k| k.1));
    (0..count)
        .map(|i| {
            let kind = KIND_WEIGHTS[kinds.sample(rng)].0;
            let given = beneficiary_given(rng, kind);
            let name = format!("{}{}", SURNAMES[surnames.sample(rng)].0, pick(rng, given));
            let community = rng.gen_range(0..ctx.communities.len());
            DemoBeneficiary {
                name,
                kind,
                community,
                phone: rng.gen_bool(0.75).then(|| ctx.numbering.phone(phone_base + i)),
                address: rng.gen_bool(0.9).then(|| address(rng, &ctx.communities[community].name)),
                notes: rng.gen_bool(0.9).then(|| pick(rng, names::notes_for(kind)).to_string()),
            }
        })
        .collect()
}

/// The elderly carry their generation's names; children theirs.
fn beneficiary_given(rng: &mut StdRng, kind: &str) -> &'static [&'static str] {
    let female = rng.gen_bool(0.5);
    match (kind, female) {
        ("elderly_alone", true) => ELDERLY_FEMALE_GIVEN,
        ("elderly_alone", false) => ELDERLY_MALE_GIVEN,
        ("child", _) => CHILD_GIVEN,
        (_, true) => FEMALE_GIVEN,
        (_, false) => MALE_GIVEN,
    }
}

/// 雅苑小区12号楼3单元401: building, stairwell, floor and flat.
fn address(rng: &mut StdRng, community: &str) -> String {
    let building = rng.gen_range(1..=40);
    let stairwell = rng.gen_range(1..=4);
    let floor = rng.gen_range(1..=6);
    let flat = rng.gen_range(1..=2);
    format!("{community}{building}号楼{stairwell}单元{floor}{flat:02}")
}
