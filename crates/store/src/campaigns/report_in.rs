//! Reports to a home community (报到): the history of each party member's
//! reports, who reported where, and the 双进双报到 figures.

use tongxing_domain::campaigns::report_in::{Member, Report, ReportLine, Standing};

use crate::sections::{read, rows};
use crate::sql::Arg;
use crate::{now_ms, Db, Error, Result};

/// One report to record: (volunteer, community, party organisation).
pub type NewReport = (i64, i64, Option<i64>);

/// A member's current report, if any.
pub async fn current(db: &Db, volunteer_id: i64) -> Result<Option<Standing>> {
    let sql = "SELECT community_id, party_org_id FROM report_ins WHERE volunteer_id = $1 AND ended_at IS NULL";
    db_read!(db, |p| Ok(sqlx::query_as(sql).bind(volunteer_id).fetch_optional(p).await?))
}

/// Every report of a member, newest first.
pub async fn history(db: &Db, volunteer_id: i64) -> Result<Vec<Report>> {
    const SQL: &str = "SELECT r.id AS id, r.volunteer_id AS volunteer_id, r.community_id AS community_id, c.name AS community_name, \
        r.party_org_id AS party_org_id, o.name AS party_org_name, r.reported_at AS reported_at, r.ended_at AS ended_at \
        FROM report_ins r JOIN communities c ON c.id = r.community_id LEFT JOIN party_orgs o ON o.id = r.party_org_id \
        WHERE r.volunteer_id = $1 ORDER BY r.id DESC";
    rows(read(db, &[SQL], &[Arg::I64(volunteer_id)]).await?.pop().unwrap_or_default())
}

/// Adds a ledger entry (`$1` volunteer, `$2` day, `$3` hours, `$4` activity)
/// to `report_in_hours` when its activity is in the community of the
/// volunteer's current report; any other entry matches no row.
pub(crate) const CREDIT_HOURS: &str = "INSERT INTO report_in_hours (volunteer_id, served_on, community_id, party_org_id, hours) \
    SELECT r.volunteer_id, $2, r.community_id, r.party_org_id, $3 FROM report_ins r JOIN activities a ON a.community_id = r.community_id \
    WHERE r.volunteer_id = $1 AND r.ended_at IS NULL AND a.id = $4 \
    ON CONFLICT (volunteer_id, served_on) DO UPDATE SET hours = report_in_hours.hours + excluded.hours";

/// `report_in_hours`' rows from the ledger, against each member's current
/// report: `{}` is the members' condition on `e.volunteer_id`.
macro_rules! hours_from_ledger {
    ($members:literal) => {
        concat!(
            "INSERT INTO report_in_hours (volunteer_id, served_on, community_id, party_org_id, hours) \
             SELECT e.volunteer_id, e.served_on, r.community_id, r.party_org_id, SUM(e.hours) FROM hours_entries e \
             JOIN report_ins r ON r.volunteer_id = e.volunteer_id AND r.ended_at IS NULL \
             JOIN activities a ON a.id = e.activity_id AND a.community_id = r.community_id WHERE ",
            $members,
            " GROUP BY e.volunteer_id, e.served_on, r.community_id, r.party_org_id"
        )
    };
}

/// Sets `report_in_hours` from the whole ledger, after a bulk load wrote
/// entries or reports without going through `append_in!` and `record`:
/// run both, in order, in the load's transaction.
pub(crate) const REBUILD_HOURS: [&str; 2] = ["DELETE FROM report_in_hours WHERE TRUE", hours_from_ledger!("TRUE")];

