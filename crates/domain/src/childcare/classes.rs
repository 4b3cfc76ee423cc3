//! What the center fills in for a term and its classes, and the rules each
//! must satisfy before it is stored (that a community exists is the service's).

use chrono::NaiveTime;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::campaigns::campaign::parse_date;
use crate::registry::ADDRESS_MAX;
use crate::{schema, Invalid};

pub const NAME_MAX: usize = 60;
/// Children from three (kindergarten age) to fifteen (junior middle school).
pub const AGE_MIN: i64 = 2;
pub const AGE_MAX: i64 = 16;
pub const CAPACITY_MAX: i64 = 500;
/// A holiday is at most a summer: a term never runs past ~three months.
pub const TERM_DAYS_MAX: i64 = 100;

crate::field_schemas! {
    name_schema = schema::text(NAME_MAX);
    address_schema = schema::optional_text(ADDRESS_MAX);
    age_schema = schema::int_range(AGE_MIN, AGE_MAX);
    capacity_schema = schema::int_range(1, CAPACITY_MAX);
    ratio_schema = schema::int_range(1, 50);
    clock_schema = utoipa::openapi::schema::ObjectBuilder::new()
        .schema_type(utoipa::openapi::schema::Type::String)
        .pattern(Some(r"^\s*([01][0-9]|2[0-3]):[0-5][0-9]\s*$"));
}

/// A term (e.g. 2026 summer) as the center opens it.
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
pub struct TermInput {
    #[schema(schema_with = name_schema)]
    pub name: String,
    #[schema(schema_with = schema::date)]
    pub starts_on: String,
    #[schema(schema_with = schema::date)]
    pub ends_on: String,
}

