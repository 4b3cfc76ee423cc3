//! A 师带徒 agreement's assessments — monthly by the mentor, quarterly by the
//! workshop, yearly by the unit, each a score and a comment for a period —
//! and its completion (出师), early or late, with a final assessment.

use chrono::{Datelike, Months, NaiveDate};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::inputs::TEXT_MAX;
use crate::campaigns::campaign::parse_date;
use crate::{schema, Invalid};

pub const SCOPES: [&str; 3] = ["monthly", "quarterly", "yearly"];

crate::field_schemas! {
    scope_schema = schema::one_of(&SCOPES);
    period_schema = schema::text(7);
    score_schema = schema::int_range(0, 100);
    comment_schema = schema::optional_text(TEXT_MAX);
}

/// One assessment of an agreement.
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
pub struct AssessmentInput {
    /// `2026-03` for a month, `2026-Q1` for a quarter, `2026` for a year.
    #[schema(schema_with = period_schema)]
    pub period: String,
    #[schema(schema_with = scope_schema)]
    pub scope: String,
    #[schema(schema_with = score_schema)]
    pub score: i64,
    #[serde(default)]
    #[schema(schema_with = comment_schema)]
    pub comment: Option<String>,
}

/// The first and last day of a period written as its scope asks.
pub fn period_days(scope: &str, period: &str) -> Option<(NaiveDate, NaiveDate)> {
    let p = period.trim();
    let (first, months) = match scope {
        "monthly" if p.len() == 7 => (parse_date(&format!("{p}-01"))?, 1),
        "quarterly" => {
            let (y, q) = p.split_once("-Q")?;
            let q: u32 = q.parse().ok().filter(|q| (1..=4).contains(q))?;
            (NaiveDate::from_ymd_opt(y.parse().ok().filter(|_| y.len() == 4)?, (q - 1) * 3 + 1, 1)?, 3)
        }
        "yearly" if p.len() == 4 => (NaiveDate::from_ymd_opt(p.parse().ok()?, 1, 1)?, 12),
        _ => return None,
    };
    Some((first, first.checked_add_months(Months::new(months))?.pred_opt()?))
}

impl AssessmentInput {
    /// Judges an assessment of an agreement that started on `starts_on`: a
    /// period written for its scope, begun by `today`, ending no earlier than the start.
    pub fn check(&self, starts_on: NaiveDate, today: NaiveDate) -> Result<(), Invalid> {
        let mut e = Invalid::default();
        if !SCOPES.contains(&self.scope.as_str()) {
            e.push("scope", "unknown_choice");
        } else {
            match period_days(&self.scope, &self.period) {
                None => e.push("period", "period_format"),
                Some((first, _)) if first > today => e.push("period", "in_future"),
                Some((_, last)) if last < starts_on => e.push("period", "before_agreement"),
                Some(_) => {}
            }
        }
        if !(0..=100).contains(&self.score) {
            e.push("score", "out_of_range");
        }
        e.optional_text("comment", self.comment.as_deref(), TEXT_MAX);
        e.into_result()
    }
}

/// 出师: the day and the final assessment.
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
pub struct CompletionInput {
    #[schema(schema_with = schema::date)]
    pub completed_on: String,
    #[schema(schema_with = score_schema)]
    pub final_score: i64,
    #[serde(default)]
    #[schema(schema_with = comment_schema)]
    pub comment: Option<String>,
}

impl CompletionInput {
    /// The day, judged against the agreement's start and today.
    pub fn check(&self, starts_on: NaiveDate, today: NaiveDate) -> Result<NaiveDate, Invalid> {
        let mut e = Invalid::default();
        let day = parse_date(&self.completed_on);
        match day {
            None => e.push("completed_on", "date_format"),
            Some(d) if d > today => e.push("completed_on", "in_future"),
            Some(d) if d < starts_on => e.push("completed_on", "before_agreement"),
            Some(_) => {}
        }
        if !(0..=100).contains(&self.final_score) {
            e.push("final_score", "out_of_range");
        }
        e.optional_text("comment", self.comment.as_deref(), TEXT_MAX);
        e.into_result()?;
        Ok(day.unwrap_or(starts_on))
    }
}

