//! Party organisations (党组织) registered with a community (双进): what a
//! coordinator enters, and the rules it must satisfy before it is stored.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::registry::{Validate, NAME_MAX};
use crate::{phone, schema, Invalid};

/// A party organisation's name: "胜利油田现河采油厂采油一区第三党支部" runs long.
pub const ORG_NAME_MAX: usize = 100;

crate::field_schemas! {
    org_name_schema = schema::text(ORG_NAME_MAX);
    secretary_schema = schema::optional_text(NAME_MAX);
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
pub struct PartyOrgInput {
    #[schema(schema_with = org_name_schema)]
    pub name: String,
    /// The member unit the organisation belongs to, if any (a street office's
    /// community branch belongs to none).
    #[serde(default)]
    #[schema(schema_with = schema::optional_id)]
    pub unit_id: Option<i64>,
    /// The community it registered with (双进).
    #[schema(schema_with = schema::id)]
    pub community_id: i64,
    /// The secretary's name (书记).
    #[serde(default)]
    #[schema(schema_with = secretary_schema)]
    pub secretary: Option<String>,
    #[serde(default)]
    #[schema(schema_with = schema::optional_phone)]
    pub contact_phone: Option<String>,
}

/// A checked input: trimmed texts, blanks as none, the phone normalized.
#[derive(Debug, Clone, PartialEq)]
pub struct CheckedPartyOrg {
    pub name: String,
    pub secretary: Option<String>,
    pub contact_phone: Option<String>,
}

impl PartyOrgInput {
    pub fn check(&self) -> Result<CheckedPartyOrg, Invalid> {
        let mut e = Invalid::default();
        e.text("name", &self.name, ORG_NAME_MAX);
        e.optional_text("secretary", self.secretary.as_deref(), NAME_MAX);
        let blank = |s: &Option<String>| s.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(str::to_string);
        let phone = blank(&self.contact_phone).map(|p| phone::normalize(&p).ok_or(()));
        if let Some(Err(())) = phone {
            e.push("contact_phone", "phone_format");
        }
        e.into_result()?;
        Ok(CheckedPartyOrg {
            name: self.name.trim().to_string(),
            secretary: blank(&self.secretary),
            contact_phone: phone.and_then(Result::ok),
        })
    }
}

impl Validate for PartyOrgInput {
    fn problems(&self) -> Invalid {
        self.check().err().unwrap_or_default()
    }
}

/// A party organisation as the rest of the system reads it. The contact
/// phone is masked unless the reader may see it (PRODUCT.md §4).
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct PartyOrg {
    pub id: i64,
    pub name: String,
    pub unit_id: Option<i64>,
    pub unit_name: Option<String>,
    pub community_id: i64,
    pub community_name: String,
    pub district_id: i64,
    pub district_name: String,
    pub secretary: Option<String>,
    pub contact_phone: Option<String>,
    pub phone_masked: bool,
    pub active: bool,
    /// Party members whose current report names this organisation.
    pub reported: i64,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn org() -> PartyOrgInput {
        PartyOrgInput {
            name: " 采油一厂第三党支部 ".into(),
            community_id: 1,
            contact_phone: Some("138 1234 1234".into()),
            secretary: Some("  ".into()),
            ..Default::default()
        }
    }

    #[test]
    fn a_good_org_is_trimmed_and_its_phone_normalized() {
        let c = org().check().unwrap();
        assert_eq!(c.name, "采油一厂第三党支部");
        assert_eq!(c.contact_phone.as_deref(), Some("13812341234"));
        assert_eq!(c.secretary, None);
    }

    #[test]
    fn a_bad_phone_and_a_blank_name_are_named() {
        let bad = PartyOrgInput { name: " ".into(), contact_phone: Some("12345".into()), ..org() };
        let fields: Vec<_> = bad.check().unwrap_err().0.into_iter().map(|f| (f.field, f.code)).collect();
        assert_eq!(fields, vec![("name".into(), "required"), ("contact_phone".into(), "phone_format")]);
    }
}
