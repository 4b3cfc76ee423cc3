pub mod calendar;
pub mod campaign;
pub mod glance;
pub mod rotation;
