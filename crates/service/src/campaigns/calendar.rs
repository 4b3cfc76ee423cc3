//! The campaign calendar: a month (who hosts, the activities by day, the
//! gaps), a year of months, and the slots as an iCal feed.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use chrono::{Datelike, Months, NaiveDate};
use serde::Serialize;
use tongxing_domain::campaigns::calendar::{gaps, month_span, Gap, MonthFacts};
use tongxing_domain::campaigns::campaign::parse_date;
use tongxing_domain::campaigns::status::{slot_status, SlotStatus};
use tongxing_domain::hours::DAY_MS;
use tongxing_domain::ical::{calendar, Event};
use tongxing_domain::permission::{Action, Resource};
use tongxing_domain::time::region_date;
use tongxing_domain::Invalid;
use tongxing_store::campaigns::{campaign as store, progress, slots};
use utoipa::ToSchema;

use super::campaign::day_start;
use crate::delivery::text;
use crate::{Actor, Error, Result, Service};

/// A slot hosting within the month.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Host {
    pub slot_id: i64,
    pub district_id: i64,
    pub district_name: String,
    pub theme: String,
    pub starts_on: String,
    pub ends_on: String,
    pub status: SlotStatus,
}

/// An activity of the month.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DayItem {
    pub id: i64,
    /// YYYY-MM-DD in the region.
    pub date: String,
    #[serde(serialize_with = "tongxing_domain::time::ms_as_rfc3339")]
    #[schema(value_type = String)]
    pub starts_at: i64,
    pub title: String,
    pub district_id: i64,
    pub theme: String,
    pub community_name: String,
}

/// `GET /api/v1/campaigns/{id}/calendar?month=2026-03`.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CalendarMonth {
    /// The campaign's name.
    pub name: String,
    pub month: String,
    pub hosts: Vec<Host>,
    pub activities: Vec<DayItem>,
    pub gaps: Vec<Gap>,
}

/// The slots of `rows` hosting between `first` and `last`, with their status on `today`.
fn hosts(rows: &[slots::SlotRow], first: NaiveDate, last: NaiveDate, today: NaiveDate) -> Vec<Host> {
    rows.iter()
        .map(|r| (r, super::campaign::slot_of(r)))
        .filter(|(_, s)| s.starts_on <= last && s.ends_on >= first)
        .map(|(r, s)| Host {
            slot_id: r.id,
            district_id: r.district_id,
            district_name: r.district_name.clone(),
            theme: r.theme.clone(),
            starts_on: r.starts_on.clone(),
            ends_on: r.ends_on.clone(),
            status: slot_status(s.starts_on, s.ends_on, today, r.held),
        })
        .collect()
}

/// A month's first day, the `(district, theme)` pairs it held, and each theme's count.
type MonthHeld = (NaiveDate, Vec<(i64, String)>, Vec<(String, i64)>);
/// A month being counted: its `(district, theme)` pairs and each theme's count.
type Tally = (BTreeSet<(i64, String)>, BTreeMap<String, i64>);

impl Service {
    /// One month of the campaign (`YYYY-MM`); 422 `month` for a bad one.
    pub async fn campaign_month(&self, actor: &Actor, id: i64, month: &str, now: i64) -> Result<CalendarMonth> {
        self.require(actor, Action::Read, Resource::Campaign)?;
        let (first, last) = month_span(month).ok_or_else(|| Error::Validation(Invalid::one("month", "month_format")))?;
        let row = store::get(&self.db, id).await?;
        let (rows, acts) =
            tokio::try_join!(self.campaign_slots(id, now), progress::month(&self.db, day_start(first), day_start(last) + DAY_MS))?;
        let themes = row.theme_list();
        let acts: Vec<_> = acts.into_iter().filter(|a| themes.contains(&a.theme)).collect();
        let day = |s: &str| parse_date(s).unwrap_or_default();
        let hosts = hosts(&rows, first, last, region_date(now));
        let plan: Vec<_> = hosts.iter().map(|h| (h.district_id, h.theme.clone(), day(&h.starts_on), day(&h.ends_on))).collect();
        let held: Vec<(i64, String)> = acts.iter().map(|a| (a.district_id, a.theme.clone())).collect();
        let campaign = (day(&row.starts_on), day(&row.ends_on));
        let facts = MonthFacts { first, last, today: region_date(now), campaign, themes: &themes, slots: &plan, held: &held };
        let activities = acts
            .into_iter()
            .map(|a| DayItem {
                id: a.id,
                date: region_date(a.starts_at).to_string(),
                starts_at: a.starts_at,
                title: a.title,
                district_id: a.district_id,
                theme: a.theme,
                community_name: a.community_name,
            })
            .collect();
        Ok(CalendarMonth {
            name: row.name,
            month: format!("{:04}-{:02}", first.year(), first.month()),
            hosts,
            gaps: gaps(&facts),
            activities,
        })
    }

