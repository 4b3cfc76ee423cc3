//! Who may do what in the registry. One table, read by the service layer and
//! by the navigation, so a menu never offers what the server would refuse.

use crate::model::User;
use crate::role::Role;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Resource {
    District,
    Community,
    Unit,
    Team,
    Volunteer,
    Beneficiary,
    Need,
    /// Entering a need on a resident's behalf, with the channel it came by
    /// (hotline, liaison group, observer); the public form needs no right.
    NeedEntry,
    /// Activities and their rosters, check-ins and sign-ups.
    Activity,
    /// A volunteer's hours ledger, disputes and certificates.
    Hours,
    User,
    AuditLog,
    /// Outbound deliveries (group robots, SMS): watched and retried by the center.
    Outbox,
    /// Emergency calls (应急调度): sent by the center, answered by volunteers,
    /// filled by liaisons with their unit's people.
    Dispatch,
    /// Applications of people joining by themselves (实名注册): decided by a
    /// leader of a team they chose or their unit's liaison.
    Registration,
    /// Party organisations (党组织) registered with a community (双进): kept by the center.
    PartyOrg,
    /// Party members' reports to their home community (报到): made by the
    /// member, or in bulk by their unit's liaison; its figures are for all.
    ReportIn,
    /// The service-project catalogue (服务项目库): kept by the center, read by all.
    Project,
    /// The yearly campaign, its goals and rotation: planned by the center, read by every signed-in user.
    Campaign,
    /// Holiday childcare classes (子女照辅班): terms and classes kept by the
    /// center, read by every signed-in user; children's records are reached
    /// per class and day (the head, the caretakers on duty), never by role.
    Childcare,
    /// Trades (工种) and their ladder rules: kept by the center, read by all.
    Trade,
    /// People's skills records — certifications, training, 师带徒: entered by
    /// their unit's liaison or the center, read by the person themself.
    Skill,
    /// The front-line problem board (一线生产难题): proposed by anyone of a
    /// member unit, claimed and worked by a team's leader.
    Problem,
    /// The leadership dashboard and reports: the region's for leadership and
    /// the center, a unit's for its liaison, a team's for its leader.
    Stats,
    /// One-to-one care (爱心守护): pairs kept by the center, a liaison for
    /// their unit's volunteers, a leader for their team's; a volunteer logs
    /// visits to their own pairs.
    Care,
    /// Rounds of recognition (评选表彰): run by the center; leaders and
    /// liaisons nominate their own people; the public notice needs no right.
    Honour,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    Read,
    Write,
    Import,
}

/// How far an allowed action reaches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    Denied,
    All,
    /// Only people of the actor's own unit.
    OwnUnit,
    /// Only people of the actor's own team.
    OwnTeam,
    /// Only the actor's own volunteer record.
    OwnRecord,
}

impl Scope {
    pub fn allowed(self) -> bool {
        self != Scope::Denied
    }
}

