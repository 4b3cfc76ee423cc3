//! Emergency calls: creating one with its first wave, further waves, topping
//! up and closing, and reading a call back for the board, the roster and the
//! report. Answers, which fill a call, are in `answers`.

use sqlx::FromRow;
use tongxing_domain::time::{ms_as_rfc3339 as rfc3339, opt_ms_as_rfc3339 as opt_rfc3339};

use crate::outbox::{enqueue_in, Message};
use crate::{now_ms, Db, Error, Result};

/// A call as the coordinator stated it, with its quotas and backing activity.
#[derive(Debug, Clone)]
pub struct NewCall {
    pub title: String,
    pub description: Option<String>,
    pub address: Option<String>,
    pub community_id: i64,
    pub district_id: i64,
    pub lat: f64,
    pub lng: f64,
    pub radius_km: f64,
    pub skills: Vec<String>,
    pub starts_at: i64,
    pub ends_at: i64,
    pub needed: i64,
    /// The team leading on site: the backing activity is theirs.
    pub team_id: i64,
    pub checkin_token: String,
    pub created_by: Option<i64>,
    /// `(unit_id, eligible, quota)`.
    pub quotas: Vec<(i64, i64, i64)>,
}

/// One person asked in a wave, with the secret of their answer link and the
/// SMS that carries it.
#[derive(Debug, Clone)]
pub struct Notice {
    pub volunteer_id: i64,
    pub unit_id: i64,
    pub score: f64,
    pub distance_km: f64,
    pub token: String,
    /// None when no SMS gateway is configured.
    pub sms: Option<String>,
}

/// A call as stored, and as the API shows it: times in RFC 3339, skills as
/// the list they were given as (stored one per line).
#[derive(Debug, Clone, PartialEq, FromRow, serde::Serialize, utoipa::ToSchema)]
pub struct Call {
    pub id: i64,
    pub title: String,
    pub description: Option<String>,
    pub address: Option<String>,
    pub community_id: i64,
    pub district_id: i64,
    pub lat: f64,
    pub lng: f64,
    pub radius_km: f64,
    #[serde(serialize_with = "lines_as_list")]
    #[schema(value_type = Vec<String>)]
    pub skills: String,
    #[serde(serialize_with = "rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub starts_at: i64,
    #[serde(serialize_with = "rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub ends_at: i64,
    pub needed: i64,
    pub confirmed: i64,
    pub standby: i64,
    #[schema(value_type = String, pattern = "^(open|filled|closed)$")]
    pub status: String,
    pub waves: i64,
    #[serde(serialize_with = "rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub created_at: i64,
    #[serde(serialize_with = "opt_rfc3339")]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub filled_at: Option<i64>,
    #[serde(serialize_with = "opt_rfc3339")]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub closed_at: Option<i64>,
    pub activity_id: Option<i64>,
}

impl Call {
    /// The skills the call asks for, as given.
    pub fn skill_list(&self) -> Vec<String> {
        self.skills.lines().filter(|s| !s.is_empty()).map(str::to_string).collect()
    }
}

fn lines_as_list<S: serde::Serializer>(skills: &str, s: S) -> std::result::Result<S::Ok, S::Error> {
    s.collect_seq(skills.lines().filter(|l| !l.is_empty()))
}

const SELECT: &str = "SELECT d.id, d.title, d.description, d.address, d.community_id, d.district_id, d.lat, d.lng, d.radius_km, d.skills, \
    d.starts_at, d.ends_at, d.needed, d.confirmed, d.standby, d.status, d.waves, d.created_at, d.filled_at, d.closed_at, \
    (SELECT a.id FROM activities a WHERE a.dispatch_id = d.id) AS activity_id FROM dispatches d";

/// A change the live board should show.
macro_rules! event_in {
    ($tx:expr, $call:expr, $kind:expr, $now:expr) => {
        sqlx::query("INSERT INTO dispatch_events (dispatch_id, at, kind) VALUES ($1, $2, $3)")
            .bind($call)
            .bind($now)
            .bind($kind)
            .execute(&mut *$tx)
            .await?;
    };
}

