//! 子女照辅班 over HTTP (API.md "Holiday childcare", issue #16).

pub mod classes;
pub mod days;
pub mod enrolments;
pub mod import;
