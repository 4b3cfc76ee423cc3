//! 报到 over HTTP: a party member's report to their home community, its
//! history, a sheet of reports from a liaison, who reported to a community
//! or through an organisation, and the 双进双报到 report.

use axum::extract::{Multipart, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::{Deserialize, Serialize};
use tongxing_domain::campaigns::party_orgs::PartyOrg;
use tongxing_domain::campaigns::report_in::{Member, ReportInInput};
use tongxing_domain::model::Community;
use tongxing_domain::schema;
use tongxing_service::campaigns::report_in::{Members, ReportHistory, ReportInFigures, ReportQuery};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::api::volunteers::{import_answer, ImportQuery, ImportResult, RosterUpload};
use crate::api::{err, ApiResult};
use crate::error::ApiError;
use crate::export::xlsx_response;
use crate::extract::{ApiJson, ApiUser};
use crate::i18n::{Lang, Tr};
use crate::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(report_in, history))
        .routes(routes!(import))
        .routes(routes!(figures))
        .routes(routes!(community))
        .routes(routes!(party_org))
}

/// Reports a party member to a community (报到): the member themself, their
/// unit's liaison, or the center. Only party members report (422 `party_member`);
/// a change keeps the old report in the history; the same report again records nothing.
#[utoipa::path(post, path = "/api/v1/volunteers/{id}/report-in", tag = "campaigns", params(("id" = i64, Path, minimum = 1)),
    request_body = ReportInInput, responses((status = 200, body = ReportHistory), (status = 403), (status = 404), (status = 409), (status = 422)))]
async fn report_in(
    State(s): State<AppState>,
    ApiUser(actor, lang): ApiUser,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<ReportInInput>,
) -> ApiResult<Json<ReportHistory>> {
    Ok(Json(s.svc.report_in(&actor, id, input).await.map_err(err(&s, lang))?))
}

/// A member's reports: the current one and every earlier one.
#[utoipa::path(get, path = "/api/v1/volunteers/{id}/report-in", tag = "campaigns", params(("id" = i64, Path, minimum = 1)),
    responses((status = 200, body = ReportHistory), (status = 403), (status = 404)))]
async fn history(State(s): State<AppState>, ApiUser(actor, lang): ApiUser, Path(id): Path<i64>) -> ApiResult<Json<ReportHistory>> {
    Ok(Json(s.svc.report_history(&actor, id).await.map_err(err(&s, lang))?))
}

/// Reports from a sheet (.xlsx or .csv, multipart field `file`; headings 手机号,
/// 报到小区 and optionally 党组织), within the caller's unit. A sheet with
/// errors records nothing unless `?partial=true`; `?dry_run=true` only checks.
#[utoipa::path(post, path = "/api/v1/report-ins/import", tag = "campaigns", params(ImportQuery),
    request_body(content = RosterUpload, content_type = "multipart/form-data", description = "field `file`: the sheet"),
    responses((status = 200, body = ImportResult), (status = 400), (status = 403), (status = 413), (status = 422), (status = 429)))]
async fn import(
    State(s): State<AppState>,
    ApiUser(actor, lang): ApiUser,
    Query(q): Query<ImportQuery>,
    mut form: Multipart,
) -> ApiResult<Json<ImportResult>> {
    let svc = &s.svc;
    import_answer(&s, lang, &mut form, |name, bytes| async move { svc.import_report_ins(&actor, &name, &bytes, q.mode()).await }).await
}

tongxing_domain::field_schemas! {
    by_schema = schema::padded_choice(&["community", "party_org"]);
}

#[derive(Deserialize, IntoParams, Default)]
#[into_params(parameter_in = Query)]
pub struct FiguresQuery {
    /// First day, `YYYY-MM-DD` (default: 1 January of `to`'s year).
    from: Option<String>,
    /// Last day, `YYYY-MM-DD`, included (default: today).
    to: Option<String>,
    district_id: Option<i64>,
    community_id: Option<i64>,
    party_org_id: Option<i64>,
    /// `community` (default): a line per community; `party_org`: per party organisation.
    #[param(schema_with = by_schema)]
    by: Option<String>,
    /// `xlsx` for an Excel file (the other lists' convention: exactly `xlsx`, anything else is JSON).
    format: Option<String>,
}

