//! A unit enters its people's certifications from a sheet, through the one
//! upload reader and the import's preview and commit (`roster_import::Mode`):
//! every line is checked by the form's own rules and the ladder's order
//! (lines of one person and trade in level order, after what is stored),
//! and the good lines are written in one transaction — all or nothing
//! unless `partial` asks for the good ones.

use std::collections::hash_map::Entry;
use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use tongxing_domain::campaigns::campaign::parse_date;
use tongxing_domain::permission::{Action, Resource, Scope};
use tongxing_domain::phone;
use tongxing_domain::skills::ladder::{judge_step, Level};
use tongxing_domain::skills::sheet::{self, CertLine, COLUMNS};
use tongxing_store::registry::volunteers;
use tongxing_store::skills::ladder::{self as store, NewCertification, TradeRow};

use crate::registry::roster_import::{headed_sheet, ImportReport, LineProblem, Mode};
use crate::registry::volunteers::region_today;
use crate::{Actor, Error, Result, Service};

/// A line whose own checks passed, before the ladder's order is judged.
struct Checked {
    line: usize,
    level: Level,
    on: NaiveDate,
    direct: bool,
    cert: NewCertification,
}

impl Service {
    /// The sheet to fill in: the columns, and one example line.
    pub fn certification_template(&self, actor: &Actor) -> Result<Vec<u8>> {
        self.require(actor, Action::Import, Resource::Skill)?;
        let headings: Vec<String> = COLUMNS.iter().map(|(_, names)| names[0].to_string()).collect();
        let example = ["13900000001", "张晓静", "cy", "高级工", "2019-03-01", "CY-2019-0001", "胜利油田职业技能鉴定中心", ""];
        crate::export::xlsx("技能等级证书", &headings, &[example.iter().map(|s| s.to_string()).collect()])
    }

    /// Records the certifications of a sheet (手机号, 姓名, 工种, 等级,
    /// 发证日期, 证书编号, 发证机关, 破格理由). A liaison enters their own
    /// unit's people. A preview writes nothing.
    pub async fn import_certifications(&self, actor: &Actor, file_name: &str, bytes: &[u8], mode: Mode) -> Result<ImportReport> {
        let scope = self.require(actor, Action::Import, Resource::Skill)?;
        let (sheet, cols) = match headed_sheet(file_name, bytes, sheet::read_headings).await? {
            Ok(read) => read,
            Err(refused) => return Ok(refused),
        };
        let rows = sheet.lines.len();
        let (phones, _) = volunteers::identity_index(&self.db).await?;
        let trades = store::trades(&self.db).await?;
        let (mut checked, mut errors, mut numbers) = (Vec::new(), Vec::new(), HashSet::new());
        for (line, cells) in &sheet.lines {
            let l = sheet::read_line(&cols, cells);
            match self.check_cert_line(actor, scope, *line, &l, &phones, &trades).await? {
                Err(mut p) => errors.append(&mut p),
                Ok(c) if !numbers.insert((c.cert.issuer.clone(), c.cert.certificate_no.clone())) => {
                    errors.push(LineProblem::new(c.line, "certificate_no", "duplicate_in_file"))
                }
                Ok(c) => checked.push(c),
            }
        }
        let good = self.in_ladder_order(checked, &mut errors).await?;
        errors.sort_by_key(|p| p.row);
        if !mode.writes(errors.is_empty()) {
            let created = if mode == Mode::Preview { good.len() } else { 0 };
            return Ok(ImportReport { created, updated: 0, errors, rows, committed: false });
        }
        store::insert(&self.db, &good).await.map_err(|e| match e {
            tongxing_store::Error::Conflict => Error::Conflict { code: "duplicate_certificate", field: Some("certificate_no") },
            other => other.into(),
        })?;
        let detail = format!("{file_name}: {} certifications, {} lines refused", good.len(), errors.len());
        self.audit(Some(actor), "import", "skill_certification", None, Some(&detail)).await?;
        Ok(ImportReport { created: good.len(), updated: 0, errors, rows, committed: true })
    }

    /// One line on its own: the form's rules, the person (in reach, and
    /// named as the registry names them), the trade, the issuer's number.
    async fn check_cert_line(
        &self,
        actor: &Actor,
        scope: Scope,
        line: usize,
        l: &CertLine,
        phones: &HashMap<String, i64>,
        trades: &[TradeRow],
    ) -> Result<std::result::Result<Checked, Vec<LineProblem>>> {
        let (level, on) = match l.input.check() {
            Ok(ok) => ok,
            Err(bad) => return Ok(Err(bad.0.iter().map(|f| LineProblem::new(line, &f.field, f.code)).collect())),
        };
        let Some(person) = phone::normalize(&l.phone).and_then(|p| phones.get(&p).copied()) else {
            return Ok(Err(vec![LineProblem::new(line, "phone", if l.phone.is_empty() { "required" } else { "unknown_reference" })]));
        };
        let v = match self.volunteer_in_scope(actor, scope, person).await {
            Ok(v) => v,
            Err(Error::Forbidden | Error::NotFound) => return Ok(Err(vec![LineProblem::new(line, "phone", "not_your_unit")])),
            Err(e) => return Err(e),
        };
        if !l.name.is_empty() && l.name != v.name {
            return Ok(Err(vec![LineProblem::new(line, "name", "name_mismatch")]));
        }
        let t = l.input.trade.trim();
        let Some(trade) = trades.iter().find(|x| x.code == t || x.name == t) else {
            return Ok(Err(vec![LineProblem::new(line, "trade", "unknown_reference")]));
        };
        let (issuer, number) = (l.input.issuer.trim().to_string(), l.input.certificate_no.trim().to_string());
        if store::number_taken(&self.db, &issuer, &number).await? {
            return Ok(Err(vec![LineProblem::new(line, "certificate_no", "duplicate_certificate")]));
        }
        let cert = NewCertification {
            volunteer_id: person,
            trade_id: trade.id,
            level: level.rank(),
            certified_on: on.to_string(),
            certificate_no: number,
            issuer,
            direct_reason: l.input.direct_reason.clone(),
            by: Some(actor.id),
        };
        Ok(Ok(Checked { line, level, on, direct: l.input.direct(), cert }))
    }

    /// The lines of each person and trade, lowest level first, each judged
    /// against the stored highest and the lines before it (`judge_step`).
    async fn in_ladder_order(&self, mut checked: Vec<Checked>, errors: &mut Vec<LineProblem>) -> Result<Vec<NewCertification>> {
        checked.sort_by_key(|c| (c.cert.volunteer_id, c.cert.trade_id, c.level, c.line));
        let today = region_today();
        let (mut good, mut held) = (Vec::new(), HashMap::new());
        for c in checked {
            let key = (c.cert.volunteer_id, c.cert.trade_id);
            if let Entry::Vacant(slot) = held.entry(key) {
                let stored = store::highest(&self.db, key.0, key.1).await?;
                slot.insert(stored.and_then(|(l, d)| Some((Level::from_rank(l)?, parse_date(&d)?))));
            }
            match judge_step(held[&key], c.level, c.on, c.direct, today) {
                Ok(()) => {
                    held.insert(key, Some((c.level, c.on)));
                    good.push(c.cert);
                }
                Err(bad) => errors.extend(bad.0.iter().map(|f| LineProblem::new(c.line, &f.field, f.code))),
            }
        }
        Ok(good)
    }
}
