//! The problem board's merges and awards: a duplicate merged into the first
//! problem (its history kept, its proposer and supporters carried over as
//! supporters, its claim carried over), and an award named per problem.

use tongxing_domain::skills::views::ProblemSupporter;

use super::select;
use crate::sql::Arg;
use crate::{now_ms, Db, Error, Result};

/// A merge as the service judged it, on the two problems as they were read.
#[derive(Debug, Clone)]
pub struct Merge {
    pub duplicate: i64,
    pub into: i64,
    /// The statuses read; the merge happens only if neither moved since.
    pub duplicate_status: String,
    pub into_status: String,
    /// The duplicate's team, to hand its claim to the unclaimed first problem.
    pub carry_claim: Option<i64>,
    pub user: i64,
}

const MARK_DUPLICATE: &str =
    "UPDATE skill_problems SET merged_into = $1, updated_at = $2 WHERE id = $3 AND merged_into IS NULL AND status = $4";
const CARRY_CLAIM: &str = "UPDATE skill_problems SET team_id = $1, status = 'claimed', claimed_at = $2, updated_at = $2 \
    WHERE id = $3 AND merged_into IS NULL AND status = 'proposed'";
const TOUCH_FIRST: &str = "UPDATE skill_problems SET updated_at = $1 WHERE id = $2 AND merged_into IS NULL AND status = $3";
/// The duplicate's proposer, then whoever supported it, support the first — never its own first proposer.
const SUPPORT_PROPOSER: &str = "INSERT INTO skill_problem_supporters (problem_id, volunteer_id, from_problem_id, proposed_at) \
    SELECT $1, d.proposer_id, d.id, d.proposed_at FROM skill_problems d WHERE d.id = $2 \
    AND d.proposer_id <> (SELECT f.proposer_id FROM skill_problems f WHERE f.id = $1) ON CONFLICT DO NOTHING";
const SUPPORT_SUPPORTERS: &str = "INSERT INTO skill_problem_supporters (problem_id, volunteer_id, from_problem_id, proposed_at) \
    SELECT $1, s.volunteer_id, s.from_problem_id, s.proposed_at FROM skill_problem_supporters s WHERE s.problem_id = $2 \
    AND s.volunteer_id <> (SELECT f.proposer_id FROM skill_problems f WHERE f.id = $1) ON CONFLICT DO NOTHING";
const STEP: &str = "INSERT INTO skill_problem_steps (problem_id, step, note, at, user_id, team_id) VALUES ($1, 'merged', $2, $3, $4, $5)";

/// Merges in one transaction; false (nothing written) when either problem
/// moved since it was read, or the duplicate was merged meanwhile.
pub async fn merge(db: &Db, m: &Merge) -> Result<bool> {
    let now = now_ms();
    db_write!(db, |p| {
        let mut tx = p.begin().await?;
        let marked =
            sqlx::query(MARK_DUPLICATE).bind(m.into).bind(now).bind(m.duplicate).bind(&m.duplicate_status).execute(&mut *tx).await?;
        let first = match m.carry_claim {
            Some(team) => sqlx::query(CARRY_CLAIM).bind(team).bind(now).bind(m.into).execute(&mut *tx).await?,
            None => sqlx::query(TOUCH_FIRST).bind(now).bind(m.into).bind(&m.into_status).execute(&mut *tx).await?,
        };
        if marked.rows_affected() != 1 || first.rows_affected() != 1 {
            return Ok(false);
        }
        sqlx::query(SUPPORT_PROPOSER).bind(m.into).bind(m.duplicate).execute(&mut *tx).await?;
        sqlx::query(SUPPORT_SUPPORTERS).bind(m.into).bind(m.duplicate).execute(&mut *tx).await?;
        for (on, other) in [(m.duplicate, m.into), (m.into, m.duplicate)] {
            sqlx::query(STEP).bind(on).bind(format!("#{other}")).bind(now).bind(m.user).bind(m.carry_claim).execute(&mut *tx).await?;
        }
        tx.commit().await?;
        Ok::<_, Error>(true)
    })
}

/// Who supports a problem: the proposers of duplicates merged into it, earliest first.
pub async fn supporters(db: &Db, problem_id: i64) -> Result<Vec<ProblemSupporter>> {
    let sql = "SELECT s.volunteer_id AS person_id, v.name AS name, s.from_problem_id AS from_problem_id, s.proposed_at AS proposed_at \
        FROM skill_problem_supporters s JOIN volunteers v ON v.id = s.volunteer_id WHERE s.problem_id = $1 \
        ORDER BY s.proposed_at, s.volunteer_id";
    select(db, sql, &[Arg::I64(problem_id)]).await
}

/// Names a problem's award once a solution is recorded; false when it is
/// not (yet) solved that far, or was merged.
pub async fn award(db: &Db, id: i64, award: &str) -> Result<bool> {
    let sql = "UPDATE skill_problems SET award = $1, updated_at = $2 WHERE id = $3 AND merged_into IS NULL \
        AND status IN ('solution', 'field_test', 'rolled_out', 'closed')";
    Ok(db_write!(db, |p| sqlx::query(sql).bind(award).bind(now_ms()).bind(id).execute(p).await?.rows_affected()) == 1)
}
