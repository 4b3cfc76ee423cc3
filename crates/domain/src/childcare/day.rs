//! The rules of a class day: who may take a child home, the caretaker
//! ratio, when a child is late, and what the door and the daily log record.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::registry::NAME_MAX;
use crate::{schema, Invalid};

pub const LOG_TEXT_MAX: usize = 500;
pub const REASON_MAX: usize = 200;
pub const MEALS: [&str; 3] = ["all", "some", "none"];
/// A child not in by this long after the start, or not out by the end, is late.
pub const LATE_IN_MINUTES: i64 = 60;

crate::field_schemas! {
    kind_schema = schema::one_of(&["in", "out"]);
    name_schema = schema::text(NAME_MAX);
    reason_schema = schema::optional_text(REASON_MAX);
    meal_schema = schema::optional_one_of(&MEALS);
    log_text_schema = schema::optional_text(LOG_TEXT_MAX);
    clock_schema = utoipa::openapi::schema::ObjectBuilder::new()
        .schema_type(utoipa::openapi::schema::SchemaType::from_iter([utoipa::openapi::schema::Type::String, utoipa::openapi::schema::Type::Null]))
        .pattern(Some(r"^\s*(([01][0-9]|2[0-3]):[0-5][0-9])?\s*$"));
}

/// A check-in or check-out at the door.
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
pub struct AttendanceInput {
    #[schema(schema_with = schema::id)]
    pub enrolment_id: i64,
    #[schema(schema_with = kind_schema)]
    pub kind: String,
    /// Who brought the child (in) or takes them home (out).
    #[schema(schema_with = name_schema)]
    pub by_name: String,
    /// When, RFC 3339; blank is now.
    #[serde(default)]
    #[schema(schema_with = schema::optional_time)]
    pub at: Option<String>,
    /// The head's reason for releasing a child to someone not on the list.
    #[serde(default)]
    #[schema(schema_with = reason_schema)]
    pub exception_reason: Option<String>,
}

/// One entry of a child's day log; a correction is a new entry.
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
pub struct LogInput {
    #[schema(schema_with = schema::id)]
    pub enrolment_id: i64,
    #[schema(schema_with = schema::date)]
    pub date: String,
    /// How much of the meal was eaten: all, some, none.
    #[serde(default)]
    #[schema(schema_with = meal_schema)]
    pub meal: Option<String>,
    /// HH:MM.
    #[serde(default)]
    #[schema(schema_with = clock_schema)]
    pub nap_from: Option<String>,
    #[serde(default)]
    #[schema(schema_with = clock_schema)]
    pub nap_to: Option<String>,
    /// Study and activity notes.
    #[serde(default)]
    #[schema(schema_with = log_text_schema)]
    pub note: Option<String>,
    /// What happened, when.
    #[serde(default)]
    #[schema(schema_with = log_text_schema)]
    pub incident: Option<String>,
    /// The action taken about the incident.
    #[serde(default)]
    #[schema(schema_with = log_text_schema)]
    pub action: Option<String>,
    #[serde(default)]
    pub guardian_told: bool,
}

/// A log entry checked: blanks as none, clock times as HH:MM.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CheckedLog {
    pub meal: Option<String>,
    pub nap_from: Option<String>,
    pub nap_to: Option<String>,
    pub note: Option<String>,
    pub incident: Option<String>,
    pub action: Option<String>,
}

fn blank(s: &Option<String>) -> Option<String> {
    s.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(str::to_string)
}

