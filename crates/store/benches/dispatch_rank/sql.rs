//! The ranking as one SQL query against SQLite with the real schema: the same
//! eligibility (active, adult when the call starts, not skipped, within the
//! radius, with a wanted skill) and the same score as `rank.rs`, ordered by it.
//!
//! The bundled SQLite is built without its math functions (no `sqrt`), so the
//! distance is the equirectangular approximation with the square root taken by
//! Newton's method in plain arithmetic — once per community in a materialized
//! CTE (people live at their community's point), which is the cheapest place
//! for it and gives SQL its best chance.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use sqlx::Row as _;
use tongxing_domain::dispatch::quota::split;
use tongxing_domain::dispatch::rank::{CallSpec, Plan, Ranked, WAVE_SAFETY};
use tongxing_store::Db;

use crate::people::{civil_from_days, Region, Synth, SKILLS, UNITS};

const KM_PER_DEGREE: f64 = 111.195;
const NEWTON_STEPS: usize = 10;

fn write(db: &Db) -> &sqlx::SqlitePool {
    match db {
        Db::Sqlite { write, .. } => write,
        Db::Postgres(_) => unreachable!("the bench uses SQLite"),
    }
}

fn read(db: &Db) -> &sqlx::SqlitePool {
    match db {
        Db::Sqlite { read, .. } => read,
        Db::Postgres(_) => unreachable!("the bench uses SQLite"),
    }
}

/// A fresh database under `dir` (the server's own settings and migrations)
/// holding the region and `people`.
pub async fn load(dir: &Path, region: &Region, people: &[Synth]) -> Db {
    let url = format!("sqlite://{}", dir.join("bench.db").display());
    let db = Db::connect(&url).await.expect("open SQLite");
    db.migrate().await.expect("migrate");
    let mut tx = write(&db).begin().await.expect("begin");
    let at = crate::people::NOW_MS - 400 * 86_400_000;
    sqlx::query("INSERT INTO districts (id, name, created_at, updated_at) VALUES (1, 'bench', ?, ?)")
        .bind(at)
        .bind(at)
        .execute(&mut *tx)
        .await
        .expect("district");
    for u in 1..=UNITS {
        sqlx::query("INSERT INTO units (id, name, kind, created_at, updated_at) VALUES (?, ?, 'oilfield_unit', ?, ?)")
            .bind(u)
            .bind(format!("unit {u}"))
            .bind(at)
            .bind(at)
            .execute(&mut *tx)
            .await
            .expect("unit");
    }
    for (i, &(lat, lng)) in region.communities.iter().enumerate() {
        sqlx::query("INSERT INTO communities (id, name, district_id, lat, lng, created_at, updated_at) VALUES (?, ?, 1, ?, ?, ?, ?)")
            .bind(i as i64 + 1)
            .bind(format!("community {i}"))
            .bind(lat)
            .bind(lng)
            .bind(at)
            .bind(at)
            .execute(&mut *tx)
            .await
            .expect("community");
    }
    for s in people {
        let p = &s.person;
        let phone = format!("139{:08}", p.volunteer_id);
        sqlx::query(
            "INSERT INTO volunteers (id, name, name_initials, name_pinyin, phone, phone_rev, birth_date, unit_id, community_id, active, \
             created_at, updated_at) VALUES (?, 'v', 'v', 'v', ?, ?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(p.volunteer_id)
        .bind(&phone)
        .bind(phone.chars().rev().collect::<String>())
        .bind(s.birth.map(|(y, m, d)| format!("{y:04}-{m:02}-{d:02}")))
        .bind(p.unit_id)
        .bind(s.community_id)
        .bind(p.active)
        .bind(at)
        .bind(at)
        .execute(&mut *tx)
        .await
        .expect("volunteer");
        for skill in &p.skills {
            sqlx::query("INSERT INTO volunteer_skills (volunteer_id, skill) VALUES (?, ?)")
                .bind(p.volunteer_id)
                .bind(skill)
                .execute(&mut *tx)
                .await
                .expect("skill");
        }
        if let Some(t) = p.last_called_ms {
            sqlx::query(
                "INSERT INTO volunteer_call_stats (volunteer_id, last_called_at, invited, accepted, updated_at) VALUES (?, ?, ?, ?, ?)",
            )
            .bind(p.volunteer_id)
            .bind(t)
            .bind(i64::from(p.invited))
            .bind(i64::from(p.accepted))
            .bind(t)
            .execute(&mut *tx)
            .await
            .expect("call stats");
        }
    }
    tx.commit().await.expect("commit");
    sqlx::query("ANALYZE").execute(write(&db)).await.expect("analyze");
    db
}

/// The query and its binds: ?1 lat, ?2 lng, ?3 cos(lat), ?4 max distance² in
/// km², ?5 now, ?6 adult cutoff (birth date), ?7 skipped ids (JSON), ?8 wanted skills (JSON).
fn query(spec: &CallSpec, select: &str) -> String {
    let mut ctes = vec![format!(
        "n0 AS MATERIALIZED (SELECT id, d2, (d2 + 1.0) / 2.0 AS g FROM (SELECT id, \
         ((lng - ?2) * ?3 * {KM_PER_DEGREE}) * ((lng - ?2) * ?3 * {KM_PER_DEGREE}) + ((lat - ?1) * {KM_PER_DEGREE}) * ((lat - ?1) * {KM_PER_DEGREE}) AS d2 \
         FROM communities) WHERE d2 <= ?4)"
    )];
    for i in 1..=NEWTON_STEPS {
        ctes.push(format!("n{i} AS MATERIALIZED (SELECT id, d2, (g + d2 / g) / 2.0 AS g FROM n{})", i - 1));
    }
    let (skills_join, skills_part) = if spec.skills.is_empty() {
        (String::new(), "1.0".to_string())
    } else {
        (
            "JOIN (SELECT volunteer_id, count(*) AS m FROM volunteer_skills WHERE skill IN (SELECT value FROM json_each(?8)) \
             GROUP BY volunteer_id) k ON k.volunteer_id = v.id"
                .to_string(),
            format!("k.m * 1.0 / {}", spec.skills.len()),
        )
    };
    format!(
        "WITH {ctes}, ranked AS (SELECT v.id, v.unit_id, d.g AS distance_km, \
         0.35 / (1.0 + d.g / 5.0) \
         + 0.25 * (CASE WHEN s.last_called_at IS NULL THEN 1.0 ELSE min(1.0, max(0, ?5 - s.last_called_at) / 86400000.0 / 30.0) END) \
         + 0.2 * {skills_part} \
         + 0.2 * ((coalesce(s.accepted, 0) + 1.0) / (coalesce(s.invited, 0) + 2.0)) AS score, \
         (coalesce(s.accepted, 0) + 1.0) / (coalesce(s.invited, 0) + 2.0) AS acceptance \
         FROM volunteers v JOIN n{NEWTON_STEPS} d ON d.id = v.community_id \
         LEFT JOIN volunteer_call_stats s ON s.volunteer_id = v.id {skills_join} \
         WHERE v.active = 1 AND v.birth_date IS NOT NULL AND v.birth_date <= ?6 \
         AND v.id NOT IN (SELECT value FROM json_each(?7))) {select}",
        ctes = ctes.join(", ")
    )
}

fn bind(sql: &str, spec: &CallSpec, skip: &HashSet<i64>) -> sqlx::query::Query<'static, sqlx::Sqlite, sqlx::sqlite::SqliteArguments> {
    // Adult when the call starts: the 18th birthday is on or before the call's region date.
    let (y, m, d) = civil_from_days((spec.starts_ms + crate::people::REGION_OFFSET_MS).div_euclid(86_400_000));
    let skip_json = format!("[{}]", skip.iter().map(i64::to_string).collect::<Vec<_>>().join(","));
    let skills_json = format!("[{}]", spec.skills.iter().map(|s| format!("\"{s}\"")).collect::<Vec<_>>().join(","));
    debug_assert!(spec.skills.iter().all(|s| SKILLS.contains(&s.as_str())));
    sqlx::query(sqlx::AssertSqlSafe(sql))
        .bind(spec.lat)
        .bind(spec.lng)
        .bind(spec.lat.to_radians().cos())
        .bind(spec.max_distance_km * spec.max_distance_km)
        .bind(spec.now_ms)
        .bind(format!("{:04}-{m:02}-{d:02}", y - 18))
        .bind(skip_json)
        .bind(skills_json)
}

