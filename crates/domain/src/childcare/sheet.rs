//! A liaison's enrolment sheet: one child a line, with the columns of the
//! guardian's form (and the class), read into the same `EnrolmentInput` the
//! public form fills, so a line is checked by exactly the same rules.

use super::enrolment::{EnrolmentInput, PickupInput};
pub use crate::roster::sheet_date;
use crate::roster::{match_headings, parse_yes_no};

/// Pick-up people a sheet line may name (the form asks for at least one).
pub const SHEET_PICKUPS: usize = 3;

/// The sheet's fields and the headings each is recognised by; the first
/// heading of each is what the downloadable template writes.
pub const COLUMNS: &[(&str, &[&str])] = &[
    ("class", &["班级", "照辅班", "class"]),
    ("child_name", &["孩子姓名", "儿童姓名", "学生姓名", "child_name"]),
    ("birth_date", &["出生日期", "生日", "birth_date"]),
    ("guardian_name", &["家长姓名", "监护人姓名", "监护人", "guardian_name"]),
    ("guardian_phone", &["家长手机号", "监护人手机号", "家长手机", "guardian_phone"]),
    ("guardian_unit", &["工作单位", "单位", "guardian_unit"]),
    ("shift_worker", &["是否倒班", "倒班", "shift_worker"]),
    ("both_parents_on_shift", &["父母都倒班", "双职工倒班", "both_parents_on_shift"]),
    ("emergency_phone", &["紧急联系电话", "紧急电话", "emergency_phone"]),
    ("pickup1_name", &["接送人1姓名", "pickup1_name"]),
    ("pickup1_relation", &["接送人1关系", "pickup1_relation"]),
    ("pickup1_phone", &["接送人1手机号", "pickup1_phone"]),
    ("pickup2_name", &["接送人2姓名", "pickup2_name"]),
    ("pickup2_relation", &["接送人2关系", "pickup2_relation"]),
    ("pickup2_phone", &["接送人2手机号", "pickup2_phone"]),
    ("pickup3_name", &["接送人3姓名", "pickup3_name"]),
    ("pickup3_relation", &["接送人3关系", "pickup3_relation"]),
    ("pickup3_phone", &["接送人3手机号", "pickup3_phone"]),
    ("allergies", &["过敏情况", "过敏", "allergies"]),
    ("notes", &["健康情况和说明", "备注", "notes"]),
    ("consent", &["同意班级规定", "同意班规", "consent"]),
];

/// The columns a sheet must have.
pub const REQUIRED: [&str; 6] = ["class", "child_name", "birth_date", "guardian_name", "guardian_phone", "pickup1_name"];

/// One line read from the sheet: the form, and the class and unit as written.
#[derive(Debug, Clone, Default)]
pub struct SheetLine {
    pub class: String,
    pub unit: String,
    pub input: EnrolmentInput,
}

/// The field each column fills (`None`: a column the sheet ignores), or the
/// required fields with no column.
pub fn read_headings(headings: &[String]) -> Result<Vec<Option<&'static str>>, Vec<&'static str>> {
    match_headings(COLUMNS, &REQUIRED, headings)
}

/// Reads one data line into the form; the (field, code) of each cell that
/// cannot be read (a yes/no that is neither, a date that is no date).
pub fn read_line(cols: &[Option<&'static str>], cells: &[String]) -> Result<SheetLine, Vec<(&'static str, &'static str)>> {
    let mut line = SheetLine { input: EnrolmentInput { consent: true, ..Default::default() }, ..Default::default() };
    let mut pickups = vec![PickupInput::default(); SHEET_PICKUPS];
    let mut bad = Vec::new();
    let i = &mut line.input;
    for (col, cell) in cols.iter().zip(cells) {
        let v = cell.trim().to_string();
        let Some(field) = col else { continue };
        let mut yes_no = |f: &'static str| match parse_yes_no(&v) {
            Some(b) => b.unwrap_or(false),
            None => {
                bad.push((f, "yes_no"));
                false
            }
        };
        match *field {
            "class" => line.class = v,
            "child_name" => i.child_name = v,
            "birth_date" => {
                i.birth_date = match sheet_date(&v) {
                    Some(d) => d.to_string(),
                    None if v.is_empty() => v,
                    None => {
                        bad.push(("birth_date", "date_format"));
                        v
                    }
                }
            }
            "guardian_name" => i.guardian_name = v,
            "guardian_phone" => i.guardian_phone = v,
            "guardian_unit" => line.unit = v,
            "shift_worker" => i.shift_worker = yes_no("shift_worker"),
            "both_parents_on_shift" => i.both_parents_on_shift = yes_no("both_parents_on_shift"),
            "emergency_phone" => i.emergency_phone = Some(v),
            "allergies" => i.allergies = Some(v),
            "notes" => i.notes = Some(v),
            // A sheet without the column was consented to on paper; a cell that says no was not.
            "consent" => i.consent = v.is_empty() || yes_no("consent"),
            pickup => {
                let (k, part) = pickup_column(pickup);
                let p = &mut pickups[k];
                match part {
                    "name" => p.name = v,
                    "relation" => p.relation = v,
                    _ => p.phone = v,
                }
            }
        }
    }
    // A pick-up person is there when any of their cells is filled.
    i.pickups = pickups.into_iter().filter(|p| !(p.name.is_empty() && p.relation.is_empty() && p.phone.is_empty())).collect();
    if bad.is_empty() {
        Ok(line)
    } else {
        Err(bad)
    }
}