impl LogInput {
    pub fn check(&self) -> Result<CheckedLog, Invalid> {
        let mut e = Invalid::default();
        if crate::campaigns::campaign::parse_date(&self.date).is_none() {
            e.push("date", "date_format");
        }
        let meal = blank(&self.meal);
        if meal.as_deref().is_some_and(|m| !MEALS.contains(&m)) {
            e.push("meal", "unknown_choice");
        }
        let clock = |e: &mut Invalid, f: &str, v: &Option<String>| match blank(v) {
            Some(t) => match super::classes::parse_clock(&t) {
                Some(t) => Some(t.format("%H:%M").to_string()),
                None => {
                    e.push(f, "clock_format");
                    None
                }
            },
            None => None,
        };
        let (nap_from, nap_to) = (clock(&mut e, "nap_from", &self.nap_from), clock(&mut e, "nap_to", &self.nap_to));
        if let (Some(f), Some(t)) = (&nap_from, &nap_to) {
            if t <= f {
                e.push("nap_to", "clock_order");
            }
        }
        for (f, v) in [("note", &self.note), ("incident", &self.incident), ("action", &self.action)] {
            e.optional_text(f, v.as_deref(), LOG_TEXT_MAX);
        }
        let c =
            CheckedLog { meal, nap_from, nap_to, note: blank(&self.note), incident: blank(&self.incident), action: blank(&self.action) };
        if c == CheckedLog::default() {
            e.push("note", "required");
        }
        e.into_result()?;
        Ok(c)
    }
}

/// Names compare as people write them: spaces (full-width too) ignored.
fn same_person(a: &str, b: &str) -> bool {
    let squeeze = |s: &str| s.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_lowercase();
    !squeeze(a).is_empty() && squeeze(a) == squeeze(b)
}

/// How a check-out may go: to a person on the pick-up list, or to anyone
/// else only with the head's recorded exception.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Release {
    /// `by_name` is on the list (the name as the list spells it).
    Authorised(String),
    /// Not on the list, released on the head's exception with this reason.
    Exception(String),
    Refused,
}

/// Whether a child may go home with `by_name`: only to someone on `pickups`,
/// unless the head (`by_head`) records an exception with a reason.
pub fn release_to(pickups: &[String], by_name: &str, by_head: bool, reason: Option<&str>) -> Release {
    if let Some(p) = pickups.iter().find(|p| same_person(p, by_name)) {
        return Release::Authorised(p.clone());
    }
    match reason.map(str::trim).filter(|r| !r.is_empty()) {
        Some(r) if by_head => Release::Exception(r.to_string()),
        _ => Release::Refused,
    }
}

/// Caretakers a number of children needs at `per` children each.
pub fn caretakers_needed(children: i64, per: i64) -> i64 {
    if children <= 0 {
        0
    } else {
        (children + per.max(1) - 1) / per.max(1)
    }
}

/// Whether the children present are covered by the caretakers present.
pub fn ratio_ok(children_in: i64, caretakers_in: i64, per: i64) -> bool {
    caretakers_in >= caretakers_needed(children_in, per)
}

/// A child's state at the door from their entries of the day, oldest first:
/// in when the last entry is a check-in.
pub fn is_in<'a>(kinds: impl IntoIterator<Item = &'a str>) -> bool {
    kinds.into_iter().last() == Some("in")
}

/// Which alert a child's day raises at `now_min` (minutes after midnight),
/// given the class hours, whether the child came in and went out, and
/// whether they were reported absent (then nobody is waiting for them).
pub fn late(now_min: i64, from_min: i64, to_min: i64, came_in: bool, still_in: bool, absent: bool) -> Option<&'static str> {
    if still_in && now_min > to_min {
        Some("late_out")
    } else if !came_in && !absent && now_min > from_min + LATE_IN_MINUTES && now_min <= to_min {
        Some("late_in")
    } else {
        None
    }
}

/// The schema of an absence's reason, shared with the API's request bodies.
pub fn absence_reason_schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
    schema::optional_text(REASON_MAX).into()
}

/// An absence (请假) for a class day: the guardian's, or staff's for them.
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
pub struct AbsenceInput {
    /// The class day (YYYY-MM-DD).
    #[schema(schema_with = schema::date)]
    pub date: String,
    #[serde(default)]
    #[schema(schema_with = absence_reason_schema)]
    pub reason: Option<String>,
}

