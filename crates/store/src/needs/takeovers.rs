//! Take-over requests and the atomic move of a need from its holder to the
//! team that asked. Each write takes the need's row first (a conditional
//! UPDATE), as status changes do, so racing writers queue in one order.

use sqlx::FromRow;
use tongxing_domain::takeover::{TakeoverRequest, TakeoverStatus};

use crate::notifications::notify_in;
use crate::outbox::{enqueue_in, Message};
use crate::{now_ms, Db, Error, Result};

#[derive(FromRow)]
struct Row {
    id: i64,
    need_id: i64,
    team_id: i64,
    team_name: String,
    holder_team_id: i64,
    reason: String,
    status: String,
    requested_by: Option<String>,
    created_at: i64,
}

impl TryFrom<Row> for TakeoverRequest {
    type Error = Error;
    fn try_from(r: Row) -> Result<TakeoverRequest> {
        let status = TakeoverStatus::parse(&r.status).ok_or_else(|| Error::Dump(format!("unknown take-over status {:?}", r.status)))?;
        Ok(TakeoverRequest {
            id: r.id,
            need_id: r.need_id,
            team_id: r.team_id,
            team_name: r.team_name,
            holder_team_id: r.holder_team_id,
            reason: r.reason,
            status,
            requested_by: r.requested_by,
            created_at: r.created_at,
        })
    }
}

const SELECT: &str = "SELECT r.id, r.need_id, r.team_id, t.name AS team_name, r.holder_team_id, r.reason, r.status, \
    u.login AS requested_by, r.created_at FROM takeover_requests r JOIN teams t ON t.id = r.team_id LEFT JOIN users u ON u.id = r.requested_by";

/// A request to store, with whom to tell (the holder's leaders).
#[derive(Debug, Clone)]
pub struct NewRequest {
    pub need_id: i64,
    pub team_id: i64,
    pub holder_team_id: i64,
    pub reason: String,
    pub requested_by: i64,
    pub notify: Vec<(i64, String)>,
}

/// Stores an open request if the need is still held by `holder_team_id`,
/// with the holder's notifications. `None` when the need moved meanwhile;
/// `Error::Conflict` when this team already has an open request for it.
pub async fn create(db: &Db, r: &NewRequest) -> Result<Option<i64>> {
    let now = now_ms();
    db_write!(db, |p| {
        let mut tx = p.begin().await?;
        // Holds the need's row until commit, so a release cannot end the open
        // requests without seeing this one.
        let held = sqlx::query("UPDATE needs SET updated_at = $1 WHERE id = $2 AND status = 'claimed' AND team_id = $3")
            .bind(now)
            .bind(r.need_id)
            .bind(r.holder_team_id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        if held != 1 {
            return Ok(None);
        }
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO takeover_requests (need_id, team_id, holder_team_id, reason, requested_by, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(r.need_id)
        .bind(r.team_id)
        .bind(r.holder_team_id)
        .bind(&r.reason)
        .bind(r.requested_by)
        .bind(now)
        .fetch_one(&mut *tx)
        .await?;
        notify_in!(tx, r.need_id, &r.notify, now);
        tx.commit().await?;
        Ok(Some(id))
    })
}

pub async fn get(db: &Db, id: i64) -> Result<TakeoverRequest> {
    let sql = format!("{SELECT} WHERE r.id = $1");
    let row: Row = db_read!(db, |p| sqlx::query_as(sqlx::AssertSqlSafe(&*sql)).bind(id).fetch_one(p).await?);
    row.try_into()
}

/// The open requests for a need, oldest first.
pub async fn open_for(db: &Db, need_id: i64) -> Result<Vec<TakeoverRequest>> {
    let sql = format!("{SELECT} WHERE r.need_id = $1 AND r.status = 'open' ORDER BY r.id");
    let rows: Vec<Row> = db_read!(db, |p| sqlx::query_as(sqlx::AssertSqlSafe(&*sql)).bind(need_id).fetch_all(p).await?);
    rows.into_iter().map(TakeoverRequest::try_from).collect()
}

/// Ends every open request for a need inside an open transaction: the need
/// left the holder they were made to.
macro_rules! end_open_in {
    ($tx:expr, $need:expr, $now:expr) => {
        sqlx::query("UPDATE takeover_requests SET status = 'ended', decided_at = $1 WHERE need_id = $2 AND status = 'open'")
            .bind($now)
            .bind($need)
            .execute(&mut *$tx)
            .await?;
    };
}
pub(crate) use end_open_in;

/// What a decision writes besides the request's status.
#[derive(Debug, Clone, Default)]
pub struct Decision {
    pub decided_by: i64,
    pub notify: Vec<(i64, String)>,
    pub outbox: Vec<Message>,
}

/// Declines an open request. False if it was decided or ended meanwhile.
pub async fn decline(db: &Db, req: &TakeoverRequest, d: &Decision) -> Result<bool> {
    let now = now_ms();
    db_write!(db, |p| {
        let mut tx = p.begin().await?;
        let done = sqlx::query(
            "UPDATE takeover_requests SET status = 'declined', decided_by = $1, decided_at = $2 WHERE id = $3 AND status = 'open'",
        )
        .bind(d.decided_by)
        .bind(now)
        .bind(req.id)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if done != 1 {
            return Ok(false);
        }
        notify_in!(tx, req.need_id, &d.notify, now);
        tx.commit().await?;
        Ok(true)
    })
}

/// Moves the need to the requesting team, in one transaction: only while the
/// need is still claimed by the holder the request was made to and the
/// request is still open — so a racing release, completion or second accept
/// leaves exactly one holder. Other open requests end (they asked the former
/// holder); the history gets a "taken_over" line. False if anything moved first.
pub async fn accept(db: &Db, req: &TakeoverRequest, d: &Decision) -> Result<bool> {
    let now = now_ms();
    db_write!(db, |p| {
        let mut tx = p.begin().await?;
        let moved = sqlx::query(
            "UPDATE needs SET team_id = $1, status_since = $2, updated_at = $2, warning_level = 0 \
             WHERE id = $3 AND status = 'claimed' AND team_id = $4",
        )
        .bind(req.team_id)
        .bind(now)
        .bind(req.need_id)
        .bind(req.holder_team_id)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        let accepted = sqlx::query(
            "UPDATE takeover_requests SET status = 'accepted', decided_by = $1, decided_at = $2 WHERE id = $3 AND status = 'open'",
        )
        .bind(d.decided_by)
        .bind(now)
        .bind(req.id)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if moved != 1 || accepted != 1 {
            tx.rollback().await?;
            return Ok(false);
        }
        end_open_in!(tx, req.need_id, now);
        sqlx::query(
            "INSERT INTO need_events (need_id, at, status, user_id, team_id, note) VALUES ($1, $2, 'claimed', $3, $4, 'taken_over')",
        )
        .bind(req.need_id)
        .bind(now)
        .bind(d.decided_by)
        .bind(req.team_id)
        .execute(&mut *tx)
        .await?;
        notify_in!(tx, req.need_id, &d.notify, now);
        enqueue_in!(tx, req.need_id, &d.outbox, now);
        tx.commit().await?;
        Ok(true)
    })
}
