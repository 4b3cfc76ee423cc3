//! `/activities/new?project_id=N`: a plan starts from its project's defaults
//! (title, description, theme, capacity, roles, risky / adults-only, what to
//! bring) and, with the project's typical length, an end that follows its start.

use chrono::{Days, TimeZone};
use tongxing_domain::campaigns::projects::{planned_end, Project};
use tongxing_domain::time::region_offset;

use crate::i18n::Tr;
use crate::ui::view::Values;

/// A plan of `p`, starting at 09:00 the region's next day after `now`.
pub fn from_project(tr: &Tr, p: &Project, now: i64, role_fields: &[(&str, &str)]) -> Values {
    let tomorrow = region_offset().timestamp_millis_opt(now).single().and_then(|t| t.date_naive().checked_add_days(Days::new(1)));
    let start = tomorrow.and_then(|d| d.and_hms_opt(9, 0, 0)).and_then(|t| t.and_local_timezone(region_offset()).single());
    let at =
        |ms: i64| region_offset().timestamp_millis_opt(ms).single().map(|t| t.format("%Y-%m-%dT%H:%M").to_string()).unwrap_or_default();
    let mut v = Values::new();
    let mut set = |k: &str, val: String| {
        v.insert(k.to_string(), vec![val]);
    };
    set("project_id", p.id.to_string());
    set("title", p.name.clone());
    let mut description = p.description.clone().unwrap_or_default();
    if let Some(bring) = p.what_to_bring.as_deref() {
        // What to bring travels with the description: an activity has no field of its own for it.
        let line = tr.f("project.bring_line", bring);
        description = [description.as_str(), line.as_str()].iter().filter(|s| !s.is_empty()).copied().collect::<Vec<_>>().join("\n");
    }
    set("description", description);
    set("theme", p.theme.clone().unwrap_or_default());
    if let Some(c) = p.default_capacity {
        set("capacity", c.to_string());
    }
    if let Some(s) = start {
        let s = s.timestamp_millis();
        set("starts_at", at(s));
        if let Some(e) = planned_end(s, p.default_minutes) {
            set("ends_at", at(e));
        }
    }
    for (k, on) in [("risky", p.risky), ("adults_only", p.adults_only)] {
        set(k, on.to_string());
    }
    for ((name, capacity), r) in role_fields.iter().zip(&p.default_roles) {
        set(name, r.name.clone());
        set(capacity, r.capacity.to_string());
    }
    v
}
