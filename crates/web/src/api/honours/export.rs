//! The honours lists as .xlsx rows.

use tongxing_domain::honours::panel::{PanelMember, Vote};
use tongxing_domain::honours::view::{Candidate, Honour, Line, Nomination, Objection, Round, TrailEntry};

use tongxing_store::skills::taught::LessonTaught;

use crate::export::ExportRow;
use crate::i18n::Tr;
use crate::ui::short_time;

impl ExportRow for Round {
    const HEADINGS: &'static [&'static str] =
        &["field.id", "honour.title", "honour.kind", "honour.period_from", "honour.period_to", "honour.stage"];
    fn cells(&self, tr: &Tr) -> Vec<String> {
        vec![
            self.id.to_string(),
            self.title.clone(),
            tr.t(&format!("honour.kind.{}", self.kind)),
            self.period_from.clone(),
            self.period_to.clone(),
            tr.t(&format!("honour.stage.{}", self.stage.as_str())),
        ]
    }
}

impl ExportRow for Candidate {
    const HEADINGS: &'static [&'static str] =
        &["field.name", "honour.group", "honour.eligible", "honour.reason", "honour.score", "honour.hours"];
    fn cells(&self, tr: &Tr) -> Vec<String> {
        vec![
            self.name.clone(),
            self.group_name.clone(),
            tr.t(if self.eligible { "yes" } else { "no" }),
            self.reason.as_deref().map(|r| tr.t(&format!("honour.rule.{r}"))).unwrap_or_default(),
            self.score.to_string(),
            self.hours.to_string(),
        ]
    }
}

impl ExportRow for Nomination {
    const HEADINGS: &'static [&'static str] =
        &["field.name", "honour.group", "honour.citation", "honour.score", "honour.status", "honour.note"];
    fn cells(&self, tr: &Tr) -> Vec<String> {
        vec![
            self.name.clone(),
            self.group_name.clone(),
            self.citation.clone(),
            self.score.to_string(),
            tr.t(&format!("honour.status.{}", self.status)),
            self.decision_note.clone().unwrap_or_default(),
        ]
    }
}

impl ExportRow for Objection {
    const HEADINGS: &'static [&'static str] = &["honour.nominee", "honour.reason", "honour.objector", "honour.status", "honour.finding"];
    fn cells(&self, tr: &Tr) -> Vec<String> {
        vec![
            self.nominee.clone(),
            self.reason.clone(),
            self.name.clone().unwrap_or_default(),
            tr.t(&format!("honour.status.{}", self.status)),
            self.finding.clone().unwrap_or_default(),
        ]
    }
}

impl ExportRow for Honour {
    const HEADINGS: &'static [&'static str] =
        &["honour.year", "honour.title", "field.name", "honour.group", "honour.citation", "honour.code"];
    fn cells(&self, _: &Tr) -> Vec<String> {
        vec![
            self.year.to_string(),
            self.round_title.clone(),
            self.name.clone(),
            self.group_name.clone(),
            self.citation.clone(),
            self.code.clone(),
        ]
    }
}

impl ExportRow for TrailEntry {
    const HEADINGS: &'static [&'static str] = &["honour.at", "honour.who", "honour.action", "honour.subject", "honour.detail"];
    fn cells(&self, tr: &Tr) -> Vec<String> {
        vec![
            short_time(self.at),
            self.who.clone().unwrap_or_else(|| tr.t("honour.public")),
            tr.t(&format!("honour.action.{}", self.action)),
            format!(
                "{} {}",
                tr.t(&format!("honour.subject.{}", self.subject_kind)),
                self.subject_id.map(|i| i.to_string()).unwrap_or_default()
            ),
            self.detail.clone().unwrap_or_default(),
        ]
    }
}

impl ExportRow for LessonTaught {
    const HEADINGS: &'static [&'static str] = &["honour.lesson_day", "honour.training", "honour.topic", "honour.hours"];
    fn cells(&self, _: &Tr) -> Vec<String> {
        vec![self.held_on.clone(), self.training.clone(), self.topic.clone(), self.hours.to_string()]
    }
}

impl ExportRow for Line {
    const HEADINGS: &'static [&'static str] = &["honour.lesson_day", "field.name", "honour.line_what", "honour.line_value"];
    fn cells(&self, _: &Tr) -> Vec<String> {
        vec![self.day.clone(), self.volunteer.clone(), self.what.clone().unwrap_or_default(), self.value.to_string()]
    }
}

impl ExportRow for PanelMember {
    const HEADINGS: &'static [&'static str] = &["field.name"];
    fn cells(&self, _: &Tr) -> Vec<String> {
        vec![self.name.clone()]
    }
}

impl ExportRow for Vote {
    const HEADINGS: &'static [&'static str] = &["honour.nominee", "honour.member", "honour.vote", "honour.note", "honour.at"];
    fn cells(&self, tr: &Tr) -> Vec<String> {
        vec![
            self.nominee.clone(),
            self.member.clone(),
            tr.t(&format!("honour.vote.{}", self.decision)),
            self.note.clone().unwrap_or_default(),
            short_time(self.at),
        ]
    }
}
