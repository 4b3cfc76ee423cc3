//! A guardian's enrolment of a child: what is asked, the checks, and the
//! priority order of the waitlist (member-unit employees first; shift
//! workers and families with both parents on shift as the region configures).

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::campaigns::campaign::parse_date;
use crate::registry::{NAME_MAX, TEXT_MAX};
use crate::{phone, schema, Invalid};

pub const PICKUPS_MAX: usize = 6;
pub const RELATION_MAX: usize = 20;
pub const NOTE_MAX: usize = 500;

crate::field_schemas! {
    name_schema = schema::text(NAME_MAX);
    relation_schema = schema::text(RELATION_MAX);
    note_schema = schema::optional_text(NOTE_MAX);
    pickups_schema = utoipa::openapi::schema::ArrayBuilder::new()
        .items(utoipa::openapi::Ref::from_schema_name("PickupInput")).min_items(Some(1)).max_items(Some(PICKUPS_MAX));
}

/// A person the guardian allows to take the child home.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize, ToSchema)]
pub struct PickupInput {
    #[schema(schema_with = name_schema)]
    pub name: String,
    /// 父亲, 母亲, 爷爷 …
    #[schema(schema_with = relation_schema)]
    pub relation: String,
    #[schema(schema_with = schema::phone)]
    pub phone: String,
}

/// What a guardian fills in on the public form (or a liaison's sheet line).
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
pub struct EnrolmentInput {
    #[schema(schema_with = name_schema)]
    pub child_name: String,
    /// YYYY-MM-DD.
    #[schema(schema_with = schema::date)]
    pub birth_date: String,
    #[schema(schema_with = name_schema)]
    pub guardian_name: String,
    #[schema(schema_with = schema::phone)]
    pub guardian_phone: String,
    /// The guardian's member unit: its employees come first.
    #[serde(default)]
    #[schema(schema_with = schema::optional_id)]
    pub guardian_unit_id: Option<i64>,
    /// The guardian works shifts (倒班).
    #[serde(default)]
    pub shift_worker: bool,
    /// Both parents work shifts.
    #[serde(default)]
    pub both_parents_on_shift: bool,
    #[serde(default)]
    #[schema(schema_with = schema::optional_phone)]
    pub emergency_phone: Option<String>,
    #[schema(schema_with = pickups_schema)]
    pub pickups: Vec<PickupInput>,
    #[serde(default)]
    #[schema(schema_with = note_schema)]
    pub allergies: Option<String>,
    #[serde(default)]
    #[schema(schema_with = note_schema)]
    pub notes: Option<String>,
    /// The guardian accepts the class rules; without it nothing is stored.
    #[serde(default = "yes")]
    pub consent: bool,
}

fn yes() -> bool {
    true
}

/// An enrolment checked against its class: texts trimmed, phones normalized.
#[derive(Debug, Clone, PartialEq)]
pub struct CheckedEnrolment {
    pub child_name: String,
    pub birth_date: String,
    pub guardian_name: String,
    pub guardian_phone: String,
    pub emergency_phone: Option<String>,
    pub pickups: Vec<PickupInput>,
    pub allergies: Option<String>,
    pub notes: Option<String>,
}

/// Whole years of a child born on `birth` at `on`.
pub fn age_on(birth: NaiveDate, on: NaiveDate) -> i64 {
    let mut years = i64::from(on.year() - birth.year());
    if (on.month(), on.day()) < (birth.month(), birth.day()) {
        years -= 1;
    }
    years
}

fn blank(s: &Option<String>) -> Option<String> {
    s.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(str::to_string)
}

impl EnrolmentInput {
    /// Checks the form for a class taking ages `ages` on `term_start`.
    pub fn check(&self, ages: (i64, i64), term_start: NaiveDate) -> Result<CheckedEnrolment, Invalid> {
        let mut e = Invalid::default();
        e.text("child_name", &self.child_name, NAME_MAX);
        match parse_date(&self.birth_date) {
            None => e.push("birth_date", "date_format"),
            Some(b) if !(ages.0..=ages.1).contains(&age_on(b, term_start)) => e.push("birth_date", "age_outside_class"),
            Some(_) => {}
        }
        e.text("guardian_name", &self.guardian_name, NAME_MAX);
        let guardian_phone = phone::normalize(&self.guardian_phone);
        if guardian_phone.is_none() {
            e.push("guardian_phone", "phone_format");
        }
        let emergency = blank(&self.emergency_phone).map(|p| phone::normalize(&p));
        if let Some(None) = emergency {
            e.push("emergency_phone", "phone_format");
        }
        if self.pickups.is_empty() || self.pickups.len() > PICKUPS_MAX {
            e.push("pickups", "out_of_range");
        }
        let mut pickups = Vec::new();
        for (k, p) in self.pickups.iter().enumerate() {
            e.text(&format!("pickups[{k}].name"), &p.name, NAME_MAX);
            e.text(&format!("pickups[{k}].relation"), &p.relation, RELATION_MAX);
            match phone::normalize(&p.phone) {
                Some(ph) => pickups.push(PickupInput { name: p.name.trim().into(), relation: p.relation.trim().into(), phone: ph }),
                None => e.push(&format!("pickups[{k}].phone"), "pickup_phone_required"),
            }
        }
        e.optional_text("allergies", self.allergies.as_deref(), NOTE_MAX);
        e.optional_text("notes", self.notes.as_deref(), NOTE_MAX.min(TEXT_MAX));
        if !self.consent {
            e.push("consent", "consent_required");
        }
        e.into_result()?;
        Ok(CheckedEnrolment {
            child_name: self.child_name.trim().into(),
            birth_date: self.birth_date.trim().into(),
            guardian_name: self.guardian_name.trim().into(),
            guardian_phone: guardian_phone.unwrap_or_default(),
            emergency_phone: emergency.flatten(),
            pickups,
            allergies: blank(&self.allergies),
            notes: blank(&self.notes),
        })
    }
}

