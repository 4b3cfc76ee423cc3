//! The demo's recognition content (评选表彰): round titles, citations and
//! objections, picked deterministically by index.

/// A year's round of outstanding volunteers, teams, or emergency volunteers.
pub fn volunteer_round(year: i32) -> String {
    format!("{year} 年度优秀志愿者")
}

pub fn team_round(year: i32) -> String {
    format!("{year} 年度优秀志愿服务队")
}

pub fn emergency_round(year: i32) -> String {
    format!("{year} 年度优秀应急志愿者")
}

const CITATIONS: [&str; 8] = [
    "常年坚持为社区独居老人上门服务，风雨无阻，深受群众好评",
    "在防汛应急响应中第一时间报到，连续值守十余小时",
    "组织开展健康义诊和急救知识宣讲，服务居民上千人次",
    "带领队员认领群众点单需求，件件有回音、事事有着落",
    "热心参与垃圾分类督导和绿色家园建设，带动身边人参与",
    "每周陪伴困境儿童学习，耐心细致，被孩子们亲切地称为大朋友",
    "在疫情防控和应急救援中冲锋在前，展现了志愿者的担当",
    "扎根社区多年，调解邻里纠纷，助力和谐社区建设",
];

/// The citation (事迹) of the `i`th nominee.
pub fn citation(i: usize) -> &'static str {
    CITATIONS[i % CITATIONS.len()]
}

/// The two objections to this year's round: the first is investigated and
/// not upheld, the second is still open.
pub const OBJECTIONS: [(&str, Option<&str>, Option<&str>); 2] = [
    ("听说该同志部分服务时长是补录的，请核实", Some("陈先生"), Some("13955550101")),
    ("该同志所在小区有居民反映服务态度一般，希望核实", None, None),
];

/// The objection to this year's emergency round, still open after its
/// notice ran out: the one thing between it and publication.
pub const EMERGENCY_OBJECTION: &str = "该同志今年汛期只参加了一次应急出勤，是否够格请再核实";

/// The finding on the first objection.
pub const FINDING: &str = "经核查，补录时长均有活动签到记录和队长确认，异议不成立";
