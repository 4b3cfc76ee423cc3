//! Campaigns, the service-project catalogue and 双进双报到 (issue #14).

pub mod party_orgs;
pub mod projects;
pub mod report_in;
pub mod report_in_rows;