/// Whether an apprentice completed `early`, `on_time` or `late` against the agreed end.
pub fn timing(completed_on: NaiveDate, ends_on: NaiveDate) -> &'static str {
    match completed_on.cmp(&ends_on) {
        std::cmp::Ordering::Less => "early",
        std::cmp::Ordering::Equal => "on_time",
        std::cmp::Ordering::Greater => "late",
    }
}

/// The period an assessment of `scope` made on `day` would cover, as written.
pub fn period_of(scope: &str, day: NaiveDate) -> String {
    match scope {
        "quarterly" => format!("{}-Q{}", day.year(), day.month0() / 3 + 1),
        "yearly" => day.year().to_string(),
        _ => day.format("%Y-%m").to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        parse_date(s).unwrap()
    }

    #[test]
    fn periods_are_written_as_their_scope_asks() {
        assert_eq!(period_days("monthly", "2026-02"), Some((d("2026-02-01"), d("2026-02-28"))));
        assert_eq!(period_days("quarterly", "2026-Q4"), Some((d("2026-10-01"), d("2026-12-31"))));
        assert_eq!(period_days("yearly", "2025"), Some((d("2025-01-01"), d("2025-12-31"))));
        for (scope, bad) in
            [("monthly", "2026-13"), ("monthly", "2026"), ("quarterly", "2026-Q5"), ("quarterly", "26-Q1"), ("yearly", "2026-01")]
        {
            assert_eq!(period_days(scope, bad), None, "{scope} {bad}");
        }
        assert_eq!(period_of("quarterly", d("2026-08-09")), "2026-Q3");
        assert_eq!(period_of("monthly", d("2026-08-09")), "2026-08");
    }

    #[test]
    fn an_assessment_covers_a_begun_period_of_the_agreement() {
        let (start, today) = (d("2025-06-15"), d("2026-03-10"));
        let a =
            |scope: &str, period: &str, score: i64| AssessmentInput { period: period.into(), scope: scope.into(), score, comment: None };
        assert!(a("monthly", "2025-06", 80).check(start, today).is_ok());
        assert!(a("monthly", "2026-03", 80).check(start, today).is_ok());
        assert_eq!(a("monthly", "2026-04", 80).check(start, today).unwrap_err().0[0].code, "in_future");
        assert_eq!(a("quarterly", "2025-Q1", 80).check(start, today).unwrap_err().0[0].code, "before_agreement");
        assert_eq!(a("yearly", "2025-Q1", 80).check(start, today).unwrap_err().0[0].code, "period_format");
        assert_eq!(a("weekly", "2025", 80).check(start, today).unwrap_err().0[0].field, "scope");
        assert_eq!(a("yearly", "2025", 101).check(start, today).unwrap_err().0[0].field, "score");
    }

    #[test]
    fn completion_is_early_on_time_or_late_against_the_agreed_end() {
        let (start, today) = (d("2023-01-01"), d("2026-03-10"));
        let c = |on: &str, score: i64| CompletionInput { completed_on: on.into(), final_score: score, comment: None };
        assert_eq!(c("2025-06-30", 92).check(start, today), Ok(d("2025-06-30")));
        assert_eq!(c("2026-03-11", 92).check(start, today).unwrap_err().0[0].code, "in_future");
        assert_eq!(c("2022-12-31", 92).check(start, today).unwrap_err().0[0].code, "before_agreement");
        assert_eq!(c("2025-06-30", -1).check(start, today).unwrap_err().0[0].field, "final_score");
        assert_eq!(timing(d("2025-06-30"), d("2025-12-31")), "early");
        assert_eq!(timing(d("2025-12-31"), d("2025-12-31")), "on_time");
        assert_eq!(timing(d("2026-01-05"), d("2025-12-31")), "late");
    }
}
