//! The region's catalogue of service projects (服务项目): the source grew it
//! past 100, and every activity instantiates one of them (PRODUCT.md C5).

/// (category, project name): eight projects for each of the 14 categories.
pub const PROJECTS: &[(&str, &str)] = &[
    ("elderly_care", "独居老人上门探访"),
    ("elderly_care", "爱心助餐送餐"),
    ("elderly_care", "老年人智能手机课堂"),
    ("elderly_care", "敬老院义剪"),
    ("elderly_care", "陪老人就医"),
    ("elderly_care", "老人代购代办"),
    ("elderly_care", "重阳敬老文艺演出"),
    ("elderly_care", "居家养老安全检查"),
    ("disability_support", "助残出行陪护"),
    ("disability_support", "残疾人康复训练陪练"),
    ("disability_support", "无障碍设施巡查"),
    ("disability_support", "助残就业技能培训"),
    ("disability_support", "盲人读书会"),
    ("disability_support", "残疾人家庭清洁"),
    ("disability_support", "手语沟通课堂"),
    ("disability_support", "轮椅义务维修"),
    ("child_care", "四点半课堂"),
    ("child_care", "留守儿童陪伴"),
    ("child_care", "暑期子女照辅"),
    ("child_care", "儿童安全教育"),
    ("child_care", "亲子阅读会"),
    ("child_care", "儿童防溺水宣传"),
    ("child_care", "职工子女托管"),
    ("child_care", "六一游园会"),
    ("hardship_relief", "困难家庭走访慰问"),
    ("hardship_relief", "冬季送温暖"),
    ("hardship_relief", "爱心衣物捐赠"),
    ("hardship_relief", "困难职工子女助学"),
    ("hardship_relief", "爱心超市值守"),
    ("hardship_relief", "大病家庭帮扶"),
    ("hardship_relief", "节日慰问品发放"),
    ("hardship_relief", "一对一结对帮扶"),
    ("health", "社区义诊"),
    ("health", "测血压测血糖"),
    ("health", "健康知识讲座"),
    ("health", "无偿献血服务"),
    ("health", "中医理疗体验"),
    ("health", "急救知识培训"),
    ("health", "口腔健康检查"),
    ("health", "慢病随访"),
    ("environment", "楼道杂物清理"),
    ("environment", "绿化带捡拾垃圾"),
    ("environment", "垃圾分类督导"),
    ("environment", "河道巡护清理"),
    ("environment", "植树护绿"),
    ("environment", "小广告清理"),
    ("environment", "共享单车整理"),
    ("environment", "节能环保宣传"),
    ("civility", "文明交通劝导"),
    ("civility", "小区门口秩序维护"),
    ("civility", "文明养犬宣传"),
    ("civility", "公交站台文明引导"),
    ("civility", "邻里节"),
    ("civility", "文明楼院评比"),
    ("civility", "社区治安巡逻"),
    ("civility", "考点爱心服务"),
    ("policy_outreach", "住房公积金政策宣讲"),
    ("policy_outreach", "医保政策解读"),
    ("policy_outreach", "廉洁文化进社区"),
    ("policy_outreach", "清廉家风故事会"),
    ("policy_outreach", "反诈宣传"),
    ("policy_outreach", "退休手续办理指导"),
    ("policy_outreach", "养老金认证协助"),
    ("policy_outreach", "安全生产宣传"),
    ("repair", "家电义务维修"),
    ("repair", "水电暖上门检修"),
    ("repair", "磨刀修伞"),
    ("repair", "自行车电动车维修"),
    ("repair", "楼道照明维修"),
    ("repair", "燃气安全检查"),
    ("repair", "门窗锁具维修"),
    ("repair", "电脑手机维修"),
    ("legal_aid", "法律咨询进社区"),
    ("legal_aid", "劳动合同咨询"),
    ("legal_aid", "邻里纠纷调解"),
    ("legal_aid", "婚姻家庭法律讲座"),
    ("legal_aid", "遗嘱继承咨询"),
    ("legal_aid", "消费维权宣传"),
    ("legal_aid", "未成年人保护普法"),
    ("legal_aid", "民法典宣讲"),
    ("counselling", "独居老人心理陪伴"),
    ("counselling", "青少年心理辅导"),
    ("counselling", "职工减压沙龙"),
    ("counselling", "家庭关系辅导"),
    ("counselling", "考前心理疏导"),
    ("counselling", "心理热线值守"),
    ("counselling", "失独家庭关爱"),
    ("counselling", "退休适应小组"),
    ("emergency", "防汛巡查"),
    ("emergency", "暴雨后积水清理"),
    ("emergency", "消防演练"),
    ("emergency", "冬季扫雪除冰"),
    ("emergency", "应急救护演练"),
    ("emergency", "防震减灾宣传"),
    ("emergency", "应急物资清点"),
    ("emergency", "高温慰问一线职工"),
    ("culture_sports", "老年合唱排练"),
    ("culture_sports", "广场舞指导"),
    ("culture_sports", "社区运动会"),
    ("culture_sports", "书法绘画课堂"),
    ("culture_sports", "送春联"),
    ("culture_sports", "社区电影放映"),
    ("culture_sports", "太极拳晨练"),
    ("culture_sports", "油田历史讲解"),
    ("education", "初中数学辅导"),
    ("education", "英语角"),
    ("education", "科普进校园"),
    ("education", "读书分享会"),
    ("education", "作业辅导"),
    ("education", "职业技能培训"),
    ("education", "家长课堂"),
    ("education", "劳动实践课"),
];

