//! 双进双报到 in the demo: enough organisations, most members reported, some moved.

use crate::report_in::report_in;

#[test]
fn most_party_members_reported_some_moved_and_some_not_yet() {
    let now = 1_780_000_000_000;
    let region = crate::generate(7, 3200, 10);
    let r = report_in(7, &region, now);
    assert!(r.orgs.len() >= 20, "{} organisations", r.orgs.len());
    assert!(r.orgs.iter().any(|o| o.name == "现河采油厂第三党支部" || o.name.starts_with("现河采油厂第")));
    let members = region.volunteers.iter().filter(|v| v.party_member).count();
    let current: Vec<_> = r.reports.iter().filter(|x| x.ended_at.is_none()).collect();
    let share = current.len() as f64 / members as f64;
    assert!((0.75..0.95).contains(&share), "{share}");
    assert!(r.reports.iter().any(|x| x.ended_at.is_some()), "some changed community");
    assert!(current.iter().all(|x| x.community == region.volunteers[x.volunteer].community), "current reports are to the home community");
    assert!(r.reports.iter().all(|x| x.reported_at < now && x.ended_at.is_none_or(|e| e > x.reported_at && e < now)));
    assert!(region.volunteers[0].party_member && !r.reports.iter().any(|x| x.volunteer == 0), "the demo volunteer has yet to report");
    assert!(current.iter().any(|x| x.org.is_some()), "some report through their organisation");
    assert_eq!(r, report_in(7, &region, now), "reproducible");
}
