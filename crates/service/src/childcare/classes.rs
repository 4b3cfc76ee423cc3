//! Terms and classes, kept by the center; a new term copies the last one's
//! classes as its template. The rota: one activity per class day.

use chrono::{Datelike, Weekday};
use tongxing_domain::activities::ActivityInput;
use tongxing_domain::campaigns::campaign::parse_date;
use tongxing_domain::childcare::classes::{Class, ClassInput, Term, TermInput};
use tongxing_domain::childcare::day::caretakers_needed;
use tongxing_domain::permission::{Action, Resource};
use tongxing_domain::Invalid;
use tongxing_store::childcare::classes::{self as store, NewClass};
use tongxing_store::registry::{communities, teams, volunteers};

use crate::campaigns::party_orgs::reference;
use crate::{Actor, Error, Result, Service};

/// The days a class meets: the term's weekdays.
pub fn class_days(starts_on: &str, ends_on: &str) -> Vec<String> {
    let (Some(from), Some(to)) = (parse_date(starts_on), parse_date(ends_on)) else { return Vec::new() };
    from.iter_days()
        .take_while(|d| *d <= to)
        .filter(|d| !matches!(d.weekday(), Weekday::Sat | Weekday::Sun))
        .map(|d| d.to_string())
        .collect()
}

/// Whether a class meets on `day` (YYYY-MM-DD).
pub fn meets_on(class: &Class, day: &str) -> bool {
    class.runs_on(day) && parse_date(day).is_some_and(|d| !matches!(d.weekday(), Weekday::Sat | Weekday::Sun))
}

impl Service {
    /// Opens a term; with `copy_from` (or else the latest term before it)
    /// its classes are copied as the template.
    pub async fn open_childcare_term(&self, actor: &Actor, input: &TermInput) -> Result<i64> {
        self.require_childcare_center(actor)?;
        let (name, from, to) = input.check()?;
        let last = store::terms(&self.db).await?.into_iter().find(|t| t.starts_on < from);
        let id = store::create_term(&self.db, &name, &from, &to).await.map_err(|e| match e {
            tongxing_store::Error::Conflict => Error::Conflict { code: "duplicate_name", field: Some("name") },
            other => other.into(),
        })?;
        if let Some(t) = last {
            store::copy_classes(&self.db, t.id, id).await?;
        }
        self.audit(Some(actor), "open", "childcare_term", Some(id), None).await?;
        Ok(id)
    }

    pub async fn childcare_terms(&self, actor: &Actor) -> Result<Vec<Term>> {
        self.require(actor, Action::Read, Resource::Childcare)?;
        Ok(store::terms(&self.db).await?)
    }

    pub async fn create_childcare_class(&self, actor: &Actor, input: &ClassInput) -> Result<i64> {
        self.require_childcare_center(actor)?;
        let (name, address, daily_from, daily_to) = input.check()?;
        store::term(&self.db, input.term_id).await.map_err(|e| reference(e, "term_id"))?;
        communities::get(&self.db, input.community_id).await.map_err(|e| reference(e, "community_id"))?;
        if let Some(v) = input.head_volunteer_id {
            volunteers::get(&self.db, v).await.map_err(|e| reference(e, "head_volunteer_id"))?;
        }
        if let Some(t) = input.team_id {
            teams::get(&self.db, t).await.map_err(|e| reference(e, "team_id"))?;
        }
        let new = NewClass { input, name, address, daily_from, daily_to };
        let id = store::create_class(&self.db, &new).await.map_err(|e| match e {
            tongxing_store::Error::Conflict => Error::Conflict { code: "duplicate_name", field: Some("name") },
            other => other.into(),
        })?;
        self.audit(Some(actor), "save", "childcare_class", Some(id), None).await?;
        Ok(id)
    }

    /// The classes of a term (every term when none), with their counts: no child's data.
    pub async fn childcare_classes(&self, actor: &Actor, term_id: Option<i64>) -> Result<Vec<Class>> {
        self.require(actor, Action::Read, Resource::Childcare)?;
        Ok(store::list(&self.db, term_id).await?)
    }

    /// One class as anyone may see it (the public form names it).
    pub async fn childcare_class(&self, id: i64) -> Result<Class> {
        Ok(store::get(&self.db, id).await?)
    }

    /// Makes the class's rota: one activity per class day without one yet,
    /// run by the class's team, with places for the caretakers the full
    /// class needs. Volunteers sign up, check in and get their hours as for
    /// any activity. Returns how many shifts were made.
    pub async fn make_childcare_rota(&self, actor: &Actor, class_id: i64) -> Result<usize> {
        self.require_childcare_center(actor)?;
        let class = store::get(&self.db, class_id).await?;
        let Some(team_id) = class.team_id else { return Err(Error::Validation(Invalid::one("team_id", "required"))) };
        let have: Vec<String> = store::shifts(&self.db, class_id, "").await?.into_iter().map(|s| s.0).collect();
        let mut made = 0;
        for day in class_days(&class.starts_on, &class.ends_on).into_iter().filter(|d| !have.contains(d)) {
            let input = shift_input(&class, team_id, &day);
            let ids = self.plan_activity(actor, &input).await?;
            store::link_shift(&self.db, class_id, &day, ids[0]).await?;
            made += 1;
        }
        self.audit(Some(actor), "rota", "childcare_class", Some(class_id), None).await?;
        Ok(made)
    }
}

/// A class day's shift as an activity: the class's place and hours.
pub(crate) fn shift_input(class: &Class, team_id: i64, day: &str) -> ActivityInput {
    ActivityInput {
        title: format!("{} · {}", class.name, day),
        team_id,
        community_id: class.community_id,
        starts_at: format!("{day}T{}:00+08:00", class.daily_from),
        ends_at: format!("{day}T{}:00+08:00", class.daily_to),
        capacity: caretakers_needed(class.capacity, class.children_per_caretaker).max(1),
        address: class.address.clone(),
        ..Default::default()
    }
}

impl Service {
    /// What the public enrolment form offers: the classes still open (their
    /// term not over, no child's data), and the member units to choose from.
    pub async fn enrolment_choices(&self, now: i64) -> Result<(Vec<Class>, Vec<(i64, String)>)> {
        let today = tongxing_domain::time::region_date(now).to_string();
        let classes = store::list(&self.db, None).await?.into_iter().filter(|c| c.ends_on >= today).collect();
        let f = tongxing_store::registry::units::Filter::default();
        let page = tongxing_domain::paging::Page { page: 1, per_page: 500 };
        let units = tongxing_store::registry::units::list(&self.db, &f, page).await?.items.into_iter().map(|u| (u.id, u.name)).collect();
        Ok((classes, units))
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_class_meets_on_the_terms_weekdays() {
        let days = super::class_days("2026-07-10", "2026-07-14");
        assert_eq!(days, ["2026-07-10", "2026-07-13", "2026-07-14"]);
    }
}