pub fn scope(role: Role, action: Action, resource: Resource) -> Scope {
    use Action::{Import, Read, Write};
    use Resource as R;
    use Role as P;
    match (role, resource, action) {
        (P::Admin, _, _) => Scope::All,
        (_, R::User | R::AuditLog, _) => Scope::Denied,
        (P::Coordinator, _, _) => Scope::All,
        // The structure of the region is public knowledge to every signed-in user.
        (_, R::District | R::Community | R::Unit | R::Team, Read) => Scope::All,
        (P::Viewer, R::Volunteer | R::Beneficiary, Read) => Scope::All,
        (P::Liaison, R::Volunteer, Read | Write | Import) => Scope::OwnUnit,
        (P::TeamLeader, R::Volunteer, Read | Write) => Scope::OwnTeam,
        (P::Volunteer, R::Volunteer, Read) => Scope::OwnRecord,
        (P::Observer | P::TeamLeader, R::Beneficiary, Read) => Scope::All,
        (P::Viewer | P::Liaison | P::Observer, R::Need, Read) => Scope::All,
        (P::TeamLeader | P::Liaison | P::Observer, R::NeedEntry, Write) => Scope::All,
        // A leader sees what their team may take and what it holds.
        (P::TeamLeader, R::Need, Read) => Scope::OwnTeam,
        // Everyone may look for activities; a leader runs their own team's.
        (_, R::Activity, Read) => Scope::All,
        (_, R::Project, Read) => Scope::All,
        (_, R::Campaign, Read) => Scope::All,
        (_, R::Childcare, Read) => Scope::All,
        (P::Liaison, R::Childcare, Import) => Scope::OwnUnit,
        (P::TeamLeader, R::Activity | R::Hours, Write) => Scope::OwnTeam,
        (P::Viewer, R::Hours, Read) => Scope::All,
        (P::Liaison, R::Hours, Read) => Scope::OwnUnit,
        (P::TeamLeader, R::Hours, Read) => Scope::OwnTeam,
        (P::Volunteer, R::Hours, Read) => Scope::OwnRecord,
        (P::Viewer | P::TeamLeader, R::Dispatch, Read) => Scope::All,
        (P::Liaison, R::Dispatch, Read | Write) => Scope::OwnUnit,
        (P::Volunteer, R::Dispatch, Write) => Scope::OwnRecord,
        (P::Liaison, R::Registration, Read | Write) => Scope::OwnUnit,
        (P::TeamLeader, R::Registration, Read | Write) => Scope::OwnTeam,
        (_, R::PartyOrg, Read) => Scope::All,
        (P::Volunteer, R::ReportIn, Read | Write) => Scope::OwnRecord,
        (P::Liaison, R::ReportIn, Write | Import) => Scope::OwnUnit,
        (P::Liaison | P::TeamLeader | P::Observer | P::Viewer, R::ReportIn, Read) => Scope::All,
        (_, R::Trade | R::Problem, Read) => Scope::All,
        (P::Liaison, R::Skill, Read | Write | Import) => Scope::OwnUnit,
        (P::TeamLeader, R::Skill, Read) => Scope::OwnTeam,
        (P::Volunteer, R::Skill, Read) => Scope::OwnRecord,
        (P::Observer | P::Viewer, R::Skill, Read) => Scope::All,
        (P::Volunteer, R::Problem, Write) => Scope::OwnRecord,
        (P::Liaison, R::Problem, Write) => Scope::OwnUnit,
        (P::TeamLeader, R::Problem, Write) => Scope::OwnTeam,
        (P::Viewer, R::Stats, Read) => Scope::All,
        (P::Liaison, R::Stats, Read) => Scope::OwnUnit,
        (P::TeamLeader, R::Stats, Read) => Scope::OwnTeam,
        (P::Liaison, R::Care, Read | Write) => Scope::OwnUnit,
        (P::TeamLeader, R::Care, Read | Write) => Scope::OwnTeam,
        (P::Volunteer, R::Care, Read | Write) => Scope::OwnRecord,
        (P::Liaison, R::Honour, Write) => Scope::OwnUnit,
        (P::TeamLeader, R::Honour, Write) => Scope::OwnTeam,
        (P::Liaison | P::TeamLeader | P::Observer | P::Viewer, R::Honour, Read) => Scope::All,
        _ => Scope::Denied,
    }
}

/// Whether a role may see a volunteer's full phone number (always audited).
pub fn may_see_full_phone(role: Role) -> bool {
    matches!(role, Role::Admin | Role::Coordinator | Role::Liaison | Role::TeamLeader)
}

/// Whether a role may see a full ID number (always audited).
pub fn may_see_id_number(role: Role) -> bool {
    matches!(role, Role::Admin | Role::Coordinator | Role::Liaison)
}

/// Where a volunteer record sits: its unit and the teams it belongs to.
#[derive(Debug, Clone, Copy)]
pub struct Placement<'a> {
    pub unit_id: i64,
    pub team_ids: &'a [i64],
}

