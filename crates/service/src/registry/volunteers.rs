//! Volunteers: who may see and change whom, what of their personal data is
//! shown, and how an input becomes a stored record.

use chrono::NaiveDate;
use tongxing_domain::model::{Paged, Volunteer, VolunteerView};
use tongxing_domain::paging::Page;
use tongxing_domain::permission::{self, Action, Placement, Resource, Scope};
use tongxing_domain::registry::{CheckedVolunteer, VolunteerInput};
use tongxing_domain::{id_number, phone, pinyin_index};
use tongxing_store::registry::{communities, teams, units, volunteers};

use crate::{Actor, Error, Result, Service};

/// Today in the region's time zone (UTC+8 all year; no daylight saving).
pub fn region_today() -> NaiveDate {
    (chrono::Utc::now() + chrono::Duration::hours(8)).date_naive()
}

/// Narrows a list filter to what the actor may see. A filter for another
/// unit or team than the actor's own matches nobody (it is not replaced by
/// the actor's own, which would answer rows that do not match it).
fn scoped(actor: &Actor, scope: Scope, mut f: volunteers::Filter) -> volunteers::Filter {
    let narrow = |asked: Option<i64>, own: Option<i64>| {
        let own = own.unwrap_or(-1);
        Some(if asked.is_some_and(|a| a != own) { -1 } else { own })
    };
    match scope {
        Scope::OwnUnit => f.unit_id = narrow(f.unit_id, actor.unit_id),
        Scope::OwnTeam => f.team_id = narrow(f.team_id, actor.team_id),
        Scope::OwnRecord => f.only_id = Some(actor.volunteer_id.unwrap_or(-1)),
        Scope::All | Scope::Denied => {}
    }
    f
}

/// `show_birth_date`: only to whoever may see the whole ID number (or their
/// own). The masked number shows all but ten digits, eight of which are the
/// birth date: with it, two digits and the checksum would be left to guess.
/// Everyone else gets the age.
fn view(v: Volunteer, show_phone: bool, id_number: Option<String>, show_birth_date: bool, today: NaiveDate) -> VolunteerView {
    let age = v.birth_date.as_deref().and_then(|d| d.parse::<NaiveDate>().ok()).map(|b| id_number::age_on(b, today));
    VolunteerView {
        id: v.id,
        phone: if show_phone { v.phone.clone() } else { phone::mask(&v.phone) },
        phone_masked: !show_phone,
        name: v.name,
        id_number,
        birth_date: v.birth_date.filter(|_| show_birth_date),
        age,
        unit_id: v.unit_id,
        unit_name: v.unit_name,
        community_id: v.community_id,
        community_name: v.community_name,
        teams: v.teams,
        skills: v.skills,
        party_member: v.party_member,
        vest_number: v.vest_number,
        availability: v.availability,
        active: v.active,
    }
}

impl Service {
    /// Lists always mask phones and omit ID numbers: a list is for finding people.
    pub async fn list_volunteers(&self, actor: &Actor, f: volunteers::Filter, page: Page) -> Result<Paged<VolunteerView>> {
        let scope = self.require(actor, Action::Read, Resource::Volunteer)?;
        let list = volunteers::list(&self.db, &scoped(actor, scope, f), page).await?;
        let today = region_today();
        let birth = permission::may_see_id_number(actor.role);
        Ok(Paged { items: list.items.into_iter().map(|v| view(v, false, None, birth, today)).collect(), total: list.total })
    }

    /// One volunteer. The full phone goes to roles that call volunteers; the
    /// full ID number only when asked for. Each such read is audited.
    pub async fn get_volunteer(&self, actor: &Actor, id: i64, reveal_id: bool) -> Result<VolunteerView> {
        let scope = self.require(actor, Action::Read, Resource::Volunteer)?;
        let v = self.volunteer_in_scope(actor, scope, id).await?;
        let own = actor.volunteer_id == Some(id);
        let show_phone = own || permission::may_see_full_phone(actor.role);
        if show_phone && !own {
            self.audit(Some(actor), "read_phone", "volunteer", Some(id), None).await?;
        }
        let plain = v.id_number_enc.as_deref().and_then(|e| self.crypto.decrypt(e));
        let id_number = match plain {
            Some(p) if reveal_id && (own || permission::may_see_id_number(actor.role)) => {
                if !own {
                    self.audit(Some(actor), "read_id_number", "volunteer", Some(id), None).await?;
                }
                Some(p)
            }
            Some(p) => Some(id_number::mask(&p)),
            None => None,
        };
        Ok(view(v, show_phone, id_number, own || permission::may_see_id_number(actor.role), region_today()))
    }

