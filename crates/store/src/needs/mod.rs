//! Needs, their history and the hours they credit.

use sqlx::FromRow;
use tongxing_domain::model::Paged;
use tongxing_domain::needs::{Need, NeedEvent, Status, WarningLevel, WarningLimits};
use tongxing_domain::paging::Page;

use crate::sql::{contains, paged, Arg, Where};
use crate::{now_ms, Db, Error, Result};

#[derive(FromRow, serde::Deserialize)]
struct Row {
    id: i64,
    tracking_code: String,
    title: String,
    description: String,
    category: String,
    community_id: i64,
    community_name: String,
    district_id: i64,
    district_name: String,
    requester_name: String,
    requester_phone: String,
    channel: String,
    volunteers_needed: i64,
    status: String,
    warning_level: i64,
    status_since: i64,
    team_id: Option<i64>,
    team_name: Option<String>,
    reject_reason: Option<String>,
    merged_into: Option<i64>,
    summary: Option<String>,
    rating_stars: Option<i64>,
    rating_comment: Option<String>,
    created_at: i64,
}

impl TryFrom<Row> for Need {
    type Error = Error;
    fn try_from(r: Row) -> Result<Need> {
        let status = Status::parse(&r.status).ok_or_else(|| Error::Dump(format!("unknown need status {:?}", r.status)))?;
        Ok(Need {
            id: r.id,
            tracking_code: r.tracking_code,
            title: r.title,
            description: r.description,
            category: r.category,
            community_id: r.community_id,
            community_name: r.community_name,
            district_id: r.district_id,
            district_name: r.district_name,
            requester_name: r.requester_name,
            requester_phone: r.requester_phone,
            channel: r.channel,
            volunteers_needed: r.volunteers_needed,
            status,
            warning_level: WarningLevel::from_rank(r.warning_level),
            status_since: r.status_since,
            team_id: r.team_id,
            team_name: r.team_name,
            reject_reason: r.reject_reason,
            merged_into: r.merged_into,
            summary: r.summary,
            rating_stars: r.rating_stars,
            rating_comment: r.rating_comment,
            created_at: r.created_at,
        })
    }
}

const SELECT: &str = "SELECT n.id, n.tracking_code, n.title, n.description, n.category, n.community_id, c.name AS community_name, \
    n.district_id, d.name AS district_name, n.requester_name, n.requester_phone, n.channel, n.volunteers_needed, n.status, \
    n.warning_level, n.status_since, n.team_id, t.name AS team_name, n.reject_reason, n.merged_into, n.summary, n.rating_stars, \
    n.rating_comment, n.created_at FROM needs n JOIN communities c ON c.id = n.community_id JOIN districts d ON d.id = n.district_id \
    LEFT JOIN teams t ON t.id = n.team_id";

/// A checked submission, ready to store.
#[derive(Debug, Clone)]
pub struct NewNeed {
    pub tracking_code: String,
    pub title: String,
    pub description: String,
    pub category: String,
    pub community_id: i64,
    pub district_id: i64,
    pub requester_name: String,
    pub requester_phone: String,
    pub channel: &'static str,
    pub volunteers_needed: i64,
    pub submitted_by: Option<i64>,
    pub submitter_ip: Option<String>,
}

/// Stores a need and the first line of its history, together.
pub async fn create(db: &Db, n: &NewNeed) -> Result<i64> {
    let now = now_ms();
    let sql = "INSERT INTO needs (tracking_code, title, description, category, community_id, district_id, requester_name, \
               requester_phone, channel, volunteers_needed, status, status_since, submitted_by, submitter_ip, created_at, updated_at) \
               VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'submitted', $11, $12, $13, $11, $11) RETURNING id";
    db_write!(db, |p| {
        let mut tx = p.begin().await?;
        let id: i64 = sqlx::query_scalar(sql)
            .bind(&n.tracking_code)
            .bind(n.title.trim())
            .bind(n.description.trim())
            .bind(&n.category)
            .bind(n.community_id)
            .bind(n.district_id)
            .bind(n.requester_name.trim())
            .bind(&n.requester_phone)
            .bind(n.channel)
            .bind(n.volunteers_needed)
            .bind(now)
            .bind(n.submitted_by)
            .bind(&n.submitter_ip)
            .fetch_one(&mut *tx)
            .await?;
        sqlx::query("INSERT INTO need_events (need_id, at, status, user_id) VALUES ($1, $2, 'submitted', $3)")
            .bind(id)
            .bind(now)
            .bind(n.submitted_by)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(id)
    })
}

