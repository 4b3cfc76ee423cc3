//! A liaison reports for their unit's party members in bulk: picked from a
//! list (each to the community they live in), or from a sheet read by the
//! one upload reader with the import's preview (`roster_import::Mode`).

use std::collections::HashMap;

use tongxing_domain::campaigns::report_in::{self as rules, Outcome, ReportInInput};
use tongxing_domain::permission::{Action, Resource, Scope};
use tongxing_domain::phone;
use tongxing_store::campaigns::party_orgs as orgs;
use tongxing_store::campaigns::report_in::{self as reports, Members, NewReport};
use tongxing_store::registry::{communities, volunteers};

use crate::registry::roster_import::{ImportReport, LineProblem, Mode};
use crate::upload;
use crate::{Actor, Error, Result, Service};

/// A line to judge: (sheet line, volunteer, what they report).
type Wanted = (usize, i64, ReportInInput);

impl Service {
    /// The unit whose party members the actor reports for: a liaison's own,
    /// or (for the center) the one asked for.
    pub fn report_unit(&self, actor: &Actor, asked: Option<i64>) -> Result<i64> {
        match self.require(actor, Action::Write, Resource::ReportIn)? {
            Scope::OwnUnit => actor.unit_id.ok_or(Error::Forbidden),
            Scope::All => asked.ok_or(Error::Validation(tongxing_domain::Invalid::one("unit_id", "required"))),
            _ => Err(Error::Forbidden),
        }
    }

    /// A unit's party members and where each reported.
    pub async fn unit_party_members(&self, actor: &Actor, unit_id: Option<i64>) -> Result<(i64, Members)> {
        let unit = self.report_unit(actor, unit_id)?;
        Ok((unit, reports::unit_members(&self.db, unit, super::report_in::MEMBERS_SHOWN).await?))
    }

    /// Reports each picked member to the community they live in.
    pub async fn report_in_picked(&self, actor: &Actor, ids: &[i64]) -> Result<ImportReport> {
        let mut wanted = Vec::new();
        for (k, id) in ids.iter().enumerate() {
            let v = volunteers::get(&self.db, *id).await?;
            wanted.push((k + 1, *id, ReportInInput { community_id: v.community_id, party_org_id: None }));
        }
        self.report_lines(actor, &wanted, ids.len(), Mode::Commit { partial: true }).await
    }

    /// Reports from a sheet (手机号, 报到小区, 党组织): in a preview nothing is
    /// written; a commit writes every good line only if all are good, or
    /// with `partial` the good ones.
    pub async fn import_report_ins(&self, actor: &Actor, file_name: &str, bytes: &[u8], mode: Mode) -> Result<ImportReport> {
        self.require(actor, Action::Import, Resource::ReportIn)?;
        let sheet = upload::read_sheet(file_name, bytes).await?;
        let data = &sheet.lines;
        let cols = match rules::sheet_columns(&sheet.headings) {
            Ok(c) => c,
            Err(field) => return Ok(empty_report(vec![problem(1, field, "missing_column")], data.len())),
        };
        let (phones, _) = volunteers::identity_index(&self.db).await?;
        let places = communities::ids_by_name(&self.db).await?;
        let named_orgs = orgs::ids_by_name(&self.db).await?;
        let (mut wanted, mut bad) = (Vec::new(), Vec::new());
        let cell = |cells: &Vec<String>, i: usize| cells.get(i).map(|s| s.trim().to_string()).unwrap_or_default();
        for (line, cells) in data {
            let volunteer = phone::normalize(&cell(cells, cols.phone)).and_then(|p| phones.get(&p).copied());
            let community = places.get(&cell(cells, cols.community)).copied();
            let org_name = cols.party_org.map(|i| cell(cells, i)).filter(|s| !s.is_empty());
            let org = org_name.as_ref().map(|n| named_orgs.get(n).map(|(id, _)| *id));
            match (volunteer, community, org) {
                (None, _, _) => bad.push(problem(*line, "phone", "unknown_reference")),
                (_, None, _) => bad.push(problem(*line, "community_id", "unknown_reference")),
                (_, _, Some(None)) => bad.push(problem(*line, "party_org_id", "unknown_reference")),
                (Some(v), Some(c), org) => wanted.push((*line, v, ReportInInput { community_id: c, party_org_id: org.flatten() })),
            }
        }
        let effective = mode_if_clean(mode, bad.is_empty());
        let mut r = self.report_lines(actor, &wanted, data.len(), effective).await?;
        if effective != mode {
            (r.created, r.updated) = (0, 0);
        }
        bad.append(&mut r.errors);
        bad.sort_by_key(|p| p.row);
        r.errors = bad;
        Ok(r)
    }

    /// Judges every line as one report would be, then records the good ones
    /// in one transaction when `mode` says so.
    async fn report_lines(&self, actor: &Actor, wanted: &[Wanted], rows: usize, mode: Mode) -> Result<ImportReport> {
        let scope = self.require(actor, Action::Write, Resource::ReportIn)?;
        let org_places: HashMap<i64, i64> = orgs::ids_by_name(&self.db).await?.into_values().collect();
        let (mut good, mut errors, mut first) = (Vec::<NewReport>::new(), Vec::new(), 0);
        for &(line, id, input) in wanted {
            let v = match self.volunteer_in_scope(actor, scope, id).await {
                Ok(v) => v,
                Err(Error::Forbidden | Error::NotFound) => {
                    errors.push(problem(line, "phone", "not_your_unit"));
                    continue;
                }
                Err(e) => return Err(e),
            };
            let current = reports::current(&self.db, id).await?;
            let org_community = input.party_org_id.and_then(|o| org_places.get(&o).copied());
            match rules::judge(v.party_member, current, input, org_community) {
                Ok(Outcome::Same) => {}
                Ok(o) => {
                    first += usize::from(o == Outcome::First);
                    good.push((id, input.community_id, input.party_org_id));
                }
                Err(inv) => errors.extend(inv.0.iter().map(|e| problem(line, &e.field, e.code))),
            }
        }
        let changed = good.len() - first;
        let write = mode.writes(errors.is_empty());
        if write && !good.is_empty() {
            self.record_reports(actor, &good).await?;
        }
        let (created, updated) = if write || mode == Mode::Preview { (first, changed) } else { (0, 0) };
        Ok(ImportReport { created, updated, errors, rows, committed: write })
    }
}

/// A commit of a sheet with unreadable lines writes nothing unless partial.
fn mode_if_clean(mode: Mode, clean: bool) -> Mode {
    match mode {
        Mode::Commit { partial: false } if !clean => Mode::Preview,
        m => m,
    }
}

fn problem(row: usize, field: &str, code: &str) -> LineProblem {
    LineProblem { row, field: field.to_string(), code: code.to_string() }
}

fn empty_report(errors: Vec<LineProblem>, rows: usize) -> ImportReport {
    ImportReport { created: 0, updated: 0, errors, rows, committed: false }
}
