//! Recognition (评选表彰, issue #18): rounds, eligibility, weighted scores
//! from the record, quotas and the stages a round goes through.

pub mod panel;
pub mod round;
pub mod scoring;
pub mod view;
