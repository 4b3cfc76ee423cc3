//! The hours ledger: append-only entries, a per-volunteer total kept in the
//! same transaction (a summary never sums millions of rows), and disputes.
//! An activity's entry also moves 双进双报到's per-day hours of a party
//! member serving in the community they reported to.

use sqlx::FromRow;
use tongxing_domain::hours::Entry;
use tongxing_domain::model::Paged;
use tongxing_domain::paging::Page;

use crate::sql::{paged, Arg, Where};
use crate::{now_ms, Db, Error, Result};

mod pages;
pub use pages::{summary_page, summary_pages};

/// One entry to append. `kind` is one of `tongxing_domain::hours::KINDS`.
#[derive(Debug, Clone, Default)]
pub struct NewEntry {
    pub volunteer_id: i64,
    pub kind: &'static str,
    pub activity_id: Option<i64>,
    pub need_id: Option<i64>,
    pub hours: f64,
    pub served_on: String,
    pub started_at: Option<i64>,
    pub ended_at: Option<i64>,
    pub recorded_by: Option<i64>,
    pub confirmed_by: Option<i64>,
    pub corrects_entry_id: Option<i64>,
    pub note: Option<String>,
    /// The care visit (爱心守护) whose minutes this entry credits.
    pub care_visit_id: Option<i64>,
}

/// An entry, stamped with what the dashboard attributes it to at the time of
/// service: the team, district and theme of the activity or need it was
/// served in, the volunteer's unit (migration 0033).
pub(crate) const INSERT: &str = "INSERT INTO hours_entries (volunteer_id, kind, activity_id, need_id, hours, served_on, started_at, \
    ended_at, recorded_by, confirmed_by, corrects_entry_id, note, created_at, care_visit_id, team_id, district_id, theme, unit_id) \
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, \
    COALESCE((SELECT a.team_id FROM activities a WHERE a.id = $3), (SELECT n.team_id FROM needs n WHERE n.id = $4)), \
    COALESCE((SELECT a.district_id FROM activities a WHERE a.id = $3), (SELECT n.district_id FROM needs n WHERE n.id = $4)), \
    (SELECT a.theme FROM activities a WHERE a.id = $3), (SELECT v.unit_id FROM volunteers v WHERE v.id = $1)) RETURNING id";

/// Appends `$entry` inside an open transaction, queues it for the
/// dashboard's rollups (`stats::pending`: crediting it there is many rows,
/// done a little later) and moves the volunteer's total. `rollups = false`
/// leaves the queue out: only `append_each` does, to measure what it costs.
macro_rules! append_in {
    ($tx:expr, $e:expr, $now:expr) => {
        $crate::ledger::append_in!($tx, $e, $now, rollups = true)
    };
    ($tx:expr, $e:expr, $now:expr, rollups = $rollups:expr) => {{
        let e: &$crate::ledger::NewEntry = $e;
        let id: i64 = sqlx::query_scalar($crate::ledger::INSERT)
            .bind(e.volunteer_id)
            .bind(e.kind)
            .bind(e.activity_id)
            .bind(e.need_id)
            .bind(e.hours)
            .bind(&e.served_on)
            .bind(e.started_at)
            .bind(e.ended_at)
            .bind(e.recorded_by)
            .bind(e.confirmed_by)
            .bind(e.corrects_entry_id)
            .bind(&e.note)
            .bind($now)
            .bind(e.care_visit_id)
            .fetch_one(&mut *$tx)
            .await?;
        if $rollups {
            sqlx::query($crate::stats::pending::QUEUE).bind(id).execute(&mut *$tx).await?;
        }
        sqlx::query(
            "INSERT INTO hours_totals (volunteer_id, total_hours, entries) VALUES ($1, $2, 1) ON CONFLICT (volunteer_id) \
             DO UPDATE SET total_hours = hours_totals.total_hours + excluded.total_hours, entries = hours_totals.entries + 1",
        )
        .bind(e.volunteer_id)
        .bind(e.hours)
        .execute(&mut *$tx)
        .await?;
        if let Some(activity) = e.activity_id {
            sqlx::query($crate::campaigns::report_in::CREDIT_HOURS)
                .bind(e.volunteer_id)
                .bind(&e.served_on)
                .bind(e.hours)
                .bind(activity)
                .execute(&mut *$tx)
                .await?;
        }
    }};
}
pub(crate) use append_in;

