//! Migration 0015 on a database that already has a catalogue: SQLite must
//! rebuild the table, and every id and every activity's reference survive.

use sqlx::sqlite::{SqliteConnectOptions, SqlitePoolOptions};
use sqlx::Row;

#[tokio::test(flavor = "current_thread")]
async fn the_rebuild_keeps_ids_and_the_activities_pointing_at_them() {
    let path = std::env::temp_dir().join(format!("tx_0015_{}.db", std::process::id()));
    let _ = std::fs::remove_file(&path);
    let opts = SqliteConnectOptions::new().filename(&path).create_if_missing(true).foreign_keys(true);
    let pool = SqlitePoolOptions::new().max_connections(1).connect_with(opts).await.unwrap();
    let migrator = sqlx::migrate!("./migrations/sqlite");
    migrator.run_to(14, &pool).await.unwrap();
    let setup = "INSERT INTO districts (id, name, created_at, updated_at) VALUES (1, '现河片区', 0, 0);
        INSERT INTO communities (id, name, district_id, lat, lng, created_at, updated_at) VALUES (1, '振兴小区', 1, 37.4, 118.4, 0, 0);
        INSERT INTO teams (id, name, district_id, category, created_at, updated_at) VALUES (1, '助老服务队', 1, 'elderly_care', 0, 0);
        INSERT INTO service_projects (id, name, category, created_at) VALUES (5, '敬老院义剪', 'elderly_care', 7), (9, '社区义诊', 'health', 8);
        INSERT INTO activities (id, team_id, community_id, district_id, project_id, title, starts_at, ends_at, capacity, checkin_token,
            created_at, updated_at) VALUES (1, 1, 1, 1, 9, '义诊', 10, 20, 5, 't1', 0, 0);";
    sqlx::raw_sql(setup).execute(&pool).await.unwrap();
    migrator.run(&pool).await.unwrap();
    let rows = sqlx::query("SELECT id, name, created_at, updated_at, retired_at FROM service_projects ORDER BY id")
        .fetch_all(&pool)
        .await
        .unwrap();
    let kept: Vec<(i64, String, i64, i64)> = rows.iter().map(|r| (r.get(0), r.get(1), r.get(2), r.get(3))).collect();
    assert_eq!(kept, vec![(5, "敬老院义剪".into(), 7, 7), (9, "社区义诊".into(), 8, 8)]);
    let broken = sqlx::query("PRAGMA foreign_key_check").fetch_all(&pool).await.unwrap();
    assert!(broken.is_empty(), "every reference holds");
    let on: i64 = sqlx::query_scalar("PRAGMA foreign_keys").fetch_one(&pool).await.unwrap();
    assert_eq!(on, 1, "the connection keeps checking foreign keys after the migration");
    // The reference is still a checked foreign key: a project cannot vanish under an activity.
    assert!(sqlx::query("DELETE FROM service_projects WHERE id = 9").execute(&pool).await.is_err());
    // Unique among active projects only.
    let dup = "INSERT INTO service_projects (name, category, created_at) VALUES ('社区义诊', 'health', 9)";
    assert!(sqlx::query(dup).execute(&pool).await.is_err());
    sqlx::query("UPDATE service_projects SET retired_at = 1 WHERE id = 9").execute(&pool).await.unwrap();
    sqlx::query(dup).execute(&pool).await.unwrap();
    pool.close().await;
    let _ = std::fs::remove_file(&path);
}
