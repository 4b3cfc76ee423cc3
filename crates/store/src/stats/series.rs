//! A figure by month and by district, unit or theme, for `GET /api/v1/stats/series`.

use serde::Deserialize;

use super::figures::month_of;
use super::{Filter, ACTIVITY_WHERE};
use crate::sections::{self, rows};
use crate::{Db, Result};

/// What a series measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Measure {
    Hours,
    /// Distinct volunteers with hours, per group and month.
    People,
    Activities,
}

/// What a series is split by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Split {
    District,
    Unit,
    Theme,
}

/// One group's value in one month.
#[derive(Debug, Clone, Deserialize, PartialEq)]
pub struct Point {
    pub key: String,
    pub name: Option<String>,
    pub period: String,
    pub n: f64,
}

/// The group's key and name columns and the join that brings them, for
/// ledger entries (`e`, `a`, `n`) or activities (`a`).
fn group(split: Split, entries: bool) -> (&'static str, &'static str) {
    match (split, entries) {
        (Split::District, true) => ("CAST(g.id AS TEXT)", "JOIN districts g ON g.id = e.district_id"),
        (Split::District, false) => ("CAST(g.id AS TEXT)", "JOIN districts g ON g.id = a.district_id"),
        (Split::Unit, true) => ("CAST(g.id AS TEXT)", "JOIN units g ON g.id = e.unit_id"),
        (Split::Unit, false) => ("CAST(g.id AS TEXT)", "JOIN hours_entries ge ON ge.activity_id = a.id JOIN units g ON g.id = ge.unit_id"),
        (Split::Theme, true) => ("COALESCE(e.theme, '')", ""),
        (Split::Theme, false) => ("COALESCE(a.theme, '')", ""),
    }
}

/// Each group's value month by month within the filter; months with
/// nothing are absent (the service fills them in).
pub async fn series(db: &Db, f: &Filter, measure: Measure, split: Split) -> Result<Vec<Point>> {
    let (key, join) = group(split, measure != Measure::Activities);
    let (name, by) = name_by(split, key);
    let sql = match measure {
        Measure::Hours | Measure::People => {
            let value = if measure == Measure::Hours { "SUM(e.hours)" } else { "COUNT(DISTINCT e.volunteer_id)" };
            format!(
                "SELECT {key} AS key, {name} AS name, substr(e.served_on, 1, 7) AS period, {value} AS n \
                 FROM {} GROUP BY {by}, substr(e.served_on, 1, 7) ORDER BY 1, 3",
                f.entries_joining(false, join)
            )
        }
        Measure::Activities => {
            let month = month_of(db, "a.starts_at");
            format!(
                "SELECT {key} AS key, {name} AS name, {month} AS period, COUNT(DISTINCT a.id) AS n \
                 FROM activities a {join} WHERE {ACTIVITY_WHERE} GROUP BY {by}, {month} ORDER BY 1, 3"
            )
        }
    };
    let mut s = sections::read(db, &[&sql], &f.args()).await?.into_iter();
    rows(s.next().unwrap_or_default())
}

/// The name column and GROUP BY list for a split (PostgreSQL refuses a
/// constant in GROUP BY: themes have no name column).
fn name_by(split: Split, key: &str) -> (&'static str, String) {
    if split == Split::Theme {
        ("NULL", key.to_string())
    } else {
        ("g.name", format!("{key}, g.name"))
    }
}
