//! The western region (西城) of Dongying: its districts (片区) and residential
//! communities (小区/社区). Fixed data, so every demo shows the same map.

use crate::DemoCommunity;

/// Districts of the western region; a community's `district` indexes this list.
pub const DISTRICTS: &[&str] = &["西城中心片区", "文汇片区", "胜园片区", "现河片区", "辛店片区", "胜采片区"];

/// (name, district index, latitude, longitude). Coordinates sit inside the
/// Dongying western city box (37.40–37.50 N, 118.40–118.60 E), clustered by
/// district so distance-based ranking in the dispatch demo behaves plausibly.
pub const COMMUNITIES: &[(&str, usize, f64, f64)] = &[
    // 西城中心片区 — the seed article's 雅苑小区 is here.
    ("雅苑小区", 0, 37.4612, 118.4935),
    ("振兴小区", 0, 37.4581, 118.5012),
    ("丽景小区", 0, 37.4647, 118.4868),
    ("华苑小区", 0, 37.4559, 118.4897),
    ("广场小区", 0, 37.4673, 118.5061),
    ("西城花园", 0, 37.4625, 118.5108),
    // 文汇片区
    ("文汇小区", 1, 37.4488, 118.5231),
    ("康乐小区", 1, 37.4452, 118.5317),
    ("安康小区", 1, 37.4519, 118.5402),
    ("书香苑小区", 1, 37.4431, 118.5486),
    ("胜华小区", 1, 37.4505, 118.5553),
    ("滨河小区", 1, 37.4417, 118.5198),
    // 胜园片区
    ("胜园小区", 2, 37.4712, 118.5265),
    ("幸福小区", 2, 37.4756, 118.5348),
    ("金山小区", 2, 37.4689, 118.5433),
    ("悦来小区", 2, 37.4803, 118.5521),
    ("胜兴小区", 2, 37.4771, 118.5619),
    ("新安小区", 2, 37.4837, 118.5402),
    // 现河片区
    ("现河小区", 3, 37.4305, 118.4462),
    ("河口小区", 3, 37.4268, 118.4541),
    ("油建小区", 3, 37.4349, 118.4387),
    ("钻井小区", 3, 37.4221, 118.4618),
    ("运输小区", 3, 37.4382, 118.4693),
    ("胜中小区", 3, 37.4287, 118.4305),
    // 辛店片区
    ("辛店小区", 4, 37.4152, 118.4887),
    ("东辛小区", 4, 37.4109, 118.4973),
    ("供电小区", 4, 37.4196, 118.5058),
    ("建工小区", 4, 37.4078, 118.5136),
    ("胜南小区", 4, 37.4233, 118.5211),
    ("安泰小区", 4, 37.4127, 118.5302),
    // 胜采片区
    ("胜采小区", 5, 37.4821, 118.4426),
    ("采油小区", 5, 37.4865, 118.4352),
    ("胜利花苑", 5, 37.4788, 118.4519),
    ("胜北小区", 5, 37.4759, 118.4253),
    ("集输小区", 5, 37.4902, 118.4178),
    ("井下小区", 5, 37.4933, 118.4611),
];

pub fn districts() -> Vec<String> {
    DISTRICTS.iter().map(|d| d.to_string()).collect()
}

pub fn communities() -> Vec<DemoCommunity> {
    COMMUNITIES.iter().map(|&(name, district, lat, lng)| DemoCommunity { name: name.to_string(), district, lat, lng }).collect()
}

/// Community indices grouped by district, for "live near your workplace" picks.
pub fn communities_by_district(communities: &[DemoCommunity], districts: usize) -> Vec<Vec<usize>> {
    let mut by_district = vec![Vec::new(); districts];
    for (i, c) in communities.iter().enumerate() {
        by_district[c.district].push(i);
    }
    by_district
}
