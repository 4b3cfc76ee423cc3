//! The demo's 技能传承, at the second article's scale: 张晓静 (the demo
//! volunteer) with her certifications in 采油, 注水, 集输 and 集输(信息化);
//! twelve classes of nine lessons for about 400 workers; the competitions she
//! coached (6 entrants, 5 awarded; 3 of 3); her 39 apprentices, whose
//! outcomes (18 高级工, 8 技师, 3 高级技师, all certified in 集输(信息化), 23 awarded)
//! the mentor's page computes from the certifications written here; and a
//! problem board with 36 problems her team solved — she the first proposer
//! of the 撬装式伴生气净化装置 — and others at every step.

use tongxing_demo::DemoRegion;
use tongxing_store::skills::attachments::{self, NewAttachment};
use tongxing_store::skills::competitions::{self, NewCompetition, NewEntry};
use tongxing_store::skills::ladder::{self as certs, NewCertification};
use tongxing_store::skills::mentoring::{self as mentoring, NewMentorship};
use tongxing_store::skills::problems::{self as problems, NewProblem};
use tongxing_store::skills::training::{self as training, NewTraining};
use tongxing_store::users;

use crate::demo::RegionIds;
use crate::{Result, Service};

const TRADES: [(&str, &str); 4] = [("cy", "采油"), ("zs", "注水"), ("js", "集输"), ("jsx", "集输(信息化)")];
const ISSUER: &str = "胜利油田职业技能鉴定中心";
const DAY_MS: i64 = 86_400_000;
const TOPICS: [&str; 9] =
    ["安全规程", "设备原理", "故障诊断", "现场操作", "仪表与自控", "数据采集", "工艺计算", "案例分析", "实操考核辅导"];

fn cert(person: i64, trade: i64, level: i64, on: String, no: String) -> NewCertification {
    NewCertification {
        volunteer_id: person,
        trade_id: trade,
        level,
        certified_on: on,
        certificate_no: no,
        issuer: ISSUER.into(),
        direct_reason: None,
        by: None,
    }
}

/// One certification per level from 初级工 up to `top`, the first in `first_year`, every `gap` years.
fn ladder(person: i64, trade: i64, code: &str, top: i64, first_year: i64, gap: i64) -> Vec<NewCertification> {
    (1..=top).map(|l| cert(person, trade, l, format!("{}-03-15", first_year + (l - 1) * gap), format!("{code}-{person}-{l}"))).collect()
}

impl Service {
    /// Returns how many certifications it wrote.
    pub(crate) async fn load_demo_skills(&self, region: &DemoRegion, ids: &RegionIds, now: i64) -> Result<usize> {
        let db = &self.db;
        let demo_rules = [(1, 2, 30), (2, 3, 60)];
        let mut trade = Vec::new();
        for (code, name) in TRADES {
            trade.push(certs::insert_trade(db, code, name, &demo_rules).await?);
        }
        let her = ids.volunteers[0];
        let people = &ids.volunteers[1..ids.volunteers.len().min(401)];
        let mut all = Vec::new();
        // Technician in 采油 and 注水, senior technician in 集输 and 集输(信息化).
        for (t, top) in [(0, 4), (1, 4), (2, 5), (3, 5)] {
            all.extend(ladder(her, trade[t], TRADES[t].0, top, 1996 + t as i64, 4));
        }
        // Her 39 apprentices in 集输 since 2016: 10 reach 中级工, 18 高级工, 8 技师, 3 高级技师,
        // and each passes the informatisation (集输(信息化)) certification.
        let apprentices = &people[..people.len().min(39)];
        let mut agreements = Vec::new();
        for (i, &a) in apprentices.iter().enumerate() {
            let top = match i {
                0..=17 => 3,
                18..=25 => 4,
                26..=28 => 5,
                _ => 2,
            };
            all.push(cert(a, trade[2], 1, "2015-06-01".into(), format!("js-{a}-1")));
            all.extend((2..=top).map(|l| cert(a, trade[2], l, format!("{}-06-01", 2016 + (l - 1) * 2), format!("js-{a}-{l}"))));
            all.push(cert(a, trade[3], 1, format!("{}-09-01", 2019 + (i as i64 % 4)), format!("jsx-{a}-1")));
            agreements.push(NewMentorship {
                mentor_id: her,
                apprentice_id: a,
                trade_id: trade[2],
                from_level: 1,
                target_level: top.max(3),
                starts_on: "2016-01-01".into(),
                ends_on: "2025-12-31".into(),
                goals: Some("第一年掌握集输工艺与安全规程；第二年独立顶岗；第三年考取高级工".into()),
                by: None,
            });
        }
        mentoring::insert(db, &agreements).await?;
        // The other workers hold 初级工 in the trade of their class, some long enough to apply now.
        let trainees = &people[apprentices.len()..];
        for (i, &p) in trainees.iter().enumerate() {
            let t = i % 3;
            all.push(cert(p, trade[t], 1, format!("{}-{:02}-10", 2022 + (i as i64 % 3), 1 + i % 12), format!("{}-{p}-1", TRADES[t].0)));
        }
        certs::insert(db, &all).await?;
        let her_unit = ids.units[region.volunteers[0].unit];
        self.load_demo_competitions(her, trade[2], her_unit, apprentices, &people[apprentices.len()..]).await?;
        self.load_demo_classes(her, &trade, people).await?;
        self.load_demo_problems(region, ids, &trade, now).await?;
        Ok(all.len())
    }

