//! A volunteer's own activities: what they are signed up for ahead, with
//! their place on a waitlist, and the ones they came to, with the hours
//! credited for each.

use sqlx::FromRow;

use crate::{Db, Result};

/// A sign-up still ahead (or under way).
#[derive(Debug, Clone, FromRow)]
pub struct Ahead {
    pub id: i64,
    pub title: String,
    pub starts_at: i64,
    pub ends_at: i64,
    pub community_name: String,
    pub address: Option<String>,
    /// `confirmed` or `waitlisted`.
    pub status: String,
    /// On a waitlist: how many are ahead of them plus one (the order the
    /// queue moves up in, `queued_at` then id).
    pub position: Option<i64>,
}

/// An activity they checked in at.
#[derive(Debug, Clone, FromRow)]
pub struct Attended {
    pub id: i64,
    pub title: String,
    pub starts_at: i64,
    pub community_name: String,
    /// Confirmed hours for it so far; none until the leader confirms.
    pub hours: Option<f64>,
}

/// Sign-ups of `volunteer_id` ending after `now`, soonest first.
pub async fn ahead(db: &Db, volunteer_id: i64, now: i64, limit: i64) -> Result<Vec<Ahead>> {
    let sql = "SELECT a.id, a.title, a.starts_at, a.ends_at, c.name AS community_name, a.address, s.status, \
               CASE WHEN s.status = 'waitlisted' THEN (SELECT COUNT(*) FROM signups w WHERE w.activity_id = s.activity_id \
               AND w.status = 'waitlisted' AND (w.queued_at < s.queued_at OR (w.queued_at = s.queued_at AND w.id <= s.id))) END AS position \
               FROM signups s JOIN activities a ON a.id = s.activity_id JOIN communities c ON c.id = a.community_id \
               WHERE s.volunteer_id = $1 AND s.status IN ('confirmed', 'waitlisted') AND s.ends_at > $2 AND a.cancelled_at IS NULL \
               ORDER BY a.starts_at, a.id LIMIT $3";
    db_read!(db, |p| Ok(sqlx::query_as(sql).bind(volunteer_id).bind(now).bind(limit).fetch_all(p).await?))
}

/// Activities `volunteer_id` checked in at, latest first.
pub async fn attended(db: &Db, volunteer_id: i64, limit: i64) -> Result<Vec<Attended>> {
    let sql = "SELECT a.id, a.title, a.starts_at, c.name AS community_name, \
               (SELECT SUM(e.hours) FROM hours_entries e WHERE e.activity_id = a.id AND e.volunteer_id = t.volunteer_id) AS hours \
               FROM attendance t JOIN activities a ON a.id = t.activity_id JOIN communities c ON c.id = a.community_id \
               WHERE t.volunteer_id = $1 ORDER BY a.starts_at DESC, a.id DESC LIMIT $2";
    db_read!(db, |p| Ok(sqlx::query_as(sql).bind(volunteer_id).bind(limit).fetch_all(p).await?))
}
