//! The dashboard rollups' cost on the hot path (issue #17): ledger entries
//! appended one transaction each, as a check-in confirmation or an hours
//! entry appends them, queued for the rollups (`append_in!` as the
//! application runs it) and not, alternating blocks of the same entries
//! in one run on one SQLite file, so both see the same load and ledger size;
//! then the queue drained into the rollups (`stats::pending::drain`, the
//! serve loop's work off the hot path), timed per entry.
//! `DB=<a SQLite file loaded by tongxing demo> cargo bench -p tongxing-store --bench ledger_credit`
//! (the file is copied, never written); knobs: N=2000 entries per arm,
//! BLOCK=100. Prints each arm's per-entry p50/p90, the ratio and the
//! drain's cost per entry; see bench/README.md.

use std::time::{Duration, Instant};

use tongxing_store::ledger::{self, NewEntry};
use tongxing_store::Db;

fn knob(name: &str, default: usize) -> usize {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

fn pct(s: &[Duration], p: f64) -> f64 {
    s[((s.len() - 1) as f64 * p).round() as usize].as_secs_f64() * 1000.0
}

/// Entries on real activities by real volunteers, spread so that about one
/// in `10` is the first of its (activity, unit) pair, as a roster is.
async fn entries(db: &Db, n: usize) -> Vec<NewEntry> {
    let Db::Sqlite { write, .. } = db else { panic!("SQLite only") };
    let acts: Vec<(i64, String)> = sqlx::query_as(
        "SELECT id, strftime('%Y-%m-%d', starts_at / 1000 + 28800, 'unixepoch') FROM activities WHERE cancelled_at IS NULL \
         ORDER BY starts_at DESC LIMIT 400",
    )
    .fetch_all(write)
    .await
    .expect("activities");
    let people: Vec<i64> =
        sqlx::query_scalar("SELECT id FROM volunteers WHERE active = TRUE ORDER BY id LIMIT 4000").fetch_all(write).await.expect("people");
    assert!(!acts.is_empty() && !people.is_empty(), "DB holds no activities or volunteers: load it with `tongxing demo`");
    let mut seed: u64 = 17;
    let mut next = |m: usize| {
        seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        (seed >> 33) as usize % m
    };
    (0..n)
        .map(|_| {
            let (activity, day) = acts[next(acts.len())].clone();
            NewEntry {
                volunteer_id: people[next(people.len())],
                kind: "manual",
                activity_id: Some(activity),
                hours: 1.5,
                served_on: day,
                note: Some("bench".into()),
                ..Default::default()
            }
        })
        .collect()
}

fn main() {
    let path = std::env::var("DB").expect("DB=<a SQLite file loaded by tongxing demo>");
    let n = knob("N", 2000);
    let block = knob("BLOCK", 100).max(1);
    let copy = std::env::temp_dir().join(format!("ledger-credit-{}.db", std::process::id()));
    std::fs::copy(&path, &copy).expect("copy DB");
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("tokio runtime");
    rt.block_on(async {
        let db = Db::connect(&format!("sqlite://{}", copy.display())).await.expect("connect");
        db.migrate().await.expect("migrate");
        let all = entries(&db, 2 * n).await;
        let (mut with, mut without) = (Vec::new(), Vec::new());
        for (k, chunk) in all.chunks(block).enumerate() {
            let rollups = k % 2 == 0;
            for e in chunk {
                let t = Instant::now();
                ledger::append_each(&db, std::slice::from_ref(e), rollups).await.expect("append");
                if rollups { &mut with } else { &mut without }.push(t.elapsed());
            }
        }
        with.sort_unstable();
        without.sort_unstable();
        let line = |label: &str, s: &[Duration]| {
            let mean = s.iter().map(Duration::as_secs_f64).sum::<f64>() * 1000.0 / s.len() as f64;
            println!("{label:<28} entries {:>6}  p50 {:>7.3} ms  p90 {:>7.3} ms  mean {mean:>7.3} ms", s.len(), pct(s, 0.5), pct(s, 0.9));
            mean
        };
        let a = line("without rollups", &without);
        let b = line("with rollups (as shipped)", &with);
        println!("rollups add {:.3} ms per entry (mean), ×{:.2}; p50 ×{:.2}", b - a, b / a, pct(&with, 0.5) / pct(&without, 0.5));
        let t = Instant::now();
        let drained = tongxing_store::stats::pending::drain(&db).await.expect("drain");
        let ms = t.elapsed().as_secs_f64() * 1000.0;
        println!("drained {drained} queued entries into the rollups in {ms:.1} ms: {:.3} ms per entry", ms / drained.max(1) as f64);
    });
    let _ = std::fs::remove_file(&copy);
}
