//! What a coordinator enters into the registry, and the rules each entry must
//! satisfy before it is stored. References to other rows are checked by the
//! service, which can see the database.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::{category, id_number, phone, schema, Invalid};

pub const NAME_MAX: usize = 64;
/// A skill's length, and how many a volunteer (or a call) may list.
pub const SKILL_MAX: usize = 32;
pub const SKILLS_MAX: usize = 20;

/// Every input's field rules, as one list of problems (empty when valid), so a
/// form can show them all together with its own parsing errors.
pub trait Validate {
    fn problems(&self) -> Invalid;
}

macro_rules! validate_via_check {
    ($($t:ty),*) => {$(
        impl Validate for $t {
            fn problems(&self) -> Invalid {
                self.check().err().unwrap_or_default()
            }
        }
    )*};
}

validate_via_check!(DistrictInput, CommunityInput, UnitInput, TeamInput, VolunteerInput, BeneficiaryInput);
pub const TEXT_MAX: usize = 2000;

pub const UNIT_KINDS: &[&str] = &["oilfield_unit", "street_office", "school", "other"];
pub const BENEFICIARY_KINDS: &[&str] = &["elderly_alone", "disabled", "hardship_family", "child", "other"];
/// A beneficiary's address.
pub const ADDRESS_MAX: usize = 200;
/// A webhook address, in bytes.
pub const URL_MAX: usize = 500;

crate::field_schemas! {
    name_schema = schema::text(NAME_MAX);
    optional_name_schema = schema::optional_text(NAME_MAX);
    address_schema = schema::optional_text(ADDRESS_MAX);
    notes_schema = schema::optional_text(TEXT_MAX);
    unit_kind_schema = schema::one_of(UNIT_KINDS);
    beneficiary_kind_schema = schema::one_of(BENEFICIARY_KINDS);
    webhook_schema = schema::optional_url(URL_MAX);
}

#[derive(Debug, Clone, Deserialize, Serialize, ToSchema)]
pub struct DistrictInput {
    #[schema(schema_with = name_schema)]
    pub name: String,
}

impl DistrictInput {
    pub fn check(&self) -> Result<(), Invalid> {
        let mut e = Invalid::default();
        e.text("name", &self.name, NAME_MAX);
        e.into_result()
    }
}

#[derive(Debug, Clone, Deserialize, Serialize, ToSchema)]
pub struct CommunityInput {
    #[schema(schema_with = name_schema)]
    pub name: String,
    #[schema(schema_with = schema::id)]
    pub district_id: i64,
    /// Latitude within mainland China.
    #[schema(minimum = 3.0, maximum = 54.0)]
    pub lat: f64,
    #[schema(minimum = 73.0, maximum = 136.0)]
    pub lng: f64,
}

impl CommunityInput {
    pub fn check(&self) -> Result<(), Invalid> {
        let mut e = Invalid::default();
        e.text("name", &self.name, NAME_MAX);
        // Mainland China's bounding box: catches swapped or zero coordinates.
        if !(3.0..=54.0).contains(&self.lat) {
            e.push("lat", "out_of_range");
        }
        if !(73.0..=136.0).contains(&self.lng) {
            e.push("lng", "out_of_range");
        }
        e.into_result()
    }
}

#[derive(Debug, Clone, Deserialize, Serialize, ToSchema)]
pub struct UnitInput {
    #[schema(schema_with = name_schema)]
    pub name: String,
    #[schema(schema_with = unit_kind_schema)]
    pub kind: String,
    /// Group-robot webhook of the unit's liaison channel (WeCom or DingTalk).
    #[serde(default)]
    #[schema(schema_with = webhook_schema)]
    pub webhook_url: Option<String>,
}

impl UnitInput {
    pub fn check(&self) -> Result<(), Invalid> {
        let mut e = Invalid::default();
        e.text("name", &self.name, NAME_MAX);
        if !UNIT_KINDS.contains(&self.kind.as_str()) {
            e.push("kind", "unknown_choice");
        }
        if let Some(url) = self.webhook_url.as_deref().filter(|u| !u.is_empty()) {
            if !(url.starts_with("https://") || url.starts_with("http://"))
                || url.len() > URL_MAX
                || crate::validation::has_control_chars(url)
            {
                e.push("webhook_url", "bad_url");
            }
        }
        e.into_result()
    }
}

#[derive(Debug, Clone, Deserialize, Serialize, ToSchema)]
pub struct TeamInput {
    #[schema(schema_with = name_schema)]
    pub name: String,
    #[schema(schema_with = schema::id)]
    pub district_id: i64,
    #[schema(schema_with = schema::category)]
    pub category: String,
    #[serde(default)]
    #[schema(schema_with = schema::optional_id)]
    pub unit_id: Option<i64>,
    #[serde(default)]
    #[schema(schema_with = schema::optional_id)]
    pub leader_volunteer_id: Option<i64>,
}

