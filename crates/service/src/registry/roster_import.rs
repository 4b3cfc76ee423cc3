//! Importing a unit's roster from .xlsx or .csv: read every line, report every
//! problem by line and column, and write all of it (or, if asked, the good
//! lines) in one transaction — never half a file by accident.

use std::collections::HashMap;

use serde::Serialize;
use tongxing_domain::permission::{self, Action, Placement, Resource, Scope};
use tongxing_domain::registry::VolunteerInput;
use tongxing_domain::roster::{self, LineError, RosterRow};
use tongxing_store::registry::{communities, teams, units, volunteers};
use utoipa::ToSchema;

use crate::upload;
use crate::{Actor, Error, Result, Service};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Check everything, write nothing.
    Preview,
    /// Write; with `partial`, the good lines even if others have errors.
    Commit { partial: bool },
}

impl Mode {
    /// Whether the checked lines are written: never in a preview; in a
    /// commit, all or nothing — unless `partial` asks for the good lines.
    pub fn writes(self, clean: bool) -> bool {
        match self {
            Mode::Preview => false,
            Mode::Commit { partial } => clean || partial,
        }
    }
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct LineProblem {
    pub row: usize,
    pub field: String,
    /// An i18n key; the web layer adds the message.
    pub code: String,
}

impl LineProblem {
    /// A problem with `row`'s `field`; `code` names it.
    pub fn new(row: usize, field: &str, code: &str) -> LineProblem {
        LineProblem { row, field: field.to_string(), code: code.to_string() }
    }
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ImportReport {
    /// Volunteers created (in a preview: that would be created).
    pub created: usize,
    pub updated: usize,
    pub errors: Vec<LineProblem>,
    /// Data lines read (the heading not counted).
    pub rows: usize,
    pub committed: bool,
}

/// A sheet read by the one upload reader, with the fields its headings
/// name (`read`: the columns, or the required fields no heading names) —
/// or, when fields are missing, the report refusing it on row 1.
pub async fn headed_sheet<C>(
    file_name: &str,
    bytes: &[u8],
    read: impl Fn(&[String]) -> std::result::Result<C, Vec<&'static str>>,
) -> Result<std::result::Result<(upload::Sheet, C), ImportReport>> {
    let sheet = upload::read_sheet(file_name, bytes).await?;
    match read(&sheet.headings) {
        Ok(cols) => Ok(Ok((sheet, cols))),
        Err(missing) => {
            let errors = missing.iter().map(|f| LineProblem::new(1, f, "missing_column")).collect();
            Ok(Err(ImportReport { created: 0, updated: 0, errors, rows: sheet.lines.len(), committed: false }))
        }
    }
}

/// What the registry knows, loaded once per file instead of once per line.
struct Lookups {
    units: HashMap<String, i64>,
    communities: HashMap<String, i64>,
    teams: HashMap<String, i64>,
    phones: HashMap<String, i64>,
    id_hashes: HashMap<String, i64>,
    /// For a writer of limited reach: every team's unit, and where every
    /// volunteer a line may update sits now (empty for the center).
    team_units: HashMap<i64, Option<i64>>,
    placements: HashMap<i64, (i64, Vec<i64>)>,
}

/// The lines that passed, with the volunteer each updates (if any).
type Accepted = Vec<(Option<i64>, volunteers::Record)>;

impl Service {
    /// `on_progress(done, total)` is called while lines are written (for the CLI's bar).
    pub async fn import_roster(
        &self,
        actor: &Actor,
        file_name: &str,
        bytes: &[u8],
        mode: Mode,
        on_progress: &(dyn Fn(usize, usize) + Send + Sync),
    ) -> Result<ImportReport> {
        let scope = self.require(actor, Action::Import, Resource::Volunteer)?;
        let sheet = upload::read_sheet(file_name, bytes).await?;
        let data: Vec<(usize, &Vec<String>)> = sheet.lines.iter().map(|(i, c)| (*i, c)).collect();
        let cols = match roster::read_headings(&sheet.headings) {
            Ok(c) => c,
            Err(errs) => return Ok(report(0, 0, errs.iter().map(problem).collect(), data.len(), false)),
        };
        let lookups = self.lookups(scope).await?;
        let (accepted, errors) = self.check_lines(actor, scope, &cols, &data, &lookups);
        let created = accepted.iter().filter(|(id, _)| id.is_none()).count();
        let updated = accepted.len() - created;
        if !mode.writes(errors.is_empty()) {
            let (c, u) = if mode == Mode::Preview { (created, updated) } else { (0, 0) };
            return Ok(report(c, u, errors, data.len(), false));
        }
        let total = accepted.len();
        volunteers::save_many_with_progress(&self.db, &accepted, &|done| on_progress(done, total)).await.map_err(|e| match e {
            tongxing_store::Error::Conflict => Error::Conflict { code: "duplicate_volunteer", field: None },
            other => other.into(),
        })?;
        let detail = format!("{file_name}: {created} created, {updated} updated, {} lines refused", errors.len());
        self.audit(Some(actor), "import", "volunteer", None, Some(&detail)).await?;
        Ok(report(created, updated, errors, data.len(), true))
    }

