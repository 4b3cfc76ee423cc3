//! The first screens of the staff: a team leader, a unit's liaison, and the
//! center (coordinator, admin) whose figures are also the viewer's screen.

use askama::Template;
use tongxing_domain::needs::WarningLevel;
use tongxing_domain::permission::{Action, Resource};
use tongxing_service::registry::stats::Overview;
use tongxing_store::home::{Center, Leader, Liaison, UnitFigures};

use super::{level_class, short_time, ActivityItem, NeedItem};
use crate::ui::hours::fmt_hours;
use crate::ui::templates::Stat;
use crate::ui::view::Chrome;

pub struct DisputeItem {
    pub href: String,
    pub volunteer: String,
    pub what: String,
}

#[derive(Template)]
#[template(path = "home/leader.html")]
pub struct LeaderHome<'a> {
    c: Chrome<'a>,
    /// 技能传承's card, set by the first screen.
    pub skills: Option<crate::ui::skills::SkillsCard>,
    team: String,
    claimable: Vec<NeedItem>,
    held: Vec<NeedItem>,
    today: Vec<ActivityItem>,
    week: Vec<ActivityItem>,
    to_confirm: Vec<ActivityItem>,
    disputes: Vec<DisputeItem>,
    /// Applications to join waiting for a decision here.
    applications: i64,
    /// 爱心守护: the care card.
    pub care: Option<crate::ui::care::card::CareCard>,
    pub honours: Option<crate::ui::honours::HonourCard>,
}

pub fn leader<'a>(c: Chrome<'a>, x: Leader, applications: i64) -> LeaderHome<'a> {
    let tr = c.tr;
    let now = tongxing_store::now_ms();
    let tomorrow = tongxing_domain::first_screen::spans(now).tomorrow;
    let (today, week): (Vec<_>, Vec<_>) = x.week.iter().partition(|a| a.starts_at < tomorrow);
    LeaderHome {
        skills: None,
        care: None,
        honours: None,
        applications,
        team: x.team,
        claimable: x.claimable.iter().map(|n| NeedItem::of(&tr, n, now)).collect(),
        held: x.held.iter().map(|n| NeedItem::of(&tr, n, now)).collect(),
        today: today.into_iter().map(|a| ActivityItem::of(&tr, a)).collect(),
        week: week.into_iter().map(|a| ActivityItem::of(&tr, a)).collect(),
        to_confirm: x.to_confirm.iter().map(|a| ActivityItem::of(&tr, a)).collect(),
        disputes: x
            .disputes
            .into_iter()
            .map(|d| DisputeItem {
                href: format!("/volunteers/{}/hours", d.volunteer_id),
                volunteer: d.volunteer,
                what: d.what.unwrap_or_default(),
            })
            .collect(),
        c,
    }
}

pub struct UnitCallItem {
    pub href: String,
    pub title: String,
    pub when: String,
    pub fill: String,
}

#[derive(Template)]
#[template(path = "home/liaison.html")]
pub struct LiaisonHome<'a> {
    c: Chrome<'a>,
    /// 技能传承's card, set by the first screen.
    pub skills: Option<crate::ui::skills::SkillsCard>,
    unit: String,
    calls: Vec<UnitCallItem>,
    needs: Vec<NeedItem>,
    volunteers: i64,
    hours: String,
    applications: i64,
    report_in: Option<super::ReportInCard>,
    pub slots: Vec<crate::ui::campaigns::glance::SlotLine>,
    /// 爱心守护: the care card.
    pub care: Option<crate::ui::care::card::CareCard>,
    pub honours: Option<crate::ui::honours::HonourCard>,
    /// 子女照辅班: the classes open for the unit's families to enrol in.
    pub childcare: Vec<crate::ui::childcare::card::CareLine>,
}

pub fn liaison<'a>(
    c: Chrome<'a>,
    x: Liaison,
    figures: UnitFigures,
    applications: i64,
    report_in: Option<super::ReportInCard>,
) -> LiaisonHome<'a> {
    let tr = c.tr;
    let now = tongxing_store::now_ms();
    LiaisonHome {
        childcare: Vec::new(),
        skills: None,
        honours: None,
        slots: Vec::new(),
        care: None,
        applications,
        report_in,
        unit: x.unit,
        calls: x
            .calls
            .iter()
            .map(|k| UnitCallItem {
                href: format!("/dispatch/{}", k.id),
                title: k.title.clone(),
                when: short_time(k.starts_at),
                fill: tr.f2("home.unit_fill", k.committed, k.quota),
            })
            .collect(),
        needs: x.needs.iter().map(|n| NeedItem::of(&tr, n, now)).collect(),
        volunteers: figures.volunteers,
        hours: fmt_hours(figures.hours),
        c,
    }
}

pub struct LevelCount {
    pub href: String,
    pub label: String,
    pub class: &'static str,
    pub n: i64,
}

pub struct CallItem {
    pub href: String,
    pub title: String,
    pub when: String,
    pub fill: String,
    pub pct: i64,
}

#[derive(Template)]
#[template(path = "home/center.html")]
pub struct CenterHome<'a> {
    c: Chrome<'a>,
    /// 技能传承's card, set by the first screen.
    pub skills: Option<crate::ui::skills::SkillsCard>,
    levels: Vec<LevelCount>,
    waiting: i64,
    calls: Vec<CallItem>,
    dead_deliveries: i64,
    failing_deliveries: i64,
    open_disputes: i64,
    today: Vec<ActivityItem>,
    applications: i64,
    stats: Vec<Stat>,
    pub slots: Vec<crate::ui::campaigns::glance::SlotLine>,
    pub childcare: Vec<crate::ui::childcare::card::CareLine>,
    /// 爱心守护: the care card.
    pub care: Option<crate::ui::care::card::CareCard>,
    pub honours: Option<crate::ui::honours::HonourCard>,
}

pub fn center<'a>(c: Chrome<'a>, x: Center, o: Overview, applications: i64) -> CenterHome<'a> {
    let tr = c.tr;
    // Every level shows, a zero too: "no red need" is news a coordinator wants.
    let levels: Vec<LevelCount> = WarningLevel::ALL
        .iter()
        .rev()
        .map(|l| LevelCount {
            href: format!("/needs?warning_level={}", l.as_str()),
            label: tr.t(&format!("level.{}", l.as_str())),
            class: level_class(*l),
            n: x.waiting_by_level.iter().find(|(k, _)| *k == l.rank()).map_or(0, |(_, n)| *n),
        })
        .collect();
    let link = |href: &'static str, res: Resource| c.may(Action::Read, res).then_some(href);
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
    CenterHome {
        skills: None,
        honours: None,
        slots: Vec::new(),
        childcare: Vec::new(),
        care: None,
        applications,
        waiting: levels.iter().map(|l| l.n).sum(),
        levels,
        calls: x
            .calls
            .iter()
            .map(|k| CallItem {
                href: format!("/dispatch/{}", k.id),
                title: k.title.clone(),
                when: short_time(k.starts_at),
                fill: tr.f2("home.call_fill", k.confirmed, k.needed),
                pct: (k.confirmed * 100).checked_div(k.needed).unwrap_or(0).clamp(0, 100),
            })
            .collect(),
        dead_deliveries: x.dead_deliveries,
        failing_deliveries: x.failing_deliveries,
        open_disputes: x.open_disputes,
        today: x.today.iter().map(|a| ActivityItem::of(&tr, a)).collect(),
        stats,
        c,
    }
}
