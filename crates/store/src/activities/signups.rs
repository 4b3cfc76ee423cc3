//! Sign-ups and the waitlist. Places are taken with a conditional UPDATE on
//! the activity's counter (and the role's), so however many requests race,
//! no more than `capacity` are ever confirmed; a cancellation hands its place
//! to the first on the waitlist in the same transaction.

use tongxing_domain::activities::SignupStatus;

use crate::{now_ms, Db, Error, Result};

/// What a sign-up request came to. `new` is false when the volunteer was
/// already signed up (a double tap, a retried request): nothing changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Outcome {
    pub status: SignupStatus,
    pub new: bool,
}

/// A cancellation: what the place was, and who got it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cancelled {
    pub was: SignupStatus,
    pub promoted: Option<i64>,
}

pub(crate) fn status_of(s: &str) -> Result<SignupStatus> {
    SignupStatus::parse(s).ok_or_else(|| Error::Dump(format!("unknown sign-up status {s:?}")))
}

/// Takes one place on the activity and, if the sign-up names one, on its
/// role; gives the activity's place back when the role is full. Evaluates to
/// whether a place was taken. `$on` runs each statement on `$tx`
/// (`in_sqlx` or `in_direct`, direct.rs), so one text serves both paths.
macro_rules! take_place {
    ($on:ident, $tx:expr, $activity:expr, $role:expr) => {{
        let got = $on!(execute $tx, "UPDATE activities SET confirmed = confirmed + 1 WHERE id = $1 AND confirmed < capacity", $activity) == 1;
        match $role {
            Some(role) if got => {
                let role_got = $on!(execute $tx,
                    "UPDATE activity_roles SET confirmed = confirmed + 1 WHERE id = $1 AND activity_id = $2 AND confirmed < capacity",
                    role, $activity) == 1;
                if !role_got {
                    $on!(execute $tx, "UPDATE activities SET confirmed = confirmed - 1 WHERE id = $1", $activity);
                }
                role_got
            }
            _ => got,
        }
    }};
}

/// Moves the first fitting waitlisted volunteer into a free place and tells them.
macro_rules! promote {
    ($tx:expr, $activity:expr, $now:expr) => {{
        let next: Option<(i64, i64, Option<i64>)> = sqlx::query_as(
            "SELECT s.id, s.volunteer_id, s.role_id FROM signups s WHERE s.activity_id = $1 AND s.status = 'waitlisted' \
             AND (s.role_id IS NULL OR s.role_id IN (SELECT r.id FROM activity_roles r WHERE r.activity_id = $1 AND r.confirmed < r.capacity)) \
             ORDER BY s.queued_at, s.id LIMIT 1",
        )
        .bind($activity)
        .fetch_optional(&mut *$tx)
        .await?;
        match next {
            Some((signup, volunteer, role)) if take_place!(in_sqlx, $tx, $activity, role) => {
                sqlx::query("UPDATE signups SET status = 'confirmed', updated_at = $1 WHERE id = $2").bind($now).bind(signup).execute(&mut *$tx).await?;
                sqlx::query("UPDATE activities SET waitlisted = waitlisted - 1 WHERE id = $1").bind($activity).execute(&mut *$tx).await?;
                sqlx::query(
                    "INSERT INTO notifications (user_id, at, kind, activity_id, detail) SELECT u.id, $1, 'signup_promoted', a.id, a.title \
                     FROM users u JOIN activities a ON a.id = $2 WHERE u.volunteer_id = $3 AND u.active",
                )
                .bind($now)
                .bind($activity)
                .bind(volunteer)
                .execute(&mut *$tx)
                .await?;
                Some(volunteer)
            }
            _ => None,
        }
    }};
}

/// One sign-up inside the open transaction `$tx`, its statements run by
/// `$on` (as in `take_place!`); evaluates to its `Outcome`.
macro_rules! sign_up_in {
    ($on:ident, $tx:expr, $r:expr, $now:expr) => {{
        let r: &Request = $r;
        let (activity_id, volunteer_id, role_id, now) = (r.activity_id, r.volunteer_id, r.role_id, $now);
        'done: {
            let inserted = $on!(execute $tx,
                "INSERT INTO signups (activity_id, volunteer_id, role_id, status, starts_at, ends_at, queued_at, created_at, updated_at) \
                 VALUES ($1, $2, $3, 'waitlisted', $4, $5, $6, $6, $6) ON CONFLICT (activity_id, volunteer_id) DO NOTHING",
                activity_id, volunteer_id, role_id, r.span.0, r.span.1, now);
            if inserted == 0 {
                let (id, status): (i64, String) =
                    $on!(one $tx, "SELECT id, status FROM signups WHERE activity_id = $1 AND volunteer_id = $2", activity_id, volunteer_id);
                let back = $on!(execute $tx,
                    "UPDATE signups SET status = 'waitlisted', role_id = $1, queued_at = $2, updated_at = $2 WHERE id = $3 AND status = 'cancelled'",
                    role_id, now, id);
                if back == 0 {
                    break 'done Outcome { status: status_of(&status)?, new: false };
                }
            }
            let seated = take_place!($on, $tx, activity_id, role_id);
            let status = if seated { "confirmed" } else { "waitlisted" };
            $on!(execute $tx, "UPDATE signups SET status = $1 WHERE activity_id = $2 AND volunteer_id = $3", status, activity_id, volunteer_id);
            if !seated {
                $on!(execute $tx, "UPDATE activities SET waitlisted = waitlisted + 1 WHERE id = $1", activity_id);
            }
            Outcome { status: status_of(status)?, new: true }
        }
    }};
}

