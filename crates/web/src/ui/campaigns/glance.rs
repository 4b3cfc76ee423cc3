//! The rotation's lines on the coordinator's and the liaison's first screen.

use tongxing_service::campaigns::glance::Glance;

use crate::i18n::Tr;

/// One slot on a first screen.
pub struct SlotLine {
    pub href: String,
    pub district: String,
    pub theme: String,
    pub theme_label: String,
    pub status: &'static str,
    pub status_label: String,
    pub days: String,
}

pub fn lines(tr: &Tr, g: Option<Glance>) -> Vec<SlotLine> {
    let Some(g) = g else { return Vec::new() };
    g.slots
        .into_iter()
        .map(|s| SlotLine {
            href: format!("/campaigns/{}/calendar?month={}", g.campaign_id, &s.starts_on[..7]),
            theme_label: tr.t(&format!("theme.{}", s.theme)),
            status: s.status.as_str(),
            status_label: tr.t(&format!("slot.{}", s.status.as_str())),
            days: format!("{} ~ {}", s.starts_on, s.ends_on),
            district: s.district_name,
            theme: s.theme,
        })
        .collect()
}