impl FiguresQuery {
    /// An unknown `by` is a 422 naming it.
    pub fn query(self, s: &AppState, lang: Lang) -> ApiResult<ReportQuery> {
        let by_org = match self.by.as_deref().map(str::trim).unwrap_or("") {
            "" | "community" => false,
            "party_org" => true,
            _ => {
                let mut e = ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "unknown_choice", &s.cat, lang);
                e.field = Some("by".into());
                return Err(e);
            }
        };
        let blank = |v: Option<String>| v.filter(|v| !v.trim().is_empty());
        Ok(ReportQuery {
            from: blank(self.from),
            to: blank(self.to),
            district_id: self.district_id,
            community_id: self.community_id,
            party_org_id: self.party_org_id,
            by_org,
        })
    }

    fn xlsx(&self) -> bool {
        self.format.as_deref() == Some("xlsx")
    }
}

/// The 双进双报到 report over the period: per community (or per party
/// organisation) its `members` (party members living there or reported
/// there), `reported` (with a current report there), `active` (reported, with
/// ledger hours in activities there in the period) and `hours` (those hours).
#[utoipa::path(get, path = "/api/v1/reports/report-in", tag = "campaigns", params(FiguresQuery),
    responses((status = 200, body = ReportInFigures), (status = 403), (status = 422)))]
async fn figures(State(s): State<AppState>, ApiUser(actor, lang): ApiUser, Query(q): Query<FiguresQuery>) -> ApiResult<Response> {
    let xlsx = q.xlsx();
    let f = s.svc.report_in_figures(&actor, &q.query(&s, lang)?).await.map_err(err(&s, lang))?;
    if xlsx {
        return xlsx_response(&Tr { cat: &s.cat, lang }, "report-in", &f.items).map_err(err(&s, lang));
    }
    Ok(Json(f).into_response())
}

#[derive(Serialize, ToSchema)]
pub struct CommunityMembers {
    pub community: Community,
    pub items: Vec<Member>,
    /// Whether more members than the 2,000 listed exist; `?format=xlsx` has them all.
    pub more: bool,
}

/// Who reported to a community and what each served there in the period
/// (`from`/`to` as in the report); then the party members living there who have not.
#[utoipa::path(get, path = "/api/v1/communities/{id}/report-in", tag = "campaigns", params(("id" = i64, Path, minimum = 1), FiguresQuery),
    responses((status = 200, body = CommunityMembers), (status = 403), (status = 404), (status = 422)))]
async fn community(
    State(s): State<AppState>,
    ApiUser(actor, lang): ApiUser,
    Path(id): Path<i64>,
    Query(q): Query<FiguresQuery>,
) -> ApiResult<Response> {
    let xlsx = q.xlsx();
    let (community, members) = s.svc.community_members(&actor, id, &q.query(&s, lang)?, xlsx).await.map_err(err(&s, lang))?;
    members_response(&s, lang, xlsx, members, |items, more| CommunityMembers { community, items, more })
}

/// Members as JSON (wrapped by `whole`), or with `?format=xlsx` as a workbook.
fn members_response<T: Serialize>(
    s: &AppState,
    lang: Lang,
    xlsx: bool,
    members: Members,
    whole: impl FnOnce(Vec<Member>, bool) -> T,
) -> ApiResult<Response> {
    if xlsx {
        return xlsx_response(&Tr { cat: &s.cat, lang }, "report-in-members", &members.items).map_err(err(s, lang));
    }
    Ok(Json(whole(members.items, members.more)).into_response())
}

#[derive(Serialize, ToSchema)]
pub struct OrgMembers {
    pub party_org: PartyOrg,
    pub items: Vec<Member>,
    /// As in `CommunityMembers`.
    pub more: bool,
}

/// A party organisation's members and whether each reported through it.
#[utoipa::path(get, path = "/api/v1/party-orgs/{id}/members", tag = "campaigns", params(("id" = i64, Path, minimum = 1), FiguresQuery),
    responses((status = 200, body = OrgMembers), (status = 403), (status = 404), (status = 422)))]
async fn party_org(
    State(s): State<AppState>,
    ApiUser(actor, lang): ApiUser,
    Path(id): Path<i64>,
    Query(q): Query<FiguresQuery>,
) -> ApiResult<Response> {
    let xlsx = q.xlsx();
    let (party_org, members) = s.svc.party_org_members(&actor, id, &q.query(&s, lang)?, xlsx).await.map_err(err(&s, lang))?;
    members_response(&s, lang, xlsx, members, |items, more| OrgMembers { party_org, items, more })
}
