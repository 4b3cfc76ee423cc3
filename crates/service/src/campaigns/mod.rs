//! The yearly campaign: goals against the records, the rotation, its calendar and warnings.

pub mod calendar;
pub mod campaign;
pub mod demo;
pub mod glance;
pub mod rotation;
pub mod warnings;
