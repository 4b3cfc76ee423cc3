//! Reminders before an activity: each confirmed volunteer is told in the app
//! and, when SMS are sent, by SMS through the outbox — once per activity,
//! whichever instance gets there first.

use crate::{Db, Result};

/// An activity about to start that has not been reminded yet.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Due {
    pub id: i64,
    pub title: String,
    pub starts_at: i64,
    pub place: String,
}

/// Activities starting after `from` and by `until`, not cancelled, not reminded.
pub async fn due(db: &Db, from: i64, until: i64) -> Result<Vec<Due>> {
    let sql = "SELECT a.id, a.title, a.starts_at, COALESCE(a.address, c.name) AS place FROM activities a \
               JOIN communities c ON c.id = a.community_id WHERE a.starts_at > $1 AND a.starts_at <= $2 \
               AND a.reminded_at IS NULL AND a.cancelled_at IS NULL ORDER BY a.starts_at, a.id";
    db_read!(db, |p| Ok(sqlx::query_as(sql).bind(from).bind(until).fetch_all(p).await?))
}

/// Reminds one activity's confirmed volunteers, in one transaction with
/// marking it reminded. The conditional UPDATE is the arbiter: a second
/// run, or another instance, gets `None` and adds nothing. Returns how
/// many in-app notifications were written.
pub async fn remind(db: &Db, activity_id: i64, now: i64, sms_body: Option<&str>) -> Result<Option<u64>> {
    let mark = "UPDATE activities SET reminded_at = $1 WHERE id = $2 AND reminded_at IS NULL AND cancelled_at IS NULL";
    let notify = "INSERT INTO notifications (user_id, at, kind, activity_id, detail) \
                  SELECT u.id, $1, 'activity_reminder', a.id, a.title FROM signups s JOIN activities a ON a.id = s.activity_id \
                  JOIN users u ON u.volunteer_id = s.volunteer_id AND u.active = TRUE WHERE s.activity_id = $2 AND s.status = 'confirmed'";
    let sms = "INSERT INTO outbox (kind, target, body, next_attempt_at, created_at) \
               SELECT 'sms', v.phone, $1, $2, $2 FROM signups s JOIN volunteers v ON v.id = s.volunteer_id \
               WHERE s.activity_id = $3 AND s.status = 'confirmed' AND v.active = TRUE";
    db_write!(db, |p| {
        let mut tx = p.begin().await?;
        if sqlx::query(mark).bind(now).bind(activity_id).execute(&mut *tx).await?.rows_affected() != 1 {
            return Ok(None);
        }
        let told = sqlx::query(notify).bind(now).bind(activity_id).execute(&mut *tx).await?.rows_affected();
        if let Some(body) = sms_body {
            sqlx::query(sms).bind(body).bind(now).bind(activity_id).execute(&mut *tx).await?;
        }
        tx.commit().await?;
        Ok(Some(told))
    })
}
