//! Skills lists as spreadsheet rows.

use tongxing_domain::skills::competitions::{Competition, Entry};
use tongxing_domain::skills::views::{Certification, Eligible, Mentorship, Problem, Training};
use tongxing_domain::time::rfc3339;

use crate::export::ExportRow;
use crate::i18n::Tr;

fn level(tr: &Tr, code: &str) -> String {
    tr.t(&format!("skills.level.{code}"))
}

impl ExportRow for Eligible {
    const HEADINGS: &'static [&'static str] = &[
        "field.person_name",
        "field.unit",
        "skills.trade",
        "skills.level",
        "skills.next_level",
        "skills.certified_on",
        "skills.years_met_on",
        "skills.hours",
        "skills.assessed",
        "field.status",
    ];
    fn cells(&self, tr: &Tr) -> Vec<String> {
        vec![
            self.name.clone(),
            self.unit_name.clone(),
            self.trade_name.clone(),
            level(tr, &self.level),
            level(tr, &self.next_level),
            self.certified_on.clone(),
            self.years_met_on.clone(),
            format!("{:.1}/{}", self.hours, self.hours_required),
            tr.t(if self.assessed { "yes" } else { "no" }),
            tr.t(&format!("skills.eligible.{}", self.status)),
        ]
    }
}

impl ExportRow for Certification {
    const HEADINGS: &'static [&'static str] =
        &["field.person_name", "skills.trade", "skills.level", "skills.certified_on", "skills.certificate_no", "skills.issuer"];
    fn cells(&self, tr: &Tr) -> Vec<String> {
        vec![
            self.person_name.clone(),
            self.trade_name.clone(),
            level(tr, &self.level),
            self.certified_on.clone(),
            self.certificate_no.clone(),
            self.issuer.clone(),
        ]
    }
}

impl ExportRow for Training {
    const HEADINGS: &'static [&'static str] = &[
        "field.id",
        "skills.class",
        "skills.trade",
        "field.unit",
        "skills.starts_on",
        "skills.ends_on",
        "skills.enrolled",
        "skills.passed",
    ];
    fn cells(&self, _: &Tr) -> Vec<String> {
        vec![
            self.id.to_string(),
            self.title.clone(),
            self.trade_name.clone(),
            self.unit_name.clone().unwrap_or_default(),
            self.starts_on.clone(),
            self.ends_on.clone(),
            self.enrolled.to_string(),
            self.passed.to_string(),
        ]
    }
}

impl ExportRow for Mentorship {
    const HEADINGS: &'static [&'static str] = &[
        "skills.mentor",
        "skills.apprentice",
        "skills.trade",
        "skills.from_level",
        "skills.target_level",
        "skills.starts_on",
        "skills.ends_on",
    ];
    fn cells(&self, tr: &Tr) -> Vec<String> {
        vec![
            self.mentor_name.clone(),
            self.apprentice_name.clone(),
            self.trade_name.clone(),
            level(tr, &self.from_level),
            level(tr, &self.target_level),
            self.starts_on.clone(),
            self.ends_on.clone(),
        ]
    }
}

impl ExportRow for Problem {
    const HEADINGS: &'static [&'static str] = &[
        "field.id",
        "skills.problem",
        "field.unit",
        "skills.trade",
        "skills.proposer",
        "skills.proposed_at",
        "field.status",
        "skills.team",
    ];
    fn cells(&self, tr: &Tr) -> Vec<String> {
        vec![
            self.id.to_string(),
            self.title.clone(),
            self.unit_name.clone(),
            self.trade_name.clone().unwrap_or_default(),
            self.proposer_name.clone(),
            rfc3339(self.proposed_at),
            tr.t(&format!("skills.status.{}", self.status)),
            self.team_name.clone().unwrap_or_default(),
        ]
    }
}

impl ExportRow for Competition {
    const HEADINGS: &'static [&'static str] = &[
        "field.id",
        "skills.competition",
        "skills.competition_level",
        "skills.trade",
        "skills.held_on",
        "skills.entrants",
        "skills.awarded",
    ];
    fn cells(&self, tr: &Tr) -> Vec<String> {
        vec![
            self.id.to_string(),
            self.title.clone(),
            tr.t(&format!("skills.contest.{}", self.level)),
            self.trade_name.clone(),
            self.held_on.clone(),
            self.entrants.to_string(),
            self.awarded.to_string(),
        ]
    }
}

impl ExportRow for Entry {
    const HEADINGS: &'static [&'static str] =
        &["field.person_name", "skills.coach", "skills.competition", "skills.held_on", "skills.rank", "skills.award"];
    fn cells(&self, tr: &Tr) -> Vec<String> {
        vec![
            self.person_name.clone(),
            self.coach_name.clone().unwrap_or_default(),
            self.title.clone(),
            self.held_on.clone(),
            self.rank.map(|r| r.to_string()).unwrap_or_default(),
            award(tr, self),
        ]
    }
}

/// An entry's award as read: the special prize by its name.
pub(crate) fn award(tr: &Tr, e: &Entry) -> String {
    match (e.award.as_deref(), &e.prize) {
        (Some("special"), Some(p)) => p.clone(),
        (Some(a), _) => tr.t(&format!("skills.award.{a}")),
        (None, _) => String::new(),
    }
}
