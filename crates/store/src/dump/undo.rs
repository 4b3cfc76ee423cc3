//! Taking back a bulk load that did not finish (the demo region): every table's
//! highest id before the load, and the removal of every row above it.

use super::TABLES;
use crate::{Db, Result};

/// Each table's highest id (0 when empty); tables without an id are absent.
pub async fn high_water(db: &Db) -> Result<Vec<(String, i64)>> {
    let mut marks = Vec::new();
    for (table, _) in TABLES.iter().filter(|(_, cols)| cols[0].0 == "id") {
        let sql = format!("SELECT COALESCE(MAX(id), 0) FROM {table}");
        let max: i64 = db_read!(db, |p| sqlx::query_scalar(sqlx::AssertSqlSafe(&*sql)).fetch_one(p).await?);
        marks.push((table.to_string(), max));
    }
    Ok(marks)
}

/// Removes, in one transaction and children first, every row written after
/// `marks` were taken. Tables without an id only link rows of the load (the
/// caller loads into a database without a region), so they are emptied; a
/// table with an id but no mark is left alone.
pub async fn remove_above(db: &Db, marks: &[(String, i64)]) -> Result<()> {
    let statements: Vec<(String, Option<i64>)> = TABLES
        .iter()
        .rev()
        .filter_map(|(table, cols)| match (cols[0].0, marks.iter().find(|(t, _)| t == table)) {
            ("id", Some((_, max))) => Some((format!("DELETE FROM {table} WHERE id > $1"), Some(*max))),
            ("id", None) => None,
            _ => Some((format!("DELETE FROM {table}"), None)),
        })
        .collect();
    db_write!(db, |p| {
        let mut tx = p.begin().await?;
        for (sql, max) in &statements {
            let q = sqlx::query(sqlx::AssertSqlSafe(&**sql));
            match max {
                Some(m) => q.bind(*m).execute(&mut *tx).await?,
                None => q.execute(&mut *tx).await?,
            };
        }
        tx.commit().await?;
    });
    Ok(())
}
