//! Holiday childcare classes (子女照辅班, issue #16): terms and classes,
//! enrolment with its priority order, and the rules of each day at the door.

pub mod classes;
pub mod day;
pub mod enrolment;
pub mod sheet;
