//! A unit's roster as Chinese units keep it in Excel: which column is which,
//! and how a cell such as 是否党员 = "是" becomes a value.

use chrono::{Duration, NaiveDate};

/// The fields a roster column can fill.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Column {
    Name,
    Phone,
    IdNumber,
    Unit,
    Community,
    Teams,
    Skills,
    PartyMember,
}

impl Column {
    /// The API field a column's errors are reported against.
    pub fn field(self) -> &'static str {
        match self {
            Column::Name => "name",
            Column::Phone => "phone",
            Column::IdNumber => "id_number",
            Column::Unit => "unit",
            Column::Community => "community",
            Column::Teams => "teams",
            Column::Skills => "skills",
            Column::PartyMember => "party_member",
        }
    }

    /// Recognises the headings units actually use, in Chinese or English.
    pub fn from_heading(heading: &str) -> Option<Column> {
        let h: String = heading.chars().filter(|c| !c.is_whitespace() && *c != '*').collect::<String>().to_lowercase();
        Some(match h.as_str() {
            "姓名" | "名字" | "name" => Column::Name,
            "手机号" | "手机" | "手机号码" | "联系电话" | "电话" | "phone" => Column::Phone,
            "身份证号" | "身份证" | "身份证号码" | "id_number" => Column::IdNumber,
            "单位" | "所在单位" | "工作单位" | "unit" => Column::Unit,
            "小区" | "社区" | "居住小区" | "community" => Column::Community,
            "服务队" | "所属服务队" | "队伍" | "team" | "teams" => Column::Teams,
            "技能" | "特长" | "技能特长" | "skills" => Column::Skills,
            "是否党员" | "党员" | "政治面貌" | "party_member" => Column::PartyMember,
            _ => return None,
        })
    }
}

/// The columns a roster must have.
pub const REQUIRED: [Column; 4] = [Column::Name, Column::Phone, Column::Unit, Column::Community];

/// One roster line, read but not yet checked against the registry.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RosterRow {
    /// The line number a person sees in Excel (heading is line 1).
    pub line: usize,
    pub name: String,
    pub phone: String,
    pub id_number: String,
    pub unit: String,
    pub community: String,
    pub teams: Vec<String>,
    pub skills: Vec<String>,
    pub party_member: Option<bool>,
}

/// A problem with one line of the file (line 1 is the heading).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineError {
    pub line: usize,
    pub field: &'static str,
    pub code: &'static str,
}

/// Maps headings to columns; a missing required column is an error on line 1.
pub fn read_headings(headings: &[String]) -> Result<Vec<Option<Column>>, Vec<LineError>> {
    let cols: Vec<Option<Column>> = headings.iter().map(|h| Column::from_heading(h)).collect();
    let missing: Vec<LineError> = REQUIRED
        .iter()
        .filter(|r| !cols.contains(&Some(**r)))
        .map(|r| LineError { line: 1, field: r.field(), code: "missing_column" })
        .collect();
    if missing.is_empty() {
        Ok(cols)
    } else {
        Err(missing)
    }
}

/// Reads one data line; `line` is its 1-based number in the file.
pub fn read_row(cols: &[Option<Column>], cells: &[String], line: usize) -> Result<RosterRow, LineError> {
    let mut row = RosterRow { line, ..Default::default() };
    for (col, cell) in cols.iter().zip(cells) {
        let v = cell.trim().to_string();
        match col {
            Some(Column::Name) => row.name = v,
            Some(Column::Phone) => row.phone = v,
            Some(Column::IdNumber) => row.id_number = v,
            Some(Column::Unit) => row.unit = v,
            Some(Column::Community) => row.community = v,
            Some(Column::Teams) => row.teams = split_list(&v),
            Some(Column::Skills) => row.skills = split_list(&v),
            Some(Column::PartyMember) => {
                row.party_member = parse_yes_no(&v).ok_or(LineError { line, field: "party_member", code: "yes_no" })?
            }
            None => {}
        }
    }
    Ok(row)
}