    async fn lookups(&self, scope: Scope) -> Result<Lookups> {
        let (phones, id_hashes) = volunteers::identity_index(&self.db).await?;
        let limited = scope != Scope::All;
        Ok(Lookups {
            units: units::ids_by_name(&self.db).await?,
            communities: communities::ids_by_name(&self.db).await?,
            teams: teams::ids_by_name(&self.db).await?,
            phones,
            id_hashes,
            team_units: if limited { teams::units_by_id(&self.db).await? } else { HashMap::new() },
            placements: if limited { volunteers::placements(&self.db).await? } else { HashMap::new() },
        })
    }

    fn check_lines(
        &self,
        actor: &Actor,
        scope: Scope,
        cols: &[Option<roster::Column>],
        data: &[(usize, &Vec<String>)],
        l: &Lookups,
    ) -> (Accepted, Vec<LineProblem>) {
        let mut accepted = Vec::with_capacity(data.len());
        let mut errors = Vec::new();
        let mut seen_phone: HashMap<String, usize> = HashMap::new();
        let mut seen_id: HashMap<String, usize> = HashMap::new();
        for (line, cells) in data {
            let row = match roster::read_row(cols, cells, *line) {
                Ok(r) => r,
                Err(e) => {
                    errors.push(problem(&e));
                    continue;
                }
            };
            match self.check_line(actor, scope, &row, l) {
                Err(problems) => errors.extend(problems),
                Ok((existing, record)) => {
                    let dup_phone = seen_phone.insert(record.phone.clone(), *line).is_some();
                    let dup_id = record.id_number_hash.as_ref().is_some_and(|h| seen_id.insert(h.clone(), *line).is_some());
                    if dup_phone || dup_id {
                        let field = if dup_phone { "phone" } else { "id_number" };
                        errors.push(LineProblem { row: *line, field: field.into(), code: "duplicate_in_file".into() });
                    } else {
                        accepted.push((existing, record));
                    }
                }
            }
        }
        (accepted, errors)
    }

