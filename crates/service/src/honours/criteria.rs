//! The scoring criteria: one registry of record-backed measures. A new
//! measure (care visits, childcare shifts, training given) is one entry here
//! and one query in `store::honours::figures`; the ledger's own three are
//! columns of one pass over it.

use std::collections::{HashMap, HashSet};
use std::ops::RangeInclusive;

use tongxing_domain::honours::round::{CriterionInput, METRICS};
use tongxing_domain::honours::scoring::{ineligible, score, Part, Rules, Standing};
use tongxing_domain::honours::view::Candidate;
use tongxing_store::honours::figures::{self, Ledger, Measure, Period, Subject};
use tongxing_store::honours::rounds::Score;
use tongxing_store::Db;

use crate::Result;

/// Where a measure's figures are read.
pub enum Source {
    /// A figure of the ledger's one pass (`figures::ledger`).
    Ledger(fn(&Ledger) -> f64),
    /// A query of its own.
    Query(&'static Measure),
}

/// A measure a round may weigh, and how a team's figure is made of its members'.
pub struct Criterion {
    pub metric: &'static str,
    pub source: Source,
    /// True when a team's figure is its members' average rather than their sum.
    pub averaged: bool,
}

pub const CRITERIA: &[Criterion] = &[
    Criterion { metric: "hours", source: Source::Ledger(|l| l.hours), averaged: false },
    Criterion { metric: "activities", source: Source::Ledger(|l| l.activities), averaged: false },
    Criterion { metric: "needs_served", source: Source::Ledger(|l| l.needs_served), averaged: false },
    Criterion { metric: "need_rating", source: Source::Query(&figures::NEED_RATING), averaged: true },
    Criterion { metric: "emergency_answered", source: Source::Query(&figures::EMERGENCY_ANSWERED), averaged: false },
    Criterion { metric: "emergency_attended", source: Source::Query(&figures::EMERGENCY_ATTENDED), averaged: false },
    Criterion { metric: "care_visits", source: Source::Query(&tongxing_store::care::figures::HONOUR_VISITS), averaged: false },
    Criterion { metric: "childcare_shifts", source: Source::Query(&tongxing_store::childcare::report::HONOUR_SHIFTS), averaged: false },
    Criterion { metric: "training_given", source: Source::Query(&tongxing_store::skills::taught::HONOUR_TAUGHT), averaged: false },
];

/// Where a candidate's figure for `metric` in round `round` is drilled into:
/// the entries behind it, a volunteer's or (a team round) a team's members'.
pub fn lines_url(metric: &str, round: i64, subject: i64) -> String {
    format!("/honours/rounds/{round}/lines/{metric}/{subject}")
}

/// The page a line of `metric` links to, by the id the line is about.
pub fn line_page(metric: &str) -> Option<&'static str> {
    match metric {
        "activities" | "childcare_shifts" => Some("/activities"),
        "needs_served" | "need_rating" => Some("/needs"),
        "emergency_answered" | "emergency_attended" => Some("/dispatch"),
        "care_visits" => Some("/care/pairs"),
        _ => None,
    }
}

fn criterion(metric: &str) -> Option<&'static Criterion> {
    CRITERIA.iter().find(|c| c.metric == metric)
}

/// Figures by subject (volunteer or team) for one measure.
type Figures = HashMap<i64, f64>;

/// What scoring reads of the record besides the subjects: each wanted
/// measure's figures by volunteer, and who had an objection upheld against them.
struct Record {
    by_metric: HashMap<&'static str, Figures>,
    disputed: HashSet<i64>,
}

