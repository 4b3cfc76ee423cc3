//! The leadership dashboard (issue 17): every registered `FigureSource` read
//! for one filter and its previous period, within the actor's reach, kept
//! under the figures cache; the overview API and the rows behind a figure.

pub mod overview;
pub mod report;
pub mod series;
pub mod source;
pub mod sources;

use serde::Serialize;
use tongxing_domain::model::Paged;
use tongxing_domain::paging::Page;
use tongxing_domain::permission::{Action, Resource, Scope};
use tongxing_domain::stats::metric::Drill;
use tongxing_domain::stats::{change_pct, previous, span, PeriodKind, Span};
use tongxing_domain::Invalid;
use tongxing_store::stats::drill::{self, Line};
use tongxing_store::stats::Filter;
use utoipa::ToSchema;

use crate::campaigns::campaign::day_start;
use crate::registry::volunteers::region_today;
use crate::{Actor, Error, Result, Service};
use source::{Figure, Section, SOURCES};

/// What a dashboard is asked for, as typed in the form or the query string.
#[derive(Debug, Clone, Default)]
pub struct StatsQuery {
    /// `month`, `year` (default), `last12` or `custom`.
    pub period: Option<String>,
    pub from: Option<String>,
    pub to: Option<String>,
    pub district_id: Option<i64>,
    pub unit_id: Option<i64>,
    pub team_id: Option<i64>,
    pub theme: Option<String>,
}

/// The filter as applied: the days, the comparison and the narrowing
/// (a liaison's unit and a leader's team are set whatever was asked).
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(as = StatsFilter)]
pub struct Applied {
    pub period: PeriodKind,
    #[schema(value_type = String, format = Date)]
    pub from: String,
    #[schema(value_type = String, format = Date)]
    pub to: String,
    #[schema(value_type = String, format = Date)]
    pub previous_from: String,
    #[schema(value_type = String, format = Date)]
    pub previous_to: String,
    pub district_id: Option<i64>,
    pub unit_id: Option<i64>,
    pub team_id: Option<i64>,
    pub theme: Option<String>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(as = StatsDashboard)]
pub struct Dashboard {
    pub filter: Applied,
    pub sections: Vec<Section>,
}

impl Dashboard {
    /// A figure by its key, from whichever section has it.
    pub fn figure(&self, key: &str) -> Option<&Figure> {
        self.sections.iter().flat_map(|s| &s.figures).find(|f| f.key == key)
    }
}

fn store_filter(s: Span, q: &StatsQuery) -> Filter {
    Filter {
        from: s.from.to_string(),
        to: s.to.to_string(),
        from_ms: day_start(s.from),
        until_ms: s.to.succ_opt().map_or(i64::MAX, day_start),
        district_id: q.district_id.unwrap_or(0),
        unit_id: q.unit_id.unwrap_or(0),
        team_id: q.team_id.unwrap_or(0),
        theme: q.theme.clone().unwrap_or_default(),
    }
}

impl Service {
    /// The query narrowed to the actor's reach: a liaison's unit, a team
    /// leader's team; 403 for roles without figures.
    fn stats_scope(&self, actor: &Actor, mut q: StatsQuery) -> Result<StatsQuery> {
        match self.require(actor, Action::Read, Resource::Stats)? {
            Scope::All => {}
            Scope::OwnUnit => q.unit_id = Some(actor.unit_id.ok_or(Error::Forbidden)?),
            Scope::OwnTeam => q.team_id = Some(actor.team_id.ok_or(Error::Forbidden)?),
            _ => return Err(Error::Forbidden),
        }
        q.theme = q.theme.map(|v| v.trim().to_string()).filter(|v| !v.is_empty());
        if q.theme.as_deref().is_some_and(|t| !tongxing_domain::activities::THEMES.contains(&t)) {
            return Err(Invalid::one("theme", "unknown_choice").into());
        }
        for (field, id) in [("district_id", q.district_id), ("unit_id", q.unit_id), ("team_id", q.team_id)] {
            if id.is_some_and(|i| i < 0) {
                return Err(Invalid::one(field, "unknown_reference").into());
            }
        }
        Ok(q)
    }

    /// The period, its comparison and the store filters for both.
    fn stats_filters(&self, actor: &Actor, q: StatsQuery) -> Result<(Applied, Filter, Filter)> {
        let q = self.stats_scope(actor, q)?;
        let kind = PeriodKind::parse(q.period.as_deref())?;
        let now = span(kind, q.from.as_deref(), q.to.as_deref(), region_today())?;
        let before = previous(now);
        let applied = Applied {
            period: if q.from.as_deref().is_some_and(|s| !s.trim().is_empty()) { PeriodKind::Custom } else { kind },
            from: now.from.to_string(),
            to: now.to.to_string(),
            previous_from: before.from.to_string(),
            previous_to: before.to.to_string(),
            district_id: q.district_id,
            unit_id: q.unit_id,
            team_id: q.team_id,
            theme: q.theme.clone(),
        };
        Ok((applied, store_filter(now, &q), store_filter(before, &q)))
    }

    /// Every section for the period with its charts, each figure beside its
    /// previous period's. Read at most once per `cache::FIGURES_TTL` for the
    /// same filter, as the first screens' figures are.
    pub async fn dashboard(&self, actor: &Actor, q: StatsQuery) -> Result<Dashboard> {
        self.dashboard_read(actor, q, true).await
    }

    /// The dashboard, from the figures cache when `cached` (a month being
    /// closed is read afresh: what it freezes must not miss the last 30 s).
    pub(crate) async fn dashboard_read(&self, actor: &Actor, q: StatsQuery, cached: bool) -> Result<Dashboard> {
        let (filter, now, before) = self.stats_filters(actor, q)?;
        let key = format!("stats:{}:{now:?}", filter.period.as_str());
        if let Some(d) = self.caches.figures::<Dashboard>(&key).filter(|_| cached) {
            return Ok(d);
        }
        let mut sections = Vec::with_capacity(SOURCES.len());
        for source in SOURCES {
            let started = std::time::Instant::now();
            let mut s = source.read(self, &now, true).await?;
            if source.dated() {
                let earlier = source.read(self, &before, false).await?;
                for (f, p) in s.figures.iter_mut().zip(&earlier.figures).filter(|(f, _)| f.dated) {
                    f.previous = p.value;
                    f.change_pct = f.value.zip(p.value).and_then(|(a, b)| change_pct(a, b));
                }
            }
            // Which section a slow dashboard spends its time in (RUST_LOG=tongxing_service::stats=debug).
            tracing::debug!(section = s.key, micros = started.elapsed().as_micros() as u64, "dashboard section read");
            sections.push(s);
        }
        let d = Dashboard { filter, sections };
        self.caches.put_figures(&key, d.clone());
        Ok(d)
    }

    /// The rows behind figures of kind `kind`, with the dashboard's filter.
    pub async fn stats_lines(&self, actor: &Actor, q: StatsQuery, kind: Drill, page: Page) -> Result<(Applied, Paged<Line>)> {
        let (filter, now, _) = self.stats_filters(actor, q)?;
        Ok((filter, drill::lines(&self.db, &now, kind, page).await?))
    }
}