/// Records a wave's notices inside an open transaction: the responses, each
/// person's SMS and in-app notice, and their call statistics.
macro_rules! wave_in {
    ($tx:expr, $call:expr, $wave:expr, $notices:expr, $now:expr) => {
        for n in $notices {
            sqlx::query(
                "INSERT INTO dispatch_responses (dispatch_id, volunteer_id, unit_id, wave, score, distance_km, status, token, notified_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, 'notified', $7, $8)",
            )
            .bind($call)
            .bind(n.volunteer_id)
            .bind(n.unit_id)
            .bind($wave)
            .bind(n.score)
            .bind(n.distance_km)
            .bind(&n.token)
            .bind($now)
            .execute(&mut *$tx)
            .await?;
            if let Some(sms) = &n.sms {
                sqlx::query("INSERT INTO outbox (kind, target, body, next_attempt_at, created_at) SELECT 'sms', phone, $1, $2, $2 FROM volunteers WHERE id = $3")
                    .bind(sms)
                    .bind($now)
                    .bind(n.volunteer_id)
                    .execute(&mut *$tx)
                    .await?;
            }
        }
        sqlx::query(
            "INSERT INTO notifications (user_id, at, kind, dispatch_id, detail) SELECT u.id, $1, 'dispatch_called', d.id, d.title \
             FROM dispatch_responses r JOIN users u ON u.volunteer_id = r.volunteer_id AND u.active = TRUE JOIN dispatches d ON d.id = r.dispatch_id \
             WHERE r.dispatch_id = $2 AND r.wave = $3",
        )
        .bind($now)
        .bind($call)
        .bind($wave)
        .execute(&mut *$tx)
        .await?;
        sqlx::query(
            "INSERT INTO volunteer_call_stats (volunteer_id, last_called_at, invited, accepted, updated_at) \
             SELECT volunteer_id, $1, 1, 0, $1 FROM dispatch_responses WHERE dispatch_id = $2 AND wave = $3 \
             ON CONFLICT (volunteer_id) DO UPDATE SET last_called_at = excluded.last_called_at, \
             invited = volunteer_call_stats.invited + 1, updated_at = excluded.updated_at",
        )
        .bind($now)
        .bind($call)
        .bind($wave)
        .execute(&mut *$tx)
        .await?;
        sqlx::query("UPDATE dispatches SET waves = $1, updated_at = $2 WHERE id = $3").bind($wave).bind($now).bind($call).execute(&mut *$tx).await?;
        event_in!($tx, $call, "wave", $now);
    };
}

/// Stores a call, its backing activity, its quotas and its first wave, and
/// tells the liaisons of units with a quota, all in one transaction: the
/// first wave is in the outbox the moment the call exists.
pub async fn create(db: &Db, c: &NewCall, notices: &[Notice], robots: &[Message]) -> Result<i64> {
    let now = now_ms();
    // The backing activity counts on the dashboard from the start.
    let held = crate::stats::held::count(db.backend(), "a.dispatch_id = $1", 1);
    db_write!(db, |p| {
        let mut tx = p.begin().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO dispatches (title, description, address, community_id, district_id, lat, lng, radius_km, skills, starts_at, ends_at, \
             needed, created_by, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $14) RETURNING id",
        )
        .bind(&c.title)
        .bind(&c.description)
        .bind(&c.address)
        .bind(c.community_id)
        .bind(c.district_id)
        .bind(c.lat)
        .bind(c.lng)
        .bind(c.radius_km)
        .bind(c.skills.join("\n"))
        .bind(c.starts_at)
        .bind(c.ends_at)
        .bind(c.needed)
        .bind(c.created_by)
        .bind(now)
        .fetch_one(&mut *tx)
        .await?;
        sqlx::query(
            "INSERT INTO activities (team_id, community_id, district_id, title, description, address, starts_at, ends_at, capacity, \
             checkin_token, dispatch_id, created_by, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13)",
        )
        .bind(c.team_id)
        .bind(c.community_id)
        .bind(c.district_id)
        .bind(&c.title)
        .bind(&c.description)
        .bind(&c.address)
        .bind(c.starts_at)
        .bind(c.ends_at)
        .bind(c.needed)
        .bind(&c.checkin_token)
        .bind(id)
        .bind(c.created_by)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        sqlx::query(sqlx::AssertSqlSafe(held.as_str())).bind(id).execute(&mut *tx).await?;
        for (unit, eligible, quota) in &c.quotas {
            sqlx::query("INSERT INTO dispatch_units (dispatch_id, unit_id, eligible, quota) VALUES ($1, $2, $3, $4)")
                .bind(id)
                .bind(unit)
                .bind(eligible)
                .bind(quota)
                .execute(&mut *tx)
                .await?;
        }
        sqlx::query(
            "INSERT INTO notifications (user_id, at, kind, dispatch_id, detail) SELECT u.id, $1, 'dispatch_quota', $2, $3 \
             FROM users u JOIN dispatch_units q ON q.unit_id = u.unit_id AND q.dispatch_id = $2 \
             WHERE u.role = 'liaison' AND u.active = TRUE AND q.quota > 0",
        )
        .bind(now)
        .bind(id)
        .bind(&c.title)
        .execute(&mut *tx)
        .await?;
        enqueue_in!(tx, None::<i64>, robots, now);
        event_in!(tx, id, "created", now);
        wave_in!(tx, id, 1i64, notices, now);
        tx.commit().await?;
        Ok(id)
    })
}

