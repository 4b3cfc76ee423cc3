//! The service-project catalogue: kept by the center, read by everyone,
//! instantiated by activity plans. A project is never deleted; retiring one
//! with activities still ahead asks first whether to keep or cancel them.

use chrono::{Datelike, NaiveDate};
use serde::Serialize;
use tongxing_domain::activities::Activity;
use tongxing_domain::campaigns::projects::{retirement, FutureActivities, Project, ProjectInput, ProjectStats, Retirement};
use tongxing_domain::model::Paged;
use tongxing_domain::paging::Page;
use tongxing_domain::permission::{Action, Resource};
use tongxing_domain::{pinyin_index, time, Invalid};
use tongxing_store::campaigns::projects::{self as store, Filter, Record};
use tongxing_store::registry::{teams, units};
use tongxing_store::{activities, now_ms};
use utoipa::ToSchema;

use crate::{Actor, Error, Result, Service};

/// An activity still ahead of a retiring project.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Ahead {
    pub id: i64,
    pub title: String,
    #[serde(serialize_with = "tongxing_domain::time::ms_as_rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub starts_at: i64,
}

/// What a retirement did, or why it waits for a choice.
#[derive(Debug, Clone)]
pub enum Retired {
    Done {
        cancelled: usize,
    },
    /// Activities lie ahead and no choice was made: nothing changed.
    Ask(Vec<Ahead>),
}

/// A period of region days, `from..=to`; by default this calendar year.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    pub from: NaiveDate,
    pub to: NaiveDate,
}

impl Period {
    /// Reads `from`/`to` (YYYY-MM-DD); a missing end is this year's.
    pub fn read(from: Option<&str>, to: Option<&str>, now: i64) -> Result<Period> {
        let today = time::region_date(now);
        let mut e = Invalid::default();
        let mut day = |field: &str, s: Option<&str>, default: NaiveDate| match s.map(str::trim).filter(|s| !s.is_empty()) {
            None => default,
            Some(s) => NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap_or_else(|_| {
                e.push(field, "date_format");
                default
            }),
        };
        let from = day("from", from, NaiveDate::from_ymd_opt(today.year(), 1, 1).unwrap_or(today));
        let to = day("to", to, NaiveDate::from_ymd_opt(today.year(), 12, 31).unwrap_or(today));
        if e.is_empty() && to < from {
            e.push("to", "before_start");
        }
        e.into_result()?;
        Ok(Period { from, to })
    }

    /// Unix ms from the start of `from` to the start of the day after `to`, region time.
    fn span(&self) -> (i64, i64) {
        let ms = |d: NaiveDate| d.and_hms_opt(0, 0, 0).map(|t| t.and_utc().timestamp_millis() - 8 * 3_600_000).unwrap_or_default();
        (ms(self.from), ms(self.to.succ_opt().unwrap_or(self.to)))
    }
}

impl Service {
    pub async fn list_projects(&self, actor: &Actor, f: &Filter, page: Page) -> Result<Paged<Project>> {
        self.require(actor, Action::Read, Resource::Project)?;
        Ok(store::list(&self.db, f, page).await?)
    }

    pub async fn get_project(&self, actor: &Actor, id: i64) -> Result<Project> {
        self.require(actor, Action::Read, Resource::Project)?;
        Ok(store::get(&self.db, id).await?)
    }

    /// The catalogue a plan may instantiate: active projects only, as (id, name).
    pub async fn project_options(&self, actor: &Actor) -> Result<Vec<(i64, String)>> {
        self.require(actor, Action::Read, Resource::Project)?;
        Ok(store::options(&self.db).await?)
    }

    /// What a project's activities did over `period`.
    pub async fn project_stats(&self, actor: &Actor, id: i64, period: Period) -> Result<ProjectStats> {
        self.require(actor, Action::Read, Resource::Project)?;
        let (first, last) = (period.from.format("%Y-%m-%d").to_string(), period.to.format("%Y-%m-%d").to_string());
        Ok(store::stats(&self.db, id, period.span(), (&first, &last)).await?)
    }

    /// A page of a project's activities, soonest first, cancelled ones too.
    pub async fn project_activities(&self, actor: &Actor, id: i64, page: Page) -> Result<Paged<Activity>> {
        self.require(actor, Action::Read, Resource::Project)?;
        let f = activities::Filter { project_id: Some(id), include_cancelled: true, ..Default::default() };
        self.list_activities(actor, f, page).await
    }

