//! A round's page: its rules, and what its stage asks of the reader — the
//! nomination form (leaders and liaisons, within their reach), the
//! candidates with their breakdown, the review's decisions, the objections
//! to resolve, publishing, and the honours once published.

use std::collections::HashSet;
use std::sync::Arc;

use askama::Template;
use axum::extract::{OriginalUri, Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use tongxing_domain::honours::round::{publish_blocker, Stage};
use tongxing_domain::honours::view::{Candidate, Honour, Nomination, Objection, Round};
use tongxing_domain::permission::{Action, Resource};
use tongxing_domain::time::region_date;
use tongxing_service::honours::criteria::lines_url;
use tongxing_service::Result;
use tongxing_store::now_ms;

use super::panel::{self, PanelView};
use crate::extract::PageUser;
use crate::i18n::Tr;
use crate::ui::hours::fmt_hours;
use crate::ui::needs::short_time;
use crate::ui::registry::kinds::{district_options, unit_options};
use crate::ui::view::Chrome;
use crate::ui::{render, service_error};
use crate::AppState;

/// The center's page shows this many candidates; the rest are in the .xlsx.
const CANDIDATES_SHOWN: usize = 30;
/// The nomination form offers this many of the best eligible in reach.
const OPTIONS_SHOWN: usize = 200;

pub struct CandidateLine {
    pub name: String,
    pub group: String,
    pub score: String,
    pub hours: String,
    /// Each measure: its name, figure and points, and where its entries are listed.
    pub parts: Vec<(String, Option<String>)>,
    pub reason: Option<String>,
    pub entries_url: Option<String>,
}

fn candidate_line(tr: &Tr, round: i64, c: &Candidate) -> CandidateLine {
    CandidateLine {
        name: c.name.clone(),
        group: c.group_name.clone(),
        score: format!("{:.2}", c.score),
        hours: fmt_hours(c.hours),
        parts: c
            .breakdown
            .iter()
            .map(|p| {
                let line =
                    format!("{} {} → {:.2}/{}", tr.t(&format!("honour.metric.{}", p.metric)), fmt_hours(p.value), p.points, p.weight);
                (line, c.volunteer_id.or(c.team_id).map(|id| lines_url(&p.metric, round, id)))
            })
            .collect(),
        reason: c.reason.as_ref().map(|r| tr.t(&format!("honour.rule.{r}"))),
        entries_url: c.entries_url.clone(),
    }
}

pub struct NominationLine {
    pub n: Nomination,
    pub score: String,
    pub status: String,
    /// The reader may record a decision on it now.
    pub decides: bool,
    /// The reader shares its unit or team: declared, and not theirs to decide.
    pub conflict: bool,
    /// The reader sits on the panel and may vote on it now.
    pub votes: bool,
    /// The reader's own vote, in words.
    pub my_vote: Option<String>,
    /// The panel's count, in words (rounds with a panel).
    pub tally: Option<String>,
}

pub struct ObjectionLine {
    pub o: Objection,
    pub who: String,
    pub when: String,
    pub status: String,
    pub open: bool,
}

#[derive(Template)]
#[template(path = "honours/round.html")]
struct RoundPage<'a> {
    c: Chrome<'a>,
    r: Round,
    stage: String,
    /// (label, value) lines of the round's rules.
    facts: Vec<(String, String)>,
    /// The reader runs rounds (the center).
    center: bool,
    /// Whom the reader may nominate: (volunteer or team, its line).
    options: Vec<(i64, String)>,
    nominating: bool,
    candidates: Vec<CandidateLine>,
    candidates_total: usize,
    nominations: Vec<NominationLine>,
    undecided: usize,
    objections: Vec<ObjectionLine>,
    /// Why publishing is refused now, in words.
    blocker: Option<String>,
    honours: Vec<Honour>,
    panel: PanelView,
    error: Option<String>,
}

