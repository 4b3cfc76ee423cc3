//! The programme's figures for the center: per class of a term and per unit
//! of the guardians — no child's data, only counts.

use crate::{Db, Result};

/// A class's term in figures.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, utoipa::ToSchema)]
pub struct ClassFigures {
    pub class_id: i64,
    pub name: String,
    pub community_name: String,
    pub capacity: i64,
    pub enrolled: i64,
    pub waitlisted: i64,
    /// Class days with anyone checked in.
    pub days: i64,
    /// Children checked in, summed over the days (÷ days: attending per day).
    pub attendances: i64,
    pub caretaker_hours: f64,
    pub incidents: i64,
    pub ratings: i64,
    pub rating_stars: i64,
}

/// A unit's share: children of its employees enrolled and waiting.
#[derive(Debug, Clone, PartialEq, serde::Serialize, utoipa::ToSchema)]
pub struct UnitFigures {
    pub unit_id: Option<i64>,
    pub unit_name: Option<String>,
    pub enrolled: i64,
    pub waitlisted: i64,
}

type Counted = (i64, i64, i64);

/// Per class of `term_id`, by class.
pub async fn classes(db: &Db, term_id: i64) -> Result<Vec<ClassFigures>> {
    let base: Vec<(i64, String, String, i64, i64, i64)> = fetch_all!(
        db,
        "SELECT k.id, k.name, c.name, k.capacity, k.enrolled, k.waitlisted FROM childcare_classes k \
         JOIN communities c ON c.id = k.community_id WHERE k.term_id = $1 ORDER BY k.id",
        term_id
    )?;
    let days: Vec<Counted> = fetch_all!(
        db,
        "SELECT a.class_id, COUNT(DISTINCT a.day), COUNT(*) FROM childcare_attendance a JOIN childcare_classes k ON k.id = a.class_id \
         WHERE k.term_id = $1 AND a.kind = 'in' GROUP BY a.class_id",
        term_id
    )?;
    let hours: Vec<(i64, f64)> = fetch_all!(
        db,
        "SELECT s.class_id, COALESCE(SUM(e.hours), 0.0) FROM childcare_shifts s JOIN childcare_classes k ON k.id = s.class_id \
         JOIN hours_entries e ON e.activity_id = s.activity_id WHERE k.term_id = $1 GROUP BY s.class_id",
        term_id
    )?;
    let incidents: Vec<(i64, i64)> = fetch_all!(
        db,
        "SELECT l.class_id, COUNT(*) FROM childcare_logs l JOIN childcare_classes k ON k.id = l.class_id \
         WHERE k.term_id = $1 AND l.incident IS NOT NULL GROUP BY l.class_id",
        term_id
    )?;
    let ratings: Vec<Counted> = fetch_all!(
        db,
        "SELECT e.class_id, COUNT(*), CAST(SUM(r.stars) AS BIGINT) FROM childcare_ratings r \
         JOIN childcare_enrolments e ON e.id = r.enrolment_id JOIN childcare_classes k ON k.id = e.class_id \
         WHERE k.term_id = $1 GROUP BY e.class_id",
        term_id
    )?;
    Ok(base
        .into_iter()
        .map(|(class_id, name, community_name, capacity, enrolled, waitlisted)| {
            let (days, attendances) = days.iter().find(|d| d.0 == class_id).map_or((0, 0), |d| (d.1, d.2));
            let (ratings, rating_stars) = ratings.iter().find(|r| r.0 == class_id).map_or((0, 0), |r| (r.1, r.2));
            ClassFigures {
                class_id,
                name,
                community_name,
                capacity,
                enrolled,
                waitlisted,
                days,
                attendances,
                caretaker_hours: hours.iter().find(|h| h.0 == class_id).map_or(0.0, |h| h.1),
                incidents: incidents.iter().find(|i| i.0 == class_id).map_or(0, |i| i.1),
                ratings,
                rating_stars,
            }
        })
        .collect())
}

/// Per unit of the guardians (none: not a member unit's employee).
pub async fn units(db: &Db, term_id: i64) -> Result<Vec<UnitFigures>> {
    let sql = "SELECT e.guardian_unit_id, u.name, \
               CAST(SUM(CASE WHEN e.status = 'enrolled' THEN 1 ELSE 0 END) AS BIGINT), \
               CAST(SUM(CASE WHEN e.status = 'waitlisted' THEN 1 ELSE 0 END) AS BIGINT) \
               FROM childcare_enrolments e JOIN childcare_classes k ON k.id = e.class_id LEFT JOIN units u ON u.id = e.guardian_unit_id \
               WHERE k.term_id = $1 GROUP BY e.guardian_unit_id, u.name ORDER BY 3 DESC";
    let rows: Vec<(Option<i64>, Option<String>, i64, i64)> = fetch_all!(db, sql, term_id)?;
    Ok(rows
        .into_iter()
        .map(|(unit_id, unit_name, enrolled, waitlisted)| UnitFigures { unit_id, unit_name, enrolled, waitlisted })
        .collect())
}

