//! Reminding the eligible: once per certification (a person's level in a
//! trade), whichever instance gets there first.

use crate::notifications::About;
use crate::{Db, Result};

/// Tells `users` that a person may apply for the level above
/// `certification_id`, unless they were told already; true for the one call
/// that told them (the notifications kernel's conditional mark: the insert
/// of the reminder's row).
pub async fn remind(db: &Db, certification_id: i64, now: i64, kind: &str, detail: &str, users: &[i64]) -> Result<bool> {
    let mark = "INSERT INTO skill_eligibility_reminders (certification_id, reminded_at) VALUES ($1, $2) ON CONFLICT DO NOTHING";
    crate::notifications::announce_once(db, mark, [certification_id, now], About::Nothing, kind, detail, users).await
}