/// Sets every volunteer's running total from their entries, after a bulk
/// load wrote entries without going through `append_in!`.
const REBUILD_TOTALS: &str = "INSERT INTO hours_totals (volunteer_id, total_hours, entries) \
    SELECT volunteer_id, SUM(hours), COUNT(*) FROM hours_entries WHERE TRUE GROUP BY volunteer_id \
    ON CONFLICT (volunteer_id) DO UPDATE SET total_hours = excluded.total_hours, entries = excluded.entries";

/// What `append_in!` keeps with each entry, and activities' rollup, set
/// again from the whole ledger after a bulk load wrote rows without them:
/// the running totals and the dashboard's rollups. Run in order, in the
/// load's transaction, by `rebuild_in!` (which then fills the windows).
pub(crate) fn rebuild(backend: crate::Backend) -> Vec<String> {
    let rollups = crate::stats::rollup::rebuild(backend);
    std::iter::once(REBUILD_TOTALS.to_string()).chain(rollups).chain(crate::stats::held::rebuild(backend)).collect()
}

/// Runs `rebuild`'s statements `$sqls` in `$tx`, then fills the twelve-month
/// windows from the day bits they set (`fill_windows!`).
macro_rules! rebuild_in {
    ($tx:ident, $db:expr, $sqls:expr) => {{
        for sql in $sqls {
            sqlx::query(sqlx::AssertSqlSafe(sql.as_str())).execute(&mut *$tx).await?;
        }
        $crate::stats::fill::fill_windows!($tx, $db, true, &tongxing_domain::stats::rollup::LEVELS);
    }};
}
pub(crate) use rebuild_in;

/// Runs `rebuild` on its own (`tongxing stats rebuild`, after rows were
/// written with SQL behind the application's back).
pub async fn rebuild_all(db: &Db) -> Result<()> {
    let sqls = rebuild(db.backend());
    db_write!(db, |p| {
        let mut tx = p.begin().await?;
        rebuild_in!(tx, db, &sqls);
        tx.commit().await?;
        Ok::<_, Error>(())
    })
}

/// Appends entries in one transaction (hand entries, corrections).
pub async fn append(db: &Db, entries: &[NewEntry]) -> Result<()> {
    let now = now_ms();
    db_write!(db, |p| {
        let mut tx = p.begin().await?;
        for e in entries {
            append_in!(tx, e, now);
        }
        tx.commit().await?;
        Ok(())
    })
}

/// Appends each entry in its own transaction, as a check-in confirmation or
/// an hours entry does, with or without queueing it for the dashboard's
/// rollups: `benches/ledger_credit` times both side by side (the rollups'
/// hot-path cost, bench/README.md). The application always queues them.
pub async fn append_each(db: &Db, entries: &[NewEntry], rollups: bool) -> Result<()> {
    let now = now_ms();
    db_write!(db, |p| {
        for e in entries {
            let mut tx = p.begin().await?;
            append_in!(tx, e, now, rollups = rollups);
            tx.commit().await?;
        }
        Ok(())
    })
}

/// Confirms an activity's hours once: the conditional UPDATE makes a second
/// confirmation (another tab, a retry) a no-op that returns false.
pub async fn confirm_activity(db: &Db, activity_id: i64, user_id: i64, entries: &[NewEntry]) -> Result<bool> {
    let now = now_ms();
    let mark = "UPDATE activities SET hours_confirmed_at = $1, hours_confirmed_by = $2, updated_at = $1 \
                WHERE id = $3 AND hours_confirmed_at IS NULL";
    db_write!(db, |p| {
        let mut tx = p.begin().await?;
        if sqlx::query(mark).bind(now).bind(user_id).bind(activity_id).execute(&mut *tx).await?.rows_affected() != 1 {
            return Ok(false);
        }
        for e in entries {
            append_in!(tx, e, now);
        }
        tx.commit().await?;
        Ok(true)
    })
}

