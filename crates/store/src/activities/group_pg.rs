//! Group commit on PostgreSQL in a handful of statements per batch. Every
//! statement is a round trip to the server, and the rows an activity's
//! counter lives in is locked until commit: a batch of 64 sign-ups made one
//! by one is some 200 round trips with the activity locked throughout,
//! which capped sign-ups near 1,500/s. Here a batch inserts all its rows in
//! one statement and takes each activity's places in one conditional
//! UPDATE, whatever the number of requests. The rules are those of
//! `signups::sign_up` and `attendance::check_in` (the same capacity guard
//! and the same answers); what does not fit the set-based path — a request
//! naming a role, a pair that already has a row — goes through their
//! one-by-one statements inside the same transaction (a repeat of a pair
//! with a live sign-up is answered from one read per activity). SQLite has no round
//! trips and runs each one by one on its direct writer (direct.rs).

use std::collections::HashMap;

use sqlx::PgConnection;
use tongxing_domain::activities::SignupStatus;

use crate::activities::attendance::CheckIn;
use crate::activities::signups::{status_of, Outcome, Request};
use crate::Result;

/// Check-ins, in one INSERT for all and one SELECT for the repeats; answers
/// in the order of `all`: (the time recorded, whether it is new). Of a pair
/// sent twice in one batch, the first is the new one.
pub(crate) async fn check_ins(tx: &mut PgConnection, all: &[CheckIn]) -> Result<Vec<(i64, bool)>> {
    let keyed = in_key_order(all.iter().collect(), |c| (c.activity_id, c.volunteer_id));
    let ids = |f: fn(&CheckIn) -> i64| keyed.iter().map(|c| f(c)).collect::<Vec<i64>>();
    let inserted: Vec<(i64, i64, i64)> = sqlx::query_as(
        "INSERT INTO attendance (activity_id, volunteer_id, checked_in_at, walk_up, in_by) \
         SELECT * FROM UNNEST($1::BIGINT[], $2::BIGINT[], $3::BIGINT[], $4::BOOLEAN[], $5::BIGINT[]) \
         ON CONFLICT (activity_id, volunteer_id) DO NOTHING RETURNING activity_id, volunteer_id, checked_in_at",
    )
    .bind(ids(|c| c.activity_id))
    .bind(ids(|c| c.volunteer_id))
    .bind(ids(|c| c.at))
    .bind(keyed.iter().map(|c| c.walk_up).collect::<Vec<bool>>())
    .bind(keyed.iter().map(|c| c.by).collect::<Vec<Option<i64>>>())
    .fetch_all(&mut *tx)
    .await?;
    let mut new: HashMap<(i64, i64), i64> = inserted.into_iter().map(|(a, v, at)| ((a, v), at)).collect();
    let mut stored: HashMap<(i64, i64), i64> = new.clone();
    let repeats: Vec<&CheckIn> = all.iter().filter(|c| !stored.contains_key(&(c.activity_id, c.volunteer_id))).collect();
    if !repeats.is_empty() {
        let earlier: Vec<(i64, i64, i64)> = sqlx::query_as(
            "SELECT t.activity_id, t.volunteer_id, t.checked_in_at FROM attendance t \
             JOIN UNNEST($1::BIGINT[], $2::BIGINT[]) AS r(activity_id, volunteer_id) \
             ON t.activity_id = r.activity_id AND t.volunteer_id = r.volunteer_id",
        )
        .bind(repeats.iter().map(|c| c.activity_id).collect::<Vec<i64>>())
        .bind(repeats.iter().map(|c| c.volunteer_id).collect::<Vec<i64>>())
        .fetch_all(&mut *tx)
        .await?;
        stored.extend(earlier.into_iter().map(|(a, v, at)| ((a, v), at)));
    }
    all.iter()
        .map(|c| {
            let pair = (c.activity_id, c.volunteer_id);
            match new.remove(&pair) {
                Some(at) => Ok((at, true)),
                None => stored.get(&pair).map(|at| (*at, false)).ok_or(crate::Error::NotFound),
            }
        })
        .collect()
}

/// `rows` in the order of their unique key, equal keys in arrival order: the
/// order a batch inserts them in. Two batches in flight (or on two
/// instances) then take the key locks of a pair both send in the same order,
/// and one waits for the other instead of both waiting for each other (paced
/// check-ins showed a p99 of 830 ms: the 1 s deadlock timeout).
fn in_key_order<T>(mut rows: Vec<&T>, key: impl Fn(&T) -> (i64, i64)) -> Vec<&T> {
    rows.sort_by_key(|r| key(r));
    rows
}

