//! Login sessions (web cookies and API bearer tokens alike), in the database
//! so several instances share them.

use crate::{now_ms, Db, Result};

/// Stores a session under the hash of its token; the token itself is never kept.
pub async fn create(db: &Db, token_hash: &str, user_id: i64, ttl_ms: i64) -> Result<()> {
    let now = now_ms();
    let sql = "INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)";
    db_write!(db, |p| sqlx::query(sql).bind(token_hash).bind(user_id).bind(now).bind(now + ttl_ms).execute(p).await?.rows_affected());
    Ok(())
}

pub async fn delete(db: &Db, token_hash: &str) -> Result<()> {
    db_write!(db, |p| sqlx::query("DELETE FROM sessions WHERE token_hash = $1").bind(token_hash).execute(p).await?.rows_affected());
    Ok(())
}

/// Drops expired sessions; run now and then.
pub async fn prune(db: &Db) -> Result<()> {
    let now = now_ms();
    db_write!(db, |p| sqlx::query("DELETE FROM sessions WHERE expires_at <= $1").bind(now).execute(p).await?.rows_affected());
    Ok(())
}
