//! A slot's status on a given day, from its days and what its district held.

use chrono::NaiveDate;
use serde::Serialize;
use utoipa::ToSchema;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SlotStatus {
    /// Not begun.
    Upcoming,
    /// Today lies within it.
    InProgress,
    /// Over, and its district held the theme's activities.
    Done,
    /// Over without a single hosted activity: the district owes it.
    Owing,
}

impl SlotStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            SlotStatus::Upcoming => "upcoming",
            SlotStatus::InProgress => "in_progress",
            SlotStatus::Done => "done",
            SlotStatus::Owing => "owing",
        }
    }
}

/// `held`: the hosted activities (the slot's district and theme, starting
/// within its days, not cancelled) that have begun by `today`.
pub fn slot_status(starts_on: NaiveDate, ends_on: NaiveDate, today: NaiveDate, held: i64) -> SlotStatus {
    if today < starts_on {
        SlotStatus::Upcoming
    } else if today <= ends_on {
        SlotStatus::InProgress
    } else if held > 0 {
        SlotStatus::Done
    } else {
        SlotStatus::Owing
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[rstest]
    #[case("2026-02-28", 0, SlotStatus::Upcoming)]
    #[case("2026-02-28", 3, SlotStatus::Upcoming)]
    #[case("2026-03-01", 0, SlotStatus::InProgress)]
    #[case("2026-04-15", 2, SlotStatus::InProgress)]
    #[case("2026-04-30", 0, SlotStatus::InProgress)]
    #[case("2026-05-01", 1, SlotStatus::Done)]
    #[case("2026-12-06", 7, SlotStatus::Done)]
    #[case("2026-05-01", 0, SlotStatus::Owing)]
    #[case("2027-01-01", 0, SlotStatus::Owing)]
    fn a_slot_from_march_to_april(#[case] today: &str, #[case] held: i64, #[case] want: SlotStatus) {
        assert_eq!(slot_status(d("2026-03-01"), d("2026-04-30"), d(today), held), want);
    }
}
