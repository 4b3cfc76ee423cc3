//! The 双进双报到 figures against values worked out by hand, the community
//! view, and the first screens' prompts.

use serde_json::{json, Value};
use tongxing_domain::role::Role;
use tongxing_store::activities::{self, NewActivity};
use tongxing_store::ledger::{self, NewEntry};

use crate::helpers::{body, spawn_app, TestApp};
use crate::report_in::{org, report};

/// A past activity of `team` in `community` (of `district`); its id.
async fn activity(app: &TestApp, team: i64, community: i64, district: i64, token: &str) -> i64 {
    activity_at(app, [team, community, district], None, 1_770_000_000_000, token).await
}

/// An activity of `team` in `community` (of `district`), of `theme`,
/// starting at `starts_at` (unix ms); its id.
pub(crate) async fn activity_at(
    app: &TestApp,
    [team, community, district]: [i64; 3],
    theme: Option<&'static str>,
    starts_at: i64,
    token: &str,
) -> i64 {
    let a = NewActivity {
        team_id: team,
        community_id: community,
        district_id: district,
        project_id: None,
        title: "楼道清扫".into(),
        description: None,
        address: None,
        theme,
        sessions: vec![(starts_at, starts_at + 10_000_000)],
        capacity: 10,
        risky: false,
        insurance: None,
        adults_only: false,
        walk_ups: false,
        roles: Vec::new(),
        created_by: None,
        tokens: vec![token.into()],
    };
    activities::create(&app.svc.db, &a).await.unwrap()[0]
}

pub(crate) fn entry(volunteer: i64, activity: i64, hours: f64, day: &str, kind: &'static str) -> NewEntry {
    NewEntry { volunteer_id: volunteer, kind, activity_id: Some(activity), hours, served_on: day.into(), ..Default::default() }
}

/// The fixture's three party members (v0, v1 living in c0; v2 in c1) and a
/// non-member in c0: v0 reports to c0 through organisation A, v2 to c0,
/// v1 not at all. Hours in c0's activity (a0) and c1's (a1).
async fn region(app: &TestApp) -> i64 {
    let fx = &app.fx;
    let [v0, v1, v2] = fx.volunteers;
    let (c0, c1) = (fx.communities[0], fx.communities[1]);
    let a = org(app, "现河采油厂第三党支部", c0).await;
    report(app, Role::Volunteer, v0, json!({"community_id": c0, "party_org_id": a})).await;
    report(app, Role::Coordinator, v2, json!({"community_id": c0})).await;
    let outsider =
        body(app.post(Role::Coordinator, "/api/v1/volunteers", &app.new_volunteer("13800000066")).await).await["id"].as_i64().unwrap();
    let a0 = activity(app, fx.teams[0], c0, fx.districts[0], "tok-a0").await;
    let a1 = activity(app, fx.teams[1], c1, fx.districts[1], "tok-a1").await;
    ledger::append(
        &app.svc.db,
        &[
            entry(v0, a0, 3.0, "2026-03-10", "activity"),
            entry(v0, a0, -0.5, "2026-03-10", "correction"),
            entry(v0, a1, 2.0, "2026-03-11", "activity"),
            entry(v2, a0, 4.0, "2025-12-20", "activity"),
            entry(v2, a0, 1.0, "2026-04-01", "manual"),
            entry(v1, a0, 5.0, "2026-03-10", "activity"),
            entry(outsider, a0, 6.0, "2026-03-10", "activity"),
        ],
    )
    .await
    .unwrap();
    a
}

fn line<'a>(items: &'a Value, key: &str, id: i64) -> &'a Value {
    items["items"].as_array().unwrap().iter().find(|l| l[key] == id).unwrap_or_else(|| panic!("no line {key} {id}: {items}"))
}

fn figures(l: &Value) -> (i64, i64, i64, f64) {
    (l["members"].as_i64().unwrap(), l["reported"].as_i64().unwrap(), l["active"].as_i64().unwrap(), l["hours"].as_f64().unwrap())
}

