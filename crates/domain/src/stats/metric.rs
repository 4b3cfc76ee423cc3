//! What each figure on the dashboard is: its unit, how it adds up, and which
//! list shows the rows behind it. Capabilities describe their figures with
//! these, so the page, the export and the API say the same thing.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// How a figure adds up over its rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
#[schema(as = StatsTally)]
pub enum Tally {
    /// Distinct people or things: one person at ten activities counts once.
    Distinct,
    /// Rows counted (each activity, each completed need).
    Count,
    /// Amounts added up (hours).
    Sum,
    Average,
    Median,
    /// Registry figures as they stand today, not per period.
    Current,
    /// A share of a whole, in percent.
    Share,
}

impl Tally {
    pub fn as_str(self) -> &'static str {
        match self {
            Tally::Distinct => "distinct",
            Tally::Count => "count",
            Tally::Sum => "sum",
            Tally::Average => "average",
            Tally::Median => "median",
            Tally::Current => "current",
            Tally::Share => "share",
        }
    }
}

/// What a figure is measured in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
#[schema(as = StatsUnit)]
pub enum Unit {
    People,
    Items,
    Hours,
    Stars,
    Minutes,
    Percent,
}

impl Unit {
    pub fn as_str(self) -> &'static str {
        match self {
            Unit::People => "people",
            Unit::Items => "items",
            Unit::Hours => "hours",
            Unit::Stars => "stars",
            Unit::Minutes => "minutes",
            Unit::Percent => "percent",
        }
    }

    /// Hours, stars and minutes read with one decimal; counts as whole numbers.
    pub fn show(self, v: f64) -> String {
        match self {
            Unit::People | Unit::Items => format!("{}", v.round() as i64),
            _ => format!("{:.1}", v),
        }
    }
}

/// The rows a figure drills into.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
#[schema(as = StatsDrill)]
pub enum Drill {
    /// The period's ledger entries.
    Entries,
    /// The period's activities.
    Activities,
    /// The needs completed in the period.
    Needs,
    /// The emergency calls made in the period.
    Calls,
    /// The honours issued in the period.
    Honours,
    /// The skill certificates dated in the period.
    Certifications,
    /// The enrolments in classes held in the period.
    Trainees,
    /// The front-line problems rolled out or closed in the period.
    Problems,
}

impl Drill {
    pub const ALL: [Drill; 8] = [
        Drill::Entries,
        Drill::Activities,
        Drill::Needs,
        Drill::Calls,
        Drill::Honours,
        Drill::Certifications,
        Drill::Trainees,
        Drill::Problems,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Drill::Entries => "entries",
            Drill::Activities => "activities",
            Drill::Needs => "needs",
            Drill::Calls => "calls",
            Drill::Honours => "honours",
            Drill::Certifications => "certifications",
            Drill::Trainees => "trainees",
            Drill::Problems => "problems",
        }
    }

    pub fn parse(s: &str) -> Option<Drill> {
        Drill::ALL.into_iter().find(|d| d.as_str() == s.trim())
    }
}

/// One figure's description: `key` names it in the catalogue (`stats.metric.<key>`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Metric {
    pub key: &'static str,
    pub unit: Unit,
    pub tally: Tally,
    pub drill: Option<Drill>,
    /// Whether the figure belongs to a period (and so has a previous one);
    /// registry figures are as of today.
    pub dated: bool,
}

impl Metric {
    pub const fn new(key: &'static str, unit: Unit, tally: Tally, drill: Option<Drill>) -> Self {
        Metric { key, unit, tally, drill, dated: !matches!(tally, Tally::Current) }
    }

    /// The same figure read as of today, not per period.
    pub const fn today(self) -> Self {
        Metric { dated: false, ..self }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_show_whole_and_hours_one_decimal() {
        assert_eq!(Unit::People.show(12.0), "12");
        assert_eq!(Unit::Hours.show(12.25), "12.2");
        assert_eq!(Drill::parse("needs"), Some(Drill::Needs));
        assert_eq!(Drill::parse("nope"), None);
    }
}
