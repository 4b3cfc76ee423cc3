//! Answers to a call. The conditional UPDATE on the call's counter decides
//! who is confirmed, so however many accept at once no more than `needed`
//! are; the conditional UPDATE on the person's own row makes a double tap or
//! a retry the same answer, not a second effect. A confirmed person is a
//! sign-up of the call's backing activity, which is where they check in.

use tongxing_domain::dispatch::{may_answer, Answer, CallStatus, ResponseStatus};

use crate::{now_ms, Db, Error, Result};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Answered {
    pub status: ResponseStatus,
    /// False when the answer was already given: nothing changed.
    pub changed: bool,
    /// Who moved up from standby because this person withdrew.
    pub promoted: Option<i64>,
}

/// Why an answer was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refused {
    CallClosed,
}

fn parse<T>(v: Option<T>, what: &str) -> Result<T> {
    v.ok_or_else(|| Error::Dump(format!("unknown {what} in the database")))
}

/// Takes a confirmed place for `volunteer` (status `from` → confirmed), or
/// evaluates to false when the call is full. Keeps the backing activity's
/// sign-up and counter in step.
macro_rules! confirm_in {
    ($tx:expr, $call:expr, $volunteer:expr, $now:expr) => {{
        let got = sqlx::query(
            "UPDATE dispatches SET confirmed = confirmed + 1, \
             status = CASE WHEN confirmed + 1 >= needed THEN 'filled' ELSE status END, \
             filled_at = CASE WHEN confirmed + 1 >= needed AND filled_at IS NULL THEN $2 ELSE filled_at END, updated_at = $2 \
             WHERE id = $1 AND status = 'open' AND confirmed < needed",
        )
        .bind($call)
        .bind($now)
        .execute(&mut *$tx)
        .await?
        .rows_affected()
            == 1;
        if got {
            sqlx::query(
                "INSERT INTO signups (activity_id, volunteer_id, status, starts_at, ends_at, queued_at, created_at, updated_at) \
                 SELECT a.id, $2, 'confirmed', a.starts_at, a.ends_at, $3, $3, $3 FROM activities a WHERE a.dispatch_id = $1 \
                 ON CONFLICT (activity_id, volunteer_id) DO UPDATE SET status = 'confirmed', updated_at = excluded.updated_at",
            )
            .bind($call)
            .bind($volunteer)
            .bind($now)
            .execute(&mut *$tx)
            .await?;
            sqlx::query("UPDATE activities SET confirmed = confirmed + 1 WHERE dispatch_id = $1").bind($call).execute(&mut *$tx).await?;
        }
        got
    }};
}

/// Gives a confirmed place back; the call reopens if it was full.
macro_rules! release_in {
    ($tx:expr, $call:expr, $volunteer:expr, $now:expr) => {
        sqlx::query(
            "UPDATE dispatches SET confirmed = confirmed - 1, status = CASE WHEN status = 'filled' THEN 'open' ELSE status END, \
             updated_at = $2 WHERE id = $1",
        )
        .bind($call)
        .bind($now)
        .execute(&mut *$tx)
        .await?;
        sqlx::query(
            "UPDATE signups SET status = 'cancelled', updated_at = $3 WHERE volunteer_id = $2 AND status = 'confirmed' \
             AND activity_id = (SELECT id FROM activities WHERE dispatch_id = $1)",
        )
        .bind($call)
        .bind($volunteer)
        .bind($now)
        .execute(&mut *$tx)
        .await?;
        sqlx::query("UPDATE activities SET confirmed = confirmed - 1 WHERE dispatch_id = $1").bind($call).execute(&mut *$tx).await?;
    };
}

/// Moves the first on standby into a free place and tells them; evaluates
/// to who moved up.
macro_rules! promote_in {
    ($tx:expr, $call:expr, $now:expr) => {{
        let first: Option<i64> = sqlx::query_scalar(
            "SELECT volunteer_id FROM dispatch_responses WHERE dispatch_id = $1 AND status = 'standby' ORDER BY queued_at, volunteer_id LIMIT 1",
        )
        .bind($call)
        .fetch_optional(&mut *$tx)
        .await?;
        match first {
            Some(v) if confirm_in!($tx, $call, v, $now) => {
                sqlx::query("UPDATE dispatch_responses SET status = 'confirmed' WHERE dispatch_id = $1 AND volunteer_id = $2")
                    .bind($call)
                    .bind(v)
                    .execute(&mut *$tx)
                    .await?;
                sqlx::query("UPDATE dispatches SET standby = standby - 1 WHERE id = $1").bind($call).execute(&mut *$tx).await?;
                sqlx::query(
                    "INSERT INTO notifications (user_id, at, kind, dispatch_id, detail) SELECT u.id, $1, 'dispatch_promoted', d.id, d.title \
                     FROM users u JOIN dispatches d ON d.id = $2 WHERE u.volunteer_id = $3 AND u.active = TRUE",
                )
                .bind($now)
                .bind($call)
                .bind(v)
                .execute(&mut *$tx)
                .await?;
                Some(v)
            }
            _ => None,
        }
    }};
}

