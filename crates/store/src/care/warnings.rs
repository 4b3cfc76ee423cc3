//! Each pair's warning level from its due day, and announcing a rise or a
//! coming due day once, whichever instance gets there first.

use tongxing_domain::care::due::CareLimits;

use crate::notifications::About;
use crate::sql::Arg;
use crate::{Db, Result};

/// The level every active pair has on `today` ($1), from its stored due day;
/// paused and ended pairs have none. Limits are $2..$5 (blue … red).
const LEVEL: &str = "CASE WHEN status <> 'active' THEN 0 WHEN $1 - due_day >= $5 THEN 4 WHEN $1 - due_day >= $4 THEN 3 \
    WHEN $1 - due_day >= $3 THEN 2 WHEN $1 - due_day >= $2 THEN 1 ELSE 0 END";

fn level_args(limits: &CareLimits, today: i64) -> Vec<Arg> {
    let l = limits.0;
    vec![Arg::I64(today), Arg::I64(l.blue), Arg::I64(l.yellow), Arg::I64(l.orange), Arg::I64(l.red)]
}

/// Sets every pair's level for `today`, touching only pairs whose level
/// changes; a level that falls (a visit, a pause) may be announced again.
/// Returns how many changed.
pub async fn recompute_levels(db: &Db, limits: &CareLimits, today: i64) -> Result<u64> {
    let sql = format!(
        "UPDATE care_pairs SET warning_level = {LEVEL}, notified_level = CASE WHEN {LEVEL} < notified_level THEN {LEVEL} \
         ELSE notified_level END WHERE warning_level <> {LEVEL} AND (status = 'active' OR warning_level > 0)"
    );
    let args = level_args(limits, today);
    Ok(db_write!(db, |p| bind_args!(sqlx::query(sqlx::AssertSqlSafe(&*sql)), args).execute(p).await?.rows_affected()))
}

/// Open pairs whose level rose past what was announced, yellow and above.
pub async fn pending_escalations(db: &Db) -> Result<Vec<(i64, i64)>> {
    let sql = "SELECT id, warning_level FROM care_pairs WHERE status = 'active' AND warning_level > notified_level \
               AND warning_level >= 2 ORDER BY id";
    db_read!(db, |p| Ok(sqlx::query_as(sql).fetch_all(p).await?))
}

/// Announces a pair's new level once, whichever instance gets there first
/// (the notifications kernel's conditional mark).
pub async fn escalate(db: &Db, pair_id: i64, level: i64, kind: &str, detail: &str, users: &[i64]) -> Result<bool> {
    let mark = "UPDATE care_pairs SET notified_level = $1 WHERE id = $2 AND notified_level < $1";
    crate::notifications::announce_once(db, mark, [level, pair_id], About::CarePair(pair_id), kind, detail, users).await
}

/// Active pairs due within `days` of `today` whose volunteer was not yet
/// reminded of this due day: (pair, due day).
pub async fn due_soon(db: &Db, today: i64, days: i64) -> Result<Vec<(i64, i64)>> {
    let sql = "SELECT id, due_day FROM care_pairs WHERE status = 'active' AND due_day >= $1 AND due_day <= $2 \
               AND (reminded_day IS NULL OR reminded_day <> due_day) ORDER BY id";
    db_read!(db, |p| Ok(sqlx::query_as(sql).bind(today).bind(today + days).fetch_all(p).await?))
}

/// Reminds a volunteer of one due day once.
pub async fn remind(db: &Db, pair_id: i64, due_day: i64, detail: &str, users: &[i64]) -> Result<bool> {
    let mark = "UPDATE care_pairs SET reminded_day = $1 WHERE id = $2 AND (reminded_day IS NULL OR reminded_day <> $1)";
    crate::notifications::announce_once(db, mark, [due_day, pair_id], About::CarePair(pair_id), "care_due_soon", detail, users).await
}
