//! The volunteer's first screen (phone first) and the community observer's.

use askama::Template;
use tongxing_domain::first_screen::checkin_open;
use tongxing_domain::permission::{Action, Resource};
use tongxing_service::home::VolunteerScreen;
use tongxing_store::home::{Observer, SignupLine};

use super::{when, NeedItem};
use crate::extract::urlencode;
use crate::i18n::Tr;
use crate::ui::hours::fmt_hours;
use crate::ui::view::Chrome;

/// One of the volunteer's coming sign-ups.
pub struct SignupItem {
    pub href: String,
    pub title: String,
    pub when: String,
    pub place: String,
    pub map_href: String,
    pub standing: String,
    /// The check-in page and its button's word, while the activity is under way.
    pub checkin: Option<(String, String)>,
}

impl SignupItem {
    fn of(tr: &Tr, s: &SignupLine, now: i64) -> SignupItem {
        let place = match &s.address {
            Some(a) if !a.is_empty() => format!("{} · {a}", s.community),
            _ => s.community.clone(),
        };
        let confirmed = s.status == "confirmed";
        let checkin = (confirmed && checkin_open(s.starts_at, s.ends_at, now) && s.checked_out_at.is_none()).then(|| {
            let word = if s.checked_in_at.is_some() { "checkin.out" } else { "checkin.in" };
            (format!("/checkin/{}", s.checkin_token), tr.t(word))
        });
        SignupItem {
            href: format!("/activities/{}", s.id),
            title: s.title.clone(),
            when: when(s.starts_at, s.ends_at),
            // 高德地图's public marker link opens the map app on a phone, the map site elsewhere.
            map_href: format!("https://uri.amap.com/marker?position={},{}&name={}", s.lng, s.lat, urlencode(&place)),
            place,
            standing: if confirmed { tr.t("home.signed_up") } else { tr.f("home.waitlist_place", s.position) },
            checkin,
        }
    }
}

pub struct CallItem {
    pub title: String,
    pub when: String,
    pub place: String,
    pub token: String,
}

#[derive(Template)]
#[template(path = "home/volunteer.html")]
pub struct VolunteerHome<'a> {
    c: Chrome<'a>,
    /// 技能传承's card, set by the first screen.
    pub skills: Option<crate::ui::skills::SkillsCard>,
    greeting: String,
    next: Option<SignupItem>,
    later: Vec<SignupItem>,
    calls: Vec<CallItem>,
    hours: String,
    stars: String,
    /// (hours of the next star, hours still to go, percent of the way).
    progress: Option<(String, String, u32)>,
    report_in: Option<super::ReportInCard>,
    pub childcare: Vec<crate::ui::childcare::card::CareLine>,
    /// 爱心守护: the care card.
    pub care: Option<crate::ui::care::card::CareCard>,
    pub honours: Option<crate::ui::honours::HonourCard>,
}

pub fn volunteer<'a>(c: Chrome<'a>, x: VolunteerScreen, report_in: Option<super::ReportInCard>) -> VolunteerHome<'a> {
    let tr = c.tr;
    let now = tongxing_store::now_ms();
    let mut signups = x.screen.signups.iter().map(|s| SignupItem::of(&tr, s, now));
    let total = x.standing.total_hours;
    VolunteerHome {
        skills: None,
        greeting: tr.f("home.hello", &x.screen.name),
        next: signups.next(),
        later: signups.collect(),
        calls: x
            .screen
            .calls
            .iter()
            .map(|k| CallItem {
                title: k.title.clone(),
                when: super::short_time(k.starts_at),
                place: k.address.clone().filter(|a| !a.is_empty()).unwrap_or_else(|| k.community.clone()),
                token: k.token.clone(),
            })
            .collect(),
        hours: fmt_hours(total),
        stars: format!("{}{}", "★".repeat(x.standing.star as usize), "☆".repeat(5 - x.standing.star.min(5) as usize)),
        progress: x.standing.next_star_hours.map(|n| (fmt_hours(n), fmt_hours(n - total), ((total / n) * 100.0).clamp(0.0, 100.0) as u32)),
        report_in,
        childcare: Vec::new(),
        care: None,
        honours: None,
        c,
    }
}

#[derive(Template)]
#[template(path = "home/observer.html")]
pub struct ObserverHome<'a> {
    c: Chrome<'a>,
    greeting: String,
    community: String,
    community_id: i64,
    needs: Vec<NeedItem>,
    /// (status in words, count), only the statuses that occur.
    by_status: Vec<(String, i64)>,
    beneficiaries: Vec<(String, String)>,
    beneficiary_count: i64,
}

pub fn observer<'a>(c: Chrome<'a>, x: Observer) -> ObserverHome<'a> {
    let tr = c.tr;
    let now = tongxing_store::now_ms();
    ObserverHome {
        greeting: tr.f("home.hello", &x.name),
        needs: x.needs.iter().map(|n| NeedItem::of(&tr, n, now)).collect(),
        by_status: x.needs_by_status.iter().map(|s| (tr.t(&format!("need_status.{}", s.key)), s.n)).collect(),
        beneficiaries: x.beneficiaries.iter().map(|b| (b.name.clone(), tr.t(&format!("beneficiary_kind.{}", b.kind)))).collect(),
        beneficiary_count: x.beneficiary_count,
        community: x.community,
        community_id: x.community_id,
        c,
    }
}
