//! Pinyin forms of a Chinese name, so "zxj" or "zhangxiaojing" finds 张晓静.

use pinyin::ToPinyin;

/// Lower-case initials and full pinyin of a name; characters without pinyin
/// (Latin letters, digits) are kept as they are, lower-cased.
pub fn index(name: &str) -> (String, String) {
    let mut initials = String::new();
    let mut full = String::new();
    for ch in name.chars() {
        match ch.to_pinyin() {
            Some(p) => {
                initials.push_str(p.first_letter());
                full.push_str(p.plain());
            }
            None if ch.is_alphanumeric() => {
                let low: String = ch.to_lowercase().collect();
                initials.push_str(&low);
                full.push_str(&low);
            }
            None => {}
        }
    }
    (initials, full)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn initials_and_full_pinyin() {
        assert_eq!(index("张晓静"), ("zxj".to_string(), "zhangxiaojing".to_string()));
        assert_eq!(index("李 A"), ("la".to_string(), "lia".to_string()));
    }
}