/// 子女照辅班 on the leadership dashboard, for a period and its narrowing.
#[derive(Debug, Clone, Default, serde::Deserialize, PartialEq)]
pub struct Dashboard {
    /// Classes of the terms that overlap the period.
    pub classes: i64,
    /// Children enrolled (not waiting) in those classes.
    pub children: i64,
    /// Child-days: each child checked in on a day of the period counts once that day.
    pub child_days: i64,
    pub incidents: i64,
}

/// The dashboard's childcare figures within the filter's days. A class is
/// in the district of its community and in the team that staffs it; a child
/// is in the unit of their guardian. Child-days are summed from the kept
/// months and edge days (`childcare_child_days`), not read from attendance.
pub async fn dashboard(db: &Db, f: &crate::stats::Filter) -> Result<Dashboard> {
    // A class and its community, the class joined on `c.id = ...`.
    let class = |on: &str| format!("childcare_classes c ON c.id = {on} JOIN communities cc ON cc.id = c.community_id");
    const NARROW: &str = "($3 = 0 OR cc.district_id = $3) AND ($5 = 0 OR c.team_id = $5)";
    const CHILD: &str = "($4 = 0 OR e.guardian_unit_id = $4)";
    let sql = format!(
        "SELECT \
           (SELECT COUNT(*) FROM childcare_classes c JOIN communities cc ON cc.id = c.community_id JOIN childcare_terms t ON t.id = c.term_id \
              WHERE t.starts_on <= $2 AND t.ends_on >= $1 AND {NARROW} \
              AND ($4 = 0 OR EXISTS (SELECT 1 FROM childcare_enrolments e WHERE e.class_id = c.id AND {CHILD}))) AS classes, \
           (SELECT COUNT(*) FROM childcare_enrolments e JOIN {} JOIN childcare_terms t ON t.id = c.term_id \
              WHERE e.status = 'enrolled' AND t.starts_on <= $2 AND t.ends_on >= $1 AND {NARROW} AND {CHILD}) AS children, \
           (SELECT CAST(COALESCE(SUM(d.children), 0) AS BIGINT) FROM ( \
              SELECT class_id, children FROM childcare_child_days WHERE unit_id = $4 AND grain = 'm' AND period >= $6 AND period <= $7 \
              UNION ALL SELECT class_id, children FROM childcare_child_days WHERE unit_id = $4 AND grain = 'd' AND period >= $8 AND period <= $9 \
              UNION ALL SELECT class_id, children FROM childcare_child_days WHERE unit_id = $4 AND grain = 'd' AND period >= $10 AND period <= $11 \
            ) d JOIN {} WHERE {NARROW}) AS child_days, \
           (SELECT COUNT(*) FROM childcare_logs l JOIN childcare_enrolments e ON e.id = l.enrolment_id JOIN {} \
              WHERE l.incident IS NOT NULL AND l.day >= $1 AND l.day <= $2 AND {NARROW} AND {CHILD}) AS incidents",
        class("e.class_id"),
        class("d.class_id"),
        class("l.class_id")
    );
    let mut args = vec![
        crate::sql::Arg::Text(f.from.clone()),
        crate::sql::Arg::Text(f.to.clone()),
        crate::sql::Arg::I64(f.district_id),
        crate::sql::Arg::I64(f.unit_id),
        crate::sql::Arg::I64(f.team_id),
    ];
    args.extend(crate::stats::rollup::ranges(f).map(crate::sql::Arg::Text));
    let found = crate::sections::read(db, &[&sql], &args).await?.pop().unwrap_or_default();
    Ok(crate::sections::rows::<Dashboard>(found)?.pop().unwrap_or_default())
}

/// Caretaker shifts with hours credited in the period (a class day's shift
/// is an activity): a commendation round's childcare measure.
pub const HONOUR_SHIFTS: crate::honours::figures::Measure = crate::honours::figures::Measure(
    "SELECT e.volunteer_id, CAST(COUNT(DISTINCT e.activity_id) AS DOUBLE PRECISION) FROM hours_entries e \
     JOIN childcare_shifts s ON s.activity_id = e.activity_id \
     WHERE e.served_on >= $1 AND e.served_on <= $2 AND $3 <= $4 GROUP BY e.volunteer_id",
);
