//! What differs per kind of registry row: columns, form fields, service calls.

use tongxing_domain::category::CATEGORIES;
use tongxing_domain::model::{Beneficiary, Community, District, Paged, Team, Unit, User};
use tongxing_domain::paging::Page;
use tongxing_domain::permission::Resource;
use tongxing_domain::registry::{BeneficiaryInput, CommunityInput, DistrictInput, TeamInput, UnitInput, BENEFICIARY_KINDS, UNIT_KINDS};
use tongxing_service::{Result, Service};
use tongxing_store::registry::{beneficiaries, communities, districts, teams, units};

use super::RegistryPages;
use crate::i18n::Tr;
use crate::ui::view::{Cell, Field, Kind, Values};

fn one(v: impl ToString) -> Vec<String> {
    vec![v.to_string()]
}

fn status_cell(tr: &Tr, active: bool) -> Cell {
    Cell::text(tr.t(if active { "status.active" } else { "status.inactive" }))
}

/// Choices of a lookup list, as (id, name).
pub async fn district_options(svc: &Service, actor: &User) -> Result<Vec<(String, String)>> {
    let all = Page { page: 1, per_page: 10_000 };
    Ok(svc.list_districts(actor, &Default::default(), all).await?.items.into_iter().map(|d| (d.id.to_string(), d.name)).collect())
}

pub async fn unit_options(svc: &Service, actor: &User) -> Result<Vec<(String, String)>> {
    let all = Page { page: 1, per_page: 10_000 };
    Ok(svc.list_units(actor, &Default::default(), all).await?.items.into_iter().map(|u| (u.id.to_string(), u.name)).collect())
}

pub async fn community_options(svc: &Service, actor: &User) -> Result<Vec<(String, String)>> {
    let all = Page { page: 1, per_page: 10_000 };
    Ok(svc
        .list_communities(actor, &Default::default(), all)
        .await?
        .items
        .into_iter()
        .map(|c| (c.id.to_string(), format!("{}（{}）", c.name, c.district_name)))
        .collect())
}

pub async fn team_options(svc: &Service, actor: &User) -> Result<Vec<(String, String)>> {
    let all = Page { page: 1, per_page: 10_000 };
    Ok(svc.list_teams(actor, &Default::default(), all).await?.items.into_iter().map(|t| (t.id.to_string(), t.name)).collect())
}

fn coded(tr: &Tr, prefix: &str, codes: &[&str]) -> Vec<(String, String)> {
    codes.iter().map(|c| (c.to_string(), tr.t(&format!("{prefix}.{c}")))).collect()
}

pub(super) struct Districts;
impl RegistryPages for Districts {
    const BASE: &'static str = "/districts";
    const TITLE: &'static str = "nav.districts";
    const NEW: &'static str = "district.new";
    const EDIT: &'static str = "district.edit";
    const RESOURCE: Resource = Resource::District;
    const COLUMNS: &'static [&'static str] = &["field.name", "stat.communities", "stat.teams", "field.status"];
    type Item = District;
    type Input = DistrictInput;
    fn active(i: &District) -> bool {
        i.active
    }
    fn row(i: &District, tr: &Tr) -> Vec<Cell> {
        vec![
            Cell::link(&i.name, format!("/districts/{}", i.id), "row-link"),
            Cell::link(i.community_count.to_string(), format!("/communities?district_id={}", i.id), ""),
            Cell::link(i.team_count.to_string(), format!("/teams?district_id={}", i.id), ""),
            status_cell(tr, i.active),
        ]
    }
    fn values(i: &District) -> Values {
        Values::from([("name".into(), one(&i.name))])
    }
    async fn list(svc: &Service, a: &User, q: Option<String>, include_inactive: bool, page: Page) -> Result<Paged<District>> {
        svc.list_districts(a, &districts::Filter { q, include_inactive }, page).await
    }
    async fn get(svc: &Service, a: &User, id: i64) -> Result<District> {
        svc.get_district(a, id).await
    }
    async fn save(svc: &Service, a: &User, id: Option<i64>, i: &DistrictInput) -> Result<i64> {
        svc.save_district(a, id, i).await
    }
    async fn fields(_: &Service, _: &User, tr: Tr<'_>, v: &Values) -> Result<Vec<Field>> {
        Ok(vec![Field::new(&tr, "name", Kind::Text, true, v)])
    }
}

