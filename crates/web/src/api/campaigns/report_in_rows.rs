//! 双进双报到 lists as .xlsx: party organisations, members and report lines.

use tongxing_domain::campaigns::party_orgs::PartyOrg;
use tongxing_domain::campaigns::report_in::{Member, ReportLine};
use tongxing_domain::time::rfc3339;

use crate::export::ExportRow;
use crate::i18n::Tr;

impl ExportRow for PartyOrg {
    const HEADINGS: &'static [&'static str] = &[
        "field.id",
        "field.name",
        "field.unit",
        "field.community",
        "field.district_id",
        "field.secretary",
        "field.contact_phone",
        "report_in.reported",
    ];
    fn cells(&self, _: &Tr) -> Vec<String> {
        vec![
            self.id.to_string(),
            self.name.clone(),
            self.unit_name.clone().unwrap_or_default(),
            self.community_name.clone(),
            self.district_name.clone(),
            self.secretary.clone().unwrap_or_default(),
            self.contact_phone.clone().unwrap_or_default(),
            self.reported.to_string(),
        ]
    }
}

impl ExportRow for Member {
    const HEADINGS: &'static [&'static str] = &[
        "field.person_name",
        "field.unit",
        "report_in.home",
        "field.party_org_id",
        "report_in.reported_to",
        "report_in.reported_at",
        "report_in.hours",
    ];
    fn cells(&self, _: &Tr) -> Vec<String> {
        vec![
            self.name.clone(),
            self.unit_name.clone(),
            self.home_community_name.clone(),
            self.party_org_name.clone().unwrap_or_default(),
            self.reported_community_name.clone().unwrap_or_default(),
            self.reported_at.map(rfc3339).unwrap_or_default(),
            format!("{:.1}", self.hours),
        ]
    }
}

impl ExportRow for ReportLine {
    const HEADINGS: &'static [&'static str] = &[
        "field.district_id",
        "field.community",
        "field.party_org_id",
        "report_in.members",
        "report_in.reported",
        "report_in.active",
        "report_in.hours",
    ];
    fn cells(&self, _: &Tr) -> Vec<String> {
        vec![
            self.district_name.clone(),
            self.community_name.clone(),
            self.party_org_name.clone().unwrap_or_default(),
            self.members.to_string(),
            self.reported.to_string(),
            self.active.to_string(),
            format!("{:.1}", self.hours),
        ]
    }
}