    /// The competitions she coached — the oilfield's (6 entrants, 5 awarded)
    /// and the province's (3 of 3) — and eight yearly contests of her unit
    /// another coach led, so that 23 of her apprentices hold an award.
    async fn load_demo_competitions(&self, her: i64, js: i64, her_unit: i64, apprentices: &[i64], others: &[i64]) -> Result<()> {
        if apprentices.len() < 39 || others.len() < 40 {
            return Ok(());
        }
        let contest = |title: String, level: &str, unit: Option<i64>, on: String| NewCompetition {
            title,
            level: level.into(),
            trade_id: js,
            unit_id: unit,
            held_on: on,
            by: None,
        };
        let mut list = vec![
            contest("胜利油田集输工职业技能竞赛".into(), "oilfield", None, "2019-10-18".into()),
            contest("山东省油气集输工职业技能大赛".into(), "province", None, "2021-09-24".into()),
        ];
        list.extend(
            (0..8).map(|k| {
                contest(format!("东胜公司集输工技能比武（{}年）", 2017 + k), "unit", Some(her_unit), format!("{}-11-08", 2017 + k))
            }),
        );
        let ids = competitions::insert(&self.db, &list).await?;
        let entry = |c: i64, person: i64, coach: Option<i64>, rank: i64, award: Option<&'static str>| NewEntry {
            competition_id: c,
            person_id: person,
            coach_id: coach,
            rank: Some(rank),
            award,
            prize: (award == Some("special")).then(|| "最佳操作奖".to_string()),
            by: None,
        };
        let oilfield = [Some("gold"), Some("silver"), Some("bronze"), Some("bronze"), Some("special"), None];
        let mut entries: Vec<NewEntry> =
            oilfield.iter().enumerate().map(|(i, a)| entry(ids[0], apprentices[i], Some(her), i as i64 + 1, *a)).collect();
        let province = [Some("gold"), Some("silver"), Some("bronze")];
        entries.extend(province.iter().enumerate().map(|(i, a)| entry(ids[1], apprentices[6 + i], Some(her), i as i64 + 1, *a)));
        // Apprentices 9..=23 win once each at their unit's contest; others take part unplaced.
        let coach = Some(others[others.len() - 1]);
        for (k, &c) in ids[2..].iter().enumerate() {
            let winners = (9 + 2 * k..(11 + 2 * k).min(24)).map(|i| apprentices[i]);
            let mut rank = 0;
            for (n, w) in winners.enumerate() {
                rank += 1;
                entries.push(entry(c, w, coach, rank, Some(if n == 0 { "silver" } else { "bronze" })));
            }
            for p in [apprentices[24 + k], others[3 * k], others[3 * k + 1]] {
                rank += 1;
                entries.push(entry(c, p, coach, rank, None));
            }
        }
        competitions::record(&self.db, &entries).await?;
        Ok(())
    }

    /// Twelve classes of nine lessons in 2025, taught by her, about 33 workers each.
    async fn load_demo_classes(&self, her: i64, trade: &[i64], people: &[i64]) -> Result<()> {
        let db = &self.db;
        let per = people.len().div_ceil(12).max(1);
        for (k, group) in people.chunks(per).enumerate() {
            let t = k % 3;
            let month = 1 + k as u32 % 12;
            let lessons = TOPICS
                .iter()
                .enumerate()
                .map(|(d, topic)| (format!("2025-{month:02}-{:02}", 3 + d * 2), (*topic).to_string(), 4.0))
                .collect();
            let class = NewTraining {
                title: format!("{}工技能提升培训班（第{}期）", TRADES[t].1, k + 1),
                trade_id: trade[t],
                level: Some(2),
                unit_id: None,
                starts_on: format!("2025-{month:02}-01"),
                ends_on: format!("2025-{month:02}-25"),
                capacity: 40,
                pass_mark: 60,
                teachers: vec![her],
                lessons,
                by: None,
            };
            let id = training::insert(db, &class).await?;
            let results: Vec<_> = group
                .iter()
                .enumerate()
                .map(|(i, &p)| {
                    let score = 52 + ((i * 37 + k * 11) % 47) as i64;
                    (id, p, score, score >= 60)
                })
                .collect();
            training::insert_results(db, &results).await?;
            for (n, lesson) in training::lesson_ids(db, id).await?.into_iter().enumerate() {
                let present: Vec<i64> = group.iter().enumerate().filter(|(i, _)| (i + n) % 9 != 0).map(|(_, &p)| p).collect();
                training::attend(db, lesson, &present).await?;
            }
        }
        Ok(())
    }

    /// 36 problems solved by her team, the first hers with its award, and
    /// two dozen others at every step.
    async fn load_demo_problems(&self, region: &DemoRegion, ids: &RegionIds, trade: &[i64], now: i64) -> Result<()> {
        let her = ids.volunteers[0];
        let her_unit = ids.units[region.volunteers[0].unit];
        let her_team = region.volunteers[0].teams.first().map(|t| ids.teams[*t]);
        let others: Vec<i64> = ids.teams.iter().copied().filter(|t| Some(*t) != her_team).take(6).collect();
        let mut list = Vec::new();
        let mut steps_of: Vec<&[&str]> = Vec::new();
        const SOLVED: &[&str] = &["claimed", "solution", "field_test", "rolled_out", "closed"];
        const ALL_STEPS: [&[&str]; 5] = [
            &[],
            &["claimed"],
            &["claimed", "solution"],
            &["claimed", "solution", "field_test"],
            &["claimed", "solution", "field_test", "rolled_out"],
        ];
        for i in 0..60usize {
            let (title, status, team, award, proposer, steps) = if i < 36 {
                let title = if i == 0 {
                    "伴生气含硫化氢无法回收——撬装式伴生气净化装置".to_string()
                } else {
                    format!("集输一线生产难题第{}号", i + 1)
                };
                let proposer = if i % 3 == 0 { her } else { ids.volunteers[1 + i % 39] };
                (title, "closed", her_team, (i == 0).then(|| "最佳创意方案".to_string()), proposer, SOLVED)
            } else {
                let s = ALL_STEPS[i % 5];
                let status = s.last().copied().unwrap_or("proposed");
                (
                    format!("一线生产难题征集第{}号", i + 1),
                    status,
                    (!s.is_empty()).then(|| others.get(i % others.len().max(1)).copied()).flatten(),
                    None,
                    ids.volunteers[41 + i],
                    s,
                )
            };
            let team = if steps.is_empty() { None } else { team };
            let status = if team.is_none() { "proposed" } else { status };
            list.push(NewProblem {
                title,
                description: "现场反映的问题、发生地点与影响，见附件说明".into(),
                unit_id: if i < 36 { her_unit } else { ids.units[i % ids.units.len()] },
                trade_id: Some(trade[if i < 36 { 2 } else { i % 3 }]),
                site: Some(format!("{}号计量站", 1 + i % 17)),
                impact: Some("影响生产时率，增加能耗".into()),
                proposer_id: proposer,
                proposed_at: now - (400 - i as i64 * 5) * DAY_MS,
                status,
                team_id: team,
                award,
            });
            steps_of.push(if team.is_none() { &[] } else { steps });
        }
        let problem_ids = problems::insert(&self.db, &list).await?;
        let mut rows = Vec::new();
        for ((id, p), steps) in problem_ids.iter().zip(&list).zip(steps_of) {
            for (n, step) in steps.iter().enumerate() {
                rows.push((*id, *step, format!("{}：记录于现场", p.title), p.proposed_at + (n as i64 + 1) * 7 * DAY_MS, p.team_id));
            }
        }
        problems::insert_steps(&self.db, &rows).await?;
        self.load_demo_drawings(&problem_ids, &list).await
    }

    /// A small drawing on two problems, kept by the center: the
    /// 撬装式伴生气净化装置's solution, and a problem waiting for a team.
    async fn load_demo_drawings(&self, ids: &[i64], list: &[NewProblem]) -> Result<()> {
        let Some((center, _)) = users::by_login(&self.db, "coordinator").await? else { return Ok(()) };
        let waiting = ids.iter().zip(list).find(|(_, p)| p.status == "proposed").map(|(id, p)| (*id, p.proposed_at));
        let png = drawing_png();
        let drawing = |problem_id: i64, step: &'static str, file_name: &'static str| NewAttachment {
            problem_id,
            step,
            file_name,
            content_type: "image/png",
            bytes: &png,
            by: center.id,
        };
        let mut rows = Vec::new();
        if let (Some(first), Some(p)) = (ids.first(), list.first()) {
            rows.push((drawing(*first, "solution", "撬装式伴生气净化装置流程图.png"), p.proposed_at + 14 * DAY_MS));
        }
        if let Some((id, at)) = waiting {
            rows.push((drawing(id, "problem", "现场示意图.png"), at + DAY_MS));
        }
        attachments::insert_many(&self.db, &rows).await?;
        Ok(())
    }
}

