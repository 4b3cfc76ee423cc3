//! Campaigns, the service-project catalogue and 双进双报到 (issue #14): the
//! yearly campaign (活动年) with its goals, the two-month rotation of hosting
//! districts (每双月) and a slot's status at a given day; the catalogue's
//! rules; party organisations and members' reports.

pub mod calendar;
pub mod campaign;
pub mod party_orgs;
pub mod projects;
pub mod report_in;
pub mod rotation;
pub mod status;
pub mod view;
