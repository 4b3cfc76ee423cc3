//! 报到: a party member reports to the community where they live and serves
//! there. The rules of one report, and of the period a report covers.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::{schema, Invalid};

#[derive(Debug, Clone, Copy, Default, Deserialize, Serialize, ToSchema)]
pub struct ReportInInput {
    /// The community reported to: where the member lives (就近报到).
    #[schema(schema_with = schema::id)]
    pub community_id: i64,
    /// The member's own party organisation, registered with that community.
    #[serde(default)]
    #[schema(schema_with = schema::optional_id)]
    pub party_org_id: Option<i64>,
}

/// Where a member's current report stands: (community, party organisation).
pub type Standing = (i64, Option<i64>);

/// What a valid report does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// The member's first report.
    First,
    /// A new report replace_rank the current one, which stays in the history.
    Change,
    /// The same community and organisation as now: nothing to record.
    Same,
}

/// Judges a report. Only party members report; an organisation named must be
/// registered with the community reported to (`org_community`: that
/// organisation's community). One home community at a time: reporting
/// elsewhere is a change, never an edit of the current report.
pub fn judge(party_member: bool, current: Option<Standing>, wanted: ReportInInput, org_community: Option<i64>) -> Result<Outcome, Invalid> {
    if !party_member {
        return Err(Invalid::one("party_member", "not_party_member"));
    }
    if wanted.party_org_id.is_some() && org_community != Some(wanted.community_id) {
        return Err(Invalid::one("party_org_id", "org_of_other_community"));
    }
    Ok(match current {
        None => Outcome::First,
        Some(now) if now == (wanted.community_id, wanted.party_org_id) => Outcome::Same,
        Some(_) => Outcome::Change,
    })
}

/// The days a report covers, both included: `from` defaults to the first
/// of the year `to` falls in, `to` to today. Days are `YYYY-MM-DD`.
pub fn period(from: Option<&str>, to: Option<&str>, today: NaiveDate) -> Result<(NaiveDate, NaiveDate), Invalid> {
    let day = |field: &str, s: Option<&str>| match s.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(s) => NaiveDate::parse_from_str(s, "%Y-%m-%d").map(Some).map_err(|_| Invalid::one(field, "date_format")),
    };
    let to = day("to", to)?.unwrap_or(today);
    let from = day("from", from)?.unwrap_or_else(|| to.with_ordinal(1).unwrap_or(to));
    if to < from {
        return Err(Invalid::one("to", "ends_before_start"));
    }
    Ok((from, to))
}

/// One report as stored: the current one has no `ended_at`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[schema(as = ReportInEntry)]
pub struct Report {
    pub id: i64,
    pub volunteer_id: i64,
    pub community_id: i64,
    pub community_name: String,
    pub party_org_id: Option<i64>,
    pub party_org_name: Option<String>,
    #[serde(serialize_with = "crate::time::ms_as_rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub reported_at: i64,
    /// When a later report replaced this one.
    #[serde(serialize_with = "crate::time::opt_ms_as_rfc3339")]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub ended_at: Option<i64>,
}

/// A party member as a community or an organisation lists them: their
/// current report (if any) and the hours they served in its community.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Member {
    pub volunteer_id: i64,
    pub name: String,
    pub unit_name: String,
    pub home_community_name: String,
    pub party_org_name: Option<String>,
    /// Where their current report is to, if anywhere.
    pub reported_community_name: Option<String>,
    /// Unix ms of the current report there; none: not reported there.
    pub reported_at: Option<i64>,
    pub hours: f64,
}

/// One line of the 双进双报到 report: a community, or a party organisation
/// (then `party_org_id` is set and `community_id` is the one it registered with).
///
/// - `members`: active party members whose home community it is or whose
///   current report is to it (for an organisation: whose current report
///   names it, or who belong to its unit and live in its community without
///   having reported anywhere yet);
/// - `reported`: those of them with a current report there (through it);
/// - `active`: reported members with ledger hours in activities located in
///   that community within the period;
/// - `hours`: those hours together (confirmed ledger entries, corrections included).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ReportLine {
    pub community_id: i64,
    pub community_name: String,
    pub district_id: i64,
    pub district_name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub party_org_id: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub party_org_name: Option<String>,
    pub members: i64,
    pub reported: i64,
    pub active: i64,
    pub hours: f64,
}

