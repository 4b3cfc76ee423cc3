//! A past term loaded in bulk (the demo's summer and the coming winter):
//! terms, classes, enrolments with their pick-up people, every class day's
//! attendance and log, the absences reported, and ratings — many rows per statement, in one
//! transaction, the class counters derived from the enrolments written.

use std::collections::HashMap;

use crate::needs::past::{value_rows, MAX_BINDS};
use crate::{Db, Result};

#[derive(Debug, Clone)]
pub struct PastTerm {
    pub name: String,
    pub starts_on: String,
    pub ends_on: String,
}

#[derive(Debug, Clone)]
pub struct PastClass {
    /// Index into the terms.
    pub term: usize,
    pub name: String,
    pub community_id: i64,
    pub address: String,
    pub ages: (i64, i64),
    pub capacity: i64,
    pub per_caretaker: i64,
    pub head_volunteer_id: i64,
    pub team_id: i64,
}

#[derive(Debug, Clone)]
pub struct PastChild {
    /// Index into the classes.
    pub class: usize,
    pub code: String,
    pub child_name: String,
    pub birth_date: String,
    pub guardian_name: String,
    pub guardian_phone: String,
    pub guardian_unit_id: Option<i64>,
    pub allergies: Option<String>,
    pub priority: i64,
    pub waitlisted: bool,
    pub queued_at: i64,
    /// (name, relation, phone).
    pub pickups: Vec<(String, String, String)>,
    /// (stars, comment, when).
    pub rating: Option<PastRating>,
}

/// One child's class day.
#[derive(Debug, Clone)]
pub struct PastDay {
    /// Index into the children.
    pub child: usize,
    pub day: String,
    pub in_at: (i64, String),
    /// None while the child is still in class (the day under way).
    pub out_at: Option<(i64, String)>,
    /// The day's log; none while the day is under way.
    pub meal: Option<&'static str>,
    pub nap: (String, String),
    pub note: Option<String>,
    /// (what, action taken).
    pub incident: Option<(String, String)>,
}

/// An absence the guardian reported: (child index, day, reason, when).
pub type PastAbsence = (usize, String, String, i64);

/// A guardian's rating: (stars, comment, when).
pub type PastRating = (i64, Option<String>, i64);

/// Everything of the programme to write, and who recorded the days.
pub struct PastProgramme<'a> {
    pub terms: &'a [PastTerm],
    pub classes: &'a [PastClass],
    pub children: &'a [PastChild],
    pub days: &'a [PastDay],
    pub absences: &'a [PastAbsence],
    /// (class, day, the shift activity's check-in token).
    pub shifts: &'a [(usize, String, String)],
    pub recorded_by: Option<i64>,
}

