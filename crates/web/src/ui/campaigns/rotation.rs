//! Editing the rotation on the campaign's page: generate the default plan,
//! add or move a slot by hand (422 beside the field), delete one.

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::routing::post;
use axum::Router;
use tongxing_domain::campaigns::campaign::SlotInput;
use tongxing_domain::campaigns::view::{Campaign, ClashView};
use tongxing_domain::Invalid;
use tongxing_service::Error;

use super::campaign::{theme_labels, CampaignPage};
use crate::extract::{CsrfForm, PageUser};
use crate::i18n::Tr;
use crate::ui::ical::feed_urls;
use crate::ui::view::{Chrome, Opt};
use crate::ui::{render, see_other, service_error};
use crate::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/campaigns/{id}/slots", post(add))
        .route("/campaigns/{id}/slots/{slot_id}", post(edit))
        .route("/campaigns/{id}/slots/{slot_id}/delete", post(delete))
}

/// A slot in the rotation grid.
pub struct Cell {
    pub id: i64,
    pub theme: String,
    pub theme_label: String,
    pub status: &'static str,
    pub status_label: String,
    pub activities: i64,
}

/// The slot form's state: which slot is edited, what was sent, what was wrong.
pub struct SlotForm {
    pub editing: Option<i64>,
    pub values: Option<Vec<(String, String)>>,
    pub invalid: Option<Invalid>,
}

fn clash_text(tr: &Tr, k: &Campaign, x: &ClashView) -> String {
    let district = |id: Option<i64>| {
        k.progress.by_district.iter().find(|d| Some(d.district_id) == id).map_or(String::new(), |d| d.district_name.clone())
    };
    let slot_district =
        |i: usize| x.slot_ids.get(i).and_then(|id| k.slots.iter().find(|s| s.id == *id)).map_or(String::new(), |s| s.district_name.clone());
    match x.kind {
        "same_theme" => tr.f2(
            "campaign.clash_same_theme",
            format!("{}、{}", slot_district(0), slot_district(1)),
            tr.t(&format!("theme.{}", x.theme.clone().unwrap_or_default())),
        ),
        "overlap" => tr.f("campaign.clash_overlap", district(x.district_id)),
        _ => tr.f("campaign.clash_no_slot", district(x.district_id)),
    }
}

