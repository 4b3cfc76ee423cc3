//! A liaison enrols their unit's employees' children from a sheet, through
//! the one upload reader and the import's preview and commit
//! (`roster_import::Mode`): every line is checked by the guardian form's own
//! rules, the good ones are enrolled in one transaction with the form's
//! priority and waitlist, and each guardian gets their code by SMS.

use std::collections::{HashMap, HashSet};

use tongxing_domain::campaigns::campaign::parse_date;
use tongxing_domain::childcare::classes::Class;
use tongxing_domain::childcare::enrolment::{CheckedEnrolment, EnrolmentStatus, Facts};
use tongxing_domain::childcare::sheet::{self, SheetLine, COLUMNS};
use tongxing_domain::permission::{Action, Resource, Scope};
use tongxing_store::childcare::classes as class_store;
use tongxing_store::childcare::enrolments::{self as store, NewEnrolment};
use tongxing_store::now_ms;
use tongxing_store::registry::units;

use super::enrolment::random_code;
use crate::registry::roster_import::{headed_sheet, ImportReport, LineProblem, Mode};
use crate::{Actor, Result, Service};

/// A line that passed: its class, the checked form, unit and priority.
struct Good {
    line: usize,
    class_id: i64,
    form: CheckedEnrolment,
    unit_id: Option<i64>,
    priority: i64,
}

fn problem(row: usize, field: &str, code: &str) -> LineProblem {
    LineProblem { row, field: field.to_string(), code: code.to_string() }
}