/// The campaign theme (健康, 绿色, 幸福, 和谐, 清廉) an activity of a
/// project in `category` carries when it is not a district's theme day.
pub fn theme_of(category: &str, project: &str) -> &'static str {
    if project.contains("廉") {
        return "integrity";
    }
    match category {
        "health" | "counselling" => "health",
        "environment" => "green",
        "elderly_care" | "child_care" | "hardship_relief" | "culture_sports" | "education" => "happiness",
        "policy_outreach" => "integrity",
        _ => "harmony",
    }
}

/// Projects done outdoors or with tools: accident insurance is bought for them (条例 art. 17).
pub fn is_risky(project: &str) -> bool {
    ["河道", "防汛", "积水", "扫雪", "消防", "植树", "燃气", "水电暖"].iter().any(|k| project.contains(k))
}

/// Catalogue projects the center has retired: their activities stay, they
/// are no longer offered for new plans (several, as the seed's catalogue changed).
pub const RETIRED: [usize; 6] = [7, 29, 46, 61, 85, 110];

/// A project as the catalogue states it: the input the API takes, less the
/// owner, which is an index into the region's teams (or, with no team of
/// its category, its units).
#[derive(Debug, Clone)]
pub struct Catalogued {
    pub input: tongxing_domain::campaigns::projects::ProjectInput,
    pub team: Option<usize>,
    pub unit: Option<usize>,
}

/// Per category: typical minutes, places, roles, what to bring, and whether
/// only adults may come.
fn defaults(category: &str) -> (i64, i64, &'static [(&'static str, i64)], &'static str, bool) {
    match category {
        "elderly_care" => (120, 8, &[("陪护员", 4)], "志愿者马甲、工作证", false),
        "disability_support" => (120, 6, &[("陪护员", 3)], "志愿者马甲", false),
        "child_care" => (150, 10, &[("带班老师", 3), ("安全员", 2)], "志愿者马甲、签到表", false),
        "hardship_relief" => (120, 8, &[("走访员", 4)], "慰问物资清单、志愿者马甲", false),
        "health" => (180, 12, &[("医护志愿者", 4), ("引导员", 2)], "血压计、健康宣传册", false),
        "environment" => (120, 20, &[("组长", 2)], "手套、垃圾袋、夹子", false),
        "civility" => (90, 10, &[("引导员", 4)], "志愿者马甲、小红旗", false),
        "policy_outreach" => (90, 8, &[("讲解员", 2)], "宣传折页、展板", false),
        "repair" => (180, 6, &[("维修师傅", 3)], "工具箱、常用配件", true),
        "legal_aid" => (120, 4, &[("律师志愿者", 2)], "法律宣传资料", true),
        "counselling" => (90, 4, &[("心理咨询师", 2)], "预约登记表", true),
        "emergency" => (240, 30, &[("队长", 3), ("安全员", 3)], "雨衣、手电、对讲机", true),
        "culture_sports" => (120, 15, &[("组织员", 3)], "音响、场地布置物品", false),
        _ => (90, 10, &[("辅导老师", 4)], "教材、签到表", false),
    }
}

/// The demo catalogue: every project of `PROJECTS` with its defaults and owner.
pub fn catalogue(region: &crate::DemoRegion) -> Vec<Catalogued> {
    use tongxing_domain::activities::RoleInput;
    use tongxing_domain::campaigns::projects::ProjectInput;
    PROJECTS
        .iter()
        .enumerate()
        .map(|(i, (category, name))| {
            let (minutes, capacity, roles, bring, adults) = defaults(category);
            let fitting: Vec<usize> = region.teams.iter().enumerate().filter(|(_, t)| t.category == *category).map(|(k, _)| k).collect();
            let team = (!fitting.is_empty()).then(|| fitting[i % fitting.len()]);
            let unit = team.and_then(|t| region.teams[t].unit).or_else(|| (!region.units.is_empty()).then(|| i % region.units.len()));
            let risky = is_risky(name);
            let input = ProjectInput {
                name: name.to_string(),
                category: category.to_string(),
                theme: Some(theme_of(category, name).to_string()),
                description: Some(format!("「情暖西城 携手同行」服务项目：{name}。")),
                // Some projects run longer than their category's usual.
                default_minutes: Some(minutes + 30 * (i as i64 % 3)),
                default_capacity: Some(capacity),
                default_roles: roles.iter().map(|(n, c)| RoleInput { name: n.to_string(), capacity: *c }).collect(),
                risky,
                adults_only: adults || risky,
                what_to_bring: Some(bring.to_string()),
                unit_id: None,
                team_id: None,
            };
            Catalogued { input, team, unit }
        })
        .collect()
}
