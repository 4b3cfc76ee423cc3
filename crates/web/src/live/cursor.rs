//! Where a reader of the need feed stands. Ids are not always visible in
//! order: on PostgreSQL a transaction takes its history line's id before it
//! commits, so a later line can appear first. The ids skipped over are looked
//! for again until they are too old to belong to a transaction still running
//! (a rolled-back one leaves its id unused for good).

use std::collections::VecDeque;
use std::time::{Duration, Instant};

/// How long a skipped id is looked for.
const GAP_WAIT: Duration = Duration::from_secs(10);
/// Skipped ids kept at most; a larger jump (a restored database) is not a race.
const MAX_GAPS: usize = 1000;

pub(crate) struct Cursor {
    high: i64,
    /// Skipped ids, ascending, with when they were first missed.
    gaps: VecDeque<(i64, Instant)>,
}

impl Cursor {
    pub fn new(high: i64) -> Cursor {
        Cursor { high, gaps: VecDeque::new() }
    }

    /// The highest line seen.
    pub fn high(&self) -> i64 {
        self.high
    }

    /// The skipped ids still worth looking for at `now`.
    pub fn awaited(&mut self, now: Instant) -> Vec<i64> {
        while self.gaps.front().is_some_and(|(_, since)| now.duration_since(*since) > GAP_WAIT) {
            self.gaps.pop_front();
        }
        self.gaps.iter().map(|(id, _)| *id).collect()
    }

    /// Takes lines read as (line id, need id), in any order; returns the
    /// needs of the lines not seen before.
    pub fn take(&mut self, rows: &[(i64, i64)], now: Instant) -> Vec<i64> {
        let mut rows = rows.to_vec();
        rows.sort_unstable();
        let mut needs = Vec::new();
        for (id, need) in rows {
            if id > self.high {
                let first_missing = (self.high + 1).max(id - MAX_GAPS as i64);
                self.gaps.extend((first_missing..id).map(|g| (g, now)));
                self.high = id;
            } else if let Some(at) = self.gaps.iter().position(|(g, _)| *g == id) {
                self.gaps.remove(at);
            } else {
                continue;
            }
            needs.push(need);
        }
        while self.gaps.len() > MAX_GAPS {
            self.gaps.pop_front();
        }
        needs
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_in_order_advance_the_cursor() {
        let now = Instant::now();
        let mut c = Cursor::new(10);
        assert_eq!(c.take(&[(12, 6), (11, 5), (13, 5)], now), vec![5, 6, 5]);
        assert_eq!(c.high(), 13);
        assert!(c.awaited(now).is_empty());
        assert!(c.take(&[(12, 6)], now).is_empty(), "a line already seen is not announced again");
    }

    #[test]
    fn a_line_that_commits_after_a_higher_one_is_still_announced() {
        let now = Instant::now();
        let mut c = Cursor::new(10);
        assert_eq!(c.take(&[(13, 7)], now), vec![7]);
        assert_eq!(c.awaited(now), vec![11, 12]);
        assert_eq!(c.take(&[(12, 8)], now), vec![8]);
        assert_eq!(c.awaited(now), vec![11]);
        assert!(c.take(&[(12, 8)], now).is_empty(), "once found, a gap is closed");
    }

    #[test]
    fn a_gap_that_never_fills_is_given_up() {
        let now = Instant::now();
        let mut c = Cursor::new(0);
        c.take(&[(3, 1)], now);
        assert_eq!(c.awaited(now + GAP_WAIT), vec![1, 2]);
        assert!(c.awaited(now + GAP_WAIT + Duration::from_millis(1)).is_empty());
    }

    #[test]
    fn a_huge_jump_keeps_a_bounded_number_of_gaps() {
        let now = Instant::now();
        let mut c = Cursor::new(0);
        c.take(&[(1_000_000, 1)], now);
        let awaited = c.awaited(now);
        assert_eq!(awaited.len(), MAX_GAPS);
        assert_eq!(awaited.last(), Some(&999_999));
    }
}
