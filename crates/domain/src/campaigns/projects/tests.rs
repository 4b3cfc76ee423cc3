use rstest::rstest;

use super::*;

fn project() -> ProjectInput {
    ProjectInput {
        name: "健康知识讲座".into(),
        category: "health".into(),
        theme: Some("health".into()),
        default_minutes: Some(90),
        default_capacity: Some(20),
        default_roles: vec![RoleInput { name: "讲解员".into(), capacity: 2 }],
        ..Default::default()
    }
}

#[test]
fn a_good_project_passes_with_its_theme_code() {
    assert_eq!(project().check(), Ok(Some("health")));
    assert_eq!(ProjectInput { theme: Some(" ".into()), ..project() }.check(), Ok(None));
}

#[rstest]
#[case::blank_name(ProjectInput { name: "  ".into(), ..project() }, "name", "required")]
#[case::long_name(ProjectInput { name: "长".repeat(NAME_MAX + 1), ..project() }, "name", "too_long")]
#[case::category(ProjectInput { category: "fun".into(), ..project() }, "category", "unknown_choice")]
#[case::theme(ProjectInput { theme: Some("fun".into()), ..project() }, "theme", "unknown_choice")]
#[case::zero_minutes(ProjectInput { default_minutes: Some(0), ..project() }, "default_minutes", "out_of_range")]
#[case::two_days(ProjectInput { default_minutes: Some(MINUTES_MAX + 1), ..project() }, "default_minutes", "out_of_range")]
#[case::capacity(ProjectInput { default_capacity: Some(-1), ..project() }, "default_capacity", "out_of_range")]
#[case::role_over_capacity(ProjectInput { default_roles: vec![RoleInput { name: "引导员".into(), capacity: 21 }], ..project() },
    "default_roles[0].capacity", "out_of_range")]
#[case::role_twice(ProjectInput { default_roles: vec![RoleInput { name: "引导员".into(), capacity: 1 }; 2], ..project() },
    "default_roles[1].name", "duplicate")]
#[case::bring(ProjectInput { what_to_bring: Some("\u{7}".into()), ..project() }, "what_to_bring", "control_chars")]
fn bad_projects_name_the_field(#[case] input: ProjectInput, #[case] field: &str, #[case] code: &str) {
    let e = input.check().unwrap_err();
    assert!(e.0.iter().any(|x| x.field == field && x.code == code), "{e:?}");
}

#[rstest]
#[case(0, None, Retirement::Proceed { cancel: false })]
#[case(0, Some(FutureActivities::Cancel), Retirement::Proceed { cancel: false })]
#[case(3, None, Retirement::Ask)]
#[case(3, Some(FutureActivities::Keep), Retirement::Proceed { cancel: false })]
#[case(3, Some(FutureActivities::Cancel), Retirement::Proceed { cancel: true })]
fn retiring_asks_only_when_activities_lie_ahead(#[case] ahead: usize, #[case] choice: Option<FutureActivities>, #[case] want: Retirement) {
    assert_eq!(retirement(ahead, choice), want);
}

#[test]
fn a_plan_ends_a_typical_length_after_it_starts() {
    assert_eq!(planned_end(1_000, Some(90)), Some(1_000 + 90 * 60_000));
    assert_eq!(planned_end(1_000, None), None);
    assert_eq!(planned_end(1_000, Some(0)), None);
}
