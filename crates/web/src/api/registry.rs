//! Districts, communities, units, teams and beneficiaries: the same six
//! endpoints each (list, create, get, update, deactivate, reactivate), made
//! by one macro so they cannot drift apart.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;
use tongxing_domain::model::{Beneficiary, Community, District, Paged, Team, Unit};
use tongxing_domain::permission::Resource;
use tongxing_domain::registry::{BeneficiaryInput, CommunityInput, DistrictInput, TeamInput, UnitInput};
use tongxing_store::registry::{beneficiaries, communities, districts, teams, units};
use utoipa::IntoParams;
use utoipa_axum::{router::OpenApiRouter, routes};

use super::{created, err, ApiResult, ListOf, ListParams, Saved};
use crate::export::{xlsx_response, ExportRow};
use crate::extract::{ApiJson, ApiUser};
use crate::i18n::{Lang, Tr};
use crate::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .merge(district_api::router())
        .merge(community_api::router())
        .merge(unit_api::router())
        .merge(team_api::router())
        .merge(beneficiary_api::router())
}

/// A page as JSON, or with `?format=xlsx` the whole list as a workbook.
pub(super) fn respond_list<T: ExportRow + serde::Serialize>(
    s: &AppState,
    lang: Lang,
    p: &ListParams,
    sheet: &'static str,
    list: Paged<T>,
) -> ApiResult<Response> {
    if p.wants_xlsx() {
        let tr = Tr { cat: &s.cat, lang };
        return xlsx_response(&tr, sheet, &list.items).map_err(err(s, lang));
    }
    Ok(Json(ListOf::from(list)).into_response())
}

macro_rules! registry_api {
    ($module:ident { path: $path:literal, id_path: $id_path:literal, deactivate: $deact:literal, reactivate: $react:literal,
      tag: $tag:literal, input: $input:ty, item: $item:ty, query: $query:ty, resource: $res:ident,
      list: $list:ident, get: $get:ident, save: $save:ident, sheet: $sheet:literal }) => {
        mod $module {
            use super::*;

            pub fn router() -> OpenApiRouter<AppState> {
                OpenApiRouter::new()
                    .routes(routes!(list, create))
                    .routes(routes!(get_one, update))
                    .routes(routes!(deactivate))
                    .routes(routes!(reactivate))
            }

            /// Lists with search, filters and paging; `?format=xlsx` exports.
            #[utoipa::path(get, path = $path, tag = $tag, params(ListParams, $query), responses((status = 200, body = ListOf<$item>)))]
            async fn list(State(s): State<AppState>, ApiUser(actor, lang): ApiUser, Query(p): Query<ListParams>, Query(q): Query<$query>) -> ApiResult<Response> {
                let list = s.svc.$list(&actor, &q.filter(p.include_inactive), p.fetch_page()).await.map_err(err(&s, lang))?;
                respond_list(&s, lang, &p, $sheet, list)
            }

            #[utoipa::path(post, path = $path, tag = $tag, request_body = $input,
                responses((status = 201, body = Saved), (status = 403), (status = 409), (status = 422)))]
            async fn create(State(s): State<AppState>, ApiUser(actor, lang): ApiUser, ApiJson(input): ApiJson<$input>) -> ApiResult<Response> {
                Ok(created(s.svc.$save(&actor, None, &input).await.map_err(err(&s, lang))?))
            }

            #[utoipa::path(get, path = $id_path, tag = $tag, params(("id" = i64, Path, minimum = 1)), responses((status = 200, body = $item), (status = 404)))]
            async fn get_one(State(s): State<AppState>, ApiUser(actor, lang): ApiUser, Path(id): Path<i64>) -> ApiResult<Json<$item>> {
                Ok(Json(s.svc.$get(&actor, id).await.map_err(err(&s, lang))?))
            }

            #[utoipa::path(put, path = $id_path, tag = $tag, params(("id" = i64, Path, minimum = 1)), request_body = $input,
                responses((status = 200, body = Saved), (status = 404), (status = 409), (status = 422)))]
            async fn update(State(s): State<AppState>, ApiUser(actor, lang): ApiUser, Path(id): Path<i64>, ApiJson(input): ApiJson<$input>) -> ApiResult<Json<Saved>> {
                Ok(Json(Saved { id: s.svc.$save(&actor, Some(id), &input).await.map_err(err(&s, lang))? }))
            }

            /// Deactivates; the row and its history stay.
            #[utoipa::path(post, path = $deact, tag = $tag, params(("id" = i64, Path, minimum = 1)), responses((status = 204), (status = 404)))]
            async fn deactivate(State(s): State<AppState>, ApiUser(actor, lang): ApiUser, Path(id): Path<i64>) -> ApiResult<StatusCode> {
                s.svc.set_active(&actor, Resource::$res, id, false).await.map_err(err(&s, lang))?;
                Ok(StatusCode::NO_CONTENT)
            }

            #[utoipa::path(post, path = $react, tag = $tag, params(("id" = i64, Path, minimum = 1)), responses((status = 204), (status = 404)))]
            async fn reactivate(State(s): State<AppState>, ApiUser(actor, lang): ApiUser, Path(id): Path<i64>) -> ApiResult<StatusCode> {
                s.svc.set_active(&actor, Resource::$res, id, true).await.map_err(err(&s, lang))?;
                Ok(StatusCode::NO_CONTENT)
            }
        }
    };
}
/// Party organisations (双进双报到) have the same six endpoints.
pub(super) use registry_api;

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DistrictQuery {
    /// Part of the name.
    q: Option<String>,
}

