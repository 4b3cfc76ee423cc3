//! The campaign calendar: a month (who hosts, the activities by day, the
//! gaps), a year of months, and the slots as an iCal feed.

use chrono::{Datelike, Months, NaiveDate};
use serde::Serialize;
use tongxing_domain::campaigns::calendar::{gaps, month_span, Gap, MonthFacts};
use tongxing_domain::campaigns::campaign::parse_date;
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
    pub month: String,
    pub hosts: Vec<Host>,
    pub activities: Vec<DayItem>,
    pub gaps: Vec<Gap>,
}

impl Service {
    /// One month of the campaign (`YYYY-MM`); 422 `month` for a bad one.
    pub async fn campaign_month(&self, actor: &Actor, id: i64, month: &str, now: i64) -> Result<CalendarMonth> {
        self.require(actor, Action::Read, Resource::Campaign)?;
        let (first, last) = month_span(month).ok_or_else(|| Error::Validation(Invalid::one("month", "month_format")))?;
        let row = store::get(&self.db, id).await?;
        let (rows, acts) =
            tokio::try_join!(slots::of_campaign(&self.db, id, now), progress::month(&self.db, day_start(first), day_start(last) + DAY_MS))?;
        let themes = row.theme_list();
        let acts: Vec<_> = acts.into_iter().filter(|a| themes.contains(&a.theme)).collect();
        let day = |s: &str| parse_date(s).unwrap_or_default();
        let hosts: Vec<Host> = rows
            .into_iter()
            .filter(|s| day(&s.starts_on) <= last && day(&s.ends_on) >= first)
            .map(|s| Host {
                slot_id: s.id,
                district_id: s.district_id,
                district_name: s.district_name,
                theme: s.theme,
                starts_on: s.starts_on,
                ends_on: s.ends_on,
            })
            .collect();
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
        Ok(CalendarMonth { month: format!("{:04}-{:02}", first.year(), first.month()), hosts, gaps: gaps(&facts), activities })
    }

    /// Every month of the campaign, without the activities themselves: the year view.
    pub async fn campaign_year(&self, actor: &Actor, id: i64, now: i64) -> Result<Vec<(CalendarMonth, Vec<(String, i64)>)>> {
        self.require(actor, Action::Read, Resource::Campaign)?;
        let row = store::get(&self.db, id).await?;
        let (rows, starts) =
            tokio::try_join!(slots::of_campaign(&self.db, id, now), progress::starts(&self.db, row.from_ms, row.until_ms))?;
        let themes = row.theme_list();
        let day = |s: &str| parse_date(s).unwrap_or_default();
        let campaign = (day(&row.starts_on), day(&row.ends_on));
        let starts: Vec<(NaiveDate, i64, String)> =
            starts.into_iter().filter(|s| themes.contains(&s.2)).map(|(at, d, t)| (region_date(at), d, t)).collect();
        let mut out = Vec::new();
        let mut first = campaign.0.with_day(1).unwrap_or(campaign.0);
        while first <= campaign.1 {
            let last = first.checked_add_months(Months::new(1)).and_then(|d| d.pred_opt()).unwrap_or(first);
            let hosts: Vec<Host> = rows
                .iter()
                .filter(|s| day(&s.starts_on) <= last && day(&s.ends_on) >= first)
                .map(|s| Host {
                    slot_id: s.id,
                    district_id: s.district_id,
                    district_name: s.district_name.clone(),
                    theme: s.theme.clone(),
                    starts_on: s.starts_on.clone(),
                    ends_on: s.ends_on.clone(),
                })
                .collect();
            let held: Vec<(i64, String)> = starts.iter().filter(|s| s.0 >= first && s.0 <= last).map(|s| (s.1, s.2.clone())).collect();
            let per_theme = themes.iter().map(|t| (t.clone(), held.iter().filter(|h| &h.1 == t).count() as i64)).collect();
            let plan: Vec<_> = hosts.iter().map(|h| (h.district_id, h.theme.clone(), day(&h.starts_on), day(&h.ends_on))).collect();
            let facts = MonthFacts { first, last, today: region_date(now), campaign, themes: &themes, slots: &plan, held: &held };
            let month = CalendarMonth {
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