pub async fn get(db: &Db, id: i64) -> Result<Need> {
    let sql = format!("{SELECT} WHERE n.id = $1");
    let row: Row = db_read!(db, |p| sqlx::query_as(sqlx::AssertSqlSafe(&*sql)).bind(id).fetch_one(p).await?);
    row.try_into()
}

pub async fn by_code(db: &Db, code: &str) -> Result<Need> {
    let sql = format!("{SELECT} WHERE n.tracking_code = $1");
    let row: Row = db_read!(db, |p| sqlx::query_as(sqlx::AssertSqlSafe(&*sql)).bind(code).fetch_one(p).await?);
    row.try_into()
}

#[derive(FromRow)]
struct EventRow {
    at: i64,
    status: String,
    user_login: Option<String>,
    user_role: Option<String>,
    user_name: Option<String>,
    team_name: Option<String>,
    note: Option<String>,
}

/// A need's history, oldest first.
pub async fn events(db: &Db, need_id: i64) -> Result<Vec<NeedEvent>> {
    let sql = "SELECT e.at, e.status, u.login AS user_login, u.role AS user_role, v.name AS user_name, t.name AS team_name, e.note \
               FROM need_events e LEFT JOIN users u ON u.id = e.user_id LEFT JOIN volunteers v ON v.id = u.volunteer_id \
               LEFT JOIN teams t ON t.id = e.team_id WHERE e.need_id = $1 ORDER BY e.id";
    let rows: Vec<EventRow> = db_read!(db, |p| sqlx::query_as(sql).bind(need_id).fetch_all(p).await?);
    rows.into_iter()
        .map(|r| {
            let status = Status::parse(&r.status).ok_or_else(|| Error::Dump(format!("unknown need status {:?}", r.status)))?;
            let user_role = r.user_role.as_deref().and_then(tongxing_domain::role::Role::parse);
            Ok(NeedEvent {
                at: r.at,
                status,
                user_login: r.user_login,
                user_role,
                user_name: r.user_name,
                team_name: r.team_name,
                note: r.note,
            })
        })
        .collect()
}

#[derive(Debug, Default, Clone)]
pub struct Filter {
    /// A tracking code (exact) or part of the title.
    pub q: Option<String>,
    pub status: Option<Status>,
    pub warning_level: Option<WarningLevel>,
    pub district_id: Option<i64>,
    pub team_id: Option<i64>,
    pub category: Option<String>,
    /// A team leader's view: needs their team may take or ask to take over, or holds.
    pub claimable_by_or_held: Option<(i64, i64, String)>,
}

fn filter(f: &Filter) -> Where {
    let mut w = Where::default();
    if let Some(q) = &f.q {
        let code = q.trim().to_ascii_uppercase();
        if code.len() == 10 && code.starts_with("XC") {
            w.and("n.tracking_code = ?", [Arg::Text(code)]);
        } else {
            w.and("n.title LIKE ? ESCAPE '\\'", [contains(q)]);
        }
    }
    if let Some(s) = f.status {
        w.and("n.status = ?", [Arg::Text(s.as_str().into())]);
    }
    if let Some(l) = f.warning_level {
        w.and("n.warning_level = ?", [Arg::I64(l.rank())]);
    }
    if let Some(d) = f.district_id {
        w.and("n.district_id = ?", [Arg::I64(d)]);
    }
    if let Some(t) = f.team_id {
        w.and("n.team_id = ?", [Arg::I64(t)]);
    }
    if let Some(c) = &f.category {
        w.and("n.category = ?", [Arg::Text(c.clone())]);
    }
    if let Some((team, district, category)) = &f.claimable_by_or_held {
        w.and(
            "(n.team_id = ?) OR (n.status IN ('published', 'claimed') AND n.district_id = ? AND n.category = ?)",
            [Arg::I64(*team), Arg::I64(*district), Arg::Text(category.clone())],
        );
    }
    w
}

