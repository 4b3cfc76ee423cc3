//! The rounds of 评选表彰 for staff, and the center's form to open one:
//! kind, period, eligibility, a weight per measure of the record, quota (and
//! a unit's or district's own) and the dates. The form re-renders with 422 and the message by its field.

use askama::Template;
use axum::extract::{OriginalUri, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use tongxing_domain::honours::round::{CriterionInput, GroupQuota, RoundInput, KINDS};
use tongxing_domain::honours::view::Round;
use tongxing_domain::paging::Page;
// `Action` and `Resource` are read by the templates (`c.may_everywhere`).
#[allow(unused_imports)]
use tongxing_domain::permission::{Action, Resource};
use tongxing_domain::Invalid;
use tongxing_service::Error;

use crate::extract::{CsrfForm, PageUser};
use crate::i18n::Tr;
use crate::ui::registry::kinds::{district_options, unit_options};
use crate::ui::view::{attach_errors, values_of, Chrome, Field, Kind, Pager, Values};
use crate::ui::{render, see_other, service_error};
use crate::AppState;

/// A round as a list line.
pub struct RoundLine {
    pub href: String,
    pub title: String,
    pub kind: String,
    pub period: String,
    pub stage: String,
}

impl RoundLine {
    pub fn of(tr: &Tr, r: &Round) -> RoundLine {
        RoundLine {
            href: format!("/honours/rounds/{}", r.id),
            title: r.title.clone(),
            kind: tr.t(&format!("honour.kind.{}", r.kind)),
            period: format!("{} — {}", r.period_from, r.period_to),
            stage: tr.t(&format!("honour.stage.{}", r.stage.as_str())),
        }
    }
}

#[derive(Template)]
#[template(path = "honours/rounds.html")]
struct ListPage<'a> {
    c: Chrome<'a>,
    rounds: Vec<RoundLine>,
    pager: Pager,
}

pub(super) async fn list_page(
    State(s): State<AppState>,
    p: PageUser,
    uri: OriginalUri,
    Query(q): Query<Vec<(String, String)>>,
) -> Response {
    let tr = Tr { cat: &s.cat, lang: p.lang };
    let n = q.iter().find(|(k, _)| k == "page").and_then(|(_, v)| v.parse().ok());
    let page = Page::new(n, Some(20));
    match s.svc.honour_rounds(&p.user, page).await {
        Ok(list) => {
            let view = ListPage {
                rounds: list.items.iter().map(|r| RoundLine::of(&tr, r)).collect(),
                pager: Pager::new(&tr, "/honours/rounds", &q, page, list.total),
                c: Chrome::for_page(&s, tr, &p, tr.t("honour.rounds"), &uri.0.to_string()),
            };
            render(StatusCode::OK, &view)
        }
        Err(e) => service_error(&s, p.lang, e),
    }
}

#[derive(Template)]
#[template(path = "honours/round_form.html")]
struct FormPage<'a> {
    c: Chrome<'a>,
    fields: Vec<Field>,
    /// One weight (whole percent) per measure; blank or 0: not weighed.
    weights: Vec<Field>,
    criteria_error: Option<String>,
    /// A quota of its own per unit (volunteer rounds) and per district (team rounds); blank: the round's.
    unit_quotas: Vec<QuotaField>,
    district_quotas: Vec<QuotaField>,
    quotas_error: Option<String>,
    has_errors: bool,
}

/// One unit's or district's own quota on the form.
struct QuotaField {
    name: String,
    label: String,
    value: String,
}

/// The form's quota fields of a unit (`quota_unit_{id}`) or district (`quota_district_{id}`).
const UNIT_QUOTA: &str = "quota_unit_";
const DISTRICT_QUOTA: &str = "quota_district_";

fn quota_fields(prefix: &str, groups: Vec<(String, String)>, v: &Values) -> Vec<QuotaField> {
    groups
        .into_iter()
        .map(|(id, label)| {
            let name = format!("{prefix}{id}");
            let value = v.get(&name).and_then(|x| x.first()).cloned().unwrap_or_default();
            QuotaField { name, label, value }
        })
        .collect()
}

/// The form's weight field of each measure.
const WEIGHT_FIELDS: [(&str, &str); 9] = [
    ("weight_hours", "hours"),
    ("weight_activities", "activities"),
    ("weight_needs_served", "needs_served"),
    ("weight_need_rating", "need_rating"),
    ("weight_emergency_answered", "emergency_answered"),
    ("weight_emergency_attended", "emergency_attended"),
    ("weight_care_visits", "care_visits"),
    ("weight_childcare_shifts", "childcare_shifts"),
    ("weight_training_given", "training_given"),
];

