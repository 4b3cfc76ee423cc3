//! `tongxing demo --needs N`: a past year of the demo region's needs, written
//! in bulk (the demo's few hundred needs go through the service one call at a
//! time, which is far too slow for a benchmark's hundred thousand).

use std::collections::HashSet;

use rand::rngs::StdRng;
use rand::{RngCore, SeedableRng};
use tongxing_demo::past::{PastNeed as Past, RATING_COMMENT, REJECT_REASON, SUMMARY};
use tongxing_domain::needs::{tracking_code, warning_level, Status};
use tongxing_domain::paging::{Page, MAX_PER_PAGE};
use tongxing_domain::time::region_date;
use tongxing_service::Service;
use tongxing_store::needs::past::{self as past_needs, PastEvent, PastNeed};
use tongxing_store::needs::{self, NewNeed};
use tongxing_store::{
    now_ms,
    registry::{communities, teams, volunteers},
    users,
};

fn s(e: impl std::fmt::Display) -> String {
    e.to_string()
}

/// Ids of the demo's places, teams and people, in the generator's order.
struct Ids {
    communities: Vec<(i64, i64)>,
    teams: Vec<i64>,
    /// The first two members of each team, who are credited the hours.
    members: Vec<Vec<i64>>,
    coordinator: i64,
}

async fn ids(svc: &Service) -> Result<Ids, String> {
    let db = &svc.db;
    let all = Page { page: 1, per_page: MAX_PER_PAGE };
    // The region was written in the generator's order, so ids ascend with it.
    let mut places = communities::list(db, &Default::default(), all).await.map_err(s)?.items;
    places.sort_by_key(|c| c.id);
    let mut team_list = teams::list(db, &Default::default(), all).await.map_err(s)?.items;
    team_list.sort_by_key(|t| t.id);
    let mut members = Vec::with_capacity(team_list.len());
    for t in &team_list {
        let f = volunteers::Filter { team_id: Some(t.id), ..Default::default() };
        members.push(volunteers::list(db, &f, Page { page: 1, per_page: 2 }).await.map_err(s)?.items.iter().map(|v| v.id).collect());
    }
    let coordinator = users::by_login(db, "coordinator").await.map_err(s)?.ok_or("the demo coordinator is missing")?.0.id;
    Ok(Ids {
        communities: places.iter().map(|c| (c.id, c.district_id)).collect(),
        teams: team_list.iter().map(|t| t.id).collect(),
        members,
        coordinator,
    })
}

/// Tracking codes already stored, so none is handed out twice.
async fn taken_codes(svc: &Service) -> Result<HashSet<String>, String> {
    let mut taken = HashSet::new();
    for page in 1.. {
        let list = needs::list(&svc.db, &Default::default(), Page { page, per_page: MAX_PER_PAGE }).await.map_err(s)?;
        taken.extend(list.items.into_iter().map(|n| n.tracking_code));
        if taken.len() as i64 >= list.total {
            break;
        }
    }
    Ok(taken)
}

/// Writes `n` needs of the past year, each with its history, and hours for
/// the served ones. Returns how many were written.
pub async fn load(svc: &Service, n: usize) -> Result<usize, String> {
    let region = tongxing_demo::generate(tongxing_service::demo::SEED, 0, 0);
    let ids = ids(svc).await?;
    if ids.communities.len() != region.communities.len() || ids.teams.len() != region.teams.len() {
        return Err("the database does not hold the demo region".into());
    }
    let mut taken = taken_codes(svc).await?;
    let mut rng = StdRng::seed_from_u64(tongxing_service::demo::SEED);
    let now = now_ms();
    let year = tongxing_demo::year_of_needs(tongxing_service::demo::SEED, &region, n);
    let codes: Vec<String> = (0..n)
        .map(|_| loop {
            let mut b = [0u8; 8];
            rng.fill_bytes(&mut b);
            let c = tracking_code(b);
            if taken.insert(c.clone()) {
                break c;
            }
        })
        .collect();
    let rows: Vec<PastNeed> = year.iter().enumerate().map(|(k, p)| row(p, k, &codes, &ids, svc, now)).collect();
    let written = past_needs::create_past(&svc.db, &rows).await.map_err(s)?;
    Ok(written.len())
}

/// The stored form of one generated need.
fn row(p: &Past, k: usize, codes: &[String], ids: &Ids, svc: &Service, now: i64) -> PastNeed {
    let d = &p.need;
    let at = |minutes: i64| now - minutes * 60_000;
    let (community_id, district_id) = ids.communities[d.community];
    let team_id = p.team.map(|t| ids.teams[t]);
    // Residents send online needs themselves; staff enter the other channels.
    let resident = d.channel == "online";
    let events = p
        .steps
        .iter()
        .map(|&(status, ago)| {
            let note = match status {
                Status::Rejected => Some(REJECT_REASON.to_string()),
                Status::Claimed => Some("dispatched".to_string()),
                Status::Cancelled => p.merged_into.map(|j| codes[j].clone()),
                _ => None,
            };
            let user_id = match status {
                Status::Submitted if resident => None,
                Status::Rated => None,
                _ => Some(ids.coordinator),
            };
            let held = matches!(status, Status::Claimed | Status::Completed | Status::Rated);
            PastEvent { at: at(ago), status, user_id, team_id: team_id.filter(|_| held), note }
        })
        .collect::<Vec<_>>();
    let served = matches!(d.outcome, Status::Completed | Status::Rated);
    let hours = match p.team {
        Some(t) if served => ids.members[t].iter().map(|v| (*v, 2.0)).collect(),
        _ => Vec::new(),
    };
    let completed_at = p.steps.iter().find(|s| s.0 == Status::Completed).map_or(now, |s| at(s.1));
    PastNeed {
        need: NewNeed {
            tracking_code: codes[k].clone(),
            title: d.title.into(),
            description: d.description.into(),
            category: d.category.into(),
            community_id,
            district_id,
            requester_name: d.requester_name.clone(),
            requester_phone: d.requester_phone.clone(),
            channel: d.channel,
            volunteers_needed: 1,
            submitted_by: (!resident).then_some(ids.coordinator),
            // Documentation addresses (RFC 5737): stored text only.
            submitter_ip: resident.then(|| format!("203.0.113.{}", k % 250 + 1)),
        },
        status: d.outcome,
        status_since: at(d.waited_minutes),
        warning_level: warning_level(&svc.settings.warning_limits, d.outcome, d.waited_minutes),
        team_id,
        reject_reason: (d.outcome == Status::Rejected).then(|| REJECT_REASON.to_string()),
        merged_into: p.merged_into,
        summary: served.then(|| SUMMARY.to_string()),
        rating: (d.outcome == Status::Rated).then(|| (d.stars, (d.stars == 5).then(|| RATING_COMMENT.to_string()))),
        created_at: at(p.steps[0].1),
        events,
        hours,
        served_on: region_date(completed_at).to_string(),
    }
}
