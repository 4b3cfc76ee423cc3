//! The dashboard's reads, one round per capability: its totals for a filter
//! and, when asked, its breakdowns. Each read is narrowed by the same
//! `Filter`, through the clauses in `stats/mod.rs`.

use serde::Deserialize;

use super::{Filter, CALLS_WHERE, COMPLETED_WHERE};
use crate::sections::{self, rows};
use crate::{Backend, Db, Result};

/// One bar of a breakdown: its key (an id, a code or a month) and name.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
pub struct Group {
    pub key: String,
    pub name: Option<String>,
    pub n: f64,
}

async fn read(db: &Db, f: &Filter, sqls: &[String]) -> Result<Vec<Vec<serde_json::Value>>> {
    let sqls: Vec<&str> = sqls.iter().map(String::as_str).collect();
    sections::read(db, &sqls, &f.args()).await
}

fn one<T: for<'de> Deserialize<'de> + Default>(v: Option<Vec<serde_json::Value>>) -> Result<T> {
    Ok(rows::<T>(v.unwrap_or_default())?.pop().unwrap_or_default())
}

fn groups(v: Option<Vec<serde_json::Value>>) -> Result<Vec<Group>> {
    rows(v.unwrap_or_default())
}

/// The region-time month (`YYYY-MM`) of a unix-ms column: the dialects differ.
pub(super) fn month_of(db: &Db, col: &str) -> String {
    match db.backend() {
        Backend::Sqlite => format!("strftime('%Y-%m', {col} / 1000 + 28800, 'unixepoch')"),
        Backend::Postgres => format!("to_char(to_timestamp({col} / 1000 + 28800) AT TIME ZONE 'UTC', 'YYYY-MM')"),
    }
}

#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
pub struct RegistryTotals {
    pub teams: i64,
    pub volunteers: i64,
    pub party_members: i64,
}

/// Today's volunteers within the filter: a district's live there, a unit's
/// and a team's are its members (a volunteer in two teams is one volunteer).
const PEOPLE: &str = "volunteers v JOIN communities vc ON vc.id = v.community_id";
const PEOPLE_WHERE: &str = "v.active = TRUE AND ($3 = 0 OR vc.district_id = $3) AND ($4 = 0 OR v.unit_id = $4) \
    AND ($5 = 0 OR EXISTS (SELECT 1 FROM volunteer_teams vt WHERE vt.volunteer_id = v.id AND vt.team_id = $5))";

/// Today's teams and volunteers within the filter; with `by`, volunteers by
/// district and by unit.
pub async fn registry(db: &Db, f: &Filter, by: bool) -> Result<(RegistryTotals, Vec<Group>, Vec<Group>)> {
    let mut sqls = vec![format!(
        "SELECT (SELECT COUNT(*) FROM teams t WHERE t.active = TRUE AND ($3 = 0 OR t.district_id = $3) \
            AND ($4 = 0 OR t.unit_id = $4) AND ($5 = 0 OR t.id = $5)) AS teams, \
         (SELECT COUNT(*) FROM {PEOPLE} WHERE {PEOPLE_WHERE}) AS volunteers, \
         (SELECT COUNT(*) FROM {PEOPLE} WHERE {PEOPLE_WHERE} AND v.party_member = TRUE) AS party_members"
    )];
    if by {
        sqls.push(format!(
            "SELECT CAST(d.id AS TEXT) AS key, d.name AS name, COUNT(*) AS n FROM {PEOPLE} JOIN districts d ON d.id = vc.district_id \
             WHERE {PEOPLE_WHERE} GROUP BY d.id, d.name ORDER BY 3 DESC, d.id"
        ));
        sqls.push(format!(
            "SELECT CAST(u.id AS TEXT) AS key, u.name AS name, COUNT(*) AS n FROM {PEOPLE} JOIN units u ON u.id = v.unit_id \
             WHERE {PEOPLE_WHERE} GROUP BY u.id, u.name ORDER BY 3 DESC, u.id"
        ));
    }
    let mut s = read(db, f, &sqls).await?.into_iter();
    Ok((one(s.next())?, groups(s.next())?, groups(s.next())?))
}

#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
pub struct ServiceTotals {
    pub activities: i64,
    /// Distinct service projects the period's activities came from.
    pub projects: i64,
    pub hours: f64,
    /// Distinct volunteers with a ledger entry in the period.
    pub people: i64,
    pub entries: i64,
}

