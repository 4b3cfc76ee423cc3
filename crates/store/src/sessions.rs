//! Login sessions (web cookies and API bearer tokens alike) and failed-login
//! records, both in the database so several instances share them.

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

pub async fn record_failure(db: &Db, login: &str, ip: &str) -> Result<()> {
    let sql = "INSERT INTO login_failures (login, ip, at) VALUES ($1, $2, $3)";
    db_write!(db, |p| sqlx::query(sql).bind(login).bind(ip).bind(now_ms()).execute(p).await?.rows_affected());
    Ok(())
}

/// Failures since `since_ms` for this login and for this address.
pub async fn failures_since(db: &Db, login: &str, ip: &str, since_ms: i64) -> Result<(i64, i64)> {
    let by_login = "SELECT COUNT(*) FROM login_failures WHERE login = $1 AND at > $2";
    let by_ip = "SELECT COUNT(*) FROM login_failures WHERE ip = $1 AND at > $2";
    db_read!(db, |p| Ok((
        sqlx::query_scalar(by_login).bind(login).bind(since_ms).fetch_one(p).await?,
        sqlx::query_scalar(by_ip).bind(ip).bind(since_ms).fetch_one(p).await?,
    )))
}

/// Forgets a login's failures once it succeeds.
pub async fn clear_failures(db: &Db, login: &str) -> Result<()> {
    db_write!(db, |p| sqlx::query("DELETE FROM login_failures WHERE login = $1").bind(login).execute(p).await?.rows_affected());
    Ok(())
}

/// Drops expired sessions and old failures; run now and then.
pub async fn prune(db: &Db, failures_before_ms: i64) -> Result<()> {
    let now = now_ms();
    db_write!(db, |p| {
        sqlx::query("DELETE FROM sessions WHERE expires_at <= $1").bind(now).execute(p).await?;
        sqlx::query("DELETE FROM login_failures WHERE at <= $1").bind(failures_before_ms).execute(p).await?;
    });
    Ok(())
}