/// Sends another wave; refused (`Conflict`) once the call is closed.
pub async fn add_wave(db: &Db, id: i64, notices: &[Notice]) -> Result<i64> {
    let now = now_ms();
    db_write!(db, |p| {
        let mut tx = p.begin().await?;
        let wave: Option<i64> =
            sqlx::query_scalar("UPDATE dispatches SET waves = waves + 1 WHERE id = $1 AND status <> 'closed' RETURNING waves")
                .bind(id)
                .fetch_optional(&mut *tx)
                .await?;
        let wave = wave.ok_or(Error::Conflict)?;
        wave_in!(tx, id, wave, notices, now);
        tx.commit().await?;
        Ok(wave)
    })
}

/// Closes a call: no answer changes it any more. False if it already was.
pub async fn close(db: &Db, id: i64) -> Result<bool> {
    let now = now_ms();
    db_write!(db, |p| {
        let mut tx = p.begin().await?;
        let n =
            sqlx::query("UPDATE dispatches SET status = 'closed', closed_at = $1, updated_at = $1 WHERE id = $2 AND status <> 'closed'")
                .bind(now)
                .bind(id)
                .execute(&mut *tx)
                .await?
                .rows_affected();
        if n == 1 {
            event_in!(tx, id, "closed", now);
        }
        tx.commit().await?;
        Ok(n == 1)
    })
}

pub async fn get(db: &Db, id: i64) -> Result<Call> {
    let sql = format!("{SELECT} WHERE d.id = $1");
    db_read!(db, |p| sqlx::query_as(sqlx::AssertSqlSafe(&*sql)).bind(id).fetch_optional(p).await?).ok_or(Error::NotFound)
}

/// Newest first.
pub async fn recent(db: &Db, limit: i64) -> Result<Vec<Call>> {
    let sql = format!("{SELECT} ORDER BY d.created_at DESC, d.id DESC LIMIT $1");
    db_read!(db, |p| Ok(sqlx::query_as(sqlx::AssertSqlSafe(&*sql)).bind(limit).fetch_all(p).await?))
}

/// `(unit_id, unit name, eligible, quota)` in unit order.
pub async fn quotas(db: &Db, id: i64) -> Result<Vec<(i64, String, i64, i64)>> {
    let sql = "SELECT q.unit_id, u.name, q.eligible, q.quota FROM dispatch_units q JOIN units u ON u.id = q.unit_id WHERE q.dispatch_id = $1 ORDER BY q.unit_id";
    db_read!(db, |p| Ok(sqlx::query_as(sql).bind(id).fetch_all(p).await?))
}

/// Everyone asked or committed so far: they are not asked again.
pub async fn asked(db: &Db, id: i64) -> Result<Vec<i64>> {
    db_read!(db, |p| Ok(sqlx::query_scalar("SELECT volunteer_id FROM dispatch_responses WHERE dispatch_id = $1")
        .bind(id)
        .fetch_all(p)
        .await?))
}

/// The newest board event of one call; `NotFound` for an unknown call.
pub async fn last_event_of(db: &Db, id: i64) -> Result<i64> {
    let sql = "SELECT (SELECT MAX(e.id) FROM dispatch_events e WHERE e.dispatch_id = d.id) FROM dispatches d WHERE d.id = $1";
    let row: Option<Option<i64>> = db_read!(db, |p| sqlx::query_scalar(sql).bind(id).fetch_optional(p).await?);
    row.map(|m| m.unwrap_or(0)).ok_or(Error::NotFound)
}

pub mod answers;
pub mod past;
pub mod pool;
