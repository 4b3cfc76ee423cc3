//! Who may do what in the registry. One table, read by the service layer and
//! by the navigation, so a menu never offers what the server would refuse.

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
    fn the_permission_table(#[case] role: Role, #[case] action: Action, #[case] res: Resource, #[case] want: Scope) {
        assert_eq!(scope(role, action, res), want);
    }
}
