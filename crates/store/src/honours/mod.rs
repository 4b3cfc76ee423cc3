//! Recognition (issue #18): rounds, frozen scores, nominations, objections
//! and the honours published, and the record figures a round scores.

pub mod awards;
pub mod dashboard;
pub mod figures;
pub mod lines;
pub mod nominations;
pub mod objections;
pub mod panel;
pub mod rounds;
pub mod trail;
