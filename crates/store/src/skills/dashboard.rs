//! 技能传承 on the leadership dashboard: certifications gained, people
//! trained and front-line problems solved in the period.

use serde::Deserialize;

use crate::sections::{read, rows};
use crate::stats::Filter;
use crate::{Db, Result};

#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
pub struct Dashboard {
    /// Certificates dated in the period.
    pub certifications: i64,
    /// Distinct people certified in the period.
    pub certified: i64,
    /// Distinct people enrolled in a class held in the period.
    pub trainees: i64,
    /// Of them, those who passed its exam.
    pub passed: i64,
    /// Problems rolled out or closed in the period.
    pub problems_solved: i64,
}

/// A person within the filter: the district they live in, their unit, their teams.
const PERSON: &str = "($3 = 0 OR EXISTS (SELECT 1 FROM volunteers pv JOIN communities pc ON pc.id = pv.community_id \
        WHERE pv.id = {p} AND pc.district_id = $3)) \
    AND ($4 = 0 OR EXISTS (SELECT 1 FROM volunteers pv WHERE pv.id = {p} AND pv.unit_id = $4)) \
    AND ($5 = 0 OR EXISTS (SELECT 1 FROM volunteer_teams vt WHERE vt.volunteer_id = {p} AND vt.team_id = $5))";

/// Certificates dated in the filter's days, of people within it (`sc`).
pub(crate) fn certifications() -> String {
    format!(
        "skill_certifications sc WHERE sc.certified_on >= $1 AND sc.certified_on <= $2 AND $6 = '' AND {}",
        PERSON.replace("{p}", "sc.volunteer_id")
    )
}

/// Enrolments (`se`) in classes (`st`) held in the filter's days, of people within it.
pub(crate) fn enrolments() -> String {
    format!(
        "skill_training_enrolments se JOIN skill_trainings st ON st.id = se.training_id \
         WHERE st.starts_on <= $2 AND st.ends_on >= $1 AND $6 = '' AND {}",
        PERSON.replace("{p}", "se.volunteer_id")
    )
}

/// Problems (`sp`, claimed by `pt`) rolled out or closed in the filter's
/// days. A problem is its unit's and the team that claimed it (and that
/// team's district).
pub(crate) const SOLVED: &str = "skill_problems sp LEFT JOIN teams pt ON pt.id = sp.team_id \
    WHERE EXISTS (SELECT 1 FROM skill_problem_steps ps WHERE ps.problem_id = sp.id AND ps.step IN ('rolled_out', 'closed') \
        AND ps.at >= $7 AND ps.at < $8) AND $6 = '' \
      AND ($3 = 0 OR pt.district_id = $3) AND ($4 = 0 OR sp.unit_id = $4) AND ($5 = 0 OR sp.team_id = $5)";

/// The skills figures within the filter's days, from the rows the lists
/// behind them read (`stats::drill`). Skills carry no theme: a theme
/// filter leaves them out.
pub async fn dashboard(db: &Db, f: &Filter) -> Result<Dashboard> {
    let sql = format!(
        "SELECT c.certifications AS certifications, c.certified AS certified, t.trainees AS trainees, t.passed AS passed, \
           p.problems_solved AS problems_solved \
         FROM (SELECT COUNT(*) AS certifications, COUNT(DISTINCT sc.volunteer_id) AS certified FROM {cert}) c, \
              (SELECT COUNT(DISTINCT se.volunteer_id) AS trainees, \
                 COUNT(DISTINCT CASE WHEN se.passed = TRUE THEN se.volunteer_id END) AS passed FROM {enrolled}) t, \
              (SELECT COUNT(*) AS problems_solved FROM {SOLVED}) p",
        cert = certifications(),
        enrolled = enrolments(),
    );
    Ok(rows::<Dashboard>(read(db, &[&sql], &f.args()).await?.pop().unwrap_or_default())?.pop().unwrap_or_default())
}
