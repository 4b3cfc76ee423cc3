//! Party organisations (党组织) registered with a community (双进): the
//! registry's six endpoints, made by its macro.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::Json;
use serde::Deserialize;
use tongxing_domain::campaigns::party_orgs::{PartyOrg, PartyOrgInput};
use tongxing_domain::permission::Resource;
use tongxing_store::campaigns::party_orgs::Filter;
use utoipa::IntoParams;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::api::registry::{non_empty, registry_api, respond_list};
use crate::api::{created, err, ApiResult, ListOf, ListParams, Saved};
use crate::extract::{ApiJson, ApiUser};
use crate::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    party_org_api::router()
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PartyOrgQuery {
    /// Part of the name.
    q: Option<String>,
    district_id: Option<i64>,
    community_id: Option<i64>,
    unit_id: Option<i64>,
}

impl PartyOrgQuery {
    pub fn filter(self, include_inactive: bool) -> Filter {
        Filter {
            q: non_empty(self.q),
            district_id: self.district_id,
            community_id: self.community_id,
            unit_id: self.unit_id,
            include_inactive,
        }
    }
}

registry_api!(party_org_api {
    path: "/api/v1/party-orgs",
    id_path: "/api/v1/party-orgs/{id}",
    deactivate: "/api/v1/party-orgs/{id}/deactivate",
    reactivate: "/api/v1/party-orgs/{id}/reactivate",
    tag: "campaigns",
    input: PartyOrgInput,
    item: PartyOrg,
    query: PartyOrgQuery,
    resource: PartyOrg,
    list: list_party_orgs,
    get: get_party_org,
    save: save_party_org,
    sheet: "party-orgs"
});
