//! 技能传承 pages: one page per person of what the module asks of them —
//! their certifications and, for a mentor, what became of their
//! apprentices; the unit's (or region's) eligibility list; the problem
//! board, where a worker proposes and a team leader claims.

use askama::Template;
use axum::extract::{OriginalUri, Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use axum::Router;
use tongxing_domain::paging::Page;
use tongxing_domain::permission::{Action, Resource};
use tongxing_domain::role::Role;
use tongxing_domain::skills::inputs::ProblemInput;
use tongxing_domain::skills::views::{Certification, EligibleList, Problem};
use tongxing_service::skills::competitions::CompetitionRecord;
use tongxing_service::skills::ladder::EligibleQuery;
use tongxing_service::skills::mentoring::Mentoring;
use tongxing_service::skills::problems::BoardQuery;
use tongxing_service::skills::SkillsPrompt;

use crate::api::skills::rows;
use crate::extract::{CsrfForm, PageUser};
use crate::i18n::Tr;
use crate::ui::view::{Chrome, Pager};
use crate::ui::{render, see_other, service_error};
use crate::AppState;

mod board;
mod competitions;
mod import;
mod mentorships;
mod problem;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/skills", get(page))
        .route("/skills/problems", post(propose))
        .route("/skills/problems/{id}", get(problem::page))
        .route(
            "/skills/problems/{id}/attachments",
            post(problem::upload).layer(axum::extract::DefaultBodyLimit::max(crate::api::skills::ATTACHMENT_BODY_LIMIT)),
        )
        .route("/skills/problems/{id}/attachments/{attachment}/delete", post(problem::remove))
        .route("/skills/problems/{id}/claim", post(claim))
        .route("/skills/problems/{id}/merge", post(board::merge))
        .route("/skills/problems/{id}/award", post(board::award))
        .route("/skills/competitions", get(competitions::list).post(competitions::create))
        .route("/skills/competitions/{id}", get(competitions::detail))
        .route("/skills/competitions/{id}/results", post(competitions::result))
        .route("/skills/mentorships/{id}", get(mentorships::page))
        .route("/skills/mentorships/{id}/assessments", post(mentorships::assess))
        .route("/skills/mentorships/{id}/complete", post(mentorships::complete))
        .merge(crate::ui::import::routes::<import::CertificationSheet>())
}

/// The first screen's card.
pub struct SkillsCard {
    pub text: String,
}

impl SkillsCard {
    pub fn of(tr: &Tr, p: SkillsPrompt) -> Option<SkillsCard> {
        let text = match p {
            SkillsPrompt::Nothing => return None,
            SkillsPrompt::UnitEligible { now, soon } => tr.f2("skills.card_unit", now, soon),
            SkillsPrompt::Own { certifications, open_problems } => tr.f2("skills.card_own", certifications, open_problems),
            SkillsPrompt::OpenProblems(n) => tr.f("skills.card_open", n),
        };
        Some(SkillsCard { text })
    }
}

struct CertLine {
    trade: String,
    level: String,
    on: String,
}

struct EligibleLine {
    name: String,
    trade: String,
    next: String,
    status: String,
    now: bool,
}

/// The eligibility list's card: how many may apply now and soon, and a page of the lines.
struct EligibleCard {
    summary: String,
    items: Vec<EligibleLine>,
    pager: Option<Pager>,
}

/// `/skills?page=N`: the eligibility list's page.
#[derive(serde::Deserialize)]
struct SkillsQuery {
    page: Option<u32>,
}

/// Lines of the eligibility list a page shows.
const ELIGIBLE_PER_PAGE: u32 = 50;

struct ProblemLine {
    id: i64,
    title: String,
    meta: String,
    status: String,
    claimable: bool,
    /// The center may merge it into another, and (once solved) name its award.
    center: bool,
    awardable: bool,
}

/// An apprentice on the mentor's card, linking to the agreement.
struct ApprenticeLine {
    mentorship_id: i64,
    name: String,
    level: String,
}

struct MentoringCard {
    head: String,
    figures: Vec<String>,
    apprentices: Vec<ApprenticeLine>,
}

/// The visitor's competitions: a line of figures and each entry with its award.
struct CompetitionCard {
    figures: String,
    entries: Vec<(String, String)>,
}

#[derive(Template)]
#[template(path = "skills/index.html")]
struct SkillsPage<'a> {
    c: Chrome<'a>,
    certs: Vec<CertLine>,
    mentoring: Option<MentoringCard>,
    competitions: Option<CompetitionCard>,
    eligible: Option<EligibleCard>,
    problems: Vec<ProblemLine>,
    may_propose: bool,
    may_import: bool,
    team_id: i64,
}

fn level(tr: &Tr, code: &str) -> String {
    tr.t(&format!("skills.level.{code}"))
}

