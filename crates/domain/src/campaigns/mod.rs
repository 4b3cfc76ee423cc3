//! Campaigns and the service-project catalogue (PRODUCT.md C5, issue #14).

pub mod projects;
