//! A unit's sheet of certifications: one certificate a line, read into the
//! same `CertificationInput` the form fills, so a line is checked by the
//! same rules; the person is named by their phone (and, if given, their name).

use super::inputs::CertificationInput;
use super::ladder::Level;
use crate::roster::{match_headings, sheet_date};

/// The sheet's fields and the headings each is recognised by; the first
/// heading of each is what the downloadable template writes.
pub const COLUMNS: &[(&str, &[&str])] = &[
    ("phone", &["手机号", "手机", "联系电话", "phone"]),
    ("name", &["姓名", "name"]),
    ("trade", &["工种", "职业", "trade"]),
    ("level", &["等级", "技能等级", "level"]),
    ("certified_on", &["发证日期", "取证日期", "certified_on"]),
    ("certificate_no", &["证书编号", "certificate_no"]),
    ("issuer", &["发证机关", "发证单位", "鉴定机构", "issuer"]),
    ("direct_reason", &["破格理由", "直接认定理由", "direct_reason"]),
];

/// The columns a sheet must have (a name is only checked when given).
pub const REQUIRED: [&str; 6] = ["phone", "trade", "level", "certified_on", "certificate_no", "issuer"];

/// One line read from the sheet: who, as written, and the certificate.
#[derive(Debug, Clone, Default)]
pub struct CertLine {
    pub phone: String,
    pub name: String,
    pub input: CertificationInput,
}

/// The field each column fills, or the required fields with no column.
pub fn read_headings(headings: &[String]) -> Result<Vec<Option<&'static str>>, Vec<&'static str>> {
    match_headings(COLUMNS, &REQUIRED, headings)
}

/// A level as sheets write it: its code, its title (高级工) or its grade (三级).
pub fn sheet_level(cell: &str) -> Option<Level> {
    const WRITTEN: [[&str; 3]; 5] = [
        ["初级工", "五级", "初级"],
        ["中级工", "四级", "中级"],
        ["高级工", "三级", "高级"],
        ["技师", "二级", ""],
        ["高级技师", "一级", ""],
    ];
    let c = cell.trim();
    Level::from_code(c).or_else(|| WRITTEN.iter().position(|w| !c.is_empty() && w.contains(&c)).map(|i| Level::ALL[i]))
}

/// Reads one data line. A level or date that cannot be read is kept as
/// written, for the form's own check to name it.
pub fn read_line(cols: &[Option<&'static str>], cells: &[String]) -> CertLine {
    let mut line = CertLine::default();
    for (col, cell) in cols.iter().zip(cells) {
        let v = cell.trim().to_string();
        let i = &mut line.input;
        match col {
            Some("phone") => line.phone = v,
            Some("name") => line.name = v,
            Some("trade") => i.trade = v,
            Some("level") => i.level = sheet_level(&v).map_or(v, |l| l.code().to_string()),
            Some("certified_on") => i.certified_on = sheet_date(&v).map_or(v, |d| d.to_string()),
            Some("certificate_no") => i.certificate_no = v,
            Some("issuer") => i.issuer = v,
            Some("direct_reason") => i.direct_reason = Some(v).filter(|r| !r.is_empty()),
            _ => {}
        }
    }
    line
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cells(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn levels_are_read_by_code_title_or_grade() {
        assert_eq!(sheet_level("高级工"), Some(Level::Senior));
        assert_eq!(sheet_level(" 三级 "), Some(Level::Senior));
        assert_eq!(sheet_level("technician"), Some(Level::Technician));
        assert_eq!(sheet_level("高级技师"), Some(Level::SeniorTechnician));
        assert_eq!(sheet_level(""), None);
        assert_eq!(sheet_level("六级"), None);
    }

    #[test]
    fn a_line_fills_the_form_and_keeps_what_it_cannot_read() {
        let cols = read_headings(&cells(&["手机号", "姓名", "工种", "等级", "发证日期", "证书编号", "发证机关*", "备注"])).unwrap();
        assert_eq!(cols[7], None);
        let l = read_line(&cols, &cells(&["13900000001", "张晓静", "cy", "二级", "2019/3/1", "CY-1", "鉴定中心", "x"]));
        assert_eq!((l.phone.as_str(), l.name.as_str()), ("13900000001", "张晓静"));
        assert_eq!((l.input.level.as_str(), l.input.certified_on.as_str()), ("technician", "2019-03-01"));
        assert_eq!(l.input.direct_reason, None);
        let bad = read_line(&cols, &cells(&["1", "", "cy", "六级", "三月", "CY-2", "鉴定中心"]));
        assert_eq!((bad.input.level.as_str(), bad.input.certified_on.as_str()), ("六级", "三月"));
        assert!(bad.input.check().is_err());
    }

    #[test]
    fn missing_required_columns_are_named() {
        assert_eq!(read_headings(&cells(&["姓名", "工种", "等级"])).unwrap_err(), ["phone", "certified_on", "certificate_no", "issuer"]);
    }
}
