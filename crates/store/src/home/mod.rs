//! What each role's first screen (`/`) shows, each screen read in one round
//! (`crate::sections`): a volunteer's and an observer's here, the staff's in
//! `staff.rs`. Lists are short (the screen links to the full list).

mod staff;

use serde::Deserialize;

use crate::sections::{self, rows};
use crate::sql::Arg;
use crate::{Db, Result};

pub use staff::{center, leader, liaison, unit_figures, Center, Leader, Liaison, UnitFigures};

/// A need as a first screen lists it.
#[derive(Debug, Clone, Deserialize)]
pub struct NeedLine {
    pub id: i64,
    pub title: String,
    pub status: String,
    pub warning_level: i64,
    pub status_since: i64,
    pub community: String,
    /// The holding team, if any.
    pub team: Option<String>,
}

pub(crate) const NEED_LINE: &str = "SELECT n.id AS id, n.title AS title, n.status AS status, n.warning_level AS warning_level, \
    n.status_since AS status_since, c.name AS community, t.name AS team \
    FROM needs n JOIN communities c ON c.id = n.community_id LEFT JOIN teams t ON t.id = n.team_id";

/// An activity as a first screen lists it, with its counts.
#[derive(Debug, Clone, Deserialize)]
pub struct ActivityLine {
    pub id: i64,
    pub title: String,
    pub starts_at: i64,
    pub ends_at: i64,
    pub community: String,
    pub capacity: i64,
    pub confirmed: i64,
    pub waitlisted: i64,
}

pub(crate) const ACTIVITY_LINE: &str =
    "SELECT a.id AS id, a.title AS title, a.starts_at AS starts_at, a.ends_at AS ends_at, c.name AS community, \
    a.capacity AS capacity, a.confirmed AS confirmed, a.waitlisted AS waitlisted \
    FROM activities a JOIN communities c ON c.id = a.community_id";

/// One of the volunteer's own sign-ups that has not ended.
#[derive(Debug, Clone, Deserialize)]
pub struct SignupLine {
    pub id: i64,
    pub title: String,
    pub starts_at: i64,
    pub ends_at: i64,
    pub address: Option<String>,
    pub community: String,
    pub lat: f64,
    pub lng: f64,
    pub status: String,
    /// 1-based place on the waitlist; 0 when confirmed.
    pub position: i64,
    pub checkin_token: String,
    pub checked_in_at: Option<i64>,
    pub checked_out_at: Option<i64>,
}

/// An open emergency call the volunteer was asked on and has not answered.
#[derive(Debug, Clone, Deserialize)]
pub struct CallAsked {
    pub id: i64,
    pub title: String,
    pub starts_at: i64,
    pub address: Option<String>,
    pub community: String,
    /// The volunteer's own answer link (`/r/{token}`).
    pub token: String,
}

pub struct Volunteer {
    pub name: String,
    pub total_hours: f64,
    pub signups: Vec<SignupLine>,
    pub calls: Vec<CallAsked>,
}

#[derive(Deserialize)]
struct Me {
    name: String,
    total_hours: f64,
}