async fn page(State(s): State<AppState>, p: PageUser, uri: OriginalUri, Query(q): Query<SkillsQuery>) -> Response {
    let tr = Tr { cat: &s.cat, lang: p.lang };
    let u = &p.user;
    let (certs, mentoring, contests): (Vec<Certification>, Option<Mentoring>, Option<CompetitionRecord>) = match u.volunteer_id {
        Some(v) => match tokio::try_join!(s.svc.certifications(u, v), s.svc.mentoring(u, v), s.svc.competition_record(u, v)) {
            Ok((c, m, r)) => (c, Some(m), Some(r)),
            Err(e) => return service_error(&s, p.lang, e),
        },
        None => (Vec::new(), None, None),
    };
    let shown = Page::new(q.page, Some(ELIGIBLE_PER_PAGE));
    let eligible: Option<EligibleList> = match u.role {
        Role::Liaison | Role::Admin | Role::Coordinator | Role::Viewer => {
            match s.svc.eligible(u, &EligibleQuery { unit_id: u.unit_id, ..Default::default() }, shown).await {
                Ok(x) => Some(x),
                Err(e) => return service_error(&s, p.lang, e),
            }
        }
        _ => None,
    };
    let board = match s.svc.problems(u, &BoardQuery::default(), Page { page: 1, per_page: 50 }).await {
        Ok(b) => b,
        Err(e) => return service_error(&s, p.lang, e),
    };
    let center = matches!(u.role, Role::Admin | Role::Coordinator);
    let leads = u.role == Role::TeamLeader && u.team_id.is_some() || center;
    let page = SkillsPage {
        certs: certs
            .iter()
            .map(|c| CertLine { trade: c.trade_name.clone(), level: level(&tr, &c.level), on: c.certified_on.clone() })
            .collect(),
        mentoring: mentoring.filter(|m| m.summary.apprentices > 0).map(|m| mentoring_card(&tr, m)),
        competitions: contests.filter(|r| r.summary.entered + r.summary.coached > 0).map(|r| CompetitionCard {
            figures: {
                let n = r.summary;
                tr.cat.fmt(tr.lang, "skills.competition_figures", &[&n.entered, &n.awarded, &n.coached, &n.coached_awarded])
            },
            entries: r.entries.iter().map(|e| (e.title.clone(), rows::award(&tr, e))).collect(),
        }),
        eligible: eligible.map(|list| EligibleCard {
            summary: tr.f2("skills.eligible_counts", list.now, list.soon),
            items: list
                .items
                .iter()
                .map(|e| EligibleLine {
                    name: e.name.clone(),
                    trade: e.trade_name.clone(),
                    next: level(&tr, &e.next_level),
                    status: tr.t(&format!("skills.eligible.{}", e.status)),
                    now: e.status == "now",
                })
                .collect(),
            pager: (list.total > i64::from(ELIGIBLE_PER_PAGE)).then(|| Pager::new(&tr, "/skills", &[], shown, list.total)),
        }),
        problems: board.items.iter().map(|x: &Problem| problem_line(&tr, x, leads, center)).collect(),
        may_propose: u.volunteer_id.is_some(),
        may_import: s.svc.require(u, Action::Import, Resource::Skill).is_ok(),
        team_id: u.team_id.unwrap_or(0),
        c: Chrome::for_page(&s, tr, &p, tr.t("skills.title"), &uri.0.to_string()),
    };
    render(StatusCode::OK, &page)
}

fn mentoring_card(tr: &Tr, m: Mentoring) -> MentoringCard {
    let mut figures: Vec<String> =
        m.summary.by_level.iter().filter(|l| l.people > 0).map(|l| format!("{} {}", level(tr, &l.level), l.people)).collect();
    figures.extend(m.summary.certified_by_trade.iter().map(|t| tr.f2("skills.certified_in", &t.trade_name, t.people)));
    figures.push(tr.f("skills.awarded_apprentices", m.summary.awarded));
    let apprentices = m
        .apprentices
        .iter()
        .map(|a| ApprenticeLine {
            mentorship_id: a.mentorship_id,
            name: a.name.clone(),
            level: a.level.as_deref().map(|l| level(tr, l)).unwrap_or_default(),
        })
        .collect();
    MentoringCard { head: tr.f("skills.apprentices", m.summary.apprentices), figures, apprentices }
}

fn problem_line(tr: &Tr, x: &Problem, leads: bool, center: bool) -> ProblemLine {
    let mut meta = format!("{} · {} {}", x.unit_name, tr.t("skills.proposer"), x.proposer_name);
    if let Some(t) = &x.team_name {
        meta.push_str(&format!(" · {t}"));
    }
    if let Some(a) = &x.award {
        meta.push_str(&format!(" · {a}"));
    }
    ProblemLine {
        id: x.id,
        title: x.title.clone(),
        meta,
        status: tr.t(&format!("skills.status.{}", x.status)),
        claimable: leads && x.status == "proposed",
        center,
        awardable: center && !matches!(x.status.as_str(), "proposed" | "claimed"),
    }
}

/// A worker proposes a problem of their own unit.
async fn propose(State(s): State<AppState>, p: PageUser, f: CsrfForm) -> Response {
    let Some(me) = p.user.volunteer_id else { return service_error(&s, p.lang, tongxing_service::Error::Forbidden) };
    let unit_id = match s.svc.get_volunteer(&p.user, me, false).await {
        Ok(v) => v.unit_id,
        Err(e) => return service_error(&s, p.lang, e),
    };
    let text = |k: &str| f.get(k).map(str::to_string).filter(|v| !v.trim().is_empty());
    let input = ProblemInput {
        title: text("title").unwrap_or_default(),
        description: text("description").unwrap_or_default(),
        unit_id,
        site: text("site"),
        ..Default::default()
    };
    match s.svc.propose_problem(&p.user, input).await {
        Ok(_) => see_other("/skills", "saved"),
        Err(e) => service_error(&s, p.lang, e),
    }
}

/// A team leader claims a problem for their team (the center: for the team named).
async fn claim(State(s): State<AppState>, p: PageUser, Path(id): Path<i64>, f: CsrfForm) -> Response {
    let team = f.get("team_id").and_then(|t| t.parse().ok()).or(p.user.team_id).unwrap_or(0);
    match s.svc.claim_problem(&p.user, id, team).await {
        Ok(_) => see_other("/skills", "saved"),
        Err(e) => service_error(&s, p.lang, e),
    }
}