async fn form_page(s: &AppState, p: &PageUser, path: &str, v: &Values, invalid: Option<&Invalid>) -> Response {
    let tr = Tr { cat: &s.cat, lang: p.lang };
    let groups = tokio::try_join!(unit_options(&s.svc, &p.user), district_options(&s.svc, &p.user));
    let (units, districts) = match groups {
        Ok(g) => g,
        Err(e) => return service_error(s, p.lang, e),
    };
    let kinds = KINDS.iter().map(|k| (k.to_string(), tr.t(&format!("honour.kind.{k}"))));
    let mut fields = vec![
        Field::new(&tr, "title", Kind::Text, true, v).labelled(&tr, "honour.title"),
        Field::new(&tr, "kind", Kind::Select { numeric: false }, true, v).labelled(&tr, "honour.kind").with_options(v, kinds),
        Field::new(&tr, "period_from", Kind::Date, true, v).labelled(&tr, "honour.period_from"),
        Field::new(&tr, "period_to", Kind::Date, true, v).labelled(&tr, "honour.period_to"),
        Field::new(&tr, "min_hours", Kind::Number, false, v).labelled(&tr, "honour.min_hours"),
        Field::new(&tr, "min_activities", Kind::Integer, false, v).labelled(&tr, "honour.min_activities"),
        Field::new(&tr, "quota_per_unit", Kind::Integer, false, v).labelled(&tr, "honour.quota_per_unit"),
        Field::new(&tr, "nominate_until", Kind::Date, true, v).labelled(&tr, "honour.nominate_until"),
        Field::new(&tr, "notice_days", Kind::Integer, true, v).labelled(&tr, "honour.notice_days"),
    ];
    let mut weights: Vec<Field> = WEIGHT_FIELDS
        .iter()
        .map(|(name, metric)| Field::new(&tr, name, Kind::Integer, false, v).labelled(&tr, &format!("honour.metric.{metric}")))
        .collect();
    let (mut criteria_error, mut quotas_error) = (None, None);
    if let Some(inv) = invalid {
        attach_errors(&tr, &mut fields, inv);
        attach_errors(&tr, &mut weights, inv);
        let error_of = |field: &str| inv.0.iter().find(|e| e.field == field).map(|e| tr.t(&format!("error.{}", e.code)));
        criteria_error = error_of("criteria");
        quotas_error = error_of("quotas");
    }
    let status = if invalid.is_some() { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    let page = FormPage {
        fields,
        weights,
        criteria_error,
        unit_quotas: quota_fields(UNIT_QUOTA, units, v),
        district_quotas: quota_fields(DISTRICT_QUOTA, districts, v),
        quotas_error,
        has_errors: invalid.is_some(),
        c: Chrome::for_page(s, tr, p, tr.t("honour.open_round"), path),
    };
    render(status, &page)
}

pub(super) async fn new_page(State(s): State<AppState>, p: PageUser, uri: OriginalUri) -> Response {
    // A year's round by default: this year, nominations for a month, notice for the least allowed.
    let year = tongxing_domain::time::region_date(tongxing_store::now_ms()).format("%Y").to_string();
    let defaults = [
        ("kind", "volunteer".to_string()),
        ("period_from", format!("{year}-01-01")),
        ("period_to", format!("{year}-12-31")),
        ("min_hours", "20".into()),
        ("notice_days", "7".into()),
        ("weight_hours", "60".into()),
        ("weight_activities", "20".into()),
        ("weight_emergency_attended", "20".into()),
    ];
    let v = values_of(&defaults.map(|(k, x)| (k.to_string(), x)));
    form_page(&s, &p, &uri.0.to_string(), &v, None).await
}

/// The form's values as the API's input; a field that is not a number is
/// left for `RoundInput::check` to name (as out of range or missing).
fn round_input(f: &CsrfForm) -> (RoundInput, Invalid) {
    let mut bad = Invalid::default();
    let text = |k: &str| f.get(k).map(str::trim).unwrap_or_default().to_string();
    let mut number = |k: &'static str| -> Option<i64> {
        let t = text(k);
        if t.is_empty() {
            return None;
        }
        t.parse().map_err(|_| bad.push(k, "number_format")).ok()
    };
    let criteria: Vec<CriterionInput> = WEIGHT_FIELDS
        .iter()
        .filter_map(|(name, metric)| number(name).filter(|w| *w != 0).map(|weight| CriterionInput { metric: metric.to_string(), weight }))
        .collect();
    let (min_activities, quota_per_unit, notice_days) = (number("min_activities"), number("quota_per_unit"), number("notice_days"));
    let min_hours = match text("min_hours") {
        t if t.is_empty() => None,
        t => t.parse().map_err(|_| bad.push("min_hours", "number_format")).ok(),
    };
    // The own quotas of the kind of round chosen (a unit's for volunteers, a district's for teams).
    let prefix = if text("kind") == "team" { DISTRICT_QUOTA } else { UNIT_QUOTA };
    let mut quotas = Vec::new();
    for (k, x) in &f.0 {
        let (Some(id), x) = (k.strip_prefix(prefix), x.trim()) else { continue };
        if x.is_empty() {
            continue;
        }
        match (id.parse(), x.parse()) {
            (Ok(group_id), Ok(quota)) => quotas.push(GroupQuota { group_id, quota }),
            _ => bad.push("quotas", "number_format"),
        }
    }
    let input = RoundInput {
        quotas,
        title: text("title"),
        kind: text("kind"),
        period_from: text("period_from"),
        period_to: text("period_to"),
        min_hours,
        min_activities,
        criteria,
        quota_per_unit,
        nominate_until: text("nominate_until"),
        notice_days: notice_days.unwrap_or(0),
    };
    (input, bad)
}

pub(super) async fn create(State(s): State<AppState>, p: PageUser, uri: OriginalUri, f: CsrfForm) -> Response {
    let (input, mut bad) = round_input(&f);
    let v = values_of(&f.0);
    if !bad.0.is_empty() {
        if let Err(more) = input.check() {
            bad.merge(more);
        }
        return form_page(&s, &p, uri.0.path(), &v, Some(&bad)).await;
    }
    match s.svc.open_round(&p.user, &input).await {
        Ok(id) => see_other(&format!("/honours/rounds/{id}"), "round_opened"),
        Err(Error::Validation(inv)) => form_page(&s, &p, uri.0.path(), &v, Some(&inv)).await,
        Err(e) => service_error(&s, p.lang, e),
    }
}

#[cfg(test)]
mod tests {
    use tongxing_domain::honours::round::METRICS;

    #[test]
    fn the_form_has_a_weight_for_every_measure() {
        let metrics: Vec<&str> = super::WEIGHT_FIELDS.iter().map(|(_, m)| *m).collect();
        assert_eq!(metrics, METRICS);
    }
}
