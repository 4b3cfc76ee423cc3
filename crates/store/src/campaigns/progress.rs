//! What the activity records and the ledger say about a campaign: figures
//! per district and theme, and a month's activities for the calendar.

use sqlx::FromRow;
use tongxing_domain::campaigns::view::Figures;

use crate::{Db, Result};

/// Figures of one district and theme.
#[derive(Debug, Clone, FromRow)]
pub struct Cell {
    pub district_id: i64,
    pub district_name: String,
    pub theme: String,
    pub activities: i64,
    pub held: i64,
    pub hours: f64,
    pub people_served: i64,
}

impl Cell {
    pub fn figures(&self) -> Figures {
        Figures { activities: self.activities, held: self.held, hours: self.hours, people_served: self.people_served }
    }
}

/// Non-cancelled themed activities starting in `[from, until)`, grouped by
/// district and theme: how many, how many begun by `now`, their ledger
/// hours and their check-ins.
pub async fn cells(db: &Db, from: i64, until: i64, now: i64) -> Result<Vec<Cell>> {
    let sql = "SELECT g.district_id, d.name AS district_name, g.theme, g.activities, g.held, g.hours, g.people_served FROM (\
               SELECT a.district_id, a.theme, COUNT(*) AS activities, \
               CAST(SUM(CASE WHEN a.starts_at <= $3 THEN 1 ELSE 0 END) AS BIGINT) AS held, \
               COALESCE(SUM((SELECT SUM(h.hours) FROM hours_entries h WHERE h.activity_id = a.id)), 0.0) AS hours, \
               CAST(COALESCE(SUM((SELECT COUNT(*) FROM attendance t WHERE t.activity_id = a.id)), 0) AS BIGINT) AS people_served \
               FROM activities a WHERE a.starts_at >= $1 AND a.starts_at < $2 AND a.theme IS NOT NULL AND a.cancelled_at IS NULL \
               GROUP BY a.district_id, a.theme) g JOIN districts d ON d.id = g.district_id ORDER BY g.district_id, g.theme";
    db_read!(db, |p| Ok(sqlx::query_as(sql).bind(from).bind(until).bind(now).fetch_all(p).await?))
}

/// An activity on the campaign calendar.
#[derive(Debug, Clone, FromRow)]
pub struct DayActivity {
    pub id: i64,
    pub title: String,
    pub starts_at: i64,
    pub district_id: i64,
    pub theme: String,
    pub community_name: String,
}

/// Non-cancelled themed activities starting in `[from, until)`, soonest first.
pub async fn month(db: &Db, from: i64, until: i64) -> Result<Vec<DayActivity>> {
    let sql = "SELECT a.id, a.title, a.starts_at, a.district_id, a.theme, c.name AS community_name FROM activities a \
               JOIN communities c ON c.id = a.community_id WHERE a.starts_at >= $1 AND a.starts_at < $2 AND a.theme IS NOT NULL \
               AND a.cancelled_at IS NULL ORDER BY a.starts_at, a.id";
    db_read!(db, |p| Ok(sqlx::query_as(sql).bind(from).bind(until).fetch_all(p).await?))
}

/// `(starts_at, district, theme)` of every non-cancelled themed activity in
/// `[from, until)`: the year view counts them per month in Rust (a portable
/// date function differs between the backends).
pub async fn starts(db: &Db, from: i64, until: i64) -> Result<Vec<(i64, i64, String)>> {
    let sql = "SELECT a.starts_at, a.district_id, a.theme FROM activities a WHERE a.starts_at >= $1 AND a.starts_at < $2 \
               AND a.theme IS NOT NULL AND a.cancelled_at IS NULL";
    db_read!(db, |p| Ok(sqlx::query_as(sql).bind(from).bind(until).fetch_all(p).await?))
}