/// Sign-ups, `requests` sorted by activity (the order locks are taken in).
/// One INSERT for every request without a role, then per activity one
/// UPDATE that seats as many of its new ones as there are places (in
/// arrival order) and one that marks them confirmed; the rest of each
/// activity's requests one by one. Answers in the order of `requests`.
pub(crate) async fn sign_ups(tx: &mut PgConnection, requests: &[Request], now: i64) -> Result<Vec<Outcome>> {
    let plain = in_key_order(requests.iter().filter(|r| r.role_id.is_none()).collect(), |r| (r.activity_id, r.volunteer_id));
    let inserted: Vec<(i64, i64)> = sqlx::query_as(
        "INSERT INTO signups (activity_id, volunteer_id, status, starts_at, ends_at, queued_at, created_at, updated_at) \
         SELECT a, v, 'waitlisted', s, e, $5, $5, $5 FROM UNNEST($1::BIGINT[], $2::BIGINT[], $3::BIGINT[], $4::BIGINT[]) AS r(a, v, s, e) \
         ON CONFLICT (activity_id, volunteer_id) DO NOTHING RETURNING activity_id, volunteer_id",
    )
    .bind(plain.iter().map(|r| r.activity_id).collect::<Vec<i64>>())
    .bind(plain.iter().map(|r| r.volunteer_id).collect::<Vec<i64>>())
    .bind(plain.iter().map(|r| r.span.0).collect::<Vec<i64>>())
    .bind(plain.iter().map(|r| r.span.1).collect::<Vec<i64>>())
    .bind(now)
    .fetch_all(&mut *tx)
    .await?;
    let mut fresh: std::collections::HashSet<(i64, i64)> = inserted.into_iter().collect();
    let mut outs: Vec<Option<Outcome>> = vec![None; requests.len()];
    let mut start = 0;
    while start < requests.len() {
        let activity = requests[start].activity_id;
        let end = start + requests[start..].iter().take_while(|r| r.activity_id == activity).count();
        // The first request of each new pair, in arrival order.
        let new: Vec<usize> =
            (start..end).filter(|&i| requests[i].role_id.is_none() && fresh.remove(&(activity, requests[i].volunteer_id))).collect();
        if !new.is_empty() {
            let seated = seat(tx, activity, &new.iter().map(|&i| requests[i].volunteer_id).collect::<Vec<_>>(), now).await?;
            for (k, &i) in new.iter().enumerate() {
                let status = if k < seated { SignupStatus::Confirmed } else { SignupStatus::Waitlisted };
                outs[i] = Some(Outcome { status, new: true });
            }
        }
        // Repeats of a pair that has a live sign-up (a double tap, a retry)
        // answer its status, read at once; a cancelled one signs up again.
        let repeats: Vec<i64> =
            (start..end).filter(|&i| outs[i].is_none() && requests[i].role_id.is_none()).map(|i| requests[i].volunteer_id).collect();
        let standing = live_statuses(tx, activity, &repeats).await?;
        for i in start..end {
            if outs[i].is_none() {
                outs[i] = match standing.get(&requests[i].volunteer_id).filter(|_| requests[i].role_id.is_none()) {
                    Some(status) => Some(Outcome { status: *status, new: false }),
                    None => Some(sign_up_in!(in_sqlx, tx, &requests[i], now)),
                };
            }
        }
        start = end;
    }
    Ok(outs.into_iter().flatten().collect())
}

/// The sign-ups of `volunteers` on the activity that are not cancelled.
async fn live_statuses(tx: &mut PgConnection, activity: i64, volunteers: &[i64]) -> Result<HashMap<i64, SignupStatus>> {
    if volunteers.is_empty() {
        return Ok(HashMap::new());
    }
    let rows: Vec<(i64, String)> = sqlx::query_as(
        "SELECT volunteer_id, status FROM signups WHERE activity_id = $1 AND volunteer_id = ANY($2) AND status <> 'cancelled'",
    )
    .bind(activity)
    .bind(volunteers)
    .fetch_all(&mut *tx)
    .await?;
    rows.into_iter().map(|(v, s)| Ok((v, status_of(&s)?))).collect()
}

/// Seats the first of `volunteers` (just inserted as waitlisted) in the
/// activity's free places, counts the rest as waitlisted, and returns how
/// many were seated: the activity's row is read, locked and updated once.
/// The lock is `FOR NO KEY UPDATE`, what a plain UPDATE takes: `FOR UPDATE`
/// would wait for the key-share lock another instance's batch holds on the
/// row from inserting sign-ups that point to it, while that batch waits for
/// this one's, and the two deadlock (sign-ups on two instances fell to 150/s).
async fn seat(tx: &mut PgConnection, activity: i64, volunteers: &[i64], now: i64) -> Result<usize> {
    let n = volunteers.len() as i64;
    let seated: i64 = sqlx::query_scalar(
        "WITH o AS (SELECT id, LEAST($2, GREATEST(capacity - confirmed, 0)) AS k FROM activities WHERE id = $1 FOR NO KEY UPDATE) \
         UPDATE activities a SET confirmed = a.confirmed + o.k, waitlisted = a.waitlisted + $2 - o.k FROM o WHERE a.id = o.id RETURNING o.k",
    )
    .bind(activity)
    .bind(n)
    .fetch_one(&mut *tx)
    .await?;
    if seated > 0 {
        sqlx::query("UPDATE signups SET status = 'confirmed', updated_at = $3 WHERE activity_id = $1 AND volunteer_id = ANY($2)")
            .bind(activity)
            .bind(&volunteers[..seated as usize])
            .bind(now)
            .execute(&mut *tx)
            .await?;
    }
    Ok(seated as usize)
}
