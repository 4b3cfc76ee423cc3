//! The front-line problem board (一线生产难题): proposals with their first
//! proposer, one team's exclusive claim, and each step after it.

use tongxing_domain::skills::views::{Problem, ProblemStep, ProposerSolved, TeamSolved};

use super::{count, select};
use crate::sql::Arg;
use crate::{now_ms, Db, Error, Result};

#[derive(Debug, Clone)]
pub struct NewProblem {
    pub title: String,
    pub description: String,
    pub unit_id: i64,
    pub trade_id: Option<i64>,
    pub site: Option<String>,
    pub impact: Option<String>,
    pub proposer_id: i64,
    /// Unix ms; the demo gives past days.
    pub proposed_at: i64,
    pub status: &'static str,
    pub team_id: Option<i64>,
    pub award: Option<String>,
}

const INSERT: &str = "INSERT INTO skill_problems (title, description, unit_id, trade_id, site, impact, proposer_id, proposed_at, status, \
    team_id, claimed_at, award, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $8) RETURNING id";

/// Writes problems in one transaction; their ids in order.
pub async fn insert(db: &Db, all: &[NewProblem]) -> Result<Vec<i64>> {
    db_write!(db, |p| {
        let mut tx = p.begin().await?;
        let mut ids = Vec::with_capacity(all.len());
        for n in all {
            let id: i64 = sqlx::query_scalar(INSERT)
                .bind(&n.title)
                .bind(&n.description)
                .bind(n.unit_id)
                .bind(n.trade_id)
                .bind(&n.site)
                .bind(&n.impact)
                .bind(n.proposer_id)
                .bind(n.proposed_at)
                .bind(n.status)
                .bind(n.team_id)
                .bind(n.team_id.map(|_| n.proposed_at))
                .bind(&n.award)
                .fetch_one(&mut *tx)
                .await?;
            ids.push(id);
        }
        tx.commit().await?;
        Ok::<_, Error>(ids)
    })
}

const PROBLEM_SELECT: &str =
    "SELECT p.id AS id, p.title AS title, p.description AS description, p.unit_id AS unit_id, u.name AS unit_name, \
    t.code AS trade, t.name AS trade_name, p.site AS site, p.impact AS impact, p.proposer_id AS proposer_id, v.name AS proposer_name, \
    p.proposed_at AS proposed_at, p.status AS status, p.team_id AS team_id, tm.name AS team_name, p.award AS award, \
    p.merged_into AS merged_into \
    FROM skill_problems p JOIN units u ON u.id = p.unit_id JOIN volunteers v ON v.id = p.proposer_id \
    LEFT JOIN skill_trades t ON t.id = p.trade_id LEFT JOIN teams tm ON tm.id = p.team_id";

/// The board: filters are 0 / empty for any.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub unit_id: i64,
    pub trade_id: i64,
    pub team_id: i64,
    pub status: String,
}

pub async fn list(db: &Db, f: &Filter, limit: i64, offset: i64) -> Result<(Vec<Problem>, i64)> {
    let which = "p.merged_into IS NULL AND ($1 = 0 OR p.unit_id = $1) AND ($2 = 0 OR p.trade_id = $2) AND ($3 = 0 OR p.team_id = $3) AND ($4 = '' OR p.status = $4)";
    let args = [Arg::I64(f.unit_id), Arg::I64(f.trade_id), Arg::I64(f.team_id), Arg::Text(f.status.clone())];
    let sql = format!("{PROBLEM_SELECT} WHERE {which} ORDER BY p.id DESC LIMIT {limit} OFFSET {offset}");
    let items = select(db, &sql, &args).await?;
    let total = count(db, &format!("SELECT COUNT(*) AS n FROM skill_problems p WHERE {which}"), &args).await?;
    Ok((items, total))
}

pub async fn get(db: &Db, id: i64) -> Result<Problem> {
    let sql = format!("{PROBLEM_SELECT} WHERE p.id = $1");
    select(db, &sql, &[Arg::I64(id)]).await?.pop().ok_or(Error::NotFound)
}

