//! `GET /api/v1/stats/overview`: the figures API.md promises, for a filter.

use serde::Serialize;
use utoipa::ToSchema;

use super::{Applied, Dashboard, StatsQuery};
use crate::registry::stats::Overview;
use crate::{Actor, Result, Service};

/// The registry's counts (as before, now narrowed by the filter where they
/// can be: teams, volunteers, party members) and the period's figures.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct StatsOverview {
    #[serde(flatten)]
    pub registry: Overview,
    /// Distinct volunteers with hours in the period.
    pub active_volunteers: i64,
    /// Activities held (not cancelled) in the period.
    pub activities: i64,
    /// Distinct service projects those activities came from.
    pub projects: i64,
    /// Confirmed ledger hours served in the period (a sum).
    pub hours: f64,
    pub needs_completed: i64,
    /// Distinct residents (by mobile) whose needs were completed.
    pub people_served: i64,
    pub average_rating: Option<f64>,
    pub calls: i64,
    pub filter: Applied,
}

fn int(d: &Dashboard, key: &str) -> i64 {
    d.figure(key).and_then(|f| f.value).unwrap_or(0.0).round() as i64
}

impl Service {
    pub async fn stats_overview(&self, actor: &Actor, q: StatsQuery) -> Result<StatsOverview> {
        let (d, mut registry) = tokio::try_join!(self.dashboard(actor, q), self.overview())?;
        registry.teams = int(&d, "teams");
        registry.volunteers = int(&d, "volunteers");
        registry.party_member_volunteers = int(&d, "party_members");
        Ok(StatsOverview {
            registry,
            active_volunteers: int(&d, "active_volunteers"),
            activities: int(&d, "activities"),
            projects: int(&d, "projects"),
            hours: d.figure("hours").and_then(|f| f.value).unwrap_or(0.0),
            needs_completed: int(&d, "needs_completed"),
            people_served: int(&d, "people_served"),
            average_rating: d.figure("average_rating").and_then(|f| f.value),
            calls: int(&d, "calls"),
            filter: d.filter,
        })
    }
}
