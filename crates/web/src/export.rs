//! Lists as .xlsx: the headings and cells of each kind of row, in the
//! visitor's language.

use axum::http::header;
use axum::response::{IntoResponse, Response};
use tongxing_domain::activities::Activity;
use tongxing_domain::campaigns::projects::Project;
use tongxing_domain::joining::Application;
use tongxing_domain::model::{Beneficiary, Community, District, Team, Unit, VolunteerView};
use tongxing_domain::needs::Need;

use crate::i18n::Tr;

/// A row that can be written to a spreadsheet.
pub trait ExportRow {
    /// i18n keys of the column headings.
    const HEADINGS: &'static [&'static str];
    fn cells(&self, tr: &Tr) -> Vec<String>;
}

fn yes_no(tr: &Tr, b: bool) -> String {
    tr.t(if b { "yes" } else { "no" })
}

impl ExportRow for District {
    const HEADINGS: &'static [&'static str] = &["field.id", "field.name", "stat.communities", "stat.teams"];
    fn cells(&self, _: &Tr) -> Vec<String> {
        vec![self.id.to_string(), self.name.clone(), self.community_count.to_string(), self.team_count.to_string()]
    }
}

impl ExportRow for Community {
    const HEADINGS: &'static [&'static str] = &["field.id", "field.name", "field.district_id", "field.lat", "field.lng"];
    fn cells(&self, _: &Tr) -> Vec<String> {
        vec![self.id.to_string(), self.name.clone(), self.district_name.clone(), self.lat.to_string(), self.lng.to_string()]
    }
}

impl ExportRow for Unit {
    const HEADINGS: &'static [&'static str] = &["field.id", "field.name", "field.kind", "stat.volunteers"];
    fn cells(&self, tr: &Tr) -> Vec<String> {
        vec![self.id.to_string(), self.name.clone(), tr.t(&format!("unit_kind.{}", self.kind)), self.volunteer_count.to_string()]
    }
}

impl ExportRow for Project {
    const HEADINGS: &'static [&'static str] = &[
        "field.id",
        "field.project_name",
        "field.category",
        "field.theme",
        "field.default_minutes",
        "field.default_capacity",
        "field.default_roles",
        "field.risky",
        "field.adults_only",
        "field.what_to_bring",
        "field.owner",
        "stat.activities",
        "field.status",
    ];
    fn cells(&self, tr: &Tr) -> Vec<String> {
        let opt = |n: Option<i64>| n.map(|n| n.to_string()).unwrap_or_default();
        vec![
            self.id.to_string(),
            self.name.clone(),
            tr.t(&format!("category.{}", self.category)),
            self.theme.as_ref().map(|t| tr.t(&format!("theme.{t}"))).unwrap_or_default(),
            opt(self.default_minutes),
            opt(self.default_capacity),
            self.default_roles.iter().map(|r| format!("{}×{}", r.name, r.capacity)).collect::<Vec<_>>().join("、"),
            yes_no(tr, self.risky),
            yes_no(tr, self.adults_only),
            self.what_to_bring.clone().unwrap_or_default(),
            self.team_name.clone().or_else(|| self.unit_name.clone()).unwrap_or_default(),
            self.activities.to_string(),
            tr.t(if self.active { "project.active" } else { "project.retired" }),
        ]
    }
}

impl ExportRow for Team {
    const HEADINGS: &'static [&'static str] =
        &["field.id", "field.name", "field.district_id", "field.category", "field.unit", "field.leader", "field.members"];
    fn cells(&self, tr: &Tr) -> Vec<String> {
        vec![
            self.id.to_string(),
            self.name.clone(),
            self.district_name.clone(),
            tr.t(&format!("category.{}", self.category)),
            self.unit_name.clone().unwrap_or_default(),
            self.leader_name.clone().unwrap_or_default(),
            self.member_count.to_string(),
        ]
    }
}

impl ExportRow for VolunteerView {
    const HEADINGS: &'static [&'static str] = &[
        "field.id",
        "field.person_name",
        "field.phone",
        "field.unit",
        "field.community",
        "field.teams",
        "field.skill",
        "field.party_member",
        "field.vest_number",
    ];
    fn cells(&self, tr: &Tr) -> Vec<String> {
        vec![
            self.id.to_string(),
            self.name.clone(),
            self.phone.clone(),
            self.unit_name.clone(),
            self.community_name.clone(),
            self.teams.iter().map(|t| t.name.as_str()).collect::<Vec<_>>().join("、"),
            self.skills.join("、"),
            yes_no(tr, self.party_member),
            self.vest_number.clone().unwrap_or_default(),
        ]
    }
}

