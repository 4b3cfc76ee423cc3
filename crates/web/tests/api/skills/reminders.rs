//! Reminders to the eligible, with the clock driven: a person whose years at
//! their level complete within six months, and their unit's liaisons, are
//! told once per person and level, however many instances sweep.

use chrono::{Months, NaiveDate, TimeZone};
use reqwest::StatusCode;
use serde_json::json;
use tongxing_domain::paging::Page;
use tongxing_domain::role::Role;
use tongxing_service::Settings;

use super::{cert, certify, today, trade};
use crate::helpers::{spawn_app, TestApp};

/// Unix ms of `day` at noon in the region.
fn noon(day: NaiveDate) -> i64 {
    tongxing_domain::time::region_offset().from_local_datetime(&day.and_hms_opt(12, 0, 0).unwrap()).unwrap().timestamp_millis()
}

/// The notification kinds and details a role's account was sent.
async fn told(app: &TestApp, role: Role) -> Vec<(String, String)> {
    let user = app.user(role).await.id;
    let list = tongxing_store::notifications::list(&app.svc.db, user, Page { page: 1, per_page: 50 }).await.unwrap();
    list.0
        .items
        .iter()
        .filter(|n| n.kind.starts_with("skill_eligible"))
        .map(|n| (n.kind.clone(), n.detail.clone().unwrap_or_default()))
        .collect()
}

#[tokio::test]
async fn the_eligible_and_their_unit_are_reminded_once_per_level_across_two_instances() {
    let app = spawn_app().await;
    trade(&app, "js", "集输", json!([{"level": "junior", "years": 2, "hours": 0}])).await;
    let (zhang, li, wang) = (app.fx.volunteers[0], app.fx.volunteers[1], app.fx.volunteers[2]);
    let t = today();
    let year_ago = (t - Months::new(12)).to_string();
    for (who, on, no) in [(li, "2020-01-01", "JS-1"), (zhang, year_ago.as_str(), "JS-2"), (wang, "2020-01-01", "JS-3")] {
        assert_eq!(certify(&app, Role::Coordinator, who, cert("js", "junior", on, no)).await.status(), StatusCode::CREATED);
    }
    let other = crate::helpers::service_with(&app.db_url, &tongxing_service::crypto::generate_key(), Settings::default()).await;
    let (a, b) = tokio::join!(app.svc.remind_eligible(noon(t)), other.remind_eligible(noon(t)));
    assert_eq!(a.unwrap() + b.unwrap(), 2, "李国强 and 王秀英, whose years are met, between two instances");
    assert_eq!(app.svc.remind_eligible(noon(t)).await.unwrap(), 0, "and never again");
    assert!(told(&app, Role::Volunteer).await.is_empty(), "张晓静's years complete in a year: not yet");

    // Seven months on, 张晓静's years complete within six.
    let later = t + Months::new(7);
    assert_eq!(app.svc.remind_eligible(noon(later)).await.unwrap(), 1);
    assert_eq!(other.remind_eligible(noon(later)).await.unwrap(), 0);
    let own = told(&app, Role::Volunteer).await;
    assert_eq!(own.len(), 1, "{own:?}");
    assert_eq!(own[0].0, "skill_eligible_soon");
    assert!(own[0].1.contains("张晓静") && own[0].1.contains("集输") && own[0].1.contains("中级工"), "{own:?}");

    // A new level is a new reminder, once its own years come within the window.
    assert_eq!(
        certify(&app, Role::Coordinator, li, cert("js", "intermediate", &t.to_string(), "JS-4")).await.status(),
        StatusCode::CREATED
    );
    assert_eq!(app.svc.remind_eligible(noon(later)).await.unwrap(), 0, "three years at 中级工 are far off");
    assert_eq!(app.svc.remind_eligible(noon(t + Months::new(31))).await.unwrap(), 1);
    let unit = told(&app, Role::Liaison).await;
    let names: Vec<&str> = unit.iter().map(|(_, d)| d.split('：').next().unwrap_or("")).collect();
    assert_eq!(names.len(), 3, "the liaison of unit 0 hears of its own people only, once a sweep: {unit:?}");
    assert!(unit.iter().all(|(kind, _)| kind == "skill_eligible_unit"), "a digest per sweep, not a line per person: {unit:?}");
    assert!(names.iter().all(|n| ["李国强", "张晓静"].contains(n)), "{unit:?}");
}