/// `groups`: the names of the units (districts for a team round) with a quota of their own.
fn facts(tr: &Tr, r: &Round, groups: &[(String, String)]) -> Vec<(String, String)> {
    let weights: Vec<String> =
        r.criteria.iter().map(|c| format!("{} {}%", tr.t(&format!("honour.metric.{}", c.metric)), c.weight)).collect();
    let mut out = vec![
        (tr.t("honour.kind"), tr.t(&format!("honour.kind.{}", r.kind))),
        (tr.t("honour.period"), format!("{} — {}", r.period_from, r.period_to)),
        (tr.t("honour.min_hours"), fmt_hours(r.min_hours)),
        (tr.t("honour.min_activities"), r.min_activities.to_string()),
        (tr.t("honour.weights"), weights.join("、")),
        (tr.t("honour.quota_per_unit"), r.quota_per_unit.map_or_else(|| tr.t("honour.no_quota"), |q| q.to_string())),
    ];
    if !r.quotas.is_empty() {
        let name = |id: i64| groups.iter().find(|(g, _)| *g == id.to_string()).map_or_else(|| id.to_string(), |(_, n)| n.clone());
        let own: Vec<String> = r.quotas.iter().map(|q| format!("{} {}", name(q.group_id), q.quota)).collect();
        out.push((tr.t("honour.own_quotas"), own.join("、")));
    }
    out.extend([
        (tr.t("honour.nominate_until"), r.nominate_until.clone()),
        (tr.t("honour.notice_days"), tr.f("honour.days_n", r.notice_days)),
    ]);
    if let Some(at) = r.scored_at {
        out.push((tr.t("honour.scored_at"), short_time(at)));
    }
    if let (Some(from), Some(until)) = (r.notice_from, r.notice_until) {
        out.push((tr.t("honour.notice"), format!("{} — {}", short_time(from), short_time(until))));
    }
    out
}

/// What the page reads, by stage and reader.
struct Reads {
    candidates: Arc<Vec<Candidate>>,
    reach: Option<HashSet<i64>>,
    nominations: Vec<Nomination>,
    conflicts: HashSet<i64>,
    objections: Vec<Objection>,
    honours: Vec<Honour>,
    panel: PanelView,
    /// (id, name) of the units or districts, when some have a quota of their own.
    groups: Vec<(String, String)>,
}

async fn read(s: &AppState, p: &PageUser, r: &Round, center: bool) -> Result<Reads> {
    let svc = &s.svc;
    let nominating = r.stage == Stage::Nominating;
    let candidates = if nominating || center { svc.honour_candidates(&p.user, r.id).await? } else { Arc::default() };
    let reach = if nominating { svc.honour_reach(&p.user, r.id).await? } else { Some(HashSet::new()) };
    let nominations = svc.honour_nominations(&p.user, r.id).await?;
    let panel = panel::read(s, p, r, center).await?;
    let reviews = center || panel.member;
    let conflicts = if reviews && r.stage == Stage::Review { svc.honour_conflicts(&p.user, r.id).await? } else { HashSet::new() };
    let objections = match (center, r.stage) {
        (true, Stage::Notice | Stage::Published) => svc.honour_objections(&p.user, r.id, false).await?,
        _ => Vec::new(),
    };
    let honours = match r.stage {
        Stage::Published => svc.honour_roll(Some(year_of(&r.period_to))).await?.into_iter().filter(|h| h.round_id == r.id).collect(),
        _ => Vec::new(),
    };
    let groups = match (r.quotas.is_empty(), r.kind.as_str()) {
        (true, _) => Vec::new(),
        (false, "team") => district_options(svc, &p.user).await?,
        (false, _) => unit_options(svc, &p.user).await?,
    };
    Ok(Reads { candidates, reach, nominations, conflicts, objections, honours, panel, groups })
}

fn year_of(day: &str) -> i64 {
    day.get(..4).and_then(|y| y.parse().ok()).unwrap_or_default()
}

