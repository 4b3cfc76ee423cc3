//! A unit's sheet of certifications over HTTP: the template to fill in, and
//! the upload with its line-by-line report (the registry import's shape).

use axum::extract::{Multipart, Query, State};
use axum::response::Response;
use axum::Json;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::api::volunteers::{import_answer, ImportQuery, ImportResult, RosterUpload};
use crate::api::{err, ApiResult};
use crate::export::xlsx_download;
use crate::extract::ApiUser;
use crate::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(import)).routes(routes!(template))
}

/// Records certifications from a sheet (.xlsx or .csv, multipart field
/// `file`; the template's headings 手机号, 姓名, 工种, 等级, 发证日期, 证书编号,
/// 发证机关, 破格理由): each line is checked as the form is — the ladder's
/// order after what is stored and the lines before it, the issuer's number
/// unique — with its row and `field`. A sheet with errors records nothing
/// unless `?partial=true`; `?dry_run=true` only checks. A liaison enters
/// their own unit's people.
#[utoipa::path(post, path = "/api/v1/skills/certifications/import", tag = "skills", params(ImportQuery),
    request_body(content = RosterUpload, content_type = "multipart/form-data", description = "field `file`: the certification sheet"),
    responses((status = 200, body = ImportResult), (status = 400), (status = 403), (status = 409), (status = 413), (status = 422), (status = 429)))]
async fn import(
    State(s): State<AppState>,
    ApiUser(actor, lang): ApiUser,
    Query(q): Query<ImportQuery>,
    mut form: Multipart,
) -> ApiResult<Json<ImportResult>> {
    let svc = &s.svc;
    import_answer(&s, lang, &mut form, |name, bytes| async move { svc.import_certifications(&actor, &name, &bytes, q.mode()).await }).await
}

/// The certification sheet to fill in (.xlsx): the headings and one example line.
#[utoipa::path(get, path = "/api/v1/skills/certifications/import/template", tag = "skills",
    responses((status = 200, description = "The sheet to fill in", content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        (status = 403)))]
async fn template(State(s): State<AppState>, ApiUser(actor, lang): ApiUser) -> ApiResult<Response> {
    Ok(xlsx_download("skill-certifications", s.svc.certification_template(&actor).map_err(err(&s, lang))?))
}
