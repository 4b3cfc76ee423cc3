use axum::extract::{OriginalUri, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use tongxing_domain::permission::{scope, Action, Resource};

use super::templates::{HomePage, QuickAction, Stat};
use super::view::Chrome;
use super::{render, service_error};
use crate::extract::PageUser;
use crate::i18n::Tr;
use crate::AppState;

pub fn router() -> Router<AppState> {
    Router::new().route("/", get(home))
}

/// The first screen: the region in figures and what this role can do next.
async fn home(State(s): State<AppState>, p: PageUser, uri: OriginalUri) -> Response {
    let tr = Tr { cat: &s.cat, lang: p.lang };
    let o = match s.svc.overview().await {
        Ok(o) => o,
        Err(e) => return service_error(&s, p.lang, e),
    };
    let role = p.user.role;
    let link = |href: &'static str, res: Resource| scope(role, Action::Read, res).allowed().then_some(href);
    let stats = vec![
        Stat { href: link("/volunteers", Resource::Volunteer), value: o.volunteers, label: tr.t("stat.volunteers") },
        Stat { href: link("/teams", Resource::Team), value: o.teams, label: tr.t("stat.teams") },
        Stat { href: link("/units", Resource::Unit), value: o.units, label: tr.t("stat.units") },
        Stat { href: link("/communities", Resource::Community), value: o.communities, label: tr.t("stat.communities") },
        Stat { href: link("/districts", Resource::District), value: o.districts, label: tr.t("stat.districts") },
        Stat {
            href: link("/volunteers?party_member=true", Resource::Volunteer),
            value: o.party_member_volunteers,
            label: tr.t("stat.party_members"),
        },
        Stat { href: link("/beneficiaries", Resource::Beneficiary), value: o.beneficiaries, label: tr.t("stat.beneficiaries") },
    ];
    let mut actions = Vec::new();
    if scope(role, Action::Write, Resource::Volunteer).allowed() {
        actions.push(QuickAction { href: "/volunteers/new", label: tr.t("volunteer.new") });
    }
    if scope(role, Action::Import, Resource::Volunteer).allowed() {
        actions.push(QuickAction { href: "/volunteers/import", label: tr.t("nav.import") });
    }
    if scope(role, Action::Write, Resource::Team).allowed() {
        actions.push(QuickAction { href: "/teams/new", label: tr.t("team.new") });
    }
    if p.user.volunteer_id.is_some() {
        actions.push(QuickAction { href: "/me/hours", label: tr.t("hours.mine") });
        actions.push(QuickAction { href: "/calendar", label: tr.t("feed.title") });
    }
    if scope(role, Action::Write, Resource::Hours).allowed() {
        actions.push(QuickAction { href: "/hours/disputes", label: tr.t("dispute.open_title") });
    }
    let welcome = tr.f("home.welcome", &p.user.login);
    let c = Chrome::for_page(&s, tr, &p, tr.t("nav.home"), &uri.0.to_string());
    render(StatusCode::OK, &HomePage { c, welcome, stats, actions })
}