impl TermInput {
    /// The checked name and span, or the 422s naming the fields.
    pub fn check(&self) -> Result<(String, String, String), Invalid> {
        let mut e = Invalid::default();
        e.text("name", &self.name, NAME_MAX);
        let span = crate::campaigns::campaign::check_span(&mut e, &self.starts_on, &self.ends_on);
        if let Some((s, t)) = span {
            if (t - s).num_days() >= TERM_DAYS_MAX {
                e.push("ends_on", "out_of_range");
            }
        }
        e.into_result()?;
        let (s, t) = span.unwrap_or_default();
        Ok((self.name.trim().to_string(), s.to_string(), t.to_string()))
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Term {
    pub id: i64,
    pub name: String,
    pub starts_on: String,
    pub ends_on: String,
    pub classes: i64,
}

/// A class of a term: where, for whom, when, how many, and who leads it.
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
pub struct ClassInput {
    #[schema(schema_with = schema::id)]
    pub term_id: i64,
    #[schema(schema_with = name_schema)]
    pub name: String,
    #[schema(schema_with = schema::id)]
    pub community_id: i64,
    #[serde(default)]
    #[schema(schema_with = address_schema)]
    pub address: Option<String>,
    /// Youngest age (whole years at the term's first day).
    #[schema(schema_with = age_schema)]
    pub min_age: i64,
    #[schema(schema_with = age_schema)]
    pub max_age: i64,
    #[schema(schema_with = capacity_schema)]
    pub capacity: i64,
    /// Children one caretaker may look after (e.g. 10).
    #[schema(schema_with = ratio_schema)]
    pub children_per_caretaker: i64,
    /// HH:MM, the door opens.
    #[schema(schema_with = clock_schema)]
    pub daily_from: String,
    /// HH:MM, every child has gone home.
    #[schema(schema_with = clock_schema)]
    pub daily_to: String,
    /// The class's head (班主任), a volunteer.
    #[serde(default)]
    #[schema(schema_with = schema::optional_id)]
    pub head_volunteer_id: Option<i64>,
    /// The team whose volunteers staff the rota.
    #[serde(default)]
    #[schema(schema_with = schema::optional_id)]
    pub team_id: Option<i64>,
}

pub fn parse_clock(s: &str) -> Option<NaiveTime> {
    NaiveTime::parse_from_str(s.trim(), "%H:%M").ok()
}

/// Minutes after midnight of an HH:MM the class stored.
pub fn minutes_of(s: &str) -> i64 {
    parse_clock(s).map(|t| i64::from(chrono::Timelike::num_seconds_from_midnight(&t)) / 60).unwrap_or(0)
}

impl ClassInput {
    /// The trimmed name, address and hours, or the 422s naming the fields.
    pub fn check(&self) -> Result<(String, Option<String>, String, String), Invalid> {
        let mut e = Invalid::default();
        e.text("name", &self.name, NAME_MAX);
        e.optional_text("address", self.address.as_deref(), ADDRESS_MAX);
        for (f, v) in [("min_age", self.min_age), ("max_age", self.max_age)] {
            if !(AGE_MIN..=AGE_MAX).contains(&v) {
                e.push(f, "out_of_range");
            }
        }
        if self.max_age < self.min_age {
            e.push("max_age", "out_of_range");
        }
        if !(1..=CAPACITY_MAX).contains(&self.capacity) {
            e.push("capacity", "out_of_range");
        }
        if !(1..=50).contains(&self.children_per_caretaker) {
            e.push("children_per_caretaker", "out_of_range");
        }
        let (from, to) = (parse_clock(&self.daily_from), parse_clock(&self.daily_to));
        if from.is_none() {
            e.push("daily_from", "clock_format");
        }
        match (from, to) {
            (_, None) => e.push("daily_to", "clock_format"),
            (Some(f), Some(t)) if t <= f => e.push("daily_to", "clock_order"),
            _ => {}
        }
        e.into_result()?;
        let blank = self.address.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(str::to_string);
        let hm = |t: Option<NaiveTime>| t.map(|t| t.format("%H:%M").to_string()).unwrap_or_default();
        Ok((self.name.trim().to_string(), blank, hm(from), hm(to)))
    }
}

/// A class as lists and pages read it, with its live counts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Class {
    pub id: i64,
    pub term_id: i64,
    pub term_name: String,
    pub starts_on: String,
    pub ends_on: String,
    pub name: String,
    pub community_id: i64,
    pub community_name: String,
    pub address: Option<String>,
    pub min_age: i64,
    pub max_age: i64,
    pub capacity: i64,
    pub children_per_caretaker: i64,
    pub daily_from: String,
    pub daily_to: String,
    pub head_volunteer_id: Option<i64>,
    pub head_name: Option<String>,
    pub team_id: Option<i64>,
    pub enrolled: i64,
    pub waitlisted: i64,
}

impl Class {
    /// Whether `day` (YYYY-MM-DD) is one of the term's days.
    pub fn runs_on(&self, day: &str) -> bool {
        parse_date(day).is_some() && self.starts_on.as_str() <= day && day <= self.ends_on.as_str()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn class() -> ClassInput {
        ClassInput {
            term_id: 1,
            name: "采油一厂照辅班".into(),
            community_id: 1,
            address: None,
            min_age: 6,
            max_age: 12,
            capacity: 30,
            children_per_caretaker: 10,
            daily_from: "08:00".into(),
            daily_to: "17:30".into(),
            head_volunteer_id: None,
            team_id: None,
        }
    }

    #[test]
    fn a_class_with_sane_hours_and_ages_passes() {
        assert_eq!(class().check().unwrap().2, "08:00");
    }

    #[test]
    fn a_class_that_ends_before_it_starts_or_ages_backwards_is_refused() {
        let c = ClassInput { daily_to: "07:00".into(), max_age: 5, ..class() };
        let e = c.check().unwrap_err();
        let fields: Vec<&str> = e.0.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(fields, ["max_age", "daily_to"]);
    }

    #[test]
    fn a_term_longer_than_a_holiday_is_refused() {
        let t = TermInput { name: "2026 暑期".into(), starts_on: "2026-07-01".into(), ends_on: "2026-12-31".into() };
        assert_eq!(t.check().unwrap_err().0[0].field, "ends_on");
        let ok = TermInput { ends_on: "2026-08-31".into(), ..t };
        assert!(ok.check().is_ok());
    }

    #[test]
    fn clock_times_read_as_minutes() {
        assert_eq!(minutes_of("08:30"), 510);
    }
}
