//! Account roles of API.md.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Admin,
    Coordinator,
    Liaison,
    TeamLeader,
    Volunteer,
    Observer,
    Viewer,
}

impl Role {
    pub const ALL: [Role; 7] =
        [Role::Admin, Role::Coordinator, Role::Liaison, Role::TeamLeader, Role::Volunteer, Role::Observer, Role::Viewer];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Coordinator => "coordinator",
            Role::Liaison => "liaison",
            Role::TeamLeader => "team_leader",
            Role::Volunteer => "volunteer",
            Role::Observer => "observer",
            Role::Viewer => "viewer",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == s)
    }
}