pub(super) struct Communities;
impl RegistryPages for Communities {
    const BASE: &'static str = "/communities";
    const TITLE: &'static str = "nav.communities";
    const NEW: &'static str = "community.new";
    const EDIT: &'static str = "community.edit";
    const RESOURCE: Resource = Resource::Community;
    const COLUMNS: &'static [&'static str] = &["field.name", "field.district_id", "field.lat", "field.lng", "field.status"];
    type Item = Community;
    type Input = CommunityInput;
    fn active(i: &Community) -> bool {
        i.active
    }
    fn row(i: &Community, tr: &Tr) -> Vec<Cell> {
        vec![
            Cell::link(&i.name, format!("/communities/{}", i.id), "row-link"),
            Cell::text(&i.district_name),
            Cell::text(format!("{:.5}", i.lat)),
            Cell::text(format!("{:.5}", i.lng)),
            status_cell(tr, i.active),
        ]
    }
    fn values(i: &Community) -> Values {
        Values::from([
            ("name".into(), one(&i.name)),
            ("district_id".into(), one(i.district_id)),
            ("lat".into(), one(i.lat)),
            ("lng".into(), one(i.lng)),
        ])
    }
    async fn list(svc: &Service, a: &User, q: Option<String>, include_inactive: bool, page: Page) -> Result<Paged<Community>> {
        svc.list_communities(a, &communities::Filter { q, include_inactive, district_id: None }, page).await
    }
    async fn get(svc: &Service, a: &User, id: i64) -> Result<Community> {
        svc.get_community(a, id).await
    }
    async fn save(svc: &Service, a: &User, id: Option<i64>, i: &CommunityInput) -> Result<i64> {
        svc.save_community(a, id, i).await
    }
    async fn fields(svc: &Service, a: &User, tr: Tr<'_>, v: &Values) -> Result<Vec<Field>> {
        Ok(vec![
            Field::new(&tr, "name", Kind::Text, true, v),
            Field::new(&tr, "district_id", Kind::Select { numeric: true }, true, v).with_options(v, district_options(svc, a).await?),
            Field::new(&tr, "lat", Kind::Number, true, v),
            Field::new(&tr, "lng", Kind::Number, true, v),
        ])
    }
}

pub(super) struct Units;
impl RegistryPages for Units {
    const BASE: &'static str = "/units";
    const TITLE: &'static str = "nav.units";
    const NEW: &'static str = "unit.new";
    const EDIT: &'static str = "unit.edit";
    const RESOURCE: Resource = Resource::Unit;
    const COLUMNS: &'static [&'static str] = &["field.name", "field.kind", "stat.volunteers", "field.status"];
    type Item = Unit;
    type Input = UnitInput;
    fn active(i: &Unit) -> bool {
        i.active
    }
    fn row(i: &Unit, tr: &Tr) -> Vec<Cell> {
        vec![
            Cell::link(&i.name, format!("/units/{}", i.id), "row-link"),
            Cell::text(tr.t(&format!("unit_kind.{}", i.kind))),
            Cell::link(i.volunteer_count.to_string(), format!("/volunteers?unit_id={}", i.id), ""),
            status_cell(tr, i.active),
        ]
    }
    fn values(i: &Unit) -> Values {
        Values::from([
            ("name".into(), one(&i.name)),
            ("kind".into(), one(&i.kind)),
            ("webhook_url".into(), one(i.webhook_url.clone().unwrap_or_default())),
        ])
    }
    async fn list(svc: &Service, a: &User, q: Option<String>, include_inactive: bool, page: Page) -> Result<Paged<Unit>> {
        svc.list_units(a, &units::Filter { q, include_inactive, ..Default::default() }, page).await
    }
    async fn get(svc: &Service, a: &User, id: i64) -> Result<Unit> {
        svc.get_unit(a, id).await
    }
    async fn save(svc: &Service, a: &User, id: Option<i64>, i: &UnitInput) -> Result<i64> {
        svc.save_unit(a, id, i).await
    }
    async fn fields(_: &Service, _: &User, tr: Tr<'_>, v: &Values) -> Result<Vec<Field>> {
        Ok(vec![
            Field::new(&tr, "name", Kind::Text, true, v),
            Field::new(&tr, "kind", Kind::Select { numeric: false }, true, v).with_options(v, coded(&tr, "unit_kind", UNIT_KINDS)),
            Field::new(&tr, "webhook_url", Kind::Text, false, v),
        ])
    }
}