/// Which field each heading names, by a table of (field, headings it is
/// recognised by) — spaces and a required mark `*` ignored —, or the
/// required fields no heading names. The sheets other than the roster read
/// their headings through this.
pub fn match_headings(
    columns: &[(&'static str, &[&str])],
    required: &[&'static str],
    headings: &[String],
) -> Result<Vec<Option<&'static str>>, Vec<&'static str>> {
    let squeeze = |h: &str| h.chars().filter(|c| !c.is_whitespace() && *c != '*').collect::<String>().to_lowercase();
    let cols: Vec<Option<&'static str>> =
        headings.iter().map(|h| columns.iter().find(|(_, names)| names.contains(&squeeze(h).as_str())).map(|(f, _)| *f)).collect();
    let missing: Vec<&'static str> = required.iter().copied().filter(|r| !cols.contains(&Some(r))).collect();
    if missing.is_empty() {
        Ok(cols)
    } else {
        Err(missing)
    }
}

/// A date as sheets hold it: 2017-05-01, 2017/5/1, 2017.5.1, 2017年5月1日,
/// or the day number Excel stores for a cell typed as a date.
pub fn sheet_date(cell: &str) -> Option<NaiveDate> {
    let c = cell.trim();
    if let Ok(n) = c.parse::<f64>() {
        // Excel's day 1 is 1900-01-01, counted from 1899-12-30 (its 1900 leap-year quirk).
        return (1.0..2_958_466.0)
            .contains(&n)
            .then(|| NaiveDate::from_ymd_opt(1899, 12, 30).map(|d| d + Duration::days(n as i64)))
            .flatten();
    }
    let parts: Vec<&str> = c.split(['-', '/', '.', '年', '月', '日']).filter(|p| !p.is_empty()).collect();
    match parts.as_slice() {
        [y, m, d] => NaiveDate::from_ymd_opt(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?),
        _ => None,
    }
}

/// Whether a line is entirely blank (trailing lines in Excel often are).
pub fn is_blank(cells: &[String]) -> bool {
    cells.iter().all(|c| c.trim().is_empty())
}

/// Lists in one cell are separated by 、 ， , ； ; / or spaces.
pub fn split_list(cell: &str) -> Vec<String> {
    cell.split(['、', '，', ',', '；', ';', '/', ' ', '\u{3000}']).map(str::trim).filter(|s| !s.is_empty()).map(str::to_string).collect()
}

/// `Some(None)` for an empty cell, `None` for a value that is neither yes nor no.
pub fn parse_yes_no(v: &str) -> Option<Option<bool>> {
    match v.to_lowercase().as_str() {
        "" => Some(None),
        "是" | "党员" | "中共党员" | "预备党员" | "y" | "yes" | "true" | "1" => Some(Some(true)),
        "否" | "不是" | "群众" | "团员" | "共青团员" | "n" | "no" | "false" | "0" => Some(Some(false)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &[&str]) -> Vec<String> {
        v.iter().map(|x| x.to_string()).collect()
    }

    #[test]
    fn a_typical_roster_line_is_read() {
        let cols = read_headings(&s(&["序号", "姓名", "手机号", "单位", "小区", "服务队", "技能", "是否党员"])).unwrap();
        let row =
            read_row(&cols, &s(&["1", "张晓静", "13812341234", "现河采油厂", "雅苑小区", "助老服务队", "急救、理发", "是"]), 2).unwrap();
        assert_eq!(row.name, "张晓静");
        assert_eq!(row.skills, s(&["急救", "理发"]));
        assert_eq!(row.party_member, Some(true));
        assert_eq!(row.line, 2);
    }

    #[test]
    fn missing_required_columns_are_named() {
        let errs = read_headings(&s(&["姓名", "单位"])).unwrap_err();
        let fields: Vec<_> = errs.iter().map(|e| e.field).collect();
        assert_eq!(fields, vec!["phone", "community"]);
    }

    #[test]
    fn an_unreadable_party_cell_is_an_error() {
        let cols = read_headings(&s(&["姓名", "手机号", "单位", "小区", "是否党员"])).unwrap();
        let err = read_row(&cols, &s(&["王", "13812341234", "u", "c", "也许"]), 5).unwrap_err();
        assert_eq!(err, LineError { line: 5, field: "party_member", code: "yes_no" });
    }
}
