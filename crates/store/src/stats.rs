//! Counts for dashboards.

use crate::{Db, Result};

/// (districts, communities, units, teams, volunteers, party-member volunteers, beneficiaries), active only.
pub async fn registry_counts(db: &Db) -> Result<[i64; 7]> {
    let sql = "SELECT \
        (SELECT COUNT(*) FROM districts WHERE active = TRUE), \
        (SELECT COUNT(*) FROM communities WHERE active = TRUE), \
        (SELECT COUNT(*) FROM units WHERE active = TRUE), \
        (SELECT COUNT(*) FROM teams WHERE active = TRUE), \
        (SELECT COUNT(*) FROM volunteers WHERE active = TRUE), \
        (SELECT COUNT(*) FROM volunteers WHERE active = TRUE AND party_member = TRUE), \
        (SELECT COUNT(*) FROM beneficiaries WHERE active = TRUE)";
    let r: (i64, i64, i64, i64, i64, i64, i64) = db_read!(db, |p| sqlx::query_as(sql).fetch_one(p).await?);
    Ok([r.0, r.1, r.2, r.3, r.4, r.5, r.6])
}