impl Service {
    /// The sheet to fill in: the columns, and one example line.
    pub fn enrolment_template(&self, actor: &Actor) -> Result<Vec<u8>> {
        self.require(actor, Action::Import, Resource::Childcare)?;
        let headings: Vec<String> = COLUMNS.iter().map(|(_, names)| names[0].to_string()).collect();
        let example: Vec<String> = [
            "雅苑小区照辅班",
            "王小雨",
            "2017-05-01",
            "王建国",
            "13912345678",
            "",
            "是",
            "否",
            "13700001111",
            "王建国",
            "父亲",
            "13912345678",
            "李秀英",
            "外婆",
            "13700001111",
            "",
            "",
            "",
            "花生",
            "",
            "是",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        crate::export::xlsx("照辅班报名", &headings, &[example])
    }

    /// Enrols the children of a sheet (班级, 孩子姓名, 出生日期, 家长姓名,
    /// 家长手机号, 接送人1姓名 … as the template has them). A preview writes
    /// nothing; a commit writes every line only if all are good, or with
    /// `partial` the good ones. A liaison enrols their own unit's employees'
    /// children. A child already in the class is left as they are.
    pub async fn import_enrolments(&self, actor: &Actor, file_name: &str, bytes: &[u8], mode: Mode) -> Result<ImportReport> {
        let scope = self.require(actor, Action::Import, Resource::Childcare)?;
        let (sheet, cols) = match headed_sheet(file_name, bytes, sheet::read_headings).await? {
            Ok(read) => read,
            Err(refused) => return Ok(refused),
        };
        let rows = sheet.lines.len();
        let today = tongxing_domain::time::region_date(now_ms()).to_string();
        let classes = class_store::list(&self.db, None).await?;
        let unit_ids = units::ids_by_name(&self.db).await?;
        let (mut good, mut errors, mut seen) = (Vec::new(), Vec::new(), HashSet::new());
        for (line, cells) in &sheet.lines {
            let checked = sheet::read_line(&cols, cells)
                .map_err(|bad| bad.iter().map(|(f, c)| problem(*line, f, c)).collect())
                .and_then(|l| self.check_sheet_line(actor, scope, *line, &l, &classes, &today, &unit_ids));
            match checked {
                Err(mut p) => errors.append(&mut p),
                Ok(g) if !seen.insert((g.class_id, g.form.child_name.clone(), g.form.birth_date.clone())) => {
                    errors.push(problem(g.line, "child_name", "duplicate_in_file"))
                }
                Ok(g) => good.push(g),
            }
        }
        let write = mode.writes(errors.is_empty());
        if !write {
            let created = if mode == Mode::Preview { good.len() } else { 0 };
            return Ok(ImportReport { created, updated: 0, errors, rows, committed: false });
        }
        let created = self.enrol_sheet(actor, good, &classes).await?;
        let detail = format!("{file_name}: {created} enrolled or waitlisted, {} lines refused", errors.len());
        self.audit(Some(actor), "import", "childcare_enrolment", None, Some(&detail)).await?;
        Ok(ImportReport { created, updated: 0, errors, rows, committed: true })
    }

    /// One line against the open classes and the form's rules.
    #[allow(clippy::too_many_arguments)]
    fn check_sheet_line(
        &self,
        actor: &Actor,
        scope: Scope,
        line: usize,
        l: &SheetLine,
        classes: &[Class],
        today: &str,
        unit_ids: &HashMap<String, i64>,
    ) -> std::result::Result<Good, Vec<LineProblem>> {
        let named: Vec<&Class> = classes.iter().filter(|c| c.name == l.class || c.id.to_string() == l.class).collect();
        let open: Vec<&Class> = named.iter().copied().filter(|c| c.ends_on.as_str() >= today).collect();
        let class = match (open.as_slice(), named.is_empty()) {
            ([one], _) => *one,
            ([], true) => return Err(vec![problem(line, "class", if l.class.is_empty() { "required" } else { "unknown_reference" })]),
            ([], false) => return Err(vec![problem(line, "class", "term_over")]),
            _ => return Err(vec![problem(line, "class", "ambiguous_class")]),
        };
        let unit_id = match (l.unit.as_str(), scope) {
            ("", Scope::OwnUnit) => actor.unit_id,
            ("", _) => None,
            (name, _) => match unit_ids.get(name) {
                None => return Err(vec![problem(line, "guardian_unit", "unknown_reference")]),
                Some(u) if scope == Scope::OwnUnit && actor.unit_id != Some(*u) => {
                    return Err(vec![problem(line, "guardian_unit", "not_your_unit")])
                }
                Some(u) => Some(*u),
            },
        };
        let start = parse_date(&class.starts_on).unwrap_or_default();
        let form = l
            .input
            .check((class.min_age, class.max_age), start)
            .map_err(|invalid| invalid.0.iter().map(|f| problem(line, &sheet::sheet_field(&f.field), f.code)).collect::<Vec<_>>())?;
        let facts = Facts {
            member_unit: unit_id.is_some(),
            shift_worker: l.input.shift_worker,
            both_parents_on_shift: l.input.both_parents_on_shift,
        };
        Ok(Good { line, class_id: class.id, form, unit_id, priority: self.settings.childcare_priority.score(facts) })
    }

    /// Enrols the good lines, class by class and highest priority first (as
    /// the waitlist would order them), each guardian told their code; how
    /// many were new.
    async fn enrol_sheet(&self, actor: &Actor, mut good: Vec<Good>, classes: &[Class]) -> Result<usize> {
        good.sort_by_key(|g| (g.class_id, -g.priority, g.line));
        let names: HashMap<i64, &str> = classes.iter().map(|c| (c.id, c.name.as_str())).collect();
        let tell = |e: &NewEnrolment<'_>, status: EnrolmentStatus| {
            let key = if status == EnrolmentStatus::Enrolled { "sms.childcare_enrolled" } else { "sms.childcare_waitlisted" };
            let class = names.get(&e.class_id).copied().unwrap_or_default();
            self.sms_to(&e.form.guardian_phone, key, &[&e.form.child_name, class, &e.code])
        };
        // A clash of random codes is astronomically rare; the whole sheet is tried once more with fresh ones.
        let done = match store::enrol_many(&self.db, &entries(&good, actor.id), Some(&tell)).await {
            Err(tongxing_store::Error::Conflict) => store::enrol_many(&self.db, &entries(&good, actor.id), Some(&tell)).await?,
            other => other?,
        };
        Ok(done.iter().flatten().count())
    }
}

/// The good lines as enrolments to store, each with a fresh code.
fn entries(good: &[Good], by: i64) -> Vec<NewEnrolment<'_>> {
    good.iter()
        .map(|g| NewEnrolment {
            class_id: g.class_id,
            code: random_code(),
            form: &g.form,
            guardian_unit_id: g.unit_id,
            priority: g.priority,
            enrolled_by: Some(by),
        })
        .collect()
}
