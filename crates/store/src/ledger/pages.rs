//! A volunteer's hours page: the running total, the number of entries and
//! a page of the newest, read together (the busiest read a volunteer makes),
//! alone or for a group of volunteers at once on PostgreSQL.

use sqlx::postgres::PgRow;
use sqlx::{FromRow, Row as _};
use tongxing_domain::paging::Page;

use tongxing_domain::hours::Entry;

use super::{entry, recent_sql, Row, TOTALS};
use crate::{Db, Result};

/// The running total, the number of entries and one page of the newest
/// entries, read together: what a volunteer's hours page shows, and the
/// busiest read a volunteer makes. On SQLite it is one direct read; on
/// PostgreSQL one statement (one round trip).
pub async fn summary_page(db: &Db, volunteer_id: i64, page: Page) -> Result<(f64, i64, Vec<Entry>)> {
    match db {
        Db::Sqlite { direct, .. } => summary_page_direct(direct, volunteer_id, page),
        Db::Postgres(_) => Ok(summary_pages(db, &[(volunteer_id, page)]).await?.pop().unwrap_or((0.0, 0, Vec::new()))),
    }
}

fn summary_page_direct(direct: &crate::direct::Direct, volunteer_id: i64, page: Page) -> Result<(f64, i64, Vec<Entry>)> {
    let (total, count, rows): (f64, i64, Vec<Row>) = direct.read(|c| {
        let (total, count) = crate::direct::first(c, TOTALS, [volunteer_id])?.unwrap_or((0.0, 0));
        Ok((total, count, crate::direct::all(c, &recent_sql("$1", "$2", "$3"), [volunteer_id, page.limit(), page.offset()])?))
    })?;
    Ok((total, count, rows.into_iter().map(entry).collect()))
}

/// `summary_page` for several volunteers at once, in the order asked. On
/// PostgreSQL this is one statement for all of them: a round trip (and the
/// pool's ping when the connection comes back) costs more there than
/// reading one volunteer's page, so concurrent hours pages are read together
/// (the service's grouped reads). On SQLite each is its own direct read.
pub async fn summary_pages(db: &Db, asked: &[(i64, Page)]) -> Result<Vec<(f64, i64, Vec<Entry>)>> {
    let p = match db {
        Db::Sqlite { direct, .. } => return asked.iter().map(|&(v, page)| summary_page_direct(direct, v, page)).collect(),
        Db::Postgres(p) => p,
    };
    let ids: Vec<i64> = asked.iter().map(|(v, _)| *v).collect();
    let limits: Vec<i64> = asked.iter().map(|(_, p)| p.limit()).collect();
    let offsets: Vec<i64> = asked.iter().map(|(_, p)| p.offset()).collect();
    // Left to choose, PostgreSQL plans this many-join statement afresh for
    // every group: the size of the arrays changes each time, and a small
    // group's custom plan always looks cheaper than the generic one (10 rows
    // assumed), so it never settles on the generic plan. Planning cost more
    // than reading; the generic plan, for this transaction only, is the same
    // index walk per volunteer. Set with the BEGIN: one round trip.
    let mut tx = p.begin_with("BEGIN READ ONLY; SET LOCAL plan_cache_mode = force_generic_plan").await?;
    let rows: Vec<GroupRow> = sqlx::query_as(GROUPED_PAGES).bind(ids).bind(limits).bind(offsets).fetch_all(&mut *tx).await?;
    tx.commit().await?;
    let mut out: Vec<(f64, i64, Vec<Entry>)> = vec![(0.0, 0, Vec::new()); asked.len()];
    for g in rows {
        let Some(slot) = usize::try_from(g.i - 1).ok().and_then(|i| out.get_mut(i)) else { continue };
        slot.0 = g.total;
        slot.1 = g.entries;
        if let Some(row) = g.row {
            slot.2.push(entry(row));
        }
    }
    Ok(out)
}

/// Several volunteers' pages as flat rows, newest entry first within each
/// (`i`, the place asked); a volunteer with no entry on the page still has
/// one row, for the totals. The people who recorded and confirmed are named
/// once for the whole group: they are the same few coordinators and leaders
/// across it, where naming them entry by entry took eight joins each.
const GROUPED_PAGES: &str = "WITH q AS (SELECT * FROM UNNEST($1::BIGINT[], $2::BIGINT[], $3::BIGINT[]) \
      WITH ORDINALITY AS q(volunteer_id, lim, off, i)), \
    e AS MATERIALIZED (SELECT q.i, e.* FROM q CROSS JOIN LATERAL (SELECT e.id, e.kind, e.hours, e.served_on, e.activity_id, \
      e.need_id, e.recorded_by AS recorder, e.confirmed_by AS confirmer, e.corrects_entry_id, e.note, e.care_visit_id \
      FROM hours_entries e WHERE e.volunteer_id = q.volunteer_id ORDER BY e.id DESC LIMIT q.lim OFFSET q.off) e), \
    who AS (SELECT u.id, COALESCE(v.name, l.name, u.login) AS name FROM users u LEFT JOIN volunteers v ON v.id = u.volunteer_id \
      LEFT JOIN teams t ON t.id = u.team_id LEFT JOIN volunteers l ON l.id = t.leader_volunteer_id \
      WHERE u.id IN (SELECT recorder FROM e UNION SELECT confirmer FROM e)) \
    SELECT q.i, COALESCE(t.total_hours, 0)::DOUBLE PRECISION AS total, COALESCE(t.entries, 0)::BIGINT AS entries, \
      e.id, e.kind, e.hours, e.served_on, e.activity_id, e.need_id, COALESCE(a.title, n.title) AS what, \
      wr.name AS recorded_by, wc.name AS confirmed_by, e.corrects_entry_id, e.note, e.care_visit_id, \
      (SELECT COUNT(*) FROM hours_disputes d WHERE d.entry_id = e.id AND d.status = 'open') AS disputed \
    FROM q LEFT JOIN hours_totals t ON t.volunteer_id = q.volunteer_id LEFT JOIN e ON e.i = q.i \
    LEFT JOIN activities a ON a.id = e.activity_id LEFT JOIN needs n ON n.id = e.need_id \
    LEFT JOIN who wr ON wr.id = e.recorder LEFT JOIN who wc ON wc.id = e.confirmer \
    ORDER BY q.i, e.id DESC";

/// A row of `GROUPED_PAGES`: the volunteer's place and totals, and the
/// entry, absent on a volunteer's row without entries.
struct GroupRow {
    i: i64,
    total: f64,
    entries: i64,
    row: Option<Row>,
}

impl<'r> FromRow<'r, PgRow> for GroupRow {
    fn from_row(r: &'r PgRow) -> sqlx::Result<Self> {
        let id: Option<i64> = r.try_get("id")?;
        Ok(GroupRow {
            i: r.try_get("i")?,
            total: r.try_get("total")?,
            entries: r.try_get("entries")?,
            row: id.map(|_| Row::from_row(r)).transpose()?,
        })
    }
}
