//! Drawings, photos and PDFs on the problem board over HTTP. The upload's
//! body is held to one file's limit before it is read, and the file is read
//! in chunks, so a larger one is refused (413) after 5 MiB at most, never kept
//! whole in memory.

use axum::extract::{DefaultBodyLimit, Multipart, Path, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use tongxing_domain::skills::attachments::MAX_ATTACHMENT_BYTES;
use tongxing_domain::skills::views::ProblemAttachment;
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::api::{err, ApiResult, ListOf};
use crate::error::ApiError;
use crate::extract::ApiUser;
use crate::i18n::Lang;
use crate::AppState;

/// A request carrying one file: the file's limit and room for the form's
/// boundaries, headers and the step's name.
pub(crate) const ATTACHMENT_BODY_LIMIT: usize = MAX_ATTACHMENT_BYTES + 64 * 1024;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list, upload)).routes(routes!(download, remove)).layer(DefaultBodyLimit::max(ATTACHMENT_BODY_LIMIT))
}

/// The form of an upload.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct AttachmentUpload {
    /// What it belongs to: `problem` (the default), `solution`, `field_test` or `rolled_out`.
    #[schema(value_type = Option<String>, pattern = "^(problem|solution|field_test|rolled_out)$")]
    step: Option<String>,
    /// A JPEG, PNG, WebP or PDF of at most 5 MiB, told by its bytes.
    #[schema(value_type = String, format = Binary)]
    file: Vec<u8>,
}

/// The refusal of an upload, naming the field.
fn refuse(s: &AppState, lang: Lang, status: StatusCode, code: &str) -> ApiError {
    let mut e = ApiError::new(status, code, &s.cat, lang);
    e.field = Some("file".into());
    e
}

/// The form's `step` (`problem` when absent) and `file` (its name and
/// bytes), or the refusal's status and code. The file is read a chunk at a
/// time and refused as soon as it passes the limit.
pub(crate) async fn read_attachment_form(form: &mut Multipart) -> Result<(String, Option<(String, Vec<u8>)>), (StatusCode, &'static str)> {
    let too_large = (StatusCode::PAYLOAD_TOO_LARGE, "attachment_too_large");
    let unreadable = |e: axum::extract::multipart::MultipartError| match e.status() {
        StatusCode::PAYLOAD_TOO_LARGE => too_large,
        _ => (StatusCode::UNPROCESSABLE_ENTITY, "unreadable_attachment"),
    };
    let (mut step, mut file) = ("problem".to_string(), None);
    while let Some(mut field) = form.next_field().await.map_err(unreadable)? {
        match field.name() {
            Some("step") => step = field.text().await.map_err(unreadable)?,
            Some("file") => {
                let name = field.file_name().unwrap_or_default().to_string();
                let mut bytes = Vec::new();
                while let Some(chunk) = field.chunk().await.map_err(unreadable)? {
                    if bytes.len() + chunk.len() > MAX_ATTACHMENT_BYTES {
                        return Err(too_large);
                    }
                    bytes.extend_from_slice(&chunk);
                }
                file = Some((name, bytes));
            }
            _ => {}
        }
    }
    Ok((step, file))
}

/// Attaches a drawing, photo or PDF to a problem (`step`: `problem`) or one
/// of its steps — the holding team's leader or the center. Over 5 MiB is 413;
/// not a JPEG, PNG, WebP or PDF by its bytes, empty, or a 21st file on the
/// problem is 422; each with `field`. Audited.
#[utoipa::path(post, path = "/api/v1/problems/{id}/attachments", tag = "skills", params(("id" = i64, Path, minimum = 1)),
    request_body(content = AttachmentUpload, content_type = "multipart/form-data", description = "fields `file` and `step`"),
    responses((status = 201, body = ProblemAttachment), (status = 403), (status = 404), (status = 409), (status = 413), (status = 422)))]
async fn upload(State(s): State<AppState>, ApiUser(actor, lang): ApiUser, Path(id): Path<i64>, mut form: Multipart) -> ApiResult<Response> {
    let (step, file) = read_attachment_form(&mut form).await.map_err(|(status, code)| refuse(&s, lang, status, code))?;
    let Some((name, bytes)) = file else {
        return Err(refuse(&s, lang, StatusCode::UNPROCESSABLE_ENTITY, "required"));
    };
    let saved = s.svc.attach_to_problem(&actor, id, &step, &name, &bytes).await.map_err(|e| {
        let mut a = err(&s, lang)(e);
        if a.status == StatusCode::PAYLOAD_TOO_LARGE {
            a.field = Some("file".into());
        }
        a
    })?;
    Ok((StatusCode::CREATED, Json(saved)).into_response())
}

/// A problem's files, oldest first (their bytes at `…/attachments/{attachment_id}`).
#[utoipa::path(get, path = "/api/v1/problems/{id}/attachments", tag = "skills", params(("id" = i64, Path, minimum = 1)),
    responses((status = 200, body = ListOf<ProblemAttachment>), (status = 404)))]
async fn list(State(s): State<AppState>, ApiUser(actor, lang): ApiUser, Path(id): Path<i64>) -> ApiResult<Json<ListOf<ProblemAttachment>>> {
    Ok(Json(ListOf::all(s.svc.problem_attachments(&actor, id).await.map_err(err(&s, lang))?)))
}

/// One file, as a download named after the problem and the file's number
/// (never the name it was uploaded with), served as the type its bytes
/// showed and never sniffed otherwise.
#[utoipa::path(get, path = "/api/v1/problems/{id}/attachments/{attachment_id}", tag = "skills",
    params(("id" = i64, Path, minimum = 1), ("attachment_id" = i64, Path, minimum = 1)),
    responses((status = 200, description = "The file", content(("image/jpeg"), ("image/png"), ("image/webp"), ("application/pdf"))),
        (status = 404)))]
async fn download(
    State(s): State<AppState>,
    ApiUser(actor, lang): ApiUser,
    Path((id, attachment_id)): Path<(i64, i64)>,
) -> ApiResult<Response> {
    let f = s.svc.problem_attachment(&actor, id, attachment_id).await.map_err(err(&s, lang))?;
    // Only digits and our own extension: nothing the uploader sent reaches a header.
    let disposition = format!("attachment; filename=\"problem-{id}-{attachment_id}.{}\"", f.kind.extension());
    let mut resp = f.bytes.into_response();
    let h = resp.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(f.kind.content_type()));
    h.insert(header::CONTENT_DISPOSITION, HeaderValue::from_str(&disposition).unwrap_or(HeaderValue::from_static("attachment")));
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("private, max-age=3600"));
    Ok(resp)
}

/// Removes a file: its uploader or the center. Audited.
#[utoipa::path(delete, path = "/api/v1/problems/{id}/attachments/{attachment_id}", tag = "skills",
    params(("id" = i64, Path, minimum = 1), ("attachment_id" = i64, Path, minimum = 1)),
    responses((status = 204), (status = 403), (status = 404)))]
async fn remove(
    State(s): State<AppState>,
    ApiUser(actor, lang): ApiUser,
    Path((id, attachment_id)): Path<(i64, i64)>,
) -> ApiResult<StatusCode> {
    s.svc.delete_problem_attachment(&actor, id, attachment_id).await.map_err(err(&s, lang))?;
    Ok(StatusCode::NO_CONTENT)
}
