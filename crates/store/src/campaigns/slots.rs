//! The rotation's slots: each with what its district hosted, and the
//! warnings before a slot and after one that ended owing (each given once).

use sqlx::FromRow;

use crate::stats::held;
use crate::{now_ms, Db, Result};

/// A slot with its hosted activities (its district and theme, starting within
/// its days, not cancelled), those begun by `now`, and their ledger hours.
#[derive(Debug, Clone, FromRow)]
pub struct SlotRow {
    pub id: i64,
    pub campaign_id: i64,
    pub district_id: i64,
    pub district_name: String,
    pub theme: String,
    pub starts_on: String,
    pub ends_on: String,
    pub from_ms: i64,
    pub until_ms: i64,
    pub activities: i64,
    pub held: i64,
    pub hours: f64,
}

const WHERE_HOSTED: &str = "WHERE a.district_id = s.district_id AND a.theme = s.theme \
                      AND a.starts_at >= s.from_ms AND a.starts_at < s.until_ms AND a.cancelled_at IS NULL";

fn select(filter: &str) -> String {
    format!(
        "SELECT s.id, s.campaign_id, s.district_id, d.name AS district_name, s.theme, s.starts_on, s.ends_on, s.from_ms, s.until_ms, \
         (SELECT COUNT(*) FROM activities a {WHERE_HOSTED}) AS activities, \
         (SELECT COUNT(*) FROM activities a {WHERE_HOSTED} AND a.starts_at <= $1) AS held, \
         (SELECT COALESCE(SUM(h.hours), 0.0) FROM activities a JOIN hours_entries h ON h.activity_id = a.id {WHERE_HOSTED}) AS hours \
         FROM campaign_slots s JOIN districts d ON d.id = s.district_id WHERE {filter} ORDER BY s.from_ms, d.id, s.id"
    )
}

/// A campaign's slots, soonest first.
pub async fn of_campaign(db: &Db, campaign_id: i64, now: i64) -> Result<Vec<SlotRow>> {
    let sql = select("s.campaign_id = $2");
    db_read!(db, |p| Ok(sqlx::query_as(sqlx::AssertSqlSafe(&*sql)).bind(now).bind(campaign_id).fetch_all(p).await?))
}

/// The slots of some districts' that end after `after` or began by `before`
/// — a first screen's "current and next" (and any owing) within a campaign.
pub async fn of_districts(db: &Db, campaign_id: i64, districts: &[i64], now: i64) -> Result<Vec<SlotRow>> {
    let list = crate::sql::placeholders(3, districts.len().max(1));
    let sql = select(&format!("s.campaign_id = $2 AND s.district_id IN ({list})"));
    db_read!(db, |p| {
        let mut q = sqlx::query_as(sqlx::AssertSqlSafe(&*sql)).bind(now).bind(campaign_id);
        for d in districts.iter().copied().chain(districts.is_empty().then_some(0)) {
            q = q.bind(d);
        }
        Ok(q.fetch_all(p).await?)
    })
}

/// One slot's place: its campaign and district.
pub async fn get(db: &Db, campaign_id: i64, id: i64) -> Result<(i64, i64)> {
    let sql = "SELECT id, district_id FROM campaign_slots WHERE campaign_id = $1 AND id = $2";
    db_read!(db, |p| Ok(sqlx::query_as(sql).bind(campaign_id).bind(id).fetch_one(p).await?))
}

/// Adds one slot on `$exec` (a pool or an open transaction); its id.
macro_rules! insert_in {
    ($exec:expr, $campaign:expr, $s:expr, $now:expr) => {{
        let s: &NewSlot = $s;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO campaign_slots (campaign_id, district_id, theme, starts_on, ends_on, from_ms, until_ms, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) RETURNING id",
        )
        .bind($campaign)
        .bind(s.0)
        .bind(s.1)
        .bind(&s.2)
        .bind(&s.3)
        .bind(s.4)
        .bind(s.5)
        .bind($now)
        .fetch_one($exec)
        .await?;
        id
    }};
}

