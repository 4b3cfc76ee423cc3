//! The in-app notification centre, and who gets told what.

use sqlx::FromRow;
use tongxing_domain::model::{Notification, Paged};
use tongxing_domain::paging::Page;
use tongxing_domain::role::Role;

use crate::{now_ms, Db, Result};

#[derive(FromRow)]
struct Row {
    id: i64,
    at: i64,
    kind: String,
    need_id: Option<i64>,
    activity_id: Option<i64>,
    dispatch_id: Option<i64>,
    care_pair_id: Option<i64>,
    detail: Option<String>,
    read: bool,
}

impl From<Row> for Notification {
    fn from(r: Row) -> Self {
        Notification {
            id: r.id,
            at: r.at,
            kind: r.kind,
            need_id: r.need_id,
            activity_id: r.activity_id,
            dispatch_id: r.dispatch_id,
            care_pair_id: r.care_pair_id,
            detail: r.detail,
            read: r.read,
        }
    }
}

/// Tells each `(user, kind)` about a need inside an open transaction (the
/// caller's change); the detail is the need's title as that transaction sees it.
macro_rules! notify_in {
    ($tx:expr, $need:expr, $notify:expr, $now:expr) => {
        for (user, kind) in $notify {
            sqlx::query(
                "INSERT INTO notifications (user_id, at, kind, need_id, detail) SELECT $1, $2, $3, id, title FROM needs WHERE id = $4",
            )
            .bind(*user)
            .bind($now)
            .bind(kind)
            .bind($need)
            .execute(&mut *$tx)
            .await?;
        }
    };
}
pub(crate) use notify_in;

/// Newest first, with the number unread.
pub async fn list(db: &Db, user_id: i64, page: Page) -> Result<(Paged<Notification>, i64)> {
    let sql = "SELECT id, at, kind, need_id, activity_id, dispatch_id, care_pair_id, detail, read_at IS NOT NULL AS read FROM notifications WHERE user_id = $1 \
               ORDER BY id DESC LIMIT $2 OFFSET $3";
    db_read!(db, |p| {
        let rows: Vec<Row> = sqlx::query_as(sql).bind(user_id).bind(page.limit()).bind(page.offset()).fetch_all(p).await?;
        let total: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM notifications WHERE user_id = $1").bind(user_id).fetch_one(p).await?;
        let unread: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM notifications WHERE user_id = $1 AND read_at IS NULL")
            .bind(user_id)
            .fetch_one(p)
            .await?;
        Ok((Paged { items: rows.into_iter().map(Notification::from).collect(), total }, unread))
    })
}

pub async fn unread(db: &Db, user_id: i64) -> Result<i64> {
    let sql = "SELECT COUNT(*) FROM notifications WHERE user_id = $1 AND read_at IS NULL";
    db_read!(db, |p| Ok(sqlx::query_scalar(sql).bind(user_id).fetch_one(p).await?))
}

/// Marks one (or, with `None`, every) notification of the user as read.
pub async fn mark_read(db: &Db, user_id: i64, id: Option<i64>) -> Result<u64> {
    let now = now_ms();
    db_write!(db, |p| Ok(match id {
        // Counts the user's notification even when already read, so that 0
        // means "not theirs" (or no such notification).
        Some(id) => sqlx::query("UPDATE notifications SET read_at = COALESCE(read_at, $1) WHERE user_id = $2 AND id = $3")
            .bind(now)
            .bind(user_id)
            .bind(id)
            .execute(p)
            .await?
            .rows_affected(),
        None => sqlx::query("UPDATE notifications SET read_at = $1 WHERE user_id = $2 AND read_at IS NULL")
            .bind(now)
            .bind(user_id)
            .execute(p)
            .await?
            .rows_affected(),
    }))
}

/// Active accounts of a role, optionally only those of one team or unit.
pub async fn recipients(db: &Db, role: Role, team_id: Option<i64>, unit_id: Option<i64>) -> Result<Vec<i64>> {
    let sql = "SELECT id FROM users WHERE active = TRUE AND role = $1 AND ($2 IS NULL OR team_id = $2) AND ($3 IS NULL OR unit_id = $3) ORDER BY id";
    db_read!(db, |p| Ok(sqlx::query_scalar(sql).bind(role.as_str()).bind(team_id).bind(unit_id).fetch_all(p).await?))
}

