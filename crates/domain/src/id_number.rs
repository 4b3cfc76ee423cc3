//! Resident identity card numbers (GB 11643-1999): 18 characters, the last a
//! checksum digit or X; birth date in positions 7–14.

use chrono::{Datelike, NaiveDate};

const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK: &[u8; 11] = b"10X98765432";

/// A checked ID number and what it tells about its holder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdNumber {
    pub value: String,
    pub birth_date: NaiveDate,
}

/// Why an ID number was refused; each maps to an i18n key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IdError {
    Format,
    BirthDate,
    Checksum,
}

impl IdError {
    pub fn code(self) -> &'static str {
        match self {
            IdError::Format => "id_format",
            IdError::BirthDate => "id_birth_date",
            IdError::Checksum => "id_checksum",
        }
    }
}

/// The checksum character for the first 17 digits.
pub fn check_char(first17: &[u8]) -> char {
    let sum: u32 = first17.iter().zip(WEIGHTS).map(|(d, w)| u32::from(d - b'0') * w).sum();
    CHECK[(sum % 11) as usize] as char
}

pub fn parse(raw: &str) -> Result<IdNumber, IdError> {
    let value = raw.trim().to_ascii_uppercase();
    let b = value.as_bytes();
    if b.len() != 18 || !b[..17].iter().all(u8::is_ascii_digit) || !(b[17].is_ascii_digit() || b[17] == b'X') {
        return Err(IdError::Format);
    }
    let birth_date = NaiveDate::parse_from_str(&value[6..14], "%Y%m%d").map_err(|_| IdError::BirthDate)?;
    if birth_date.year() < 1900 {
        return Err(IdError::BirthDate);
    }
    if check_char(&b[..17]) != b[17] as char {
        return Err(IdError::Checksum);
    }
    Ok(IdNumber { value, birth_date })
}

/// Full years of age on `today`.
pub fn age_on(birth: NaiveDate, today: NaiveDate) -> u32 {
    today.years_since(birth).unwrap_or(0)
}

/// 370502199001011234 → 3705**********1234: enough to recognise, not to reuse.
pub fn mask(value: &str) -> String {
    if value.len() == 18 && value.is_ascii() {
        format!("{}{}{}", &value[..4], "*".repeat(10), &value[14..])
    } else {
        "******".to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use rstest::rstest;

    #[rstest]
    #[case("11010519491231002X", Ok(()))]
    #[case("110105194912310021", Err(IdError::Checksum))]
    #[case("11010519491331002X", Err(IdError::BirthDate))]
    #[case("1101051949123100", Err(IdError::Format))]
    #[case("11010519491231002Y", Err(IdError::Format))]
    fn id_numbers_are_checked(#[case] raw: &str, #[case] want: Result<(), IdError>) {
        assert_eq!(parse(raw).map(|_| ()), want);
    }

    #[test]
    fn birth_date_and_age_come_from_the_number() {
        let id = parse("11010519491231002x").unwrap();
        assert_eq!(id.value, "11010519491231002X");
        let today = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        assert_eq!(age_on(id.birth_date, today), 76);
        assert_eq!(mask(&id.value), "1101**********002X");
    }

    proptest! {
        #[test]
        fn any_first17_with_its_check_char_is_accepted(region in 110000u32..660000, days in 0i64..30000, seq in 0u32..1000) {
            let birth = NaiveDate::from_ymd_opt(1930, 1, 1).unwrap() + chrono::Duration::days(days);
            let first17 = format!("{region}{}{seq:03}", birth.format("%Y%m%d"));
            let full = format!("{first17}{}", check_char(first17.as_bytes()));
            prop_assert_eq!(parse(&full).unwrap().birth_date, birth);
        }
    }
}
