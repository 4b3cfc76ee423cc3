//! A team's page (`/teams/{id}`): who it is, its members and the hours they
//! served with it this year, its coming and recent activities, the needs it
//! served. Editing is `/teams/{id}/edit`.

use askama::Template;
use axum::extract::{OriginalUri, Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use tongxing_domain::model::Team;
use tongxing_domain::permission::{Action, Resource};
use tongxing_store::registry::team_page::{Members, TeamPage, MEMBERS_SHOWN};

use crate::extract::PageUser;
use crate::i18n::Tr;
use crate::ui::home::ActivityItem;
use crate::ui::hours::fmt_hours;
use crate::ui::short_time;
use crate::ui::view::Chrome;
use crate::ui::{render, service_error};
use crate::AppState;

pub struct MemberItem {
    pub id: i64,
    pub name: String,
    pub hours: String,
    pub leader: bool,
}

/// A need the team served, with when it was done.
pub struct ServedItem {
    pub href: String,
    pub title: String,
    pub meta: String,
}

#[derive(Template)]
#[template(path = "team.html")]
pub struct TeamView<'a> {
    c: Chrome<'a>,
    team: Team,
    category: String,
    /// (value, label) of this year's figures.
    figures: Vec<(String, String)>,
    members: Vec<MemberItem>,
    /// Names withheld from this reader: the count alone shows.
    members_hidden: bool,
    /// Only the reader's own unit's members are named.
    members_of_unit: bool,
    /// More members than the page lists.
    members_more: bool,
    coming: Vec<ActivityItem>,
    recent: Vec<ActivityItem>,
    served: Vec<ServedItem>,
}

fn view<'a>(c: Chrome<'a>, team: Team, page: TeamPage) -> TeamView<'a> {
    let members_hidden = page.named == Members::Hidden;
    let tr = c.tr;
    let f = page.figures;
    let figures = vec![
        (f.members.to_string(), tr.t("team.members")),
        (f.activities.to_string(), tr.t("team.activities_year")),
        (fmt_hours(f.hours), tr.t("team.hours_year")),
        (f.needs_served.to_string(), tr.t("team.needs_served_year")),
        (f.needs_held.to_string(), tr.t("team.needs_held")),
    ];
    TeamView {
        category: tr.t(&format!("category.{}", team.category)),
        members_more: f.members > MEMBERS_SHOWN && !members_hidden,
        figures,
        members: page
            .members
            .iter()
            .map(|m| MemberItem {
                id: m.id,
                name: m.name.clone(),
                hours: fmt_hours(m.hours),
                leader: Some(m.id) == team.leader_volunteer_id,
            })
            .collect(),
        members_hidden,
        members_of_unit: matches!(page.named, Members::OfUnit(_)),
        coming: page.coming.iter().map(|a| ActivityItem::of(&tr, a)).collect(),
        recent: page.recent.iter().map(|a| ActivityItem::of(&tr, a)).collect(),
        served: page.served.iter().map(|n| served(&tr, n)).collect(),
        team,
        c,
    }
}

fn served(tr: &Tr, n: &tongxing_store::home::NeedLine) -> ServedItem {
    ServedItem {
        href: format!("/needs/{}", n.id),
        title: n.title.clone(),
        meta: format!("{} · {} · {}", tr.t(&format!("need_status.{}", n.status)), n.community, short_time(n.status_since)),
    }
}

pub(super) async fn team_page(State(s): State<AppState>, p: PageUser, uri: OriginalUri, Path(id): Path<i64>) -> Response {
    let now = tongxing_store::now_ms();
    match s.svc.team_page(&p.user, id, now).await {
        Ok((team, page)) => {
            let tr = Tr { cat: &s.cat, lang: p.lang };
            let c = Chrome::for_page(&s, tr, &p, team.name.clone(), &uri.0.to_string());
            render(StatusCode::OK, &view(c, team, page))
        }
        Err(e) => service_error(&s, p.lang, e),
    }
}
