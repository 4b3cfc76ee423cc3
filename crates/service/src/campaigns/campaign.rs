//! Creating, editing and reading a campaign: its goals are set against
//! what the activity records and the ledger say, live.

use chrono::{NaiveDate, TimeZone};
use rand::RngCore;
use tongxing_domain::campaigns::campaign::{parse_date, CampaignInput, CheckedCampaign};
use tongxing_domain::campaigns::rotation::{clashes, Clash, Slot};
use tongxing_domain::campaigns::status::slot_status;
use tongxing_domain::campaigns::view::{
    Campaign, CampaignItem, ClashView, DistrictFigures, Figures, Goal, Progress, SlotView, ThemeFigures,
};
use tongxing_domain::model::Paged;
use tongxing_domain::paging::Page;
use tongxing_domain::permission::{Action, Resource};
use tongxing_domain::time::{region_date, region_offset};
use tongxing_domain::Invalid;
use tongxing_store::campaigns::{campaign as store, progress, slots};
use tongxing_store::registry::districts;

use crate::{Actor, Error, Result, Service};

/// Unix ms of the region's midnight starting `day`.
pub fn day_start(day: NaiveDate) -> i64 {
    day.and_hms_opt(0, 0, 0).and_then(|t| region_offset().from_local_datetime(&t).single()).map_or(0, |t| t.timestamp_millis())
}

/// A stored campaign's rules, read back.
pub(crate) fn checked(c: &store::Row) -> Result<CheckedCampaign> {
    let day = |s: &str| parse_date(s).ok_or_else(|| Error::Internal(format!("campaign {} has a bad day {s}", c.id)));
    let themes = tongxing_domain::activities::THEMES.iter().copied().filter(|t| c.themes.split(',').any(|x| x == *t)).collect();
    Ok(CheckedCampaign { starts_on: day(&c.starts_on)?, ends_on: day(&c.ends_on)?, themes, warn_days: c.warn_days })
}

/// A stored slot as the rotation rules see it.
pub(crate) fn slot_of(s: &slots::SlotRow) -> Slot {
    let day = |x: &str| parse_date(x).unwrap_or_default();
    let theme = tongxing_domain::activities::THEMES.iter().copied().find(|t| *t == s.theme).unwrap_or("health");
    Slot { district_id: s.district_id, theme, starts_on: day(&s.starts_on), ends_on: day(&s.ends_on) }
}

pub(crate) fn new_token() -> String {
    let mut b = [0u8; 20];
    rand::thread_rng().fill_bytes(&mut b);
    hex::encode(b)
}

impl Service {
    pub async fn list_campaigns(&self, actor: &Actor, page: Page) -> Result<Paged<CampaignItem>> {
        self.require(actor, Action::Read, Resource::Campaign)?;
        Ok(store::list(&self.db, page).await?)
    }

    /// Creates (`id` None) or edits a campaign and replaces its goals. Its
    /// slots must stay within its new days and themes.
    pub async fn save_campaign(&self, actor: &Actor, id: Option<i64>, input: &CampaignInput) -> Result<i64> {
        self.require(actor, Action::Write, Resource::Campaign)?;
        let c = input.check()?;
        for g in &input.goals {
            if let Some(d) = g.district_id {
                districts::get(&self.db, d).await.map_err(|_| Error::Validation(Invalid::one("goals", "unknown_reference")))?;
            }
        }
        if let Some(id) = id {
            store::get(&self.db, id).await?;
            for s in slots::of_campaign(&self.db, id, 0).await? {
                let s = slot_of(&s);
                if s.starts_on < c.starts_on || s.ends_on > c.ends_on {
                    return Err(Error::Validation(Invalid::one(
                        if s.starts_on < c.starts_on { "starts_on" } else { "ends_on" },
                        "slots_outside",
                    )));
                }
                if !c.themes.contains(&s.theme) {
                    return Err(Error::Validation(Invalid::one("themes", "theme_in_use")));
                }
            }
        }
        let save = store::Save {
            name: input.name.trim(),
            starts_on: c.starts_on.to_string(),
            ends_on: c.ends_on.to_string(),
            from_ms: day_start(c.starts_on),
            until_ms: day_start(c.ends_on) + tongxing_domain::hours::DAY_MS,
            themes: c.themes.join(","),
            exclusive_themes: input.exclusive_themes,
            allow_overlap: input.allow_overlap,
            warn_days: c.warn_days,
            goals: &input.goals,
        };
        let saved = store::save(&self.db, id, &save, &new_token(), Some(actor.id)).await?;
        self.audit(Some(actor), if id.is_some() { "campaign.update" } else { "campaign.create" }, "campaign", Some(saved), None).await?;
        Ok(saved)
    }