impl DistrictQuery {
    fn filter(self, include_inactive: bool) -> districts::Filter {
        districts::Filter { q: non_empty(self.q), include_inactive }
    }
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CommunityQuery {
    q: Option<String>,
    district_id: Option<i64>,
}

impl CommunityQuery {
    fn filter(self, include_inactive: bool) -> communities::Filter {
        communities::Filter { q: non_empty(self.q), district_id: self.district_id, include_inactive }
    }
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct UnitQuery {
    q: Option<String>,
    /// `oilfield_unit`, `street_office`, `school` or `other`.
    kind: Option<String>,
}

impl UnitQuery {
    fn filter(self, include_inactive: bool) -> units::Filter {
        units::Filter { q: non_empty(self.q), kind: non_empty(self.kind), include_inactive, only_id: None }
    }
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TeamQuery {
    q: Option<String>,
    district_id: Option<i64>,
    unit_id: Option<i64>,
    /// A service category code (see /api/v1/categories).
    category: Option<String>,
}

impl TeamQuery {
    fn filter(self, include_inactive: bool) -> teams::Filter {
        teams::Filter {
            q: non_empty(self.q),
            district_id: self.district_id,
            unit_id: self.unit_id,
            category: non_empty(self.category),
            include_inactive,
        }
    }
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct BeneficiaryQuery {
    q: Option<String>,
    kind: Option<String>,
    community_id: Option<i64>,
}

impl BeneficiaryQuery {
    fn filter(self, include_inactive: bool) -> beneficiaries::Filter {
        beneficiaries::Filter { q: non_empty(self.q), kind: non_empty(self.kind), community_id: self.community_id, include_inactive }
    }
}

pub(crate) fn non_empty(s: Option<String>) -> Option<String> {
    s.map(|s| s.trim().to_string()).filter(|s| !s.is_empty())
}

registry_api!(district_api {
    path: "/api/v1/districts",
    id_path: "/api/v1/districts/{id}",
    deactivate: "/api/v1/districts/{id}/deactivate",
    reactivate: "/api/v1/districts/{id}/reactivate",
    tag: "registry",
    input: DistrictInput,
    item: District,
    query: DistrictQuery,
    resource: District,
    list: list_districts,
    get: get_district,
    save: save_district,
    sheet: "districts"
});
registry_api!(community_api {
    path: "/api/v1/communities",
    id_path: "/api/v1/communities/{id}",
    deactivate: "/api/v1/communities/{id}/deactivate",
    reactivate: "/api/v1/communities/{id}/reactivate",
    tag: "registry",
    input: CommunityInput,
    item: Community,
    query: CommunityQuery,
    resource: Community,
    list: list_communities,
    get: get_community,
    save: save_community,
    sheet: "communities"
});
registry_api!(unit_api {
    path: "/api/v1/units",
    id_path: "/api/v1/units/{id}",
    deactivate: "/api/v1/units/{id}/deactivate",
    reactivate: "/api/v1/units/{id}/reactivate",
    tag: "registry",
    input: UnitInput,
    item: Unit,
    query: UnitQuery,
    resource: Unit,
    list: list_units,
    get: get_unit,
    save: save_unit,
    sheet: "units"
});
registry_api!(team_api {
    path: "/api/v1/teams",
    id_path: "/api/v1/teams/{id}",
    deactivate: "/api/v1/teams/{id}/deactivate",
    reactivate: "/api/v1/teams/{id}/reactivate",
    tag: "registry",
    input: TeamInput,
    item: Team,
    query: TeamQuery,
    resource: Team,
    list: list_teams,
    get: get_team,
    save: save_team,
    sheet: "teams"
});
registry_api!(beneficiary_api {
    path: "/api/v1/beneficiaries",
    id_path: "/api/v1/beneficiaries/{id}",
    deactivate: "/api/v1/beneficiaries/{id}/deactivate",
    reactivate: "/api/v1/beneficiaries/{id}/reactivate",
    tag: "registry",
    input: BeneficiaryInput,
    item: Beneficiary,
    query: BeneficiaryQuery,
    resource: Beneficiary,
    list: list_beneficiaries,
    get: get_beneficiary,
    save: save_beneficiary,
    sheet: "beneficiaries"
});
