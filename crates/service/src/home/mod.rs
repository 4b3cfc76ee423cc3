//! Each role's first screen (`/`): "what needs me now" (PRODUCT.md §6), read
//! in one round of queries.

use tongxing_domain::first_screen::spans;
use tongxing_domain::hours::Standing;
use tongxing_domain::role::Role;
use tongxing_domain::time::region_date;
use tongxing_store::home;

use crate::registry::stats::Overview;
use crate::{Actor, Result, Service};

pub struct VolunteerScreen {
    pub screen: home::Volunteer,
    pub standing: Standing,
}

pub enum FirstScreen {
    Volunteer(VolunteerScreen),
    Leader(home::Leader),
    Liaison(home::Liaison, home::UnitFigures),
    Observer(home::Observer),
    /// The coordinator's and admin's screen; the viewer's figures.
    Center(home::Center, Overview),
    /// An account not (or no longer) tied to what its role's screen shows:
    /// a leader without a team, an observer not linked to a person.
    Unassigned,
}

/// A first screen and what the other modules ask of the role on it.
pub struct Home {
    pub screen: FirstScreen,
    /// Applications to join waiting for this actor's decision (0 for roles that never decide).
    pub applications: i64,
    /// 双进双报到: what the actor should do about reporting in.
    pub report_in: crate::campaigns::report_in::ReportInPrompt,
    /// 子女照辅班: today's classes for the center, today's duty for a head or caretaker.
    pub childcare: crate::childcare::glance::ChildcareGlance,
    /// 技能传承: what the skills module asks of the actor.
    pub skills: crate::skills::SkillsPrompt,
    /// 爱心守护: the volunteer's pairs, or the overdue pairs within the actor's reach.
    pub care: crate::care::CarePrompt,
    /// 评选表彰: what recognition asks of the actor.
    pub honours: crate::honours::prompt::HonourPrompt,
}

impl Service {
    /// The first screen of the actor's role at `now`. Each role reads only
    /// its own part of the region: a leader their team, a liaison their
    /// unit, a volunteer themselves, an observer their home community.
    pub async fn first_screen(&self, actor: &Actor, now: i64) -> Result<Home> {
        let (screen, applications, report_in, childcare, skills, care, honours) = tokio::try_join!(
            self.screen_of(actor, now),
            self.applications_waiting(actor),
            self.report_in_prompt(actor),
            self.childcare_glance(actor, now),
            self.skills_prompt(actor),
            self.care_prompt(actor),
            self.honour_prompt(actor, now)
        )?;
        Ok(Home { screen, applications, report_in, childcare, skills, care, honours })
    }

    async fn screen_of(&self, actor: &Actor, now: i64) -> Result<FirstScreen> {
        let span = spans(now);
        let screen = match actor.role {
            Role::Admin | Role::Coordinator | Role::Viewer => {
                let (center, overview) = tokio::try_join!(
                    async { Ok::<_, crate::Error>(home::center(&self.db, span.today, span.tomorrow).await?) },
                    self.overview_for_screen()
                )?;
                Some(FirstScreen::Center(center, overview))
            }
            Role::TeamLeader => match actor.team_id {
                Some(t) => home::leader(&self.db, t, now, span.today, span.week_end).await?.map(FirstScreen::Leader),
                None => None,
            },
            Role::Liaison => match actor.unit_id {
                Some(u) => {
                    let month = region_date(span.month).to_string();
                    let (screen, figures) =
                        tokio::try_join!(async { Ok::<_, crate::Error>(home::liaison(&self.db, u).await?) }, self.unit_figures(u, &month))?;
                    screen.map(|x| FirstScreen::Liaison(x, figures))
                }
                None => None,
            },
            Role::Observer => match actor.volunteer_id {
                Some(v) => home::observer(&self.db, v).await?.map(FirstScreen::Observer),
                None => None,
            },
            Role::Volunteer => match actor.volunteer_id {
                Some(v) => home::volunteer(&self.db, v, now).await?.map(|screen| {
                    let standing =
                        tongxing_domain::hours::standing(self.star_ladder(), tongxing_domain::hours::ms_from_hours(screen.total_hours));
                    FirstScreen::Volunteer(VolunteerScreen { screen, standing })
                }),
                None => None,
            },
        };
        Ok(screen.unwrap_or(FirstScreen::Unassigned))
    }
}

/// The first screens' figures, each read at most once per `cache::FIGURES_TTL`.
impl Service {
    async fn overview_for_screen(&self) -> Result<Overview> {
        if let Some(o) = self.caches.figures::<Overview>("region") {
            return Ok(o);
        }
        let o = self.overview().await?;
        self.caches.put_figures("region", o.clone());
        Ok(o)
    }

    async fn unit_figures(&self, unit_id: i64, month: &str) -> Result<home::UnitFigures> {
        let key = format!("unit:{unit_id}:{month}");
        if let Some(f) = self.caches.figures::<home::UnitFigures>(&key) {
            return Ok(f);
        }
        let f = home::unit_figures(&self.db, unit_id, month).await?;
        self.caches.put_figures(&key, f);
        Ok(f)
    }
}