pub(super) async fn render_round(s: &AppState, p: &PageUser, id: i64, path: &str, error: Option<(StatusCode, String)>) -> Response {
    let tr = Tr { cat: &s.cat, lang: p.lang };
    let r = match s.svc.honour_round(&p.user, id).await {
        Ok(r) => r,
        Err(e) => return service_error(s, p.lang, e),
    };
    let center = s.svc.require(&p.user, Action::Write, Resource::Honour).is_ok_and(|x| x == tongxing_domain::permission::Scope::All);
    let x = match read(s, p, &r, center).await {
        Ok(x) => x,
        Err(e) => return service_error(s, p.lang, e),
    };
    let nominated: HashSet<i64> = x.nominations.iter().filter_map(|n| n.volunteer_id.or(n.team_id)).collect();
    let in_reach = |c: &&Candidate| {
        let id = c.volunteer_id.or(c.team_id).unwrap_or_default();
        c.eligible && !nominated.contains(&id) && x.reach.as_ref().is_none_or(|set| set.contains(&id))
    };
    let options: Vec<(i64, String)> = x
        .candidates
        .iter()
        .filter(in_reach)
        .take(OPTIONS_SHOWN)
        .map(|c| (c.volunteer_id.or(c.team_id).unwrap_or_default(), format!("{} · {} · {:.2}", c.name, c.group_name, c.score)))
        .collect();
    let nominating = r.stage == Stage::Nominating && region_date(now_ms()).to_string() <= r.nominate_until;
    let open = x.objections.iter().filter(|o| o.status == "open").count() as i64;
    let blocker = (center && r.stage == Stage::Notice)
        .then(|| publish_blocker(r.stage, r.notice_until, open, now_ms()))
        .flatten()
        .map(|code| tr.t(&format!("error.{code}")));
    let review = r.stage == Stage::Review;
    let nominations: Vec<NominationLine> = x
        .nominations
        .into_iter()
        .map(|n| {
            let conflict = x.conflicts.contains(&n.id);
            NominationLine {
                score: format!("{:.2}", n.score),
                status: tr.t(&format!("honour.status.{}", n.status)),
                decides: center && review && !conflict,
                conflict,
                // A conflict found by unit or team is declared already: nothing left to record.
                votes: x.panel.member && review && !conflict && matches!(n.status.as_str(), "nominated" | "approved" | "rejected"),
                my_vote: x.panel.mine.get(&n.id).cloned(),
                tally: panel::tally(&tr, &x.panel, &n),
                n,
            }
        })
        .collect();
    let objections = x
        .objections
        .into_iter()
        .map(|o| ObjectionLine {
            who: match (&o.name, &o.phone) {
                (None, None) => tr.t("honour.anonymous"),
                (n, ph) => [n.clone(), ph.clone()].into_iter().flatten().collect::<Vec<_>>().join(" · "),
            },
            when: short_time(o.created_at),
            status: tr.t(&format!("honour.status.{}", o.status)),
            open: o.status == "open",
            o,
        })
        .collect();
    let (status, error) = match error {
        Some((st, e)) => (st, Some(e)),
        None => (StatusCode::OK, None),
    };
    let page = RoundPage {
        stage: tr.t(&format!("honour.stage.{}", r.stage.as_str())),
        facts: facts(&tr, &r, &x.groups),
        center,
        options,
        nominating,
        candidates: if center {
            x.candidates.iter().take(CANDIDATES_SHOWN).map(|c| candidate_line(&tr, r.id, c)).collect()
        } else {
            Vec::new()
        },
        candidates_total: x.candidates.len(),
        undecided: nominations.iter().filter(|n| n.n.status == "nominated").count(),
        nominations,
        objections,
        blocker,
        honours: x.honours,
        panel: x.panel,
        error,
        c: Chrome::for_page(s, tr, p, r.title.clone(), path),
        r,
    };
    render(status, &page)
}

pub(super) async fn round_page(State(s): State<AppState>, p: PageUser, uri: OriginalUri, Path(id): Path<i64>) -> Response {
    render_round(&s, &p, id, &uri.0.to_string(), None).await
}
