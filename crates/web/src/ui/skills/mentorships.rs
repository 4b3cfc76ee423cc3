//! A 师带徒 agreement's page: its assessments, a form for the next one (the
//! mentor: monthly; the unit and the center: any) and 出师.

use askama::Template;
use axum::extract::{OriginalUri, Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use tongxing_domain::role::Role;
use tongxing_domain::skills::apprenticeship::{period_of, AssessmentInput, CompletionInput, SCOPES};
use tongxing_service::registry::volunteers::region_today;

use crate::extract::{CsrfForm, PageUser};
use crate::i18n::Tr;
use crate::ui::view::Chrome;
use crate::ui::{render, see_other, service_error};
use crate::AppState;

struct Line {
    scope: String,
    period: String,
    score: i64,
    comment: String,
    by: String,
}

#[derive(Template)]
#[template(path = "skills/mentorship.html")]
struct MentorshipPage<'a> {
    c: Chrome<'a>,
    id: i64,
    meta: String,
    status: String,
    assessments: Vec<Line>,
    /// The scopes the visitor may assess, with this period's default, when still active.
    scopes: Vec<(&'static str, String, String)>,
    may_complete: bool,
    today: String,
}

fn level(tr: &Tr, code: &str) -> String {
    tr.t(&format!("skills.level.{code}"))
}

pub(super) async fn page(State(s): State<AppState>, p: PageUser, Path(id): Path<i64>, uri: OriginalUri) -> Response {
    let tr = Tr { cat: &s.cat, lang: p.lang };
    let d = match s.svc.mentorship(&p.user, id).await {
        Ok(d) => d,
        Err(e) => return service_error(&s, p.lang, e),
    };
    let m = &d.mentorship;
    let keeps = matches!(p.user.role, Role::Admin | Role::Coordinator | Role::Liaison);
    let active = m.completed_on.is_none();
    let today = region_today();
    let scopes = SCOPES
        .iter()
        .filter(|sc| active && (keeps || **sc == "monthly" && p.user.volunteer_id == Some(m.mentor_id)))
        .map(|sc| (*sc, tr.t(&format!("skills.scope.{sc}")), period_of(sc, today)))
        .collect();
    let status = match (&m.completed_on, &m.timing) {
        (Some(on), Some(t)) => {
            format!("{} {on} · {} · {}", tr.t("skills.completed_on"), tr.t(&format!("skills.timing.{t}")), m.final_score.unwrap_or(0))
        }
        _ => tr.t("skills.mentorship_active"),
    };
    let page = MentorshipPage {
        id,
        meta: format!(
            "{} {} · {} {} · {} {} → {} · {} – {}",
            tr.t("skills.mentor"),
            m.mentor_name,
            tr.t("skills.apprentice"),
            m.apprentice_name,
            m.trade_name,
            level(&tr, &m.from_level),
            level(&tr, &m.target_level),
            m.starts_on,
            m.ends_on
        ),
        status,
        assessments: d
            .assessment_records
            .iter()
            .map(|a| Line {
                scope: tr.t(&format!("skills.scope.{}", a.scope)),
                period: a.period.clone(),
                score: a.score,
                comment: a.comment.clone().unwrap_or_default(),
                by: a.by_name.clone().unwrap_or_default(),
            })
            .collect(),
        scopes,
        may_complete: keeps && active,
        today: today.to_string(),
        c: Chrome::for_page(&s, tr, &p, tr.t("skills.mentorship"), &uri.0.to_string()),
    };
    render(StatusCode::OK, &page)
}

fn text(f: &CsrfForm, k: &str) -> String {
    f.get(k).unwrap_or_default().trim().to_string()
}

fn score(f: &CsrfForm, k: &str) -> i64 {
    f.get(k).and_then(|v| v.trim().parse().ok()).unwrap_or(-1)
}

pub(super) async fn assess(State(s): State<AppState>, p: PageUser, Path(id): Path<i64>, f: CsrfForm) -> Response {
    let input = AssessmentInput {
        period: text(&f, "period"),
        scope: text(&f, "scope"),
        score: score(&f, "score"),
        comment: Some(text(&f, "comment")),
    };
    match s.svc.assess_apprentice(&p.user, id, input).await {
        Ok(_) => see_other(&format!("/skills/mentorships/{id}"), "saved"),
        Err(e) => service_error(&s, p.lang, e),
    }
}

pub(super) async fn complete(State(s): State<AppState>, p: PageUser, Path(id): Path<i64>, f: CsrfForm) -> Response {
    let input = CompletionInput {
        completed_on: text(&f, "completed_on"),
        final_score: score(&f, "final_score"),
        comment: Some(text(&f, "comment")),
    };
    match s.svc.complete_mentorship(&p.user, id, input).await {
        Ok(_) => see_other(&format!("/skills/mentorships/{id}"), "saved"),
        Err(e) => service_error(&s, p.lang, e),
    }
}
