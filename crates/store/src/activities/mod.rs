//! Activities and their roles: planning, finding them, and the facts the
//! sign-up rules read.

use sqlx::FromRow;
use tongxing_domain::activities::Activity;
use tongxing_domain::model::Paged;
use tongxing_domain::paging::Page;

use crate::sql::{contains, paged, Arg, Where};
use crate::{now_ms, Db, Result};

/// A checked plan, ready to store: one row per session of a weekly series.
#[derive(Debug, Clone)]
pub struct NewActivity {
    pub team_id: i64,
    pub community_id: i64,
    pub district_id: i64,
    pub project_id: Option<i64>,
    pub title: String,
    pub description: Option<String>,
    pub address: Option<String>,
    pub theme: Option<&'static str>,
    pub sessions: Vec<(i64, i64)>,
    pub capacity: i64,
    pub risky: bool,
    pub insurance: Option<String>,
    pub adults_only: bool,
    pub walk_ups: bool,
    pub roles: Vec<(String, i64)>,
    pub created_by: Option<i64>,
    /// One private check-in token per session.
    pub tokens: Vec<String>,
}

#[derive(FromRow, serde::Deserialize)]
struct Row {
    id: i64,
    title: String,
    team_id: i64,
    team_name: String,
    community_id: i64,
    community_name: String,
    district_id: i64,
    project_id: Option<i64>,
    project_name: Option<String>,
    series_id: Option<i64>,
    theme: Option<String>,
    address: Option<String>,
    description: Option<String>,
    starts_at: i64,
    ends_at: i64,
    capacity: i64,
    confirmed: i64,
    waitlisted: i64,
    risky: bool,
    insurance: Option<String>,
    adults_only: bool,
    walk_ups: bool,
    cancelled_at: Option<i64>,
    hours_confirmed_at: Option<i64>,
    dispatch_id: Option<i64>,
}

impl From<Row> for Activity {
    fn from(r: Row) -> Activity {
        Activity {
            id: r.id,
            title: r.title,
            team_id: r.team_id,
            team_name: r.team_name,
            community_id: r.community_id,
            community_name: r.community_name,
            district_id: r.district_id,
            project_id: r.project_id,
            project_name: r.project_name,
            series_id: r.series_id,
            theme: r.theme,
            address: r.address,
            description: r.description,
            starts_at: r.starts_at,
            ends_at: r.ends_at,
            capacity: r.capacity,
            confirmed: r.confirmed,
            waitlisted: r.waitlisted,
            risky: r.risky,
            insurance: r.insurance,
            adults_only: r.adults_only,
            walk_ups: r.walk_ups,
            cancelled: r.cancelled_at.is_some(),
            hours_confirmed: r.hours_confirmed_at.is_some(),
            dispatch_id: r.dispatch_id,
            roles: Vec::new(),
        }
    }
}

/// An activity's columns, with its team's, community's and project's names
/// as the given expressions.
macro_rules! columns {
    ($team:literal, $community:literal, $project:literal) => {
        concat!(
            "SELECT a.id, a.title, a.team_id, ",
            $team,
            " AS team_name, a.community_id, ",
            $community,
            " AS community_name, a.district_id, a.project_id, ",
            $project,
            " AS project_name, a.series_id, a.theme, a.address, a.description, a.starts_at, a.ends_at, a.capacity, \
             a.confirmed, a.waitlisted, a.risky, a.insurance, a.adults_only, a.walk_ups, a.cancelled_at, a.hours_confirmed_at, a.dispatch_id"
        )
    };
}

/// For lists: the names joined, which PostgreSQL hashes once for the page.
const SELECT: &str = columns!("t.name", "c.name", "p.name");
const FROM: &str = "activities a JOIN teams t ON t.id = a.team_id JOIN communities c ON c.id = a.community_id \
    LEFT JOIN service_projects p ON p.id = a.project_id";
