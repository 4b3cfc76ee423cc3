//! Competitions (技能竞赛) and their entries: entrants, coaches, results, awards.

use tongxing_domain::skills::competitions::{Competition, Entry};

use super::{count, select};
use crate::sql::Arg;
use crate::{now_ms, Db, Error, Result};

#[derive(Debug, Clone)]
pub struct NewCompetition {
    pub title: String,
    pub level: String,
    pub trade_id: i64,
    pub unit_id: Option<i64>,
    pub held_on: String,
    pub by: Option<i64>,
}

/// Writes competitions in one transaction; their ids in order.
pub async fn insert(db: &Db, all: &[NewCompetition]) -> Result<Vec<i64>> {
    let now = now_ms();
    db_write!(db, |p| {
        let mut tx = p.begin().await?;
        let mut ids = Vec::with_capacity(all.len());
        for c in all {
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO skill_competitions (title, level, trade_id, unit_id, held_on, created_by, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
            )
            .bind(&c.title)
            .bind(&c.level)
            .bind(c.trade_id)
            .bind(c.unit_id)
            .bind(&c.held_on)
            .bind(c.by)
            .bind(now)
            .fetch_one(&mut *tx)
            .await?;
            ids.push(id);
        }
        tx.commit().await?;
        Ok::<_, Error>(ids)
    })
}

/// An entry to record: (competition, person, coach, rank, award, prize).
#[derive(Debug, Clone)]
pub struct NewEntry {
    pub competition_id: i64,
    pub person_id: i64,
    pub coach_id: Option<i64>,
    pub rank: Option<i64>,
    pub award: Option<&'static str>,
    pub prize: Option<String>,
    pub by: Option<i64>,
}

/// Records entries in one transaction; an entrant recorded again is replaced.
pub async fn record(db: &Db, all: &[NewEntry]) -> Result<()> {
    let now = now_ms();
    const SQL: &str = "INSERT INTO skill_competition_entries (competition_id, volunteer_id, coach_id, place_rank, award, prize, \
        recorded_by, recorded_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (competition_id, volunteer_id) DO UPDATE SET \
        coach_id = excluded.coach_id, place_rank = excluded.place_rank, award = excluded.award, prize = excluded.prize, \
        recorded_by = excluded.recorded_by, recorded_at = excluded.recorded_at";
    db_write!(db, |p| {
        let mut tx = p.begin().await?;
        for e in all {
            sqlx::query(SQL)
                .bind(e.competition_id)
                .bind(e.person_id)
                .bind(e.coach_id)
                .bind(e.rank)
                .bind(e.award)
                .bind(&e.prize)
                .bind(e.by)
                .bind(now)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok::<_, Error>(())
    })
}

const COMPETITION_SELECT: &str = "SELECT c.id AS id, c.title AS title, c.level AS level, t.code AS trade, t.name AS trade_name, \
    c.unit_id AS unit_id, u.name AS unit_name, c.held_on AS held_on, \
    (SELECT COUNT(*) FROM skill_competition_entries e WHERE e.competition_id = c.id) AS entrants, \
    (SELECT COUNT(*) FROM skill_competition_entries e WHERE e.competition_id = c.id AND e.award IS NOT NULL) AS awarded \
    FROM skill_competitions c JOIN skill_trades t ON t.id = c.trade_id LEFT JOIN units u ON u.id = c.unit_id";

/// Competitions of a trade and level (0 / empty: any), latest first: a page and the total.
pub async fn list(db: &Db, trade_id: i64, level: &str, limit: i64, offset: i64) -> Result<(Vec<Competition>, i64)> {
    let which = "($1 = 0 OR c.trade_id = $1) AND ($2 = '' OR c.level = $2)";
    let args = [Arg::I64(trade_id), Arg::Text(level.to_string())];
    let sql = format!("{COMPETITION_SELECT} WHERE {which} ORDER BY c.held_on DESC, c.id DESC LIMIT {limit} OFFSET {offset}");
    let items = select(db, &sql, &args).await?;
    let total = count(db, &format!("SELECT COUNT(*) AS n FROM skill_competitions c WHERE {which}"), &args).await?;
    Ok((items, total))
}

pub async fn get(db: &Db, id: i64) -> Result<Competition> {
    select(db, &format!("{COMPETITION_SELECT} WHERE c.id = $1"), &[Arg::I64(id)]).await?.pop().ok_or(Error::NotFound)
}

const ENTRY_SELECT: &str = "SELECT c.id AS competition_id, c.title AS title, c.level AS level, t.name AS trade_name, \
    c.held_on AS held_on, e.volunteer_id AS person_id, v.name AS person_name, e.coach_id AS coach_id, cv.name AS coach_name, \
    e.place_rank AS rank, e.award AS award, e.prize AS prize \
    FROM skill_competition_entries e JOIN skill_competitions c ON c.id = e.competition_id JOIN skill_trades t ON t.id = c.trade_id \
    JOIN volunteers v ON v.id = e.volunteer_id LEFT JOIN volunteers cv ON cv.id = e.coach_id";

/// A competition's entrants, best placed first, the unplaced after.
pub async fn entries(db: &Db, competition_id: i64) -> Result<Vec<Entry>> {
    let sql = format!(
        "{ENTRY_SELECT} WHERE e.competition_id = $1 ORDER BY CASE WHEN e.place_rank IS NULL THEN 1 ELSE 0 END, e.place_rank, v.name, e.volunteer_id"
    );
    select(db, &sql, &[Arg::I64(competition_id)]).await
}

/// A person's entries as entrant and the entries they coached, latest first.
pub async fn of_person(db: &Db, person_id: i64) -> Result<(Vec<Entry>, Vec<Entry>)> {
    let args = [Arg::I64(person_id)];
    let own = select(db, &format!("{ENTRY_SELECT} WHERE e.volunteer_id = $1 ORDER BY c.held_on DESC, c.id DESC"), &args).await?;
    let coached =
        select(db, &format!("{ENTRY_SELECT} WHERE e.coach_id = $1 ORDER BY c.held_on DESC, c.id DESC, e.volunteer_id"), &args).await?;
    Ok((own, coached))
}
