//! A liaison reports for their unit's party members: ticks them in a list
//! (each to the community they live in), or uploads a sheet through the
//! import with preview (`ui::import`).

use askama::Template;
use axum::extract::{OriginalUri, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use tongxing_domain::model::User;
use tongxing_domain::permission::Resource;
use tongxing_service::campaigns::report_in::MEMBERS_SHOWN;
use tongxing_service::registry::roster_import::{ImportReport, Mode};
use tongxing_service::{Result, Service};

use super::report_in::MemberRow;
use crate::api::volunteers::{import_result, ImportResult};
use crate::extract::{CsrfForm, PageUser};
use crate::i18n::Tr;
use crate::ui::import::{routes, Importer};
use crate::ui::registry::query_value;
use crate::ui::view::Chrome;
use crate::ui::{render, see_other, service_error};
use crate::AppState;

pub fn router() -> Router<AppState> {
    Router::new().route("/report-in/unit", get(unit_page).post(report_picked)).merge(routes::<Sheet>())
}

/// A sheet of reports: 手机号, 报到小区, 党组织.
struct Sheet;
impl Importer for Sheet {
    const BASE: &'static str = "/report-in/unit/import";
    const TITLE: &'static str = "report_in.sheet_title";
    const HELP: &'static str = "report_in.sheet_help";
    const DONE: &'static str = "/report-in/unit";
    const RESOURCE: Resource = Resource::ReportIn;
    async fn run(svc: &Service, actor: &User, name: &str, bytes: &[u8], mode: Mode) -> Result<ImportReport> {
        svc.import_report_ins(actor, name, bytes, mode).await
    }
}

/// One of the unit's party members, to tick.
struct Pick {
    id: i64,
    row: MemberRow,
}

#[derive(Template)]
#[template(path = "campaigns/report_in_unit.html")]
struct UnitPage<'a> {
    more: Option<String>,
    c: Chrome<'a>,
    unit_id: i64,
    summary: String,
    picks: Vec<Pick>,
    /// What a refused tick list left undone.
    result: Option<ImportResult>,
}

async fn render_unit(
    s: &AppState,
    p: &PageUser,
    path: &str,
    unit: Option<i64>,
    result: Option<ImportResult>,
    status: StatusCode,
) -> Response {
    let tr = Tr { cat: &s.cat, lang: p.lang };
    let (unit_id, members) = match s.svc.unit_party_members(&p.user, unit).await {
        Ok(x) => x,
        Err(e) => return service_error(s, p.lang, e),
    };
    let waiting = members.items.iter().filter(|m| m.reported_at.is_none()).count();
    let page = UnitPage {
        unit_id,
        summary: tr.f2("report_in.unit_summary", members.items.len(), waiting),
        more: members.more.then(|| tr.f("report_in.more_unit", MEMBERS_SHOWN)),
        picks: members.items.iter().map(|m| Pick { id: m.volunteer_id, row: MemberRow::of(&tr, m) }).collect(),
        result,
        c: Chrome::for_page(s, tr, p, tr.t("report_in.unit_title"), path),
    };
    render(status, &page)
}

async fn unit_page(State(s): State<AppState>, p: PageUser, uri: OriginalUri, Query(q): Query<Vec<(String, String)>>) -> Response {
    let unit = query_value(&q, "unit_id").and_then(|v| v.parse().ok());
    render_unit(&s, &p, &uri.0.to_string(), unit, None, StatusCode::OK).await
}

async fn report_picked(State(s): State<AppState>, p: PageUser, uri: OriginalUri, f: CsrfForm) -> Response {
    let ids: Vec<i64> = f.0.iter().filter(|(k, _)| k == "volunteer_id").filter_map(|(_, v)| v.parse().ok()).collect();
    let unit = f.get("unit_id").and_then(|v| v.parse().ok());
    match s.svc.report_in_picked(&p.user, &ids).await {
        Ok(r) if r.errors.is_empty() => see_other(&format!("/report-in/unit?unit_id={}", unit.unwrap_or_default()), "reported"),
        Ok(r) => {
            let tr = Tr { cat: &s.cat, lang: p.lang };
            render_unit(&s, &p, uri.0.path(), unit, Some(import_result(r, &tr)), StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(e) => service_error(&s, p.lang, e),
    }
}