/// Stores every session of a plan in one transaction; returns their ids, first first.
pub async fn create(db: &Db, a: &NewActivity) -> Result<Vec<i64>> {
    let now = now_ms();
    let insert = "INSERT INTO activities (team_id, community_id, district_id, project_id, series_id, title, description, address, theme, \
        starts_at, ends_at, capacity, risky, insurance, adults_only, walk_ups, checkin_token, created_by, created_at, updated_at) \
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $19) RETURNING id";
    let held = crate::stats::held::count(db.backend(), "a.id = $1", 1);
    db_write!(db, |p| {
        let mut tx = p.begin().await?;
        let mut ids: Vec<i64> = Vec::new();
        for (k, (starts, ends)) in a.sessions.iter().enumerate() {
            let series = if a.sessions.len() > 1 { ids.first().copied() } else { None };
            let id: i64 = sqlx::query_scalar(insert)
                .bind(a.team_id)
                .bind(a.community_id)
                .bind(a.district_id)
                .bind(a.project_id)
                .bind(series)
                .bind(&a.title)
                .bind(&a.description)
                .bind(&a.address)
                .bind(a.theme)
                .bind(*starts)
                .bind(*ends)
                .bind(a.capacity)
                .bind(a.risky)
                .bind(&a.insurance)
                .bind(a.adults_only)
                .bind(a.walk_ups)
                .bind(&a.tokens[k])
                .bind(a.created_by)
                .bind(now)
                .fetch_one(&mut *tx)
                .await?;
            sqlx::query(sqlx::AssertSqlSafe(held.as_str())).bind(id).execute(&mut *tx).await?;
            ids.push(id);
            for (name, capacity) in &a.roles {
                sqlx::query("INSERT INTO activity_roles (activity_id, name, capacity) VALUES ($1, $2, $3)")
                    .bind(id)
                    .bind(name)
                    .bind(*capacity)
                    .execute(&mut *tx)
                    .await?;
            }
        }
        // The first session names the series, itself included.
        if ids.len() > 1 {
            sqlx::query("UPDATE activities SET series_id = $1 WHERE id = $1").bind(ids[0]).execute(&mut *tx).await?;
        }
        tx.commit().await?;
        Ok(ids)
    })
}

#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub q: Option<String>,
    pub community_id: Option<i64>,
    pub district_id: Option<i64>,
    pub team_id: Option<i64>,
    /// Only activities planned from this service project.
    pub project_id: Option<i64>,
    /// Only activities ending after this (unix ms): "upcoming" lists.
    pub ends_after: Option<i64>,
    pub starts_before: Option<i64>,
    pub include_cancelled: bool,
    /// One of the campaign's themes.
    pub theme: Option<String>,
    /// Only activities with a free place left.
    pub has_places: bool,
}

/// Activities soonest first. "Near a community" is its district: the region's
/// districts are what a volunteer can reach on foot or by a short ride.
pub async fn list(db: &Db, f: &Filter, page: Page) -> Result<Paged<Activity>> {
    let (rows, total): (Vec<Row>, i64) = paged(db, &format!("{SELECT} FROM {FROM}"), FROM, &filtered(f), "a.starts_at, a.id", page).await?;
    Ok(Paged { items: rows.into_iter().map(Activity::from).collect(), total })
}

/// `list` on PostgreSQL, with the moment it next changes by itself: the
/// earliest end among the activities it counts (an upcoming list loses an
/// activity when it ends), `i64::MAX` when it counts none. What keeps a list
/// page on PostgreSQL while its feed of changes is heard. SQLite keeps its
/// pages for a moment only: `list`, and now.
pub async fn list_until(db: &Db, f: &Filter, page: Page) -> Result<(Paged<Activity>, i64)> {
    let Db::Postgres(p) = db else { return Ok((list(db, f, page).await?, now_ms())) };
    let w = filtered(f);
    let n = w.next_index();
    let sql = format!("{SELECT} FROM {FROM}{} ORDER BY a.starts_at, a.id LIMIT ${n} OFFSET ${}", w.sql(), n + 1);
    let rows: Vec<Row> =
        bind_args!(sqlx::query_as(sqlx::AssertSqlSafe(&*sql)), w.args).bind(page.limit()).bind(page.offset()).fetch_all(p).await?;
    let count = format!("SELECT COUNT(*), MIN(a.ends_at) FROM {FROM}{}", w.sql());
    let (total, until): (i64, Option<i64>) = bind_args!(sqlx::query_as(sqlx::AssertSqlSafe(&*count)), w.args).fetch_one(p).await?;
    Ok((Paged { items: rows.into_iter().map(Activity::from).collect(), total }, until.unwrap_or(i64::MAX)))
}

