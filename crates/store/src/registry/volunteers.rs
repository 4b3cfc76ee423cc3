//! Volunteers, their teams and skills.

use std::collections::HashMap;

use sqlx::FromRow;
use tongxing_domain::model::{Paged, TeamRef, Volunteer};
use tongxing_domain::paging::Page;
use tongxing_domain::search::{prefix_upper_bound, Query};

use crate::sql::{paged, placeholders, Arg, Where};
use crate::{now_ms, Db, Result};

/// A volunteer ready to store: validated, search keys derived, ID encrypted.
#[derive(Debug, Clone, Default)]
pub struct Record {
    pub name: String,
    pub name_initials: String,
    pub name_pinyin: String,
    pub phone: String,
    pub phone_rev: String,
    pub id_number_enc: Option<String>,
    pub id_number_hash: Option<String>,
    pub birth_date: Option<String>,
    pub unit_id: i64,
    pub community_id: i64,
    pub team_ids: Vec<i64>,
    pub skills: Vec<String>,
    pub party_member: bool,
    pub vest_number: Option<String>,
    pub availability: Option<String>,
}

#[derive(FromRow, serde::Deserialize)]
struct Row {
    id: i64,
    name: String,
    phone: String,
    id_number_enc: Option<String>,
    birth_date: Option<String>,
    unit_id: i64,
    unit_name: String,
    community_id: i64,
    community_name: String,
    party_member: bool,
    vest_number: Option<String>,
    availability: Option<String>,
    active: bool,
}

impl Row {
    fn into_volunteer(self, teams: Vec<TeamRef>, skills: Vec<String>) -> Volunteer {
        Volunteer {
            id: self.id,
            name: self.name,
            phone: self.phone,
            id_number_enc: self.id_number_enc,
            birth_date: self.birth_date,
            unit_id: self.unit_id,
            unit_name: self.unit_name,
            community_id: self.community_id,
            community_name: self.community_name,
            teams,
            skills,
            party_member: self.party_member,
            vest_number: self.vest_number,
            availability: self.availability,
            active: self.active,
        }
    }
}

const SELECT: &str = "SELECT v.id, v.name, v.phone, v.id_number_enc, v.birth_date, v.unit_id, u.name AS unit_name, \
    v.community_id, c.name AS community_name, v.party_member, v.vest_number, v.availability, v.active \
    FROM volunteers v JOIN units u ON u.id = v.unit_id JOIN communities c ON c.id = v.community_id";

#[derive(Debug, Default, Clone)]
pub struct Filter {
    pub q: Option<Query>,
    pub unit_id: Option<i64>,
    pub team_id: Option<i64>,
    pub community_id: Option<i64>,
    pub skill: Option<String>,
    pub party_member: Option<bool>,
    pub include_inactive: bool,
    /// A volunteer's own view: only this record.
    pub only_id: Option<i64>,
}

fn filter(f: &Filter) -> Where {
    let mut w = Where::default();
    match &f.q {
        Some(Query::PhoneTail(rev)) => {
            w.and("v.phone_rev >= ? AND v.phone_rev < ?", [Arg::Text(rev.clone()), Arg::Text(prefix_upper_bound(rev))]);
        }
        Some(Query::Pinyin(py)) => {
            let (lo, hi) = (Arg::Text(py.clone()), Arg::Text(prefix_upper_bound(py)));
            w.and(
                "(v.name_initials >= ? AND v.name_initials < ?) OR (v.name_pinyin >= ? AND v.name_pinyin < ?)",
                [lo.clone(), hi.clone(), lo, hi],
            );
        }
        Some(Query::Name(name)) => {
            w.and("v.name >= ? AND v.name < ?", [Arg::Text(name.clone()), Arg::Text(prefix_upper_bound(name))]);
        }
        None => {}
    }
    if let Some(u) = f.unit_id {
        w.and("v.unit_id = ?", [Arg::I64(u)]);
    }
    if let Some(t) = f.team_id {
        w.and("EXISTS (SELECT 1 FROM volunteer_teams vt WHERE vt.volunteer_id = v.id AND vt.team_id = ?)", [Arg::I64(t)]);
    }
    if let Some(c) = f.community_id {
        w.and("v.community_id = ?", [Arg::I64(c)]);
    }
    if let Some(s) = &f.skill {
        w.and("EXISTS (SELECT 1 FROM volunteer_skills vs WHERE vs.volunteer_id = v.id AND vs.skill = ?)", [Arg::Text(s.clone())]);
    }
    if let Some(pm) = f.party_member {
        w.and("v.party_member = ?", [Arg::Bool(pm)]);
    }
    if let Some(id) = f.only_id {
        w.and("v.id = ?", [Arg::I64(id)]);
    }
    if !f.include_inactive {
        w.and("v.active = TRUE", []);
    }
    w
}

