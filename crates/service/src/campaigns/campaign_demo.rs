//! The demo's campaign: 「情暖西城 携手同行」 over the region's year with the
//! five themes and goals, every district hosting in every two-month period
//! (the theme turning with the period and the district), tied to the year's
//! demo activities by district, theme and day. One past slot is left owing:
//! its theme is one the district held nothing of in those months.

use chrono::{Datelike, NaiveDate};
use tongxing_domain::activities::THEMES;
use tongxing_domain::campaigns::campaign::GoalInput;
use tongxing_domain::campaigns::rotation::{periods, Slot};
use tongxing_domain::hours::DAY_MS;
use tongxing_domain::time::region_date;
use tongxing_store::campaigns::{campaign as store, slots};

use super::campaign::day_start;
use crate::demo::RegionIds;
use crate::{Error, Result, Service};

pub const NAME: &str = "情暖西城 携手同行";

fn goal(metric: &str, theme: Option<&str>, district_id: Option<i64>, target: f64) -> GoalInput {
    GoalInput { metric: metric.into(), theme: theme.map(Into::into), district_id, target }
}

impl Service {
    /// Writes the campaign of the year of `now`; returns its id.
    pub(crate) async fn load_demo_campaign(&self, ids: &RegionIds, now: i64) -> Result<i64> {
        let year = region_date(now).year();
        let (first, last) = (NaiveDate::from_ymd_opt(year, 1, 1), NaiveDate::from_ymd_opt(year, 12, 31));
        let (Some(first), Some(last)) = (first, last) else { return Err(Error::Internal("demo year".into())) };
        let mut goals =
            vec![goal("activities", None, None, 1_100.0), goal("hours", None, None, 36_000.0), goal("people_served", None, None, 15_000.0)];
        goals.extend(THEMES.iter().map(|t| goal("activities", Some(t), None, 220.0)));
        goals.extend(ids.districts.iter().map(|d| goal("activities", None, Some(*d), 180.0)));
        let save = store::Save {
            name: NAME,
            starts_on: first.to_string(),
            ends_on: last.to_string(),
            from_ms: day_start(first),
            until_ms: day_start(last) + DAY_MS,
            themes: THEMES.join(","),
            exclusive_themes: false,
            allow_overlap: false,
            warn_days: 7,
            goals: &goals,
        };
        let id = store::save(&self.db, None, &save, &super::campaign::new_token(), None).await?;
        let mut plan = Vec::new();
        for (p, (from, to)) in periods(first, last).into_iter().enumerate() {
            for (d, district_id) in ids.districts.iter().enumerate() {
                plan.push(Slot { district_id: *district_id, theme: THEMES[(p + d) % THEMES.len()], starts_on: from, ends_on: to });
            }
        }
        self.leave_one_owing(id, &mut plan, now).await?;
        let rows: Vec<slots::NewSlot> = plan
            .iter()
            .map(|s| {
                (
                    s.district_id,
                    s.theme,
                    s.starts_on.to_string(),
                    s.ends_on.to_string(),
                    day_start(s.starts_on),
                    day_start(s.ends_on) + DAY_MS,
                )
            })
            .collect();
        slots::replace(&self.db, id, &rows).await?;
        // Warnings about the year's past slots are history, not news.
        for s in slots::ended(&self.db, now).await? {
            slots::warn(&self.db, s.id, true, "slot_owing", "", &[], now).await?;
        }
        Ok(id)
    }

    /// Gives the third district's last finished slot a theme it held nothing
    /// of in those months, so the demo has a district that owes its slot.
    async fn leave_one_owing(&self, campaign_id: i64, plan: &mut [Slot], now: i64) -> Result<()> {
        let today = region_date(now);
        let district = plan.get(2).map(|s| s.district_id);
        let Some(k) = plan.iter().rposition(|s| Some(s.district_id) == district && s.ends_on < today) else { return Ok(()) };
        let probe: Vec<slots::NewSlot> = THEMES
            .iter()
            .map(|t| {
                (
                    plan[k].district_id,
                    *t,
                    plan[k].starts_on.to_string(),
                    plan[k].ends_on.to_string(),
                    day_start(plan[k].starts_on),
                    day_start(plan[k].ends_on) + DAY_MS,
                )
            })
            .collect();
        slots::replace(&self.db, campaign_id, &probe).await?;
        let held = slots::of_campaign(&self.db, campaign_id, now).await?;
        match held.iter().min_by_key(|s| s.activities) {
            Some(s) if s.activities == 0 => {
                plan[k].theme = THEMES.iter().copied().find(|t| *t == s.theme).unwrap_or(plan[k].theme);
                Ok(())
            }
            Some(s) => {
                // Every theme was served there: the fewest-held one's activities move to the next theme.
                let theme = THEMES.iter().copied().find(|t| *t == s.theme).unwrap_or(plan[k].theme);
                let next = THEMES[(THEMES.iter().position(|t| *t == theme).unwrap_or(0) + 1) % THEMES.len()];
                slots::retheme(&self.db, s.district_id, theme, next, s.from_ms, s.until_ms).await?;
                plan[k].theme = theme;
                Ok(())
            }
            None => Ok(()),
        }
    }
}
