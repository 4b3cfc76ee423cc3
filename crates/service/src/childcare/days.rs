//! A class day: the door (check-in and check-out, only to an authorised
//! person), the day log, the day sheet with its live ratio, and the late
//! alerts raised once.

use serde::Serialize;
use tongxing_domain::activities::parse_time;
use tongxing_domain::campaigns::campaign::parse_date;
use tongxing_domain::childcare::classes::{minutes_of, Class};
use tongxing_domain::childcare::day::{self as rules, AttendanceInput, LogInput, Release};
use tongxing_domain::childcare::enrolment::{age_on, EnrolmentStatus};
use tongxing_domain::time::{region_date, rfc3339};
use tongxing_domain::Invalid;
use tongxing_store::childcare::classes as class_store;
use tongxing_store::childcare::days::{self as store, Alert, AttendanceRow, Entry, LogRow};
use tongxing_store::childcare::enrolments::{self as enrolments, Enrolment};
use tongxing_store::now_ms;
use utoipa::ToSchema;

use super::classes::meets_on;
use super::Reach;
use crate::{Actor, Error, Result, Service};

/// A recorded check-in or check-out.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Recorded {
    pub id: i64,
    pub kind: String,
    /// False when the child was already checked in (or out): nothing new was written.
    pub new: bool,
}

/// One child's line on the day sheet.
#[derive(Debug, Clone, Default, Serialize, ToSchema)]
pub struct ChildDay {
    pub enrolment_id: i64,
    pub child_name: String,
    pub age: i64,
    pub allergies: Option<String>,
    /// Who may take the child home: "name (relation)".
    pub pickups: Vec<String>,
    pub present: bool,
    /// Reported absent for the day (请假) by the guardian or for them.
    pub absent: bool,
    pub absence_reason: Option<String>,
    pub in_at: Option<String>,
    pub in_by: Option<String>,
    pub out_at: Option<String>,
    pub out_by: Option<String>,
    /// Set when the head released the child to someone not on the list.
    pub exception: Option<String>,
    pub meal: Option<String>,
    pub nap_from: Option<String>,
    pub nap_to: Option<String>,
    pub notes: Vec<String>,
    pub incidents: Vec<String>,
}

/// A caretaker of the day's shift.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Caretaker {
    pub name: String,
    pub present: bool,
}

/// A class day as its head, caretakers and the center see it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DaySheet {
    pub class_id: i64,
    pub class_name: String,
    pub date: String,
    pub daily_from: String,
    pub daily_to: String,
    /// Whether the class meets that day (a weekend or a day outside the term shows the roster only).
    pub meets: bool,
    pub children: Vec<ChildDay>,
    pub children_in: i64,
    pub caretakers_in: i64,
    pub caretakers: Vec<Caretaker>,
    /// Caretakers the children in need now.
    pub caretakers_needed: i64,
    pub ratio_ok: bool,
    /// The next class day's rota: signed-up caretakers, and how many the enrolled children need.
    pub next_day: Option<String>,
    pub next_day_rostered: i64,
    pub next_day_needed: i64,
    pub next_day_short: bool,
}

/// Folds a day's attendance and log entries (oldest first) into a child's line.
pub(crate) fn fold_day(line: &mut ChildDay, attendance: &[&AttendanceRow], logs: &[&LogRow]) {
    for a in attendance {
        if a.kind == "in" {
            (line.in_at, line.in_by) = (Some(rfc3339(a.at)), Some(a.by_name.clone()));
        } else {
            (line.out_at, line.out_by) = (Some(rfc3339(a.at)), Some(a.by_name.clone()));
            if a.exception_reason.is_some() {
                line.exception = a.exception_reason.clone();
            }
        }
    }
    line.present = rules::is_in(attendance.iter().map(|a| a.kind.as_str()));
    for l in logs {
        // A later entry corrects an earlier one: the latest meal and nap stand.
        line.meal = l.meal.clone().or(line.meal.take());
        if l.nap_from.is_some() || l.nap_to.is_some() {
            (line.nap_from, line.nap_to) = (l.nap_from.clone(), l.nap_to.clone());
        }
        line.notes.extend(l.note.clone());
        if let Some(i) = &l.incident {
            line.incidents.push(match &l.action {
                Some(a) => format!("{i} → {a}"),
                None => i.clone(),
            });
        }
    }
}

fn no_class(field: &str) -> Error {
    Error::Validation(Invalid::one(field, "no_class_that_day"))
}