pub async fn list(db: &Db, f: &Filter, page: Page) -> Result<Paged<Volunteer>> {
    // Ordering by the searched index lets the page stop early instead of sorting every match.
    let order = match &f.q {
        Some(Query::Name(_)) => "v.name, v.id",
        Some(Query::PhoneTail(_)) => "v.phone_rev, v.id",
        _ => "v.id",
    };
    let (rows, total) = paged::<Row>(db, SELECT, "volunteers v", &filter(f), order, page).await?;
    Ok(Paged { items: with_teams_and_skills(db, rows).await?, total })
}

pub async fn get(db: &Db, id: i64) -> Result<Volunteer> {
    let sql = format!("{SELECT} WHERE v.id = $1");
    let row: Row = db_read!(db, |p| sqlx::query_as(sqlx::AssertSqlSafe(&*sql)).bind(id).fetch_one(p).await?);
    Ok(with_teams_and_skills(db, vec![row]).await?.remove(0))
}

/// The names of volunteers `ids` (a page's worth), in one query instead of
/// a read per person. Ids with no volunteer are left out.
pub async fn names_of(db: &Db, ids: &[i64]) -> Result<HashMap<i64, String>> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let sql = format!("SELECT id, name FROM volunteers WHERE id IN ({})", placeholders(1, ids.len()));
    let rows: Vec<(i64, String)> = db_read!(db, |p| {
        let mut q = sqlx::query_as(sqlx::AssertSqlSafe(&*sql));
        for id in ids {
            q = q.bind(*id);
        }
        q.fetch_all(p).await?
    });
    Ok(rows.into_iter().collect())
}

/// Whether a volunteer is active, their birth date (the rules need both) and
/// their sign-up status on an activity: what every check-in and sign-up asks
/// first, read with the activity (`activities::for_volunteer`).
pub type Facts = (bool, Option<String>, Option<String>);

// Placeholders in the order they appear: SQLite's direct path numbers them so.
pub(crate) const FACTS_ON: &str =
    "SELECT v.active, v.birth_date, (SELECT s.status FROM signups s WHERE s.activity_id = $1 AND s.volunteer_id = v.id) \
    FROM volunteers v WHERE v.id = $2";

/// Fills in teams and skills for a page of volunteers with two queries, not 2 × N.
async fn with_teams_and_skills(db: &Db, rows: Vec<Row>) -> Result<Vec<Volunteer>> {
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
    let ph = placeholders(1, ids.len());
    let teams_sql = format!(
        "SELECT vt.volunteer_id, t.id, t.name FROM volunteer_teams vt JOIN teams t ON t.id = vt.team_id \
         WHERE vt.volunteer_id IN ({ph}) ORDER BY t.id"
    );
    let skills_sql = format!("SELECT volunteer_id, skill FROM volunteer_skills WHERE volunteer_id IN ({ph}) ORDER BY skill");
    type TeamLinks = Vec<(i64, i64, String)>;
    type SkillLinks = Vec<(i64, String)>;
    let (teams, skills): (TeamLinks, SkillLinks) = match db {
        Db::Postgres(p) => {
            let mut tq = sqlx::query_as(sqlx::AssertSqlSafe(&*teams_sql));
            let mut sq = sqlx::query_as(sqlx::AssertSqlSafe(&*skills_sql));
            for id in &ids {
                tq = tq.bind(*id);
                sq = sq.bind(*id);
            }
            (tq.fetch_all(p).await?, sq.fetch_all(p).await?)
        }
        Db::Sqlite { direct, .. } => direct.read(|c| {
            let ids = rusqlite::params_from_iter(&ids);
            Ok((crate::direct::all(c, &teams_sql, ids.clone())?, crate::direct::all(c, &skills_sql, ids)?))
        })?,
    };
    let mut teams_of: HashMap<i64, Vec<TeamRef>> = HashMap::new();
    for (vid, id, name) in teams {
        teams_of.entry(vid).or_default().push(TeamRef { id, name });
    }
    let mut skills_of: HashMap<i64, Vec<String>> = HashMap::new();
    for (vid, skill) in skills {
        skills_of.entry(vid).or_default().push(skill);
    }
    Ok(rows
        .into_iter()
        .map(|r| {
            let (t, s) = (teams_of.remove(&r.id).unwrap_or_default(), skills_of.remove(&r.id).unwrap_or_default());
            r.into_volunteer(t, s)
        })
        .collect())
}

