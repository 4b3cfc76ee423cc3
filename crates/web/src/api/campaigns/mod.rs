//! Campaigns, the service-project catalogue and 双进双报到 over HTTP (issue #14).

pub mod calendar;
pub mod campaign;
pub mod party_orgs;
pub mod projects;
pub mod report_in;
pub mod report_in_rows;
pub mod rotation;