/// The measures a round reads: hours and activities always (eligibility
/// looks at them, weighted or not), then the weighted others.
fn wanted(s: &Scoring<'_>) -> Result<Vec<&'static Criterion>> {
    let mut metrics: Vec<&str> = vec!["hours", "activities"];
    metrics.extend(s.criteria.iter().map(|c| c.metric.as_str()).filter(|m| *m != "hours" && *m != "activities"));
    metrics
        .into_iter()
        .map(|m| criterion(m).filter(|_| METRICS.contains(&m)).ok_or_else(|| crate::Error::Internal(format!("no criterion {m}"))))
        .collect()
}

/// Reads the record for volunteers with ids in `ids`: the ledger pass (the
/// long part, read in parts at once on SQLite) beside the other measures
/// and the upheld objections, which run one after another meanwhile.
async fn record(db: &Db, s: &Scoring<'_>, teams: bool, ids: RangeInclusive<i64>) -> Result<Record> {
    let wanted = wanted(s)?;
    let queries = async {
        let mut out = Vec::new();
        for c in &wanted {
            if let Source::Query(m) = c.source {
                out.push((c.metric, figures::read(db, m, &s.period).await?));
            }
        }
        Ok::<_, tongxing_store::Error>(out)
    };
    let (ledger, queried, disputed) =
        tokio::try_join!(figures::ledger(db, &s.period, ids), queries, figures::upheld_against(db, teams, &s.period))?;
    let mut by_metric: HashMap<&'static str, Figures> = queried.into_iter().map(|(m, f)| (m, f.into_iter().collect())).collect();
    for c in &wanted {
        if let Source::Ledger(column) = c.source {
            by_metric.insert(c.metric, ledger.iter().map(|(v, l)| (*v, column(l))).collect());
        }
    }
    Ok(Record { by_metric, disputed: disputed.into_iter().collect() })
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
/// the ineligible after the eligible with the rule they fail. The subjects
/// are read beside the record.
pub async fn candidates(db: &Db, s: &Scoring<'_>) -> Result<Vec<Candidate>> {
    let teams = s.kind == "team";
    let subjects = async {
        if teams {
            tokio::try_join!(figures::teams(db), figures::memberships(db))
        } else {
            Ok((figures::volunteers(db).await?, Vec::new()))
        }
    };
    let ((subjects, members), record) = tokio::try_join!(async { subjects.await.map_err(crate::Error::from) }, record(db, s, teams, ALL))?;
    Ok(scored(s, subjects, &members, record))
}

/// Every volunteer's id.
const ALL: RangeInclusive<i64> = i64::MIN..=i64::MAX;

/// A frozen round's candidates: names and groups as they are now,
/// eligibility, scores and breakdowns as stored when review started; a
/// person or team added since is not one.
pub async fn frozen(db: &Db, kind: &str, scores: Vec<Score>) -> Result<Vec<Candidate>> {
    let teams = kind == "team";
    let subjects = if teams { figures::teams(db).await? } else { figures::volunteers(db).await? };
    let mut by_id: HashMap<i64, Score> = scores.into_iter().map(|s| (s.subject_id, s)).collect();
    let mut out: Vec<Candidate> = subjects
        .into_iter()
        .filter_map(|x| {
            let f = by_id.remove(&x.id)?;
            Some(Candidate {
                volunteer_id: (!teams).then_some(x.id),
                team_id: teams.then_some(x.id),
                entries_url: (!teams).then(|| format!("/volunteers/{}/hours", x.id)),
                name: x.name,
                group_name: x.group_name,
                eligible: f.eligible,
                reason: f.reason,
                score: f.score,
                hours: f.hours,
                breakdown: serde_json::from_str::<Vec<Part>>(&f.breakdown).unwrap_or_default(),
            })
        })
        .collect();
    sort(&mut out);
    Ok(out)
}

/// Eligible first, then by score, then by name.
fn sort(list: &mut [Candidate]) {
    list.sort_by(|a, b| b.eligible.cmp(&a.eligible).then(b.score.total_cmp(&a.score)).then(a.name.cmp(&b.name)));
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
    // One volunteer's standing reads only their ledger; a team's, everyone's.
    let ids = if teams { ALL } else { subject..=subject };
    let record = record(db, &bare, teams, ids).await?;
    Ok(scored(&bare, subjects, &members, record).pop().map(|c| c.reason))
}

/// The subjects scored from the record: a team's figures are its members'.
fn scored(s: &Scoring<'_>, subjects: Vec<Subject>, members: &[(i64, i64)], record: Record) -> Vec<Candidate> {
    let teams = s.kind == "team";
    let mut by_metric = record.by_metric;
    if teams {
        for (metric, figures) in by_metric.iter_mut() {
            let averaged = criterion(metric).is_some_and(|c| c.averaged);
            *figures = per_team(figures, members, averaged);
        }
    }
    score_all(subjects, &by_metric, &record.disputed, s, teams)
}

/// Scores every subject: each one's figures are looked up once, the
/// subjects' names move into their candidates rather than being copied.
fn score_all(
    subjects: Vec<Subject>,
    by_metric: &HashMap<&str, Figures>,
    disputed: &HashSet<i64>,
    s: &Scoring<'_>,
    teams: bool,
) -> Vec<Candidate> {
    let none = Figures::new();
    let column = |m: &str| by_metric.get(m).unwrap_or(&none);
    let (hours, activities) = (column("hours"), column("activities"));
    let columns: Vec<&Figures> = s.criteria.iter().map(|c| column(&c.metric)).collect();
    let fig = |f: &Figures, id: i64| f.get(&id).copied().unwrap_or(0.0);
    // (weighted figures, hours, the rule failed) of each subject.
    let read: Vec<(Vec<f64>, f64, Option<&'static str>)> = subjects
        .iter()
        .map(|x| {
            let standing = Standing {
                active: x.active,
                real_name: x.real_name,
                disputed: disputed.contains(&x.id),
                hours: fig(hours, x.id),
                activities: fig(activities, x.id),
            };
            (columns.iter().map(|f| fig(f, x.id)).collect(), standing.hours, ineligible(s.rules, standing))
        })
        .collect();
    // The best figure of each measure among the eligible sets 100 % of its weight.
    let eligible = || read.iter().filter(|(_, _, reason)| reason.is_none());
    let best: Vec<f64> = (0..columns.len()).map(|i| eligible().map(|(values, _, _)| values[i]).fold(0.0, f64::max)).collect();
    let mut out: Vec<Candidate> = subjects
        .into_iter()
        .zip(read)
        .map(|(x, (values, hours, reason))| {
            let (points, breakdown) = score(s.criteria, &values, &best);
            Candidate {
                volunteer_id: (!teams).then_some(x.id),
                team_id: teams.then_some(x.id),
                name: x.name,
                group_name: x.group_name,
                eligible: reason.is_none(),
                reason: reason.map(str::to_string),
                score: points,
                hours,
                breakdown,
                entries_url: (!teams).then(|| format!("/volunteers/{}/hours", x.id)),
            }
        })
        .collect();
    sort(&mut out);
    out
}
