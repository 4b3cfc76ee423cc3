//! The service-project catalogue: projects, their retirement, and what
//! their activities did over a period.

use sqlx::FromRow;
use tongxing_domain::activities::RoleInput;
use tongxing_domain::campaigns::projects::{Project, ProjectStats};
use tongxing_domain::model::Paged;
use tongxing_domain::paging::Page;

use crate::sql::{contains, paged, Arg, Where};
use crate::{now_ms, Db, Result};

/// A checked project ready to store, its search keys derived.
#[derive(Debug, Clone, Default)]
pub struct Record {
    pub name: String,
    pub name_initials: String,
    pub name_pinyin: String,
    pub category: String,
    pub theme: Option<&'static str>,
    pub description: Option<String>,
    pub default_minutes: Option<i64>,
    pub default_capacity: Option<i64>,
    pub default_roles: Vec<RoleInput>,
    pub risky: bool,
    pub adults_only: bool,
    pub what_to_bring: Option<String>,
    pub unit_id: Option<i64>,
    pub team_id: Option<i64>,
}

impl Record {
    fn roles_json(&self) -> String {
        let pairs: Vec<(&str, i64)> = self.default_roles.iter().map(|r| (r.name.as_str(), r.capacity)).collect();
        serde_json::to_string(&pairs).unwrap_or_else(|_| "[]".into())
    }
}

#[derive(FromRow, serde::Deserialize)]
struct Row {
    id: i64,
    name: String,
    category: String,
    theme: Option<String>,
    description: Option<String>,
    default_minutes: Option<i64>,
    default_capacity: Option<i64>,
    default_roles: String,
    risky: bool,
    adults_only: bool,
    what_to_bring: Option<String>,
    unit_id: Option<i64>,
    unit_name: Option<String>,
    team_id: Option<i64>,
    team_name: Option<String>,
    retired_at: Option<i64>,
    retired_by: Option<String>,
    activities: i64,
}

impl From<Row> for Project {
    fn from(r: Row) -> Project {
        let roles: Vec<(String, i64)> = serde_json::from_str(&r.default_roles).unwrap_or_default();
        Project {
            id: r.id,
            name: r.name,
            category: r.category,
            theme: r.theme,
            description: r.description,
            default_minutes: r.default_minutes,
            default_capacity: r.default_capacity,
            default_roles: roles.into_iter().map(|(name, capacity)| RoleInput { name, capacity }).collect(),
            risky: r.risky,
            adults_only: r.adults_only,
            what_to_bring: r.what_to_bring,
            unit_id: r.unit_id,
            unit_name: r.unit_name,
            team_id: r.team_id,
            team_name: r.team_name,
            active: r.retired_at.is_none(),
            retired_at: r.retired_at,
            retired_by: r.retired_by,
            activities: r.activities,
        }
    }
}

const SELECT: &str = "SELECT p.id, p.name, p.category, p.theme, p.description, p.default_minutes, p.default_capacity, \
    p.default_roles, p.risky, p.adults_only, p.what_to_bring, p.unit_id, u.name AS unit_name, p.team_id, t.name AS team_name, \
    p.retired_at, v.name AS retired_by, \
    (SELECT COUNT(*) FROM activities a WHERE a.project_id = p.id AND a.cancelled_at IS NULL) AS activities \
    FROM service_projects p LEFT JOIN units u ON u.id = p.unit_id LEFT JOIN teams t ON t.id = p.team_id \
    LEFT JOIN users ru ON ru.id = p.retired_by LEFT JOIN volunteers v ON v.id = ru.volunteer_id";

#[derive(Debug, Clone, Default)]
pub struct Filter {
    /// Part of the name, or pinyin (initials or full) anywhere in it.
    pub q: Option<String>,
    pub theme: Option<String>,
    pub category: Option<String>,
    /// `Some(true)` active only, `Some(false)` retired only, `None` both.
    pub active: Option<bool>,
}

