//! Training classes (培训班): lessons, teachers, enrolments, attendance and exam results.

use serde::Deserialize;
use tongxing_domain::skills::views::{Lesson, Training};

use super::{count, level_code, select};
use crate::sql::Arg;
use crate::{now_ms, Db, Error, Result};

#[derive(Debug, Clone)]
pub struct NewTraining {
    pub title: String,
    pub trade_id: i64,
    pub level: Option<i64>,
    pub unit_id: Option<i64>,
    pub starts_on: String,
    pub ends_on: String,
    pub capacity: i64,
    pub pass_mark: i64,
    pub teachers: Vec<i64>,
    /// (day, topic, hours)
    pub lessons: Vec<(String, String, f64)>,
    pub by: Option<i64>,
}

/// Writes a class with its teachers and lessons in one transaction.
pub async fn insert(db: &Db, t: &NewTraining) -> Result<i64> {
    let now = now_ms();
    db_write!(db, |p| {
        let mut tx = p.begin().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO skill_trainings (title, trade_id, level, unit_id, starts_on, ends_on, capacity, pass_mark, created_by, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
        )
        .bind(&t.title)
        .bind(t.trade_id)
        .bind(t.level)
        .bind(t.unit_id)
        .bind(&t.starts_on)
        .bind(&t.ends_on)
        .bind(t.capacity)
        .bind(t.pass_mark)
        .bind(t.by)
        .bind(now)
        .fetch_one(&mut *tx)
        .await?;
        for teacher in &t.teachers {
            sqlx::query("INSERT INTO skill_training_teachers (training_id, volunteer_id) VALUES ($1, $2) ON CONFLICT DO NOTHING")
                .bind(id)
                .bind(teacher)
                .execute(&mut *tx)
                .await?;
        }
        for (on, topic, hours) in &t.lessons {
            sqlx::query("INSERT INTO skill_training_lessons (training_id, held_on, topic, hours) VALUES ($1, $2, $3, $4)")
                .bind(id)
                .bind(on)
                .bind(topic)
                .bind(hours)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok::<_, Error>(id)
    })
}

fn training_select() -> String {
    format!(
        "SELECT tr.id AS id, tr.title AS title, t.code AS trade, t.name AS trade_name, {} AS level, tr.unit_id AS unit_id, \
         u.name AS unit_name, tr.starts_on AS starts_on, tr.ends_on AS ends_on, tr.capacity AS capacity, tr.pass_mark AS pass_mark, \
         (SELECT COUNT(*) FROM skill_training_enrolments e WHERE e.training_id = tr.id) AS enrolled, \
         (SELECT COUNT(*) FROM skill_training_enrolments e WHERE e.training_id = tr.id AND e.passed) AS passed, \
         (SELECT COUNT(*) FROM skill_training_lessons l WHERE l.training_id = tr.id) AS lesson_count \
         FROM skill_trainings tr JOIN skill_trades t ON t.id = tr.trade_id LEFT JOIN units u ON u.id = tr.unit_id",
        level_code("tr.level")
    )
}

/// Classes of a trade and unit (0: any), latest first: a page, and the total.
pub async fn list(db: &Db, trade_id: i64, unit_id: i64, limit: i64, offset: i64) -> Result<(Vec<Training>, i64)> {
    let which = "($1 = 0 OR tr.trade_id = $1) AND ($2 = 0 OR tr.unit_id = $2)";
    let sql = format!("{} WHERE {which} ORDER BY tr.starts_on DESC, tr.id DESC LIMIT {limit} OFFSET {offset}", training_select());
    let args = [Arg::I64(trade_id), Arg::I64(unit_id)];
    let items = select(db, &sql, &args).await?;
    let total = count(db, &format!("SELECT COUNT(*) AS n FROM skill_trainings tr WHERE {which}"), &args).await?;
    Ok((items, total))
}

/// A class with its teachers' names and its lessons.
pub async fn get(db: &Db, id: i64) -> Result<Training> {
    #[derive(Deserialize)]
    struct Name {
        name: String,
    }
    let sql = format!("{} WHERE tr.id = $1", training_select());
    let mut t: Training = select(db, &sql, &[Arg::I64(id)]).await?.pop().ok_or(Error::NotFound)?;
    let teachers: Vec<Name> = select(
        db,
        "SELECT v.name AS name FROM skill_training_teachers x JOIN volunteers v ON v.id = x.volunteer_id WHERE x.training_id = $1 ORDER BY v.id",
        &[Arg::I64(id)],
    )
    .await?;
    t.teachers = teachers.into_iter().map(|n| n.name).collect();
    t.lessons = select::<Lesson>(
        db,
        "SELECT l.id AS id, l.held_on AS \"on\", l.topic AS topic, l.hours AS hours, \
         (SELECT COUNT(*) FROM skill_training_attendance a WHERE a.lesson_id = l.id) AS attended \
         FROM skill_training_lessons l WHERE l.training_id = $1 ORDER BY l.held_on, l.id",
        &[Arg::I64(id)],
    )
    .await?;
    Ok(t)
}

/// What an enrolment did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Enrolled {
    New,
    Already,
    Full,
}

