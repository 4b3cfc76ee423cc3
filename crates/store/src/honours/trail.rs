//! A round's audit trail: every audit entry about the round, its
//! nominations and its objections, oldest first (what the center exports).

use tongxing_domain::honours::view::TrailEntry;

use crate::{Db, Result};

type Row = (i64, Option<String>, String, String, Option<i64>, Option<String>);

/// At most this many entries are exported; a round has a few hundred.
const LIMIT: i64 = 20_000;

pub async fn of_round(db: &Db, round_id: i64) -> Result<Vec<TrailEntry>> {
    // Who: the account's name, or its volunteer's (people are shown by name).
    let sql = "SELECT a.at, COALESCE(u.name, v.name) AS who, a.action, a.subject_kind, a.subject_id, a.detail FROM audit_log a \
               LEFT JOIN users u ON u.id = a.user_id LEFT JOIN volunteers v ON v.id = u.volunteer_id \
               WHERE (a.subject_kind = 'honour_round' AND a.subject_id = $1) \
               OR (a.subject_kind = 'honour_nomination' AND a.subject_id IN (SELECT id FROM honour_nominations WHERE round_id = $1)) \
               OR (a.subject_kind = 'honour_objection' AND a.subject_id IN (SELECT id FROM honour_objections WHERE round_id = $1)) \
               ORDER BY a.id LIMIT $2";
    let rows: Vec<Row> = db_read!(db, |p| sqlx::query_as(sql).bind(round_id).bind(LIMIT).fetch_all(p).await?);
    Ok(rows
        .into_iter()
        .map(|(at, who, action, subject_kind, subject_id, detail)| TrailEntry { at, who, action, subject_kind, subject_id, detail })
        .collect())
}
