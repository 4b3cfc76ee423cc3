//! Drawings, photos and PDFs on the problem board: uploaded by whoever may
//! record the problem's steps, seen by whoever sees the problem.

use tongxing_domain::permission::{Action, Resource, Scope};
use tongxing_domain::skills::attachments::{self as rules, FileKind, MAX_ATTACHMENTS_PER_PROBLEM, MAX_ATTACHMENT_BYTES};
use tongxing_domain::skills::views::{Problem, ProblemAttachment};
use tongxing_domain::Invalid;
use tongxing_store::skills::attachments::{self as store, NewAttachment};
use tongxing_store::skills::problems;

use crate::{Actor, Error, Result, Service};

/// A file to send: what it is and its bytes.
#[derive(Debug, Clone)]
pub struct AttachmentFile {
    pub attachment: ProblemAttachment,
    pub kind: FileKind,
    pub bytes: Vec<u8>,
}

impl Service {
    /// Keeps a file on a problem or one of its steps. Those who may record
    /// the steps may (the holding team's leader, the center), and the first
    /// proposer on the problem itself. Over 5 MiB
    /// is 413; an unknown step, an empty file or one that is not JPEG, PNG,
    /// WebP or PDF by its bytes, or a 21st file is 422 with the field.
    pub async fn attach_to_problem(&self, actor: &Actor, id: i64, step: &str, name: &str, bytes: &[u8]) -> Result<ProblemAttachment> {
        self.require(actor, Action::Write, Resource::Problem)?;
        let p = problems::get(&self.db, id).await?;
        if !self.may_attach(actor, &p, step.trim()) {
            return Err(Error::Forbidden);
        }
        if p.merged_into.is_some() {
            return Err(Error::Conflict { code: "problem_merged", field: None });
        }
        if bytes.len() > MAX_ATTACHMENT_BYTES {
            return Err(Error::TooLarge("attachment_too_large"));
        }
        let kind = rules::judge(step.trim(), bytes)?;
        let file_name = rules::display_name(name, &format!("{}.{}", step.trim(), kind.extension()));
        let a = NewAttachment {
            problem_id: id,
            step: step.trim(),
            file_name: &file_name,
            content_type: kind.content_type(),
            bytes,
            by: actor.id,
        };
        let Some(aid) = store::insert(&self.db, &a, MAX_ATTACHMENTS_PER_PROBLEM).await? else {
            return Err(Invalid::one("file", "too_many_attachments").into());
        };
        self.audit(Some(actor), "attach", "skill_problem", Some(id), Some(&format!("attachment {aid} {}", kind.extension()))).await?;
        Ok(store::get(&self.db, id, aid).await?)
    }

    /// Whether the actor may attach files to a problem's `step`: as for
    /// recording the steps, the center or the leader of the team holding it;
    /// and to the problem itself, its first proposer too.
    pub fn may_attach(&self, actor: &Actor, p: &Problem, step: &str) -> bool {
        match self.require(actor, Action::Write, Resource::Problem) {
            Ok(Scope::All) => true,
            Ok(Scope::OwnTeam) if p.team_id.is_some() && p.team_id == actor.team_id => true,
            Ok(_) => step == "problem" && actor.volunteer_id == Some(p.proposer_id),
            Err(_) => false,
        }
    }

    /// Whether the actor may remove a file: its uploader, or the center.
    pub fn may_delete_attachment(&self, actor: &Actor, a: &ProblemAttachment) -> bool {
        match self.require(actor, Action::Write, Resource::Problem) {
            Ok(Scope::All) => true,
            Ok(_) => a.uploaded_by == actor.id,
            Err(_) => false,
        }
    }

    /// A problem's files (without their bytes).
    pub async fn problem_attachments(&self, actor: &Actor, id: i64) -> Result<Vec<ProblemAttachment>> {
        self.require(actor, Action::Read, Resource::Problem)?;
        problems::get(&self.db, id).await?;
        Ok(store::of_problem(&self.db, id).await?)
    }

    /// One file with its bytes, for whoever may see the problem.
    pub async fn problem_attachment(&self, actor: &Actor, id: i64, attachment: i64) -> Result<AttachmentFile> {
        self.require(actor, Action::Read, Resource::Problem)?;
        let a = store::get(&self.db, id, attachment).await?;
        let kind = FileKind::from_content_type(&a.content_type)
            .ok_or_else(|| Error::Internal(format!("attachment {attachment}: unknown type")))?;
        let bytes = store::bytes(&self.db, id, attachment).await?;
        Ok(AttachmentFile { attachment: a, kind, bytes })
    }

    /// Removes a file: its uploader, or the center.
    pub async fn delete_problem_attachment(&self, actor: &Actor, id: i64, attachment: i64) -> Result<()> {
        self.require(actor, Action::Write, Resource::Problem)?;
        let a = store::get(&self.db, id, attachment).await?;
        if !self.may_delete_attachment(actor, &a) {
            return Err(Error::Forbidden);
        }
        if !store::delete(&self.db, id, attachment).await? {
            return Err(Error::NotFound);
        }
        self.audit(Some(actor), "detach", "skill_problem", Some(id), Some(&format!("attachment {attachment}"))).await?;
        Ok(())
    }
}
