use axum::extract::{Multipart, Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::Json;
use serde::{Deserialize, Serialize};
use tongxing_domain::model::VolunteerView;
use tongxing_domain::permission::Resource;
use tongxing_domain::registry::VolunteerInput;
use tongxing_domain::search::Query as SearchQuery;
use tongxing_service::registry::roster_import::{ImportReport, Mode};
use tongxing_store::registry::volunteers::Filter;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::{router::OpenApiRouter, routes};

use super::registry::{non_empty, respond_list};
use super::{created, err, ApiResult, ListOf, ListParams, Saved};
use crate::error::ApiError;
use crate::extract::{upload_field, ApiJson, ApiUser};
use crate::i18n::Tr;
use crate::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(get_one, update))
        .routes(routes!(deactivate))
        .routes(routes!(reactivate))
        .routes(routes!(import))
}

#[derive(Deserialize, IntoParams, Default)]
#[into_params(parameter_in = Query)]
pub struct VolunteerQuery {
    /// A name (prefix), pinyin initials or full pinyin (`zxj`), or the last digits of a phone.
    pub q: Option<String>,
    pub unit_id: Option<i64>,
    pub team_id: Option<i64>,
    pub community_id: Option<i64>,
    pub skill: Option<String>,
    pub party_member: Option<bool>,
}

impl VolunteerQuery {
    pub fn filter(self, include_inactive: bool) -> Filter {
        Filter {
            q: self.q.as_deref().and_then(SearchQuery::parse),
            unit_id: self.unit_id,
            team_id: self.team_id,
            community_id: self.community_id,
            skill: non_empty(self.skill),
            party_member: self.party_member,
            include_inactive,
            only_id: None,
        }
    }
}

/// Finds volunteers; phones come back masked. A liaison sees their unit, a
/// team leader their team. `?format=xlsx` exports the whole filtered list.
#[utoipa::path(get, path = "/api/v1/volunteers", tag = "volunteers", params(ListParams, VolunteerQuery),
    responses((status = 200, body = ListOf<VolunteerView>)))]
async fn list(
    State(s): State<AppState>,
    ApiUser(actor, lang): ApiUser,
    Query(p): Query<ListParams>,
    Query(q): Query<VolunteerQuery>,
) -> ApiResult<Response> {
    let list = s.svc.list_volunteers(&actor, q.filter(p.include_inactive), p.fetch_page()).await.map_err(err(&s, lang))?;
    respond_list(&s, lang, &p, "volunteers", list)
}

#[utoipa::path(post, path = "/api/v1/volunteers", tag = "volunteers", request_body = VolunteerInput,
    responses((status = 201, body = Saved), (status = 403), (status = 409), (status = 422)))]
async fn create(State(s): State<AppState>, ApiUser(actor, lang): ApiUser, ApiJson(input): ApiJson<VolunteerInput>) -> ApiResult<Response> {
    Ok(created(s.svc.save_volunteer(&actor, None, &input).await.map_err(err(&s, lang))?))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RevealQuery {
    /// `id_number` to see the full ID number (audited; admin, coordinator, the unit's liaison).
    reveal: Option<String>,
}

impl RevealQuery {
    pub(crate) fn wants_id_number(&self) -> bool {
        self.reveal.as_deref() == Some("id_number")
    }
}

/// One volunteer. Roles that call volunteers see the full phone; every such read is audited.
#[utoipa::path(get, path = "/api/v1/volunteers/{id}", tag = "volunteers", params(("id" = i64, Path, minimum = 1), RevealQuery),
    responses((status = 200, body = VolunteerView), (status = 403), (status = 404)))]
async fn get_one(
    State(s): State<AppState>,
    ApiUser(actor, lang): ApiUser,
    Path(id): Path<i64>,
    Query(r): Query<RevealQuery>,
) -> ApiResult<Json<VolunteerView>> {
    Ok(Json(s.svc.get_volunteer(&actor, id, r.wants_id_number()).await.map_err(err(&s, lang))?))
}

#[utoipa::path(put, path = "/api/v1/volunteers/{id}", tag = "volunteers", params(("id" = i64, Path, minimum = 1)), request_body = VolunteerInput,
    responses((status = 200, body = Saved), (status = 403), (status = 404), (status = 409), (status = 422)))]
async fn update(
    State(s): State<AppState>,
    ApiUser(actor, lang): ApiUser,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<VolunteerInput>,
) -> ApiResult<Json<Saved>> {
    Ok(Json(Saved { id: s.svc.save_volunteer(&actor, Some(id), &input).await.map_err(err(&s, lang))? }))
}