/// A sign-up to make: who, on what (and which role), and the activity's span.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Request {
    pub activity_id: i64,
    pub volunteer_id: i64,
    pub role_id: Option<i64>,
    pub span: (i64, i64),
}

pub async fn sign_up(db: &Db, activity_id: i64, volunteer_id: i64, role_id: Option<i64>, span: (i64, i64)) -> Result<Outcome> {
    let r = Request { activity_id, volunteer_id, role_id, span };
    let now = now_ms();
    db_write!(db, |p| {
        let mut tx = p.begin().await?;
        let out = sign_up_in!(in_sqlx, tx, &r, now);
        tx.commit().await?;
        Ok(out)
    })
}

/// Several sign-ups in one transaction (group commit), one after another with
/// exactly the rules of `sign_up`: the capacity guard, one sign-up per pair
/// even when the same pair comes twice. They are taken in order of activity
/// (arrival order within one), so two batches lock activities in the same
/// order and cannot deadlock on PostgreSQL; the outcomes come back in the
/// order of `requests`. On SQLite the batch runs on the direct writer
/// (direct.rs), with no thread hand-off per statement, since a batch of 64 is
/// hundreds of statements; on PostgreSQL in a few set-based statements
/// (group_pg.rs), since each is a round trip. All or nothing: on an error nothing is kept, and
/// the caller makes each again with `sign_up` so that every request gets its
/// own answer.
pub async fn sign_up_many(db: &Db, requests: Vec<Request>) -> Result<Vec<Outcome>> {
    let now = now_ms();
    let order = crate::direct::in_order_of(&requests, |r| r.activity_id);
    let done = match db {
        Db::Sqlite { direct, .. } => {
            let (direct, taken) = (direct.clone(), order.clone());
            crate::direct::blocking(move || {
                direct.write(|tx| taken.iter().map(|&i| Ok(sign_up_in!(in_direct, tx, &requests[i], now))).collect())
            })
            .await?
        }
        Db::Postgres(p) => {
            let sorted: Vec<Request> = order.iter().map(|&i| requests[i]).collect();
            let mut tx = p.begin().await?;
            let outs = crate::activities::group_pg::sign_ups(&mut tx, &sorted, now).await?;
            tx.commit().await?;
            outs
        }
    };
    Ok(crate::direct::back_in_order(order, done))
}

/// Cancels a volunteer's sign-up; a confirmed place goes to the first on the
/// waitlist whose role (if any) has room, who is told in the same transaction.
/// `None` when there was nothing to cancel.
pub async fn cancel(db: &Db, activity_id: i64, volunteer_id: i64) -> Result<Option<Cancelled>> {
    let now = now_ms();
    db_write!(db, |p| {
        let mut tx = p.begin().await?;
        let row: Option<(i64, String, Option<i64>)> =
            sqlx::query_as("SELECT id, status, role_id FROM signups WHERE activity_id = $1 AND volunteer_id = $2")
                .bind(activity_id)
                .bind(volunteer_id)
                .fetch_optional(&mut *tx)
                .await?;
        let Some((id, was, role)) = row.filter(|r| r.1 != "cancelled") else { return Ok(None) };
        let done = sqlx::query("UPDATE signups SET status = 'cancelled', updated_at = $1 WHERE id = $2 AND status = $3")
            .bind(now)
            .bind(id)
            .bind(&was)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        if done == 0 {
            return Ok(None);
        }
        let was = status_of(&was)?;
        let mut promoted = None;
        if was == SignupStatus::Confirmed {
            sqlx::query("UPDATE activities SET confirmed = confirmed - 1 WHERE id = $1").bind(activity_id).execute(&mut *tx).await?;
            if let Some(r) = role {
                sqlx::query("UPDATE activity_roles SET confirmed = confirmed - 1 WHERE id = $1").bind(r).execute(&mut *tx).await?;
            }
            promoted = promote!(tx, activity_id, now);
        } else {
            sqlx::query("UPDATE activities SET waitlisted = waitlisted - 1 WHERE id = $1").bind(activity_id).execute(&mut *tx).await?;
        }
        tx.commit().await?;
        Ok(Some(Cancelled { was, promoted }))
    })
}

/// A volunteer's live sign-ups that end after `from`: what a new sign-up must not overlap.
pub async fn sessions_of(db: &Db, volunteer_id: i64, from: i64) -> Result<Vec<(i64, i64, i64)>> {
    fetch_all!(db, SESSIONS_OF, volunteer_id, from)
}

pub(crate) const SESSIONS_OF: &str =
    "SELECT activity_id, starts_at, ends_at FROM signups WHERE volunteer_id = $1 AND ends_at > $2 AND status <> 'cancelled' ORDER BY starts_at";

pub async fn status(db: &Db, activity_id: i64, volunteer_id: i64) -> Result<Option<SignupStatus>> {
    let sql = "SELECT status FROM signups WHERE activity_id = $1 AND volunteer_id = $2";
    let s: Option<(String,)> = fetch_optional!(db, sql, activity_id, volunteer_id)?;
    s.map(|(s,)| status_of(&s)).transpose()
}

/// Counts by status, straight from the sign-up rows (the concurrency tests
/// compare them with the counters).
pub async fn counts(db: &Db, activity_id: i64) -> Result<(i64, i64)> {
    let sql = "SELECT COALESCE(SUM(CASE WHEN status = 'confirmed' THEN 1 ELSE 0 END), 0), \
               COALESCE(SUM(CASE WHEN status = 'waitlisted' THEN 1 ELSE 0 END), 0) FROM signups WHERE activity_id = $1";
    db_read!(db, |p| Ok(sqlx::query_as(sql).bind(activity_id).fetch_one(p).await?))
}