/// A volunteer's screen: who they are, their hours, their coming sign-ups
/// (with their waitlist places) and the calls waiting for their answer.
pub async fn volunteer(db: &Db, volunteer_id: i64, now: i64) -> Result<Option<Volunteer>> {
    const ME: &str = "SELECT v.name AS name, COALESCE(t.total_hours, 0.0) AS total_hours \
        FROM volunteers v LEFT JOIN hours_totals t ON t.volunteer_id = v.id WHERE v.id = $1";
    const SIGNUPS: &str = "SELECT a.id AS id, a.title AS title, a.starts_at AS starts_at, a.ends_at AS ends_at, a.address AS address, \
        c.name AS community, c.lat AS lat, c.lng AS lng, s.status AS status, \
        CASE WHEN s.status = 'waitlisted' THEN (SELECT COUNT(*) FROM signups w WHERE w.activity_id = s.activity_id \
          AND w.status = 'waitlisted' AND (w.queued_at < s.queued_at OR (w.queued_at = s.queued_at AND w.id <= s.id))) ELSE 0 END AS position, \
        a.checkin_token AS checkin_token, t.checked_in_at AS checked_in_at, t.checked_out_at AS checked_out_at \
        FROM signups s JOIN activities a ON a.id = s.activity_id JOIN communities c ON c.id = a.community_id \
        LEFT JOIN attendance t ON t.activity_id = s.activity_id AND t.volunteer_id = s.volunteer_id \
        WHERE s.volunteer_id = $1 AND s.status IN ('confirmed', 'waitlisted') AND s.ends_at > $2 AND a.cancelled_at IS NULL \
        ORDER BY s.starts_at, s.id LIMIT 8";
    const CALLS: &str = "SELECT d.id AS id, d.title AS title, d.starts_at AS starts_at, d.address AS address, c.name AS community, \
        r.token AS token FROM dispatch_responses r JOIN dispatches d ON d.id = r.dispatch_id JOIN communities c ON c.id = d.community_id \
        WHERE r.volunteer_id = $1 AND r.status = 'notified' AND d.status = 'open' AND d.ends_at > $2 ORDER BY d.starts_at, d.id LIMIT 5";
    let mut s = sections::read(db, &[ME, SIGNUPS, CALLS], &[Arg::I64(volunteer_id), Arg::I64(now)]).await?.into_iter();
    let mut next = || s.next().unwrap_or_default();
    let Some(me) = rows::<Me>(next())?.pop() else { return Ok(None) };
    Ok(Some(Volunteer { name: me.name, total_hours: me.total_hours, signups: rows(next())?, calls: rows(next())? }))
}

#[derive(Debug, Clone, Deserialize)]
pub struct Beneficiary {
    pub id: i64,
    pub name: String,
    pub kind: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Count {
    pub key: String,
    pub n: i64,
}

pub struct Observer {
    pub name: String,
    pub community_id: i64,
    pub community: String,
    pub needs: Vec<NeedLine>,
    pub needs_by_status: Vec<Count>,
    pub beneficiaries: Vec<Beneficiary>,
    pub beneficiary_count: i64,
}

#[derive(Deserialize)]
struct Place {
    name: String,
    community_id: i64,
    community: String,
    beneficiaries: i64,
}

/// An observer's community — the home community of the person the account
/// belongs to — with its latest needs, their statuses and its beneficiaries.
pub async fn observer(db: &Db, volunteer_id: i64) -> Result<Option<Observer>> {
    const PLACE: &str = "SELECT v.name AS name, c.id AS community_id, c.name AS community, \
        (SELECT COUNT(*) FROM beneficiaries b WHERE b.community_id = c.id AND b.active = TRUE) AS beneficiaries \
        FROM volunteers v JOIN communities c ON c.id = v.community_id WHERE v.id = $1";
    let needs = format!(
        "{NEED_LINE} WHERE n.community_id = (SELECT community_id FROM volunteers WHERE id = $1) \
         AND n.merged_into IS NULL ORDER BY n.created_at DESC, n.id DESC LIMIT 10"
    );
    const BY_STATUS: &str = "SELECT status AS key, COUNT(*) AS n FROM needs \
        WHERE community_id = (SELECT community_id FROM volunteers WHERE id = $1) AND merged_into IS NULL GROUP BY status ORDER BY status";
    const BENEFICIARIES: &str = "SELECT b.id AS id, b.name AS name, b.kind AS kind FROM beneficiaries b \
        WHERE b.community_id = (SELECT community_id FROM volunteers WHERE id = $1) AND b.active = TRUE ORDER BY b.id LIMIT 10";
    let mut s = sections::read(db, &[PLACE, &needs, BY_STATUS, BENEFICIARIES], &[Arg::I64(volunteer_id)]).await?.into_iter();
    let mut next = || s.next().unwrap_or_default();
    let Some(p) = rows::<Place>(next())?.pop() else { return Ok(None) };
    Ok(Some(Observer {
        name: p.name,
        community_id: p.community_id,
        community: p.community,
        beneficiary_count: p.beneficiaries,
        needs: rows(next())?,
        needs_by_status: rows(next())?,
        beneficiaries: rows(next())?,
    }))
}
