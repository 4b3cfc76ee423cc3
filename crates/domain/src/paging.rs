//! List paging: `?page=1&per_page=50`, at most 500 a page.

use serde::Deserialize;

pub const MAX_PER_PAGE: u32 = 500;
pub const DEFAULT_PER_PAGE: u32 = 50;

#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq)]
pub struct Page {
    pub page: u32,
    pub per_page: u32,
}

impl Page {
    /// Clamps whatever the client sent into a page that exists.
    pub fn new(page: Option<u32>, per_page: Option<u32>) -> Page {
        Page { page: page.unwrap_or(1).max(1), per_page: per_page.unwrap_or(DEFAULT_PER_PAGE).clamp(1, MAX_PER_PAGE) }
    }
    pub fn offset(&self) -> i64 {
        i64::from(self.page - 1) * i64::from(self.per_page)
    }
    pub fn limit(&self) -> i64 {
        i64::from(self.per_page)
    }
    /// How many pages `total` rows fill, at least one.
    pub fn count(&self, total: i64) -> u32 {
        let per = i64::from(self.per_page);
        ((total + per - 1) / per).max(1) as u32
    }
}

impl Default for Page {
    fn default() -> Self {
        Page::new(None, None)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_are_clamped() {
        assert_eq!(Page::new(Some(0), Some(10_000)), Page { page: 1, per_page: 500 });
        assert_eq!(Page::new(Some(3), Some(20)).offset(), 40);
        assert_eq!(Page::new(None, Some(20)).count(41), 3);
        assert_eq!(Page::new(None, Some(20)).count(0), 1);
    }
}