/// Activities and hours.
pub struct Service {
    pub totals: ServiceTotals,
    pub hours_by_month: Vec<Group>,
    pub activities_by_month: Vec<Group>,
    pub activities_by_theme: Vec<Group>,
    pub hours_by_team: Vec<Group>,
}

/// Activities and the hours ledger within the filter; with `by`, hours and
/// activities by month, activities by theme and hours by team. The
/// ledger's figures are read from its rollups (`stats::rollup`), the
/// activities' from theirs (`stats::held`), a unit's too.
pub async fn service(db: &Db, f: &Filter, by: bool) -> Result<Service> {
    let (ledger, people, hours_by_month, hours_by_team) = super::rollup::ledger(db, f, by).await?;
    let (held, activities_by_month, activities_by_theme) = super::held::read(db, f, by).await?;
    Ok(Service {
        totals: ServiceTotals {
            activities: held.activities,
            projects: held.projects,
            hours: ledger.hours,
            people,
            entries: ledger.entries,
        },
        hours_by_month,
        activities_by_month,
        activities_by_theme,
        hours_by_team,
    })
}

/// A completed need's times (unix ms) and rating.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
pub struct NeedTimes {
    pub created_at: i64,
    pub claimed_at: Option<i64>,
    pub completed_at: i64,
    pub rating_stars: Option<i64>,
}

pub struct Needs {
    pub completed: Vec<NeedTimes>,
    /// Distinct people (by mobile) whose needs were completed.
    pub people_served: i64,
    /// Needs submitted in the period, by warning level and by category.
    pub by_level: Vec<Group>,
    pub by_category: Vec<Group>,
}

#[derive(Deserialize, Default)]
struct Served {
    people: i64,
}

/// The needs completed in the period, with their times; with `by`, the
/// needs submitted in the period by warning level and by category.
pub async fn needs(db: &Db, f: &Filter, by: bool) -> Result<Needs> {
    let mut sqls = vec![
        format!(
            "SELECT n.created_at AS created_at, c.at AS completed_at, n.rating_stars AS rating_stars, \
             (SELECT MIN(cl.at) FROM need_events cl WHERE cl.need_id = n.id AND cl.status = 'claimed') AS claimed_at \
             FROM need_events c JOIN needs n ON n.id = c.need_id WHERE {COMPLETED_WHERE}"
        ),
        format!("SELECT COUNT(DISTINCT n.requester_phone) AS people FROM need_events c JOIN needs n ON n.id = c.need_id WHERE {COMPLETED_WHERE}"),
    ];
    if by {
        const SUBMITTED: &str = "needs n WHERE n.created_at >= $7 AND n.created_at < $8 AND $6 = '' \
            AND n.merged_into IS NULL AND ($3 = 0 OR n.district_id = $3) AND ($5 = 0 OR n.team_id = $5) \
            AND ($4 = 0 OR EXISTS (SELECT 1 FROM hours_entries ue WHERE ue.need_id = n.id AND ue.unit_id = $4))";
        sqls.push(format!(
            "SELECT CAST(n.warning_level AS TEXT) AS key, NULL AS name, COUNT(*) AS n FROM {SUBMITTED} \
             GROUP BY n.warning_level ORDER BY n.warning_level"
        ));
        sqls.push(format!(
            "SELECT n.category AS key, NULL AS name, COUNT(*) AS n FROM {SUBMITTED} GROUP BY n.category ORDER BY 3 DESC, n.category"
        ));
    }
    let mut s = read(db, f, &sqls).await?.into_iter();
    Ok(Needs {
        completed: rows(s.next().unwrap_or_default())?,
        people_served: one::<Served>(s.next())?.people,
        by_level: groups(s.next())?,
        by_category: groups(s.next())?,
    })
}

/// An emergency call's size and times (unix ms).
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
pub struct CallTimes {
    pub needed: i64,
    pub confirmed: i64,
    pub created_at: i64,
    pub filled_at: Option<i64>,
}

/// The emergency calls made in the period.
pub async fn calls(db: &Db, f: &Filter) -> Result<Vec<CallTimes>> {
    let sql = format!("SELECT d.needed AS needed, d.confirmed AS confirmed, d.created_at AS created_at, d.filled_at AS filled_at FROM dispatches d WHERE {CALLS_WHERE}");
    let mut s = read(db, f, &[sql]).await?.into_iter();
    rows(s.next().unwrap_or_default())
}
