//! Mainland China mobile numbers: validation and masking.

/// Strips the separators people type (spaces, dashes, a +86 prefix) and checks
/// the 11-digit mobile pattern 1[3-9]xxxxxxxxx.
pub fn normalize(raw: &str) -> Option<String> {
    let digits: String = raw.chars().filter(|c| !matches!(c, ' ' | '-' | '\u{3000}')).collect();
    let digits = digits.strip_prefix("+86").or_else(|| digits.strip_prefix("0086")).unwrap_or(&digits);
    let ok = digits.len() == 11
        && digits.bytes().all(|b| b.is_ascii_digit())
        && digits.starts_with('1')
        && (b'3'..=b'9').contains(&digits.as_bytes()[1]);
    ok.then(|| digits.to_string())
}

/// 13812341234 → 138****1234, the form every list shows.
pub fn mask(phone: &str) -> String {
    if phone.len() == 11 && phone.is_ascii() {
        format!("{}****{}", &phone[..3], &phone[7..])
    } else {
        "****".to_string()
    }
}

/// The phone written backwards, so "ends with 1234" becomes an indexable prefix search.
pub fn reversed(phone: &str) -> String {
    phone.chars().rev().collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    #[rstest]
    #[case("13812341234", Some("13812341234"))]
    #[case("138 1234 1234", Some("13812341234"))]
    #[case("+86 138-1234-1234", Some("13812341234"))]
    #[case("12812341234", None)]
    #[case("1381234123", None)]
    #[case("1381234123a", None)]
    #[case("", None)]
    fn mobile_numbers_are_normalized_or_refused(#[case] raw: &str, #[case] want: Option<&str>) {
        assert_eq!(normalize(raw).as_deref(), want);
    }

    #[test]
    fn masking_keeps_prefix_and_last_four() {
        assert_eq!(mask("13812341234"), "138****1234");
        assert_eq!(mask("bad"), "****");
    }
}