/// Whether `actor`, writing volunteers with `scope`, may move a record from
/// `before` (`None`: a new record) to `after`: the record, and every
/// reference it writes, must be within reach. A liaison writes only within
/// their unit — the record's unit before and after, and every team it joins
/// or leaves, must be the unit's. A team leader writes only their team's
/// members (a newcomer joins the team and the team's unit), who stay in the
/// team and keep their unit and every other team as they were.
/// `unit_of_team` answers a team's unit (`None`: the team has none).
pub fn may_place_volunteer(
    actor: &User,
    scope: Scope,
    before: Option<Placement>,
    after: Placement,
    unit_of_team: impl Fn(i64) -> Option<i64>,
) -> bool {
    let had = before.map_or(&[][..], |b| b.team_ids);
    let mut changed = after.team_ids.iter().filter(|t| !had.contains(t)).chain(had.iter().filter(|t| !after.team_ids.contains(t)));
    match scope {
        Scope::All => true,
        Scope::OwnUnit => {
            let own = |unit: Option<i64>| unit.is_some() && unit == actor.unit_id;
            own(Some(after.unit_id)) && before.is_none_or(|b| own(Some(b.unit_id))) && changed.all(|t| own(unit_of_team(*t)))
        }
        Scope::OwnTeam => {
            let Some(team) = actor.team_id else { return false };
            let unit_kept = match before {
                Some(b) => b.team_ids.contains(&team) && b.unit_id == after.unit_id,
                None => unit_of_team(team).is_none_or(|u| u == after.unit_id),
            };
            unit_kept && after.team_ids.contains(&team) && changed.all(|t| *t == team)
        }
        Scope::OwnRecord | Scope::Denied => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    #[rstest]
    #[case(Role::Admin, Action::Write, Resource::User, Scope::All)]
    #[case(Role::Coordinator, Action::Write, Resource::User, Scope::Denied)]
    #[case(Role::Coordinator, Action::Import, Resource::Volunteer, Scope::All)]
    #[case(Role::Liaison, Action::Write, Resource::Volunteer, Scope::OwnUnit)]
    #[case(Role::Liaison, Action::Write, Resource::Team, Scope::Denied)]
    #[case(Role::TeamLeader, Action::Read, Resource::Volunteer, Scope::OwnTeam)]
    #[case(Role::TeamLeader, Action::Import, Resource::Volunteer, Scope::Denied)]
    #[case(Role::Volunteer, Action::Read, Resource::Volunteer, Scope::OwnRecord)]
    #[case(Role::Volunteer, Action::Read, Resource::Beneficiary, Scope::Denied)]
    #[case(Role::Viewer, Action::Write, Resource::District, Scope::Denied)]
    #[case(Role::Observer, Action::Read, Resource::Community, Scope::All)]
    #[case(Role::TeamLeader, Action::Read, Resource::Need, Scope::OwnTeam)]
    #[case(Role::Liaison, Action::Write, Resource::Need, Scope::Denied)]
    #[case(Role::Volunteer, Action::Read, Resource::Need, Scope::Denied)]
    #[case(Role::Coordinator, Action::Write, Resource::Outbox, Scope::All)]
    #[case(Role::TeamLeader, Action::Read, Resource::Outbox, Scope::Denied)]
    #[case(Role::Viewer, Action::Read, Resource::Outbox, Scope::Denied)]
    #[case(Role::Liaison, Action::Write, Resource::Dispatch, Scope::OwnUnit)]
    #[case(Role::Volunteer, Action::Write, Resource::Dispatch, Scope::OwnRecord)]
    #[case(Role::Volunteer, Action::Read, Resource::Dispatch, Scope::Denied)]
    #[case(Role::TeamLeader, Action::Write, Resource::Registration, Scope::OwnTeam)]
    #[case(Role::Liaison, Action::Write, Resource::Registration, Scope::OwnUnit)]
    #[case(Role::Viewer, Action::Read, Resource::Registration, Scope::Denied)]
    #[case(Role::Volunteer, Action::Read, Resource::Registration, Scope::Denied)]
    #[case(Role::Liaison, Action::Write, Resource::PartyOrg, Scope::Denied)]
    #[case(Role::Volunteer, Action::Read, Resource::PartyOrg, Scope::All)]
    #[case(Role::Volunteer, Action::Write, Resource::ReportIn, Scope::OwnRecord)]
    #[case(Role::Liaison, Action::Write, Resource::ReportIn, Scope::OwnUnit)]
    #[case(Role::Liaison, Action::Import, Resource::ReportIn, Scope::OwnUnit)]
    #[case(Role::TeamLeader, Action::Write, Resource::ReportIn, Scope::Denied)]
    #[case(Role::Observer, Action::Read, Resource::ReportIn, Scope::All)]
    #[case(Role::Liaison, Action::Write, Resource::Trade, Scope::Denied)]
    #[case(Role::Liaison, Action::Write, Resource::Skill, Scope::OwnUnit)]
    #[case(Role::Volunteer, Action::Write, Resource::Skill, Scope::Denied)]
    #[case(Role::Volunteer, Action::Write, Resource::Problem, Scope::OwnRecord)]
    #[case(Role::TeamLeader, Action::Write, Resource::Problem, Scope::OwnTeam)]
    #[case(Role::Viewer, Action::Write, Resource::Problem, Scope::Denied)]
    #[case(Role::Volunteer, Action::Read, Resource::Project, Scope::All)]
    #[case(Role::TeamLeader, Action::Write, Resource::Project, Scope::Denied)]
    #[case(Role::Coordinator, Action::Write, Resource::Project, Scope::All)]
    fn the_permission_table(#[case] role: Role, #[case] action: Action, #[case] res: Resource, #[case] want: Scope) {
        assert_eq!(scope(role, action, res), want);
    }

    /// Units 1 and 2; teams 10, 11 of unit 1, team 20 of unit 2.
    fn unit_of(team: i64) -> Option<i64> {
        Some(team / 10)
    }

    fn actor(role: Role, unit_id: Option<i64>, team_id: Option<i64>) -> User {
        User { id: 1, login: "a".into(), role, unit_id, team_id, volunteer_id: None, active: true, name: None }
    }

    #[rstest]
    // A liaison of unit 1: their unit's people and teams only, before and after.
    #[case(Role::Liaison, None, (1, &[10, 11][..]), true)]
    #[case(Role::Liaison, None, (2, &[][..]), false)]
    #[case(Role::Liaison, None, (1, &[20][..]), false)]
    #[case(Role::Liaison, Some((2, &[20][..])), (1, &[][..]), false)]
    #[case(Role::Liaison, Some((1, &[20][..])), (1, &[20, 10][..]), true)]
    #[case(Role::Liaison, Some((1, &[20][..])), (1, &[10][..]), false)]
    // The leader of team 10: members stay in the team, keep their unit and other teams.
    #[case(Role::TeamLeader, None, (1, &[10][..]), true)]
    #[case(Role::TeamLeader, None, (2, &[10][..]), false)]
    #[case(Role::TeamLeader, None, (1, &[10, 11][..]), false)]
    #[case(Role::TeamLeader, Some((1, &[10, 20][..])), (1, &[10, 20][..]), true)]
    #[case(Role::TeamLeader, Some((1, &[10, 20][..])), (1, &[10][..]), false)]
    #[case(Role::TeamLeader, Some((1, &[10][..])), (2, &[10][..]), false)]
    #[case(Role::TeamLeader, Some((1, &[11][..])), (1, &[11, 10][..]), false)]
    fn a_volunteer_is_placed_only_within_reach(
        #[case] role: Role,
        #[case] before: Option<(i64, &[i64])>,
        #[case] after: (i64, &[i64]),
        #[case] allowed: bool,
    ) {
        let a = actor(role, Some(1).filter(|_| role == Role::Liaison), Some(10).filter(|_| role == Role::TeamLeader));
        let s = scope(role, Action::Write, Resource::Volunteer);
        let before = before.map(|(unit_id, team_ids)| Placement { unit_id, team_ids });
        let after = Placement { unit_id: after.0, team_ids: after.1 };
        assert_eq!(may_place_volunteer(&a, s, before, after, unit_of), allowed);
    }
}
