//! What is entered about training classes (培训班): lessons, enrolment,
//! attendance and exam scores.

use super::*;

#[derive(Debug, Clone, Deserialize, Serialize, ToSchema)]
pub struct LessonInput {
    #[schema(schema_with = schema::date)]
    pub on: String,
    #[schema(schema_with = name_schema)]
    pub topic: String,
    /// Length in hours (default 4).
    #[serde(default)]
    #[schema(schema_with = lesson_hours_schema)]
    pub hours: Option<f64>,
}

/// A training class (培训班).
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
pub struct TrainingInput {
    #[schema(schema_with = name_schema)]
    pub title: String,
    #[schema(schema_with = code_schema)]
    pub trade: String,
    /// The level the class prepares for.
    #[serde(default)]
    #[schema(schema_with = optional_level_schema)]
    pub level: Option<String>,
    /// The unit running it (default: the liaison's own).
    #[serde(default)]
    #[schema(schema_with = schema::optional_id)]
    pub unit_id: Option<i64>,
    #[schema(schema_with = schema::date)]
    pub starts_on: String,
    #[schema(schema_with = schema::date)]
    pub ends_on: String,
    #[schema(schema_with = capacity_schema)]
    pub capacity: i64,
    /// The exam's pass mark (default 60).
    #[serde(default)]
    #[schema(schema_with = pass_mark_schema)]
    pub pass_mark: Option<i64>,
    #[serde(default)]
    #[schema(schema_with = teachers_schema)]
    pub teacher_ids: Vec<i64>,
    #[serde(default)]
    #[schema(max_items = 200)]
    pub lessons: Vec<LessonInput>,
}

/// A checked class: level rank, pass mark and lessons as (day, topic, hours).
pub struct CheckedTraining {
    pub level: Option<i64>,
    pub pass_mark: i64,
    pub lessons: Vec<(String, String, f64)>,
}

impl TrainingInput {
    pub fn check(&self) -> Result<CheckedTraining, Invalid> {
        let mut e = Invalid::default();
        e.text("title", &self.title, NAME_MAX);
        e.text("trade", &self.trade, CODE_MAX);
        let lv = match self.level.as_deref().filter(|l| !l.trim().is_empty()) {
            Some(c) => level(&mut e, "level", c).map(Level::rank),
            None => None,
        };
        let (s, t) = (day(&mut e, "starts_on", &self.starts_on), day(&mut e, "ends_on", &self.ends_on));
        if let (Some(s), Some(t)) = (s, t) {
            if t < s {
                e.push("ends_on", "ends_before_start");
            }
        }
        if !(1..=CAPACITY_MAX).contains(&self.capacity) {
            e.push("capacity", "out_of_range");
        }
        let pass_mark = self.pass_mark.unwrap_or(60);
        if !(0..=100).contains(&pass_mark) {
            e.push("pass_mark", "out_of_range");
        }
        if self.teacher_ids.len() > TEACHERS_MAX || self.teacher_ids.iter().any(|t| *t < 1) {
            e.push("teacher_ids", "out_of_range");
        }
        if self.lessons.len() > LESSONS_MAX {
            e.push("lessons", "too_many");
        }
        let mut lessons = Vec::new();
        for l in &self.lessons {
            let hours = l.hours.unwrap_or(4.0);
            match (parse_date(&l.on), s, t) {
                (Some(d), Some(s), Some(t)) if d >= s && d <= t => {}
                (Some(_), Some(_), Some(_)) => e.push("lessons", "outside_dates"),
                (None, _, _) => e.push("lessons", "date_format"),
                _ => {}
            }
            if !(0.5..=12.0).contains(&hours) {
                e.push("lessons", "out_of_range");
            }
            e.text("lessons", &l.topic, NAME_MAX);
            lessons.push((l.on.trim().to_string(), l.topic.trim().to_string(), hours));
        }
        e.into_result()?;
        Ok(CheckedTraining { level: lv, pass_mark, lessons })
    }
}

#[derive(Debug, Clone, Copy, Deserialize, Serialize, ToSchema)]
pub struct EnrolmentInput {
    #[schema(schema_with = schema::id)]
    pub person_id: i64,
}

/// Who attended one lesson.
#[derive(Debug, Clone, Deserialize, Serialize, ToSchema)]
pub struct AttendanceInput {
    #[schema(schema_with = schema::id)]
    pub lesson_id: i64,
    #[schema(schema_with = people_schema)]
    pub person_ids: Vec<i64>,
}

/// An exam's score; passed when at least the class's pass mark.
#[derive(Debug, Clone, Copy, Deserialize, Serialize, ToSchema)]
pub struct ResultInput {
    #[schema(schema_with = schema::id)]
    pub person_id: i64,
    #[schema(schema_with = score_schema)]
    pub score: i64,
}

pub fn check_score(field: &str, score: i64) -> Result<(), Invalid> {
    if (0..=100).contains(&score) {
        Ok(())
    } else {
        Err(Invalid::one(field, "out_of_range"))
    }
}
