use super::*;

#[test]
fn teams_for_assignment_come_fitting_first_then_of_the_district() {
    let team = |id, district_id, category: &str| crate::model::Team {
        id,
        name: format!("t{id}"),
        district_id,
        district_name: String::new(),
        category: category.into(),
        unit_id: None,
        unit_name: None,
        leader_volunteer_id: None,
        leader_name: None,
        active: true,
        member_count: 0,
    };
    let mut teams = vec![team(1, 2, "elderly_care"), team(2, 1, "child_care"), team(3, 1, "elderly_care"), team(4, 2, "child_care")];
    assignment_order(&mut teams, 1, "elderly_care");
    assert_eq!(teams.iter().map(|t| t.id).collect::<Vec<_>>(), vec![3, 2, 1, 4]);
    assert!(team_fits(&teams[0], 1, "elderly_care") && !team_fits(&teams[1], 1, "elderly_care"));
}

#[rstest::rstest]
#[case(-5, ("minutes", 0))]
#[case(59, ("minutes", 59))]
#[case(60, ("hours", 1))]
#[case(24 * 60 - 1, ("hours", 23))]
#[case(3 * 24 * 60 + 70, ("days", 3))]
fn a_wait_reads_in_its_largest_whole_unit(#[case] minutes: i64, #[case] expected: (&str, i64)) {
    assert_eq!(waited(minutes), expected);
}

#[test]
fn staff_and_observers_enter_needs_with_their_channel_and_volunteers_and_viewers_do_not() {
    use crate::role::Role;
    assert_eq!(entry_channel(Role::Observer), Some("observer"));
    assert_eq!(entry_channel(Role::Liaison), Some("liaison"));
    assert_eq!(entry_channel(Role::Coordinator), Some("hotline"));
    assert_eq!(entry_channel(Role::Viewer), None);
    assert_eq!(entry_channel(Role::Volunteer), None);
    assert!(Role::ALL.iter().filter_map(|r| entry_channel(*r)).all(|c| CHANNELS.contains(&c)));
    // The list's 新建 button reads the permission table; the form reads this.
    use crate::permission::{scope, Action, Resource};
    for r in Role::ALL {
        assert_eq!(entry_channel(r).is_some(), scope(r, Action::Write, Resource::NeedEntry).allowed(), "{r:?}");
    }
}
use proptest::prelude::*;
use rstest::rstest;

#[rstest]
#[case(Status::Submitted, Status::Published, true)]
#[case(Status::Submitted, Status::Claimed, false)]
#[case(Status::Published, Status::Claimed, true)]
#[case(Status::Claimed, Status::Published, true)] // released or expired back to the pool
#[case(Status::Claimed, Status::Completed, true)]
#[case(Status::Completed, Status::Rated, true)]
#[case(Status::Rated, Status::Rated, false)]
#[case(Status::Rejected, Status::Published, false)]
fn the_marketplace_allows_only_these_moves(#[case] from: Status, #[case] to: Status, #[case] ok: bool) {
    assert_eq!(from.can_become(to), ok);
}

#[rstest]
#[case(Status::Submitted, 0, WarningLevel::None)]
#[case(Status::Submitted, 60, WarningLevel::Blue)]
#[case(Status::Submitted, 4 * 60, WarningLevel::Yellow)]
#[case(Status::Submitted, 8 * 60, WarningLevel::Orange)]
#[case(Status::Submitted, 24 * 60, WarningLevel::Red)]
#[case(Status::Completed, 10_000, WarningLevel::None)]
fn waiting_escalates_through_four_levels(#[case] s: Status, #[case] minutes: i64, #[case] want: WarningLevel) {
    assert_eq!(warning_level(&WarningLimits::default(), s, minutes), want);
}

proptest! {
    #[test]
    fn waiting_longer_never_lowers_the_level(a in 0i64..20_000, b in 0i64..20_000) {
        let l = WarningLimits::default();
        for s in [Status::Submitted, Status::Published, Status::Claimed] {
            let (lo, hi) = (a.min(b), a.max(b));
            prop_assert!(warning_level(&l, s, lo) <= warning_level(&l, s, hi));
        }
    }
}

#[test]
fn escalation_goes_up_the_chain() {
    assert_eq!(escalation(WarningLevel::Blue), None);
    assert_eq!(escalation(WarningLevel::Yellow), Some(Escalation::TeamLeader));
    assert_eq!(escalation(WarningLevel::Orange), Some(Escalation::UnitLiaison));
    assert_eq!(escalation(WarningLevel::Red), Some(Escalation::Coordinators));
}

#[test]
fn limits_must_rise() {
    assert!(WarningLimits::default().check().is_ok());
    let mut bad = WarningLimits::default();
    bad.claimed.orange = bad.claimed.red;
    assert!(bad.check().is_err());
}

#[test]
fn tracking_codes_are_unambiguous() {
    let code = tracking_code([0, 1, 2, 3, 250, 251, 252, 253]);
    assert_eq!(code.len(), 10);
    assert!(code.starts_with("XC"));
    assert!(!code[2..].contains(['0', 'O', '1', 'I', 'L']));
}

#[test]
fn a_submission_needs_a_reachable_requester() {
    let need = NeedInput {
        title: "帮忙修理水管".into(),
        description: "厨房水管漏水，老人独居".into(),
        category: "repair".into(),
        community_id: 1,
        requester_name: "王大爷".into(),
        requester_phone: "138 1234 5678".into(),
        ..Default::default()
    };
    assert_eq!(need.check().unwrap(), CheckedNeed { phone: "13812345678".into(), channel: "online", volunteers_needed: 1 });
    let bad = NeedInput { requester_phone: "12".into(), category: "nope".into(), channel: Some("fax".into()), ..need };
    let fields: Vec<_> = bad.check().unwrap_err().0.into_iter().map(|f| f.field).collect();
    assert_eq!(fields, vec!["category", "requester_phone", "channel"]);
}
