//! The region's registry: districts, communities, units, teams, volunteers and beneficiaries.

pub mod beneficiaries;
pub mod communities;
pub mod districts;
pub mod imports;
pub mod registrations;
pub mod team_page;
pub mod teams;
pub mod units;
pub mod volunteers;
