//! The records of a class day, append-only: attendance at the door and the
//! day log (a correction is a new entry). Alerts are raised once per child,
//! day and kind by a unique key, however many instances look.

use std::collections::BTreeMap;

use tongxing_domain::childcare::day::CheckedLog;

use crate::outbox::Message;
use crate::{now_ms, Db, Result};

/// A check-in or check-out to record; owned, so that it can wait in the
/// group commit's queue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub enrolment_id: i64,
    pub class_id: i64,
    pub day: String,
    /// `in` or `out`.
    pub kind: &'static str,
    pub at: i64,
    pub by_name: String,
    pub exception_reason: Option<String>,
    pub recorded_by: Option<i64>,
}

/// Child-days to add to `childcare_child_days` (migration 0051), by
/// (unit, grain, period, class); 0 is every child's unit. Applied in key
/// order, so two batches on PostgreSQL take those rows' locks in one order.
#[derive(Debug, Default)]
pub(crate) struct ChildDays(BTreeMap<(i64, &'static str, String, i64), i64>);

impl ChildDays {
    /// A child of `class_id` whose guardian is in `unit_id` came in on `day`.
    pub(crate) fn add(&mut self, class_id: i64, unit_id: Option<i64>, day: &str) {
        let month = day.get(..7).unwrap_or(day);
        for unit in std::iter::once(0).chain(unit_id) {
            *self.0.entry((unit, "d", day.to_string(), class_id)).or_default() += 1;
            *self.0.entry((unit, "m", month.to_string(), class_id)).or_default() += 1;
        }
    }

    /// The rows to add, in key order: (unit, grain, period, class, children).
    pub(crate) fn rows(&self) -> impl Iterator<Item = (i64, &'static str, &str, i64, i64)> {
        self.0.iter().map(|((unit, grain, period, class), n)| (*unit, *grain, period.as_str(), *class, *n))
    }
}

/// Adds `$days` (a `ChildDays`) on `$tx` with `$on`, a statement per row.
macro_rules! add_child_days {
    ($on:ident, $tx:expr, $days:expr) => {
        for (unit, grain, period, class, n) in $days.rows() {
            $on!(execute $tx, CHILD_DAYS_ONE, unit, grain, period, class, n);
        }
    };
}

const CHILD_DAYS_ONE: &str = "INSERT INTO childcare_child_days (unit_id, grain, period, class_id, children) VALUES ($1, $2, $3, $4, $5) \
    ON CONFLICT (unit_id, grain, period, class_id) DO UPDATE SET children = childcare_child_days.children + excluded.children";

/// Every child-day from the attendance, as migration 0051 filled them: a
/// restore's (dumps carry no child-days; they follow the attendance).
pub(crate) const FILL_CHILD_DAYS: &str = "INSERT INTO childcare_child_days (unit_id, grain, period, class_id, children) \
    SELECT CASE WHEN s.k = 0 THEN 0 ELSE e.guardian_unit_id END, g.grain, \
           CASE WHEN g.grain = 'd' THEN f.day ELSE substr(f.day, 1, 7) END, f.class_id, COUNT(*) \
    FROM (SELECT DISTINCT class_id, enrolment_id, day FROM childcare_attendance WHERE kind = 'in') f \
    JOIN childcare_enrolments e ON e.id = f.enrolment_id \
    CROSS JOIN (SELECT 0 AS k UNION ALL SELECT 1) s CROSS JOIN (SELECT 'd' AS grain UNION ALL SELECT 'm') g \
    WHERE s.k = 0 OR e.guardian_unit_id IS NOT NULL GROUP BY 1, 2, 3, 4";

/// Records one entry on `$tx` with its statements run by `$on` (direct.rs),
/// unless the child's last entry of the day is already of its kind (a double
/// tap); evaluates to (the entry's id, whether it is new). The enrolment row
/// is touched first, so two writes for one child on PostgreSQL take turns
/// and the second sees the first. The child's first check-in of a day is
/// counted into `$days`.
macro_rules! record_in {
    ($on:ident, $tx:expr, $e:expr, $now:expr, $days:expr) => {{
        let e: &Entry = $e;
        let (unit,): (Option<i64>,) =
            $on!(one $tx, "UPDATE childcare_enrolments SET updated_at = $1 WHERE id = $2 RETURNING guardian_unit_id", $now, e.enrolment_id);
        let last: Option<(i64, String)> = $on!(optional $tx,
            "SELECT id, kind FROM childcare_attendance WHERE enrolment_id = $1 AND day = $2 ORDER BY id DESC LIMIT 1",
            e.enrolment_id, &e.day);
        match last.as_ref().filter(|l| l.1 == e.kind) {
            Some((id, _)) => (*id, false),
            None => {
                // Back in after going out (or out first): counted only if no check-in came before.
                let first_in = e.kind == "in"
                    && (last.is_none() || {
                        let before: Option<(i64,)> = $on!(optional $tx,
                            "SELECT id FROM childcare_attendance WHERE enrolment_id = $1 AND day = $2 AND kind = 'in' LIMIT 1",
                            e.enrolment_id, &e.day);
                        before.is_none()
                    });
                if first_in {
                    $days.add(e.class_id, unit, &e.day);
                }
                let (id,): (i64,) = $on!(one $tx,
                    "INSERT INTO childcare_attendance (enrolment_id, class_id, day, kind, at, by_name, exception_reason, recorded_by, \
                     recorded_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
                    e.enrolment_id, e.class_id, &e.day, e.kind, e.at, &e.by_name, &e.exception_reason, e.recorded_by, $now);
                (id, true)
            }
        }
    }};
}

/// Records `e` on its own (see `record_in`).
pub async fn record(db: &Db, e: &Entry) -> Result<(i64, bool)> {
    let now = now_ms();
    db_write!(db, |p| {
        let mut tx = p.begin().await?;
        let mut days = ChildDays::default();
        let out = record_in!(in_sqlx, tx, e, now, days);
        add_child_days!(in_sqlx, tx, days);
        tx.commit().await?;
        Ok(out)
    })
}

/// Several entries in one transaction (group commit, as the activities'
/// check-ins): on SQLite on the direct writer with no thread hand-off per
/// statement, on PostgreSQL in the order of the children (so two batches
/// never wait on each other's locks). All or nothing; answers in the order of `all`.
pub async fn record_many(db: &Db, all: Vec<Entry>) -> Result<Vec<(i64, bool)>> {
    let now = now_ms();
    let order = crate::direct::in_order_of(&all, |e| e.enrolment_id);
    let done = match db {
        Db::Sqlite { direct, .. } => {
            let (direct, taken) = (direct.clone(), order.clone());
            crate::direct::blocking(move || {
                direct.write(|tx| {
                    let mut days = ChildDays::default();
                    let outs = taken.iter().map(|&i| Ok(record_in!(in_direct, tx, &all[i], now, days))).collect::<Result<Vec<_>>>()?;
                    add_child_days!(in_direct, tx, days);
                    Ok(outs)
                })
            })
            .await?
        }
        Db::Postgres(p) => {
            let mut tx = p.begin().await?;
            let mut days = ChildDays::default();
            let mut outs = Vec::with_capacity(all.len());
            for &i in &order {
                outs.push(record_in!(in_sqlx, tx, &all[i], now, days));
            }
            add_child_days!(in_sqlx, tx, days);
            tx.commit().await?;
            outs
        }
    };
    Ok(crate::direct::back_in_order(order, done))
}

/// The child's last attendance entry of the day: (kind, at, by).
pub async fn last_entry(db: &Db, enrolment_id: i64, day: &str) -> Result<Option<(String, i64, String)>> {
    let sql = "SELECT kind, at, by_name FROM childcare_attendance WHERE enrolment_id = $1 AND day = $2 ORDER BY id DESC LIMIT 1";
    fetch_optional!(db, sql, enrolment_id, day)
}

/// Appends one entry to a child's day log.
pub async fn log(
    db: &Db,
    enrolment_id: i64,
    class_id: i64,
    day: &str,
    c: &CheckedLog,
    guardian_told: bool,
    by: Option<i64>,
) -> Result<i64> {
    let sql = "INSERT INTO childcare_logs (enrolment_id, class_id, day, meal, nap_from, nap_to, note, incident, action, guardian_told, \
               recorded_by, recorded_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id";
    db_write!(db, |p| Ok(sqlx::query_scalar(sql)
        .bind(enrolment_id)
        .bind(class_id)
        .bind(day)
        .bind(&c.meal)
        .bind(&c.nap_from)
        .bind(&c.nap_to)
        .bind(&c.note)
        .bind(&c.incident)
        .bind(&c.action)
        .bind(guardian_told)
        .bind(by)
        .bind(now_ms())
        .fetch_one(p)
        .await?))
}

/// One attendance entry as a day's page reads it.
#[derive(Debug, Clone, sqlx::FromRow, serde::Deserialize)]
pub struct AttendanceRow {
    pub enrolment_id: i64,
    pub kind: String,
    pub at: i64,
    pub by_name: String,
    pub exception_reason: Option<String>,
}

/// One log entry as a day's page reads it.
#[derive(Debug, Clone, sqlx::FromRow, serde::Deserialize)]
pub struct LogRow {
    pub enrolment_id: i64,
    pub meal: Option<String>,
    pub nap_from: Option<String>,
    pub nap_to: Option<String>,
    pub note: Option<String>,
    pub incident: Option<String>,
    pub action: Option<String>,
    pub guardian_told: bool,
    pub recorded_at: i64,
}

/// Every attendance entry of a class day (or of one child's), oldest first.
pub async fn attendance(db: &Db, class_id: i64, day: &str, child: Option<i64>) -> Result<Vec<AttendanceRow>> {
    let sql = "SELECT enrolment_id, kind, at, by_name, exception_reason FROM childcare_attendance \
               WHERE class_id = $1 AND day = $2 AND ($3 = 0 OR enrolment_id = $3) ORDER BY enrolment_id, id";
    fetch_all!(db, sql, class_id, day, child.unwrap_or(0))
}

/// Every log entry of a class day (or of one child's), oldest first.
pub async fn logs(db: &Db, class_id: i64, day: &str, child: Option<i64>) -> Result<Vec<LogRow>> {
    let sql = "SELECT enrolment_id, meal, nap_from, nap_to, note, incident, action, guardian_told, recorded_at FROM childcare_logs \
               WHERE class_id = $1 AND day = $2 AND ($3 = 0 OR enrolment_id = $3) ORDER BY enrolment_id, id";
    fetch_all!(db, sql, class_id, day, child.unwrap_or(0))
}

/// The caretakers of a class day's shift: (volunteer, name, checked in now).
pub async fn caretakers(db: &Db, class_id: i64, day: &str) -> Result<Vec<(i64, String, bool)>> {
    let sql = "SELECT v.id, v.name, (a.checked_in_at IS NOT NULL AND a.checked_out_at IS NULL) AS present \
               FROM childcare_shifts s JOIN signups g ON g.activity_id = s.activity_id AND g.status = 'confirmed' \
               JOIN volunteers v ON v.id = g.volunteer_id \
               LEFT JOIN attendance a ON a.activity_id = s.activity_id AND a.volunteer_id = g.volunteer_id \
               WHERE s.class_id = $1 AND s.day = $2 ORDER BY v.name, v.id";
    fetch_all!(db, sql, class_id, day)
}

/// Tells the class head's accounts (and nobody else): notification kind, detail, when, class.
const NOTIFY_HEAD: &str = "INSERT INTO notifications (user_id, at, kind, detail) SELECT u.id, $1, $2, $3 FROM users u \
    JOIN childcare_classes k ON k.head_volunteer_id = u.volunteer_id WHERE k.id = $4 AND u.active";

/// Raises an alert unless one of its kind was raised for the child that
/// day; true for the one call that raised it. The head's accounts are told
/// (on the class's first alert of that day and kind; two instances racing
/// on two children of one class may each tell them), and `messages` (the
/// guardian's SMS) queued, in the same transaction.
pub async fn alert_once(db: &Db, a: &Alert<'_>, messages: Vec<Message>) -> Result<bool> {
    let now = now_ms();
    db_write!(db, |p| {
        let mut tx = p.begin().await?;
        let new = sqlx::query(
            "INSERT INTO childcare_alerts (enrolment_id, class_id, day, kind, at) VALUES ($1, $2, $3, $4, $5) \
             ON CONFLICT (enrolment_id, day, kind) DO NOTHING",
        )
        .bind(a.enrolment_id)
        .bind(a.class_id)
        .bind(a.day)
        .bind(a.kind)
        .bind(now)
        .execute(&mut *tx)
        .await?
        .rows_affected()
            == 1;
        // The head hears once per class, day and kind — "children are late, see the day sheet" —
        // not once per child; each guardian hears of their own child.
        let first = new
            && sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM childcare_alerts WHERE class_id = $1 AND day = $2 AND kind = $3")
                .bind(a.class_id)
                .bind(a.day)
                .bind(a.kind)
                .fetch_one(&mut *tx)
                .await?
                == 1;
        if first {
            let kind = format!("childcare_{}", a.kind);
            sqlx::query(NOTIFY_HEAD).bind(now).bind(&kind).bind(a.detail).bind(a.class_id).execute(&mut *tx).await?;
        }
        if new {
            crate::outbox::enqueue_in!(tx, None::<i64>, messages.iter(), now);
        }
        tx.commit().await?;
        Ok(new)
    })
}

/// A late drop-off or pick-up to raise once.
pub struct Alert<'a> {
    pub enrolment_id: i64,
    pub class_id: i64,
    pub day: &'a str,
    /// `late_in` or `late_out`.
    pub kind: &'a str,
    /// What the head's notification says (the class name, never the child's data).
    pub detail: &'a str,
}

/// Tells the class head's accounts about `kind` (e.g. a refused pick-up).
pub async fn notify_head(db: &Db, class_id: i64, kind: &str, detail: &str) -> Result<()> {
    db_write!(db, |p| {
        sqlx::query(NOTIFY_HEAD).bind(now_ms()).bind(kind).bind(detail).bind(class_id).execute(p).await?;
    });
    Ok(())
}

/// The enrolled children of the classes running on `day` with no check-in
/// yet, or still in, with their class hours: what the late rule looks at.
pub async fn open_children(db: &Db, day: &str) -> Result<Vec<OpenChild>> {
    let sql = "SELECT e.id AS enrolment_id, k.id AS class_id, k.daily_from, k.daily_to, \
               (SELECT a.kind FROM childcare_attendance a WHERE a.enrolment_id = e.id AND a.day = $1 ORDER BY a.id DESC LIMIT 1) AS last, \
               EXISTS (SELECT 1 FROM childcare_absences b WHERE b.enrolment_id = e.id AND b.day = $1) AS absent, \
               e.guardian_phone, k.name AS class_name \
               FROM childcare_enrolments e JOIN childcare_classes k ON k.id = e.class_id JOIN childcare_terms t ON t.id = k.term_id \
               WHERE e.status = 'enrolled' AND t.starts_on <= $1 AND t.ends_on >= $1";
    fetch_all!(db, sql, day)
}

/// An enrolled child of a class meeting that day, as the alerts see it.
#[derive(Debug, Clone, sqlx::FromRow, serde::Deserialize)]
pub struct OpenChild {
    pub enrolment_id: i64,
    pub class_id: i64,
    pub daily_from: String,
    pub daily_to: String,
    /// The child's last entry at the door that day (`in` or `out`).
    pub last: Option<String>,
    /// The guardian (or staff for them) reported the child absent that day.
    pub absent: bool,
    pub guardian_phone: String,
    pub class_name: String,
}

#[cfg(test)]
mod tests {
    use super::ChildDays;

    #[test]
    fn a_child_day_counts_for_every_child_and_for_the_guardians_unit_by_day_and_month() {
        let mut days = ChildDays::default();
        days.add(3, Some(7), "2026-07-15");
        days.add(3, None, "2026-07-15");
        days.add(4, Some(7), "2026-07-16");
        let rows: Vec<_> = days.rows().collect();
        assert_eq!(
            rows,
            [
                (0, "d", "2026-07-15", 3, 2),
                (0, "d", "2026-07-16", 4, 1),
                (0, "m", "2026-07", 3, 2),
                (0, "m", "2026-07", 4, 1),
                (7, "d", "2026-07-15", 3, 1),
                (7, "d", "2026-07-16", 4, 1),
                (7, "m", "2026-07", 3, 1),
                (7, "m", "2026-07", 4, 1),
            ]
        );
    }
}
