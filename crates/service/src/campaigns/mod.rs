//! Campaigns (goals against the records, the rotation, its calendar and
//! warnings), the service-project catalogue and 双进双报到 (issue #14).

pub mod calendar;
pub mod campaign;
pub mod campaign_demo;
pub mod glance;
pub mod party_orgs;
pub mod projects;
mod projects_demo;
pub mod report_in;
pub mod report_in_bulk;
pub(crate) mod report_in_demo;
pub mod rotation;
pub mod warnings;