impl ExportRow for Application {
    const HEADINGS: &'static [&'static str] = &[
        "field.id",
        "field.person_name",
        "field.phone",
        "field.id_number",
        "field.unit",
        "field.community",
        "field.teams",
        "field.skill",
        "field.party_member",
        "join.applied_at",
        "field.status",
        "field.reason",
    ];
    fn cells(&self, tr: &Tr) -> Vec<String> {
        vec![
            self.id.to_string(),
            self.name.clone(),
            self.phone.clone(),
            self.id_number.clone(),
            self.unit_name.clone(),
            self.community_name.clone(),
            self.teams.iter().map(|t| t.name.as_str()).collect::<Vec<_>>().join("、"),
            self.skills.join("、"),
            yes_no(tr, self.party_member),
            crate::ui::short_time(self.created_at),
            tr.t(&format!("join.status.{}", self.status.as_str())),
            self.reason.clone().unwrap_or_default(),
        ]
    }
}

impl ExportRow for Beneficiary {
    const HEADINGS: &'static [&'static str] =
        &["field.id", "field.person_name", "field.kind", "field.community", "field.phone", "field.address"];
    fn cells(&self, tr: &Tr) -> Vec<String> {
        vec![
            self.id.to_string(),
            self.name.clone(),
            tr.t(&format!("beneficiary_kind.{}", self.kind)),
            self.community_name.clone(),
            self.phone.clone().unwrap_or_default(),
            self.address.clone().unwrap_or_default(),
        ]
    }
}

impl ExportRow for Need {
    const HEADINGS: &'static [&'static str] = &[
        "field.tracking_code",
        "field.title",
        "field.category",
        "field.community",
        "field.status",
        "field.warning_level",
        "field.teams",
        "field.since",
        "field.channel",
        "field.stars",
    ];
    fn cells(&self, tr: &Tr) -> Vec<String> {
        vec![
            self.tracking_code.clone(),
            self.title.clone(),
            tr.t(&format!("category.{}", self.category)),
            format!("{}（{}）", self.community_name, self.district_name),
            tr.t(&format!("need_status.{}", self.status.as_str())),
            tr.t(&format!("level.{}", self.warning_level.as_str())),
            self.team_name.clone().unwrap_or_default(),
            tongxing_domain::time::rfc3339(self.status_since),
            tr.t(&format!("channel.{}", self.channel)),
            self.rating_stars.map(|s| s.to_string()).unwrap_or_default(),
        ]
    }
}

/// An .xlsx download of `rows`, named after the list. `sheet` is `'static`
/// so the file name in Content-Disposition is always one of ours, never
/// request text that could make the header invalid.
pub fn xlsx_response<T: ExportRow>(tr: &Tr, sheet: &'static str, rows: &[T]) -> Result<Response, tongxing_service::Error> {
    let headings: Vec<String> = T::HEADINGS.iter().map(|k| tr.t(k)).collect();
    let cells: Vec<Vec<String>> = rows.iter().map(|r| r.cells(tr)).collect();
    let bytes = tongxing_service::export::xlsx(sheet, &headings, &cells)?;
    Ok(xlsx_download(sheet, bytes))
}

/// A workbook as a download named `name.xlsx`.
pub fn xlsx_download(name: &'static str, bytes: Vec<u8>) -> Response {
    let disposition = format!("attachment; filename=\"{name}.xlsx\"");
    (
        [
            (header::CONTENT_TYPE, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".to_string()),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        bytes,
    )
        .into_response()
}

impl ExportRow for Activity {
    const HEADINGS: &'static [&'static str] = &[
        "field.activity_title",
        "field.teams",
        "field.community",
        "field.place",
        "field.starts_at",
        "field.ends_at",
        "field.capacity",
        "field.confirmed",
        "field.waitlisted",
    ];
    fn cells(&self, _tr: &Tr) -> Vec<String> {
        vec![
            self.title.clone(),
            self.team_name.clone(),
            self.community_name.clone(),
            self.address.clone().unwrap_or_default(),
            tongxing_domain::time::rfc3339(self.starts_at),
            tongxing_domain::time::rfc3339(self.ends_at),
            self.capacity.to_string(),
            self.confirmed.to_string(),
            self.waitlisted.to_string(),
        ]
    }
}

impl ExportRow for tongxing_service::dispatch::RosterLine {
    const HEADINGS: &'static [&'static str] = &["field.name", "field.unit", "field.phone", "field.skills", "field.status"];
    fn cells(&self, tr: &Tr) -> Vec<String> {
        vec![
            self.name.clone(),
            self.unit_name.clone(),
            self.phone.clone(),
            self.skills.join("、"),
            tr.t(&format!("response_status.{}", self.status)),
        ]
    }
}