/// A slot to write: `(district, theme, starts_on, ends_on, from_ms, until_ms)`.
pub type NewSlot = (i64, &'static str, String, String, i64, i64);

/// Adds a slot, or (with `id`) moves one.
pub async fn save(db: &Db, campaign_id: i64, id: Option<i64>, s: &NewSlot) -> Result<i64> {
    let now = now_ms();
    db_write!(db, |p| Ok(match id {
        None => insert_in!(p, campaign_id, s, now),
        Some(id) => {
            // A moved slot may be warned about again.
            let sql = "UPDATE campaign_slots SET district_id = $1, theme = $2, starts_on = $3, ends_on = $4, from_ms = $5, until_ms = $6, \
                       warned_at = NULL, owing_warned_at = NULL, updated_at = $7 WHERE campaign_id = $8 AND id = $9";
            let q = sqlx::query(sql).bind(s.0).bind(s.1).bind(&s.2).bind(&s.3).bind(s.4).bind(s.5).bind(now);
            crate::expect_one(q.bind(campaign_id).bind(id).execute(p).await?.rows_affected())?;
            id
        }
    }))
}

pub async fn delete(db: &Db, campaign_id: i64, id: i64) -> Result<()> {
    let sql = "DELETE FROM campaign_slots WHERE campaign_id = $1 AND id = $2";
    crate::expect_one(db_write!(db, |p| sqlx::query(sql).bind(campaign_id).bind(id).execute(p).await?.rows_affected()))
}

/// Replaces a campaign's whole rotation in one transaction (the generated default).
pub async fn replace(db: &Db, campaign_id: i64, slots: &[NewSlot]) -> Result<()> {
    let now = now_ms();
    db_write!(db, |p| {
        let mut tx = p.begin().await?;
        sqlx::query("DELETE FROM campaign_slots WHERE campaign_id = $1").bind(campaign_id).execute(&mut *tx).await?;
        for s in slots {
            insert_in!(&mut *tx, campaign_id, s, now);
        }
        tx.commit().await?;
        Ok(())
    })
}

/// Slots starting within `(now, until]` not yet warned about.
pub async fn starting(db: &Db, now: i64) -> Result<Vec<SlotRow>> {
    let sql = select(
        "s.warned_at IS NULL AND s.from_ms > $1 AND s.from_ms <= $1 + \
         (SELECT c.warn_days FROM campaigns c WHERE c.id = s.campaign_id) * 86400000",
    );
    db_read!(db, |p| Ok(sqlx::query_as(sqlx::AssertSqlSafe(&*sql)).bind(now).fetch_all(p).await?))
}

/// Slots that ended by `now` and whose owing was not yet announced.
pub async fn ended(db: &Db, now: i64) -> Result<Vec<SlotRow>> {
    let sql = select("s.owing_warned_at IS NULL AND s.until_ms <= $1");
    db_read!(db, |p| Ok(sqlx::query_as(sqlx::AssertSqlSafe(&*sql)).bind(now).fetch_all(p).await?))
}

/// Marks a slot warned (`owing`: that it ended owing, or that it was looked
/// at and found done) and tells `users`, once (`notifications::announce_once`).
pub async fn warn(db: &Db, slot_id: i64, owing: bool, kind: &str, detail: &str, users: &[i64], now: i64) -> Result<bool> {
    let mark = if owing {
        "UPDATE campaign_slots SET owing_warned_at = $1 WHERE id = $2 AND owing_warned_at IS NULL"
    } else {
        "UPDATE campaign_slots SET warned_at = $1 WHERE id = $2 AND warned_at IS NULL"
    };
    crate::notifications::announce_once(db, mark, [now, slot_id], crate::notifications::About::Nothing, kind, detail, users).await
}

/// Liaisons of the units whose teams serve in `district_id`.
pub async fn district_liaisons(db: &Db, district_id: i64) -> Result<Vec<i64>> {
    let sql = "SELECT DISTINCT u.id FROM users u JOIN teams t ON t.unit_id = u.unit_id WHERE u.active = TRUE AND u.role = 'liaison' \
               AND t.district_id = $1 AND t.active = TRUE ORDER BY u.id";
    db_read!(db, |p| Ok(sqlx::query_scalar(sql).bind(district_id).fetch_all(p).await?))
}

/// The districts a liaison's unit serves in (through its teams).
pub async fn districts_of_unit(db: &Db, unit_id: i64) -> Result<Vec<i64>> {
    let sql = "SELECT DISTINCT district_id FROM teams WHERE unit_id = $1 AND active = TRUE ORDER BY district_id";
    db_read!(db, |p| Ok(sqlx::query_scalar(sql).bind(unit_id).fetch_all(p).await?))
}

/// The demo's owing slot: a district's activities of `theme` in `[from, until)` move to `to`.
/// The dashboard's activities rollup moves with them (out under the old
/// theme, in under the new, in the same transaction).
pub async fn retheme(db: &Db, district_id: i64, theme: &str, to: &str, from: i64, until: i64) -> Result<u64> {
    let pick = "SELECT id FROM activities WHERE district_id = $1 AND theme = $2 AND starts_at >= $3 AND starts_at < $4";
    let sql = "UPDATE activities SET theme = $1 WHERE id = $2";
    let (out, back) = (held::moved(db.backend(), "a.id = $1", -1), held::moved(db.backend(), "a.id = $1", 1));
    db_write!(db, |p| {
        let mut tx = p.begin().await?;
        let ids: Vec<i64> = sqlx::query_scalar(pick).bind(district_id).bind(theme).bind(from).bind(until).fetch_all(&mut *tx).await?;
        for id in &ids {
            for out in &out {
                sqlx::query(sqlx::AssertSqlSafe(out.as_str())).bind(id).execute(&mut *tx).await?;
            }
            sqlx::query(sql).bind(to).bind(id).execute(&mut *tx).await?;
            for back in &back {
                sqlx::query(sqlx::AssertSqlSafe(back.as_str())).bind(id).execute(&mut *tx).await?;
            }
        }
        tx.commit().await?;
        Ok(ids.len() as u64)
    })
}

/// What changes whenever a campaign's slots do (added, moved, deleted): for caching their figures.
pub async fn version(db: &Db, campaign_id: i64) -> Result<(i64, i64, i64)> {
    let sql =
        "SELECT COUNT(*), COALESCE(MAX(updated_at), 0), CAST(COALESCE(SUM(id), 0) AS BIGINT) FROM campaign_slots WHERE campaign_id = $1";
    db_read!(db, |p| Ok(sqlx::query_as(sql).bind(campaign_id).fetch_one(p).await?))
}
