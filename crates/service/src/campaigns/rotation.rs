//! The rotation plan: a generated fair default, and slots placed by hand.

use tongxing_domain::campaigns::campaign::SlotInput;
use tongxing_domain::campaigns::rotation::{generate, overlapping, Slot};
use tongxing_domain::hours::DAY_MS;
use tongxing_domain::paging::Page;
use tongxing_domain::permission::{Action, Resource};
use tongxing_domain::Invalid;
use tongxing_store::campaigns::{campaign as store, slots};
use tongxing_store::registry::districts;

use super::campaign::{checked, day_start, slot_of};
use crate::{Actor, Error, Result, Service};

fn new_slot(s: &Slot) -> slots::NewSlot {
    (s.district_id, s.theme, s.starts_on.to_string(), s.ends_on.to_string(), day_start(s.starts_on), day_start(s.ends_on) + DAY_MS)
}

impl Service {
    /// Adds a slot (`slot_id` None) or moves one. Refused with 422 when the
    /// district is unknown, the theme not the campaign's, the days outside
    /// it, or (unless the campaign allows it) the district already hosts then.
    pub async fn save_slot(&self, actor: &Actor, campaign_id: i64, slot_id: Option<i64>, input: &SlotInput) -> Result<i64> {
        self.require(actor, Action::Write, Resource::Campaign)?;
        let row = store::get(&self.db, campaign_id).await?;
        if let Some(id) = slot_id {
            slots::get(&self.db, campaign_id, id).await?;
        }
        let c = checked(&row)?;
        let s = input.check(&c)?;
        let district = districts::get(&self.db, input.district_id).await.map_err(|_| Error::unknown_reference("district_id"))?;
        if !district.active {
            return Err(Error::unknown_reference("district_id"));
        }
        let slot = Slot { district_id: input.district_id, theme: s.theme, starts_on: s.starts_on, ends_on: s.ends_on };
        if !row.allow_overlap {
            let others: Vec<Slot> =
                slots::of_campaign(&self.db, campaign_id, 0).await?.iter().filter(|o| Some(o.id) != slot_id).map(slot_of).collect();
            if overlapping(&slot, &others).is_some() {
                return Err(Error::Validation(Invalid::one("starts_on", "slot_overlaps")));
            }
        }
        let id = slots::save(&self.db, campaign_id, slot_id, &new_slot(&slot)).await?;
        self.audit(Some(actor), "campaign.slot", "campaign", Some(campaign_id), Some(&id.to_string())).await?;
        Ok(id)
    }

    pub async fn delete_slot(&self, actor: &Actor, campaign_id: i64, slot_id: i64) -> Result<()> {
        self.require(actor, Action::Write, Resource::Campaign)?;
        slots::delete(&self.db, campaign_id, slot_id).await?;
        self.audit(Some(actor), "campaign.slot_delete", "campaign", Some(campaign_id), Some(&slot_id.to_string())).await
    }

    /// Replaces the rotation with the fair default over the active districts; returns how many slots it made.
    pub async fn generate_rotation(&self, actor: &Actor, campaign_id: i64) -> Result<usize> {
        self.require(actor, Action::Write, Resource::Campaign)?;
        let row = store::get(&self.db, campaign_id).await?;
        let c = checked(&row)?;
        let ids: Vec<i64> =
            districts::list(&self.db, &Default::default(), Page { page: 1, per_page: 500 }).await?.items.iter().map(|d| d.id).collect();
        let plan: Vec<slots::NewSlot> = generate(c.starts_on, c.ends_on, &ids, &c.themes).iter().map(new_slot).collect();
        slots::replace(&self.db, campaign_id, &plan).await?;
        self.audit(Some(actor), "campaign.rotation", "campaign", Some(campaign_id), None).await?;
        Ok(plan.len())
    }
}
