//! iCalendar feeds a phone's calendar subscribes to: one per volunteer
//! (their confirmed and waitlisted sign-ups) and one per team (its
//! activities), each behind a private token that can be regenerated.

use rand::RngCore;
use tongxing_domain::ical::{activity_uid, calendar, Event};
use tongxing_domain::permission::{Action, Resource, Scope};
use tongxing_store::activities::calendar_feeds::{self as feeds, Owner};
use tongxing_store::{
    now_ms,
    registry::{teams, volunteers},
};

use crate::delivery::text;
use crate::{Actor, Error, Result, Service};

/// A feed shows activities that ended at most this long ago, and at most this many.
const PAST_DAYS: i64 = 90;
const MAX_EVENTS: i64 = 1000;

fn new_token() -> String {
    let mut b = [0u8; 20];
    rand::thread_rng().fill_bytes(&mut b);
    hex::encode(b)
}

impl Service {
    /// Whose calendar the actor may manage: their own, or with `team_id` a
    /// team they lead (the center: any team).
    async fn feed_owner(&self, actor: &Actor, team_id: Option<i64>) -> Result<Owner> {
        match team_id {
            None => actor.volunteer_id.map(Owner::Volunteer).ok_or(Error::NotFound),
            Some(t) => {
                let ok = match self.require(actor, Action::Write, Resource::Activity)? {
                    Scope::All => true,
                    Scope::OwnTeam => actor.team_id == Some(t),
                    _ => false,
                };
                if !ok {
                    return Err(Error::Forbidden);
                }
                teams::get(&self.db, t).await?;
                Ok(Owner::Team(t))
            }
        }
    }

    /// The actor's feed token, if one was made.
    pub async fn calendar_token(&self, actor: &Actor, team_id: Option<i64>) -> Result<Option<String>> {
        let owner = self.feed_owner(actor, team_id).await?;
        Ok(feeds::token_of(&self.db, owner).await?)
    }

    /// Makes the feed token on first use; with `regenerate`, a new one
    /// replaces it and the old link stops working.
    pub async fn make_calendar_token(&self, actor: &Actor, team_id: Option<i64>, regenerate: bool) -> Result<String> {
        let owner = self.feed_owner(actor, team_id).await?;
        let token = new_token();
        if regenerate {
            feeds::replace(&self.db, owner, &token).await?;
            self.audit(Some(actor), "regenerate_calendar", "calendar_feed", team_id.or(actor.volunteer_id), None).await?;
            return Ok(token);
        }
        Ok(feeds::ensure(&self.db, owner, &token).await?)
    }

    /// Public, by token: the feed as iCalendar text. `host` names the UIDs.
    pub async fn calendar_feed(&self, token: &str, host: &str) -> Result<String> {
        let owner = feeds::owner(&self.db, token).await?.ok_or(Error::NotFound)?;
        let now = now_ms();
        let items = feeds::items(&self.db, owner, now - PAST_DAYS * tongxing_domain::hours::DAY_MS, MAX_EVENTS).await?;
        let name = match owner {
            Owner::Volunteer(v) => text("calendar.volunteer", &[&volunteers::get(&self.db, v).await?.name]),
            Owner::Team(t) => text("calendar.team", &[&teams::get(&self.db, t).await?.name]),
        };
        let events: Vec<Event> = items
            .into_iter()
            .map(|i| {
                let tentative = i.status == "waitlisted";
                let mut lines = vec![text("calendar.team_line", &[&i.team_name])];
                if tentative {
                    lines.push(text("calendar.waitlisted", &[]));
                }
                lines.extend(i.description.filter(|d| !d.trim().is_empty()));
                let location = match i.address.filter(|a| !a.trim().is_empty()) {
                    Some(a) => format!("{} {a}", i.community_name),
                    None => i.community_name,
                };
                Event {
                    uid: activity_uid(i.id, host),
                    starts_at: i.starts_at,
                    ends_at: i.ends_at,
                    summary: i.title,
                    location: Some(location),
                    description: Some(lines.join("\n")),
                    tentative,
                    all_day: false,
                }
            })
            .collect();
        Ok(calendar(&name, &events, now))
    }
}