/// When an activity's hours were confirmed, and the login of who confirmed them.
pub async fn confirmation(db: &Db, activity_id: i64) -> Result<Option<(i64, Option<String>)>> {
    let sql = "SELECT a.hours_confirmed_at, u.login FROM activities a LEFT JOIN users u ON u.id = a.hours_confirmed_by \
               WHERE a.id = $1 AND a.hours_confirmed_at IS NOT NULL";
    db_read!(db, |p| Ok(sqlx::query_as(sql).bind(activity_id).fetch_optional(p).await?))
}

/// Hours each person holds in the ledger for an activity, corrections included.
pub async fn credited_for_activity(db: &Db, activity_id: i64) -> Result<Vec<(i64, f64)>> {
    let sql = "SELECT volunteer_id, SUM(hours) FROM hours_entries WHERE activity_id = $1 GROUP BY volunteer_id";
    db_read!(db, |p| Ok(sqlx::query_as(sql).bind(activity_id).fetch_all(p).await?))
}

/// A volunteer's credited time between two region days (inclusive), for the
/// 24-hour and overlap rules: (hours, day, started_at, ended_at).
pub async fn credits(db: &Db, volunteer_id: i64, first_day: &str, last_day: &str) -> Result<Vec<(f64, String, Option<i64>, Option<i64>)>> {
    let sql =
        "SELECT hours, served_on, started_at, ended_at FROM hours_entries WHERE volunteer_id = $1 AND served_on >= $2 AND served_on <= $3";
    db_read!(db, |p| Ok(sqlx::query_as(sql).bind(volunteer_id).bind(first_day).bind(last_day).fetch_all(p).await?))
}

const TOTALS: &str = "SELECT total_hours, entries FROM hours_totals WHERE volunteer_id = $1";

/// (total hours, number of entries) from the running total.
pub async fn summary(db: &Db, volunteer_id: i64) -> Result<(f64, i64)> {
    let r: Option<(f64, i64)> = db_read!(db, |p| sqlx::query_as(TOTALS).bind(volunteer_id).fetch_optional(p).await?);
    Ok(r.unwrap_or((0.0, 0)))
}

#[derive(FromRow, serde::Deserialize)]
struct Row {
    id: i64,
    kind: String,
    hours: f64,
    served_on: String,
    activity_id: Option<i64>,
    need_id: Option<i64>,
    what: Option<String>,
    recorded_by: Option<String>,
    confirmed_by: Option<String>,
    corrects_entry_id: Option<i64>,
    note: Option<String>,
    care_visit_id: Option<i64>,
    disputed: i64,
}

// People by name: the account's own volunteer record, else (a team
// leader's account) the team's leader; only an account that is no person,
// such as the center's, by its login.
const SELECT: &str = "SELECT e.id, e.kind, e.hours, e.served_on, e.activity_id, e.need_id, COALESCE(a.title, n.title) AS what, \
    COALESCE(vr.name, lr.name, ur.login) AS recorded_by, COALESCE(vc.name, lc.name, uc.login) AS confirmed_by, e.corrects_entry_id, e.note, \
    e.care_visit_id, (SELECT COUNT(*) FROM hours_disputes d WHERE d.entry_id = e.id AND d.status = 'open') AS disputed";
const FROM: &str = "hours_entries e LEFT JOIN activities a ON a.id = e.activity_id LEFT JOIN needs n ON n.id = e.need_id \
    LEFT JOIN users ur ON ur.id = e.recorded_by LEFT JOIN users uc ON uc.id = e.confirmed_by \
    LEFT JOIN volunteers vr ON vr.id = ur.volunteer_id LEFT JOIN volunteers vc ON vc.id = uc.volunteer_id \
    LEFT JOIN teams tr ON tr.id = ur.team_id LEFT JOIN volunteers lr ON lr.id = tr.leader_volunteer_id \
    LEFT JOIN teams tc ON tc.id = uc.team_id LEFT JOIN volunteers lc ON lc.id = tc.leader_volunteer_id";