/// Where a bulk report sheet keeps each column: the member's mobile, the
/// community reported to (by name) and, optionally, their organisation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SheetColumns {
    pub phone: usize,
    pub community: usize,
    pub party_org: Option<usize>,
}

/// Reads a sheet's heading line (Chinese or English headings; others, such
/// as 姓名, are ignored); the missing required heading's field otherwise.
pub fn sheet_columns(headings: &[String]) -> Result<SheetColumns, &'static str> {
    let find = |names: &[&str]| headings.iter().position(|h| names.contains(&h.trim()));
    let phone = find(&["手机号", "手机", "phone"]).ok_or("phone")?;
    let community = find(&["报到小区", "报到社区", "小区", "community"]).ok_or("community_id")?;
    Ok(SheetColumns { phone, community, party_org: find(&["党组织", "所在党组织", "party_org"]) })
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    fn to(community_id: i64, party_org_id: Option<i64>) -> ReportInInput {
        ReportInInput { community_id, party_org_id }
    }

    #[rstest]
    #[case(true, None, to(5, None), None, Ok(Outcome::First))]
    #[case(true, None, to(5, Some(9)), Some(5), Ok(Outcome::First))]
    #[case(true, Some((5, None)), to(5, None), None, Ok(Outcome::Same))]
    #[case(true, Some((5, None)), to(5, Some(9)), Some(5), Ok(Outcome::Change))]
    #[case(true, Some((5, Some(9))), to(6, None), None, Ok(Outcome::Change))]
    #[case(false, None, to(5, None), None, Err("party_member"))]
    #[case(false, Some((5, None)), to(5, None), None, Err("party_member"))]
    #[case(true, None, to(5, Some(9)), Some(6), Err("party_org_id"))]
    #[case(true, Some((6, Some(9))), to(5, Some(9)), Some(6), Err("party_org_id"))]
    fn a_report_is_judged(
        #[case] party: bool,
        #[case] current: Option<Standing>,
        #[case] wanted: ReportInInput,
        #[case] org_community: Option<i64>,
        #[case] want: Result<Outcome, &str>,
    ) {
        let got = judge(party, current, wanted, org_community).map_err(|e| e.0[0].field.clone());
        assert_eq!(got, want.map_err(str::to_string));
    }

    #[test]
    fn the_period_defaults_to_the_year_so_far() {
        let today = NaiveDate::from_ymd_opt(2026, 12, 6).unwrap();
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        assert_eq!(period(None, None, today), Ok((d("2026-01-01"), today)));
        assert_eq!(period(Some("2026-03-01"), Some(" 2026-03-31 "), today), Ok((d("2026-03-01"), d("2026-03-31"))));
        assert_eq!(period(None, Some("2025-06-30"), today), Ok((d("2025-01-01"), d("2025-06-30"))));
    }

    #[test]
    fn a_sheet_is_read_by_its_headings() {
        let h = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let cols = sheet_columns(&h(&["姓名", " 手机号 ", "报到小区", "党组织"])).unwrap();
        assert_eq!(cols, SheetColumns { phone: 1, community: 2, party_org: Some(3) });
        assert_eq!(sheet_columns(&h(&["phone", "community"])).unwrap().party_org, None);
        assert_eq!(sheet_columns(&h(&["姓名", "小区"])), Err("phone"));
    }

    #[rstest]
    #[case(Some("2026-13-01"), None, "from")]
    #[case(None, Some("yesterday"), "to")]
    #[case(Some("2026-05-02"), Some("2026-05-01"), "to")]
    fn a_bad_period_names_its_field(#[case] from: Option<&str>, #[case] to: Option<&str>, #[case] field: &str) {
        let today = NaiveDate::from_ymd_opt(2026, 12, 6).unwrap();
        assert_eq!(period(from, to, today).unwrap_err().0[0].field, field);
    }
}
