//! A region's past needs loaded in bulk (the demo's year, benchmarks): many
//! rows per statement, in one transaction.

use tongxing_domain::needs::{Status, WarningLevel};

use crate::needs::NewNeed;
use crate::sql::placeholders;
use crate::{Db, Error, Result};

/// A need with its whole past, for loading a region's history in bulk.
#[derive(Debug, Clone)]
pub struct PastNeed {
    pub need: NewNeed,
    pub status: Status,
    pub status_since: i64,
    /// Taken as already announced: no escalation follows for it.
    pub warning_level: WarningLevel,
    pub team_id: Option<i64>,
    pub reject_reason: Option<String>,
    /// A duplicate's original: an earlier entry of the same batch.
    pub merged_into: Option<usize>,
    pub summary: Option<String>,
    pub rating: Option<(i64, Option<String>)>,
    pub created_at: i64,
    /// Its history, oldest first.
    pub events: Vec<PastEvent>,
    /// Hours credited on completion, recorded by whoever completed it, then.
    pub hours: Vec<(i64, f64)>,
    pub served_on: String,
}

#[derive(Debug, Clone)]
pub struct PastEvent {
    pub at: i64,
    pub status: Status,
    pub user_id: Option<i64>,
    pub team_id: Option<i64>,
    pub note: Option<String>,
}

/// `rows` tuples of `columns` placeholders, with `tail` appended inside each.
/// SQLite gets anonymous `?`: it looks each `$N` up in a list, which makes a
/// statement of many thousand `$N` take seconds. The bulk loads run such
/// statements `persistent(false)`: each is megabytes prepared, and kept in
/// the write connection's cache of 100 they held a server that had loaded
/// the demo region at 147 MB resident after the load.
pub(crate) fn value_rows(db: &Db, columns: usize, rows: usize, tail: &str) -> String {
    let row = |r: usize| match db {
        Db::Sqlite { .. } => vec!["?"; columns].join(", "),
        Db::Postgres(_) => placeholders(r * columns + 1, columns),
    };
    (0..rows).map(|r| format!("({}{tail})", row(r))).collect::<Vec<_>>().join(", ")
}

/// Both backends take over 24,000 bind values in one statement.
pub(crate) const MAX_BINDS: usize = 24_000;

/// Stores needs with their history lines and hours in one transaction, many
/// rows per statement, so a year of a region's needs loads in seconds.
/// Returns the ids, in order.
pub async fn create_past(db: &Db, needs: &[PastNeed]) -> Result<Vec<i64>> {
    const COLUMNS: &str = "tracking_code, title, description, category, community_id, district_id, requester_name, requester_phone, \
        channel, volunteers_needed, status, status_since, warning_level, notified_level, team_id, reject_reason, merged_into, summary, \
        rating_stars, rating_comment, submitted_by, submitter_ip, created_at, updated_at";
    let per_insert = MAX_BINDS / 24;
    let events: Vec<(usize, &PastEvent)> = needs.iter().enumerate().flat_map(|(i, n)| n.events.iter().map(move |e| (i, e))).collect();
    let hours: Vec<(usize, i64, f64)> = needs.iter().enumerate().flat_map(|(i, n)| n.hours.iter().map(move |h| (i, h.0, h.1))).collect();
    let rebuild = crate::ledger::rebuild(db.backend());
    db_write!(db, |p| {
        let mut tx = p.begin().await?;
        let mut ids: Vec<i64> = Vec::with_capacity(needs.len());
        while ids.len() < needs.len() {
            let start = ids.len();
            // A statement ends before a duplicate whose original it has not stored yet.
            let end = (start..needs.len().min(start + per_insert)).find(|&i| needs[i].merged_into.is_some_and(|j| j >= start));
            let end = match end {
                Some(i) if i == start => return Err(Error::BadReference),
                Some(i) => i,
                None => needs.len().min(start + per_insert),
            };
            let chunk = &needs[start..end];
            let sql = format!("INSERT INTO needs ({COLUMNS}) VALUES {} RETURNING id, tracking_code", value_rows(db, 24, chunk.len(), ""));
            let mut q = sqlx::query_as::<_, (i64, String)>(sqlx::AssertSqlSafe(&*sql)).persistent(false);
            for n in chunk {
                let (new, level) = (&n.need, n.warning_level.rank());
                q = q.bind(&new.tracking_code).bind(&new.title).bind(&new.description).bind(&new.category).bind(new.community_id);
                q = q.bind(new.district_id).bind(&new.requester_name).bind(&new.requester_phone).bind(new.channel);
                q = q.bind(new.volunteers_needed).bind(n.status.as_str()).bind(n.status_since).bind(level).bind(level);
                q = q.bind(n.team_id).bind(&n.reject_reason).bind(n.merged_into.map(|j| ids[j])).bind(&n.summary);
                q = q.bind(n.rating.as_ref().map(|r| r.0)).bind(n.rating.as_ref().and_then(|r| r.1.clone()));
                q = q.bind(new.submitted_by).bind(&new.submitter_ip).bind(n.created_at).bind(n.status_since);
            }
            // RETURNING promises no order: the unique code says which id is whose.
            let stored: std::collections::HashMap<String, i64> = q.fetch_all(&mut *tx).await?.into_iter().map(|(id, c)| (c, id)).collect();
            ids.extend(chunk.iter().map(|n| stored[&n.need.tracking_code]));
        }
        for chunk in events.chunks(MAX_BINDS / 6) {
            let sql = format!(
                "INSERT INTO need_events (need_id, at, status, user_id, team_id, note) VALUES {}",
                value_rows(db, 6, chunk.len(), "")
            );
            let mut q = sqlx::query(sqlx::AssertSqlSafe(&*sql)).persistent(false);
            for (i, e) in chunk {
                q = q.bind(ids[*i]).bind(e.at).bind(e.status.as_str()).bind(e.user_id).bind(e.team_id).bind(&e.note);
            }
            q.execute(&mut *tx).await?;
        }
        for chunk in hours.chunks(MAX_BINDS / 7) {
            let sql = format!(
                "INSERT INTO hours_entries (volunteer_id, need_id, hours, served_on, recorded_by, confirmed_by, created_at, kind) VALUES {}",
                value_rows(db, 7, chunk.len(), ", 'need_service'")
            );
            let mut q = sqlx::query(sqlx::AssertSqlSafe(&*sql)).persistent(false);
            for (i, volunteer, h) in chunk {
                let done = needs[*i].events.iter().rev().find(|e| e.status == Status::Completed);
                let (by, at) = (done.and_then(|e| e.user_id), done.map_or(needs[*i].status_since, |e| e.at));
                q = q.bind(*volunteer).bind(ids[*i]).bind(*h).bind(&needs[*i].served_on).bind(by).bind(by).bind(at);
            }
            q.execute(&mut *tx).await?;
        }
        // The running totals are derived from the entries just written.
        crate::ledger::rebuild_in!(tx, db, &rebuild);
        tx.commit().await?;
        Ok(ids)
    })
}
