//! The scoring criteria: one registry of record-backed measures. A new
//! measure (care visits, childcare shifts, training given) is one entry here
//! and one query in `store::honours::figures`.

use std::collections::{HashMap, HashSet};

use tongxing_domain::honours::round::{CriterionInput, METRICS};
use tongxing_domain::honours::scoring::{ineligible, score, Rules, Standing};
use tongxing_domain::honours::view::Candidate;
use tongxing_store::honours::figures::{self, Measure, Period, Subject};
use tongxing_store::Db;

use crate::Result;

/// A measure a round may weigh, and how a team's figure is made of its members'.
pub struct Criterion {
    pub metric: &'static str,
    pub measure: &'static Measure,
    /// True when a team's figure is its members' average rather than their sum.
    pub averaged: bool,
}

pub const CRITERIA: &[Criterion] = &[
    Criterion { metric: "hours", measure: &figures::HOURS, averaged: false },
    Criterion { metric: "activities", measure: &figures::ACTIVITIES, averaged: false },
    Criterion { metric: "needs_served", measure: &figures::NEEDS_SERVED, averaged: false },
    Criterion { metric: "need_rating", measure: &figures::NEED_RATING, averaged: true },
    Criterion { metric: "emergency_answered", measure: &figures::EMERGENCY_ANSWERED, averaged: false },
    Criterion { metric: "emergency_attended", measure: &figures::EMERGENCY_ATTENDED, averaged: false },
    Criterion { metric: "care_visits", measure: &tongxing_store::care::figures::HONOUR_VISITS, averaged: false },
    Criterion { metric: "childcare_shifts", measure: &tongxing_store::childcare::report::HONOUR_SHIFTS, averaged: false },
    Criterion { metric: "training_given", measure: &tongxing_store::skills::taught::HONOUR_TAUGHT, averaged: false },
];

/// Where a volunteer's figure for `metric` in round `round` is drilled into
/// (the entries behind it), for the measures with a list of their own.
pub fn lines_url(metric: &str, round: i64, volunteer: i64) -> Option<String> {
    match metric {
        "hours" => Some(format!("/volunteers/{volunteer}/hours")),
        "training_given" => Some(format!("/api/v1/honours/rounds/{round}/lessons-taught/{volunteer}")),
        _ => None,
    }
}

fn criterion(metric: &str) -> Option<&'static Criterion> {
    CRITERIA.iter().find(|c| c.metric == metric)
}

/// Figures by subject (volunteer or team) for one measure.
type Figures = HashMap<i64, f64>;

async fn per_volunteer(db: &Db, c: &Criterion, p: &Period) -> Result<Figures> {
    Ok(figures::read(db, c.measure, p).await?.into_iter().collect())
}

/// A team's figure from its members': summed, or averaged over members who have one.
fn per_team(by_volunteer: &Figures, members: &[(i64, i64)], averaged: bool) -> Figures {
    let mut acc: HashMap<i64, (f64, f64)> = HashMap::new();
    for (team, v) in members {
        if let Some(x) = by_volunteer.get(v) {
            let e = acc.entry(*team).or_default();
            e.0 += x;
            e.1 += 1.0;
        }
    }
    acc.into_iter().map(|(t, (sum, n))| (t, if averaged { sum / n } else { sum })).collect()
}

/// What a round scores with, read from the record.
pub struct Scoring<'a> {
    pub kind: &'a str,
    pub period: Period,
    pub rules: Rules,
    pub criteria: &'a [CriterionInput],
}

/// Every person or team of the region scored for the round, best first,
/// the ineligible after the eligible with the rule they fail.
pub async fn candidates(db: &Db, s: &Scoring<'_>) -> Result<Vec<Candidate>> {
    let teams = s.kind == "team";
    let (subjects, members) =
        if teams { tokio::try_join!(figures::teams(db), figures::memberships(db))? } else { (figures::volunteers(db).await?, Vec::new()) };
    scored(db, s, &subjects, &members).await
}

