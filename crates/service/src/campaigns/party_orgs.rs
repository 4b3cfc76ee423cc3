//! Party organisations (党组织) registered with a community (双进): kept by
//! the center, read by everyone signed in. Contact phones follow PRODUCT.md
//! §4: lists mask them; one organisation shows it in full to the roles that
//! call people, and that read is audited.

use tongxing_domain::campaigns::party_orgs::{PartyOrg, PartyOrgInput};
use tongxing_domain::model::Paged;
use tongxing_domain::paging::Page;
use tongxing_domain::permission::{self, Action, Resource};
use tongxing_domain::phone;
use tongxing_store::campaigns::party_orgs::{self as orgs, Filter};
use tongxing_store::registry::{communities, units};

use crate::{Actor, Error, Result, Service};

fn mask(o: &mut PartyOrg) {
    if let Some(p) = o.contact_phone.as_mut() {
        *p = phone::mask(p);
        o.phone_masked = true;
    }
}

impl Service {
    pub async fn list_party_orgs(&self, actor: &Actor, f: &Filter, page: Page) -> Result<Paged<PartyOrg>> {
        self.require(actor, Action::Read, Resource::PartyOrg)?;
        let mut list = orgs::list(&self.db, f, page).await?;
        list.items.iter_mut().for_each(mask);
        Ok(list)
    }

    pub async fn get_party_org(&self, actor: &Actor, id: i64) -> Result<PartyOrg> {
        self.require(actor, Action::Read, Resource::PartyOrg)?;
        let mut o = orgs::get(&self.db, id).await?;
        if o.contact_phone.is_some() && permission::may_see_full_phone(actor.role) {
            self.audit(Some(actor), "read_phone", "party_org", Some(id), None).await?;
        } else {
            mask(&mut o);
        }
        Ok(o)
    }

    /// Registers an organisation with a community (双进), or changes one.
    pub async fn save_party_org(&self, actor: &Actor, id: Option<i64>, input: &PartyOrgInput) -> Result<i64> {
        self.require(actor, Action::Write, Resource::PartyOrg)?;
        let checked = input.check()?;
        if let Some(u) = input.unit_id {
            units::get(&self.db, u).await.map_err(|e| reference(e, "unit_id"))?;
        }
        let c = communities::get(&self.db, input.community_id).await.map_err(|e| reference(e, "community_id"))?;
        if !c.active {
            return Err(Error::unknown_reference("community_id"));
        }
        let saved = match id {
            None => orgs::create(&self.db, input, &checked).await,
            Some(id) => orgs::update(&self.db, id, input, &checked).await.map(|_| id),
        };
        let id = saved.map_err(|e| match e {
            tongxing_store::Error::Conflict => Error::Conflict { code: "duplicate_name", field: Some("name") },
            other => other.into(),
        })?;
        self.audit(Some(actor), "save", "party_org", Some(id), None).await?;
        Ok(id)
    }

    /// Deactivates or reactivates; reports naming it stay as they were.
    pub(crate) async fn set_party_org_active(&self, actor: &Actor, id: i64, active: bool) -> Result<()> {
        self.require(actor, Action::Write, Resource::PartyOrg)?;
        orgs::set_active(&self.db, id, active).await?;
        self.audit(Some(actor), if active { "reactivate" } else { "deactivate" }, "party_org", Some(id), None).await
    }
}

/// A missing row named by `field` is a 422 on that field.
pub(crate) fn reference(e: tongxing_store::Error, field: &str) -> Error {
    match e {
        tongxing_store::Error::NotFound => Error::unknown_reference(field),
        other => other.into(),
    }
}
