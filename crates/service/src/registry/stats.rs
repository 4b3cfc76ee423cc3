//! The region in figures.

use serde::Serialize;
use utoipa::ToSchema;

use crate::{Result, Service};

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Overview {
    pub districts: i64,
    pub communities: i64,
    pub units: i64,
    pub teams: i64,
    pub volunteers: i64,
    pub party_member_volunteers: i64,
    pub beneficiaries: i64,
}

impl Service {
    pub async fn overview(&self) -> Result<Overview> {
        let [districts, communities, units, teams, volunteers, party_member_volunteers, beneficiaries] =
            tongxing_store::stats::registry_counts(&self.db).await?;
        Ok(Overview { districts, communities, units, teams, volunteers, party_member_volunteers, beneficiaries })
    }
}
