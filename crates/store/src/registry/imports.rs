//! Uploaded rosters waiting between preview and commit.

use crate::{now_ms, Db, Result};

pub async fn put(db: &Db, token: &str, user_id: i64, file_name: &str, payload: &[u8]) -> Result<()> {
    let sql = "INSERT INTO pending_imports (token, user_id, created_at, file_name, payload) VALUES ($1, $2, $3, $4, $5)";
    db_write!(db, |p| sqlx::query(sql)
        .bind(token)
        .bind(user_id)
        .bind(now_ms())
        .bind(file_name)
        .bind(payload)
        .execute(p)
        .await?
        .rows_affected());
    Ok(())
}

/// The file a user uploaded under `token`, if it is theirs.
pub async fn get(db: &Db, token: &str, user_id: i64) -> Result<Option<(String, Vec<u8>)>> {
    let sql = "SELECT file_name, payload FROM pending_imports WHERE token = $1 AND user_id = $2";
    db_read!(db, |p| Ok(sqlx::query_as(sql).bind(token).bind(user_id).fetch_optional(p).await?))
}

pub async fn delete(db: &Db, token: &str) -> Result<()> {
    db_write!(db, |p| sqlx::query("DELETE FROM pending_imports WHERE token = $1").bind(token).execute(p).await?.rows_affected());
    Ok(())
}

/// Drops uploads nobody committed within a day.
pub async fn prune(db: &Db) -> Result<()> {
    let before = now_ms() - 24 * 3600 * 1000;
    db_write!(db, |p| sqlx::query("DELETE FROM pending_imports WHERE created_at < $1").bind(before).execute(p).await?.rows_affected());
    Ok(())
}