/// Writes the programme; returns the class ids in order.
pub async fn create_past(db: &Db, p: &PastProgramme<'_>) -> Result<Vec<i64>> {
    db_write!(db, |pool| {
        let mut tx = pool.begin().await?;
        let mut terms = Vec::new();
        for t in p.terms {
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO childcare_terms (name, starts_on, ends_on, created_at) VALUES ($1, $2, $3, 0) RETURNING id",
            )
            .bind(&t.name)
            .bind(&t.starts_on)
            .bind(&t.ends_on)
            .fetch_one(&mut *tx)
            .await?;
            terms.push(id);
        }
        let mut classes = Vec::new();
        for (ci, c) in p.classes.iter().enumerate() {
            let of = |w: bool| p.children.iter().filter(|k| k.class == ci && k.waitlisted == w).count() as i64;
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO childcare_classes (term_id, name, community_id, address, min_age, max_age, capacity, children_per_caretaker, \
                 daily_from, daily_to, head_volunteer_id, team_id, enrolled, waitlisted, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, '08:00', '17:30', $9, $10, $11, $12, 0) RETURNING id",
            )
            .bind(terms[c.term])
            .bind(&c.name)
            .bind(c.community_id)
            .bind(&c.address)
            .bind(c.ages.0)
            .bind(c.ages.1)
            .bind(c.capacity)
            .bind(c.per_caretaker)
            .bind(c.head_volunteer_id)
            .bind(c.team_id)
            .bind(of(false))
            .bind(of(true))
            .fetch_one(&mut *tx)
            .await?;
            classes.push(id);
        }
        let mut ids: HashMap<String, i64> = HashMap::with_capacity(p.children.len());
        for chunk in p.children.chunks(MAX_BINDS / 13) {
            let sql = format!(
                "INSERT INTO childcare_enrolments (class_id, code, child_name, birth_date, guardian_name, guardian_phone, guardian_unit_id, \
                 allergies, priority, status, queued_at, created_at, updated_at) VALUES {} RETURNING id, code",
                value_rows(db, 13, chunk.len(), "")
            );
            let mut q = sqlx::query_as::<_, (i64, String)>(sqlx::AssertSqlSafe(&*sql)).persistent(false);
            for k in chunk {
                let status = if k.waitlisted { "waitlisted" } else { "enrolled" };
                q = q.bind(classes[k.class]).bind(&k.code).bind(&k.child_name).bind(&k.birth_date).bind(&k.guardian_name);
                q = q.bind(&k.guardian_phone).bind(k.guardian_unit_id).bind(&k.allergies).bind(k.priority).bind(status);
                q = q.bind(k.queued_at).bind(k.queued_at).bind(k.queued_at);
            }
            // RETURNING promises no order: the unique code says which id is whose.
            ids.extend(q.fetch_all(&mut *tx).await?.into_iter().map(|(id, code)| (code, id)));
        }
        let child_id = |i: usize| ids[&p.children[i].code];
        let pickups: Vec<(i64, &(String, String, String))> =
            p.children.iter().enumerate().flat_map(|(i, k)| k.pickups.iter().map(move |x| (i, x))).map(|(i, x)| (child_id(i), x)).collect();
        for chunk in pickups.chunks(MAX_BINDS / 4) {
            let sql = format!(
                "INSERT INTO childcare_pickups (enrolment_id, name, relation, phone) VALUES {}",
                value_rows(db, 4, chunk.len(), "")
            );
            let mut q = sqlx::query(sqlx::AssertSqlSafe(&*sql)).persistent(false);
            for (id, (name, relation, phone)) in chunk {
                q = q.bind(*id).bind(name).bind(relation).bind(phone);
            }
            q.execute(&mut *tx).await?;
        }
        let doors: Vec<(&PastDay, &'static str, &(i64, String))> =
            p.days.iter().flat_map(|d| std::iter::once((d, "in", &d.in_at)).chain(d.out_at.as_ref().map(|o| (d, "out", o)))).collect();
        for chunk in doors.chunks(MAX_BINDS / 8) {
            let sql = format!(
                "INSERT INTO childcare_attendance (enrolment_id, class_id, day, kind, at, by_name, recorded_by, recorded_at) VALUES {}",
                value_rows(db, 8, chunk.len(), "")
            );
            let mut q = sqlx::query(sqlx::AssertSqlSafe(&*sql)).persistent(false);
            for (d, kind, (at, by)) in chunk {
                let k = &p.children[d.child];
                q = q
                    .bind(child_id(d.child))
                    .bind(classes[k.class])
                    .bind(&d.day)
                    .bind(*kind)
                    .bind(*at)
                    .bind(by)
                    .bind(p.recorded_by)
                    .bind(*at);
            }
            q.execute(&mut *tx).await?;
        }
        // The classes are new in this transaction: their child-days are plain rows.
        let mut child_days = crate::childcare::days::ChildDays::default();
        for d in p.days {
            let k = &p.children[d.child];
            child_days.add(classes[k.class], k.guardian_unit_id, &d.day);
        }
        let rows: Vec<_> = child_days.rows().collect();
        for chunk in rows.chunks(MAX_BINDS / 5) {
            let sql = format!(
                "INSERT INTO childcare_child_days (unit_id, grain, period, class_id, children) VALUES {}",
                value_rows(db, 5, chunk.len(), "")
            );
            let mut q = sqlx::query(sqlx::AssertSqlSafe(&*sql)).persistent(false);
            for (unit, grain, period, class, n) in chunk {
                q = q.bind(*unit).bind(*grain).bind(*period).bind(*class).bind(*n);
            }
            q.execute(&mut *tx).await?;
        }
        let logged: Vec<&PastDay> = p.days.iter().filter(|d| d.meal.is_some()).collect();
        for chunk in logged.chunks(MAX_BINDS / 12) {
            let sql = format!(
                "INSERT INTO childcare_logs (enrolment_id, class_id, day, meal, nap_from, nap_to, note, incident, action, guardian_told, \
                 recorded_by, recorded_at) VALUES {}",
                value_rows(db, 12, chunk.len(), "")
            );
            let mut q = sqlx::query(sqlx::AssertSqlSafe(&*sql)).persistent(false);
            for d in chunk {
                let k = &p.children[d.child];
                let (incident, action) = d.incident.clone().map_or((None, None), |(i, a)| (Some(i), Some(a)));
                q = q.bind(child_id(d.child)).bind(classes[k.class]).bind(&d.day).bind(d.meal).bind(&d.nap.0).bind(&d.nap.1);
                q = q
                    .bind(&d.note)
                    .bind(incident)
                    .bind(action)
                    .bind(d.incident.is_some())
                    .bind(p.recorded_by)
                    .bind(d.out_at.as_ref().map_or(d.in_at.0, |o| o.0));
            }
            q.execute(&mut *tx).await?;
        }
        for chunk in p.absences.chunks(MAX_BINDS / 5) {
            let sql = format!(
                "INSERT INTO childcare_absences (enrolment_id, class_id, day, reason, recorded_at) VALUES {}",
                value_rows(db, 5, chunk.len(), "")
            );
            let mut q = sqlx::query(sqlx::AssertSqlSafe(&*sql)).persistent(false);
            for (child, day, reason, at) in chunk {
                q = q.bind(child_id(*child)).bind(classes[p.children[*child].class]).bind(day).bind(reason).bind(*at);
            }
            q.execute(&mut *tx).await?;
        }
        let rated: Vec<(i64, &PastRating)> =
            p.children.iter().enumerate().filter_map(|(i, k)| k.rating.as_ref().map(|r| (child_id(i), r))).collect();
        for chunk in rated.chunks(MAX_BINDS / 4) {
            let sql = format!(
                "INSERT INTO childcare_ratings (enrolment_id, stars, comment, rated_at) VALUES {}",
                value_rows(db, 4, chunk.len(), "")
            );
            let mut q = sqlx::query(sqlx::AssertSqlSafe(&*sql)).persistent(false);
            for (id, (stars, comment, at)) in chunk {
                q = q.bind(*id).bind(*stars).bind(comment).bind(*at);
            }
            q.execute(&mut *tx).await?;
        }
        for (class, day, token) in p.shifts {
            sqlx::query(
                "INSERT INTO childcare_shifts (class_id, day, activity_id) SELECT $1, $2, id FROM activities WHERE checkin_token = $3",
            )
            .bind(classes[*class])
            .bind(day)
            .bind(token)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(classes)
    })
}
