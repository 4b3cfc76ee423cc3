//! Campaigns, the service-project catalogue and 双进双报到 (issue #14).

mod demo;
pub mod party_orgs;
pub mod projects;
pub mod report_in;
pub mod report_in_bulk;
pub(crate) mod report_in_demo;
