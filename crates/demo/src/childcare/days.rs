//! The class days of the demo's terms: who came and went, meals, naps,
//! notes and incidents, the absences guardians reported, and the
//! caretakers' shifts — the past term's whole, the running term's so far.

use chrono::Duration;
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::Rng;

use super::{at, class_days, region_day, DemoAbsence, DemoChild, DemoClass, DemoDay, DemoShift, DemoTerm};

/// Share of a class's days a child comes.
const ATTENDANCE: f64 = 0.93;
const NOTES: &[&str] =
    &["练习书法", "阅读绘本", "完成暑假作业", "手工折纸", "学唱红歌", "户外跳绳", "安全教育课", "观看科普影片", "绘画", "下象棋"];
const INCIDENTS: &[(&str, &str)] = &[
    ("课间跑跳时擦伤膝盖", "已消毒包扎，孩子情绪稳定"),
    ("午饭后轻微呕吐", "已联系家长，观察后无碍"),
    ("与同学争执推搡", "已分开安抚，双方和好"),
    ("午休时流鼻血", "已止血，休息后恢复"),
];

/// Why a guardian reported a child absent (请假).
const ABSENCES: &[&str] = &["孩子发烧在家休息", "随父母回老家探亲", "家里老人照看一天", "去医院复查", "家中有事"];
/// Share of absent children whose guardian reported it beforehand; the rest are late-drop-off alerts.
const REPORTED: f64 = 0.7;

/// The class days of both terms up to `now`: each attending child's day
/// (today's only as far as it has gone), the absences reported, and the
/// caretakers' shifts — past and today's with who came, the rest of the
/// coming term as a rota with who signed up.
pub(super) fn class_days_until(
    rng: &mut StdRng,
    terms: &[DemoTerm; 2],
    classes: &[DemoClass],
    children: &[DemoChild],
    now: i64,
) -> (Vec<DemoDay>, Vec<DemoShift>, Vec<DemoAbsence>) {
    let today = region_day(now);
    let (mut days, mut shifts, mut absences) = (Vec::new(), Vec::new(), Vec::new());
    let mut incidents = 0;
    for (term_index, term) in terms.iter().enumerate() {
        for day in class_days(term) {
            for (ci, class) in classes.iter().enumerate().filter(|(_, c)| c.term == term_index) {
                let enrolled: Vec<(usize, &DemoChild)> =
                    children.iter().enumerate().filter(|(_, c)| c.class == ci && !c.waitlisted).collect();
                let needed = (enrolled.len() as i64 + class.per_caretaker - 1) / class.per_caretaker;
                let mut crew = class.caretakers.clone();
                crew.shuffle(rng);
                // A coming day's rota is still filling: now and then one short, which the day sheet warns of.
                let spare = if day > today { rng.gen_range(-1..=1) } else { 1 };
                crew.truncate((needed + spare).max(1) as usize);
                shifts.push((ci, day, crew));
                if day > today {
                    continue;
                }
                for (i, c) in enrolled {
                    if !rng.gen_bool(ATTENDANCE) {
                        if rng.gen_bool(REPORTED) {
                            let reason = ABSENCES.choose(rng).copied().unwrap_or("家中有事");
                            absences.push(DemoAbsence { child: i, day, reason, at: at(day - Duration::days(1), 20, rng.gen_range(0..59)) });
                        }
                        continue;
                    }
                    let in_at = (at(day, 7, rng.gen_range(35..59)), rng.gen_range(0..c.pickups.len()));
                    let out_at = (at(day, 17, rng.gen_range(0..40)), rng.gen_range(0..c.pickups.len()));
                    if in_at.0 > now {
                        continue;
                    }
                    let done = out_at.0 <= now;
                    let incident = if done && incidents < 14 && rng.gen_bool(0.0004) {
                        incidents += 1;
                        INCIDENTS.choose(rng).copied()
                    } else {
                        None
                    };
                    let nap_from = format!("12:{:02}", rng.gen_range(20..45));
                    let meal = *["all", "all", "all", "all", "some", "some", "none"].choose(rng).unwrap_or(&"all");
                    days.push(DemoDay {
                        child: i,
                        day,
                        in_at,
                        // Today's children still in class have no pick-up and no day log yet.
                        out_at: done.then_some(out_at),
                        meal: done.then_some(meal),
                        nap: (nap_from, format!("14:{:02}", rng.gen_range(0..20))),
                        note: if done && rng.gen_bool(0.3) { NOTES.choose(rng).copied() } else { None },
                        incident,
                    });
                }
            }
        }
    }
    (days, shifts, absences)
}
