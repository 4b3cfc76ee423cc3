//! The entries behind a candidate's figure of one measure: read through the
//! same joins and bounds as the measure's query, so they add up to it (or,
//! for a count, number it). A team's are its members'.

use sqlx::FromRow;

use super::figures::Period;
use crate::{Db, Result};

/// One entry behind a figure: the day (YYYY-MM-DD) or moment (unix ms) it
/// happened, whose it is, what it was (an activity's, need's or call's title)
/// and what it adds — hours, 1 for a count, the stars of a rating.
#[derive(Debug, Clone, FromRow)]
pub struct Line {
    pub day: Option<String>,
    pub at: Option<i64>,
    pub volunteer_id: i64,
    pub volunteer: String,
    pub what: Option<String>,
    pub value: f64,
    /// The activity, need, call, care pair or class the line is about.
    pub ref_id: Option<i64>,
}

/// The subject filter every query names: `$5` a volunteer, or with `$6` the
/// members of team `$5`.
const WHOSE: &str =
    "((NOT $6 AND x.volunteer_id = $5) OR ($6 AND x.volunteer_id IN (SELECT volunteer_id FROM volunteer_teams WHERE team_id = $5)))";

/// The query behind a measure's lines; `$1`/`$2` the period's days, `$3`/`$4` its ms.
fn sql(metric: &str) -> Option<String> {
    let body = match metric {
        // Every entry of the period, corrections included (HOURS).
        "hours" => "SELECT x.served_on AS day, CAST(NULL AS BIGINT) AS at, x.volunteer_id, v.name AS volunteer, COALESCE(a.title, n.title, x.note) AS what, \
                    x.hours AS value, CAST(NULL AS BIGINT) AS ref_id \
                    FROM hours_entries x JOIN volunteers v ON v.id = x.volunteer_id \
                    LEFT JOIN activities a ON a.id = x.activity_id LEFT JOIN needs n ON n.id = x.need_id \
                    WHERE x.served_on >= $1 AND x.served_on <= $2 AND $3 <= $4 AND {WHOSE} ORDER BY day, x.id",
        // One line per activity credited (ACTIVITIES counts them).
        "activities" => "SELECT MIN(x.served_on) AS day, CAST(NULL AS BIGINT) AS at, x.volunteer_id, MIN(v.name) AS volunteer, MIN(a.title) AS what, \
                    CAST(1 AS DOUBLE PRECISION) AS value, x.activity_id AS ref_id \
                    FROM hours_entries x JOIN volunteers v ON v.id = x.volunteer_id JOIN activities a ON a.id = x.activity_id \
                    WHERE x.served_on >= $1 AND x.served_on <= $2 AND $3 <= $4 AND {WHOSE} \
                    GROUP BY x.volunteer_id, x.activity_id ORDER BY day, x.activity_id",
        // One line per need served (NEEDS_SERVED counts them).
        "needs_served" => "SELECT MIN(x.served_on) AS day, CAST(NULL AS BIGINT) AS at, x.volunteer_id, MIN(v.name) AS volunteer, MIN(n.title) AS what, \
                    CAST(1 AS DOUBLE PRECISION) AS value, x.need_id AS ref_id \
                    FROM hours_entries x JOIN volunteers v ON v.id = x.volunteer_id JOIN needs n ON n.id = x.need_id \
                    WHERE x.served_on >= $1 AND x.served_on <= $2 AND $3 <= $4 AND {WHOSE} \
                    GROUP BY x.volunteer_id, x.need_id ORDER BY day, x.need_id",
        // One line per rated need served, its stars (NEED_RATING averages them).
        "need_rating" => "SELECT MIN(x.served_on) AS day, CAST(NULL AS BIGINT) AS at, x.volunteer_id, MIN(v.name) AS volunteer, MIN(n.title) AS what, \
                    CAST(MIN(n.rating_stars) AS DOUBLE PRECISION) AS value, x.need_id AS ref_id \
                    FROM hours_entries x JOIN volunteers v ON v.id = x.volunteer_id JOIN needs n ON n.id = x.need_id \
                    WHERE x.served_on >= $1 AND x.served_on <= $2 AND $3 <= $4 AND n.rating_stars IS NOT NULL AND {WHOSE} \
                    GROUP BY x.volunteer_id, x.need_id ORDER BY day, x.need_id",
        // The calls of the period answered yes (EMERGENCY_ANSWERED) or confirmed on (EMERGENCY_ATTENDED).
        "emergency_answered" | "emergency_attended" => {
            let statuses = if metric == "emergency_answered" { "('confirmed', 'standby')" } else { "('confirmed')" };
            return Some(
                format!(
                    "SELECT CAST(NULL AS TEXT) AS day, d.starts_at AS at, x.volunteer_id, v.name AS volunteer, d.title AS what, CAST(1 AS DOUBLE PRECISION) AS value, d.id AS ref_id \
                     FROM dispatch_responses x JOIN dispatches d ON d.id = x.dispatch_id JOIN volunteers v ON v.id = x.volunteer_id \
                     WHERE $1 <= $2 AND d.starts_at >= $3 AND d.starts_at < $4 AND x.status IN {statuses} AND {WHOSE} ORDER BY at, d.id"
                )
                .replace("{WHOSE}", WHOSE),
            );
        }
        // The visits that reached the person (HONOUR_VISITS); the pair, not the person visited, is named.
        "care_visits" => "SELECT CAST(NULL AS TEXT) AS day, x.visited_at AS at, x.volunteer_id, v.name AS volunteer, CAST(NULL AS TEXT) AS what, CAST(1 AS DOUBLE PRECISION) AS value, x.pair_id AS ref_id \
                    FROM care_visits x JOIN volunteers v ON v.id = x.volunteer_id \
                    WHERE $1 <= $2 AND x.visited_at >= $3 AND x.visited_at < $4 AND x.contact_made = TRUE AND {WHOSE} ORDER BY at, x.id",
        // One line per caretaker shift with hours (HONOUR_SHIFTS counts them).
        "childcare_shifts" => "SELECT MIN(s.day) AS day, CAST(NULL AS BIGINT) AS at, x.volunteer_id, MIN(v.name) AS volunteer, MIN(a.title) AS what, \
                    CAST(1 AS DOUBLE PRECISION) AS value, x.activity_id AS ref_id \
                    FROM hours_entries x JOIN childcare_shifts s ON s.activity_id = x.activity_id \
                    JOIN activities a ON a.id = x.activity_id JOIN volunteers v ON v.id = x.volunteer_id \
                    WHERE x.served_on >= $1 AND x.served_on <= $2 AND $3 <= $4 AND {WHOSE} \
                    GROUP BY x.volunteer_id, x.activity_id ORDER BY day, x.activity_id",
        // The lessons held in the classes taught, their hours (HONOUR_TAUGHT).
        "training_given" => "SELECT l.held_on AS day, CAST(NULL AS BIGINT) AS at, x.volunteer_id, v.name AS volunteer, \
                    COALESCE(l.topic, t.title) AS what, CAST(l.hours AS DOUBLE PRECISION) AS value, l.training_id AS ref_id \
                    FROM skill_training_teachers x JOIN skill_training_lessons l ON l.training_id = x.training_id \
                    JOIN skill_trainings t ON t.id = x.training_id JOIN volunteers v ON v.id = x.volunteer_id \
                    WHERE l.held_on >= $1 AND l.held_on <= $2 AND $3 <= $4 AND {WHOSE} ORDER BY day, l.id",
        _ => return None,
    };
    Some(body.replace("{WHOSE}", WHOSE))
}

/// The lines behind `metric`'s figure of volunteer `subject` (or of team
/// `subject`'s members, `team`), oldest first; None for no such measure.
pub async fn of(db: &Db, metric: &str, p: &Period, subject: i64, team: bool) -> Result<Option<Vec<Line>>> {
    let Some(sql) = sql(metric) else { return Ok(None) };
    let rows = db_read!(db, |c| sqlx::query_as(sqlx::AssertSqlSafe(&*sql))
        .bind(&p.first_day)
        .bind(&p.last_day)
        .bind(p.from_ms)
        .bind(p.until_ms)
        .bind(subject)
        .bind(team)
        .fetch_all(c)
        .await?);
    Ok(Some(rows))
}