/// The region's priority rules: points for each fact, highest total first.
/// Employees of member units come first by default, then shift workers,
/// then families with both parents on shift.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PriorityRules {
    pub member_unit: i64,
    pub shift_worker: i64,
    pub both_parents_on_shift: i64,
}

impl Default for PriorityRules {
    fn default() -> Self {
        PriorityRules { member_unit: 100, shift_worker: 10, both_parents_on_shift: 5 }
    }
}

/// What the rules look at in one enrolment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Facts {
    pub member_unit: bool,
    pub shift_worker: bool,
    pub both_parents_on_shift: bool,
}

impl PriorityRules {
    /// The enrolment's priority: the higher, the earlier it leaves the waitlist.
    pub fn score(&self, f: Facts) -> i64 {
        [(f.member_unit, self.member_unit), (f.shift_worker, self.shift_worker), (f.both_parents_on_shift, self.both_parents_on_shift)]
            .iter()
            .filter(|(on, _)| *on)
            .map(|(_, p)| p)
            .sum()
    }
}

/// One waiting enrolment: its priority and when it joined the queue.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Queued {
    pub id: i64,
    pub priority: i64,
    pub queued_at: i64,
}

/// The waitlist's order: priority first, then first come, first served.
pub fn queue_order(a: &Queued, b: &Queued) -> std::cmp::Ordering {
    b.priority.cmp(&a.priority).then(a.queued_at.cmp(&b.queued_at)).then(a.id.cmp(&b.id))
}

/// The 1-based position of `me` among `waiting` (itself included).
pub fn position(me: &Queued, waiting: &[Queued]) -> i64 {
    1 + waiting.iter().filter(|w| w.id != me.id && queue_order(w, me).is_lt()).count() as i64
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum EnrolmentStatus {
    Enrolled,
    Waitlisted,
    Cancelled,
}

impl EnrolmentStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            EnrolmentStatus::Enrolled => "enrolled",
            EnrolmentStatus::Waitlisted => "waitlisted",
            EnrolmentStatus::Cancelled => "cancelled",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        [Self::Enrolled, Self::Waitlisted, Self::Cancelled].into_iter().find(|v| v.as_str() == s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn form() -> EnrolmentInput {
        EnrolmentInput {
            child_name: "王小雨".into(),
            birth_date: "2018-03-02".into(),
            guardian_name: "王建国".into(),
            guardian_phone: "13912345678".into(),
            pickups: vec![PickupInput { name: "王建国".into(), relation: "父亲".into(), phone: "139 1234 5678".into() }],
            consent: true,
            ..Default::default()
        }
    }

    fn day(s: &str) -> NaiveDate {
        parse_date(s).unwrap()
    }

    #[test]
    fn ages_count_whole_years_at_the_terms_start() {
        assert_eq!(age_on(day("2018-07-14"), day("2026-07-13")), 7);
        assert_eq!(age_on(day("2018-07-13"), day("2026-07-13")), 8);
    }

    #[test]
    fn a_child_outside_the_class_ages_or_a_pickup_without_mobile_is_refused() {
        let ok = form().check((6, 12), day("2026-07-13")).unwrap();
        assert_eq!(ok.pickups[0].phone, "13912345678");
        let young = EnrolmentInput { birth_date: "2023-01-01".into(), ..form() };
        assert_eq!(young.check((6, 12), day("2026-07-13")).unwrap_err().0[0].code, "age_outside_class");
        let mut no_phone = form();
        no_phone.pickups[0].phone = String::new();
        let e = no_phone.check((6, 12), day("2026-07-13")).unwrap_err();
        assert_eq!((e.0[0].field.as_str(), e.0[0].code), ("pickups[0].phone", "pickup_phone_required"));
    }

    #[test]
    fn member_unit_employees_come_first_then_shift_workers_then_both_on_shift() {
        let r = PriorityRules::default();
        let member = r.score(Facts { member_unit: true, ..Default::default() });
        let shift = r.score(Facts { shift_worker: true, both_parents_on_shift: true, ..Default::default() });
        let both = r.score(Facts { both_parents_on_shift: true, ..Default::default() });
        assert!(member > shift && shift > both && both > r.score(Facts::default()));
    }

    #[test]
    fn a_region_may_put_shift_workers_first() {
        let r = PriorityRules { member_unit: 1, shift_worker: 50, both_parents_on_shift: 20 };
        assert!(r.score(Facts { shift_worker: true, ..Default::default() }) > r.score(Facts { member_unit: true, ..Default::default() }));
    }

    proptest! {
        #[test]
        fn positions_are_a_permutation_ordered_by_priority_then_arrival(ps in proptest::collection::vec((0i64..3, 0i64..50), 1..40)) {
            let q: Vec<Queued> = ps.iter().enumerate().map(|(i, (p, t))| Queued { id: i as i64, priority: *p, queued_at: *t }).collect();
            let mut pos: Vec<i64> = q.iter().map(|m| position(m, &q)).collect();
            for (a, b) in q.iter().zip(&pos).flat_map(|x| q.iter().zip(&pos).map(move |y| (x, y))) {
                if a.0.priority > b.0.priority { prop_assert!(a.1 < b.1); }
            }
            pos.sort();
            prop_assert_eq!(pos, (1..=q.len() as i64).collect::<Vec<_>>());
        }
    }
}
