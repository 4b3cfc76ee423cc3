//! 双进双报到 in the demo: grass-roots party organisations of the member
//! units registered with communities in their district (双进), and most
//! party members' reports to the community they live in (报到) — some after
//! a move (an earlier report to another community, kept in the history),
//! some not yet reported. The demo volunteer (张晓静) has not reported yet,
//! so her first screen asks her to.

use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};

use crate::DemoRegion;

/// Branches per oilfield unit; street offices and schools have one each.
const OILFIELD_BRANCHES: &[&str] = &["第一党支部", "第二党支部", "第三党支部"];
/// Share of party members who have reported, and of those who moved once.
const REPORTED_SHARE: f64 = 0.85;
const MOVED_SHARE: f64 = 0.08;
const DAY_MS: i64 = 86_400_000;
const SECRETARY_SURNAMES: &[&str] = &["王", "李", "刘", "陈", "杨", "赵", "孙", "周", "吴", "郑"];
const SECRETARY_GIVEN: &[&str] = &["建华", "立新", "卫东", "红梅", "海燕", "志刚", "玉梅", "宏伟", "国庆", "秀华"];

#[derive(Debug, Clone, PartialEq)]
pub struct DemoPartyOrg {
    pub name: String,
    /// Index into `DemoRegion::units`.
    pub unit: Option<usize>,
    /// Index into `DemoRegion::communities`: where it registered (双进).
    pub community: usize,
    pub secretary: String,
    pub phone: String,
}

/// One report: the latest of a member is current (`ended_at` none).
#[derive(Debug, Clone, PartialEq)]
pub struct DemoReport {
    /// Index into `DemoRegion::volunteers`.
    pub volunteer: usize,
    pub community: usize,
    /// Index into the organisations.
    pub org: Option<usize>,
    pub reported_at: i64,
    pub ended_at: Option<i64>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct DemoReportIn {
    pub orgs: Vec<DemoPartyOrg>,
    pub reports: Vec<DemoReport>,
}

/// The organisations: oilfield units' numbered branches (e.g. 石油开发中心第三党支部),
/// street offices' community branches, schools' branches, each registered
/// with a community of the unit's district.
fn orgs(rng: &mut StdRng, region: &DemoRegion) -> Vec<DemoPartyOrg> {
    let mut out = Vec::new();
    for (u, unit) in region.units.iter().enumerate() {
        let district = crate::orgs::unit_district(u);
        let near: Vec<usize> = (0..region.communities.len()).filter(|&c| region.communities[c].district == district).collect();
        let count = match unit.kind {
            "oilfield_unit" if u % 2 == 0 => 3,
            "oilfield_unit" => 2,
            _ => 1,
        };
        for branch in OILFIELD_BRANCHES.iter().take(count) {
            let community = *near.choose(rng).unwrap_or(&0);
            let name = match unit.kind {
                "oilfield_unit" => format!("{}{branch}", unit.name),
                // A street office's branch is the community's own (e.g. 雅苑社区党支部).
                "street_office" => format!("{}党支部", region.communities[community].name.replace("小区", "社区")),
                _ => format!("{}党支部", unit.name),
            };
            let secretary =
                format!("{}{}", SECRETARY_SURNAMES.choose(rng).unwrap_or(&"王"), SECRETARY_GIVEN.choose(rng).unwrap_or(&"建华"));
            let phone = format!("139{:08}", 5_460_000 + out.len());
            out.push(DemoPartyOrg { name, unit: Some(u), community, secretary, phone });
        }
    }
    out
}

/// The organisations and reports, reproducible from `seed`; times before `now`.
pub fn report_in(seed: u64, region: &DemoRegion, now: i64) -> DemoReportIn {
    let mut rng = StdRng::seed_from_u64(seed ^ 0x5151_0b0b);
    let orgs = orgs(&mut rng, region);
    let mut reports = Vec::new();
    for (i, v) in region.volunteers.iter().enumerate().skip(1) {
        if !v.party_member || !rng.gen_bool(REPORTED_SHARE) {
            continue;
        }
        let at = now - rng.gen_range(2..330) * DAY_MS - rng.gen_range(0..DAY_MS);
        let own: Vec<usize> = (0..orgs.len()).filter(|&o| orgs[o].unit == Some(v.unit) && orgs[o].community == v.community).collect();
        if rng.gen_bool(MOVED_SHARE) {
            let before = (v.community + 1 + rng.gen_range(0..region.communities.len() - 1)) % region.communities.len();
            let since = at - rng.gen_range(200..700) * DAY_MS;
            reports.push(DemoReport { volunteer: i, community: before, org: None, reported_at: since, ended_at: Some(at) });
        }
        reports.push(DemoReport {
            volunteer: i,
            community: v.community,
            org: own.choose(&mut rng).copied(),
            reported_at: at,
            ended_at: None,
        });
    }
    DemoReportIn { orgs, reports }
}