fn filtered(f: &Filter) -> Where {
    let mut w = Where::default();
    if let Some(q) = &f.q {
        w.and("a.title LIKE ? ESCAPE '\\'", [contains(q)]);
    }
    if let Some(c) = f.community_id {
        w.and("a.community_id = ?", [Arg::I64(c)]);
    }
    if let Some(d) = f.district_id {
        w.and("a.district_id = ?", [Arg::I64(d)]);
    }
    if let Some(t) = f.team_id {
        w.and("a.team_id = ?", [Arg::I64(t)]);
    }
    if let Some(p) = f.project_id {
        w.and("a.project_id = ?", [Arg::I64(p)]);
    }
    if let Some(t) = f.ends_after {
        w.and("a.ends_at > ?", [Arg::I64(t)]);
    }
    if let Some(t) = f.starts_before {
        w.and("a.starts_at < ?", [Arg::I64(t)]);
    }
    if !f.include_cancelled {
        w.and("a.cancelled_at IS NULL", []);
    }
    // A call's roll-call activity is reached from the call, not browsed.
    w.and("a.dispatch_id IS NULL", []);
    if let Some(t) = &f.theme {
        w.and("a.theme = ?", [Arg::Text(t.clone())]);
    }
    if f.has_places {
        w.and("a.confirmed < a.capacity", []);
    }
    w
}

/// Records the insurance policy that lets a risky activity confirm people.
pub async fn set_insurance(db: &Db, id: i64, policy: &str) -> Result<()> {
    let sql = "UPDATE activities SET insurance = $1, updated_at = $2 WHERE id = $3";
    crate::expect_one(db_write!(db, |p| sqlx::query(sql).bind(policy).bind(now_ms()).bind(id).execute(p).await?.rows_affected()))
}

/// Cancels an activity and, in the same transaction, tells everyone signed
/// up (confirmed or waitlisted) who has an account; false when it already was.
pub async fn cancel(db: &Db, id: i64, at: i64) -> Result<bool> {
    let sql = "UPDATE activities SET cancelled_at = $1, updated_at = $1 WHERE id = $2 AND cancelled_at IS NULL";
    let tell = "INSERT INTO notifications (user_id, at, kind, activity_id, detail) \
        SELECT u.id, $1, 'activity_cancelled', a.id, a.title FROM signups s JOIN activities a ON a.id = s.activity_id \
        JOIN users u ON u.volunteer_id = s.volunteer_id AND u.active WHERE s.activity_id = $2 AND s.status IN ('confirmed', 'waitlisted')";
    // Taken out of the dashboard's rollup while it still counts there.
    let held = crate::stats::held::moved(db.backend(), "a.id = $1", -1);
    db_write!(db, |p| {
        let mut tx = p.begin().await?;
        for sql in &held {
            sqlx::query(sqlx::AssertSqlSafe(sql.as_str())).bind(id).execute(&mut *tx).await?;
        }
        let done = sqlx::query(sql).bind(at).bind(id).execute(&mut *tx).await?.rows_affected() == 1;
        if done {
            sqlx::query(tell).bind(at).bind(id).execute(&mut *tx).await?;
        }
        tx.commit().await?;
        Ok(done)
    })
}

pub mod attendance;
mod one;
pub use one::{by_token, checkin_token, for_volunteer, get, roles};
pub mod calendar_feeds;
pub mod mine;
pub mod past;
pub mod reminders;
#[macro_use]
pub mod signups;
// After `signups`: its one-by-one statements serve what a batch cannot seat at once.
mod group_pg;