/// Records `answer` from `volunteer` (asked or committed earlier).
pub async fn answer(db: &Db, call: i64, volunteer: i64, answer: Answer, by: Option<i64>) -> Result<std::result::Result<Answered, Refused>> {
    answer_or_join(db, call, volunteer, answer, by, None).await
}

/// A liaison's commitment of one of their people, asked or not: it counts as
/// that person's acceptance.
pub async fn commit(db: &Db, call: i64, volunteer: i64, unit: i64, token: &str, by: i64) -> Result<std::result::Result<Answered, Refused>> {
    answer_or_join(db, call, volunteer, Answer::Accept, Some(by), Some((unit, token))).await
}

/// `answer`, first adding `volunteer` to the call (of unit `join.0`, with
/// answer link secret `join.1`) when `join` is given and they are not on it.
async fn answer_or_join(
    db: &Db,
    call: i64,
    volunteer: i64,
    answer: Answer,
    by: Option<i64>,
    join: Option<(i64, &str)>,
) -> Result<std::result::Result<Answered, Refused>> {
    let now = now_ms();
    db_write!(db, |p| {
        let mut tx = p.begin().await?;
        // Write first: the call's row lock orders racing answers (and on
        // SQLite takes the write lock before reading, so a second instance's
        // writer cannot turn this transaction's snapshot stale).
        let found = sqlx::query("UPDATE dispatches SET updated_at = updated_at WHERE id = $1").bind(call).execute(&mut *tx).await?;
        if found.rows_affected() == 0 {
            return Err(Error::NotFound);
        }
        if let Some((unit, token)) = join {
            // Only onto a call still taking answers, under the same lock as
            // the answer: a refused commitment leaves no row behind.
            sqlx::query(
                "INSERT INTO dispatch_responses (dispatch_id, volunteer_id, unit_id, wave, status, token, notified_at) \
                 SELECT id, $2, $3, 0, 'notified', $4, $5 FROM dispatches WHERE id = $1 AND status <> 'closed' \
                 ON CONFLICT (dispatch_id, volunteer_id) DO NOTHING",
            )
            .bind(call)
            .bind(volunteer)
            .bind(unit)
            .bind(token)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        }
        let row: Option<(String, String)> = sqlx::query_as(
            "SELECT r.status, d.status FROM dispatch_responses r JOIN dispatches d ON d.id = r.dispatch_id WHERE r.dispatch_id = $1 AND r.volunteer_id = $2",
        )
        .bind(call)
        .bind(volunteer)
        .fetch_optional(&mut *tx)
        .await?;
        let Some((mine, theirs)) = row else {
            // Joining found the call closed; otherwise this person was never asked.
            return if join.is_some() { Ok(Err(Refused::CallClosed)) } else { Err(Error::NotFound) };
        };
        let current = parse(ResponseStatus::parse(&mine), "response status")?;
        let call_status = parse(CallStatus::parse(&theirs), "call status")?;
        match may_answer(call_status, current, answer) {
            Err(_) => return Ok(Err(Refused::CallClosed)),
            Ok(false) => return Ok(Ok(Answered { status: current, changed: false, promoted: None })),
            Ok(true) => {}
        }
        let mut promoted = None;
        let next = match answer {
            Answer::Accept if confirm_in!(tx, call, volunteer, now) => ResponseStatus::Confirmed,
            Answer::Accept => {
                let n = sqlx::query("UPDATE dispatches SET standby = standby + 1, updated_at = $2 WHERE id = $1 AND status <> 'closed'")
                    .bind(call)
                    .bind(now)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
                if n == 0 {
                    return Ok(Err(Refused::CallClosed));
                }
                ResponseStatus::Standby
            }
            Answer::Decline if current == ResponseStatus::Confirmed => {
                release_in!(tx, call, volunteer, now);
                promoted = promote_in!(tx, call, now);
                ResponseStatus::Withdrawn
            }
            Answer::Decline if current == ResponseStatus::Standby => {
                sqlx::query("UPDATE dispatches SET standby = standby - 1, updated_at = $2 WHERE id = $1")
                    .bind(call)
                    .bind(now)
                    .execute(&mut *tx)
                    .await?;
                ResponseStatus::Withdrawn
            }
            Answer::Decline => ResponseStatus::Declined,
        };
        // The arbiter of double taps: only the request that saw `current` moves it.
        let moved = sqlx::query(
            "UPDATE dispatch_responses SET status = $1, answered_at = $2, answered_by = $3, \
             queued_at = CASE WHEN $1 = 'standby' THEN $2 ELSE queued_at END WHERE dispatch_id = $4 AND volunteer_id = $5 AND status = $6",
        )
        .bind(next.as_str())
        .bind(now)
        .bind(by)
        .bind(call)
        .bind(volunteer)
        .bind(current.as_str())
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if moved == 0 {
            // Someone else's identical answer won; this one rolls back.
            let now_status: String =
                sqlx::query_scalar("SELECT status FROM dispatch_responses WHERE dispatch_id = $1 AND volunteer_id = $2")
                    .bind(call)
                    .bind(volunteer)
                    .fetch_one(&mut *tx)
                    .await?;
            return Ok(Ok(Answered {
                status: parse(ResponseStatus::parse(&now_status), "response status")?,
                changed: false,
                promoted: None,
            }));
        }
        if answer == Answer::Accept && matches!(current, ResponseStatus::Notified | ResponseStatus::Declined) {
            sqlx::query("UPDATE volunteer_call_stats SET accepted = accepted + 1, updated_at = $2 WHERE volunteer_id = $1")
                .bind(volunteer)
                .bind(now)
                .execute(&mut *tx)
                .await?;
        }
        event_in!(tx, call, next.as_str(), now);
        tx.commit().await?;
        Ok(Ok(Answered { status: next, changed: true, promoted }))
    })
}

