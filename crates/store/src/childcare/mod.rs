//! 子女照辅班 (issue #16): terms and classes, enrolments and their waitlist,
//! and the append-only records of each class day.

pub mod absences;
pub mod classes;
pub mod days;
pub mod enrolments;
pub mod past;
pub mod report;
