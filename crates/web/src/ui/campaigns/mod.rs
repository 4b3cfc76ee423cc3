pub mod calendar;
pub mod campaign;
pub mod rotation;