    /// A campaign with its goals against progress, its slots' status at `now` and the plan's clashes.
    pub async fn campaign(&self, actor: &Actor, id: i64, now: i64) -> Result<Campaign> {
        self.require(actor, Action::Read, Resource::Campaign)?;
        let row = store::get(&self.db, id).await?;
        let every = districts::Filter::default();
        let (goals, cells, slot_rows, all) = tokio::try_join!(
            store::goals(&self.db, id),
            self.progress_cells(&row, now),
            self.campaign_slots(id, now),
            districts::list(&self.db, &every, Page { page: 1, per_page: 500 }),
        )?;
        let themes = row.theme_list();
        let cells: Vec<_> = cells.iter().filter(|c| themes.contains(&c.theme)).collect();
        let mut progress = Progress::default();
        for t in &themes {
            let mut f = Figures::default();
            cells.iter().filter(|c| &c.theme == t).for_each(|c| f.add(&c.figures()));
            progress.overall.add(&f);
            progress.by_theme.push(ThemeFigures { theme: t.clone(), figures: f });
        }
        for d in &all.items {
            let mut f = Figures::default();
            cells.iter().filter(|c| c.district_id == d.id).for_each(|c| f.add(&c.figures()));
            progress.by_district.push(DistrictFigures { district_id: d.id, district_name: d.name.clone(), figures: f });
        }
        let goals = goals
            .into_iter()
            .map(|g| {
                let theme = g.theme.filter(|t| !t.is_empty());
                let mut f = Figures::default();
                cells
                    .iter()
                    .filter(|c| theme.as_ref().is_none_or(|t| &c.theme == t) && g.district_id.is_none_or(|d| c.district_id == d))
                    .for_each(|c| f.add(&c.figures()));
                Goal { actual: f.of(&g.metric), metric: g.metric, theme, district_id: g.district_id, target: g.target }
            })
            .collect();
        let today = region_date(now);
        let plan: Vec<Slot> = slot_rows.iter().map(slot_of).collect();
        let district_ids: Vec<i64> = all.items.iter().map(|d| d.id).collect();
        let clashes = clashes(&plan, &district_ids, row.exclusive_themes).into_iter().map(|c| clash_view(c, &slot_rows)).collect();
        let slots = slot_rows
            .iter()
            .zip(&plan)
            .map(|(s, p)| SlotView {
                status: slot_status(p.starts_on, p.ends_on, today, s.held),
                id: s.id,
                district_id: s.district_id,
                district_name: s.district_name.clone(),
                theme: s.theme.clone(),
                starts_on: s.starts_on.clone(),
                ends_on: s.ends_on.clone(),
                activities: s.activities,
                held: s.held,
                hours: (s.hours * 100.0).round() / 100.0,
            })
            .collect();
        Ok(Campaign {
            id,
            name: row.name,
            starts_on: row.starts_on,
            ends_on: row.ends_on,
            themes,
            exclusive_themes: row.exclusive_themes,
            allow_overlap: row.allow_overlap,
            warn_days: row.warn_days,
            goals,
            progress,
            slots,
            clashes,
        })
    }
}

impl Service {
    /// A campaign's slots with their figures, cached like its progress and
    /// read again as soon as a slot is added, moved or deleted.
    pub(crate) async fn campaign_slots(&self, id: i64, now: i64) -> tongxing_store::Result<std::sync::Arc<Vec<slots::SlotRow>>> {
        let (n, changed, ids) = slots::version(&self.db, id).await?;
        let key = format!("campaign-slots:{id}:{n}:{changed}:{ids}:{}", self.caches.activity_version());
        if let Some(rows) = self.caches.figures::<std::sync::Arc<Vec<slots::SlotRow>>>(&key) {
            return Ok(rows);
        }
        let rows = std::sync::Arc::new(slots::of_campaign(&self.db, id, now).await?);
        self.caches.put_figures(&key, rows.clone());
        Ok(rows)
    }

    /// The campaign's figures per district and theme: a year of activities
    /// with their ledger hours and check-ins, read at most once per
    /// `cache::FIGURES_TTL` and again as soon as any activity or its hours change.
    async fn progress_cells(&self, c: &store::Row, now: i64) -> tongxing_store::Result<std::sync::Arc<Vec<progress::Cell>>> {
        let key = format!("campaign:{}:{}:{}:{}", c.id, c.from_ms, c.until_ms, self.caches.activity_version());
        if let Some(cells) = self.caches.figures::<std::sync::Arc<Vec<progress::Cell>>>(&key) {
            return Ok(cells);
        }
        let cells = std::sync::Arc::new(progress::cells(&self.db, c.from_ms, c.until_ms, now).await?);
        self.caches.put_figures(&key, cells.clone());
        Ok(cells)
    }
}

fn clash_view(c: Clash, rows: &[slots::SlotRow]) -> ClashView {
    match c {
        Clash::SameTheme { theme, first, second } => {
            ClashView { kind: "same_theme", district_id: None, theme: Some(theme.into()), slot_ids: vec![rows[first].id, rows[second].id] }
        }
        Clash::Overlap { district_id, first, second } => {
            ClashView { kind: "overlap", district_id: Some(district_id), theme: None, slot_ids: vec![rows[first].id, rows[second].id] }
        }
        Clash::NoSlot { district_id } => ClashView { kind: "no_slot", district_id: Some(district_id), theme: None, slot_ids: vec![] },
    }
}
