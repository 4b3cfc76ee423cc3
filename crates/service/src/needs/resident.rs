//! What a resident does without an account once a need is in: follow it by
//! its tracking code (no one's personal data), and rate the service with the
//! phone they gave.

use serde::Serialize;
use tongxing_domain::needs::Status;
use tongxing_domain::{phone, Invalid};
use tongxing_store::needs::{self as store, Change};
use utoipa::ToSchema;

use super::conflict;
use crate::{Error, Result, Service};

/// What a resident sees on the tracking page: no one's personal data.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Tracking {
    pub tracking_code: String,
    pub title: String,
    pub category: String,
    pub community_name: String,
    pub status: Status,
    pub team_name: Option<String>,
    #[serde(serialize_with = "tongxing_domain::time::ms_as_rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub created_at: i64,
    pub rating_stars: Option<i64>,
    pub history: Vec<TrackingStep>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TrackingStep {
    pub status: Status,
    #[serde(serialize_with = "tongxing_domain::time::ms_as_rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub at: i64,
    /// Only a rejection's reason is shown to the resident.
    pub note: Option<String>,
}

impl Service {
    /// Public: the status and history of a need, by its tracking code.
    pub async fn track_need(&self, code: &str) -> Result<Tracking> {
        let need = store::by_code(&self.db, code.trim()).await?;
        let history = store::events(&self.db, need.id)
            .await?
            .into_iter()
            .map(|e| TrackingStep { note: e.note.filter(|_| e.status == Status::Rejected), status: e.status, at: e.at })
            .collect();
        Ok(Tracking {
            tracking_code: need.tracking_code,
            title: need.title,
            category: need.category,
            community_name: need.community_name,
            status: need.status,
            team_name: need.team_name,
            created_at: need.created_at,
            rating_stars: need.rating_stars,
            history,
        })
    }

    /// Public: the resident rates a completed service (评单), proving it is
    /// them with the phone given at submission. Once.
    pub async fn rate_need(&self, code: &str, phone_given: &str, stars: i64, comment: Option<&str>) -> Result<()> {
        let need = store::by_code(&self.db, code.trim()).await?;
        if phone::normalize(phone_given).as_deref() != Some(need.requester_phone.as_str()) {
            return Err(Error::Forbidden);
        }
        let mut e = Invalid::default();
        if !(1..=5).contains(&stars) {
            e.push("stars", "out_of_range");
        }
        if comment.is_some_and(|c| c.chars().count() > 500) {
            e.push("comment", "too_long");
        }
        e.into_result()?;
        match need.status {
            Status::Rated => return Err(conflict("already_rated")),
            Status::Completed => {}
            _ => return Err(conflict("invalid_transition")),
        }
        let comment = comment.map(str::trim).filter(|c| !c.is_empty()).map(str::to_string);
        let notify = match need.team_id {
            Some(t) => self.team_leaders(t).await?.into_iter().map(|u| (u, "need_rated".to_string())).collect(),
            None => Vec::new(),
        };
        let change = Change { rating: Some((stars, comment)), notify, ..Default::default() };
        match store::transition(&self.db, need.id, Status::Completed, Status::Rated, &change).await? {
            true => Ok(()),
            false => Err(conflict("already_rated")),
        }
    }
}