/// The call and volunteer an answer link is for.
pub async fn by_token(db: &Db, token: &str) -> Result<(i64, i64)> {
    let sql = "SELECT dispatch_id, volunteer_id FROM dispatch_responses WHERE token = $1";
    db_read!(db, |p| sqlx::query_as(sql).bind(token).fetch_optional(p).await?).ok_or(Error::NotFound)
}

/// One person on a call, as the board, the roster and the report show them.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow, serde::Serialize)]
pub struct Response {
    pub volunteer_id: i64,
    pub name: String,
    pub phone: String,
    pub unit_id: i64,
    pub unit_name: String,
    pub wave: i64,
    pub status: String,
    pub score: Option<f64>,
    pub distance_km: Option<f64>,
    pub notified_at: i64,
    pub answered_at: Option<i64>,
}

/// Everyone on a call; `statuses` empty means all.
pub async fn responses(db: &Db, call: i64, statuses: &[&str]) -> Result<Vec<Response>> {
    let filter = if statuses.is_empty() {
        String::new()
    } else {
        format!(" AND r.status IN ({})", statuses.iter().map(|s| format!("'{s}'")).collect::<Vec<_>>().join(", "))
    };
    let sql = format!(
        "SELECT r.volunteer_id, v.name, v.phone, r.unit_id, u.name AS unit_name, r.wave, r.status, r.score, r.distance_km, r.notified_at, r.answered_at \
         FROM dispatch_responses r JOIN volunteers v ON v.id = r.volunteer_id JOIN units u ON u.id = r.unit_id \
         WHERE r.dispatch_id = $1{filter} ORDER BY r.unit_id, r.status, r.answered_at, r.volunteer_id"
    );
    db_read!(db, |p| Ok(sqlx::query_as(sqlx::AssertSqlSafe(&*sql)).bind(call).fetch_all(p).await?))
}

/// `(volunteer_id, skill)` for everyone on a call, for the roster.
pub async fn skills(db: &Db, call: i64) -> Result<Vec<(i64, String)>> {
    let sql = "SELECT s.volunteer_id, s.skill FROM volunteer_skills s JOIN dispatch_responses r ON r.volunteer_id = s.volunteer_id \
               WHERE r.dispatch_id = $1 AND r.status IN ('confirmed', 'standby') ORDER BY s.volunteer_id, s.skill";
    db_read!(db, |p| Ok(sqlx::query_as(sql).bind(call).fetch_all(p).await?))
}

/// Raises what a call needs by `add` (the center tops it up): it opens
/// again if it was full, and people on standby move up into the new places
/// first. Evaluates to how many moved up; `Conflict` once the call is closed.
pub async fn top_up(db: &Db, call: i64, add: i64) -> Result<usize> {
    let now = now_ms();
    db_write!(db, |p| {
        let mut tx = p.begin().await?;
        let n = sqlx::query(
            "UPDATE dispatches SET needed = needed + $2, status = CASE WHEN status = 'filled' THEN 'open' ELSE status END, updated_at = $3 \
             WHERE id = $1 AND status <> 'closed'",
        )
        .bind(call)
        .bind(add)
        .bind(now)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if n == 0 {
            return Err(Error::Conflict);
        }
        sqlx::query("UPDATE activities SET capacity = capacity + $2 WHERE dispatch_id = $1").bind(call).bind(add).execute(&mut *tx).await?;
        let mut promoted = 0;
        while promoted < add as usize && promote_in!(tx, call, now).is_some() {
            promoted += 1;
        }
        event_in!(tx, call, "top_up", now);
        tx.commit().await?;
        Ok(promoted)
    })
}

/// The answer link secret of someone asked on a call.
pub async fn token_of(db: &Db, call: i64, volunteer: i64) -> Result<String> {
    let sql = "SELECT token FROM dispatch_responses WHERE dispatch_id = $1 AND volunteer_id = $2";
    db_read!(db, |p| sqlx::query_scalar(sql).bind(call).bind(volunteer).fetch_optional(p).await?).ok_or(Error::NotFound)
}
