//! Campaigns and the service-project catalogue (issue #14).

mod demo;
pub mod projects;
