//! Demo needs: what residents of the region ask for, spread over every step
//! of the marketplace and every warning level, so the coordinator's queue
//! looks like a real working day.

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use tongxing_domain::needs::{Status, WarningLimits};

use crate::DemoRegion;

/// (category, title, description) of requests as residents word them.
pub(crate) const REQUESTS: &[(&str, &str, &str)] = &[
    ("elderly_care", "帮独居老人代购药品", "老人腿脚不便，需要每周代购一次常用药。"),
    ("elderly_care", "陪老人去医院复查", "子女在外地，老人下周二需去油田中心医院复查。"),
    ("repair", "厨房水管漏水", "水管接头老化漏水，家里只有老两口。"),
    ("repair", "楼道灯坏了", "三单元楼道灯不亮，晚上老人上下楼不安全。"),
    ("repair", "帮忙修理电动车", "电动车充不上电，上班需要用。"),
    ("hardship_relief", "困难家庭冬季取暖", "家中有病人，取暖费有困难，希望帮助联系救助。"),
    ("child_care", "放学后托管孩子", "双职工家庭，孩子放学后无人看护两小时。"),
    ("education", "初中数学辅导", "孩子数学跟不上，希望有志愿者周末辅导。"),
    ("health", "社区义诊测血压", "小区老人多，希望组织一次测血压、测血糖。"),
    ("environment", "清理楼前绿化带垃圾", "绿化带里堆了很多杂物，影响环境。"),
    ("civility", "小区门口乱停车劝导", "早高峰门口车辆乱停，需要文明劝导。"),
    ("policy_outreach", "讲解住房公积金政策", "不少员工对公积金提取政策不清楚。"),
    ("legal_aid", "咨询劳动合同问题", "想了解续签劳动合同的注意事项。"),
    ("counselling", "独居老人心理陪伴", "老伴去世后老人情绪低落，希望有人常来聊聊。"),
    ("disability_support", "帮助残疾人出行", "需要有人推轮椅陪同去银行办事。"),
    ("culture_sports", "组织老年人合唱排练", "社区合唱队缺少钢琴伴奏和组织者。"),
    ("emergency", "暴雨后清理地下室积水", "地下室进水，需要人手帮忙排水清理。"),
];

/// Where the demo's needs stand, with weights: mostly open, some finished.
const OUTCOMES: &[(Status, u32)] = &[
    (Status::Submitted, 20),
    (Status::Published, 25),
    (Status::Claimed, 20),
    (Status::Completed, 12),
    (Status::Rated, 15),
    (Status::Rejected, 5),
    (Status::Cancelled, 3),
];

pub(crate) const CHANNELS: &[(&str, u32)] = &[("online", 50), ("observer", 20), ("liaison", 15), ("joint_meeting", 10), ("hotline", 5)];

#[derive(Debug, Clone, PartialEq)]
pub struct DemoNeed {
    pub category: &'static str,
    pub title: &'static str,
    pub description: &'static str,
    /// Index into `DemoRegion::communities`.
    pub community: usize,
    pub requester_name: String,
    pub requester_phone: String,
    pub channel: &'static str,
    /// The step the need has reached.
    pub outcome: Status,
    /// How long it has waited at that step, in minutes (spreads the warning levels).
    pub waited_minutes: i64,
    /// For rated needs.
    pub stars: i64,
}

pub(crate) fn weighted<T: Copy>(rng: &mut StdRng, items: &[(T, u32)]) -> T {
    let total: u32 = items.iter().map(|i| i.1).sum();
    let mut pick = rng.gen_range(0..total);
    for (item, w) in items {
        if pick < *w {
            return *item;
        }
        pick -= w;
    }
    items[0].0
}

/// Open needs get a waiting time inside the band of a level drawn with the
/// weights below, so the queue shows every level, mostly calm; finished
/// needs get any age within a month.
fn waiting(rng: &mut StdRng, outcome: Status) -> i64 {
    if outcome.is_open() {
        waiting_at(rng, outcome, LEVEL_WEIGHTS)
    } else {
        rng.gen_range(0..30 * 24 * 60)
    }
}

/// How often an open need sits at each warning level, none to red.
pub(crate) const LEVEL_WEIGHTS: &[(usize, u32)] = &[(0, 40), (1, 25), (2, 15), (3, 10), (4, 10)];

/// A waiting time at open step `outcome` inside the band of a level drawn from `levels`.
pub(crate) fn waiting_at(rng: &mut StdRng, outcome: Status, levels: &[(usize, u32)]) -> i64 {
    let l = WarningLimits::default().for_status(outcome).expect("open steps have limits");
    let bands = [(0, l.blue), (l.blue, l.yellow), (l.yellow, l.orange), (l.orange, l.red), (l.red, l.red * 2)];
    let (lo, hi) = bands[weighted(rng, levels)];
    rng.gen_range(lo..hi)
}

/// The phone of demo resident `k`: distinct for every `k` below 89,999,999.
pub(crate) fn requester_phone(k: usize) -> String {
    format!("177{:08}", 10_000_000 + k * 7_919 % 89_999_999)
}

/// `n` needs in `region`'s communities; same seed, same needs. Phones use the
/// 177 prefix, which the demo's people never get, so they collide with nobody.
pub fn needs(seed: u64, region: &DemoRegion, n: usize) -> Vec<DemoNeed> {
    let mut rng = StdRng::seed_from_u64(seed ^ 0x6e65_6564);
    (0..n)
        .map(|i| {
            let (category, title, description) = REQUESTS[rng.gen_range(0..REQUESTS.len())];
            let outcome = weighted(&mut rng, OUTCOMES);
            let waited_minutes = waiting(&mut rng, outcome);
            let surname = crate::names::SURNAMES[rng.gen_range(0..crate::names::SURNAMES.len())].0;
            let given = crate::names::ELDERLY_FEMALE_GIVEN[rng.gen_range(0..crate::names::ELDERLY_FEMALE_GIVEN.len())];
            DemoNeed {
                category,
                title,
                description,
                community: rng.gen_range(0..region.communities.len()),
                requester_name: format!("{surname}{given}"),
                requester_phone: requester_phone(i),
                channel: weighted(&mut rng, CHANNELS),
                outcome,
                waited_minutes,
                stars: if rng.gen_bool(0.8) { 5 } else { rng.gen_range(3..=4) },
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use tongxing_domain::needs::{warning_level, WarningLevel};

    #[test]
    fn demo_needs_cover_every_status_and_warning_level() {
        let region = crate::generate(1, 200, 10);
        let all = needs(7, &region, 300);
        assert_eq!(all, needs(7, &region, 300), "deterministic");
        for s in
            [Status::Submitted, Status::Published, Status::Claimed, Status::Completed, Status::Rated, Status::Rejected, Status::Cancelled]
        {
            assert!(all.iter().any(|n| n.outcome == s), "{s:?} missing");
        }
        let limits = WarningLimits::default();
        for level in WarningLevel::ALL {
            assert!(all.iter().any(|n| warning_level(&limits, n.outcome, n.waited_minutes) == level), "{level:?} missing");
        }
        for n in &all {
            assert!(tongxing_domain::phone::normalize(&n.requester_phone).is_some(), "{}", n.requester_phone);
        }
    }
}