/// Deactivates a volunteer; their records stay.
#[utoipa::path(post, path = "/api/v1/volunteers/{id}/deactivate", tag = "volunteers", params(("id" = i64, Path, minimum = 1)), responses((status = 204)))]
async fn deactivate(State(s): State<AppState>, ApiUser(actor, lang): ApiUser, Path(id): Path<i64>) -> ApiResult<StatusCode> {
    s.svc.set_active(&actor, Resource::Volunteer, id, false).await.map_err(err(&s, lang))?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(post, path = "/api/v1/volunteers/{id}/reactivate", tag = "volunteers", params(("id" = i64, Path, minimum = 1)), responses((status = 204)))]
async fn reactivate(State(s): State<AppState>, ApiUser(actor, lang): ApiUser, Path(id): Path<i64>) -> ApiResult<StatusCode> {
    s.svc.set_active(&actor, Resource::Volunteer, id, true).await.map_err(err(&s, lang))?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ImportQuery {
    /// Import the good lines even when others have errors.
    #[serde(default)]
    partial: bool,
    /// Check only; write nothing.
    #[serde(default)]
    dry_run: bool,
}

impl ImportQuery {
    /// Check only, or write (the good lines too, with `partial`).
    pub fn mode(&self) -> Mode {
        if self.dry_run {
            Mode::Preview
        } else {
            Mode::Commit { partial: self.partial }
        }
    }
}

/// The form of a roster upload.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct RosterUpload {
    /// The roster: .xlsx, or .csv in UTF-8 or GB18030.
    #[schema(value_type = String, format = Binary)]
    file: Vec<u8>,
}

#[derive(Serialize, ToSchema)]
pub struct ImportProblem {
    pub row: usize,
    pub field: String,
    /// The column's name as the roster heads it, in the caller's language.
    pub column: String,
    pub code: String,
    pub message: String,
}

#[derive(Serialize, ToSchema)]
pub struct ImportResult {
    pub created: usize,
    pub updated: usize,
    pub errors: Vec<ImportProblem>,
    pub rows: usize,
    pub committed: bool,
}

pub fn import_result(r: ImportReport, tr: &Tr) -> ImportResult {
    let errors = r
        .errors
        .into_iter()
        .map(|e| ImportProblem {
            message: tr.t(&format!("error.{}", e.code)),
            column: tr.t(&format!("field.{}", e.field)),
            row: e.row,
            field: e.field,
            code: e.code,
        })
        .collect();
    ImportResult { created: r.created, updated: r.updated, errors, rows: r.rows, committed: r.committed }
}

/// Imports a roster (.xlsx or .csv, multipart field `file`). A file with
/// errors imports nothing unless `?partial=true`; `?dry_run=true` only checks.
/// A file over the upload limits is a 413; an unreadable, empty or too wide one a 422.
#[utoipa::path(post, path = "/api/v1/volunteers/import", tag = "volunteers", params(ImportQuery),
    request_body(content = RosterUpload, content_type = "multipart/form-data", description = "field `file`: the roster"),
    responses((status = 200, body = ImportResult), (status = 400), (status = 403), (status = 413), (status = 422), (status = 429)))]
async fn import(
    State(s): State<AppState>,
    ApiUser(actor, lang): ApiUser,
    Query(q): Query<ImportQuery>,
    mut form: Multipart,
) -> ApiResult<Json<ImportResult>> {
    let svc = &s.svc;
    import_answer(&s, lang, &mut form, |name, bytes| async move { svc.import_roster(&actor, &name, &bytes, q.mode(), &|_, _| {}).await })
        .await
}

/// The answer to every sheet upload: the multipart field `file` handed to
/// `run` (an importer of the service), its report with messages in the caller's language.
pub async fn import_answer<F, Fut>(s: &AppState, lang: crate::i18n::Lang, form: &mut Multipart, run: F) -> ApiResult<Json<ImportResult>>
where
    F: FnOnce(String, axum::body::Bytes) -> Fut,
    Fut: std::future::Future<Output = tongxing_service::Result<ImportReport>>,
{
    let (name, bytes) = uploaded(s, lang, form).await?;
    let report = run(name, bytes).await.map_err(err(s, lang))?;
    Ok(Json(import_result(report, &Tr { cat: &s.cat, lang })))
}

/// An upload's multipart field `file` (its name and bytes), or the API's refusal.
pub async fn uploaded(s: &AppState, lang: crate::i18n::Lang, form: &mut Multipart) -> ApiResult<(String, axum::body::Bytes)> {
    let refuse = |(status, code): (StatusCode, &str)| ApiError::new(status, code, &s.cat, lang);
    let file = upload_field(form).await.map_err(refuse)?;
    file.ok_or_else(|| refuse((StatusCode::BAD_REQUEST, "unreadable_file")))
}
