//! Campaigns and the service-project catalogue over HTTP (API.md "Campaigns, projects").

pub mod projects;
