//! A problem's page: what it is, each step with who recorded it and when,
//! and the drawings, photos and PDFs on it and on each step — with an upload
//! form per step for those who may record the steps.

use askama::Template;
use axum::extract::{Multipart, OriginalUri, Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use tongxing_domain::skills::attachments::{FileKind, ATTACHMENT_STEPS};
use tongxing_domain::skills::views::ProblemAttachment;

use crate::extract::{CsrfForm, PageUser};
use crate::i18n::Tr;
use crate::ui::needs::short_time;
use crate::ui::view::Chrome;
use crate::ui::{error_page, render, see_other, service_error};
use crate::AppState;

struct StepLine {
    name: String,
    note: String,
    meta: String,
}

struct FileLine {
    id: i64,
    name: String,
    meta: String,
    /// A picture, shown as a thumbnail (the policy allows images from the site itself).
    image: bool,
    may_delete: bool,
}

/// What may be attached to: the problem or a step, its files, and whether the visitor may add one.
struct Part {
    step: &'static str,
    label: String,
    files: Vec<FileLine>,
    may_attach: bool,
}

#[derive(Template)]
#[template(path = "skills/problem.html")]
struct ProblemPage<'a> {
    c: Chrome<'a>,
    id: i64,
    status: String,
    description: String,
    meta: String,
    steps: Vec<StepLine>,
    parts: Vec<Part>,
    accept: String,
}

/// "1.2 MB", "730 KB", "512 B".
fn size_text(bytes: i64) -> String {
    match bytes {
        b if b >= 1024 * 1024 => format!("{:.1} MB", b as f64 / (1024.0 * 1024.0)),
        b if b >= 1024 => format!("{} KB", b / 1024),
        b => format!("{b} B"),
    }
}

fn file_line(a: &ProblemAttachment, may_delete: bool) -> FileLine {
    FileLine {
        id: a.id,
        name: a.file_name.clone(),
        meta: format!("{} · {} · {}", size_text(a.size), a.by_name.clone().unwrap_or_default(), short_time(a.at)),
        image: FileKind::from_content_type(&a.content_type).is_some_and(FileKind::is_image),
        may_delete,
    }
}

pub(super) async fn page(State(s): State<AppState>, p: PageUser, Path(id): Path<i64>, uri: OriginalUri) -> Response {
    let tr = Tr { cat: &s.cat, lang: p.lang };
    let d = match s.svc.problem(&p.user, id).await {
        Ok(d) => d,
        Err(e) => return service_error(&s, p.lang, e),
    };
    let x = &d.problem;
    let mut meta = vec![x.unit_name.clone(), format!("{} {}", tr.t("skills.proposer"), x.proposer_name), short_time(x.proposed_at)];
    meta.extend(x.trade_name.clone());
    meta.extend(x.site.clone());
    meta.extend(x.team_name.clone());
    meta.extend(x.award.clone());
    let parts = ATTACHMENT_STEPS
        .iter()
        .map(|step| Part {
            step,
            label: tr.t(&format!("skills.attach_to.{step}")),
            files: d
                .attachments
                .iter()
                .filter(|a| a.step == *step)
                .map(|a| file_line(a, s.svc.may_delete_attachment(&p.user, a)))
                .collect(),
            may_attach: x.merged_into.is_none() && s.svc.may_attach(&p.user, x, step),
        })
        .collect();
    let page = ProblemPage {
        id,
        status: tr.t(&format!("skills.status.{}", if x.merged_into.is_some() { "merged" } else { x.status.as_str() })),
        description: x.description.clone(),
        meta: meta.join(" · "),
        steps: d
            .steps
            .iter()
            .map(|st| StepLine {
                name: tr.t(&format!("skills.status.{}", st.step)),
                note: st.note.clone(),
                meta: [st.by_name.clone(), st.team_name.clone(), Some(short_time(st.at))]
                    .into_iter()
                    .flatten()
                    .collect::<Vec<_>>()
                    .join(" · "),
            })
            .collect(),
        parts,
        accept: FileKind::ALL.iter().map(|k| k.content_type()).collect::<Vec<_>>().join(","),
        c: Chrome::for_page(&s, tr, &p, x.title.clone(), &uri.0.to_string()),
    };
    render(StatusCode::OK, &page)
}

/// Multipart bodies are checked against the CSRF token in the form's action URL.
#[derive(serde::Deserialize)]
pub(super) struct CsrfQuery {
    #[serde(rename = "_csrf")]
    csrf: Option<String>,
}

/// The upload form's file: kept, or the page's error for why not.
pub(super) async fn upload(
    State(s): State<AppState>,
    p: PageUser,
    Path(id): Path<i64>,
    Query(q): Query<CsrfQuery>,
    mut form: Multipart,
) -> Response {
    if q.csrf.as_deref() != Some(p.csrf.as_str()) || p.csrf.is_empty() {
        return error_page(&s, p.lang, StatusCode::FORBIDDEN, "csrf");
    }
    let (step, file) = match crate::api::skills::read_attachment_form(&mut form).await {
        Ok(f) => f,
        Err((status, code)) => return error_page(&s, p.lang, status, code),
    };
    let Some((name, bytes)) = file else { return error_page(&s, p.lang, StatusCode::UNPROCESSABLE_ENTITY, "required") };
    match s.svc.attach_to_problem(&p.user, id, &step, &name, &bytes).await {
        Ok(_) => see_other(&format!("/skills/problems/{id}"), "saved"),
        Err(e) => service_error(&s, p.lang, e),
    }
}

pub(super) async fn remove(State(s): State<AppState>, p: PageUser, Path((id, attachment)): Path<(i64, i64)>, _f: CsrfForm) -> Response {
    match s.svc.delete_problem_attachment(&p.user, id, attachment).await {
        Ok(()) => see_other(&format!("/skills/problems/{id}"), "saved"),
        Err(e) => service_error(&s, p.lang, e),
    }
}
