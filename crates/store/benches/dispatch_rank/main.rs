//! Emergency dispatch ranking (issue #5), side by side in one run:
//!   a. `rank::plan` (eligibility, score, quota split, first wave) for a
//!      60-person call over the in-memory pool of 100,000 volunteers;
//!   b. the same ranking as ONE SQL query ordering every candidate by the
//!      same score, against SQLite (the real migrations) holding the same
//!      people, then the same split and waves over its ordered rows;
//!   c. `rank::plan` over 1,000,000 volunteers.
//! `cargo bench -p tongxing-store --bench dispatch_rank`; knobs (environment):
//! PEOPLE=100000 BIG=1000000 RUNS=31 SQL_RUNS=11 (BIG=0 skips c, SQL=0 skips b and c).
//! Prints p50/p90/max per case and the SQL / in-memory ratio; see bench/README.md.

mod people;
mod sql;

use std::collections::HashSet;
use std::time::{Duration, Instant};

use tongxing_domain::dispatch::pool::Pool;
use tongxing_domain::dispatch::rank;

fn knob(name: &str, default: usize) -> usize {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

/// Runs `f` once to warm up, then `runs` times; returns sorted durations and the last result.
fn time<R>(runs: usize, mut f: impl FnMut() -> R) -> (Vec<Duration>, R) {
    let mut last = f();
    let mut samples = Vec::with_capacity(runs);
    for _ in 0..runs {
        let t = Instant::now();
        last = std::hint::black_box(f());
        samples.push(t.elapsed());
    }
    samples.sort_unstable();
    (samples, last)
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn pct(s: &[Duration], p: f64) -> Duration {
    s[((s.len() - 1) as f64 * p).round() as usize]
}

/// Prints one case and returns its p50 in ms.
fn report(label: &str, s: &[Duration], target_ms: Option<f64>) -> f64 {
    let p50 = ms(pct(s, 0.5));
    let verdict = match target_ms {
        Some(t) if p50 < t => format!("  target < {t} ms: met"),
        Some(t) => format!("  target < {t} ms: MISSED"),
        None => String::new(),
    };
    println!(
        "{label:<52} runs {:>3}  p50 {p50:>8.2} ms  p90 {:>8.2} ms  max {:>8.2} ms{verdict}",
        s.len(),
        ms(pct(s, 0.9)),
        ms(pct(s, 1.0))
    );
    p50
}

fn build_pool(people: &[people::Synth]) -> Pool {
    let mut pool = Pool::default();
    for p in people {
        pool.upsert(&p.person);
    }
    pool
}

fn main() {
    let n = knob("PEOPLE", 100_000);
    let big = knob("BIG", 1_000_000);
    let runs = knob("RUNS", 31).max(1);
    let sql_runs = knob("SQL_RUNS", 11).max(1);
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("tokio runtime");

    let region = people::Region::new(7);
    let everyone = region.people(n, 11);
    let t = Instant::now();
    let pool = build_pool(&everyone);
    println!("pool of {n} built in {:.1} ms", ms(t.elapsed()));
    let skip: HashSet<i64> = (0..300).map(|i| 1 + i * (n as i64 / 300).max(1)).collect();

    let plain = people::call(&[]);
    let skilled = people::call(&["急救"]);
    let (s, plan) = time(runs, || rank::plan(&pool, &plain, &skip, 60, None));
    let eligible = rank::eligible(&pool, &plain, &skip).len();
    let units_with_quota = plan.quotas.iter().filter(|q| q.quota > 0).count();
    println!(
        "call: 60 needed, 30 km, no skill: {eligible} eligible, {units_with_quota} units with a quota, first wave {}",
        plan.wave.len()
    );
    let mem = report(&format!("a. in-memory plan, {n} people, any skill"), &s, Some(5.0));
    let (s, _) = time(runs, || rank::eligible(&pool, &plain, &skip));
    report("   of which the eligibility scan and score alone", &s, None);
    let (s, skilled_plan) = time(runs, || rank::plan(&pool, &skilled, &skip, 60, None));
    let mem_skilled = report(&format!("a. in-memory plan, {n} people, skill 急救"), &s, Some(5.0));

    if knob("SQL", 1) == 0 {
        return;
    }
    let dir = std::env::temp_dir().join(format!("tongxing-dispatch-bench-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let db = rt.block_on(async {
        let t = Instant::now();
        let db = sql::load(&dir, &region, &everyone).await;
        println!("SQLite loaded with the same {n} people in {:.1} s", t.elapsed().as_secs_f64());
        db
    });
    for (label, spec, mem_p50, mem_plan) in [("any skill", &plain, mem, &plan), ("skill 急救", &skilled, mem_skilled, &skilled_plan)] {
        let rows = rt.block_on(sql::ranked(&db, spec, &skip));
        let eligible_mem = rank::eligible(&pool, spec, &skip).len();
        assert_eq!(rows.len(), eligible_mem, "SQL and the pool must agree on who is eligible ({label})");
        let (s, sql_plan) = time(sql_runs, || sql::plan(rt.block_on(sql::ranked(&db, spec, &skip)), 60));
        assert_eq!(sql_plan.quotas, mem_plan.quotas, "SQL and the pool must split the same way ({label})");
        let same = sql_plan.wave.iter().filter(|w| mem_plan.wave.iter().any(|m| m.volunteer_id == w.volunteer_id)).count();
        let sql_p50 = report(&format!("b. one SQL query + split + waves, {label}"), &s, None);
        let ratio = sql_p50 / mem_p50;
        println!(
            "   {} rows ordered; same first wave as in memory: {same} of {}; SQL / in-memory p50 = {ratio:.0}x  target >= 20x: {}",
            rows.len(),
            mem_plan.wave.len(),
            if ratio >= 20.0 { "met" } else { "MISSED" }
        );
    }
    let (s, _) = time(sql_runs, || rt.block_on(sql::count_only(&db, &plain, &skip)));
    report("b'. the same query inside SQLite only (count(*))", &s, None);
    rt.block_on(db.close());
    let _ = std::fs::remove_dir_all(&dir);

    if big > 0 {
        drop(pool);
        drop(everyone);
        let million = region.people(big, 13);
        let pool = build_pool(&million);
        drop(million);
        let skip: HashSet<i64> = (0..3000).map(|i| 1 + i * (big as i64 / 3000).max(1)).collect();
        let (s, plan) = time(runs.min(21), || rank::plan(&pool, &plain, &skip, 60, None));
        println!("   first wave {}", plan.wave.len());
        report(&format!("c. in-memory plan, {big} people, any skill"), &s, Some(50.0));
        let (s, _) = time(runs.min(21), || rank::plan(&pool, &skilled, &skip, 60, None));
        report(&format!("c. in-memory plan, {big} people, skill 急救"), &s, Some(50.0));
    }
}
