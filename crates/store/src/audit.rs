//! The audit log: who read or changed what, and when. Append-only.

use sqlx::FromRow;
use tongxing_domain::model::{AuditEntry, Paged};
use tongxing_domain::paging::Page;

use crate::{now_ms, Db, Result};

#[derive(FromRow)]
struct Row {
    id: i64,
    at: i64,
    user_id: Option<i64>,
    user_login: Option<String>,
    action: String,
    subject_kind: String,
    subject_id: Option<i64>,
    detail: Option<String>,
}

pub async fn record(
    db: &Db,
    user_id: Option<i64>,
    action: &str,
    subject_kind: &str,
    subject_id: Option<i64>,
    detail: Option<&str>,
) -> Result<()> {
    let sql = "INSERT INTO audit_log (at, user_id, action, subject_kind, subject_id, detail) VALUES ($1, $2, $3, $4, $5, $6)";
    db_write!(db, |p| sqlx::query(sql)
        .bind(now_ms())
        .bind(user_id)
        .bind(action)
        .bind(subject_kind)
        .bind(subject_id)
        .bind(detail)
        .execute(p)
        .await?
        .rows_affected());
    Ok(())
}

/// Newest first.
pub async fn list(db: &Db, page: Page) -> Result<Paged<AuditEntry>> {
    let sql = "SELECT a.id, a.at, a.user_id, u.login AS user_login, a.action, a.subject_kind, a.subject_id, a.detail \
               FROM audit_log a LEFT JOIN users u ON u.id = a.user_id ORDER BY a.id DESC LIMIT $1 OFFSET $2";
    db_read!(db, |p| {
        let rows: Vec<Row> = sqlx::query_as(sql).bind(page.limit()).bind(page.offset()).fetch_all(p).await?;
        let total: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM audit_log").fetch_one(p).await?;
        let items = rows
            .into_iter()
            .map(|r| AuditEntry {
                id: r.id,
                at: r.at,
                user_id: r.user_id,
                user_login: r.user_login,
                action: r.action,
                subject_kind: r.subject_kind,
                subject_id: r.subject_id,
                detail: r.detail,
            })
            .collect();
        Ok(Paged { items, total })
    })
}

/// The newest entry of `action`, as (id, detail): markers such as the demo's.
pub async fn last_of(db: &Db, action: &str) -> Result<Option<(i64, Option<String>)>> {
    let sql = "SELECT id, detail FROM audit_log WHERE action = $1 ORDER BY id DESC LIMIT 1";
    Ok(db_read!(db, |p| sqlx::query_as(sql).bind(action).fetch_optional(p).await?))
}
