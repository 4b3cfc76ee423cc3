//! Campaigns, their goals and rotation slots (progress read from activities
//! and the ledger), the service-project catalogue and 双进双报到 (issue #14).

pub mod campaign;
pub mod party_orgs;
pub mod progress;
pub mod projects;
pub mod report_in;
pub mod slots;