impl Service {
    /// The enrolled child of `class` named by `enrolment_id`, or a 422 / 409.
    async fn enrolled_child(&self, class: &Class, enrolment_id: i64) -> Result<Enrolment> {
        let e = enrolments::get(&self.db, enrolment_id).await.ok().filter(|e| e.class_id == class.id);
        let e = e.ok_or_else(|| Error::unknown_reference("enrolment_id"))?;
        if e.status() != EnrolmentStatus::Enrolled {
            return Err(Error::Conflict { code: "not_enrolled", field: Some("enrolment_id") });
        }
        Ok(e)
    }

    /// Checks a child in or out at the door. Out only to a person on the
    /// child's list, unless the head (or the center) records an exception
    /// with a reason; a refusal tells the head. A repeat is no second entry.
    pub async fn record_attendance(&self, actor: &Actor, class_id: i64, input: &AttendanceInput) -> Result<Recorded> {
        let mut e = Invalid::default();
        if !matches!(input.kind.as_str(), "in" | "out") {
            e.push("kind", "unknown_choice");
        }
        e.text("by_name", &input.by_name, tongxing_domain::registry::NAME_MAX);
        e.optional_text("exception_reason", input.exception_reason.as_deref(), rules::REASON_MAX);
        let at = match input.at.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            Some(t) => parse_time(t).unwrap_or_else(|| {
                e.push("at", "time_format");
                0
            }),
            None => now_ms(),
        };
        e.into_result()?;
        let class = class_store::get(&self.db, class_id).await?;
        let day = region_date(at).to_string();
        if !meets_on(&class, &day) {
            return Err(no_class("at"));
        }
        let reach = self.childcare_reach(actor, class_id, &day).await?;
        let child = self.enrolled_child(&class, input.enrolment_id).await?;
        let last = store::last_entry(&self.db, child.id, &day).await?;
        let mut exception = None;
        if input.kind == "out" && last.as_ref().map(|l| l.0.as_str()) != Some("out") {
            if last.is_none() {
                return Err(Error::Conflict { code: "not_checked_in", field: Some("enrolment_id") });
            }
            let names: Vec<String> = enrolments::pickups(&self.db, child.id).await?.into_iter().map(|p| p.name).collect();
            let may_except = matches!(reach, Reach::Head | Reach::Center);
            match rules::release_to(&names, &input.by_name, may_except, input.exception_reason.as_deref()) {
                Release::Authorised(_) => {}
                Release::Exception(r) => exception = Some(r),
                Release::Refused => {
                    // The head at the door sees the refusal; anyone else's is hers to know.
                    if reach != Reach::Head {
                        store::notify_head(&self.db, class_id, "childcare_refused_pickup", &class.name).await?;
                    }
                    return Err(Error::Refused { code: "not_authorised_pickup", field: Some("by_name") });
                }
            }
        }
        let entry = Entry {
            enrolment_id: child.id,
            class_id,
            day,
            kind: if input.kind == "in" { "in" } else { "out" },
            at,
            by_name: input.by_name.trim().to_string(),
            exception_reason: exception,
            recorded_by: Some(actor.id),
        };
        // Grouped with the other check-ins arriving meanwhile: one commit for many (the morning rush).
        let (id, new) = self.caches.childcare_door.run(&self.db, entry).await?;
        Ok(Recorded { id, kind: input.kind.clone(), new })
    }

    /// Appends an entry to a child's day log (meal, nap, notes, an incident).
    pub async fn log_child_day(&self, actor: &Actor, class_id: i64, input: &LogInput) -> Result<i64> {
        let checked = input.check()?;
        let class = class_store::get(&self.db, class_id).await?;
        let day = input.date.trim();
        if !meets_on(&class, day) {
            return Err(no_class("date"));
        }
        self.childcare_reach(actor, class_id, day).await?;
        let child = self.enrolled_child(&class, input.enrolment_id).await?;
        Ok(store::log(&self.db, child.id, class_id, day, &checked, input.guardian_told, Some(actor.id)).await?)
    }

    /// The day sheet: every enrolled child's day, the caretakers, the live
    /// ratio and the next day's rota. Audited: it is children's data.
    pub async fn childcare_day(&self, actor: &Actor, class_id: i64, date: &str) -> Result<DaySheet> {
        let day = parse_date(date).ok_or_else(|| Error::Validation(Invalid::one("date", "date_format")))?.to_string();
        let class = class_store::get(&self.db, class_id).await?;
        self.childcare_reach(actor, class_id, &day).await?;
        self.audit(Some(actor), "read_children", "childcare_class", Some(class_id), Some(&day)).await?;
        let sheet = self.day_sheet(&class, &day).await?;
        Ok(sheet)
    }

    pub(crate) async fn day_sheet(&self, class: &Class, day: &str) -> Result<DaySheet> {
        let (roll, pickups) = (enrolments::roll(&self.db, class.id).await?, enrolments::class_pickups(&self.db, class.id).await?);
        let (attendance, logs) =
            (store::attendance(&self.db, class.id, day, None).await?, store::logs(&self.db, class.id, day, None).await?);
        let absences = tongxing_store::childcare::absences::of_day(&self.db, class.id, day).await?;
        let on = parse_date(day).unwrap_or_default();
        let children: Vec<ChildDay> = roll
            .iter()
            .filter(|e| e.status() == EnrolmentStatus::Enrolled)
            .map(|e| {
                let mut line = ChildDay {
                    enrolment_id: e.id,
                    child_name: e.child_name.clone(),
                    age: parse_date(&e.birth_date).map(|b| age_on(b, on)).unwrap_or(0),
                    allergies: e.allergies.clone(),
                    pickups: pickups.iter().filter(|p| p.0 == e.id).map(|p| format!("{}（{}）", p.1, p.2)).collect(),
                    ..Default::default()
                };
                let a: Vec<&AttendanceRow> = attendance.iter().filter(|a| a.enrolment_id == e.id).collect();
                let l: Vec<&LogRow> = logs.iter().filter(|l| l.enrolment_id == e.id).collect();
                fold_day(&mut line, &a, &l);
                if let Some(b) = absences.iter().find(|b| b.enrolment_id == e.id) {
                    (line.absent, line.absence_reason) = (true, b.reason.clone());
                }
                line
            })
            .collect();
        let caretakers: Vec<Caretaker> =
            store::caretakers(&self.db, class.id, day).await?.into_iter().map(|(_, name, present)| Caretaker { name, present }).collect();
        let children_in = children.iter().filter(|c| c.present).count() as i64;
        let caretakers_in = caretakers.iter().filter(|c| c.present).count() as i64;
        let next = class_store::shifts(&self.db, class.id, day).await?.into_iter().find(|s| s.0.as_str() > day);
        let next_day_needed = rules::caretakers_needed(class.enrolled, class.children_per_caretaker);
        let next_day_rostered = next.as_ref().map_or(0, |s| s.3);
        Ok(DaySheet {
            class_id: class.id,
            class_name: class.name.clone(),
            date: day.to_string(),
            daily_from: class.daily_from.clone(),
            daily_to: class.daily_to.clone(),
            meets: meets_on(class, day),
            children_in,
            caretakers_in,
            caretakers,
            caretakers_needed: rules::caretakers_needed(children_in, class.children_per_caretaker),
            ratio_ok: rules::ratio_ok(children_in, caretakers_in, class.children_per_caretaker),
            next_day_short: next.is_some() && next_day_rostered < next_day_needed,
            next_day: next.map(|s| s.0),
            next_day_rostered,
            next_day_needed,
            children,
        })
    }

    /// Raises the late drop-off and late pick-up alerts due at `now` (by SMS
    /// to the guardian, and one notification to the head per class and
    /// kind), each once per child and day however many instances run this;
    /// a child reported absent is not waited for. Returns how many were raised.
    pub async fn raise_childcare_alerts(&self, now: i64) -> Result<usize> {
        let day = region_date(now).to_string();
        let now_min = (now.rem_euclid(86_400_000) / 60_000 + 8 * 60) % (24 * 60);
        let mut raised = 0;
        for c in store::open_children(&self.db, &day).await? {
            if parse_date(&day).is_some_and(|d| chrono::Datelike::weekday(&d).number_from_monday() > 5) {
                break;
            }
            let came_in = c.last.is_some();
            let still_in = c.last.as_deref() == Some("in");
            let Some(kind) = rules::late(now_min, minutes_of(&c.daily_from), minutes_of(&c.daily_to), came_in, still_in, c.absent) else {
                continue;
            };
            let key = if kind == "late_in" { "sms.childcare_late_in" } else { "sms.childcare_late_out" };
            let sms = self.sms_to(&c.guardian_phone, key, &[&c.class_name]);
            let alert = Alert { enrolment_id: c.enrolment_id, class_id: c.class_id, day: &day, kind, detail: &c.class_name };
            if store::alert_once(&self.db, &alert, sms).await? {
                raised += 1;
            }
        }
        Ok(raised)
    }
}