/// The active accounts of a registry person, to tell them something.
pub async fn accounts_of_volunteer(db: &Db, volunteer_id: i64) -> Result<Vec<i64>> {
    let sql = "SELECT id FROM users WHERE volunteer_id = $1 AND active = TRUE ORDER BY id";
    db_read!(db, |p| Ok(sqlx::query_scalar(sql).bind(volunteer_id).fetch_all(p).await?))
}

/// The active observer accounts (小区幸福观察员) of a community: those whose
/// person lives there. Care's red warnings reach the community through them.
pub async fn community_observers(db: &Db, community_id: i64) -> Result<Vec<i64>> {
    let sql = "SELECT u.id FROM users u JOIN volunteers v ON v.id = u.volunteer_id WHERE u.active = TRUE AND u.role = 'observer' \
               AND v.community_id = $1 ORDER BY u.id";
    db_read!(db, |p| Ok(sqlx::query_scalar(sql).bind(community_id).fetch_all(p).await?))
}

/// Leaders of the active teams that fit a need: same district and service category.
pub async fn fitting_leaders(db: &Db, district_id: i64, category: &str) -> Result<Vec<i64>> {
    let sql = "SELECT u.id FROM users u JOIN teams t ON t.id = u.team_id WHERE u.active = TRUE AND u.role = 'team_leader' \
               AND t.active = TRUE AND t.district_id = $1 AND t.category = $2 ORDER BY u.id";
    db_read!(db, |p| Ok(sqlx::query_scalar(sql).bind(district_id).bind(category).fetch_all(p).await?))
}

/// Announces a need's new warning level to `users`, once: the conditional
/// update on `notified_level` lets only one instance (or tick) do it.
pub async fn escalate(db: &Db, need_id: i64, level: i64, kind: &str, detail: &str, users: &[i64]) -> Result<bool> {
    let mark = "UPDATE needs SET notified_level = $1 WHERE id = $2 AND notified_level < $1";
    announce_once(db, mark, [level, need_id], About::Need(need_id), kind, detail, users).await
}

/// Tells `users` about something, unconditionally (a digest whose parts
/// were each announced once already).
pub async fn tell(db: &Db, users: &[i64], kind: &str, detail: &str) -> Result<()> {
    let now = now_ms();
    db_write!(db, |p| {
        let mut tx = p.begin().await?;
        for u in users {
            sqlx::query("INSERT INTO notifications (user_id, at, kind, detail) VALUES ($1, $2, $3, $4)")
                .bind(*u)
                .bind(now)
                .bind(kind)
                .bind(detail)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(())
    })
}

/// What a notification is about, so it links there.
#[derive(Debug, Clone, Copy)]
pub enum About {
    Nothing,
    Need(i64),
    CarePair(i64),
}

/// Tells `users` about something once: `mark` (a conditional UPDATE taking
/// `args` as $1, $2) must change exactly one row, in the same transaction as
/// the notifications, so a second tick or another instance adds nothing.
pub(crate) async fn announce_once(
    db: &Db,
    mark: &'static str,
    args: [i64; 2],
    about: About,
    kind: &str,
    detail: &str,
    users: &[i64],
) -> Result<bool> {
    let (need_id, care_pair_id) = match about {
        About::Nothing => (None, None),
        About::Need(id) => (Some(id), None),
        About::CarePair(id) => (None, Some(id)),
    };
    let now = now_ms();
    db_write!(db, |p| {
        let mut tx = p.begin().await?;
        if sqlx::query(mark).bind(args[0]).bind(args[1]).execute(&mut *tx).await?.rows_affected() != 1 {
            return Ok(false);
        }
        for u in users {
            sqlx::query("INSERT INTO notifications (user_id, at, kind, need_id, care_pair_id, detail) VALUES ($1, $2, $3, $4, $5, $6)")
                .bind(*u)
                .bind(now)
                .bind(kind)
                .bind(need_id)
                .bind(care_pair_id)
                .bind(detail)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(true)
    })
}

/// Open needs whose warning level rose past what was last announced.
pub async fn pending_escalations(db: &Db) -> Result<Vec<(i64, i64)>> {
    let sql = "SELECT id, warning_level FROM needs WHERE status IN ('submitted', 'published', 'claimed') \
               AND warning_level > notified_level AND warning_level >= 2 ORDER BY id";
    db_read!(db, |p| Ok(sqlx::query_as(sql).fetch_all(p).await?))
}
