//! Closed months: the report frozen when a month was closed, and the ledger
//! entries recorded in a closed month's days after it closed.

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

/// Every late entry of every closed month (a closed month's own days are
/// read from the ledger's day index, so the cost is the late entries').
pub async fn late(db: &Db) -> Result<Vec<Late>> {
    let sql = "SELECT c.month AS month, e.created_at AS recorded_at, e.hours AS hours, e.volunteer_id AS volunteer_id \
        FROM stats_closed_months c JOIN hours_entries e ON e.served_on >= c.month || '-01' AND e.served_on <= c.month || '-31' \
        WHERE e.created_at > c.closed_at ORDER BY e.created_at";
    rows(read(db, &[sql], &[]).await?.pop().unwrap_or_default())
}
