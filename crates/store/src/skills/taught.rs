//! Training given (授课): the hours a volunteer taught in classes they are a
//! teacher of — a commendation round's measure, and the lessons behind it.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::honours::figures::{Measure, Period};
use crate::{Db, Result};

/// Hours of the lessons held in the period in the classes the volunteer
/// teaches: each teacher of a class is credited the whole lesson (co-teaching
/// is teaching). Lesson hours rather than a count, so a half-day workshop
/// outweighs a one-hour talk.
pub const HONOUR_TAUGHT: Measure = Measure(
    "SELECT t.volunteer_id, CAST(SUM(l.hours) AS DOUBLE PRECISION) FROM skill_training_teachers t \
     JOIN skill_training_lessons l ON l.training_id = t.training_id \
     WHERE l.held_on >= $1 AND l.held_on <= $2 AND $3 <= $4 GROUP BY t.volunteer_id",
);

/// One lesson behind a volunteer's "training given" figure.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema, sqlx::FromRow)]
#[schema(as = LessonTaught)]
pub struct LessonTaught {
    pub lesson_id: i64,
    pub training_id: i64,
    /// The class's title.
    pub training: String,
    #[schema(value_type = String, format = Date)]
    pub held_on: String,
    pub topic: String,
    pub hours: f64,
}

/// The lessons the volunteer taught in the period, in day order: the same
/// join and bounds as [`HONOUR_TAUGHT`], so their hours add up to the figure.
pub async fn lessons_taught(db: &Db, volunteer_id: i64, p: &Period) -> Result<Vec<LessonTaught>> {
    let sql =
        "SELECT l.id AS lesson_id, l.training_id, s.title AS training, l.held_on, l.topic, CAST(l.hours AS DOUBLE PRECISION) AS hours \
               FROM skill_training_teachers t JOIN skill_training_lessons l ON l.training_id = t.training_id \
               JOIN skill_trainings s ON s.id = t.training_id \
               WHERE t.volunteer_id = $1 AND l.held_on >= $2 AND l.held_on <= $3 ORDER BY l.held_on, l.id";
    db_read!(db, |c| Ok(sqlx::query_as(sql).bind(volunteer_id).bind(&p.first_day).bind(&p.last_day).fetch_all(c).await?))
}