/// The volunteer holding a phone or an ID number (by its keyed hash), if any.
pub async fn find_duplicate(db: &Db, phone: &str, id_hash: Option<&str>) -> Result<Option<(i64, &'static str)>> {
    let by_phone: Option<i64> =
        db_read!(db, |p| sqlx::query_scalar("SELECT id FROM volunteers WHERE phone = $1").bind(phone).fetch_optional(p).await?);
    if let Some(id) = by_phone {
        return Ok(Some((id, "phone")));
    }
    let Some(h) = id_hash else { return Ok(None) };
    let by_id: Option<i64> =
        db_read!(db, |p| sqlx::query_scalar("SELECT id FROM volunteers WHERE id_number_hash = $1").bind(h).fetch_optional(p).await?);
    Ok(by_id.map(|id| (id, "id_number")))
}

/// The skills the registry's volunteers have, for offering them as choices
/// (the same words dispatch matches on). Read from the skill index.
pub async fn skill_names(db: &Db, limit: i64) -> Result<Vec<String>> {
    let sql = "SELECT DISTINCT skill FROM volunteer_skills ORDER BY skill LIMIT $1";
    db_read!(db, |p| Ok(sqlx::query_scalar(sql).bind(limit).fetch_all(p).await?))
}

/// Every volunteer's phone and ID hash, for checking a whole roster at once.
pub async fn identity_index(db: &Db) -> Result<(HashMap<String, i64>, HashMap<String, i64>)> {
    let rows: Vec<(i64, String, Option<String>)> =
        db_read!(db, |p| sqlx::query_as("SELECT id, phone, id_number_hash FROM volunteers").fetch_all(p).await?);
    let mut phones = HashMap::with_capacity(rows.len());
    let mut ids = HashMap::new();
    for (id, phone, hash) in rows {
        phones.insert(phone, id);
        if let Some(h) = hash {
            ids.insert(h, id);
        }
    }
    Ok((phones, ids))
}

/// Every volunteer's unit and teams, for checking a writer's reach over
/// the lines of a roster at once.
pub async fn placements(db: &Db) -> Result<HashMap<i64, (i64, Vec<i64>)>> {
    let units: Vec<(i64, i64)> = db_read!(db, |p| sqlx::query_as("SELECT id, unit_id FROM volunteers").fetch_all(p).await?);
    let links: Vec<(i64, i64)> = db_read!(db, |p| sqlx::query_as("SELECT volunteer_id, team_id FROM volunteer_teams").fetch_all(p).await?);
    let mut out: HashMap<i64, (i64, Vec<i64>)> = units.into_iter().map(|(id, unit)| (id, (unit, Vec::new()))).collect();
    for (id, team) in links {
        if let Some((_, teams)) = out.get_mut(&id) {
            teams.push(team);
        }
    }
    Ok(out)
}

pub(crate) const INSERT: &str = "INSERT INTO volunteers (name, name_initials, name_pinyin, phone, phone_rev, id_number_enc, \
    id_number_hash, birth_date, unit_id, community_id, party_member, vest_number, availability, created_at, updated_at) \
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $14) RETURNING id";

const UPDATE: &str = "UPDATE volunteers SET name = $1, name_initials = $2, name_pinyin = $3, phone = $4, phone_rev = $5, \
    id_number_enc = $6, id_number_hash = $7, birth_date = $8, unit_id = $9, community_id = $10, party_member = $11, \
    vest_number = $12, availability = $13, updated_at = $14 WHERE id = $15";

