//! How figures and bars read, shared by the page and the workbook.

use tongxing_domain::needs::WarningLevel;
use tongxing_domain::stats::metric::Unit;
use tongxing_service::stats::source::{Axis, Bar, Figure};

use crate::i18n::Tr;

/// A bar's name: a district's, unit's or team's own, a code's from the catalogue, a month as is.
pub fn bar_label(tr: &Tr, axis: Axis, b: &Bar) -> String {
    match axis {
        Axis::Month => b.key.clone(),
        Axis::District | Axis::Unit | Axis::Team => b.name.clone().unwrap_or_else(|| b.key.clone()),
        Axis::Theme if b.key.is_empty() => tr.t("stats.no_theme"),
        Axis::Theme => tr.t(&format!("theme.{}", b.key)),
        Axis::Level => tr.t(&format!("level.{}", WarningLevel::from_rank(b.key.parse().unwrap_or(0)).as_str())),
        Axis::Category => tr.t(&format!("category.{}", b.key)),
    }
}

/// A value with its unit's precision; a dash where there was nothing to measure.
pub fn shown(unit: Unit, v: Option<f64>) -> String {
    v.map_or_else(|| "—".to_string(), |v| unit.show(v))
}

/// "+12.5%", "−3%" or nothing.
pub fn change(f: &Figure) -> Option<String> {
    f.change_pct.map(|c| if c > 0.0 { format!("+{c}%") } else { format!("{c}%") })
}
