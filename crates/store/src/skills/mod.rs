//! 技能传承: trades and certifications, training classes, competitions,
//! 师带徒 and the front-line problem board. Reads go through `sections::read`, so both
//! databases answer the same JSON rows.

pub mod attachments;
pub mod competitions;
pub mod dashboard;
pub mod ladder;
pub mod mentoring;
pub mod merges;
pub mod problems;
pub mod reminders;
pub mod taught;
pub mod training;

use serde::de::DeserializeOwned;

use crate::sections::{read, rows};
use crate::sql::Arg;
use crate::{Db, Result};

/// SQL naming the level stored in `col` (1..=5) by its code.
fn level_code(col: &str) -> String {
    format!(
        "CASE {col} WHEN 1 THEN 'junior' WHEN 2 THEN 'intermediate' WHEN 3 THEN 'senior' WHEN 4 THEN 'technician' \
         WHEN 5 THEN 'senior_technician' END"
    )
}

/// The rows of one statement.
async fn select<T: DeserializeOwned>(db: &Db, sql: &str, args: &[Arg]) -> Result<Vec<T>> {
    rows(read(db, &[sql], args).await?.pop().unwrap_or_default())
}

/// The count of one statement's single row (`SELECT COUNT(*) AS n …`).
async fn count(db: &Db, sql: &str, args: &[Arg]) -> Result<i64> {
    #[derive(serde::Deserialize)]
    struct N {
        n: i64,
    }
    Ok(select::<N>(db, sql, args).await?.first().map_or(0, |r| r.n))
}
