//! Competition pages: the list (the center and a liaison add one), and a
//! competition's entrants, where a unit records its people's results.

use askama::Template;
use axum::extract::{OriginalUri, Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use tongxing_domain::paging::Page;
use tongxing_domain::role::Role;
use tongxing_domain::skills::competitions::{CompetitionInput, EntryInput, AWARDS, LEVELS};
use tongxing_store::registry::volunteers::Filter;

use crate::api::skills::rows::award;
use crate::extract::{CsrfForm, PageUser};
use crate::i18n::Tr;
use crate::ui::view::Chrome;
use crate::ui::{render, see_other, service_error};
use crate::AppState;

struct Line {
    id: i64,
    title: String,
    meta: String,
    counts: String,
}

#[derive(Template)]
#[template(path = "skills/competitions.html")]
struct ListPage<'a> {
    c: Chrome<'a>,
    items: Vec<Line>,
    may_add: bool,
    levels: Vec<(&'static str, String)>,
    trades: Vec<(String, String)>,
}

fn contest(tr: &Tr, level: &str) -> String {
    tr.t(&format!("skills.contest.{level}"))
}

/// Whether the actor keeps skills records (the center, or a unit's liaison).
fn keeps(p: &PageUser) -> bool {
    matches!(p.user.role, Role::Admin | Role::Coordinator | Role::Liaison)
}

pub(super) async fn list(State(s): State<AppState>, p: PageUser, uri: OriginalUri) -> Response {
    let tr = Tr { cat: &s.cat, lang: p.lang };
    let (list, trades) =
        match tokio::try_join!(s.svc.competitions(&p.user, None, None, Page { page: 1, per_page: 200 }), s.svc.trades(&p.user)) {
            Ok(x) => x,
            Err(e) => return service_error(&s, p.lang, e),
        };
    let items = list
        .items
        .iter()
        .map(|c| Line {
            id: c.id,
            title: c.title.clone(),
            meta: format!("{} · {} · {}", contest(&tr, &c.level), c.trade_name, c.held_on),
            counts: tr.f2("skills.entrants_awarded", c.entrants, c.awarded),
        })
        .collect();
    let page = ListPage {
        items,
        may_add: keeps(&p) && (p.user.role != Role::Liaison || p.user.unit_id.is_some()),
        levels: LEVELS.iter().map(|l| (*l, contest(&tr, l))).collect(),
        trades: trades.into_iter().map(|t| (t.code, t.name)).collect(),
        c: Chrome::for_page(&s, tr, &p, tr.t("skills.competitions"), &uri.0.to_string()),
    };
    render(StatusCode::OK, &page)
}

pub(super) async fn create(State(s): State<AppState>, p: PageUser, f: CsrfForm) -> Response {
    let text = |k: &str| f.get(k).unwrap_or_default().to_string();
    let input =
        CompetitionInput { title: text("title"), level: text("level"), trade: text("trade"), held_on: text("held_on"), unit_id: None };
    match s.svc.create_competition(&p.user, input).await {
        Ok(id) => see_other(&format!("/skills/competitions/{id}"), "saved"),
        Err(e) => service_error(&s, p.lang, e),
    }
}

struct EntryLine {
    name: String,
    coach: Option<String>,
    rank: Option<i64>,
    award: String,
    gold: bool,
}

#[derive(Template)]
#[template(path = "skills/competition.html")]
struct DetailPage<'a> {
    c: Chrome<'a>,
    id: i64,
    meta: String,
    entries: Vec<EntryLine>,
    /// The people whose results the actor may record, by name.
    people: Vec<(i64, String)>,
    awards: Vec<(&'static str, String)>,
}

pub(super) async fn detail(State(s): State<AppState>, p: PageUser, Path(id): Path<i64>, uri: OriginalUri) -> Response {
    let tr = Tr { cat: &s.cat, lang: p.lang };
    let d = match s.svc.competition(&p.user, id).await {
        Ok(d) => d,
        Err(e) => return service_error(&s, p.lang, e),
    };
    // A liaison records their unit's people; the center, the organising unit's.
    let unit = if p.user.role == Role::Liaison { p.user.unit_id } else { d.competition.unit_id };
    let people = if let Some(unit) = unit.filter(|_| keeps(&p)) {
        let f = Filter { unit_id: Some(unit), ..Default::default() };
        match s.svc.list_volunteers(&p.user, f, Page { page: 1, per_page: 500 }).await {
            Ok(l) => l.items.into_iter().map(|v| (v.id, v.name)).collect(),
            Err(e) => return service_error(&s, p.lang, e),
        }
    } else {
        Vec::new()
    };
    let c = &d.competition;
    let page = DetailPage {
        id,
        meta: format!("{} · {} · {}", contest(&tr, &c.level), c.trade_name, c.held_on),
        entries: d
            .entries
            .iter()
            .map(|e| EntryLine {
                name: e.person_name.clone(),
                coach: e.coach_name.clone(),
                rank: e.rank,
                award: award(&tr, e),
                gold: e.award.as_deref() == Some("gold"),
            })
            .collect(),
        people,
        awards: AWARDS.iter().map(|a| (*a, tr.t(&format!("skills.award.{a}")))).collect(),
        c: Chrome::for_page(&s, tr, &p, c.title.clone(), &uri.0.to_string()),
    };
    render(StatusCode::OK, &page)
}

/// A liaison records one of their people's result.
pub(super) async fn result(State(s): State<AppState>, p: PageUser, Path(id): Path<i64>, f: CsrfForm) -> Response {
    let num = |k: &str| f.get(k).and_then(|v| v.trim().parse::<i64>().ok());
    let input = EntryInput {
        person_id: num("person_id").unwrap_or(0),
        coach_id: num("coach_id").filter(|c| *c > 0),
        rank: num("rank"),
        award: f.get("award").map(str::to_string),
        prize: f.get("prize").map(str::to_string),
    };
    match s.svc.record_competition_result(&p.user, id, input).await {
        Ok(_) => see_other(&format!("/skills/competitions/{id}"), "saved"),
        Err(e) => service_error(&s, p.lang, e),
    }
}