    /// Every month of the campaign, without the activities themselves: the year view.
    pub async fn campaign_year(&self, actor: &Actor, id: i64, now: i64) -> Result<Vec<(CalendarMonth, Vec<(String, i64)>)>> {
        self.require(actor, Action::Read, Resource::Campaign)?;
        let row = store::get(&self.db, id).await?;
        let (rows, held_by_month) = tokio::try_join!(self.campaign_slots(id, now), self.months_held(&row))?;
        let themes = row.theme_list();
        let day = |s: &str| parse_date(s).unwrap_or_default();
        let campaign = (day(&row.starts_on), day(&row.ends_on));
        let mut out = Vec::new();
        let mut first = campaign.0.with_day(1).unwrap_or(campaign.0);
        let none = (first, Vec::new(), Vec::new());
        while first <= campaign.1 {
            let last = first.checked_add_months(Months::new(1)).and_then(|d| d.pred_opt()).unwrap_or(first);
            let hosts = hosts(&rows, first, last, region_date(now));
            let (_, held, counts) = held_by_month.iter().find(|m| m.0 == first).unwrap_or(&none);
            let per_theme = themes.iter().map(|t| (t.clone(), counts.iter().find(|c| &c.0 == t).map_or(0, |c| c.1))).collect();
            let plan: Vec<_> = hosts.iter().map(|h| (h.district_id, h.theme.clone(), day(&h.starts_on), day(&h.ends_on))).collect();
            let facts = MonthFacts { first, last, today: region_date(now), campaign, themes: &themes, slots: &plan, held };
            let month = CalendarMonth {
                name: row.name.clone(),
                month: format!("{:04}-{:02}", first.year(), first.month()),
                gaps: gaps(&facts),
                hosts,
                activities: Vec::new(),
            };
            out.push((month, per_theme));
            first = match first.checked_add_months(Months::new(1)) {
                Some(f) => f,
                None => break,
            };
        }
        Ok(out)
    }

    /// Per month of the campaign (its first day): the districts and themes
    /// that held activities, and how many each theme held — from a year of
    /// activities, read at most once per `cache::FIGURES_TTL` and again as
    /// soon as any activity changes.
    async fn months_held(&self, c: &store::Row) -> tongxing_store::Result<Arc<Vec<MonthHeld>>> {
        let key = format!("campaign-months:{}:{}:{}:{}:{}", c.id, c.from_ms, c.until_ms, c.themes, self.caches.activity_version());
        if let Some(m) = self.caches.figures::<Arc<Vec<MonthHeld>>>(&key) {
            return Ok(m);
        }
        let themes = c.theme_list();
        let mut months: BTreeMap<NaiveDate, Tally> = BTreeMap::new();
        for (at, district, theme) in progress::starts(&self.db, c.from_ms, c.until_ms).await? {
            if !themes.contains(&theme) {
                continue;
            }
            let day = region_date(at);
            let m = months.entry(day.with_day(1).unwrap_or(day)).or_default();
            *m.1.entry(theme.clone()).or_default() += 1;
            m.0.insert((district, theme));
        }
        let m: Arc<Vec<MonthHeld>> =
            Arc::new(months.into_iter().map(|(k, (held, counts))| (k, held.into_iter().collect(), counts.into_iter().collect())).collect());
        self.caches.put_figures(&key, m.clone());
        Ok(m)
    }

    /// The campaign's slots as all-day events, for anyone holding the feed's token.
    pub async fn campaign_feed(&self, token: &str, host: &str) -> Result<String> {
        let row = store::by_feed_token(&self.db, token).await?;
        let now = tongxing_store::now_ms();
        let events: Vec<Event> = slots::of_campaign(&self.db, row.id, now)
            .await?
            .into_iter()
            .map(|s| Event {
                uid: format!("campaign-slot-{}@{host}", s.id),
                starts_at: s.from_ms,
                ends_at: s.until_ms - DAY_MS,
                summary: text("calendar.slot", &[&s.district_name, &text(&format!("theme.{}", s.theme), &[])]),
                location: None,
                description: Some(row.name.clone()),
                tentative: false,
                all_day: true,
            })
            .collect();
        Ok(calendar(&row.name, &events, now))
    }

    /// The campaign's feed token, for the page that offers the subscription.
    pub async fn campaign_feed_token(&self, actor: &Actor, id: i64) -> Result<String> {
        self.require(actor, Action::Read, Resource::Campaign)?;
        Ok(store::get(&self.db, id).await?.feed_token)
    }
}