#[tokio::test]
async fn the_report_counts_members_reports_activity_and_hours_as_worked_out_by_hand() {
    let app = spawn_app().await;
    let org_a = region(&app).await;
    let (c0, c1) = (app.fx.communities[0], app.fx.communities[1]);
    let year = body(app.get(Role::Viewer, "/api/v1/reports/report-in?from=2026-01-01&to=2026-12-31").await).await;
    assert_eq!((year["from"].clone(), year["to"].clone()), (json!("2026-01-01"), json!("2026-12-31")));
    // c0: members v0, v1 (live there) and v2 (reported there); reported v0, v2;
    // hours in c0's activities: v0 3 − 0.5, v2 1 (v1 did not report, the outsider is no member).
    assert_eq!(figures(line(&year, "community_id", c0)), (3, 2, 2, 3.5));
    // c1: v2 lives there but reported elsewhere; v0's 2 h there do not count.
    assert_eq!(figures(line(&year, "community_id", c1)), (1, 0, 0, 0.0));
    let december = body(app.get(Role::Liaison, "/api/v1/reports/report-in?from=2025-12-01&to=2025-12-31").await).await;
    assert_eq!(figures(line(&december, "community_id", c0)), (3, 2, 1, 4.0));
    let by_org = body(app.get(Role::Coordinator, "/api/v1/reports/report-in?from=2026-01-01&to=2026-12-31&by=party_org").await).await;
    // A: v0 reported through it; v1 (its unit, living in c0, not reported) belongs to it too.
    let a = line(&by_org, "party_org_id", org_a);
    assert_eq!(figures(a), (2, 1, 1, 2.5));
    assert_eq!(a["community_id"], c0);
    let only_a =
        body(app.get(Role::Observer, &format!("/api/v1/reports/report-in?from=2026-01-01&to=2026-12-31&party_org_id={org_a}")).await).await;
    assert_eq!(only_a["items"].as_array().unwrap().len(), 1);
    assert_eq!(figures(line(&only_a, "community_id", c0)), (1, 1, 1, 2.5));
    let d1 = body(
        app.get(Role::Viewer, &format!("/api/v1/reports/report-in?from=2026-01-01&to=2026-12-31&district_id={}", app.fx.districts[1]))
            .await,
    )
    .await;
    assert_eq!(d1["items"].as_array().unwrap().len(), 1);
    assert_eq!(d1["items"][0]["community_id"], c1);
}

/// The hours follow each member's current report: served before reporting,
/// they count once the member reports there; after a move, they count in
/// the new community only — as the ledger read afresh would say.
#[tokio::test]
async fn hours_follow_a_report_made_after_the_service_and_a_move() {
    let app = spawn_app().await;
    region(&app).await;
    let [v0, v1, _] = app.fx.volunteers;
    let (c0, c1) = (app.fx.communities[0], app.fx.communities[1]);
    // Each asking ends a day earlier, past the service's 30-second figures cache.
    let year = |to: &'static str| {
        let app = &app;
        async move { body(app.get(Role::Viewer, &format!("/api/v1/reports/report-in?from=2026-01-01&to={to}")).await).await }
    };
    // v1 served 5 h in c0 on 2026-03-10 before reporting anywhere.
    report(&app, Role::Coordinator, v1, json!({"community_id": c0})).await;
    assert_eq!(figures(line(&year("2026-12-31").await, "community_id", c0)), (3, 3, 3, 8.5));
    // v0 moves to c1: their 2.5 h in c0 leave it, their 2 h in c1 arrive.
    report(&app, Role::Coordinator, v0, json!({"community_id": c1})).await;
    let moved = year("2026-12-30").await;
    assert_eq!(figures(line(&moved, "community_id", c0)), (3, 2, 2, 6.0));
    // c1: v2 lives there, v0 reported there from c0.
    assert_eq!(figures(line(&moved, "community_id", c1)), (2, 1, 1, 2.0));
    // A new entry in c1 lands on v0's current report at once.
    let a1 = activity(&app, app.fx.teams[1], c1, app.fx.districts[1], "tok-a1b").await;
    ledger::append(&app.svc.db, &[entry(v0, a1, 1.5, "2026-05-02", "activity")]).await.unwrap();
    assert_eq!(figures(line(&year("2026-12-29").await, "community_id", c1)), (2, 1, 1, 3.5));
}

