//! The rows behind a dashboard figure, read through the same clauses as the
//! figure itself, so a figure and its list never disagree.

use serde::{Deserialize, Serialize};
use tongxing_domain::model::Paged;
use tongxing_domain::paging::Page;
use tongxing_domain::stats::metric::Drill;
use utoipa::ToSchema;

use super::{Filter, ACTIVITY_WHERE, CALLS_WHERE, COMPLETED_WHERE};
use crate::honours::dashboard::AWARDS;
use crate::sections::{self, rows};
use crate::skills::dashboard::{certifications, enrolments, SOLVED};
use crate::sql::Arg;
use crate::{Db, Result};

/// One row behind a figure: a ledger entry (with its day, volunteer and
/// hours), an activity, a completed need (with its rating), a call, an
/// honour, a skill certificate (with its level), an enrolment (1 when
/// passed) or a problem solved.
#[derive(Debug, Clone, Deserialize, Serialize, ToSchema)]
#[schema(as = StatsLine)]
pub struct Line {
    pub id: i64,
    /// The ledger's day of service, `YYYY-MM-DD` (entries only).
    pub day: Option<String>,
    /// When it started, was completed or was called (unix ms; not for entries).
    #[serde(serialize_with = "tongxing_domain::time::opt_ms_as_rfc3339")]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub at: Option<i64>,
    pub what: String,
    /// The volunteer credited (entries only).
    pub person: Option<String>,
    pub team: Option<String>,
    /// Hours (entries), confirmed places (activities), stars (needs), people confirmed (calls),
    /// level (certificates), 1 when passed (enrolments).
    pub value: Option<f64>,
}

#[derive(Deserialize, Default)]
struct Total {
    total: i64,
}

/// The select list, source and order of each kind of row, and what its
/// count reads (none for ledger entries: their rollup counts them).
fn parts(kind: Drill, f: &Filter) -> (&'static str, String, &'static str, Option<String>) {
    match kind {
        Drill::Entries => (
            "x.id AS id, x.day AS day, NULL AS at, x.what AS what, v.name AS person, t.name AS team, x.value AS value",
            format!(
                "(SELECT e.id AS id, e.served_on AS day, COALESCE(a.title, n.title, e.kind) AS what, e.volunteer_id AS volunteer_id, \
                 e.team_id AS team_id, e.hours AS value FROM {}) x \
                 JOIN volunteers v ON v.id = x.volunteer_id LEFT JOIN teams t ON t.id = x.team_id",
                f.entries(true)
            ),
            "x.day DESC, x.id DESC",
            None,
        ),
        Drill::Activities => {
            let from = format!("activities a JOIN teams t ON t.id = a.team_id WHERE {ACTIVITY_WHERE}");
            (
                "a.id AS id, NULL AS day, a.starts_at AS at, a.title AS what, NULL AS person, t.name AS team, a.confirmed AS value",
                from.clone(),
                "a.starts_at DESC, a.id DESC",
                Some(from),
            )
        }
        Drill::Needs => {
            let from =
                format!("need_events c JOIN needs n ON n.id = c.need_id LEFT JOIN teams t ON t.id = n.team_id WHERE {COMPLETED_WHERE}");
            (
                "n.id AS id, NULL AS day, c.at AS at, n.title AS what, NULL AS person, t.name AS team, n.rating_stars AS value",
                from.clone(),
                "c.at DESC, n.id DESC",
                Some(from),
            )
        }
        Drill::Calls => {
            let from = format!("dispatches d WHERE {CALLS_WHERE}");
            (
                "d.id AS id, NULL AS day, d.created_at AS at, d.title AS what, NULL AS person, NULL AS team, d.confirmed AS value",
                from.clone(),
                "d.created_at DESC, d.id DESC",
                Some(from),
            )
        }
        Drill::Honours => (
            "a.id AS id, NULL AS day, a.issued_at AS at, r.title AS what, v.name AS person, t.name AS team, NULL AS value",
            AWARDS.to_string(),
            "a.issued_at DESC, a.id DESC",
            Some(AWARDS.to_string()),
        ),
        Drill::Certifications => (
            "sc.id AS id, sc.certified_on AS day, NULL AS at, tr.name AS what, cv.name AS person, NULL AS team, sc.level AS value",
            certifications().replacen(" WHERE", " JOIN skill_trades tr ON tr.id = sc.trade_id JOIN volunteers cv ON cv.id = sc.volunteer_id WHERE", 1),
            "sc.certified_on DESC, sc.id DESC",
            Some(certifications()),
        ),
        Drill::Trainees => (
            "se.training_id AS id, st.starts_on AS day, NULL AS at, st.title AS what, ev.name AS person, NULL AS team, \
             CASE WHEN se.passed = TRUE THEN 1 ELSE 0 END AS value",
            enrolments().replacen(" WHERE", " JOIN volunteers ev ON ev.id = se.volunteer_id WHERE", 1),
            "st.starts_on DESC, se.training_id DESC, ev.name",
            Some(enrolments()),
        ),
        Drill::Problems => (
            "sp.id AS id, NULL AS day, (SELECT MAX(ps.at) FROM skill_problem_steps ps WHERE ps.problem_id = sp.id \
               AND ps.step IN ('rolled_out', 'closed') AND ps.at < $8) AS at, sp.title AS what, NULL AS person, pt.name AS team, NULL AS value",
            SOLVED.to_string(),
            "sp.id DESC",
            Some(SOLVED.to_string()),
        ),
    }
}

/// A page of the rows behind figures of kind `kind`, newest first.
pub async fn lines(db: &Db, f: &Filter, kind: Drill, page: Page) -> Result<Paged<Line>> {
    let (select, from, order, counted) = parts(kind, f);
    let list = format!("SELECT {select} FROM {from} ORDER BY {order} LIMIT $9 OFFSET $10");
    let mut args = f.args();
    args.extend([Arg::I64(i64::from(page.per_page)), Arg::I64(page.offset())]);
    let count = counted.map(|c| format!("SELECT COUNT(*) AS total FROM {c}"));
    let sqls: Vec<&str> = std::iter::once(list.as_str()).chain(count.as_deref()).collect();
    let mut s = sections::read(db, &sqls, &args).await?.into_iter();
    let items = rows(s.next().unwrap_or_default())?;
    let total = match count {
        Some(_) => rows::<Total>(s.next().unwrap_or_default())?.pop().unwrap_or_default().total,
        // The ledger's rows are counted from its rollup: the figure's own number.
        None => super::rollup::totals(db, f).await?.entries,
    };
    Ok(Paged { items, total })
}
