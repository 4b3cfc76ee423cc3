//! The 爱心守护 card on each role's first screen: a volunteer's pairs with
//! who is due next; a leader's, liaison's or the center's overdue pairs and
//! pairs waiting for a new volunteer.

use tongxing_service::care::CarePrompt;

use super::PairLine;
use crate::i18n::Tr;

pub struct CareCard {
    pub pairs: Vec<PairLine>,
    /// (text, link) lines of counts.
    pub counts: Vec<(String, String)>,
}

/// A volunteer's card shows at most this many pairs, the soonest due first.
const SHOWN: usize = 5;

impl CareCard {
    pub fn of(tr: &Tr, p: CarePrompt) -> Option<CareCard> {
        match p {
            CarePrompt::Nothing => None,
            CarePrompt::Mine(pairs) => {
                Some(CareCard { pairs: pairs.iter().take(SHOWN).map(|x| PairLine::of(tr, x)).collect(), counts: vec![] })
            }
            CarePrompt::Overdue(k) => {
                let mut counts = vec![(format!("{}: {}", tr.t("home.care_overdue"), k.overdue), "/care?overdue=true".to_string())];
                if k.red > 0 {
                    counts.push((format!("{}: {}", tr.t("home.care_red"), k.red), "/care?overdue=true".into()));
                }
                if k.handover > 0 {
                    counts.push((format!("{}: {}", tr.t("home.care_handover"), k.handover), "/care?needs_handover=true".into()));
                }
                Some(CareCard { pairs: vec![], counts })
            }
        }
    }
}
