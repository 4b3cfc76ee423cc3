//! The yearly campaign (活动年): its goals, the two-month rotation of hosting
//! districts (每双月) and what a slot's status is at a given day.

pub mod calendar;
pub mod campaign;
pub mod rotation;
pub mod status;
pub mod view;