/// Records reports in one transaction: each ends the member's current report
/// (kept in the history) and becomes the current one, copied onto the
/// volunteer's row, and moves the member's `report_in_hours` to the new
/// community. A report racing
/// another for the same member fails on the one-current-report index (409).
pub async fn record(db: &Db, reports: &[NewReport], by: i64) -> Result<()> {
    let end = "UPDATE report_ins SET ended_at = $1 WHERE volunteer_id = $2 AND ended_at IS NULL";
    let insert = "INSERT INTO report_ins (volunteer_id, community_id, party_org_id, reported_at, reported_by) VALUES ($1, $2, $3, $4, $5)";
    let copy = "UPDATE volunteers SET report_community_id = $2, report_party_org_id = $3 WHERE id = $1";
    let forget = "DELETE FROM report_in_hours WHERE volunteer_id = $1";
    let hours = hours_from_ledger!("e.volunteer_id = $1");
    let now = now_ms();
    db_write!(db, |p| {
        let mut tx = p.begin().await?;
        for &(volunteer, community, org) in reports {
            sqlx::query(end).bind(now).bind(volunteer).execute(&mut *tx).await?;
            sqlx::query(insert).bind(volunteer).bind(community).bind(org).bind(now).bind(by).execute(&mut *tx).await?;
            sqlx::query(copy).bind(volunteer).bind(community).bind(org).execute(&mut *tx).await?;
            sqlx::query(forget).bind(volunteer).execute(&mut *tx).await?;
            sqlx::query(hours).bind(volunteer).execute(&mut *tx).await?;
        }
        tx.commit().await?;
        Ok::<_, Error>(())
    })
}

/// A report as it was made in the past (the demo's history): (volunteer,
/// community, organisation, reported at, ended at).
pub type PastReport = (i64, i64, Option<i64>, i64, Option<i64>);

/// Copies each current report onto its volunteer's row (`record` does it
/// one report at a time).
const COPY_CURRENT: &str = "UPDATE volunteers SET \
    report_community_id = (SELECT r.community_id FROM report_ins r WHERE r.volunteer_id = volunteers.id AND r.ended_at IS NULL), \
    report_party_org_id = (SELECT r.party_org_id FROM report_ins r WHERE r.volunteer_id = volunteers.id AND r.ended_at IS NULL) \
    WHERE id IN (SELECT volunteer_id FROM report_ins WHERE ended_at IS NULL)";

/// Writes past reports in one transaction, as given.
pub async fn insert_past(db: &Db, reports: &[PastReport]) -> Result<()> {
    let insert = "INSERT INTO report_ins (volunteer_id, community_id, party_org_id, reported_at, ended_at) VALUES ($1, $2, $3, $4, $5)";
    db_write!(db, |p| {
        let mut tx = p.begin().await?;
        for &(volunteer, community, org, at, ended) in reports {
            sqlx::query(insert).bind(volunteer).bind(community).bind(org).bind(at).bind(ended).execute(&mut *tx).await?;
        }
        sqlx::query(COPY_CURRENT).execute(&mut *tx).await?;
        for sql in REBUILD_HOURS {
            sqlx::query(sql).execute(&mut *tx).await?;
        }
        tx.commit().await?;
        Ok::<_, Error>(())
    })
}

/// Hours a member served, within the period (`$2`..`$3`), in activities
/// located in the community of their report `r`.
const HOURS_THERE: &str = "COALESCE((SELECT SUM(h.hours) FROM report_in_hours h \
    WHERE h.volunteer_id = v.id AND h.served_on >= $2 AND h.served_on <= $3), 0.0)";

fn member_select() -> String {
    format!(
        "SELECT v.id AS volunteer_id, v.name AS name, u.name AS unit_name, hc.name AS home_community_name, \
         o.name AS party_org_name, rc.name AS reported_community_name, r.reported_at AS reported_at, \
         CASE WHEN r.id IS NULL THEN 0.0 ELSE {HOURS_THERE} END AS hours \
         FROM volunteers v JOIN units u ON u.id = v.unit_id JOIN communities hc ON hc.id = v.community_id \
         LEFT JOIN report_ins r ON r.volunteer_id = v.id AND r.ended_at IS NULL \
         LEFT JOIN communities rc ON rc.id = r.community_id LEFT JOIN party_orgs o ON o.id = r.party_org_id \
         WHERE v.party_member = TRUE AND v.active = TRUE"
    )
}

/// The first `limit` members of a list, and whether there were more.
#[derive(Debug, Clone, Default)]
pub struct Members {
    pub items: Vec<Member>,
    pub more: bool,
}