/// The campaign's page with the slot form in the state given.
pub(super) async fn slot_form(s: &AppState, p: &PageUser, path: &str, headers: &HeaderMap, id: i64, f: SlotForm) -> Response {
    let tr = Tr { cat: &s.cat, lang: p.lang };
    let (k, districts) = match tokio::try_join!(s.svc.campaign(&p.user, id, tongxing_store::now_ms()), district_options(s, p)) {
        Ok(x) => x,
        Err(e) => return service_error(s, p.lang, e),
    };
    let values = f.values.unwrap_or_else(|| match f.editing.and_then(|e| k.slots.iter().find(|x| x.id == e)) {
        Some(x) => vec![
            ("district_id".into(), x.district_id.to_string()),
            ("theme".into(), x.theme.clone()),
            ("starts_on".into(), x.starts_on.clone()),
            ("ends_on".into(), x.ends_on.clone()),
        ],
        None => Vec::new(),
    });
    let chosen = |key: &str| values.iter().find(|(x, _)| x == key).map(|(_, v)| v.clone()).unwrap_or_default();
    let districts = districts.into_iter().map(|(v, l)| Opt { selected: v == chosen("district_id"), value: v, label: l }).collect();
    let theme_opts =
        theme_labels(&tr, &k.themes).into_iter().map(|(v, l)| Opt { selected: v == chosen("theme"), value: v, label: l }).collect();
    let mut periods: Vec<String> = k.slots.iter().map(|x| format!("{}~{}", &x.starts_on[5..], &x.ends_on[5..])).collect();
    periods.dedup();
    let grid = k
        .progress
        .by_district
        .iter()
        .map(|d| {
            let cells = periods
                .iter()
                .map(|per| {
                    k.slots
                        .iter()
                        .filter(|x| x.district_id == d.district_id && &format!("{}~{}", &x.starts_on[5..], &x.ends_on[5..]) == per)
                        .map(|x| Cell {
                            id: x.id,
                            theme: x.theme.clone(),
                            theme_label: tr.t(&format!("theme.{}", x.theme)),
                            status: x.status.as_str(),
                            status_label: tr.t(&format!("slot.{}", x.status.as_str())),
                            activities: x.activities,
                        })
                        .collect()
                })
                .collect();
            (d.district_name.clone(), cells)
        })
        .collect();
    let goals = k
        .goals
        .iter()
        .map(|g| {
            let scope = match (&g.theme, g.district_id) {
                (Some(t), _) => tr.t(&format!("theme.{t}")),
                (None, Some(d)) => {
                    k.progress.by_district.iter().find(|x| x.district_id == d).map_or(String::new(), |x| x.district_name.clone())
                }
                (None, None) => tr.t("campaign.overall"),
            };
            (format!("{} · {}", scope, tr.t(&format!("campaign.goal_{}", g.metric))), format!("{} / {}", g.actual, g.target), g.percent())
        })
        .collect();
    let clashes = k.clashes.iter().map(|x| clash_text(&tr, &k, x)).collect();
    let feed_url = match s.svc.campaign_feed_token(&p.user, id).await {
        Ok(t) => feed_urls(headers, s.secure_cookies, &t).1,
        Err(e) => return service_error(s, p.lang, e),
    };
    let errors =
        f.invalid.as_ref().map_or(Vec::new(), |i| i.0.iter().map(|e| (e.field.clone(), tr.t(&format!("error.{}", e.code)))).collect());
    let status = if f.invalid.is_some() { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    let slot_action = f.editing.map_or(format!("/campaigns/{id}/slots"), |e| format!("/campaigns/{id}/slots/{e}"));
    let themes = theme_labels(&tr, &k.themes);
    let c = Chrome::for_page(s, tr, p, k.name.clone(), path);
    let may_write = c.may_everywhere(tongxing_domain::permission::Action::Write, tongxing_domain::permission::Resource::Campaign);
    let page = CampaignPage {
        c,
        themes,
        goals,
        clashes,
        periods,
        grid,
        may_write,
        feed_url,
        slot_action,
        editing: f.editing,
        districts,
        theme_opts,
        values,
        errors,
        k,
    };
    render(status, &page)
}

async fn district_options(s: &AppState, p: &PageUser) -> tongxing_service::Result<Vec<(String, String)>> {
    let all = tongxing_domain::paging::Page { page: 1, per_page: 500 };
    Ok(s.svc.list_districts(&p.user, &Default::default(), all).await?.items.into_iter().map(|d| (d.id.to_string(), d.name)).collect())
}

fn read(f: &CsrfForm) -> (SlotInput, Invalid) {
    let get = |k: &str| f.get(k).unwrap_or("").trim().to_string();
    let mut bad = Invalid::default();
    let district_id = get("district_id").parse().unwrap_or_else(|_| {
        bad.push("district_id", "required");
        0
    });
    (SlotInput { district_id, theme: get("theme"), starts_on: get("starts_on"), ends_on: get("ends_on") }, bad)
}

async fn save(s: &AppState, p: &PageUser, headers: &HeaderMap, id: i64, slot: Option<i64>, f: CsrfForm) -> Response {
    let path = format!("/campaigns/{id}");
    let (input, bad) = read(&f);
    let result = if bad.is_empty() { s.svc.save_slot(&p.user, id, slot, &input).await } else { Err(Error::Validation(bad)) };
    match result {
        Ok(_) => see_other(&format!("{path}#rotation"), "saved"),
        Err(Error::Validation(inv)) => {
            slot_form(s, p, &path, headers, id, SlotForm { editing: slot, values: Some(f.0), invalid: Some(inv) }).await
        }
        Err(e) => service_error(s, p.lang, e),
    }
}

async fn add(State(s): State<AppState>, p: PageUser, headers: HeaderMap, Path(id): Path<i64>, f: CsrfForm) -> Response {
    save(&s, &p, &headers, id, None, f).await
}

async fn edit(State(s): State<AppState>, p: PageUser, headers: HeaderMap, Path((id, slot)): Path<(i64, i64)>, f: CsrfForm) -> Response {
    save(&s, &p, &headers, id, Some(slot), f).await
}

async fn delete(State(s): State<AppState>, p: PageUser, Path((id, slot)): Path<(i64, i64)>, _f: CsrfForm) -> Response {
    match s.svc.delete_slot(&p.user, id, slot).await {
        Ok(()) => see_other(&format!("/campaigns/{id}"), "saved"),
        Err(e) => service_error(&s, p.lang, e),
    }
}

/// Replaces the rotation with the generated default.
pub(super) async fn generate(State(s): State<AppState>, p: PageUser, Path(id): Path<i64>, _f: CsrfForm) -> Response {
    match s.svc.generate_rotation(&p.user, id).await {
        Ok(_) => see_other(&format!("/campaigns/{id}"), "saved"),
        Err(e) => service_error(&s, p.lang, e),
    }
}
