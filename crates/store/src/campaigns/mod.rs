//! Campaigns and the service-project catalogue (issue #14).

pub mod projects;
