//! The leadership dashboard's arithmetic: which days a period covers, the
//! period before it, how much a figure changed, medians, and the description
//! every figure carries (distinct people or a sum). No clock: today is passed in.

pub mod closing;
pub mod head;
pub mod metric;
pub mod rollup;
pub mod window;

use chrono::{Datelike, Months, NaiveDate};
use serde::Serialize;
use utoipa::ToSchema;

use crate::Invalid;

/// The periods a leader picks from; `Custom` takes its days from the form.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
#[schema(as = StatsPeriod)]
pub enum PeriodKind {
    Month,
    Year,
    Last12,
    Custom,
}

impl PeriodKind {
    pub const ALL: [PeriodKind; 4] = [PeriodKind::Month, PeriodKind::Year, PeriodKind::Last12, PeriodKind::Custom];

    pub fn as_str(self) -> &'static str {
        match self {
            PeriodKind::Month => "month",
            PeriodKind::Year => "year",
            PeriodKind::Last12 => "last12",
            PeriodKind::Custom => "custom",
        }
    }

    /// Blank reads as this year (the figures a leader is asked for most).
    pub fn parse(s: Option<&str>) -> Result<Self, Invalid> {
        match s.map(str::trim).unwrap_or("") {
            "" | "year" => Ok(PeriodKind::Year),
            "month" => Ok(PeriodKind::Month),
            "last12" => Ok(PeriodKind::Last12),
            "custom" => Ok(PeriodKind::Custom),
            _ => Err(Invalid::one("period", "unknown_choice")),
        }
    }
}

/// Days, both included.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    pub from: NaiveDate,
    pub to: NaiveDate,
}

impl Span {
    pub fn days(self) -> i64 {
        (self.to - self.from).num_days() + 1
    }
}

fn day(field: &str, s: Option<&str>) -> Result<Option<NaiveDate>, Invalid> {
    match s.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(s) => NaiveDate::parse_from_str(s, "%Y-%m-%d").map(Some).map_err(|_| Invalid::one(field, "date_format")),
    }
}

/// The days of a period as of `today`. Explicit `from`/`to` make it custom
/// whatever `kind` says, so a link with days always shows those days.
pub fn span(kind: PeriodKind, from: Option<&str>, to: Option<&str>, today: NaiveDate) -> Result<Span, Invalid> {
    let (from, to) = (day("from", from)?, day("to", to)?);
    let month_start = today.with_day(1).unwrap_or(today);
    let s = match (kind, from, to) {
        (_, Some(f), t) => Span { from: f, to: t.unwrap_or(today) },
        (_, None, Some(t)) => Span { from: t.with_ordinal(1).unwrap_or(t), to: t },
        (PeriodKind::Month, None, None) => Span { from: month_start, to: today },
        (PeriodKind::Last12, None, None) => {
            Span { from: month_start.checked_sub_months(Months::new(11)).unwrap_or(month_start), to: today }
        }
        (PeriodKind::Year | PeriodKind::Custom, None, None) => Span { from: today.with_ordinal(1).unwrap_or(today), to: today },
    };
    if s.to < s.from {
        return Err(Invalid::one("to", "ends_before_start"));
    }
    if s.days() > 3 * 366 {
        return Err(Invalid::one("from", "period_too_long"));
    }
    Ok(s)
}

/// The period a figure is compared with. A period starting on the 1st is
/// the same days as many months back as it spans (this month so far against
/// the same days of last month, this year so far against last year's);
/// any other period, as many days just before it.
pub fn previous(s: Span) -> Span {
    let back = Months::new(months(s).len() as u32);
    match (s.from.day(), s.from.checked_sub_months(back), s.to.checked_sub_months(back)) {
        (1, Some(from), Some(to)) => Span { from, to },
        _ => {
            let to = s.from.pred_opt().unwrap_or(s.from);
            Span { from: to - chrono::Duration::days(s.days() - 1), to }
        }
    }
}

/// The change from `before` to `now` in percent, one decimal; none when
/// there was nothing before (a rise from zero has no percentage).
pub fn change_pct(now: f64, before: f64) -> Option<f64> {
    if before == 0.0 {
        return None;
    }
    Some(((now - before) / before * 1000.0).round() / 10.0)
}

/// The middle value (the mean of the two middle ones for an even count).
pub fn median(mut values: Vec<i64>) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    values.sort_unstable();
    let n = values.len();
    Some(if n % 2 == 1 { values[n / 2] as f64 } else { (values[n / 2 - 1] as f64 + values[n / 2] as f64) / 2.0 })
}

/// The months a span touches, as `YYYY-MM`, in order: every month shows on
/// a chart, an empty one too.
pub fn months(s: Span) -> Vec<String> {
    let mut out = Vec::new();
    let mut m = s.from.with_day(1).unwrap_or(s.from);
    while m <= s.to {
        out.push(m.format("%Y-%m").to_string());
        m = match m.checked_add_months(Months::new(1)) {
            Some(next) => next,
            None => break,
        };
    }
    out
}

#[cfg(test)]
mod tests;