/// Why an absence for `day` cannot be reported on `today`, if it cannot:
/// a day gone by is recorded at the door, not excused afterwards.
pub fn absence_refused(today: &str, day: &str, class_meets: bool) -> Option<&'static str> {
    if !class_meets {
        Some("no_class_that_day")
    } else if day < today {
        Some("day_past")
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn an_absence_is_for_a_class_day_today_or_later() {
        assert_eq!(absence_refused("2027-01-20", "2027-01-20", true), None);
        assert_eq!(absence_refused("2027-01-20", "2027-01-25", true), None);
        assert_eq!(absence_refused("2027-01-20", "2027-01-19", true), Some("day_past"));
        assert_eq!(absence_refused("2027-01-20", "2027-01-23", false), Some("no_class_that_day"));
    }

    #[test]
    fn one_caretaker_per_ten_children_rounds_up() {
        assert_eq!(caretakers_needed(0, 10), 0);
        assert_eq!(caretakers_needed(10, 10), 1);
        assert_eq!(caretakers_needed(11, 10), 2);
        assert!(ratio_ok(20, 2, 10));
        assert!(!ratio_ok(21, 2, 10));
        assert!(ratio_ok(0, 0, 10));
    }

    #[test]
    fn a_child_goes_home_only_with_a_listed_person_or_the_heads_exception() {
        let list = vec!["王建国".to_string(), "李 秀英".to_string()];
        assert_eq!(release_to(&list, " 李秀英 ", false, None), Release::Authorised("李 秀英".into()));
        assert_eq!(release_to(&list, "张三", false, Some("父亲委托")), Release::Refused);
        assert_eq!(release_to(&list, "张三", true, None), Release::Refused);
        assert_eq!(release_to(&list, "张三", true, Some("父亲电话委托")), Release::Exception("父亲电话委托".into()));
    }

    #[test]
    fn late_alerts_wait_an_hour_after_the_start_and_until_the_end() {
        let (from, to) = (8 * 60, 17 * 60 + 30);
        assert_eq!(late(from + 30, from, to, false, false, false), None);
        assert_eq!(late(from + 61, from, to, false, false, false), Some("late_in"));
        assert_eq!(late(to + 1, from, to, true, true, false), Some("late_out"));
        assert_eq!(late(to + 1, from, to, true, false, false), None);
        // Reported absent: nobody is waiting; but once they came after all, pick-up counts again.
        assert_eq!(late(from + 61, from, to, false, false, true), None);
        assert_eq!(late(to + 1, from, to, true, true, true), Some("late_out"));
    }

    #[test]
    fn a_log_needs_something_in_it_and_naps_end_after_they_start() {
        let empty = LogInput { enrolment_id: 1, date: "2026-07-14".into(), ..Default::default() };
        assert!(empty.check().is_err());
        let nap = LogInput { nap_from: Some("13:00".into()), nap_to: Some("12:00".into()), ..empty.clone() };
        assert_eq!(nap.check().unwrap_err().0[0].code, "clock_order");
        let meal = LogInput { meal: Some("some".into()), ..empty };
        assert_eq!(meal.check().unwrap().meal.as_deref(), Some("some"));
    }

    proptest! {
        /// No check-out ever goes to a person not on the list without a recorded exception.
        #[test]
        fn no_release_to_an_unlisted_person_without_an_exception(
            list in proptest::collection::vec("[a-d]{1,3}", 0..4), by in "[a-d]{1,3}", head: bool, reason in proptest::option::of("[ a-z]{0,5}")
        ) {
            match release_to(&list, &by, head, reason.as_deref()) {
                Release::Authorised(p) => prop_assert!(list.contains(&p) && same_person(&p, &by)),
                Release::Exception(r) => prop_assert!(head && !r.trim().is_empty() && !list.iter().any(|p| same_person(p, &by))),
                Release::Refused => prop_assert!(!list.iter().any(|p| same_person(p, &by))),
            }
        }

        #[test]
        fn the_ratio_holds_exactly_when_enough_caretakers_are_in(c in 0i64..500, k in 0i64..60, per in 1i64..30) {
            prop_assert_eq!(ratio_ok(c, k, per), k * per >= c);
        }
    }
}