/// A volunteer's entries, newest first.
pub async fn entries(db: &Db, volunteer_id: i64, page: Page) -> Result<Paged<Entry>> {
    let mut w = Where::default();
    w.and("e.volunteer_id = ?", [Arg::I64(volunteer_id)]);
    let (rows, total): (Vec<Row>, i64) = paged(db, &format!("{SELECT} FROM {FROM}"), FROM, &w, "e.id DESC", page).await?;
    Ok(Paged { items: rows.into_iter().map(entry).collect(), total })
}

/// The newest entries of one volunteer, a page of them: `volunteer`,
/// `limit` and `offset` are placeholders or a grouped read's columns.
fn recent_sql(volunteer: &str, limit: &str, offset: &str) -> String {
    format!("{SELECT} FROM {FROM} WHERE e.volunteer_id = {volunteer} ORDER BY e.id DESC LIMIT {limit} OFFSET {offset}")
}

fn entry(r: Row) -> Entry {
    // A care visit's minutes are stored as a hand entry naming the visit
    // (0021): shown as the visit, its note (whom) as what was served.
    let care = r.care_visit_id.is_some();
    Entry {
        id: r.id,
        kind: if care { "care_visit".into() } else { r.kind },
        hours: r.hours,
        served_on: r.served_on,
        activity_id: r.activity_id,
        need_id: r.need_id,
        what: if care { r.note.clone() } else { r.what },
        recorded_by: r.recorded_by,
        confirmed_by: r.confirmed_by,
        corrects_entry_id: r.corrects_entry_id,
        note: if care { None } else { r.note },
        disputed: r.disputed > 0,
    }
}

/// One entry, with the volunteer it credits and what it and its corrections
/// credit now.
pub async fn entry_with_net(db: &Db, id: i64) -> Result<(Entry, i64, f64)> {
    let sql = format!("{SELECT}, e.volunteer_id FROM {FROM} WHERE e.id = $1");
    let net = "SELECT COALESCE(SUM(hours), 0) FROM hours_entries WHERE id = $1 OR corrects_entry_id = $1";
    #[derive(FromRow)]
    struct WithOwner {
        #[sqlx(flatten)]
        row: Row,
        volunteer_id: i64,
    }
    let r: Option<WithOwner> = db_read!(db, |p| sqlx::query_as(sqlx::AssertSqlSafe(&*sql)).bind(id).fetch_optional(p).await?);
    let r = r.ok_or(Error::NotFound)?;
    let net: f64 = db_read!(db, |p| sqlx::query_scalar(net).bind(id).fetch_one(p).await?);
    Ok((entry(r.row), r.volunteer_id, net))
}

/// A volunteer disputes an entry; one open dispute per entry.
pub async fn dispute(db: &Db, entry_id: i64, volunteer_id: i64, reason: &str) -> Result<i64> {
    let open = "SELECT COUNT(*) FROM hours_disputes WHERE entry_id = $1 AND status = 'open'";
    let insert =
        "INSERT INTO hours_disputes (entry_id, volunteer_id, reason, status, created_at) VALUES ($1, $2, $3, 'open', $4) RETURNING id";
    db_write!(db, |p| {
        let mut tx = p.begin().await?;
        let n: i64 = sqlx::query_scalar(open).bind(entry_id).fetch_one(&mut *tx).await?;
        if n > 0 {
            return Err(Error::Conflict);
        }
        let id = sqlx::query_scalar(insert).bind(entry_id).bind(volunteer_id).bind(reason).bind(now_ms()).fetch_one(&mut *tx).await?;
        tx.commit().await?;
        Ok(id)
    })
}

/// The organisation answers a dispute (with a correction entry alongside, when it agrees).
pub async fn answer_dispute(db: &Db, id: i64, user_id: i64, answer: &str) -> Result<bool> {
    let sql =
        "UPDATE hours_disputes SET status = 'answered', answer = $1, answered_by = $2, answered_at = $3 WHERE id = $4 AND status = 'open'";
    Ok(db_write!(db, |p| sqlx::query(sql).bind(answer).bind(user_id).bind(now_ms()).bind(id).execute(p).await?.rows_affected()) == 1)
}
