//! Group commit on PostgreSQL in a handful of statements per batch. Every
//! statement is a round trip to the server, and the rows an activity's
//! counter lives in is locked until commit: a batch of 64 sign-ups made one
//! by one is some 200 round trips with the activity locked throughout,
//! which capped sign-ups near 1,500/s. Here a batch inserts all its rows in
//! one statement and takes the places of all its activities in another,
//! whatever the number of requests. The rules are those of
//! `signups::sign_up` and `attendance::check_in` (the same capacity guard
//! and the same answers); what does not fit the set-based path — a request
//! naming a role, a pair whose sign-up was cancelled — goes through their
//! one-by-one statements inside the same transaction (a repeat of a pair
//! with a live sign-up is answered from what the insert read). SQLite has no
//! round trips and runs each one by one on its direct writer (direct.rs).

use std::collections::{HashMap, HashSet};

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

/// Sign-ups, `requests` sorted by activity (arrival order within one), in
/// four round trips whatever the batch: BEGIN; one statement that inserts
/// every request without a role and reads the pairs that already had a row;
/// one that locks every activity of the batch in id order, seats as many
/// new ones of each as it has places (in arrival order) and marks them
/// confirmed; COMMIT. The activities stay locked from that statement to the
/// commit only — taking them one by one, two statements each, held a batch
/// over ~15 activities locked for some 30 round trips, and a second
/// instance's batches queued behind it. What does not fit — a request
/// naming a role, a pair whose sign-up was cancelled — goes through
/// `sign_up_in!` one by one after the locks are held. Answers in the order
/// of `requests`.
pub(crate) async fn sign_ups(tx: &mut PgConnection, requests: &[Request], now: i64) -> Result<Vec<Outcome>> {
    let plain = in_key_order(requests.iter().filter(|r| r.role_id.is_none()).collect(), |r| (r.activity_id, r.volunteer_id));
    let (mut fresh, before) = insert_plain(tx, &plain, now).await?;
    // The first request of each new pair, in arrival order within its activity.
    let new: Vec<usize> = (0..requests.len())
        .filter(|&i| requests[i].role_id.is_none() && fresh.remove(&(requests[i].activity_id, requests[i].volunteer_id)))
        .collect();
    let seated = seat(tx, requests, &new, now).await?;
    let mut outs: Vec<Option<Outcome>> = vec![None; requests.len()];
    let mut decided: HashMap<(i64, i64), SignupStatus> = HashMap::new();
    let mut taken: HashMap<i64, i64> = HashMap::new();
    for &i in &new {
        let r = &requests[i];
        let k = taken.entry(r.activity_id).or_default();
        let status = if *k < seated.get(&r.activity_id).copied().unwrap_or(0) { SignupStatus::Confirmed } else { SignupStatus::Waitlisted };
        *k += 1;
        decided.insert((r.activity_id, r.volunteer_id), status);
        outs[i] = Some(Outcome { status, new: true });
    }
    for (i, r) in requests.iter().enumerate() {
        if outs[i].is_some() {
            continue;
        }
        let pair = (r.activity_id, r.volunteer_id);
        // A repeat (a double tap, a retry) of a pair with a live sign-up
        // answers its status; a cancelled one, or one naming a role, is made
        // one by one.
        let standing = decided.get(&pair).or(before.get(&pair)).filter(|s| r.role_id.is_none() && **s != SignupStatus::Cancelled);
        outs[i] = Some(match standing {
            Some(status) => Outcome { status: *status, new: false },
            None => sign_up_in!(in_sqlx, tx, r, now),
        });
    }
    Ok(outs.into_iter().flatten().collect())
}

