//! A round's review panel and its members' votes on nominees.

use tongxing_domain::honours::panel::{PanelMember, Vote, PANEL_ROLES};

use crate::{Db, Result};

/// The name a user is shown by: the account's own, else its volunteer's.
const NAME: &str = "COALESCE(u.name, v.name, '')";

/// Names an account to a round's panel; false when it already sits on it.
pub async fn add(db: &Db, round_id: i64, user_id: i64, by: i64, now: i64) -> Result<bool> {
    let sql = "INSERT INTO honour_panel (round_id, user_id, added_by, added_at) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING";
    let n = db_write!(db, |p| sqlx::query(sql).bind(round_id).bind(user_id).bind(by).bind(now).execute(p).await?.rows_affected());
    Ok(n == 1)
}

/// The panel's members by name.
pub async fn members(db: &Db, round_id: i64) -> Result<Vec<PanelMember>> {
    let sql = format!(
        "SELECT u.id, {NAME} AS name FROM honour_panel m JOIN users u ON u.id = m.user_id \
         LEFT JOIN volunteers v ON v.id = u.volunteer_id WHERE m.round_id = $1 ORDER BY m.added_at, u.id"
    );
    let rows: Vec<(i64, String)> = db_read!(db, |p| sqlx::query_as(sqlx::AssertSqlSafe(&*sql)).bind(round_id).fetch_all(p).await?);
    Ok(rows.into_iter().map(|(user_id, name)| PanelMember { user_id, name }).collect())
}

/// The accounts the center may name (of the panel roles), by name, at most `limit`.
pub async fn candidates(db: &Db, limit: i64) -> Result<Vec<PanelMember>> {
    let roles: Vec<String> = PANEL_ROLES.iter().map(|r| format!("'{}'", r.as_str())).collect();
    let sql = format!(
        "SELECT u.id, {NAME} AS name FROM users u LEFT JOIN volunteers v ON v.id = u.volunteer_id \
         WHERE u.active = TRUE AND u.role IN ({}) ORDER BY name, u.id LIMIT $1",
        roles.join(", ")
    );
    let rows: Vec<(i64, String)> = db_read!(db, |p| sqlx::query_as(sqlx::AssertSqlSafe(&*sql)).bind(limit).fetch_all(p).await?);
    Ok(rows.into_iter().map(|(user_id, name)| PanelMember { user_id, name }).collect())
}

/// Records (or changes) a member's vote on a nomination of a round under
/// review; false when the round is not under review.
pub async fn vote(db: &Db, nomination_id: i64, user_id: i64, decision: &str, note: Option<&str>, now: i64) -> Result<bool> {
    let sql = "INSERT INTO honour_votes (nomination_id, user_id, decision, note, at) \
               SELECT n.id, $2, $3, $4, $5 FROM honour_nominations n JOIN honour_rounds r ON r.id = n.round_id \
               WHERE n.id = $1 AND r.stage = 'review' \
               ON CONFLICT (nomination_id, user_id) DO UPDATE SET decision = excluded.decision, note = excluded.note, at = excluded.at";
    let n = db_write!(db, |p| sqlx::query(sql)
        .bind(nomination_id)
        .bind(user_id)
        .bind(decision)
        .bind(note)
        .bind(now)
        .execute(p)
        .await?
        .rows_affected());
    Ok(n == 1)
}

/// Every vote on the round's nominations, by nominee then member.
pub async fn votes(db: &Db, round_id: i64) -> Result<Vec<Vote>> {
    let sql = format!(
        "SELECT x.nomination_id, COALESCE(nv.name, nt.name) AS nominee, x.user_id, {NAME} AS member, x.decision, x.note, x.at \
         FROM honour_votes x JOIN honour_nominations n ON n.id = x.nomination_id \
         LEFT JOIN volunteers nv ON nv.id = n.volunteer_id LEFT JOIN teams nt ON nt.id = n.team_id \
         JOIN users u ON u.id = x.user_id LEFT JOIN volunteers v ON v.id = u.volunteer_id \
         WHERE n.round_id = $1 ORDER BY x.nomination_id, x.at, x.user_id"
    );
    type Row = (i64, String, i64, String, String, Option<String>, i64);
    let rows: Vec<Row> = db_read!(db, |p| sqlx::query_as(sqlx::AssertSqlSafe(&*sql)).bind(round_id).fetch_all(p).await?);
    Ok(rows
        .into_iter()
        .map(|(nomination_id, nominee, user_id, member, decision, note, at)| Vote {
            nomination_id,
            nominee,
            user_id,
            member,
            decision,
            note,
            at,
        })
        .collect())
}