    pub async fn save_volunteer(&self, actor: &Actor, id: Option<i64>, input: &VolunteerInput) -> Result<i64> {
        let scope = self.require(actor, Action::Write, Resource::Volunteer)?;
        let before = match id {
            Some(id) => Some(self.volunteer_in_scope(actor, scope, id).await?),
            None => None,
        };
        self.within_reach(actor, scope, input, before.as_ref()).await?;
        let checked = input.check()?;
        self.check_volunteer_references(input).await?;
        let record = self.record(input, &checked);
        if let Some((other, field)) = volunteers::find_duplicate(&self.db, &record.phone, record.id_number_hash.as_deref()).await? {
            if Some(other) != id {
                return Err(Error::Conflict { code: "duplicate_volunteer", field: Some(field) });
            }
        }
        let saved = match id {
            None => volunteers::create(&self.db, &record).await,
            Some(id) => volunteers::update(&self.db, id, &record).await.map(|_| id),
        };
        let id = match saved {
            Ok(id) => id,
            Err(tongxing_store::Error::Conflict) => return Err(self.volunteer_conflict(id, &record).await),
            Err(other) => return Err(other.into()),
        };
        self.audit(Some(actor), "save", "volunteer", Some(id), None).await?;
        // Leaving the unit hands their care pairs on, as deactivating does.
        if before.as_ref().is_some_and(|b| b.unit_id != input.unit_id) {
            self.care_volunteer_left(id).await?;
        }
        Ok(id)
    }

    /// Names the field of a unique-constraint refusal: the check above missed
    /// it because another save won a race, or because the phone is the
    /// volunteer's own and the ID number someone else's.
    async fn volunteer_conflict(&self, id: Option<i64>, r: &volunteers::Record) -> Error {
        let phone_owner = volunteers::find_duplicate(&self.db, &r.phone, None).await.ok().flatten().map(|(owner, _)| owner);
        let field = match phone_owner {
            Some(owner) if Some(owner) != id => Some("phone"),
            _ => r.id_number_hash.is_some().then_some("id_number"),
        };
        Error::Conflict { code: "duplicate_volunteer", field }
    }

    /// The record's unit, and every team it joins or leaves, must be within
    /// the writer's reach (`permission::may_place_volunteer`).
    async fn within_reach(&self, actor: &Actor, scope: Scope, input: &VolunteerInput, before: Option<&Volunteer>) -> Result<()> {
        let had: Vec<i64> = before.map(|v| v.teams.iter().map(|t| t.id).collect()).unwrap_or_default();
        let mut units = std::collections::HashMap::new();
        if scope != Scope::All {
            for t in input.team_ids.iter().chain(&had).chain(actor.team_id.as_ref()) {
                units.insert(*t, self.unit_of_team(*t).await?);
            }
        }
        let before = before.map(|v| Placement { unit_id: v.unit_id, team_ids: &had });
        let after = Placement { unit_id: input.unit_id, team_ids: &input.team_ids };
        let ok = permission::may_place_volunteer(actor, scope, before, after, |t| units.get(&t).copied().flatten());
        ok.then_some(()).ok_or(Error::Forbidden)
    }

    async fn unit_of_team(&self, team: i64) -> Result<Option<i64>> {
        match teams::get(&self.db, team).await {
            Ok(t) => Ok(t.unit_id),
            Err(tongxing_store::Error::NotFound) => Err(Error::unknown_reference("team_ids")),
            Err(e) => Err(e.into()),
        }
    }

    pub(crate) async fn check_volunteer_references(&self, input: &VolunteerInput) -> Result<()> {
        let missing = |e: tongxing_store::Error, field: &str| match e {
            tongxing_store::Error::NotFound => Error::unknown_reference(field),
            other => other.into(),
        };
        units::get(&self.db, input.unit_id).await.map_err(|e| missing(e, "unit_id"))?;
        communities::get(&self.db, input.community_id).await.map_err(|e| missing(e, "community_id"))?;
        let mut team_ids = input.team_ids.clone();
        team_ids.sort_unstable();
        team_ids.dedup();
        if teams::count_existing(&self.db, &team_ids).await? != team_ids.len() as i64 {
            return Err(Error::unknown_reference("team_ids"));
        }
        Ok(())
    }

    /// The stored form of a checked input: search keys, encrypted ID, its hash.
    pub fn record(&self, input: &VolunteerInput, c: &CheckedVolunteer) -> volunteers::Record {
        let (initials, full) = pinyin_index::index(&c.name);
        let mut team_ids = input.team_ids.clone();
        team_ids.sort_unstable();
        team_ids.dedup();
        let blank_none = |s: &Option<String>| s.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(str::to_string);
        volunteers::Record {
            name: c.name.clone(),
            name_initials: initials,
            name_pinyin: full,
            phone: c.phone.clone(),
            phone_rev: phone::reversed(&c.phone),
            id_number_enc: c.id_number.as_ref().map(|i| self.crypto.encrypt(&i.value)),
            id_number_hash: c.id_number.as_ref().map(|i| self.crypto.keyed_hash(&i.value)),
            birth_date: c.id_number.as_ref().map(|i| i.birth_date.to_string()),
            unit_id: input.unit_id,
            community_id: input.community_id,
            team_ids,
            skills: c.skills.clone(),
            party_member: input.party_member,
            vest_number: blank_none(&input.vest_number),
            availability: blank_none(&input.availability),
        }
    }
}

impl Service {
    /// The stored ID number, for carrying it over when a form leaves it blank.
    /// Not shown to anyone, so not audited.
    pub async fn volunteer_id_number(&self, actor: &Actor, id: i64) -> Result<Option<String>> {
        let scope = self.require(actor, Action::Write, Resource::Volunteer)?;
        let v = self.volunteer_in_scope(actor, scope, id).await?;
        Ok(v.id_number_enc.as_deref().and_then(|e| self.crypto.decrypt(e)))
    }
}
