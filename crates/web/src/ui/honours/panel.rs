//! The round page's review panel: its members, the center's form naming
//! one, and what a member sees of their own votes.

use std::collections::HashMap;

use tongxing_domain::honours::round::Stage;
use tongxing_domain::honours::view::{Nomination, Round};
use tongxing_service::Result;

use crate::extract::PageUser;
use crate::i18n::Tr;
use crate::AppState;

/// The panel as the page shows it to the reader.
#[derive(Default)]
pub struct PanelView {
    pub members: Vec<String>,
    /// Accounts the center may still name: (user, name); empty for others.
    pub options: Vec<(i64, String)>,
    /// The reader sits on the panel.
    pub member: bool,
    /// The reader's own votes by nomination, in words.
    pub mine: HashMap<i64, String>,
}

pub async fn read(s: &AppState, p: &PageUser, r: &Round, center: bool) -> Result<PanelView> {
    let tr = Tr { cat: &s.cat, lang: p.lang };
    let panel = s.svc.honour_panel(&p.user, r.id).await?;
    let member = panel.iter().any(|m| m.user_id == p.user.id);
    let open = matches!(r.stage, Stage::Nominating | Stage::Review);
    let options = if center && open {
        let taken: Vec<i64> = panel.iter().map(|m| m.user_id).collect();
        s.svc.panel_candidates(&p.user).await?.into_iter().filter(|c| !taken.contains(&c.user_id)).map(|c| (c.user_id, c.name)).collect()
    } else {
        Vec::new()
    };
    let mine = if member {
        let votes = s.svc.honour_votes(&p.user, r.id).await?;
        votes
            .into_iter()
            .filter(|v| v.user_id == p.user.id)
            .map(|v| (v.nomination_id, tr.t(&format!("honour.vote.{}", v.decision))))
            .collect()
    } else {
        HashMap::new()
    };
    Ok(PanelView { members: panel.into_iter().map(|m| m.name).collect(), options, member, mine })
}

/// The panel's count on a nominee in words, when the round has a panel.
pub fn tally(tr: &Tr, panel: &PanelView, n: &Nomination) -> Option<String> {
    (!panel.members.is_empty()).then(|| tr.cat.fmt(tr.lang, "honour.panel_tally", &[&n.votes_for, &n.votes_against, &n.conflicts]))
}
