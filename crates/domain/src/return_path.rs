//! Where a redirect may send someone back to when the target came from the
//! request (`/login?next=`, `/lang?back=`, a form's `back`): only a path on
//! this site, or a crafted link turns Tongxing into a springboard to a
//! look-alike login page elsewhere.

use percent_encoding::percent_decode_str;

/// Whether `path` (as the request carried it, after the usual one round of
/// form/query decoding) is a path on this site that is safe in a `Location`
/// header. Browsers strip tabs and newlines from URLs and read `\` as `/`,
/// so `/\t/evil.example` becomes `//evil.example` — another host. Rather than
/// predict every browser's cleaning, anything a browser might clean or
/// reinterpret is refused, in the text as given and once more decoded (a
/// proxy or a second decode must not find a `//` either).
pub fn is_safe_return_path(path: &str) -> bool {
    let decoded = percent_decode_str(path).decode_utf8_lossy();
    path.bytes().all(|b| b.is_ascii_graphic()) && same_site(path) && same_site(&decoded)
}

/// One leading `/` that stays the only one: no `//`, no `\`, and nothing a
/// browser would strip (control characters, whitespace of any script).
fn same_site(p: &str) -> bool {
    p.starts_with('/') && !p.starts_with("//") && !p.chars().any(|c| c == '\\' || c.is_control() || c.is_whitespace())
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    #[rstest]
    #[case("/")]
    #[case("/volunteers?q=zxj&page=2")]
    #[case("/activities/5#roster")]
    #[case("/volunteers?q=%E5%BC%A0")]
    #[case("/login?next=%2Fvolunteers")]
    fn paths_on_this_site_are_kept(#[case] path: &str) {
        assert!(is_safe_return_path(path), "{path:?}");
    }

    #[rstest]
    #[case::empty("")]
    #[case::relative("volunteers")]
    #[case::absolute_url("https://evil.example/")]
    #[case::scheme_relative("//evil.example")]
    #[case::javascript("javascript:alert(1)")]
    #[case::backslash("/\\evil.example")]
    #[case::backslash_first("\\/evil.example")]
    #[case::backslash_later("/a\\b")]
    #[case::tab("/\t/evil.example")]
    #[case::newline("/\n/evil.example")]
    #[case::carriage_return("/\r/evil.example")]
    #[case::nul("/\0/evil.example")]
    #[case::leading_space(" /volunteers")]
    #[case::inner_space("/a b")]
    #[case::ideographic_space("/\u{3000}/evil.example")]
    #[case::non_ascii("/志愿者")]
    #[case::encoded_tab("/%09/evil.example")]
    #[case::encoded_newline("/%0a")]
    #[case::encoded_slash("/%2F/evil.example")]
    #[case::encoded_backslash("/%5Cevil.example")]
    #[case::encoded_ideographic_space("/%E3%80%80/evil.example")]
    fn hostile_paths_are_refused(#[case] path: &str) {
        assert!(!is_safe_return_path(path), "{path:?}");
    }
}
