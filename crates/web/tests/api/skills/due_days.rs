//! The day each kept level's years complete, and the hours the next level
//! asks, kept on `skill_highest` for the eligibility list: written with each
//! certification, recomputed from the rules on a restore.

use chrono::{Months, NaiveDate};
use reqwest::StatusCode;
use serde_json::{json, Value};
use tongxing_domain::role::Role;
use tongxing_domain::skills::ladder::years_met_on;
use tongxing_service::crypto::generate_key;
use tongxing_store::{dump, Db};

use super::{cert, certify, today, trade};
use crate::helpers::{fresh_database_url, service_for, spawn_app, TestApp};

/// The due day and hours kept for a person's highest level in a trade.
async fn kept_due(db: &Db, person: i64, code: &str) -> (Option<String>, Option<i64>) {
    let trade = tongxing_store::skills::ladder::trade_by_code(db, code).await.unwrap().expect("the trade exists");
    let sql = "SELECT years_met_on, hours_required FROM skill_highest WHERE volunteer_id = $1 AND trade_id = $2";
    match db {
        Db::Sqlite { read, .. } => sqlx::query_as(sql).bind(person).bind(trade.id).fetch_one(read).await,
        Db::Postgres(p) => sqlx::query_as(sql).bind(person).bind(trade.id).fetch_one(p).await,
    }
    .unwrap()
}

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

/// The domain's day the years complete, as the list shows it.
fn due(on: &str, years: i64) -> Option<String> {
    Some(years_met_on(day(on), years).to_string())
}

async fn certified(app: &TestApp, person: i64, b: Value) {
    assert_eq!(certify(app, Role::Coordinator, person, b).await.status(), StatusCode::CREATED);
}

#[tokio::test]
async fn each_new_certification_keeps_the_day_its_years_complete() {
    let app = spawn_app().await;
    trade(&app, "cy", "采油", json!([{"level": "junior", "years": 1, "hours": 10}])).await;
    trade(&app, "zs", "注水", json!([])).await;
    let (v1, v2) = (app.fx.volunteers[1], app.fx.volunteers[2]);
    // 29 Feb plus a year ends on 28 Feb, as the domain counts it.
    certified(&app, v1, cert("cy", "junior", "2024-02-29", "D-1")).await;
    assert_eq!(kept_due(&app.svc.db, v1, "cy").await, (Some("2025-02-28".into()), Some(10)), "the trade's own rule");
    assert_eq!(due("2024-02-29", 1), Some("2025-02-28".into()));
    certified(&app, v1, cert("cy", "intermediate", "2025-03-01", "D-2")).await;
    assert_eq!(kept_due(&app.svc.db, v1, "cy").await, (due("2025-03-01", 3), Some(120)), "the next level: the default rule");
    certified(&app, v2, cert("zs", "junior", "2020-02-29", "D-3")).await;
    assert_eq!(kept_due(&app.svc.db, v2, "zs").await, (due("2020-02-29", 2), Some(80)));
    assert_eq!(kept_due(&app.svc.db, v1, "cy").await, (due("2025-03-01", 3), Some(120)), "another person's trade leaves it");
    // The top of the ladder has no next level, so no day.
    let mut top = cert("cy", "senior_technician", "2026-01-05", "D-4");
    top["direct_reason"] = json!("技能大赛一等奖破格晋升");
    certified(&app, v1, top).await;
    assert_eq!(kept_due(&app.svc.db, v1, "cy").await, (None, None));
}

#[tokio::test]
async fn a_restored_dump_keeps_due_days_from_its_rules() {
    let app = spawn_app().await;
    trade(&app, "cy", "采油", json!([{"level": "junior", "years": 2, "hours": 40}])).await;
    let v1 = app.fx.volunteers[1];
    let on = (today() - Months::new(30)).to_string();
    certified(&app, v1, cert("cy", "junior", &on, "R-1")).await;
    let line = |list: &Value| list["items"].as_array().unwrap().iter().any(|i| i["person_id"] == v1);
    let list = crate::helpers::body(app.get(Role::Coordinator, "/api/v1/skills/eligible?trade=cy").await).await;
    assert!(line(&list), "two years complete six months ago: {list}");
    let mut out = Vec::new();
    dump::dump(&app.svc.db, json!(null), &mut out).await.unwrap();
    let text = String::from_utf8(out).unwrap();

    // As dumped: the due days follow the same rules.
    let same = service_for(&fresh_database_url().await, &generate_key()).await;
    dump::restore(&same.db, text.as_bytes()).await.expect("restore");
    assert_eq!(kept_due(&same.db, v1, "cy").await, (due(&on, 2), Some(40)));

    // A dump whose rule asks five years and 60 hours, and that predates the
    // kept highest levels (no skill_highest lines): the day moves with the rule.
    let changed: Vec<String> = text
        .lines()
        .filter(|l| !l.contains("\"t\":\"skill_highest\""))
        .map(|l| {
            let mut v: Value = serde_json::from_str(l).unwrap();
            if v["t"] == "skill_trade_rules" {
                v["r"][2] = json!(5);
                v["r"][3] = json!(60);
            }
            v.to_string()
        })
        .collect();
    assert!(changed.len() < text.lines().count(), "the dump had the kept level");
    let moved = service_for(&fresh_database_url().await, &generate_key()).await;
    dump::restore(&moved.db, changed.join("\n").as_bytes()).await.expect("restore");
    assert_eq!(kept_due(&moved.db, v1, "cy").await, (due(&on, 5), Some(60)));
}
