//! How a free-text volunteer query is read: a phone tail, pinyin, or a name.

use crate::phone;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Query {
    /// Digits: the end of a phone number, stored reversed so it is a prefix.
    PhoneTail(String),
    /// Latin letters: pinyin initials or full pinyin, as a prefix.
    Pinyin(String),
    /// Anything else: the start of a name.
    Name(String),
}

impl Query {
    pub fn parse(raw: &str) -> Option<Query> {
        let q: String = raw.chars().filter(|c| !c.is_whitespace()).collect();
        if q.is_empty() {
            None
        } else if q.bytes().all(|b| b.is_ascii_digit()) {
            Some(Query::PhoneTail(phone::reversed(&q)))
        } else if q.bytes().all(|b| b.is_ascii_alphabetic()) {
            Some(Query::Pinyin(q.to_ascii_lowercase()))
        } else {
            Some(Query::Name(q))
        }
    }
}

/// The exclusive upper bound of all strings starting with `prefix`, so a prefix
/// search is a plain index range `[prefix, upper)` on either database.
pub fn prefix_upper_bound(prefix: &str) -> String {
    format!("{prefix}\u{10FFFF}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn queries_are_classified() {
        assert_eq!(Query::parse("1234"), Some(Query::PhoneTail("4321".into())));
        assert_eq!(Query::parse(" ZXJ "), Some(Query::Pinyin("zxj".into())));
        assert_eq!(Query::parse("张晓"), Some(Query::Name("张晓".into())));
        assert_eq!(Query::parse("  "), None);
        assert!(prefix_upper_bound("zx").as_str() > "zxzzzz");
    }
}
