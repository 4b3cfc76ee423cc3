//! 子女照辅班 on the leadership dashboard: child-days are kept with each
//! first check-in of a child's day (migration 0051) and summed from months
//! and edge days; they equal the migration's own count from the attendance.

use chrono::{Datelike, Duration, NaiveDate};
use serde_json::json;
use tongxing_domain::role::Role;
use tongxing_store::Db;

use crate::childcare::{at, class, enrol, form, today, weekday_from};
use crate::helpers::{body, TestApp};
use crate::stats::figure;

async fn door(app: &TestApp, class: i64, child: i64, kind: &str, day: NaiveDate, hm: &str) {
    let b = json!({"enrolment_id": child, "kind": kind, "by_name": "王建国", "at": at(day, hm)});
    let r = app.post(Role::Volunteer, &format!("/api/v1/childcare/classes/{class}/attendance"), &b).await;
    assert!(r.status().is_success(), "{kind} {day} {hm}: {}", r.text().await.unwrap());
}

/// The dashboard's child-days for `from`–`to` and a narrowing.
async fn child_days(app: &TestApp, from: NaiveDate, to: NaiveDate, narrow: &str) -> f64 {
    let d = body(app.get(Role::Coordinator, &format!("/api/v1/stats/dashboard?from={from}&to={to}{narrow}")).await).await;
    figure(&d, "childcare_child_days")["value"].as_f64().unwrap()
}

/// Rows of `childcare_child_days`, or of migration 0051's fill from the attendance.
async fn kept(app: &TestApp, from_attendance: bool) -> Vec<(i64, String, String, i64, i64)> {
    let text = match &app.svc.db {
        Db::Sqlite { .. } => include_str!("../../../store/migrations/sqlite/0051_childcare_child_days.sql"),
        Db::Postgres(_) => include_str!("../../../store/migrations/postgres/0051_childcare_child_days.sql"),
    };
    let fill = text.split_once("children)\n").expect("the migration's fill").1.split_once(';').unwrap().0;
    let sql = match from_attendance {
        true => format!("SELECT * FROM ({fill}) x ORDER BY 1, 2, 3, 4"),
        false => "SELECT unit_id, grain, period, class_id, children FROM childcare_child_days ORDER BY 1, 2, 3, 4".into(),
    };
    match &app.svc.db {
        Db::Sqlite { write, .. } => sqlx::query_as(sqlx::AssertSqlSafe(sql)).fetch_all(write).await,
        Db::Postgres(p) => sqlx::query_as(sqlx::AssertSqlSafe(sql)).fetch_all(p).await,
    }
    .unwrap()
}

#[tokio::test]
async fn child_days_count_each_child_once_a_day_under_every_narrowing_and_equal_the_attendance() {
    let app = crate::helpers::spawn_app().await;
    let c = class(&app, 30).await;
    let (u0, u1) = (app.fx.units[0], app.fx.units[1]);
    let child = |name: &'static str, phone: &'static str, unit: Option<i64>| {
        let mut b = form(name, phone);
        if let Some(u) = unit {
            b["guardian_unit_id"] = json!(u);
        }
        b
    };
    let mut ids = Vec::new();
    for b in [child("王小雨", "13911112222", Some(u0)), child("李小雪", "13911113333", Some(u1)), child("张小川", "13911114444", None)]
    {
        ids.push(body(enrol(&app, c, &b).await).await["id"].as_i64().unwrap());
    }
    let [a, b, k] = ids[..] else { unreachable!() };
    let d1 = weekday_from(today() + Duration::days(1));
    let d2 = weekday_from(d1 + Duration::days(1));
    // 王小雨 taps twice, goes home at noon and comes back: one child-day.
    door(&app, c, a, "in", d1, "07:50").await;
    door(&app, c, a, "in", d1, "07:51").await;
    door(&app, c, a, "out", d1, "12:00").await;
    door(&app, c, a, "in", d1, "13:30").await;
    door(&app, c, b, "in", d1, "08:05").await;
    door(&app, c, k, "in", d1, "08:10").await;
    door(&app, c, a, "in", d2, "07:55").await;
    assert_eq!(kept(&app, false).await, kept(&app, true).await, "kept as the attendance counts them");

    assert_eq!(child_days(&app, d1, d1, "").await, 3.0);
    assert_eq!(child_days(&app, d1, d2, "").await, 4.0);
    assert_eq!(child_days(&app, d2, d2, "").await, 1.0);
    assert_eq!(child_days(&app, d1, d2, &format!("&unit_id={u0}")).await, 2.0, "a child counts under the guardian's unit");
    assert_eq!(child_days(&app, d1, d2, &format!("&unit_id={u1}")).await, 1.0);
    assert_eq!(child_days(&app, d1, d2, &format!("&team_id={}", app.fx.teams[0])).await, 4.0, "the team that staffs the class");
    assert_eq!(child_days(&app, d1, d2, &format!("&team_id={}", app.fx.teams[1])).await, 0.0);
    // A whole month (its kept monthly row) and a period from mid-month to past the next month's end.
    let first = d1.with_day(1).unwrap();
    let last = (first + Duration::days(32)).with_day(1).unwrap() - Duration::days(1);
    let in_month = if d2 <= last { 4.0 } else { 3.0 };
    assert_eq!(child_days(&app, first, last, "").await, in_month);
    let long = (last + Duration::days(40)).with_day(1).unwrap() - Duration::days(1);
    assert_eq!(child_days(&app, d1, long, "").await, 4.0);
    assert_eq!(child_days(&app, d1 + Duration::days(1), long, "").await, 1.0, "from the day after");
}
