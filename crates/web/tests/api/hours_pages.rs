//! Volunteers' hours pages asked at the same moment.

use serde_json::json;
use tongxing_domain::role::Role;

use crate::helpers::{body, TestApp};

/// Hours pages asked at the same moment are read together on PostgreSQL
/// (one statement for the group): each still gets its own volunteer's page
/// — totals, entries newest first, names — as when asked alone. `v0`'s
/// newest entry is the correction `entry`; the third volunteer has none.
pub(crate) async fn read_together_as_alone(app: &TestApp, [v0, v1]: [i64; 2], entry: i64) {
    let v2 = app.fx.volunteers[2];
    let paths: Vec<String> = [v0, v1, v2, v0, v1, v0]
        .iter()
        .enumerate()
        .map(|(i, v)| format!("/api/v1/volunteers/{v}/hours?per_page={}&page={}", 1 + i % 2, 1 + i / 3))
        .collect();
    let mut alone = Vec::new();
    for p in &paths {
        alone.push(body(app.get(Role::Coordinator, p).await).await);
    }
    assert_eq!(alone[0]["entries"][0]["corrects_entry_id"], entry, "{}", alone[0]);
    assert_eq!(alone[2]["entries"], json!([]), "no entry: the totals alone");
    for _ in 0..3 {
        let together =
            futures_util::future::join_all(paths.iter().map(|p| async { body(app.get(Role::Coordinator, p).await).await })).await;
        assert_eq!(together, alone);
    }
}
