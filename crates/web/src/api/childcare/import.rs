//! A liaison's enrolment sheet over HTTP: the template to fill in, and the
//! upload with its line-by-line report (the registry import's shape).

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

/// Enrols children from a sheet (.xlsx or .csv, multipart field `file`; the
/// template's headings 班级, 孩子姓名, 出生日期, 家长姓名, 家长手机号,
/// 接送人1姓名 …): each line is checked as the guardian's form is, with its
/// row and `field`; places go while they last, then the waitlist by priority;
/// each guardian gets their code by SMS; a child already in the class is not
/// enrolled again. A sheet with errors enrols nobody unless `?partial=true`;
/// `?dry_run=true` only checks. A liaison enrols their own unit's families.
#[utoipa::path(post, path = "/api/v1/childcare/enrolments/import", tag = "childcare", params(ImportQuery),
    request_body(content = RosterUpload, content_type = "multipart/form-data", description = "field `file`: the enrolment sheet"),
    responses((status = 200, body = ImportResult), (status = 400), (status = 403), (status = 413), (status = 422), (status = 429)))]
async fn import(
    State(s): State<AppState>,
    ApiUser(actor, lang): ApiUser,
    Query(q): Query<ImportQuery>,
    mut form: Multipart,
) -> ApiResult<Json<ImportResult>> {
    let svc = &s.svc;
    import_answer(&s, lang, &mut form, |name, bytes| async move { svc.import_enrolments(&actor, &name, &bytes, q.mode()).await }).await
}

/// The enrolment sheet to fill in (.xlsx): the headings and one example line.
#[utoipa::path(get, path = "/api/v1/childcare/enrolments/import/template", tag = "childcare",
    responses((status = 200, description = "The sheet to fill in", content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        (status = 403)))]
async fn template(State(s): State<AppState>, ApiUser(actor, lang): ApiUser) -> ApiResult<Response> {
    Ok(xlsx_download("childcare-enrolment", s.svc.enrolment_template(&actor).map_err(err(&s, lang))?))
}