fn filter(f: &Filter) -> Where {
    let mut w = Where::default();
    if let Some(q) = &f.q {
        let latin = q.bytes().all(|b| b.is_ascii_alphabetic());
        if latin {
            let low = contains(&q.to_ascii_lowercase());
            w.and(
                "p.name_initials LIKE ? ESCAPE '\\' OR p.name_pinyin LIKE ? ESCAPE '\\' OR p.name LIKE ? ESCAPE '\\'",
                [low.clone(), low, contains(q)],
            );
        } else {
            w.and("p.name LIKE ? ESCAPE '\\'", [contains(q)]);
        }
    }
    if let Some(t) = &f.theme {
        w.and("p.theme = ?", [Arg::Text(t.clone())]);
    }
    if let Some(c) = &f.category {
        w.and("p.category = ?", [Arg::Text(c.clone())]);
    }
    match f.active {
        Some(true) => w.and("p.retired_at IS NULL", []),
        Some(false) => w.and("p.retired_at IS NOT NULL", []),
        None => &mut w,
    };
    w
}

pub async fn list(db: &Db, f: &Filter, page: Page) -> Result<Paged<Project>> {
    let (rows, total) = paged::<Row>(db, SELECT, "service_projects p", &filter(f), "p.id", page).await?;
    Ok(Paged { items: rows.into_iter().map(Project::from).collect(), total })
}

pub async fn get(db: &Db, id: i64) -> Result<Project> {
    let sql = format!("{SELECT} WHERE p.id = $1");
    db_read!(db, |p| Ok(sqlx::query_as::<_, Row>(sqlx::AssertSqlSafe(&*sql)).bind(id).fetch_one(p).await?.into()))
}

/// Active projects as (id, name), for a plan's choice of project.
pub async fn options(db: &Db) -> Result<Vec<(i64, String)>> {
    let sql = "SELECT id, name FROM service_projects WHERE retired_at IS NULL ORDER BY id";
    db_read!(db, |p| Ok(sqlx::query_as(sql).fetch_all(p).await?))
}

pub async fn exists(db: &Db, id: i64) -> Result<bool> {
    let sql = "SELECT COUNT(*) FROM service_projects WHERE id = $1";
    db_read!(db, |p| Ok(sqlx::query_scalar::<_, i64>(sql).bind(id).fetch_one(p).await? == 1))
}

const COLUMNS: &str = "name, name_initials, name_pinyin, category, theme, description, default_minutes, default_capacity, \
    default_roles, risky, adults_only, what_to_bring, unit_id, team_id";

macro_rules! bind_record {
    ($q:expr, $r:expr) => {
        $q.bind(&$r.name)
            .bind(&$r.name_initials)
            .bind(&$r.name_pinyin)
            .bind(&$r.category)
            .bind($r.theme)
            .bind(&$r.description)
            .bind($r.default_minutes)
            .bind($r.default_capacity)
            .bind($r.roles_json())
            .bind($r.risky)
            .bind($r.adults_only)
            .bind(&$r.what_to_bring)
            .bind($r.unit_id)
            .bind($r.team_id)
    };
}

/// A duplicate active name is `Error::Conflict`.
pub async fn create(db: &Db, r: &Record) -> Result<i64> {
    create_at(db, r, now_ms()).await
}

pub async fn create_at(db: &Db, r: &Record, at: i64) -> Result<i64> {
    let sql = format!(
        "INSERT INTO service_projects ({COLUMNS}, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $15) RETURNING id"
    );
    db_write!(db, |p| Ok(bind_record!(sqlx::query_scalar(sqlx::AssertSqlSafe(&*sql)), r).bind(at).fetch_one(p).await?))
}

pub async fn update(db: &Db, id: i64, r: &Record) -> Result<()> {
    let sql = "UPDATE service_projects SET name = $1, name_initials = $2, name_pinyin = $3, category = $4, theme = $5, \
        description = $6, default_minutes = $7, default_capacity = $8, default_roles = $9, risky = $10, adults_only = $11, \
        what_to_bring = $12, unit_id = $13, team_id = $14, updated_at = $15 WHERE id = $16";
    crate::expect_one(db_write!(db, |p| bind_record!(sqlx::query(sql), r).bind(now_ms()).bind(id).execute(p).await?.rows_affected()))
}