/// A problem's steps, oldest first, with who recorded them by name.
pub async fn steps(db: &Db, id: i64) -> Result<Vec<ProblemStep>> {
    let sql = "SELECT s.step AS step, s.note AS note, s.at AS at, COALESCE(u.name, v.name) AS by_name, tm.name AS team_name \
        FROM skill_problem_steps s LEFT JOIN users u ON u.id = s.user_id LEFT JOIN volunteers v ON v.id = u.volunteer_id \
        LEFT JOIN teams tm ON tm.id = s.team_id WHERE s.problem_id = $1 ORDER BY s.id";
    select(db, sql, &[Arg::I64(id)]).await
}

/// Moves a problem from `from` to `to` — and, for a claim, to `team` — if
/// and only if it is still at `from` (and, after a claim, still held by
/// `team`): the conditional UPDATE arbitrates between racing requests, as a
/// need's claim does. The step is written in the same transaction. False
/// when another request got there first.
pub async fn advance(db: &Db, id: i64, from: &str, to: &str, team: i64, note: &str, user: i64) -> Result<bool> {
    let now = now_ms();
    let sql = "UPDATE skill_problems SET status = $1, updated_at = $2, team_id = $3, \
        claimed_at = CASE WHEN $4 = 'proposed' THEN $2 ELSE claimed_at END \
        WHERE id = $5 AND status = $4 AND ($4 = 'proposed' OR team_id = $3) AND merged_into IS NULL";
    db_write!(db, |p| {
        let mut tx = p.begin().await?;
        let done = sqlx::query(sql).bind(to).bind(now).bind(team).bind(from).bind(id).execute(&mut *tx).await?.rows_affected();
        if done != 1 {
            return Ok(false);
        }
        sqlx::query("INSERT INTO skill_problem_steps (problem_id, step, note, at, user_id, team_id) VALUES ($1, $2, $3, $4, $5, $6)")
            .bind(id)
            .bind(to)
            .bind(note)
            .bind(now)
            .bind(user)
            .bind(team)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok::<_, Error>(true)
    })
}

/// Problems solved (rolled out or closed) per team, most first.
pub async fn solved_by_team(db: &Db) -> Result<Vec<TeamSolved>> {
    let sql =
        "SELECT p.team_id AS team_id, tm.name AS team_name, COUNT(*) AS solved FROM skill_problems p JOIN teams tm ON tm.id = p.team_id \
        WHERE p.status IN ('rolled_out', 'closed') GROUP BY p.team_id, tm.name ORDER BY solved DESC, p.team_id";
    select(db, sql, &[]).await
}

/// Problems per first proposer (难题首提人), with how many were solved; most
/// solved first. A duplicate merged away is not counted: its proposer supports the first.
pub async fn solved_by_proposer(db: &Db) -> Result<Vec<ProposerSolved>> {
    let sql = "SELECT p.proposer_id AS person_id, v.name AS name, COUNT(*) AS proposed, \
        SUM(CASE WHEN p.status IN ('rolled_out', 'closed') THEN 1 ELSE 0 END) AS solved \
        FROM skill_problems p JOIN volunteers v ON v.id = p.proposer_id WHERE p.merged_into IS NULL \
        GROUP BY p.proposer_id, v.name ORDER BY solved DESC, proposed DESC, p.proposer_id";
    select(db, sql, &[]).await
}

/// Open problems (proposed, not yet claimed) on the board.
pub async fn open_count(db: &Db) -> Result<i64> {
    count(db, "SELECT COUNT(*) AS n FROM skill_problems WHERE status = 'proposed' AND merged_into IS NULL", &[]).await
}

/// Past steps (the demo's history), in one transaction: (problem, step, note, at, team).
pub async fn insert_steps(db: &Db, rows: &[(i64, &str, String, i64, Option<i64>)]) -> Result<()> {
    db_write!(db, |p| {
        let mut tx = p.begin().await?;
        for (problem, step, note, at, team) in rows {
            sqlx::query("INSERT INTO skill_problem_steps (problem_id, step, note, at, team_id) VALUES ($1, $2, $3, $4, $5)")
                .bind(problem)
                .bind(step)
                .bind(note)
                .bind(at)
                .bind(team)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok::<_, Error>(())
    })
}
