//! Enrolments and the waitlist. A place is taken with a conditional UPDATE
//! on the class's counter inside the enrolment's transaction (as activity
//! sign-ups do), so however many guardians race, no more than `capacity`
//! are ever enrolled; a cancellation hands its place to the first waiting
//! by priority, and queues the SMS telling them, in the same transaction.

use sqlx::FromRow;
use tongxing_domain::childcare::enrolment::{CheckedEnrolment, EnrolmentStatus, PickupInput};

use crate::outbox::Message;
use crate::{now_ms, Db, Error, Result};

/// What the service decided for a new enrolment besides the form itself.
pub struct NewEnrolment<'a> {
    pub class_id: i64,
    pub code: String,
    pub form: &'a CheckedEnrolment,
    pub guardian_unit_id: Option<i64>,
    pub priority: i64,
    pub enrolled_by: Option<i64>,
}

/// Stores an enrolment, enrolled if a place is left, else waitlisted.
pub async fn enrol(db: &Db, e: &NewEnrolment<'_>) -> Result<(i64, EnrolmentStatus)> {
    enrol_many(db, std::slice::from_ref(e), None).await?.pop().flatten().ok_or(Error::NotFound)
}

/// The SMS telling a guardian of a liaison's sheet the code and the outcome of their enrolment.
pub type TellEnrolled<'a> = &'a (dyn Fn(&NewEnrolment<'_>, EnrolmentStatus) -> Vec<Message> + Sync);

/// Stores enrolments in one transaction (all or none), in the order given,
/// each enrolled while its class has places, else waitlisted. With `tell` (a
/// liaison's sheet) each class is locked before it is read, a child already
/// enrolled or waiting in the class (same name, birth date and guardian's
/// mobile) is skipped (`None`), so a sheet sent twice enrols nobody twice,
/// and each new enrolment's guardian is told through the outbox.
pub async fn enrol_many(
    db: &Db,
    entries: &[NewEnrolment<'_>],
    tell: Option<TellEnrolled<'_>>,
) -> Result<Vec<Option<(i64, EnrolmentStatus)>>> {
    let now = now_ms();
    db_write!(db, |p| {
        let mut tx = p.begin().await?;
        let mut out = Vec::with_capacity(entries.len());
        let mut locked = Vec::new();
        for e in entries {
            let f = e.form;
            if tell.is_some() {
                if !locked.contains(&e.class_id) {
                    // On PostgreSQL a second sheet for the class waits here and then sees this one's children.
                    sqlx::query("UPDATE childcare_classes SET enrolled = enrolled WHERE id = $1")
                        .bind(e.class_id)
                        .execute(&mut *tx)
                        .await?;
                    locked.push(e.class_id);
                }
                let known: Option<i64> = sqlx::query_scalar(
                    "SELECT id FROM childcare_enrolments WHERE class_id = $1 AND child_name = $2 AND birth_date = $3 \
                     AND guardian_phone = $4 AND status IN ('enrolled', 'waitlisted')",
                )
                .bind(e.class_id)
                .bind(&f.child_name)
                .bind(&f.birth_date)
                .bind(&f.guardian_phone)
                .fetch_optional(&mut *tx)
                .await?;
                if known.is_some() {
                    out.push(None);
                    continue;
                }
            }
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO childcare_enrolments (class_id, code, child_name, birth_date, guardian_name, guardian_phone, guardian_unit_id, \
                 emergency_phone, allergies, notes, priority, status, queued_at, enrolled_by, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 'waitlisted', $12, $13, $12, $12) RETURNING id",
            )
            .bind(e.class_id)
            .bind(&e.code)
            .bind(&f.child_name)
            .bind(&f.birth_date)
            .bind(&f.guardian_name)
            .bind(&f.guardian_phone)
            .bind(e.guardian_unit_id)
            .bind(&f.emergency_phone)
            .bind(&f.allergies)
            .bind(&f.notes)
            .bind(e.priority)
            .bind(now)
            .bind(e.enrolled_by)
            .fetch_one(&mut *tx)
            .await?;
            for k in &f.pickups {
                sqlx::query("INSERT INTO childcare_pickups (enrolment_id, name, relation, phone) VALUES ($1, $2, $3, $4)")
                    .bind(id)
                    .bind(&k.name)
                    .bind(&k.relation)
                    .bind(&k.phone)
                    .execute(&mut *tx)
                    .await?;
            }
            let seated = sqlx::query("UPDATE childcare_classes SET enrolled = enrolled + 1 WHERE id = $1 AND enrolled < capacity")
                .bind(e.class_id)
                .execute(&mut *tx)
                .await?
                .rows_affected()
                == 1;
            let status = if seated {
                sqlx::query("UPDATE childcare_enrolments SET status = 'enrolled' WHERE id = $1").bind(id).execute(&mut *tx).await?;
                EnrolmentStatus::Enrolled
            } else {
                sqlx::query("UPDATE childcare_classes SET waitlisted = waitlisted + 1 WHERE id = $1")
                    .bind(e.class_id)
                    .execute(&mut *tx)
                    .await?;
                EnrolmentStatus::Waitlisted
            };
            if let Some(tell) = tell {
                crate::outbox::enqueue_in!(tx, None::<i64>, tell(e, status), now);
            }
            out.push(Some((id, status)));
        }
        tx.commit().await?;
        Ok(out)
    })
}

/// The SMS telling a guardian (phone) their child got a place in a class (name) under a code.
pub type Tell<'a> = &'a (dyn Fn(&str, &str, &str) -> Vec<Message> + Sync);

/// Cancels an enrolment; an enrolled place goes to the first waiting by
/// priority, whose guardian is told through the outbox. Returns the
/// promoted enrolment, or `None` when nobody was waiting. `NotFound` when
/// there was nothing to cancel.
pub async fn cancel(db: &Db, id: i64, tell: Tell<'_>) -> Result<Option<i64>> {
    let now = now_ms();
    db_write!(db, |p| {
        let mut tx = p.begin().await?;
        let row: Option<(i64, String)> =
            sqlx::query_as("SELECT class_id, status FROM childcare_enrolments WHERE id = $1").bind(id).fetch_optional(&mut *tx).await?;
        let Some((class_id, was)) = row.filter(|r| r.1 != "cancelled") else { return Err(Error::NotFound) };
        let done = sqlx::query("UPDATE childcare_enrolments SET status = 'cancelled', updated_at = $1 WHERE id = $2 AND status = $3")
            .bind(now)
            .bind(id)
            .bind(&was)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        if done == 0 {
            return Err(Error::NotFound);
        }
        if was == "waitlisted" {
            sqlx::query("UPDATE childcare_classes SET waitlisted = waitlisted - 1 WHERE id = $1").bind(class_id).execute(&mut *tx).await?;
            tx.commit().await?;
            return Ok(None);
        }
        sqlx::query("UPDATE childcare_classes SET enrolled = enrolled - 1 WHERE id = $1").bind(class_id).execute(&mut *tx).await?;
        let next: Option<(i64, String, String, String)> = sqlx::query_as(
            "SELECT e.id, e.guardian_phone, e.code, k.name FROM childcare_enrolments e JOIN childcare_classes k ON k.id = e.class_id \
             WHERE e.class_id = $1 AND e.status = 'waitlisted' ORDER BY e.priority DESC, e.queued_at, e.id LIMIT 1",
        )
        .bind(class_id)
        .fetch_optional(&mut *tx)
        .await?;
        let mut promoted = None;
        if let Some((next, phone, code, class_name)) = next {
            sqlx::query("UPDATE childcare_classes SET enrolled = enrolled + 1, waitlisted = waitlisted - 1 WHERE id = $1")
                .bind(class_id)
                .execute(&mut *tx)
                .await?;
            sqlx::query("UPDATE childcare_enrolments SET status = 'enrolled', updated_at = $1 WHERE id = $2")
                .bind(now)
                .bind(next)
                .execute(&mut *tx)
                .await?;
            crate::outbox::enqueue_in!(tx, None::<i64>, tell(&phone, &class_name, &code), now);
            promoted = Some(next);
        }
        tx.commit().await?;
        Ok(promoted)
    })
}

/// An enrolment as the guardian's page and the roll read it.
#[derive(Debug, Clone, FromRow, serde::Deserialize)]
pub struct Enrolment {
    pub id: i64,
    pub class_id: i64,
    pub code: String,
    pub child_name: String,
    pub birth_date: String,
    pub guardian_name: String,
    pub guardian_phone: String,
    pub guardian_unit_id: Option<i64>,
    pub emergency_phone: Option<String>,
    pub allergies: Option<String>,
    pub notes: Option<String>,
    pub priority: i64,
    pub status: String,
    pub queued_at: i64,
}

/// The enrolment columns every read takes, as a literal the queries below extend.
macro_rules! columns {
    () => {
        "SELECT id, class_id, code, child_name, birth_date, guardian_name, guardian_phone, guardian_unit_id, emergency_phone, \
    allergies, notes, priority, status, queued_at FROM childcare_enrolments"
    };
}

impl Enrolment {
    pub fn status(&self) -> EnrolmentStatus {
        EnrolmentStatus::parse(&self.status).unwrap_or(EnrolmentStatus::Cancelled)
    }
}

pub async fn get(db: &Db, id: i64) -> Result<Enrolment> {
    let row: Option<Enrolment> = fetch_optional!(db, concat!(columns!(), " WHERE id = $1"), id)?;
    row.ok_or(Error::NotFound)
}

pub async fn by_code(db: &Db, code: &str) -> Result<Enrolment> {
    let row: Option<Enrolment> = fetch_optional!(db, concat!(columns!(), " WHERE code = $1"), code)?;
    row.ok_or(Error::NotFound)
}

/// A class's enrolments that are not cancelled: the roll, then the waitlist in order.
pub async fn roll(db: &Db, class_id: i64) -> Result<Vec<Enrolment>> {
    let sql =
        concat!(columns!(), " WHERE class_id = $1 AND status IN ('enrolled', 'waitlisted') ORDER BY status, priority DESC, queued_at, id");
    fetch_all!(db, sql, class_id)
}

/// 1-based place of a waiting enrolment in its class's queue.
pub async fn position(db: &Db, e: &Enrolment) -> Result<i64> {
    let sql = "SELECT COUNT(*) FROM childcare_enrolments WHERE class_id = $1 AND status = 'waitlisted' \
               AND (priority > $2 OR (priority = $2 AND (queued_at < $3 OR (queued_at = $3 AND id < $4))))";
    let (n,): (i64,) = fetch_optional!(db, sql, e.class_id, e.priority, e.queued_at, e.id)?.unwrap_or((0,));
    Ok(n + 1)
}

/// The people who may take the child home.
pub async fn pickups(db: &Db, enrolment_id: i64) -> Result<Vec<PickupInput>> {
    let sql = "SELECT name, relation, phone FROM childcare_pickups WHERE enrolment_id = $1 ORDER BY id";
    let rows: Vec<(String, String, String)> = fetch_all!(db, sql, enrolment_id)?;
    Ok(rows.into_iter().map(|(name, relation, phone)| PickupInput { name, relation, phone }).collect())
}

/// The pick-up people of every child of a class, by enrolment.
pub async fn class_pickups(db: &Db, class_id: i64) -> Result<Vec<(i64, String, String)>> {
    let sql = "SELECT p.enrolment_id, p.name, p.relation FROM childcare_pickups p JOIN childcare_enrolments e ON e.id = p.enrolment_id \
               WHERE e.class_id = $1 AND e.status = 'enrolled' ORDER BY p.enrolment_id, p.id";
    fetch_all!(db, sql, class_id)
}

/// The guardian's end-of-term rating; a second one replaces nothing.
pub async fn rate(db: &Db, enrolment_id: i64, stars: i64, comment: Option<&str>) -> Result<()> {
    let sql = "INSERT INTO childcare_ratings (enrolment_id, stars, comment, rated_at) VALUES ($1, $2, $3, $4)";
    db_write!(db, |p| {
        sqlx::query(sql).bind(enrolment_id).bind(stars).bind(comment).bind(now_ms()).execute(p).await?;
    });
    Ok(())
}

pub async fn rating(db: &Db, enrolment_id: i64) -> Result<Option<(i64, Option<String>)>> {
    fetch_optional!(db, "SELECT stars, comment FROM childcare_ratings WHERE enrolment_id = $1", enrolment_id)
}
