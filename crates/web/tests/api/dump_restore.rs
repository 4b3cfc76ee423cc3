//! Moving a region from SQLite to PostgreSQL (or another SQLite file when no
//! TEST_DATABASE_URL is set) with `dump` / `restore`, and back again.

use std::collections::HashMap;

use rand::RngCore;
use serde_json::{json, Value};
use tongxing_domain::model::User;
use tongxing_domain::paging::Page;
use tongxing_domain::permission::Resource;
use tongxing_domain::registry::{DistrictInput, VolunteerInput};
use tongxing_domain::role::Role;
use tongxing_domain::search::Query;
use tongxing_service::auth::NewAccount;
use tongxing_service::crypto::generate_key;
use tongxing_service::Service;
use tongxing_store::{dump, Db};

use crate::helpers::{fresh_database_url, service_for};

fn fresh_sqlite_url() -> String {
    let mut b = [0u8; 6];
    rand::thread_rng().fill_bytes(&mut b);
    let tag: String = b.iter().map(|x| format!("{x:02x}")).collect();
    format!("sqlite://{}/x-{tag}.db", std::env::temp_dir().display())
}

async fn dump_of(svc: &Service, meta: &Value) -> Vec<u8> {
    let mut out = Vec::new();
    dump::dump(&svc.db, meta.clone(), &mut out).await.expect("dump");
    out
}

/// The dump without its header line (which records the schema and meta).
fn rows_of(dump: &[u8]) -> Vec<&str> {
    std::str::from_utf8(dump).unwrap().lines().skip(1).collect()
}

/// The largest `id` of each table in a dump.
fn max_ids(dump: &[u8]) -> HashMap<String, i64> {
    let mut max = HashMap::new();
    for line in rows_of(dump) {
        let v: Value = serde_json::from_str(line).unwrap();
        if let Some(id) = v["r"][0].as_i64() {
            let e = max.entry(v["t"].as_str().unwrap().to_string()).or_insert(0);
            *e = id.max(*e);
        }
    }
    max
}

/// The rows of a unit's activities without team or district.
async fn unit_themes(svc: &Service) -> Vec<(i64, String, String, String, i64, i64)> {
    let sql = "SELECT unit_id, grain, period, theme, project_id, activities FROM stats_unit_themes ORDER BY 1, 2, 3, 4, 5";
    match &svc.db {
        Db::Sqlite { write, .. } => sqlx::query_as(sql).fetch_all(write).await,
        Db::Postgres(p) => sqlx::query_as(sql).fetch_all(p).await,
    }
    .unwrap()
}

async fn admin_of(svc: &Service) -> User {
    tongxing_store::users::by_login(&svc.db, "admin").await.unwrap().expect("the demo admin").0
}

/// A small demo region on a new SQLite file, with some audit lines and a deactivated row.
async fn sqlite_source(key: &str) -> Service {
    let src = service_for(&fresh_sqlite_url(), key).await;
    src.load_region(&tongxing_demo::generate(3, 300, 30)).await.expect("the demo region loads");
    let admin = admin_of(&src).await;
    src.audit(None, "import", "volunteer", None, Some("名单.csv: 3 created")).await.unwrap();
    src.set_active(&admin, Resource::Volunteer, 2, false).await.unwrap();
    served_activity(&src, &admin).await;
    src
}

/// An ended walk-up activity with one attendance confirmed into the ledger.
async fn served_activity(src: &Service, admin: &User) {
    use tongxing_service::activities::CheckKind;
    let (hour, now) = (3_600_000, tongxing_store::now_ms());
    let volunteer = tongxing_store::registry::volunteers::get(&src.db, 1).await.unwrap();
    let team = volunteer.teams.first().map(|t| t.id).unwrap_or(1);
    let input = tongxing_domain::activities::ActivityInput {
        title: "社区清扫".into(),
        team_id: team,
        community_id: volunteer.community_id,
        starts_at: tongxing_domain::time::rfc3339(now - 3 * hour),
        ends_at: tongxing_domain::time::rfc3339(now - hour),
        capacity: 5,
        walk_ups: true,
        ..Default::default()
    };
    let id = src.plan_activity(admin, &input).await.unwrap()[0];
    src.check(admin, id, 1, CheckKind::In, Some(now - 3 * hour)).await.unwrap();
    src.check(admin, id, 1, CheckKind::Out, Some(now - 2 * hour)).await.unwrap();
    assert_eq!(src.confirm_hours(admin, id, &[]).await.unwrap(), 1);
}