/// Inserts `plain` as waitlisted; returns the pairs inserted and the status
/// of those that had a row before the statement began. A pair another
/// batch committed while this one waited on it is in neither, and is made
/// one by one (which finds it).
async fn insert_plain(
    tx: &mut PgConnection,
    plain: &[&Request],
    now: i64,
) -> Result<(HashSet<(i64, i64)>, HashMap<(i64, i64), SignupStatus>)> {
    let rows: Vec<(i64, i64, Option<String>)> = sqlx::query_as(
        "WITH r AS (SELECT * FROM UNNEST($1::BIGINT[], $2::BIGINT[], $3::BIGINT[], $4::BIGINT[]) AS r(a, v, s, e)), \
         ins AS (INSERT INTO signups (activity_id, volunteer_id, status, starts_at, ends_at, queued_at, created_at, updated_at) \
         SELECT a, v, 'waitlisted', s, e, $5, $5, $5 FROM r ON CONFLICT (activity_id, volunteer_id) DO NOTHING RETURNING activity_id, volunteer_id) \
         SELECT activity_id, volunteer_id, NULL::TEXT FROM ins UNION ALL \
         SELECT t.activity_id, t.volunteer_id, t.status FROM signups t JOIN r ON t.activity_id = r.a AND t.volunteer_id = r.v",
    )
    .bind(plain.iter().map(|r| r.activity_id).collect::<Vec<i64>>())
    .bind(plain.iter().map(|r| r.volunteer_id).collect::<Vec<i64>>())
    .bind(plain.iter().map(|r| r.span.0).collect::<Vec<i64>>())
    .bind(plain.iter().map(|r| r.span.1).collect::<Vec<i64>>())
    .bind(now)
    .fetch_all(&mut *tx)
    .await?;
    let (mut inserted, mut before) = (HashSet::new(), HashMap::new());
    for (a, v, status) in rows {
        match status {
            None => {
                inserted.insert((a, v));
            }
            Some(s) => {
                before.insert((a, v), status_of(&s)?);
            }
        }
    }
    Ok((inserted, before))
}

/// Locks every activity of the batch (sorted by activity: the order two
/// batches take them in, so they wait for each other instead of
/// deadlocking), seats the first of each one's `new` requests (just
/// inserted as waitlisted) in its free places, counts the rest as
/// waitlisted, and returns how many of each were seated. The lock is
/// `FOR NO KEY UPDATE`, what a plain UPDATE takes: `FOR UPDATE` would wait
/// for the key-share lock another instance's batch holds on the row from
/// inserting sign-ups that point to it, while that batch waits for this
/// one's, and the two deadlock (sign-ups on two instances fell to 150/s).
async fn seat(tx: &mut PgConnection, requests: &[Request], new: &[usize], now: i64) -> Result<HashMap<i64, i64>> {
    let mut all: Vec<i64> = requests.iter().map(|r| r.activity_id).collect();
    all.dedup();
    let rows: Vec<(i64, i64)> = sqlx::query_as(
        "WITH n AS (SELECT a, COUNT(*) AS n FROM UNNEST($2::BIGINT[]) AS r(a) GROUP BY a), \
         o AS (SELECT x.id, COALESCE(n.n, 0) AS n, LEAST(COALESCE(n.n, 0), GREATEST(x.capacity - x.confirmed, 0)) AS k \
               FROM activities x LEFT JOIN n ON n.a = x.id WHERE x.id = ANY($1) ORDER BY x.id FOR NO KEY UPDATE OF x), \
         counted AS (UPDATE activities x SET confirmed = x.confirmed + o.k, waitlisted = x.waitlisted + o.n - o.k \
                     FROM o WHERE x.id = o.id AND o.n > 0), \
         seated AS (UPDATE signups s SET status = 'confirmed', updated_at = $4 \
                    FROM (SELECT a, v, ROW_NUMBER() OVER (PARTITION BY a ORDER BY i) AS place \
                          FROM UNNEST($2::BIGINT[], $3::BIGINT[]) WITH ORDINALITY AS r(a, v, i)) r JOIN o ON o.id = r.a \
                    WHERE r.place <= o.k AND s.activity_id = r.a AND s.volunteer_id = r.v) \
         SELECT id, k FROM o WHERE n > 0",
    )
    .bind(&all)
    .bind(new.iter().map(|&i| requests[i].activity_id).collect::<Vec<i64>>())
    .bind(new.iter().map(|&i| requests[i].volunteer_id).collect::<Vec<i64>>())
    .bind(now)
    .fetch_all(&mut *tx)
    .await?;
    Ok(rows.into_iter().collect())
}
