//! Party organisation pages: the registry's list, form and switch (with
//! filters by district, community and unit), and an organisation's page
//! with its members and whether each reported.

use askama::Template;
use axum::extract::{OriginalUri, Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use tongxing_domain::campaigns::party_orgs::{PartyOrg, PartyOrgInput};
use tongxing_domain::model::{Paged, User};
use tongxing_domain::paging::Page;
// `Action` and `Resource` are read by the template (`c.may`).
#[allow(unused_imports)]
use tongxing_domain::permission::{Action, Resource};
use tongxing_service::{Result, Service};
use tongxing_store::campaigns::party_orgs::Filter;

use super::report_in::{members_view, period_query, wants_xlsx, MemberRow, PeriodForm};
use crate::extract::PageUser;
use crate::i18n::Tr;
use crate::ui::registry::{community_options, district_options, pages, query_value, unit_options, RegistryPages};
use crate::ui::view::{Cell, Chrome, Field, Kind, SelectFilter, Values};
use crate::ui::volunteers::select_filter;
use crate::ui::{render, service_error};
use crate::AppState;

pub fn router() -> Router<AppState> {
    pages::<PartyOrgs>().route("/party-orgs/{id}/members", get(org_page))
}

fn id_of(query: &[(String, String)], key: &str) -> Option<i64> {
    query_value(query, key).and_then(|v| v.parse().ok())
}

pub(crate) struct PartyOrgs;
impl RegistryPages for PartyOrgs {
    const BASE: &'static str = "/party-orgs";
    const TITLE: &'static str = "nav.party_orgs";
    const NEW: &'static str = "party_org.new";
    const EDIT: &'static str = "party_org.edit";
    const RESOURCE: Resource = Resource::PartyOrg;
    const COLUMNS: &'static [&'static str] =
        &["field.name", "field.unit", "field.community", "field.secretary", "field.contact_phone", "report_in.reported", "field.status"];
    type Item = PartyOrg;
    type Input = PartyOrgInput;
    fn active(i: &PartyOrg) -> bool {
        i.active
    }
    fn row(i: &PartyOrg, tr: &Tr) -> Vec<Cell> {
        vec![
            Cell::link(&i.name, format!("/party-orgs/{}/members", i.id), "row-link"),
            Cell::text(i.unit_name.clone().unwrap_or_default()),
            Cell::link(format!("{}（{}）", i.community_name, i.district_name), format!("/communities/{}/report-in", i.community_id), ""),
            Cell::text(i.secretary.clone().unwrap_or_default()),
            Cell::text(i.contact_phone.clone().unwrap_or_default()),
            Cell::text(i.reported.to_string()),
            Cell::text(tr.t(if i.active { "status.active" } else { "status.inactive" })),
        ]
    }
    fn values(i: &PartyOrg) -> Values {
        let one = |v: String| vec![v];
        Values::from([
            ("name".into(), one(i.name.clone())),
            ("unit_id".into(), one(i.unit_id.map(|u| u.to_string()).unwrap_or_default())),
            ("community_id".into(), one(i.community_id.to_string())),
            ("secretary".into(), one(i.secretary.clone().unwrap_or_default())),
            ("contact_phone".into(), one(i.contact_phone.clone().unwrap_or_default())),
        ])
    }
    async fn list(svc: &Service, a: &User, q: Option<String>, include_inactive: bool, page: Page) -> Result<Paged<PartyOrg>> {
        svc.list_party_orgs(a, &Filter { q, include_inactive, ..Default::default() }, page).await
    }
    async fn list_filtered(
        svc: &Service,
        a: &User,
        query: &[(String, String)],
        q: Option<String>,
        include_inactive: bool,
        page: Page,
    ) -> Result<Paged<PartyOrg>> {
        let f = Filter {
            q,
            include_inactive,
            district_id: id_of(query, "district_id"),
            community_id: id_of(query, "community_id"),
            unit_id: id_of(query, "unit_id"),
        };
        svc.list_party_orgs(a, &f, page).await
    }
    async fn filters(svc: &Service, a: &User, tr: Tr<'_>, query: &[(String, String)]) -> Result<Vec<SelectFilter>> {
        let (districts, communities, units) = tokio::try_join!(district_options(svc, a), community_options(svc, a), unit_options(svc, a))?;
        Ok(vec![
            select_filter("district_id", tr.t("field.district_id"), query_value(query, "district_id"), districts),
            select_filter("community_id", tr.t("field.community"), query_value(query, "community_id"), communities),
            select_filter("unit_id", tr.t("field.unit"), query_value(query, "unit_id"), units),
        ])
    }
    async fn get(svc: &Service, a: &User, id: i64) -> Result<PartyOrg> {
        svc.get_party_org(a, id).await
    }
    async fn save(svc: &Service, a: &User, id: Option<i64>, i: &PartyOrgInput) -> Result<i64> {
        svc.save_party_org(a, id, i).await
    }
    async fn fields(svc: &Service, a: &User, tr: Tr<'_>, v: &Values) -> Result<Vec<Field>> {
        let (communities, units) = tokio::try_join!(community_options(svc, a), unit_options(svc, a))?;
        Ok(vec![
            Field::new(&tr, "name", Kind::Text, true, v),
            Field::new(&tr, "unit_id", Kind::Select { numeric: true }, false, v).labelled(&tr, "field.unit").with_options(v, units),
            Field::new(&tr, "community_id", Kind::Select { numeric: true }, true, v)
                .labelled(&tr, "field.community")
                .with_options(v, communities),
            Field::new(&tr, "secretary", Kind::Text, false, v),
            Field::new(&tr, "contact_phone", Kind::Text, false, v),
        ])
    }
}

#[derive(Template)]
#[template(path = "campaigns/party_org.html")]
struct OrgPage<'a> {
    more: Option<String>,
    c: Chrome<'a>,
    o: PartyOrg,
    members: Vec<MemberRow>,
    period: PeriodForm,
    export_href: String,
}

async fn org_page(
    State(s): State<AppState>,
    p: PageUser,
    uri: OriginalUri,
    Path(id): Path<i64>,
    Query(q): Query<Vec<(String, String)>>,
) -> Response {
    let tr = Tr { cat: &s.cat, lang: p.lang };
    let (o, members) = match s.svc.party_org_members(&p.user, id, &period_query(&q), wants_xlsx(&q)).await {
        Ok(x) => x,
        Err(e) => return service_error(&s, p.lang, e),
    };
    let view = match members_view(&s, &tr, &format!("/party-orgs/{id}/members"), &q, &members) {
        Ok(v) => v,
        Err(xlsx) => return *xlsx,
    };
    let page = OrgPage {
        members: view.rows,
        more: view.more,
        period: view.period,
        export_href: view.export_href,
        c: Chrome::for_page(&s, tr, &p, o.name.clone(), &uri.0.to_string()),
        o,
    };
    render(StatusCode::OK, &page)
}
