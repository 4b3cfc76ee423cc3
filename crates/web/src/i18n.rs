//! The message catalogue: every piece of UI text, in zh-CN (default) and en.

use std::collections::HashMap;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    Zh,
    En,
}

impl Lang {
    pub fn code(self) -> &'static str {
        match self {
            Lang::Zh => "zh-CN",
            Lang::En => "en",
        }
    }
    /// Reads `en`, `en-US`, `zh`, `zh-CN`…; anything else is Chinese.
    pub fn parse(s: &str) -> Lang {
        if s.trim().to_ascii_lowercase().starts_with("en") {
            Lang::En
        } else {
            Lang::Zh
        }
    }
    pub fn other(self) -> Lang {
        match self {
            Lang::Zh => Lang::En,
            Lang::En => Lang::Zh,
        }
    }
}

pub struct Catalogue {
    zh: HashMap<&'static str, &'static str>,
    en: HashMap<&'static str, &'static str>,
}

fn parse(text: &'static str) -> HashMap<&'static str, &'static str> {
    text.lines()
        .filter(|l| !l.trim_start().starts_with('#'))
        .filter_map(|l| l.split_once(" = "))
        .map(|(k, v)| (k.trim(), v.trim()))
        .collect()
}

impl Catalogue {
    pub fn load() -> Catalogue {
        Catalogue { zh: parse(include_str!("../i18n/zh-CN.txt")), en: parse(include_str!("../i18n/en.txt")) }
    }

    /// The text for `key`; a missing key shows itself rather than failing.
    pub fn get<'a>(&self, lang: Lang, key: &'a str) -> &'a str
    where
        'static: 'a,
    {
        let table = if lang == Lang::En { &self.en } else { &self.zh };
        table.get(key).copied().unwrap_or(key)
    }

    /// The text for `key` with each `{}` replaced by the next argument.
    pub fn fmt(&self, lang: Lang, key: &str, args: &[&dyn std::fmt::Display]) -> String {
        let mut out = String::new();
        let mut rest = self.get(lang, key);
        for a in args {
            match rest.split_once("{}") {
                Some((head, tail)) => {
                    out.push_str(head);
                    out.push_str(&a.to_string());
                    rest = tail;
                }
                None => break,
            }
        }
        out.push_str(rest);
        out
    }

    /// Keys present in one language but not the other.
    pub fn missing(&self) -> Vec<&'static str> {
        let mut m: Vec<_> = self
            .zh
            .keys()
            .filter(|k| !self.en.contains_key(*k))
            .chain(self.en.keys().filter(|k| !self.zh.contains_key(*k)))
            .copied()
            .collect();
        m.sort_unstable();
        m
    }
}

/// Text lookups bound to one language, handed to templates.
#[derive(Clone, Copy)]
pub struct Tr<'a> {
    pub cat: &'a Catalogue,
    pub lang: Lang,
}

impl<'a> Tr<'a> {
    pub fn t(&self, key: &str) -> String {
        self.cat.get(self.lang, key).to_string()
    }
    pub fn f(&self, key: &str, arg: impl std::fmt::Display) -> String {
        self.cat.fmt(self.lang, key, &[&arg])
    }
    pub fn f2(&self, key: &str, a: impl std::fmt::Display, b: impl std::fmt::Display) -> String {
        self.cat.fmt(self.lang, key, &[&a, &b])
    }
    /// What follows a label before its value: "：" in Chinese, ": " in
    /// English (kept in code: the catalogue trims the trailing space).
    pub fn colon(&self) -> &'static str {
        match self.lang {
            Lang::Zh => "：",
            Lang::En => ": ",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_languages_have_every_key() {
        assert_eq!(Catalogue::load().missing(), Vec::<&str>::new());
    }

    /// A key written twice silently takes the later text: catalogues grow by
    /// merging branches, so a second definition must fail here instead.
    #[test]
    fn no_key_is_defined_twice() {
        for text in [include_str!("../i18n/zh-CN.txt"), include_str!("../i18n/en.txt")] {
            let mut seen = std::collections::HashSet::new();
            let twice: Vec<&str> = text
                .lines()
                .filter(|l| !l.trim_start().starts_with('#'))
                .filter_map(|l| l.split_once(" = "))
                .map(|(k, _)| k.trim())
                .filter(|k| !seen.insert(*k))
                .collect();
            assert_eq!(twice, Vec::<&str>::new());
        }
    }

    #[test]
    fn placeholders_are_filled() {
        let c = Catalogue::load();
        assert_eq!(c.fmt(Lang::Zh, "list.total", &[&12]), "共 12 条");
        assert_eq!(c.fmt(Lang::En, "list.page", &[&3, &4]), "Page 3 of 4");
        assert_eq!(c.get(Lang::En, "no.such.key"), "no.such.key");
    }
}