#[tokio::test]
async fn the_report_refuses_a_bad_period_and_members_cannot_read_it() {
    let app = spawn_app().await;
    for (q, field) in [("from=2026-13-01", "from"), ("to=tomorrow", "to"), ("from=2026-05-02&to=2026-05-01", "to"), ("by=unit", "by")] {
        let r = app.get(Role::Viewer, &format!("/api/v1/reports/report-in?{q}")).await;
        assert_eq!(r.status(), reqwest::StatusCode::UNPROCESSABLE_ENTITY, "{q}");
        assert_eq!(body(r).await["error"]["field"], field, "{q}");
    }
    assert_eq!(app.get(Role::Volunteer, "/api/v1/reports/report-in").await.status(), reqwest::StatusCode::FORBIDDEN);
    let xlsx = app.get(Role::Viewer, "/api/v1/reports/report-in?format=xlsx").await;
    assert_eq!(xlsx.status(), reqwest::StatusCode::OK);
}

#[tokio::test]
async fn a_community_sees_who_reported_there_and_what_they_served() {
    let app = spawn_app().await;
    let org_a = region(&app).await;
    let c0 = app.fx.communities[0];
    let view = body(app.get(Role::Observer, &format!("/api/v1/communities/{c0}/report-in?from=2026-01-01&to=2026-12-31")).await).await;
    let people: Vec<(String, bool, f64)> = view["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| (m["name"].as_str().unwrap().to_string(), m["reported_at"].is_i64(), m["hours"].as_f64().unwrap()))
        .collect();
    assert_eq!(people.len(), 3, "{view}");
    assert!(people.contains(&("张晓静".into(), true, 2.5)));
    assert!(people.contains(&("王秀英".into(), true, 1.0)));
    assert!(people.contains(&("李国强".into(), false, 0.0)), "living there, not reported");
    let members = body(app.get(Role::Viewer, &format!("/api/v1/party-orgs/{org_a}/members")).await).await;
    assert_eq!(members["items"].as_array().unwrap().len(), 2);
    let (browser, _) = app.browser_as(Role::Observer).await;
    let html = browser.get(app.url(&format!("/communities/{c0}/report-in"))).send().await.unwrap().text().await.unwrap();
    assert!(html.contains("王秀英") && html.contains("李国强"), "the community page lists them");
    assert_eq!(view["more"], false, "all three listed");
    assert!(!html.contains("report-in-more"));
}

#[tokio::test]
async fn a_long_member_list_says_it_was_cut_and_the_export_has_everyone() {
    let app = spawn_app().await;
    region(&app).await;
    let c0 = app.fx.communities[0];
    let (from, to) = ("2026-01-01", "2026-12-31");
    let cut = tongxing_store::campaigns::report_in::community_members(&app.svc.db, c0, from, to, 2).await.unwrap();
    assert_eq!((cut.items.len(), cut.more), (2, true), "three members, two asked for");
    let whole = tongxing_store::campaigns::report_in::community_members(&app.svc.db, c0, from, to, 3).await.unwrap();
    assert_eq!((whole.items.len(), whole.more), (3, false));
    assert_eq!(cut.items[..], whole.items[..2], "the first of the same order");
}

#[tokio::test]
async fn first_screens_ask_a_member_to_report_and_tell_a_liaison_who_has_not() {
    let app = spawn_app().await;
    let (member, _) = app.browser_as(Role::Volunteer).await;
    let home = member.get(app.url("/")).send().await.unwrap().text().await.unwrap();
    assert!(home.contains("id=\"home-report-in\"") && home.contains("/me/report-in"), "a party member who has not reported is asked to");
    let (liaison, _) = app.browser_as(Role::Liaison).await;
    let home = liaison.get(app.url("/")).send().await.unwrap().text().await.unwrap();
    assert!(home.contains("本单位还有 2 名党员未报到"), "unit 0 has two unreported party members");
    report(&app, Role::Volunteer, app.fx.volunteers[0], json!({"community_id": app.fx.communities[0]})).await;
    let home = member.get(app.url("/")).send().await.unwrap().text().await.unwrap();
    assert!(!home.contains("id=\"home-report-in\""), "reported: no prompt");
    let home = liaison.get(app.url("/")).send().await.unwrap().text().await.unwrap();
    assert!(home.contains("本单位还有 1 名党员未报到"));
}