#[tokio::test]
async fn a_sqlite_region_moves_to_another_database_and_back_unchanged() {
    let key = generate_key();
    let src = sqlite_source(&key).await;
    let meta = json!({"key_fingerprint": src.crypto.fingerprint(), "from": "sqlite"});
    let source_dump = dump_of(&src, &meta).await;
    let source_rows = rows_of(&source_dump);
    assert!(source_rows.len() > 300 + 30 + 76, "every table is in the dump: {} rows", source_rows.len());
    let header = std::str::from_utf8(&source_dump).unwrap().lines().next().unwrap();
    assert_eq!(dump::read_header(header).unwrap(), meta);
    let tables: Vec<String> =
        source_rows.iter().map(|l| serde_json::from_str::<Value>(l).unwrap()["t"].as_str().unwrap().to_string()).collect();
    for table in [
        "districts",
        "units",
        "communities",
        "volunteers",
        "teams",
        "volunteer_teams",
        "volunteer_skills",
        "beneficiaries",
        "users",
        "audit_log",
        "activities",
        "attendance",
        "hours_entries",
        "hours_totals",
        "stats_pending",
    ] {
        assert!(tables.iter().any(|t| t == table), "{table} is dumped");
    }
    assert!(!tables.iter().any(|t| t == "sessions"), "sessions are not moved");

    let target = service_for(&fresh_database_url().await, &key).await;
    let restored = dump::restore(&target.db, &source_dump[..]).await.expect("restore into an empty database");
    assert_eq!(restored as usize, source_rows.len());
    let target_dump = dump_of(&target, &meta).await;
    assert_eq!(rows_of(&target_dump), source_rows, "the target holds exactly what the source held");

    // The ID numbers still decrypt with the same key.
    let admin = admin_of(&target).await;
    let region = tongxing_demo::generate(3, 300, 30);
    let person = region.volunteers.iter().find(|v| v.id_number.is_some()).unwrap();
    let f = tongxing_store::registry::volunteers::Filter { q: Query::parse(&person.phone), include_inactive: true, ..Default::default() };
    let found = target.list_volunteers(&admin, f, Page::default()).await.unwrap();
    assert_eq!(found.total, 1);
    let v = target.get_volunteer(&admin, found.items[0].id, true).await.unwrap();
    assert_eq!(v.id_number, person.id_number, "decrypted on the target");
    assert_eq!(v.phone, person.phone);

    // New rows get fresh ids past the restored ones (PostgreSQL's sequences were moved).
    let max = max_ids(&source_dump);
    let district = target.save_district(&admin, None, &DistrictInput { name: "迁移后新片区".into() }).await.unwrap();
    assert!(district > max["districts"], "district {district} after {}", max["districts"]);
    let input = VolunteerInput {
        name: "迁移后志愿者".into(),
        phone: "19900000001".into(),
        unit_id: v.unit_id,
        community_id: v.community_id,
        team_ids: v.teams.iter().map(|t| t.id).collect(),
        // Not in sorted order, so the link rows' order in a dump cannot come from insertion.
        skills: vec!["理发".into(), "急救".into(), "CPR".into(), "adult-ed".into()],
        ..Default::default()
    };
    let volunteer = target.save_volunteer(&admin, None, &input).await.expect("a new volunteer on the target");
    assert!(volunteer > max["volunteers"], "volunteer {volunteer} after {}", max["volunteers"]);
    let account = NewAccount {
        login: "after-move".into(),
        password: "a-good-password".into(),
        role: Role::Viewer,
        unit_id: None,
        team_id: None,
        volunteer_id: None,
        name: None,
    };
    let user = target.create_user(Some(&admin), &account).await.expect("a new account on the target");
    assert!(user.id > max["users"]);
    let audit = tongxing_store::audit::list(&target.db, Page::default()).await.unwrap();
    assert!(audit.items[0].id > max["audit_log"], "new audit lines follow the restored ones");

    // A second restore into the now non-empty database is refused and changes nothing.
    let before = dump_of(&target, &meta).await;
    let refused = dump::restore(&target.db, &source_dump[..]).await;
    let msg = refused.expect_err("restoring into a non-empty database is refused").to_string();
    assert!(msg.contains("not empty"), "{msg}");
    assert_eq!(dump_of(&target, &meta).await, before);

    // And back to SQLite: the round trip loses nothing.
    let back = service_for(&fresh_sqlite_url(), &key).await;
    dump::restore(&back.db, &before[..]).await.expect("restore into a new SQLite file");
    assert_eq!(rows_of(&dump_of(&back, &meta).await), rows_of(&before));
    let admin = admin_of(&back).await;
    let v = back.get_volunteer(&admin, volunteer, false).await.unwrap();
    assert_eq!(v.name, "迁移后志愿者");

    // The confirmed entry, still queued for the dashboard's rollups, moved
    // with them: credited on either side, the rollups agree.
    let stats = |dump: &[u8]| -> Vec<String> {
        rows_of(dump)
            .into_iter()
            .filter(|l| serde_json::from_str::<Value>(l).unwrap()["t"].as_str().unwrap().starts_with("stats_"))
            .map(str::to_string)
            .collect()
    };
    assert_eq!(tongxing_store::stats::pending::drain(&src.db).await.unwrap(), 1);
    assert_eq!(tongxing_store::stats::pending::drain(&back.db).await.unwrap(), 1);
    assert_eq!(stats(&dump_of(&back, &meta).await), stats(&dump_of(&src, &meta).await));
    // A unit's activities without team or district (migration 0054) are
    // left out of dumps: the restore fills them from those with.
    let kept = unit_themes(&src).await;
    assert!(!kept.is_empty(), "the served entry's unit held its activity");
    assert_eq!(unit_themes(&back).await, kept);
    assert_eq!(tongxing_store::stats::pending::drain(&target.db).await.unwrap(), 1);
    assert_eq!(unit_themes(&target).await, kept, "on the other database too");

    // A dump from before the twelve-month windows (migration 0049), a
    // unit's hours by team (0052) and a unit in a district (0057) carries
    // none of them: the restore (of the drained source) sets them from the
    // restored day bits and hours.
    let drained = dump_of(&src, &meta).await;
    let text = std::str::from_utf8(&drained).unwrap();
    let windows = |l: &str| l.contains("\"stats_firsts\"") && l.contains(",\"w\",");
    let at = |l: &str, table: &str, levels: &[i64]| {
        l.contains(&format!("\"{table}\"")) && levels.iter().any(|n| l.contains(&format!("{{\"r\":[{n},")))
    };
    let later = |l: &str| at(l, "stats_ledger", &[9, 10, 11]) || at(l, "stats_people", &[10]) || at(l, "stats_firsts", &[10]);
    for (table, level) in [("stats_ledger", 9), ("stats_ledger", 10), ("stats_ledger", 11), ("stats_people", 10), ("stats_firsts", 10)] {
        assert!(text.lines().any(|l| at(l, table, &[level])), "the served entry's {table} at level {level} is dumped");
    }
    let older: String = text.lines().filter(|l| !windows(l) && !later(l)).map(|l| format!("{l}\n")).collect();
    assert!(text.lines().any(windows), "the served entry's windows are dumped");
    let old = service_for(&fresh_database_url().await, &key).await;
    dump::restore(&old.db, older.as_bytes()).await.expect("restore a dump without windows");
    assert_eq!(rows_of(&dump_of(&old, &meta).await), rows_of(&drained), "the windows and the later levels follow the rollups");
}

#[tokio::test]
async fn a_dump_that_is_not_ours_or_is_newer_is_refused() {
    let target = service_for(&fresh_database_url().await, &generate_key()).await;
    let cases: [(&str, &str); 4] = [
        ("", "empty"),
        ("{\"format\": \"other\"}\n", "not a Tongxing dump"),
        ("not json\n", "not a Tongxing dump"),
        ("{\"format\": \"tongxing-dump\", \"version\": 99, \"schema_version\": 1}\n", "newer"),
    ];
    for (text, why) in cases {
        let err = dump::restore(&target.db, text.as_bytes()).await.expect_err(why).to_string();
        assert!(err.contains(why), "{why}: {err}");
    }
    let bad_row = format!(
        "{{\"format\": \"tongxing-dump\", \"version\": 1, \"schema_version\": 1, \"meta\": null}}\n{}\n",
        "{\"t\": \"nonsense\", \"r\": [1]}"
    );
    let err = dump::restore(&target.db, bad_row.as_bytes()).await.expect_err("unknown table").to_string();
    assert!(err.contains("unknown table"), "{err}");
    let n = tongxing_store::registry::districts::list(&target.db, &Default::default(), Page::default()).await.unwrap().total;
    assert_eq!(n, 0, "nothing was written");
}