/// Most urgent first: highest warning level, then longest waiting. A team
/// leader's view puts what their team may claim now above what it holds.
pub async fn list(db: &Db, f: &Filter, page: Page) -> Result<Paged<Need>> {
    let order = match f.claimable_by_or_held {
        Some(_) => "CASE WHEN n.status = 'published' THEN 0 ELSE 1 END, n.warning_level DESC, n.status_since, n.id",
        None => "n.warning_level DESC, n.status_since, n.id",
    };
    let (rows, total) = paged::<Row>(db, SELECT, "needs n", &filter(f), order, page).await?;
    Ok(Paged { items: rows.into_iter().map(Need::try_from).collect::<Result<_>>()?, total })
}

/// What a status change writes besides the status. `None` leaves a column as it is.
#[derive(Debug, Clone, Default)]
pub struct Change {
    /// `Some(None)` clears the holding team (release), `Some(Some(t))` sets it.
    pub team_id: Option<Option<i64>>,
    pub reject_reason: Option<String>,
    pub merged_into: Option<i64>,
    pub summary: Option<String>,
    pub rating: Option<(i64, Option<String>)>,
    /// For the history line.
    pub user_id: Option<i64>,
    pub note: Option<String>,
    /// Hours served, credited to the ledger in the same transaction: (volunteer, hours).
    pub hours: Vec<(i64, f64)>,
    pub served_on: Option<String>,
    /// Users told about the change, in the same transaction: (user, kind).
    pub notify: Vec<(i64, String)>,
    /// Only if this team still holds the need: a take-over may have moved it
    /// since the caller read it.
    pub holder: Option<i64>,
    /// Messages for outside systems, queued in the same transaction.
    pub outbox: Vec<crate::outbox::Message>,
}

/// Moves a need from `from` to `to` if — and only if — it is still at
/// `from` (and held by `c.holder`, when given): the conditional UPDATE is the
/// arbiter between racing requests. Open take-over requests end when a
/// claimed need moves. Returns false when another request got there first.
pub async fn transition(db: &Db, id: i64, from: Status, to: Status, c: &Change) -> Result<bool> {
    let now = now_ms();
    let sql = "UPDATE needs SET status = $1, status_since = $2, updated_at = $2, warning_level = 0, \
               team_id = CASE WHEN $3 THEN $4 ELSE team_id END, reject_reason = COALESCE($5, reject_reason), \
               merged_into = COALESCE($6, merged_into), summary = COALESCE($7, summary), \
               rating_stars = COALESCE($8, rating_stars), rating_comment = COALESCE($9, rating_comment) \
               WHERE id = $10 AND status = $11 AND ($12 IS NULL OR team_id = $12)";
    let (set_team, team) = match c.team_id {
        Some(t) => (true, t),
        None => (false, None),
    };
    db_write!(db, |p| {
        let mut tx = p.begin().await?;
        let done = sqlx::query(sql)
            .bind(to.as_str())
            .bind(now)
            .bind(set_team)
            .bind(team)
            .bind(&c.reject_reason)
            .bind(c.merged_into)
            .bind(&c.summary)
            .bind(c.rating.as_ref().map(|r| r.0))
            .bind(c.rating.as_ref().and_then(|r| r.1.clone()))
            .bind(id)
            .bind(from.as_str())
            .bind(c.holder)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        if done != 1 {
            return Ok(false);
        }
        if from == Status::Claimed {
            crate::needs::takeovers::end_open_in!(tx, id, now);
        }
        // The history line and the notifications take the team and title from
        // the row just updated, inside the same transaction.
        sqlx::query(
            "INSERT INTO need_events (need_id, at, status, user_id, team_id, note) SELECT id, $2, $3, $4, team_id, $5 FROM needs WHERE id = $1",
        )
        .bind(id)
        .bind(now)
        .bind(to.as_str())
        .bind(c.user_id)
        .bind(&c.note)
        .execute(&mut *tx)
        .await?;
        for (volunteer, hours) in &c.hours {
            let entry = crate::ledger::NewEntry {
                volunteer_id: *volunteer,
                kind: "need_service",
                need_id: Some(id),
                hours: *hours,
                served_on: c.served_on.clone().unwrap_or_default(),
                recorded_by: c.user_id,
                confirmed_by: c.user_id,
                ..Default::default()
            };
            crate::ledger::append_in!(tx, &entry, now);
        }
        crate::outbox::enqueue_in!(tx, id, &c.outbox, now);
        crate::notifications::notify_in!(tx, id, &c.notify, now);
        tx.commit().await?;
        Ok(true)
    })
}