pub(super) struct Teams;
impl RegistryPages for Teams {
    const BASE: &'static str = "/teams";
    const TITLE: &'static str = "nav.teams";
    const NEW: &'static str = "team.new";
    const EDIT: &'static str = "team.edit";
    const RESOURCE: Resource = Resource::Team;
    const HAS_PAGE: bool = true;
    const COLUMNS: &'static [&'static str] =
        &["field.name", "field.category", "field.district_id", "field.unit", "field.leader", "field.members"];
    type Item = Team;
    type Input = TeamInput;
    fn active(i: &Team) -> bool {
        i.active
    }
    fn row(i: &Team, tr: &Tr) -> Vec<Cell> {
        vec![
            Cell::link(&i.name, format!("/teams/{}", i.id), "row-link"),
            Cell::text(tr.t(&format!("category.{}", i.category))),
            Cell::text(&i.district_name),
            Cell::text(i.unit_name.clone().unwrap_or_default()),
            match (i.leader_volunteer_id, &i.leader_name) {
                (Some(id), Some(n)) => Cell::link(n, format!("/volunteers/{id}"), ""),
                _ => Cell::text(""),
            },
            Cell::link(i.member_count.to_string(), format!("/volunteers?team_id={}", i.id), ""),
        ]
    }
    fn values(i: &Team) -> Values {
        Values::from([
            ("name".into(), one(&i.name)),
            ("district_id".into(), one(i.district_id)),
            ("category".into(), one(&i.category)),
            ("unit_id".into(), i.unit_id.map(one).unwrap_or_default()),
            ("leader_volunteer_id".into(), i.leader_volunteer_id.map(one).unwrap_or_default()),
        ])
    }
    async fn list(svc: &Service, a: &User, q: Option<String>, include_inactive: bool, page: Page) -> Result<Paged<Team>> {
        svc.list_teams(a, &teams::Filter { q, include_inactive, ..Default::default() }, page).await
    }
    async fn get(svc: &Service, a: &User, id: i64) -> Result<Team> {
        svc.get_team(a, id).await
    }
    async fn save(svc: &Service, a: &User, id: Option<i64>, i: &TeamInput) -> Result<i64> {
        svc.save_team(a, id, i).await
    }
    async fn fields(svc: &Service, a: &User, tr: Tr<'_>, v: &Values) -> Result<Vec<Field>> {
        Ok(vec![
            Field::new(&tr, "name", Kind::Text, true, v),
            Field::new(&tr, "category", Kind::Select { numeric: false }, true, v).with_options(v, coded(&tr, "category", CATEGORIES)),
            Field::new(&tr, "district_id", Kind::Select { numeric: true }, true, v).with_options(v, district_options(svc, a).await?),
            Field::new(&tr, "unit_id", Kind::Select { numeric: true }, false, v).with_options(v, unit_options(svc, a).await?),
            Field::new(&tr, "leader_volunteer_id", Kind::Integer, false, v),
        ])
    }
}

pub(super) struct Beneficiaries;
impl RegistryPages for Beneficiaries {
    const BASE: &'static str = "/beneficiaries";
    const TITLE: &'static str = "nav.beneficiaries";
    const NEW: &'static str = "beneficiary.new";
    const EDIT: &'static str = "beneficiary.edit";
    const RESOURCE: Resource = Resource::Beneficiary;
    const COLUMNS: &'static [&'static str] = &["field.person_name", "field.kind", "field.community", "field.phone", "field.status"];
    type Item = Beneficiary;
    type Input = BeneficiaryInput;
    fn active(i: &Beneficiary) -> bool {
        i.active
    }
    fn row(i: &Beneficiary, tr: &Tr) -> Vec<Cell> {
        vec![
            Cell::link(&i.name, format!("/beneficiaries/{}", i.id), "row-link"),
            Cell::text(tr.t(&format!("beneficiary_kind.{}", i.kind))),
            Cell::text(&i.community_name),
            Cell::text(i.phone.clone().unwrap_or_default()),
            status_cell(tr, i.active),
        ]
    }
    fn values(i: &Beneficiary) -> Values {
        Values::from([
            ("name".into(), one(&i.name)),
            ("kind".into(), one(&i.kind)),
            ("community_id".into(), one(i.community_id)),
            ("phone".into(), one(i.phone.clone().unwrap_or_default())),
            ("address".into(), one(i.address.clone().unwrap_or_default())),
            ("notes".into(), one(i.notes.clone().unwrap_or_default())),
        ])
    }
    async fn list(svc: &Service, a: &User, q: Option<String>, include_inactive: bool, page: Page) -> Result<Paged<Beneficiary>> {
        svc.list_beneficiaries(a, &beneficiaries::Filter { q, include_inactive, ..Default::default() }, page).await
    }
    async fn get(svc: &Service, a: &User, id: i64) -> Result<Beneficiary> {
        svc.get_beneficiary(a, id).await
    }
    async fn save(svc: &Service, a: &User, id: Option<i64>, i: &BeneficiaryInput) -> Result<i64> {
        svc.save_beneficiary(a, id, i).await
    }
    async fn fields(svc: &Service, a: &User, tr: Tr<'_>, v: &Values) -> Result<Vec<Field>> {
        Ok(vec![
            Field::new(&tr, "name", Kind::Text, true, v).labelled(&tr, "field.person_name"),
            Field::new(&tr, "kind", Kind::Select { numeric: false }, true, v)
                .with_options(v, coded(&tr, "beneficiary_kind", BENEFICIARY_KINDS)),
            Field::new(&tr, "community_id", Kind::Select { numeric: true }, true, v).with_options(v, community_options(svc, a).await?),
            Field::new(&tr, "phone", Kind::Text, false, v),
            Field::new(&tr, "address", Kind::Text, false, v),
            Field::new(&tr, "notes", Kind::Textarea, false, v),
        ])
    }
}
