//! A deterministic demo region for Tongxing: the western region (西城) of the
//! Shengli oilfield around Dongying, at the scale of the source article — its
//! districts, residential communities, member units, 76 service teams, and as
//! many volunteers and beneficiaries as asked for.
//!
//! Plain data only: loading it into a database is the caller's business, so
//! this crate stays independent of the store and can be used by benchmarks.
#![forbid(unsafe_code)]

pub mod activities;
pub mod care;
pub mod childcare;
mod corrections;
pub mod dispatches;
pub mod honours;
mod identity;
mod names;
mod needs;
mod orgs;
pub mod past;
mod people;
mod places;
pub mod projects;
pub mod report_in;
mod signups;

#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_activities;
#[cfg(test)]
mod tests_dispatches;
#[cfg(test)]
mod tests_overlap;
#[cfg(test)]
mod tests_report_in;

pub use activities::{year_of_activities, DemoActivity, DemoYear};
pub use dispatches::{past_calls, DemoCall};
pub use needs::{needs, DemoNeed};
pub use past::{year_of_needs, PastNeed};

use rand::rngs::StdRng;
use rand::SeedableRng;

/// The demo's default sizes: the seed article's region has thousands of
/// volunteers and a few hundred people under one-to-one care.
pub const DEFAULT_VOLUNTEERS: usize = 3200;
pub const DEFAULT_BENEFICIARIES: usize = 240;
/// Enough needs to fill a coordinator's queue at every step and warning level.
pub const DEFAULT_NEEDS: usize = 300;
/// Who the demo region's service certificates name as issuer, person in
/// charge and contact, so a printed one reads like a real one.
/// The names the demo's staff accounts are shown by, by role; the volunteer
/// and the observer are shown by their volunteer records' names.
pub fn staff_name(role: &str) -> Option<&'static str> {
    match role {
        "admin" => Some("陈明"),
        "coordinator" => Some("周静"),
        "liaison" => Some("刘建华"),
        "team_leader" => Some("赵志刚"),
        "viewer" => Some("孙立新"),
        _ => None,
    }
}

pub const CERTIFICATE_ISSUER: [&str; 3] = ["西城志愿服务协调中心", "王建国（中心主任）", "0546-8211234"];

#[derive(Debug, Clone, PartialEq)]
pub struct DemoRegion {
    pub districts: Vec<String>,
    pub communities: Vec<DemoCommunity>,
    pub units: Vec<DemoUnit>,
    pub teams: Vec<DemoTeam>,
    pub volunteers: Vec<DemoVolunteer>,
    pub beneficiaries: Vec<DemoBeneficiary>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct DemoCommunity {
    pub name: String,
    /// Index into `DemoRegion::districts`.
    pub district: usize,
    pub lat: f64,
    pub lng: f64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct DemoUnit {
    pub name: String,
    /// One of `tongxing_domain::registry::UNIT_KINDS`.
    pub kind: &'static str,
}

#[derive(Debug, Clone, PartialEq)]
pub struct DemoTeam {
    pub name: String,
    /// Index into `DemoRegion::districts`.
    pub district: usize,
    /// One of `tongxing_domain::category::CATEGORIES`.
    pub category: &'static str,
    /// Index into `DemoRegion::units`; `None` for resident-run teams.
    pub unit: Option<usize>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct DemoVolunteer {
    pub name: String,
    /// 11-digit mainland mobile, unique in the region.
    pub phone: String,
    /// 18-character resident ID with a valid checksum, unique in the region.
    pub id_number: Option<String>,
    /// Index into `DemoRegion::units`.
    pub unit: usize,
    /// Index into `DemoRegion::communities`: where they live (双进双报到).
    pub community: usize,
    /// Indices into `DemoRegion::teams`, distinct.
    pub teams: Vec<usize>,
    pub skills: Vec<String>,
    pub party_member: bool,
    /// "XC-000123" once a vest has been issued.
    pub vest_number: Option<String>,
    pub availability: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct DemoBeneficiary {
    pub name: String,
    /// One of `tongxing_domain::registry::BENEFICIARY_KINDS`.
    pub kind: &'static str,
    /// Index into `DemoRegion::communities`.
    pub community: usize,
    pub phone: Option<String>,
    pub address: Option<String>,
    pub notes: Option<String>,
}

/// Same seed and sizes → identical region. The districts, communities, units
/// and teams are fixed; people vary with the seed. Phones are unique across
/// volunteers and beneficiaries; ID numbers are unique among volunteers.
pub fn generate(seed: u64, volunteers: usize, beneficiaries: usize) -> DemoRegion {
    let mut rng = StdRng::seed_from_u64(seed);
    let districts = places::districts();
    let communities = places::communities();
    let units = orgs::units();
    let teams = orgs::teams(&districts, &communities);
    let ctx = people::Context {
        numbering: identity::Numbering::new(&mut rng),
        communities: &communities,
        units: &units,
        teams: &teams,
        districts: districts.len(),
    };
    let volunteer_list = people::volunteers(&mut rng, &ctx, volunteers);
    // Beneficiary phones continue the volunteers' numbering, so no one shares a number.
    let beneficiary_list = people::beneficiaries(&mut rng, &ctx, volunteers, beneficiaries);
    DemoRegion { districts, communities, units, teams, volunteers: volunteer_list, beneficiaries: beneficiary_list }
}