/// A 24 × 16 grey drawing as a PNG of about 450 bytes — a frame, a pipe and
/// a valve — stored uncompressed (a zlib "stored" block), so it needs no
/// compressor and stays a few hundred bytes.
fn drawing_png() -> Vec<u8> {
    const W: usize = 24;
    const H: usize = 16;
    let mut raw = Vec::with_capacity(H * (W + 1));
    for y in 0..H {
        raw.push(0); // filter: none
        for x in 0..W {
            let frame = x == 0 || y == 0 || x == W - 1 || y == H - 1;
            let pipe = y == H / 2 && (2..W - 2).contains(&x);
            let valve = (W / 2 - 2..=W / 2 + 2).contains(&x) && (H / 2 - 2..=H / 2 + 2).contains(&y) && (x + y) % 2 == 0;
            raw.push(if frame || pipe || valve { 40 } else { 250 });
        }
    }
    let mut zlib = vec![0x78, 0x01, 0x01];
    let len = raw.len() as u16;
    zlib.extend_from_slice(&len.to_le_bytes());
    zlib.extend_from_slice(&(!len).to_le_bytes());
    zlib.extend_from_slice(&raw);
    let (a, b) = raw.iter().fold((1u32, 0u32), |(a, b), &x| {
        let a = (a + u32::from(x)) % 65521;
        (a, (b + a) % 65521)
    });
    zlib.extend_from_slice(&((b << 16) | a).to_be_bytes());
    let mut ihdr = Vec::new();
    ihdr.extend_from_slice(&(W as u32).to_be_bytes());
    ihdr.extend_from_slice(&(H as u32).to_be_bytes());
    ihdr.extend_from_slice(&[8, 0, 0, 0, 0]); // 8-bit greyscale, deflate, no filter, no interlace
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    for (kind, data) in [(&b"IHDR"[..], &ihdr[..]), (b"IDAT", &zlib), (b"IEND", &[])] {
        png.extend_from_slice(&(data.len() as u32).to_be_bytes());
        let start = png.len();
        png.extend_from_slice(kind);
        png.extend_from_slice(data);
        let crc = crc32(&png[start..]);
        png.extend_from_slice(&crc.to_be_bytes());
    }
    png
}

/// The CRC-32 a PNG chunk ends with (the IEEE polynomial, bit by bit: the
/// demo computes three small ones).
fn crc32(bytes: &[u8]) -> u32 {
    !bytes.iter().fold(!0u32, |c, &b| (0..8).fold(c ^ u32::from(b), |c, _| if c & 1 == 1 { (c >> 1) ^ 0xEDB8_8320 } else { c >> 1 }))
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_demo_drawing_is_a_small_png() {
        let png = super::drawing_png();
        assert_eq!(tongxing_domain::skills::attachments::sniff(&png), Some(tongxing_domain::skills::attachments::FileKind::Png));
        assert!(png.len() < 600, "{} bytes", png.len());
        assert_eq!(super::crc32(b"IEND"), 0xAE42_6082, "the IEND chunk's well-known CRC");
    }
}