impl TeamInput {
    pub fn check(&self) -> Result<(), Invalid> {
        let mut e = Invalid::default();
        e.text("name", &self.name, NAME_MAX);
        if !category::is_known(&self.category) {
            e.push("category", "unknown_choice");
        }
        e.into_result()
    }
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
pub struct VolunteerInput {
    #[schema(schema_with = name_schema)]
    pub name: String,
    #[schema(schema_with = schema::phone)]
    pub phone: String,
    #[serde(default)]
    #[schema(schema_with = schema::optional_id_number)]
    pub id_number: Option<String>,
    #[schema(schema_with = schema::id)]
    pub unit_id: i64,
    #[schema(schema_with = schema::id)]
    pub community_id: i64,
    #[serde(default)]
    #[schema(schema_with = schema::ids)]
    pub team_ids: Vec<i64>,
    #[serde(default)]
    #[schema(schema_with = schema::skills)]
    pub skills: Vec<String>,
    #[serde(default)]
    pub party_member: bool,
    #[serde(default)]
    #[schema(schema_with = optional_name_schema)]
    pub vest_number: Option<String>,
    /// Free text such as "周末" or "工作日晚上".
    #[serde(default)]
    #[schema(schema_with = optional_name_schema)]
    pub availability: Option<String>,
}

/// A volunteer input that passed every rule that needs no database.
#[derive(Debug, Clone, PartialEq)]
pub struct CheckedVolunteer {
    pub name: String,
    pub phone: String,
    pub id_number: Option<id_number::IdNumber>,
    pub skills: Vec<String>,
}

impl VolunteerInput {
    pub fn check(&self) -> Result<CheckedVolunteer, Invalid> {
        let mut e = Invalid::default();
        e.text("name", &self.name, NAME_MAX);
        let phone = phone::normalize(&self.phone);
        if phone.is_none() {
            e.push("phone", if self.phone.trim().is_empty() { "required" } else { "phone_format" });
        }
        let id = match self.id_number.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            None => None,
            Some(raw) => match id_number::parse(raw) {
                Ok(id) => Some(id),
                Err(err) => {
                    e.push("id_number", err.code());
                    None
                }
            },
        };
        if let Some(code) = skills_problem(&self.skills) {
            e.push("skills", code);
        }
        let skills = normalize_skills(&self.skills);
        for (field, v) in [("vest_number", &self.vest_number), ("availability", &self.availability)] {
            e.optional_text(field, v.as_deref(), NAME_MAX);
        }
        e.into_result()?;
        Ok(CheckedVolunteer { name: self.name.trim().to_string(), phone: phone.unwrap_or_default(), id_number: id, skills })
    }
}

/// What is wrong with a list of skills as sent (before blanks and repeats
/// are dropped, so that the document's limits are the list's own).
pub fn skills_problem(skills: &[String]) -> Option<&'static str> {
    if skills.iter().any(|s| crate::validation::has_control_chars(s)) {
        Some("control_chars")
    } else if skills.len() > SKILLS_MAX || skills.iter().any(|s| s.chars().count() > SKILL_MAX) {
        Some("too_long")
    } else {
        None
    }
}

/// Trims, drops blanks and duplicates, keeps the order given.
pub fn normalize_skills(skills: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for s in skills.iter().map(|s| s.trim()).filter(|s| !s.is_empty()) {
        if !out.iter().any(|o| o == s) {
            out.push(s.to_string());
        }
    }
    out
}

#[derive(Debug, Clone, Deserialize, Serialize, ToSchema)]
pub struct BeneficiaryInput {
    #[schema(schema_with = name_schema)]
    pub name: String,
    #[schema(schema_with = beneficiary_kind_schema)]
    pub kind: String,
    #[schema(schema_with = schema::id)]
    pub community_id: i64,
    #[serde(default)]
    #[schema(schema_with = schema::optional_phone)]
    pub phone: Option<String>,
    #[serde(default)]
    #[schema(schema_with = address_schema)]
    pub address: Option<String>,
    #[serde(default)]
    #[schema(schema_with = notes_schema)]
    pub notes: Option<String>,
}

impl BeneficiaryInput {
    /// Returns the normalized phone, if one was given.
    pub fn check(&self) -> Result<Option<String>, Invalid> {
        let mut e = Invalid::default();
        e.text("name", &self.name, NAME_MAX);
        if !BENEFICIARY_KINDS.contains(&self.kind.as_str()) {
            e.push("kind", "unknown_choice");
        }
        let phone = match self.phone.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            None => None,
            Some(p) => {
                let n = phone::normalize(p);
                if n.is_none() {
                    e.push("phone", "phone_format");
                }
                n
            }
        };
        for (field, v, max) in [("address", &self.address, ADDRESS_MAX), ("notes", &self.notes, TEXT_MAX)] {
            e.optional_text(field, v.as_deref(), max);
        }
        e.into_result()?;
        Ok(phone)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn volunteer() -> VolunteerInput {
        VolunteerInput {
            name: " 张晓静 ".into(),
            phone: "138 1234 1234".into(),
            id_number: Some("11010519491231002x".into()),
            unit_id: 1,
            community_id: 1,
            skills: vec!["急救".into(), " 急救".into(), "".into()],
            ..Default::default()
        }
    }

    #[test]
    fn a_good_volunteer_is_normalized() {
        let c = volunteer().check().unwrap();
        assert_eq!(c.name, "张晓静");
        assert_eq!(c.phone, "13812341234");
        assert_eq!(c.id_number.unwrap().value, "11010519491231002X");
        assert_eq!(c.skills, vec!["急救".to_string()]);
    }

    #[test]
    fn every_bad_field_is_reported() {
        let v = VolunteerInput { name: "".into(), phone: "12".into(), id_number: Some("110105194912310021".into()), ..volunteer() };
        let fields: Vec<_> = v.check().unwrap_err().0.into_iter().map(|f| (f.field, f.code)).collect();
        assert_eq!(fields, vec![("name".into(), "required"), ("phone".into(), "phone_format"), ("id_number".into(), "id_checksum")]);
    }

    #[test]
    fn communities_outside_china_are_refused() {
        let c = CommunityInput { name: "雅苑小区".into(), district_id: 1, lat: 0.0, lng: 118.5 };
        assert_eq!(c.check().unwrap_err().0[0].field, "lat");
    }
}