    /// Creates (`id` None) or updates a project. A name an active project
    /// already has is a 409 `duplicate_name`.
    pub async fn save_project(&self, actor: &Actor, id: Option<i64>, input: &ProjectInput) -> Result<i64> {
        self.require(actor, Action::Write, Resource::Project)?;
        let theme = input.check()?;
        if let Some(u) = input.unit_id {
            units::get(&self.db, u).await.map_err(|_| Error::unknown_reference("unit_id"))?;
        }
        if let Some(t) = input.team_id {
            teams::get(&self.db, t).await.map_err(|_| Error::unknown_reference("team_id"))?;
        }
        let record = record(input, theme);
        let duplicate = |e: tongxing_store::Error| match e {
            tongxing_store::Error::Conflict => Error::Conflict { code: "duplicate_name", field: Some("name") },
            other => other.into(),
        };
        let id = match id {
            None => store::create(&self.db, &record).await.map_err(duplicate)?,
            Some(id) => store::update(&self.db, id, &record).await.map_err(duplicate).map(|_| id)?,
        };
        // Activity pages show the project's name.
        self.caches.activities_changed();
        self.audit(Some(actor), "save", "project", Some(id), None).await?;
        Ok(id)
    }

    /// A project's activities still ahead, which retiring it asks about.
    pub async fn projects_ahead(&self, actor: &Actor, id: i64) -> Result<Vec<Ahead>> {
        self.require(actor, Action::Read, Resource::Project)?;
        let ahead = store::ahead(&self.db, id, now_ms()).await?;
        Ok(ahead.into_iter().map(|(id, title, starts_at)| Ahead { id, title, starts_at }).collect())
    }

    /// Retires a project. With activities ahead and no `choice`, nothing
    /// changes and they are returned for the caller to decide; `cancel`
    /// cancels each (everyone signed up is told), `keep` leaves them be.
    pub async fn retire_project(&self, actor: &Actor, id: i64, choice: Option<FutureActivities>) -> Result<Retired> {
        self.require(actor, Action::Write, Resource::Project)?;
        let p = store::get(&self.db, id).await?;
        if !p.active {
            return Err(Error::Conflict { code: "already_retired", field: None });
        }
        let now = now_ms();
        let ahead = store::ahead(&self.db, id, now).await?;
        let cancel = match retirement(ahead.len(), choice) {
            Retirement::Ask => {
                return Ok(Retired::Ask(ahead.into_iter().map(|(id, title, starts_at)| Ahead { id, title, starts_at }).collect()))
            }
            Retirement::Proceed { cancel } => cancel,
        };
        if !store::retire(&self.db, id, Some(actor.id), now).await? {
            return Err(Error::Conflict { code: "already_retired", field: None });
        }
        let mut cancelled = 0;
        if cancel {
            for (activity, _, _) in &ahead {
                cancelled += usize::from(self.cancel_activity(actor, *activity).await?);
            }
        }
        let detail = format!("future_activities={}", if cancel { "cancel" } else { "keep" });
        self.audit(Some(actor), "retire", "project", Some(id), Some(&detail)).await?;
        Ok(Retired::Done { cancelled })
    }

    /// Derives the pinyin keys of projects stored before there were any, so
    /// search finds them too; run at start, a no-op once every name has keys.
    pub async fn index_project_names(&self) -> Result<usize> {
        let names = store::unindexed(&self.db).await?;
        let mut done = 0;
        for (id, name) in names {
            let (initials, pinyin) = pinyin_index::index(&name);
            if !pinyin.is_empty() {
                store::set_pinyin(&self.db, id, &initials, &pinyin).await?;
                done += 1;
            }
        }
        Ok(done)
    }
}

/// The stored form of a checked input, its pinyin keys derived.
fn record(input: &ProjectInput, theme: Option<&'static str>) -> Record {
    let tidy = |s: &Option<String>| s.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(str::to_string);
    let name = input.name.trim().to_string();
    let (name_initials, name_pinyin) = pinyin_index::index(&name);
    Record {
        name,
        name_initials,
        name_pinyin,
        category: input.category.clone(),
        theme,
        description: tidy(&input.description),
        default_minutes: input.default_minutes,
        default_capacity: input.default_capacity,
        default_roles: input
            .default_roles
            .iter()
            .map(|r| tongxing_domain::activities::RoleInput { name: r.name.trim().into(), capacity: r.capacity })
            .collect(),
        risky: input.risky,
        adults_only: input.adults_only,
        what_to_bring: tidy(&input.what_to_bring),
        unit_id: input.unit_id,
        team_id: input.team_id,
    }
}

/// The demo's catalogue, written through the same record the service keeps.
pub(crate) fn demo_record(input: &ProjectInput) -> Record {
    record(input, input.check().ok().flatten())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_period_defaults_to_this_year_and_refuses_an_end_before_its_start() {
        let now = 1_784_016_000_000; // 2026-07-14
        let p = Period::read(None, None, now).unwrap();
        assert_eq!((p.from.to_string(), p.to.to_string()), ("2026-01-01".into(), "2026-12-31".into()));
        assert!(matches!(Period::read(Some("2026-05-01"), Some("2026-04-01"), now), Err(Error::Validation(_))));
        assert!(matches!(Period::read(Some("May"), None, now), Err(Error::Validation(_))));
        let (a, b) = Period::read(Some("2026-07-14"), Some("2026-07-14"), now).unwrap().span();
        assert_eq!(b - a, 24 * 3_600_000);
        assert_eq!(time::region_date(a).to_string(), "2026-07-14");
    }
}