/// Binds a record's columns as $1…$14 of INSERT or UPDATE.
macro_rules! bind_record {
    ($q:expr, $r:expr, $now:expr) => {
        $q.bind(&$r.name)
            .bind(&$r.name_initials)
            .bind(&$r.name_pinyin)
            .bind(&$r.phone)
            .bind(&$r.phone_rev)
            .bind(&$r.id_number_enc)
            .bind(&$r.id_number_hash)
            .bind(&$r.birth_date)
            .bind($r.unit_id)
            .bind($r.community_id)
            .bind($r.party_member)
            .bind(&$r.vest_number)
            .bind(&$r.availability)
            .bind($now)
    };
}

pub(crate) use bind_record;

/// Writes a volunteer's team and skill rows, replace_rank what was there.
macro_rules! replace_links {
    ($tx:expr, $id:expr, $r:expr) => {{
        sqlx::query("DELETE FROM volunteer_teams WHERE volunteer_id = $1").bind($id).execute(&mut *$tx).await?;
        sqlx::query("DELETE FROM volunteer_skills WHERE volunteer_id = $1").bind($id).execute(&mut *$tx).await?;
        for t in &$r.team_ids {
            sqlx::query("INSERT INTO volunteer_teams (volunteer_id, team_id) VALUES ($1, $2)")
                .bind($id)
                .bind(*t)
                .execute(&mut *$tx)
                .await?;
        }
        for s in &$r.skills {
            sqlx::query("INSERT INTO volunteer_skills (volunteer_id, skill) VALUES ($1, $2)").bind($id).bind(s).execute(&mut *$tx).await?;
        }
    }};
}

pub(crate) use replace_links;

/// Creates (`None`) or updates (`Some(id)`) each record, all in one
/// transaction: a roster either lands whole or not at all.
pub async fn save_many(db: &Db, records: &[(Option<i64>, Record)]) -> Result<Vec<i64>> {
    save_many_with_progress(db, records, &|_| {}).await
}

/// `save_many`, calling `on_saved(n)` after every 500 records (for progress bars).
pub async fn save_many_with_progress(
    db: &Db,
    records: &[(Option<i64>, Record)],
    on_saved: &(dyn Fn(usize) + Send + Sync),
) -> Result<Vec<i64>> {
    let now = now_ms();
    db_write!(db, |p| {
        let mut tx = p.begin().await?;
        let mut ids = Vec::with_capacity(records.len());
        for (existing, r) in records {
            let id: i64 = match existing {
                None => bind_record!(sqlx::query_scalar(INSERT), r, now).fetch_one(&mut *tx).await?,
                Some(id) => {
                    let done = bind_record!(sqlx::query(UPDATE), r, now).bind(*id).execute(&mut *tx).await?;
                    crate::expect_one(done.rows_affected())?;
                    *id
                }
            };
            replace_links!(tx, id, r);
            ids.push(id);
            if ids.len() % 500 == 0 {
                on_saved(ids.len());
            }
        }
        on_saved(ids.len());
        tx.commit().await?;
        Ok(ids)
    })
}

pub async fn create(db: &Db, r: &Record) -> Result<i64> {
    Ok(save_many(db, &[(None, r.clone())]).await?[0])
}

pub async fn update(db: &Db, id: i64, r: &Record) -> Result<()> {
    save_many(db, &[(Some(id), r.clone())]).await.map(|_| ())
}

pub async fn set_active(db: &Db, id: i64, active: bool) -> Result<()> {
    crate::set_active(db, "volunteers", id, active).await
}

/// Whether a volunteer belongs to a team (a team leader's reach).
pub async fn in_team(db: &Db, volunteer_id: i64, team_id: i64) -> Result<bool> {
    let sql = "SELECT COUNT(*) FROM volunteer_teams WHERE volunteer_id = $1 AND team_id = $2";
    let n: i64 = db_read!(db, |p| sqlx::query_scalar(sql).bind(volunteer_id).bind(team_id).fetch_one(p).await?);
    Ok(n > 0)
}
