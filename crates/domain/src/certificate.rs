//! The service certificate (志愿服务证明) of 《志愿服务记录与证明出具办法》:
//! what it states, frozen when it is issued, and what anyone verifying its
//! number may see (personal data masked).

use serde::Serialize;
use utoipa::ToSchema;

/// An issued certificate: a snapshot, so verification shows what was certified.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Certificate {
    /// The certificate number, e.g. ZM2026K7QX3HMA.
    pub code: String,
    pub volunteer_id: i64,
    pub name: String,
    /// `resident_id` (居民身份证) when an ID number is on record, else none.
    pub id_type: Option<String>,
    /// Always masked: 3705**********1234.
    pub id_number_masked: Option<String>,
    pub volunteer_number: String,
    /// What was served: the activities' and needs' titles, most served first.
    pub content: String,
    pub first_day: Option<String>,
    pub last_day: Option<String>,
    pub total_hours: f64,
    pub entries: i64,
    pub organisation: String,
    pub person_in_charge: String,
    /// Who issued it (经办人).
    pub handler: String,
    pub contact: String,
    /// Region date, YYYY-MM-DD.
    pub issued_on: String,
}

/// What `GET /verify/{code}` shows anyone: the certificate without the
/// volunteer's full name or any ID digits beyond the masked form.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Verified {
    pub code: String,
    /// 张*静
    pub name: String,
    pub id_number_masked: Option<String>,
    pub volunteer_number: String,
    pub content: String,
    pub first_day: Option<String>,
    pub last_day: Option<String>,
    pub total_hours: f64,
    pub organisation: String,
    pub issued_on: String,
}

impl Certificate {
    pub fn verified(&self) -> Verified {
        Verified {
            code: self.code.clone(),
            name: mask_name(&self.name),
            id_number_masked: self.id_number_masked.clone(),
            volunteer_number: self.volunteer_number.clone(),
            content: self.content.clone(),
            first_day: self.first_day.clone(),
            last_day: self.last_day.clone(),
            total_hours: self.total_hours,
            organisation: self.organisation.clone(),
            issued_on: self.issued_on.clone(),
        }
    }
}

/// 张晓静 → 张*静, 李明 → 李*, 欧阳晓静 → 欧**静: recognisable, not identifying.
pub fn mask_name(name: &str) -> String {
    let chars: Vec<char> = name.trim().chars().collect();
    match chars.len() {
        0 => String::new(),
        1 => "*".into(),
        2 => format!("{}*", chars[0]),
        n => format!("{}{}{}", chars[0], "*".repeat(n - 2), chars[n - 1]),
    }
}

/// A volunteer's number on the certificate: their vest number (马甲号) when
/// one was issued, else their registry number padded to eight digits.
pub fn volunteer_number(id: i64, vest_number: Option<&str>) -> String {
    match vest_number.map(str::trim).filter(|v| !v.is_empty()) {
        Some(v) => v.to_string(),
        None => format!("{id:08}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    #[rstest]
    #[case("张晓静", "张*静")]
    #[case("李明", "李*")]
    #[case("欧阳晓静", "欧**静")]
    #[case("王", "*")]
    #[case("", "")]
    fn names_are_masked_but_recognisable(#[case] name: &str, #[case] masked: &str) {
        assert_eq!(mask_name(name), masked);
    }

    #[test]
    fn the_vest_number_is_the_volunteer_number_when_there_is_one() {
        assert_eq!(volunteer_number(42, None), "00000042");
        assert_eq!(volunteer_number(42, Some(" ")), "00000042");
        assert_eq!(volunteer_number(42, Some("XC-0815")), "XC-0815");
    }
}