/// `which` picks the people; `args` are `$1`…, every one used (PostgreSQL
/// refuses an argument its statement does not use), `$2`/`$3` the days.
async fn members(db: &Db, which: &str, args: Vec<Arg>, limit: i64) -> Result<Members> {
    let sql = format!("{} AND ({which}) ORDER BY r.reported_at IS NULL, r.reported_at DESC, v.id LIMIT {}", member_select(), limit + 1);
    let mut items: Vec<Member> = rows(read(db, &[&sql], &args).await?.pop().unwrap_or_default())?;
    let more = items.len() as i64 > limit;
    items.truncate(usize::try_from(limit).unwrap_or(0));
    Ok(Members { items, more })
}

fn days(from: &str, to: &str) -> [Arg; 2] {
    [Arg::Text(from.to_string()), Arg::Text(to.to_string())]
}

/// A community's party members: those who reported there (hours served
/// there within the days given), then those who live there and have not.
pub async fn community_members(db: &Db, community_id: i64, from: &str, to: &str, limit: i64) -> Result<Members> {
    let [f, t] = days(from, to);
    let which = "r.community_id = $1 OR (v.community_id = $1 AND r.id IS NULL)";
    members(db, which, vec![Arg::I64(community_id), f, t], limit).await
}

/// A party organisation's members: those whose current report names it,
/// and the party members of its unit living in its community who have not
/// reported anywhere yet.
pub async fn org_members(
    db: &Db,
    org_id: i64,
    unit_id: Option<i64>,
    community_id: i64,
    (from, to): (&str, &str),
    limit: i64,
) -> Result<Members> {
    let [f, t] = days(from, to);
    let which = "r.party_org_id = $1 OR (r.id IS NULL AND v.unit_id = $4 AND v.community_id = $5)";
    members(db, which, vec![Arg::I64(org_id), f, t, Arg::I64(unit_id.unwrap_or(-1)), Arg::I64(community_id)], limit).await
}

/// A unit's party members and where each reported: what its liaison picks from.
pub async fn unit_members(db: &Db, unit_id: i64, limit: i64) -> Result<Members> {
    let [f, t] = days("", "");
    members(db, "v.unit_id = $1", vec![Arg::I64(unit_id), f, t], limit).await
}

/// Whether a volunteer is an active party member with no current report.
pub async fn should_report(db: &Db, volunteer_id: i64) -> Result<bool> {
    let sql = "SELECT COUNT(*) FROM volunteers v WHERE v.id = $1 AND v.party_member = TRUE AND v.active = TRUE \
               AND NOT EXISTS (SELECT 1 FROM report_ins r WHERE r.volunteer_id = v.id AND r.ended_at IS NULL)";
    let n: i64 = db_read!(db, |p| sqlx::query_scalar(sql).bind(volunteer_id).fetch_one(p).await?);
    Ok(n > 0)
}

/// A unit's active party members with no current report.
pub async fn unreported_in_unit(db: &Db, unit_id: i64) -> Result<i64> {
    let sql = "SELECT COUNT(*) FROM volunteers v WHERE v.unit_id = $1 AND v.party_member = TRUE AND v.active = TRUE \
               AND NOT EXISTS (SELECT 1 FROM report_ins r WHERE r.volunteer_id = v.id AND r.ended_at IS NULL)";
    db_read!(db, |p| Ok(sqlx::query_scalar(sql).bind(unit_id).fetch_one(p).await?))
}

/// What the report covers: days `YYYY-MM-DD` (both included) and filters (0: any).
#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub from: String,
    pub to: String,
    pub district_id: i64,
    pub community_id: i64,
    pub party_org_id: i64,
}

/// Active party members grouped by home, unit and current report (`n`
/// people each), read in the order of the `volunteers_party` index; and the
/// hours each reported member served within the period in activities
/// located in the community reported to (`report_in_hours`, scanned by
/// day: `+` keeps the planner from probing it member by member instead).
/// `filtered`: only people reporting through organisation `$5` (when it is
/// not 0). Shared by both reports.
fn people(filtered: bool) -> String {
    let (org, org_served) =
        if filtered { ("AND ($5 = 0 OR v.report_party_org_id = $5)", "AND ($5 = 0 OR r.party_org_id = $5)") } else { ("", "") };
    format!(
        "pm AS (SELECT v.community_id AS home, v.unit_id AS unit, v.report_community_id AS cur, v.report_party_org_id AS org, \
           CAST(COUNT(*) AS INTEGER) AS n FROM volunteers v WHERE v.party_member = TRUE AND v.active = TRUE {org} \
           GROUP BY v.community_id, v.unit_id, v.report_community_id, v.report_party_org_id), \
         served AS (SELECT r.community_id AS k, r.party_org_id AS org, SUM(r.hours) AS h FROM report_in_hours r \
           WHERE r.served_on >= $1 AND r.served_on <= $2 {org_served} \
           AND +r.volunteer_id IN (SELECT id FROM volunteers WHERE party_member = TRUE AND active = TRUE) \
           GROUP BY r.volunteer_id, r.community_id, r.party_org_id)"
    )
}