    /// One line against the registry: references, field rules, identity.
    fn check_line(
        &self,
        actor: &Actor,
        scope: Scope,
        row: &RosterRow,
        l: &Lookups,
    ) -> std::result::Result<(Option<i64>, volunteers::Record), Vec<LineProblem>> {
        let mut problems = Vec::new();
        let mut flag = |field: &str, code: &str| problems.push(LineProblem { row: row.line, field: field.into(), code: code.into() });
        let unit_id = match (row.unit.as_str(), scope) {
            ("", Scope::OwnUnit) => actor.unit_id,
            (name, _) => l.units.get(name).copied(),
        };
        match unit_id {
            None if row.unit.is_empty() => flag("unit", "required"),
            None => flag("unit", "unknown_reference"),
            Some(u) if scope == Scope::OwnUnit && actor.unit_id != Some(u) => flag("unit", "not_your_unit"),
            Some(_) => {}
        }
        let community_id = l.communities.get(&row.community).copied();
        if community_id.is_none() {
            flag("community", if row.community.is_empty() { "required" } else { "unknown_reference" });
        }
        let team_ids: Vec<i64> = row.teams.iter().filter_map(|t| l.teams.get(t).copied()).collect();
        if team_ids.len() != row.teams.len() {
            flag("teams", "unknown_reference");
        }
        let input = VolunteerInput {
            name: row.name.clone(),
            phone: row.phone.clone(),
            id_number: Some(row.id_number.clone()),
            unit_id: unit_id.unwrap_or_default(),
            community_id: community_id.unwrap_or_default(),
            team_ids,
            skills: row.skills.clone(),
            party_member: row.party_member.unwrap_or(false),
            ..Default::default()
        };
        let checked = input.check();
        if let Err(invalid) = &checked {
            for f in &invalid.0 {
                flag(&f.field, f.code);
            }
        }
        let (Ok(checked), true) = (checked, problems.is_empty()) else { return Err(problems) };
        let record = self.record(&input, &checked);
        let by_phone = l.phones.get(&record.phone).copied();
        let by_id = record.id_number_hash.as_ref().and_then(|h| l.id_hashes.get(h).copied());
        let refuse = |field: &str, code: &str| Err(vec![LineProblem { row: row.line, field: field.into(), code: code.into() }]);
        let existing = match (by_phone, by_id) {
            (Some(a), Some(b)) if a != b => return refuse("id_number", "identity_mismatch"),
            (a, b) => a.or(b),
        };
        // The line writes the person it matches, and every team it names:
        // all must be within the importer's reach, as for one edit.
        let before = existing.and_then(|id| l.placements.get(&id)).map(|(unit_id, team_ids)| Placement { unit_id: *unit_id, team_ids });
        let after = Placement { unit_id: record.unit_id, team_ids: &record.team_ids };
        if !permission::may_place_volunteer(actor, scope, before, after, |t| l.team_units.get(&t).copied().flatten()) {
            return refuse(if before.is_some_and(|b| actor.unit_id != Some(b.unit_id)) { "phone" } else { "teams" }, "not_your_unit");
        }
        Ok((existing, record))
    }
}

fn problem(e: &LineError) -> LineProblem {
    LineProblem { row: e.line, field: e.field.into(), code: e.code.into() }
}

fn report(created: usize, updated: usize, errors: Vec<LineProblem>, rows: usize, committed: bool) -> ImportReport {
    ImportReport { created, updated, errors, rows, committed }
}

impl Service {
    /// Keeps an uploaded roster between preview and commit; returns its token.
    pub async fn stash_upload(&self, actor: &Actor, file_name: &str, bytes: &[u8]) -> Result<String> {
        use rand::RngCore;
        self.require(actor, Action::Import, Resource::Volunteer)?;
        let _ = tongxing_store::registry::imports::prune(&self.db).await;
        let mut b = [0u8; 16];
        rand::thread_rng().fill_bytes(&mut b);
        let token = hex::encode(b);
        tongxing_store::registry::imports::put(&self.db, &token, actor.id, file_name, bytes).await?;
        Ok(token)
    }

    /// The upload under `token`, if it is the actor's.
    pub async fn stashed_upload(&self, actor: &Actor, token: &str) -> Result<Option<(String, Vec<u8>)>> {
        Ok(tongxing_store::registry::imports::get(&self.db, token, actor.id).await?)
    }

    /// Forgets an upload once it has been imported.
    pub async fn drop_upload(&self, token: &str) -> Result<()> {
        Ok(tongxing_store::registry::imports::delete(&self.db, token).await?)
    }
}