/// Every candidate, best first (score, then id), as one query.
pub async fn ranked(db: &Db, spec: &CallSpec, skip: &HashSet<i64>) -> Vec<Ranked> {
    let sql = query(spec, "SELECT id, unit_id, distance_km, score, acceptance FROM ranked ORDER BY score DESC, id");
    let rows = bind(&sql, spec, skip).fetch_all(read(db)).await.expect("ranking query");
    rows.iter()
        .map(|r| Ranked {
            volunteer_id: r.get(0),
            unit_id: r.get(1),
            distance_km: r.get(2),
            score: r.get(3),
            acceptance: r.get(4),
            served_lately: false,
        })
        .collect()
}

/// The same query's work inside SQLite without handing rows over: the sort
/// still has to run for the ORDER BY, only the row transfer is left out.
pub async fn count_only(db: &Db, spec: &CallSpec, skip: &HashSet<i64>) -> i64 {
    let sql = query(spec, "SELECT count(*) FROM (SELECT id FROM ranked ORDER BY score DESC, id)");
    bind(&sql, spec, skip).fetch_one(read(db)).await.expect("count query").get(0)
}

/// The split and first wave from rows already best first: what `rank::plan`
/// decides, taken from the SQL order.
pub fn plan(rows: Vec<Ranked>, needed: u32) -> Plan {
    let mut by_unit: HashMap<i64, Vec<Ranked>> = HashMap::new();
    for r in rows {
        by_unit.entry(r.unit_id).or_default().push(r);
    }
    let mut counts: Vec<(i64, u32)> = by_unit.iter().map(|(&u, v)| (u, v.len() as u32)).collect();
    counts.sort_unstable();
    let quotas = split(needed, &counts);
    let mut wave = Vec::new();
    for q in &quotas {
        let target = f64::from(q.quota) * WAVE_SAFETY;
        let mut expected = 0.0;
        for p in by_unit.get(&q.unit_id).into_iter().flatten() {
            if q.quota == 0 || expected + 1e-9 >= target {
                break;
            }
            expected += p.acceptance;
            wave.push(*p);
        }
    }
    Plan { quotas, wave }
}
