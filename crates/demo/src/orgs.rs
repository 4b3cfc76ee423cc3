//! Member units (单位) and the region's 76 service teams (服务队). Both are
//! fixed, independent of the seed, so the demo always shows the seed
//! article's organisation chart.

use crate::{DemoCommunity, DemoTeam, DemoUnit};

/// How many teams the western region has (「先后组建了76支区域志愿服务队伍」).
pub const TEAM_COUNT: usize = 76;

/// (name, kind, home district). The first four oilfield units and the
/// coordination center are named in the source articles; the district is
/// internal: it decides which district-level teams a unit leads and where its
/// people tend to live.
pub const UNITS: &[(&str, &str, usize)] = &[
    ("石油开发中心", "oilfield_unit", 0),
    ("现河采油厂", "oilfield_unit", 3),
    ("勘探开发研究院", "oilfield_unit", 1),
    ("东胜公司", "oilfield_unit", 2),
    ("胜利采油厂", "oilfield_unit", 5),
    ("东辛采油厂", "oilfield_unit", 4),
    ("油气集输总厂", "oilfield_unit", 0),
    ("供水分公司", "oilfield_unit", 1),
    ("供电分公司", "oilfield_unit", 4),
    ("技术检测中心", "oilfield_unit", 3),
    ("物资供应处", "oilfield_unit", 2),
    ("井下作业公司", "oilfield_unit", 5),
    ("胜利街道办事处", "street_office", 0),
    ("文汇街道办事处", "street_office", 1),
    ("胜园街道办事处", "street_office", 2),
    ("黄河路街道办事处", "street_office", 3),
    ("辛店街道办事处", "street_office", 4),
    ("六户镇人民政府", "street_office", 5),
    ("胜利第一中学", "school", 0),
    ("胜利锦华小学", "school", 1),
    ("胜利第二中学", "school", 2),
    ("胜利职业学院", "school", 3),
    ("西城服务协调中心", "other", 0),
    ("胜利油田中心医院", "other", 1),
];

/// Chinese label of each service category as it appears in a team's name.
/// Covers every code in `tongxing_domain::category::CATEGORIES` (tested).
pub const CATEGORY_LABELS: &[(&str, &str)] = &[
    ("elderly_care", "助老"),
    ("disability_support", "助残"),
    ("child_care", "关爱儿童"),
    ("hardship_relief", "困难帮扶"),
    ("health", "健康义诊"),
    ("environment", "环境整治"),
    ("civility", "文明协管"),
    ("policy_outreach", "政策宣讲"),
    ("repair", "便民维修"),
    ("legal_aid", "法律援助"),
    ("counselling", "心理疏导"),
    ("emergency", "应急救援"),
    ("culture_sports", "文体活动"),
    ("education", "助学辅导"),
];

/// Categories each district-level team round walks through: district `d`
/// takes categories `(round + 3d) % 14`, so the districts' sets overlap but
/// together cover every category.
const DISTRICT_ROUNDS: usize = 8;
const DISTRICT_STRIDE: usize = 3;

/// What a community's own team does: the everyday, doorstep kinds of service.
const COMMUNITY_CATEGORIES: &[&str] =
    &["civility", "environment", "elderly_care", "repair", "policy_outreach", "health", "child_care", "culture_sports"];

/// Every fourth community team is run by residents themselves, without a unit.
const SELF_RUN_EVERY: usize = 4;

pub fn units() -> Vec<DemoUnit> {
    UNITS.iter().map(|&(name, kind, _)| DemoUnit { name: name.to_string(), kind }).collect()
}

pub fn unit_district(unit: usize) -> usize {
    UNITS[unit].2
}

/// District teams first (e.g. 现河片区助老服务队), led by the district's
/// oilfield units, schools and centers in turn; then community teams
/// (e.g. 雅苑小区文明协管服务队), led by the district's street office.
pub fn teams(districts: &[String], communities: &[DemoCommunity]) -> Vec<DemoTeam> {
    let mut teams = district_teams(districts);
    let wanted = TEAM_COUNT.saturating_sub(teams.len());
    teams.extend(community_teams(communities, districts.len()).into_iter().take(wanted));
    teams.truncate(TEAM_COUNT);
    teams
}

fn district_teams(districts: &[String]) -> Vec<DemoTeam> {
    let mut teams = Vec::new();
    for round in 0..DISTRICT_ROUNDS {
        for (d, district) in districts.iter().enumerate() {
            let (code, label) = CATEGORY_LABELS[(round + DISTRICT_STRIDE * d) % CATEGORY_LABELS.len()];
            let leaders = district_leaders(d);
            let unit = (!leaders.is_empty()).then(|| leaders[round % leaders.len()]);
            teams.push(DemoTeam { name: format!("{district}{label}服务队"), district: d, category: code, unit });
        }
    }
    teams
}

/// Communities ordered round-robin across districts, so that when only some
/// of them get a team, every district still gets its share.
fn community_teams(communities: &[DemoCommunity], districts: usize) -> Vec<DemoTeam> {
    let mut order: Vec<(usize, usize, usize)> = Vec::new();
    let mut seen = vec![0usize; districts];
    for (i, c) in communities.iter().enumerate() {
        order.push((seen[c.district], c.district, i));
        seen[c.district] += 1;
    }
    order.sort_unstable();
    order
        .into_iter()
        .enumerate()
        .map(|(n, (_, d, i))| {
            let code = COMMUNITY_CATEGORIES[n % COMMUNITY_CATEGORIES.len()];
            let unit = if n % SELF_RUN_EVERY == SELF_RUN_EVERY - 1 { None } else { street_office(d) };
            DemoTeam { name: format!("{}{}服务队", communities[i].name, label(code)), district: d, category: code, unit }
        })
        .collect()
}

/// Units that lead a district's district-level teams: everything but street
/// offices, which lead the community teams instead.
fn district_leaders(district: usize) -> Vec<usize> {
    (0..UNITS.len()).filter(|&u| UNITS[u].2 == district && UNITS[u].1 != "street_office").collect()
}

fn street_office(district: usize) -> Option<usize> {
    (0..UNITS.len()).find(|&u| UNITS[u].2 == district && UNITS[u].1 == "street_office")
}

pub fn label(code: &str) -> &'static str {
    CATEGORY_LABELS.iter().find(|c| c.0 == code).map_or("综合", |c| c.1)
}

/// For each (unit, district): the teams a volunteer of that unit living in that
/// district would plausibly join — the unit's own teams and the teams of the
/// district they live in. Falls back to every team when that is too few to
/// pick two distinct ones.
pub fn team_pools(teams: &[DemoTeam], units: usize, districts: usize) -> Vec<Vec<Vec<usize>>> {
    (0..units)
        .map(|u| {
            (0..districts)
                .map(|d| {
                    let pool: Vec<usize> = (0..teams.len()).filter(|&t| teams[t].unit == Some(u) || teams[t].district == d).collect();
                    if pool.len() >= 2 {
                        pool
                    } else {
                        (0..teams.len()).collect()
                    }
                })
                .collect()
        })
        .collect()
}
