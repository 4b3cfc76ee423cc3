//! A report's tables: activities, hours and distinct volunteers per
//! district, unit or theme within a filter, read from the rollups kept with
//! the ledger at the level that also keeps the table's dimension — not from
//! the period's entries and activities, which took most of a yearly
//! report's time.

use serde::Deserialize;
use tongxing_domain::hours::two_decimals;
use tongxing_domain::stats::rollup::{DISTRICT, THEME, UNIT};

use super::figures::Group;
use super::held::rows_at;
use super::people::{people, By};
use super::rollup::{args, level, periods};
use super::series::Split;
use super::Filter;
use crate::sections::{self, rows};
use crate::sql::Arg;
use crate::{Db, Result};

/// One group's totals over the whole filter: a report's table row, its
/// hours to two decimals.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
pub struct GroupTotals {
    pub key: String,
    pub name: Option<String>,
    pub activities: f64,
    pub hours: f64,
    /// Distinct volunteers with hours in the group (over the whole period,
    /// not added up month by month).
    pub people: f64,
}

/// The rollups' dimension a split reads: its bit and column.
fn dimension(split: Split) -> (i64, &'static str) {
    match split {
        Split::District => (DISTRICT, "district_id"),
        Split::Unit => (UNIT, "unit_id"),
        Split::Theme => (THEME, "theme"),
    }
}

/// `inner`'s rows (a `key` and the value `n`) with the group's key and name
/// as a breakdown gives them: districts and units by id (a row kept without
/// one is left out, as the raw rows' join leaves it), themes by code.
fn named(split: Split, inner: &str) -> String {
    match split {
        Split::Theme => format!("SELECT x.key AS key, NULL AS name, x.n AS n FROM ({inner}) x"),
        Split::District => {
            format!("SELECT CAST(g.id AS TEXT) AS key, g.name AS name, x.n AS n FROM ({inner}) x JOIN districts g ON g.id = x.key")
        }
        Split::Unit => format!("SELECT CAST(g.id AS TEXT) AS key, g.name AS name, x.n AS n FROM ({inner}) x JOIN units g ON g.id = x.key"),
    }
}

/// Activities, hours and distinct volunteers per district, unit or theme
/// within the filter, attributed as the dashboard's figures are (at the
/// time of service; a unit's activities are those its volunteers served
/// in); by hours, most first.
pub async fn totals(db: &Db, f: &Filter, split: Split) -> Result<Vec<GroupTotals>> {
    super::pending::drain(db).await?;
    let (bit, column) = dimension(split);
    let mut a = args(f);
    a.push(Arg::I64(level(f, bit)));
    let by = By { bit, column, level: format!("${}", a.len()) };
    let hours = format!(
        "SELECT x.key AS key, SUM(x.hours) AS n FROM {} x GROUP BY x.key",
        periods("stats_ledger", &format!("{column} AS key, hours"), f, &format!("level = {}", by.level))
    );
    let held = format!(
        "SELECT x.key AS key, SUM(x.activities) AS n FROM {} x GROUP BY x.key HAVING SUM(x.activities) <> 0",
        rows_at(f, bit, &by.level, &format!("{column} AS key, activities"))
    );
    let people = format!("SELECT p.key AS key, p.people AS n FROM ({}) p", people(f, &mut a, Some(&by)));
    let sqls = [named(split, &hours), named(split, &people), named(split, &held)];
    let sqls: Vec<&str> = sqls.iter().map(String::as_str).collect();
    let mut out: Vec<GroupTotals> = Vec::new();
    for (i, read) in sections::read(db, &sqls, &a).await?.into_iter().enumerate() {
        for g in rows::<Group>(read)? {
            let at = match out.iter().position(|o| o.key == g.key) {
                Some(at) => at,
                None => {
                    out.push(GroupTotals { key: g.key, name: g.name, ..GroupTotals::default() });
                    out.len() - 1
                }
            };
            match i {
                0 => out[at].hours = two_decimals(g.n),
                1 => out[at].people = g.n,
                _ => out[at].activities = g.n,
            }
        }
    }
    out.sort_by(|a, b| b.hours.total_cmp(&a.hours).then(b.activities.total_cmp(&a.activities)).then(a.key.cmp(&b.key)));
    Ok(out)
}
