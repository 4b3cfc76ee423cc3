//! The ranking's in-memory pool of volunteers, kept current cheaply: built in
//! full once, then before each use topped up with the volunteers changed
//! since the last look (an index range on `updated_at`), and rebuilt in full
//! every few minutes so rows another instance committed late are not missed
//! for long.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use chrono::{Months, NaiveDate, TimeZone};
use tokio::sync::Mutex;
use tongxing_domain::dispatch::pool::{Person, Pool};
use tongxing_domain::time::region_offset;
use tongxing_store::dispatch::pool::{self as call_pool, PoolRead};
use tongxing_store::{now_ms, Db};

use crate::Result;

/// Changes are re-read from this far behind the last look: a transaction
/// that stamped its rows before the look but committed after is still
/// caught. Longer than any ordinary write; one that commits later (a huge
/// import) reaches the pool at the next full rebuild. Kept short because
/// every row stamped inside it is read again on each call — right after a
/// bulk load, that is everyone.
const OVERLAP_MS: i64 = 30_000;
const REBUILD_EVERY: Duration = Duration::from_secs(10 * 60);

#[derive(Default)]
pub struct PoolCache(Mutex<Option<Current>>);

struct Current {
    pool: Pool,
    /// The clock when the last read began.
    seen_at: i64,
    built: Instant,
}

impl PoolCache {
    /// Runs `f` on an up-to-date pool. Callers hold the lock only for the
    /// ranking itself, a few milliseconds.
    pub async fn with<R>(&self, db: &Db, f: impl FnOnce(&Pool) -> R) -> Result<R> {
        let mut guard = self.0.lock().await;
        let started = now_ms();
        match guard.as_mut() {
            Some(c) if c.built.elapsed() < REBUILD_EVERY && c.pool.wasted_skill_slots() <= c.pool.len() => {
                for p in persons(call_pool::changed_since(db, c.seen_at - OVERLAP_MS).await?) {
                    c.pool.upsert(&p);
                }
                c.seen_at = started;
            }
            _ => {
                let mut pool = Pool::default();
                for p in persons(call_pool::everyone(db).await?) {
                    pool.upsert(&p);
                }
                *guard = Some(Current { pool, seen_at: started, built: Instant::now() });
            }
        }
        Ok(f(&guard.as_ref().expect("the pool was just built").pool))
    }
}

fn persons(read: PoolRead) -> impl Iterator<Item = Person> {
    let PoolRead { people, mut skills, served_until } = read;
    skills.sort_unstable_by_key(|s| s.0);
    let served_until: HashMap<i64, i64> = served_until.into_iter().collect();
    people.into_iter().map(move |r| {
        let from = skills.partition_point(|s| s.0 < r.id);
        let to = skills.partition_point(|s| s.0 <= r.id);
        Person {
            volunteer_id: r.id,
            unit_id: r.unit_id,
            lat: r.lat,
            lng: r.lng,
            active: r.active,
            adult_from_ms: r.birth_date.as_deref().and_then(adult_from_ms),
            skills: skills[from..to].iter().map(|s| s.1.clone()).collect(),
            last_called_ms: r.last_called_at,
            invited: r.invited.unwrap_or(0) as u32,
            accepted: r.accepted.unwrap_or(0) as u32,
            served_until_ms: served_until.get(&r.id).copied(),
        }
    })
}

/// The region's midnight starting someone's 18th birthday.
fn adult_from_ms(birth_date: &str) -> Option<i64> {
    let day = NaiveDate::parse_from_str(birth_date, "%Y-%m-%d").ok()?.checked_add_months(Months::new(18 * 12))?;
    region_offset().from_local_datetime(&day.and_hms_opt(0, 0, 0)?).single().map(|t| t.timestamp_millis())
}

#[cfg(test)]
mod tests {
    #[test]
    fn adulthood_starts_at_the_regions_midnight_of_the_18th_birthday() {
        // 2008-02-29 + 18 years is 2026-02-28 (no 29th that year), 00:00 at UTC+8.
        assert_eq!(super::adult_from_ms("2008-02-29"), Some(1_772_208_000_000));
        assert_eq!(super::adult_from_ms("not a date"), None);
    }
}