/// `pickup2_phone` → (1, "phone").
fn pickup_column(field: &str) -> (usize, &str) {
    let rest = field.trim_start_matches("pickup");
    let (n, part) = rest.split_once('_').unwrap_or(("1", "name"));
    (n.parse::<usize>().unwrap_or(1).clamp(1, SHEET_PICKUPS) - 1, part)
}

/// The sheet column a field of the form's checks is reported against:
/// `pickups[1].phone` → `pickup2_phone`, `guardian_unit_id` → `guardian_unit`.
pub fn sheet_field(field: &str) -> String {
    if let Some(rest) = field.strip_prefix("pickups[") {
        if let Some((k, part)) = rest.split_once("].") {
            return format!("pickup{}_{part}", k.parse::<usize>().unwrap_or(0) + 1);
        }
    }
    match field {
        "pickups" => "pickup1_name".into(),
        "guardian_unit_id" => "guardian_unit".into(),
        f => f.into(),
    }
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use super::*;

    fn cells(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn headings_are_recognised_and_missing_required_ones_named() {
        let cols = read_headings(&cells(&["班级", "孩子姓名", " 出生日期 ", "家长姓名", "家长手机号", "接送人1姓名*", "籍贯"])).unwrap();
        assert_eq!(cols[2], Some("birth_date"));
        assert_eq!(cols[5], Some("pickup1_name"));
        assert_eq!(cols[6], None);
        assert_eq!(
            read_headings(&cells(&["孩子姓名", "出生日期"])).unwrap_err(),
            ["class", "guardian_name", "guardian_phone", "pickup1_name"]
        );
    }

    #[test]
    fn dates_are_read_as_sheets_write_them() {
        let d = NaiveDate::from_ymd_opt(2017, 5, 1);
        for s in ["2017-05-01", "2017/5/1", "2017.5.1", "2017年5月1日", "42856"] {
            assert_eq!(sheet_date(s), d, "{s}");
        }
        assert_eq!(sheet_date("五月"), None);
    }

    #[test]
    fn a_line_fills_the_form_and_its_pickups() {
        let cols = read_headings(&cells(&[
            "班级",
            "孩子姓名",
            "出生日期",
            "家长姓名",
            "家长手机号",
            "是否倒班",
            "接送人1姓名",
            "接送人1关系",
            "接送人1手机号",
            "接送人2姓名",
            "接送人2手机号",
        ]))
        .unwrap();
        let line = read_line(
            &cols,
            &cells(&["一班", "王小雨", "2017/5/1", "王建国", "13912345678", "是", "王建国", "父亲", "13912345678", "李秀英", ""]),
        )
        .unwrap();
        assert_eq!((line.class.as_str(), line.input.birth_date.as_str(), line.input.shift_worker), ("一班", "2017-05-01", true));
        assert_eq!(line.input.pickups.len(), 2);
        assert!(line.input.consent, "consented on paper when the sheet has no column for it");
        let bad = read_line(&cols, &cells(&["一班", "王小雨", "去年", "王建国", "13912345678", "也许"])).unwrap_err();
        assert_eq!(bad, [("birth_date", "date_format"), ("shift_worker", "yes_no")]);
    }

    #[test]
    fn the_forms_fields_are_reported_against_the_sheets_columns() {
        assert_eq!(sheet_field("pickups[1].phone"), "pickup2_phone");
        assert_eq!(sheet_field("pickups"), "pickup1_name");
        assert_eq!(sheet_field("birth_date"), "birth_date");
    }
}
