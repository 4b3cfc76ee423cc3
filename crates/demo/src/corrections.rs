//! The ledger's afterlife in the demo year: leaders' corrections (new
//! entries referencing the old, never edits), a dispute the organisation
//! answered with a correction, and one the demo volunteer is still waiting on.

use rand::rngs::StdRng;
use rand::Rng;

use crate::activities::{DemoActivity, DemoCorrection, DemoDispute, DAY_MS, MINUTE_MS};

/// How many entries leaders corrected during the year.
const CORRECTIONS: usize = 20;
pub(crate) const EARLY_LEAVE: &str = "提前离场，按实际服务时长核减";
pub(crate) const DISPUTE_REASON: &str = "签退时手机没电，实际服务到活动结束，请核实";
pub(crate) const DISPUTE_ANSWER: &str = "经核实属实，已按活动时长补记";
pub(crate) const DISPUTE_FIX: &str = "志愿者申诉属实，补记签退缺失的时长";
pub(crate) const OPEN_DISPUTE_REASON: &str = "那天我提前半小时到场布置会场，签到晚了，请核实时长";

/// Corrections and disputes over the confirmed entries of `activities`.
pub(crate) fn corrections_and_disputes(rng: &mut StdRng, activities: &[DemoActivity], now: i64) -> (Vec<DemoCorrection>, Vec<DemoDispute>) {
    // (activity, volunteer, credited ms, length, confirmed at) of entries from a check-in and check-out.
    let scanned: Vec<(usize, usize, i64, i64, i64)> = activities
        .iter()
        .enumerate()
        .filter_map(|(i, a)| a.hours_confirmed_at.map(|at| (i, a, at)))
        .flat_map(|(i, a, at)| {
            a.signups
                .iter()
                .filter_map(move |s| s.credit.filter(|c| !c.manual).map(|c| (i, s.volunteer, c.ms, a.ends_at - a.starts_at, at)))
        })
        .collect();
    let mut corrections = Vec::new();
    let mut disputes = Vec::new();
    if scanned.is_empty() {
        return (corrections, disputes);
    }
    let step = (scanned.len() / (CORRECTIONS + 1)).max(1);
    for &(activity, volunteer, ms, _, at) in scanned.iter().skip(step / 2).step_by(step).take(CORRECTIONS) {
        if ms >= 90 * MINUTE_MS && volunteer != 0 {
            let at = (at + DAY_MS).min(now);
            corrections.push(DemoCorrection { activity, volunteer, delta_ms: -30 * MINUTE_MS, note: EARLY_LEAVE, at });
        }
    }
    let untouched = |a: usize, v: usize| !corrections.iter().any(|c| c.activity == a && c.volunteer == v);
    let short = scanned
        .iter()
        .skip(rng.gen_range(0..scanned.len() / 2 + 1))
        .find(|e| e.1 != 0 && e.2 + 30 * MINUTE_MS <= e.3 && untouched(e.0, e.1));
    if let Some(&(activity, volunteer, ms, length, at)) = short {
        let asked = (at + DAY_MS).min(now);
        let answered = (asked + DAY_MS).min(now);
        disputes.push(DemoDispute { activity, volunteer, reason: DISPUTE_REASON, at: asked, answer: Some((DISPUTE_ANSWER, answered)) });
        corrections.push(DemoCorrection { activity, volunteer, delta_ms: length - ms, note: DISPUTE_FIX, at: answered });
    }
    // The demo volunteer's latest entry is under dispute, still open.
    if let Some(&(activity, volunteer, _, _, at)) = scanned.iter().rev().find(|e| e.1 == 0) {
        disputes.push(DemoDispute { activity, volunteer, reason: OPEN_DISPUTE_REASON, at: (at + DAY_MS).min(now), answer: None });
    }
    (corrections, disputes)
}
