//! What the check-in, roster and confirmation pages show: the volunteer's own
//! standing on an activity opened by its QR token, and the leader's roster
//! with masked phones and who confirmed the hours.

use std::collections::HashMap;

use tongxing_domain::activities::{Activity, SignupStatus};
use tongxing_store::{
    activities::{attendance, signups},
    ledger,
};

use crate::hours::Attendance;
use crate::{Actor, Result, Service};

/// The signed-in volunteer's standing on the activity a QR code opened.
#[derive(Debug, Clone)]
pub struct CheckinState {
    pub activity: Activity,
    /// None when the account has no volunteer record.
    pub volunteer_id: Option<i64>,
    pub signup: Option<SignupStatus>,
    pub checked_in_at: Option<i64>,
    pub checked_out_at: Option<i64>,
}

/// The leader's roster: attendance with computed hours, masked phones, and
/// the confirmation (when, by whom) once the hours are in the ledger.
#[derive(Debug, Clone)]
pub struct RosterSheet {
    pub activity: Activity,
    pub lines: Vec<Attendance>,
    pub phones: HashMap<i64, String>,
    pub confirmed: Option<(i64, String)>,
    /// Hours in the ledger per person, once confirmed.
    pub credited: HashMap<i64, f64>,
}

impl Service {
    /// The activity behind a QR token and where the caller stands on it.
    pub async fn checkin_state(&self, actor: &Actor, token: &str) -> Result<CheckinState> {
        let activity = self.activity_by_token(token).await?;
        let mut state =
            CheckinState { activity, volunteer_id: actor.volunteer_id, signup: None, checked_in_at: None, checked_out_at: None };
        if let Some(v) = actor.volunteer_id {
            state.signup = signups::status(&self.db, state.activity.id, v).await?.filter(|s| *s != SignupStatus::Cancelled);
            if let Some((i, o)) = attendance::of(&self.db, state.activity.id, v).await? {
                state.checked_in_at = Some(i);
                state.checked_out_at = o;
            }
        }
        Ok(state)
    }

    /// The roster page's data, for the people who run the activity.
    pub async fn roster_sheet(&self, actor: &Actor, activity_id: i64) -> Result<RosterSheet> {
        let (activity, lines) = self.attendance(actor, activity_id).await?;
        let phones = attendance::roster_phones(&self.db, activity_id)
            .await?
            .into_iter()
            .map(|(id, phone)| (id, tongxing_domain::phone::mask(&phone)))
            .collect();
        let confirmed = ledger::confirmation(&self.db, activity_id).await?.map(|(at, login)| (at, login.unwrap_or_default()));
        let credited = match confirmed {
            Some(_) => ledger::credited_for_activity(&self.db, activity_id).await?.into_iter().collect(),
            None => HashMap::new(),
        };
        Ok(RosterSheet { activity, lines, phones, confirmed, credited })
    }
}