/// Projects whose pinyin keys were never derived: those that existed
/// before migration 0015 added the keys (SQL cannot derive them).
pub async fn unindexed(db: &Db) -> Result<Vec<(i64, String)>> {
    let sql = "SELECT id, name FROM service_projects WHERE name_pinyin = '' ORDER BY id";
    db_read!(db, |p| Ok(sqlx::query_as(sql).fetch_all(p).await?))
}

pub async fn set_pinyin(db: &Db, id: i64, initials: &str, pinyin: &str) -> Result<()> {
    let sql = "UPDATE service_projects SET name_initials = $1, name_pinyin = $2 WHERE id = $3";
    crate::expect_one(db_write!(db, |p| sqlx::query(sql).bind(initials).bind(pinyin).bind(id).execute(p).await?.rows_affected()))
}

/// Retires an active project; false when it already was.
pub async fn retire(db: &Db, id: i64, by: Option<i64>, at: i64) -> Result<bool> {
    let sql = "UPDATE service_projects SET retired_at = $1, retired_by = $2, updated_at = $1 WHERE id = $3 AND retired_at IS NULL";
    Ok(db_write!(db, |p| sqlx::query(sql).bind(at).bind(by).bind(id).execute(p).await?.rows_affected()) == 1)
}

/// A project's activities not yet started and not cancelled, as (id, title, starts_at), soonest first.
pub async fn ahead(db: &Db, id: i64, now: i64) -> Result<Vec<(i64, String, i64)>> {
    let sql = "SELECT id, title, starts_at FROM activities WHERE project_id = $1 AND starts_at > $2 AND cancelled_at IS NULL \
               ORDER BY starts_at, id";
    db_read!(db, |p| Ok(sqlx::query_as(sql).bind(id).bind(now).fetch_all(p).await?))
}

#[derive(FromRow)]
struct StatsRow {
    activities: i64,
    volunteers: i64,
    attendances: i64,
    hours: f64,
}

/// What a project's activities did from `from` to `to` (unix ms, `to`
/// exclusive); the ledger is read by its region days `first_day..=last_day`.
pub async fn stats(db: &Db, id: i64, (from, to): (i64, i64), (first_day, last_day): (&str, &str)) -> Result<ProjectStats> {
    let sql = "SELECT \
        (SELECT COUNT(*) FROM activities a WHERE a.project_id = $1 AND a.cancelled_at IS NULL AND a.starts_at >= $2 AND a.starts_at < $3) \
            AS activities, \
        (SELECT COUNT(DISTINCT h.volunteer_id) FROM activities a JOIN hours_entries h ON h.activity_id = a.id \
            WHERE a.project_id = $1 AND h.served_on >= $4 AND h.served_on <= $5) AS volunteers, \
        (SELECT COUNT(*) FROM activities a JOIN attendance t ON t.activity_id = a.id \
            WHERE a.project_id = $1 AND a.starts_at >= $2 AND a.starts_at < $3) AS attendances, \
        (SELECT COALESCE(SUM(h.hours), 0.0) FROM activities a JOIN hours_entries h ON h.activity_id = a.id \
            WHERE a.project_id = $1 AND h.served_on >= $4 AND h.served_on <= $5) AS hours";
    let r: StatsRow =
        db_read!(db, |p| sqlx::query_as(sql).bind(id).bind(from).bind(to).bind(first_day).bind(last_day).fetch_one(p).await?);
    Ok(ProjectStats {
        from: first_day.to_string(),
        to: last_day.to_string(),
        activities: r.activities,
        volunteers: r.volunteers,
        attendances: r.attendances,
        hours: (r.hours * 100.0).round() / 100.0,
    })
}

/// Marks catalogue projects retired as of `at` by `by` (the demo's history).
pub async fn retire_many(db: &Db, ids: &[i64], by: Option<i64>, at: i64) -> Result<()> {
    for id in ids {
        retire(db, *id, by, at).await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests;
