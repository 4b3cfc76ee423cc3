//! A unit's sheet of certifications, with the import's preview.

use tongxing_domain::model::User;
use tongxing_domain::permission::Resource;
use tongxing_service::registry::roster_import::{ImportReport, Mode};
use tongxing_service::{Result, Service};

pub(super) struct CertificationSheet;
impl crate::ui::import::Importer for CertificationSheet {
    const BASE: &'static str = "/skills/certifications/import";
    const TITLE: &'static str = "skills.import_title";
    const HELP: &'static str = "skills.import_help";
    const DONE: &'static str = "/skills";
    const RESOURCE: Resource = Resource::Skill;
    const TEMPLATE: Option<&'static str> = Some("/api/v1/skills/certifications/import/template");
    async fn run(svc: &Service, actor: &User, name: &str, bytes: &[u8], mode: Mode) -> Result<ImportReport> {
        svc.import_certifications(actor, name, bytes, mode).await
    }
}