/// Sums `lines` (line `k`, and what one person adds to each figure) per line.
const TALLY: &str = "tally AS (SELECT k, SUM(members) AS members, SUM(reported) AS reported, SUM(active) AS active, \
    SUM(hours) AS hours FROM lines GROUP BY k)";

const FIGURES: &str = "COALESCE(t.members, 0) AS members, COALESCE(t.reported, 0) AS reported, \
    COALESCE(t.active, 0) AS active, COALESCE(t.hours, 0.0) AS hours";

/// The report per community (`by_org` false) or per party organisation.
pub async fn report(db: &Db, f: &Filter, by_org: bool) -> Result<Vec<ReportLine>> {
    // Each person adds to the lines they belong to: a community counts those
    // living there and those reported there (once), an organisation those
    // reporting through it and the unreported of its unit living in its community.
    let sql = if by_org {
        format!(
            "WITH {}, lines AS (SELECT org AS k, n AS members, n AS reported, 0 AS active, 0.0 AS hours FROM pm WHERE org IS NOT NULL \
               UNION ALL SELECT po.id, n, 0, 0, 0.0 FROM pm JOIN party_orgs po ON po.community_id = pm.home AND po.unit_id = pm.unit \
                 WHERE pm.cur IS NULL AND po.active = TRUE \
               UNION ALL SELECT org, 0, 0, CASE WHEN h > 0 THEN 1 ELSE 0 END, h FROM served WHERE org IS NOT NULL), {TALLY} \
             SELECT c.id AS community_id, c.name AS community_name, d.id AS district_id, d.name AS district_name, \
               o.id AS party_org_id, o.name AS party_org_name, {FIGURES} \
             FROM party_orgs o JOIN communities c ON c.id = o.community_id JOIN districts d ON d.id = c.district_id \
             LEFT JOIN tally t ON t.k = o.id \
             WHERE o.active = TRUE AND ($3 = 0 OR c.district_id = $3) AND ($4 = 0 OR c.id = $4) AND ($5 = 0 OR o.id = $5)",
            people(false)
        )
    } else {
        format!(
            "WITH {}, lines AS (SELECT home AS k, n AS members, 0 AS reported, 0 AS active, 0.0 AS hours FROM pm \
               UNION ALL SELECT cur, CASE WHEN home = cur THEN 0 ELSE n END, n, 0, 0.0 FROM pm WHERE cur IS NOT NULL \
               UNION ALL SELECT k, 0, 0, CASE WHEN h > 0 THEN 1 ELSE 0 END, h FROM served), {TALLY} \
             SELECT c.id AS community_id, c.name AS community_name, d.id AS district_id, d.name AS district_name, {FIGURES} \
             FROM communities c JOIN districts d ON d.id = c.district_id LEFT JOIN tally t ON t.k = c.id \
             WHERE c.active = TRUE AND ($3 = 0 OR c.district_id = $3) AND ($4 = 0 OR c.id = $4) \
             AND ($5 = 0 OR c.id = (SELECT community_id FROM party_orgs WHERE id = $5))",
            people(true)
        )
    };
    let args =
        [Arg::Text(f.from.clone()), Arg::Text(f.to.clone()), Arg::I64(f.district_id), Arg::I64(f.community_id), Arg::I64(f.party_org_id)];
    let mut lines: Vec<ReportLine> = rows(read(db, &[&sql], &args).await?.pop().unwrap_or_default())?;
    lines.sort_by_key(|l| (l.district_id, l.community_id, l.party_org_id));
    Ok(lines)
}