/// Why one person or team may not be nominated (`Some(None)`: eligible;
/// None: no such candidate). Only their own standing counts, so nothing
/// else is read or scored.
pub async fn ineligibility(db: &Db, s: &Scoring<'_>, subject: i64) -> Result<Option<Option<String>>> {
    let teams = s.kind == "team";
    let (mut subjects, members) = if teams {
        tokio::try_join!(figures::teams(db), figures::memberships(db))?
    } else {
        (figures::volunteer(db, subject).await?, Vec::new())
    };
    subjects.retain(|x| x.id == subject);
    let bare = Scoring { kind: s.kind, period: s.period.clone(), rules: s.rules, criteria: &[] };
    Ok(scored(db, &bare, &subjects, &members).await?.pop().map(|c| c.reason))
}

async fn scored(db: &Db, s: &Scoring<'_>, subjects: &[Subject], members: &[(i64, i64)]) -> Result<Vec<Candidate>> {
    let teams = s.kind == "team";
    // Eligibility always reads hours and activities, weighted or not.
    let mut wanted: Vec<&str> = vec!["hours", "activities"];
    wanted.extend(s.criteria.iter().map(|c| c.metric.as_str()).filter(|m| *m != "hours" && *m != "activities"));
    let mut by_metric: HashMap<&str, Figures> = HashMap::new();
    for m in wanted {
        let c = criterion(m).filter(|_| METRICS.contains(&m)).ok_or_else(|| crate::Error::Internal(format!("no criterion {m}")))?;
        let v = per_volunteer(db, c, &s.period).await?;
        by_metric.insert(m, if teams { per_team(&v, members, c.averaged) } else { v });
    }
    let disputed: HashSet<i64> = figures::upheld_against(db, teams, &s.period).await?.into_iter().collect();
    Ok(score_all(subjects, &by_metric, &disputed, s, teams))
}

fn score_all(
    subjects: &[Subject],
    by_metric: &HashMap<&str, Figures>,
    disputed: &HashSet<i64>,
    s: &Scoring<'_>,
    teams: bool,
) -> Vec<Candidate> {
    let fig = |m: &str, id: i64| by_metric.get(m).and_then(|f| f.get(&id)).copied().unwrap_or(0.0);
    let standing = |x: &Subject| Standing {
        active: x.active,
        real_name: x.real_name,
        disputed: disputed.contains(&x.id),
        hours: fig("hours", x.id),
        activities: fig("activities", x.id),
    };
    let eligible: Vec<&Subject> = subjects.iter().filter(|x| ineligible(s.rules, standing(x)).is_none()).collect();
    // The best figure of each measure among the eligible sets 100 % of its weight.
    let best: Vec<f64> = s.criteria.iter().map(|c| eligible.iter().map(|x| fig(&c.metric, x.id)).fold(0.0, f64::max)).collect();
    let mut out: Vec<Candidate> = subjects
        .iter()
        .map(|x| {
            let values: Vec<f64> = s.criteria.iter().map(|c| fig(&c.metric, x.id)).collect();
            let reason = ineligible(s.rules, standing(x));
            let (points, breakdown) = score(s.criteria, &values, &best);
            Candidate {
                volunteer_id: (!teams).then_some(x.id),
                team_id: teams.then_some(x.id),
                name: x.name.clone(),
                group_name: x.group_name.clone(),
                eligible: reason.is_none(),
                reason: reason.map(str::to_string),
                score: points,
                hours: fig("hours", x.id),
                breakdown,
                entries_url: (!teams).then(|| format!("/volunteers/{}/hours", x.id)),
            }
        })
        .collect();
    out.sort_by(|a, b| b.eligible.cmp(&a.eligible).then(b.score.total_cmp(&a.score)).then(a.name.cmp(&b.name)));
    out
}