/// Enrols one person unless the class is full. The class row is updated
/// first, so racing enrolments queue on it and never exceed the capacity.
pub async fn enrol(db: &Db, training_id: i64, volunteer_id: i64) -> Result<Enrolled> {
    let now = now_ms();
    db_write!(db, |p| {
        let mut tx = p.begin().await?;
        sqlx::query("UPDATE skill_trainings SET capacity = capacity WHERE id = $1").bind(training_id).execute(&mut *tx).await?;
        let inserted = sqlx::query(
            "INSERT INTO skill_training_enrolments (training_id, volunteer_id, enrolled_at) SELECT $1, $2, $3 \
             WHERE (SELECT COUNT(*) FROM skill_training_enrolments WHERE training_id = $1) < (SELECT capacity FROM skill_trainings WHERE id = $1) \
             ON CONFLICT DO NOTHING",
        )
        .bind(training_id)
        .bind(volunteer_id)
        .bind(now)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        let there: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM skill_training_enrolments WHERE training_id = $1 AND volunteer_id = $2")
            .bind(training_id)
            .bind(volunteer_id)
            .fetch_one(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok::<_, Error>(match (inserted, there) {
            (1, _) => Enrolled::New,
            (_, 0) => Enrolled::Full,
            _ => Enrolled::Already,
        })
    })
}

/// The class a lesson belongs to.
pub async fn lesson_training(db: &Db, lesson_id: i64) -> Result<Option<i64>> {
    #[derive(Deserialize)]
    struct T {
        training_id: i64,
    }
    let t: Option<T> = select(db, "SELECT training_id FROM skill_training_lessons WHERE id = $1", &[Arg::I64(lesson_id)]).await?.pop();
    Ok(t.map(|t| t.training_id))
}

/// How many of `people` are enrolled in the class.
pub async fn enrolled_among(db: &Db, training_id: i64, people: &[i64]) -> Result<i64> {
    let ids: Vec<String> = people.iter().map(i64::to_string).collect();
    let sql = format!(
        "SELECT COUNT(*) AS n FROM skill_training_enrolments WHERE training_id = $1 AND volunteer_id IN ({})",
        if ids.is_empty() { "0".to_string() } else { ids.join(", ") }
    );
    count(db, &sql, &[Arg::I64(training_id)]).await
}

/// Marks people present at a lesson; marking again changes nothing. The
/// number newly marked.
pub async fn attend(db: &Db, lesson_id: i64, people: &[i64]) -> Result<u64> {
    db_write!(db, |p| {
        let mut tx = p.begin().await?;
        let mut n = 0;
        for person in people {
            n += sqlx::query("INSERT INTO skill_training_attendance (lesson_id, volunteer_id) VALUES ($1, $2) ON CONFLICT DO NOTHING")
                .bind(lesson_id)
                .bind(person)
                .execute(&mut *tx)
                .await?
                .rows_affected();
        }
        tx.commit().await?;
        Ok::<_, Error>(n)
    })
}

/// Records an enrolled person's exam score; false when not enrolled.
pub async fn record_result(db: &Db, training_id: i64, volunteer_id: i64, score: i64, passed: bool) -> Result<bool> {
    let sql = "UPDATE skill_training_enrolments SET score = $1, passed = $2 WHERE training_id = $3 AND volunteer_id = $4";
    db_write!(db, |p| Ok(
        sqlx::query(sql).bind(score).bind(passed).bind(training_id).bind(volunteer_id).execute(p).await?.rows_affected() == 1
    ))
}

/// Past enrolments with their results (the demo's history), in one
/// transaction: (class, person, score, passed).
pub async fn insert_results(db: &Db, rows: &[(i64, i64, i64, bool)]) -> Result<()> {
    let now = now_ms();
    db_write!(db, |p| {
        let mut tx = p.begin().await?;
        for &(training, person, score, passed) in rows {
            sqlx::query(
                "INSERT INTO skill_training_enrolments (training_id, volunteer_id, score, passed, enrolled_at) VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(training)
            .bind(person)
            .bind(score)
            .bind(passed)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok::<_, Error>(())
    })
}

/// The ids of a class's lessons, in order.
pub async fn lesson_ids(db: &Db, training_id: i64) -> Result<Vec<i64>> {
    #[derive(Deserialize)]
    struct L {
        id: i64,
    }
    let sql = "SELECT id FROM skill_training_lessons WHERE training_id = $1 ORDER BY held_on, id";
    Ok(select::<L>(db, sql, &[Arg::I64(training_id)]).await?.into_iter().map(|l| l.id).collect())
}