/// Sets every open need's warning level from how long it has waited, in one
/// statement; rows whose level is unchanged are not written. Returns how many changed.
pub async fn recompute_warnings(db: &Db, limits: &WarningLimits, now: i64) -> Result<u64> {
    let mut case = String::from("CASE");
    let mut args: Vec<i64> = Vec::new();
    for s in [Status::Submitted, Status::Published, Status::Claimed] {
        let l = limits.for_status(s).expect("open statuses have limits");
        for (rank, minutes) in [(4, l.red), (3, l.orange), (2, l.yellow), (1, l.blue)] {
            args.push(now - minutes * 60_000);
            case.push_str(&format!(" WHEN status = '{}' AND status_since <= ${} THEN {rank}", s.as_str(), args.len()));
        }
    }
    case.push_str(" ELSE 0 END");
    let sql = format!(
        "UPDATE needs SET warning_level = {case} WHERE status IN ('submitted', 'published', 'claimed') AND warning_level <> {case}"
    );
    db_write!(db, |p| {
        let mut q = sqlx::query(sqlx::AssertSqlSafe(&*sql));
        for a in &args {
            q = q.bind(*a);
        }
        Ok(q.execute(p).await?.rows_affected())
    })
}

/// Sets when a need reached its status and was created (the demo's history
/// spans weeks; live needs never call this).
pub async fn set_waiting_since(db: &Db, id: i64, since_ms: i64) -> Result<()> {
    // The history moves with it: the last step at `since_ms`, each earlier
    // one half an hour before the next, and the need created at its first.
    let events = "UPDATE need_events SET at = $1 - 1800000 * \
                  (SELECT COUNT(*) FROM need_events l WHERE l.need_id = need_events.need_id AND l.id > need_events.id) \
                  WHERE need_id = $2";
    let need = "UPDATE needs SET status_since = $1, \
                created_at = COALESCE((SELECT MIN(at) FROM need_events WHERE need_id = $2), $1) WHERE id = $2";
    let n = db_write!(db, |p| {
        let mut tx = p.begin().await?;
        sqlx::query(events).bind(since_ms).bind(id).execute(&mut *tx).await?;
        let n = sqlx::query(need).bind(since_ms).bind(id).execute(&mut *tx).await?.rows_affected();
        tx.commit().await?;
        n
    });
    crate::expect_one(n)
}

/// Claimed needs whose claim has shown no progress since `before_ms`.
pub async fn stale_claims(db: &Db, before_ms: i64) -> Result<Vec<i64>> {
    let sql = "SELECT id FROM needs WHERE status = 'claimed' AND status_since <= $1 ORDER BY id";
    db_read!(db, |p| Ok(sqlx::query_scalar(sql).bind(before_ms).fetch_all(p).await?))
}

pub mod feed;
pub mod past;
pub mod takeovers;
