//! The first screen (`/`): for a visitor the public landing page, for each
//! signed-in role what needs them now (issue #13 §1), read in one round of
//! queries (`Service::first_screen`).

mod center;
mod people;

use askama::Template;
use axum::extract::{OriginalUri, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use tongxing_domain::first_screen::waited;
use tongxing_domain::needs::WarningLevel;
use tongxing_service::campaigns::report_in::ReportInPrompt;
use tongxing_service::home::FirstScreen;
use tongxing_store::home::{ActivityLine, NeedLine};

use super::needs::{level_class, short_time};
use super::view::Chrome;
use super::{render, service_error};
use crate::extract::{PageUser, PageVisitor};
use crate::i18n::Tr;
use crate::AppState;

pub fn router() -> Router<AppState> {
    Router::new().route("/", get(home))
}

async fn home(State(s): State<AppState>, p: Option<PageUser>, v: PageVisitor, uri: OriginalUri) -> Response {
    let path = uri.0.to_string();
    let Some(p) = p else {
        let tr = Tr { cat: &s.cat, lang: v.lang };
        return render(StatusCode::OK, &Landing { c: Chrome::new(&s, tr, None, &v.csrf, tr.t("landing.title"), &path) });
    };
    let tr = Tr { cat: &s.cat, lang: p.lang };
    let home = match s.svc.first_screen(&p.user, tongxing_store::now_ms()).await {
        Ok(x) => x,
        Err(e) => return service_error(&s, p.lang, e),
    };
    let c = Chrome::for_page(&s, tr, &p, tr.t("nav.home"), &path);
    let waiting = home.applications;
    let report_in = ReportInCard::of(&tr, home.report_in);
    let childcare = crate::ui::childcare::card::lines(&tr, home.childcare);
    let skills = crate::ui::skills::SkillsCard::of(&tr, home.skills);
    let care = crate::ui::care::card::CareCard::of(&tr, home.care);
    let honours = crate::ui::honours::HonourCard::of(&tr, home.honours);
    match home.screen {
        FirstScreen::Volunteer(x) => {
            let mut page = people::volunteer(c, x, report_in);
            page.childcare = childcare;
            page.skills = skills;
            page.care = care;
            page.honours = honours;
            render(StatusCode::OK, &page)
        }
        FirstScreen::Observer(x) => render(StatusCode::OK, &people::observer(c, x)),
        FirstScreen::Leader(x) => {
            let mut page = center::leader(c, x, waiting);
            page.skills = skills;
            page.care = care;
            page.honours = honours;
            render(StatusCode::OK, &page)
        }
        FirstScreen::Liaison(x, figures) => {
            let mut page = center::liaison(c, x, figures, waiting, report_in);
            page.childcare = childcare;
            page.skills = skills;
            page.slots = slot_lines(&s, &p, &tr).await;
            page.care = care;
            page.honours = honours;
            render(StatusCode::OK, &page)
        }
        FirstScreen::Center(x, o) => {
            let mut page = center::center(c, x, o, waiting);
            page.skills = skills;
            page.slots = slot_lines(&s, &p, &tr).await;
            page.childcare = childcare;
            page.care = care;
            page.honours = honours;
            render(StatusCode::OK, &page)
        }
        FirstScreen::Unassigned => render(StatusCode::OK, &Unassigned { c }),
    }
}

/// 双进双报到 on a first screen: where to go and what it says.
pub struct ReportInCard {
    pub href: &'static str,
    pub text: String,
}

impl ReportInCard {
    fn of(tr: &Tr, p: ReportInPrompt) -> Option<ReportInCard> {
        match p {
            ReportInPrompt::Nothing => None,
            ReportInPrompt::Report => Some(ReportInCard { href: "/me/report-in", text: tr.t("home.report_in_prompt") }),
            ReportInPrompt::UnitUnreported(n) => Some(ReportInCard { href: "/report-in/unit", text: tr.f("home.report_in_unit", n) }),
        }
    }
}

/// The rotation's owing and coming slots (issue 14 §4); a failure to read
/// them leaves the rest of the first screen standing.
async fn slot_lines(s: &AppState, p: &PageUser, tr: &Tr<'_>) -> Vec<crate::ui::campaigns::glance::SlotLine> {
    match s.svc.slot_glance(&p.user, tongxing_store::now_ms()).await {
        Ok(g) => crate::ui::campaigns::glance::lines(tr, g),
        Err(e) => {
            tracing::warn!(error = %e, "reading the rotation for a first screen failed");
            Vec::new()
        }
    }
}

/// 有困难找志愿者 first: what a resident or a would-be volunteer came for, sign-in second.
#[derive(Template)]
#[template(path = "home/landing.html")]
struct Landing<'a> {
    c: Chrome<'a>,
}

#[derive(Template)]
#[template(path = "home/unassigned.html")]
struct Unassigned<'a> {
    c: Chrome<'a>,
}

/// A need as the screens list it: its level as a badge with the word, and how long it waited.
pub struct NeedItem {
    pub href: String,
    pub title: String,
    pub level: String,
    pub level_class: &'static str,
    pub status: String,
    pub place: String,
    pub waited: String,
}

impl NeedItem {
    pub(crate) fn of(tr: &Tr, n: &NeedLine, now: i64) -> NeedItem {
        let level = WarningLevel::ALL.into_iter().find(|l| l.rank() == n.warning_level).unwrap_or(WarningLevel::None);
        let (unit, count) = waited(n.status_since, now);
        NeedItem {
            href: format!("/needs/{}", n.id),
            title: n.title.clone(),
            level: tr.t(&format!("level.{}", level.as_str())),
            level_class: level_class(level),
            status: tr.t(&format!("need_status.{}", n.status)),
            place: match &n.team {
                Some(t) => format!("{} · {t}", n.community),
                None => n.community.clone(),
            },
            waited: tr.f(&format!("home.waited_{unit}"), count),
        }
    }
}

/// An activity with its counts and when it runs.
pub struct ActivityItem {
    pub id: i64,
    pub title: String,
    pub when: String,
    pub place: String,
    pub counts: String,
}

impl ActivityItem {
    pub(crate) fn of(tr: &Tr, a: &ActivityLine) -> ActivityItem {
        ActivityItem {
            id: a.id,
            title: a.title.clone(),
            when: when(a.starts_at, a.ends_at),
            place: a.community.clone(),
            counts: tr.f2("home.counts", format!("{}/{}", a.confirmed, a.capacity), a.waitlisted),
        }
    }
}

/// "2026-12-06 14:00–16:00", the end's date only when it differs.
pub fn when(starts_at: i64, ends_at: i64) -> String {
    let (start, end) = (short_time(starts_at), short_time(ends_at));
    match (start.split_once(' '), end.split_once(' ')) {
        (Some((d1, _)), Some((d2, t2))) if d1 == d2 => format!("{start}–{t2}"),
        _ => format!("{start} – {end}"),
    }
}
