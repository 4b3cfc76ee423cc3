//! The campaign calendar pages — 月月有活动，季季有主题: a month (hosts,
//! gaps with a link to plan an activity there, activities by day) and a year
//! of months. Both print on A4 landscape.

use askama::Template;
use axum::extract::{OriginalUri, Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use tongxing_domain::campaigns::calendar::{month_span, shift_month, Gap};
use tongxing_service::campaigns::calendar::Host;

use crate::extract::PageUser;
use crate::i18n::Tr;
use crate::ui::view::Chrome;
use crate::ui::{render, service_error};
use crate::AppState;

pub fn router() -> Router<AppState> {
    Router::new().route("/campaigns/{id}/calendar", get(month)).route("/campaigns/{id}/year", get(year))
}

/// An activity on the month page: (id, title, theme, theme label, community).
type DayLine = (i64, String, String, String, String);

#[derive(Template)]
#[template(path = "campaigns/calendar.html")]
struct MonthPage<'a> {
    c: Chrome<'a>,
    id: i64,
    label: String,
    prev: String,
    next: String,
    /// (district, theme, theme label, status, status label, days).
    hosts: Vec<(String, String, String, String, String, String)>,
    /// (what is missing, the plan link).
    gaps: Vec<(String, String)>,
    /// (day, [(id, title, theme, theme label, community)]).
    days: Vec<(String, Vec<DayLine>)>,
}

struct MonthCard {
    month: String,
    label: String,
    hosts: Vec<(String, String, String)>,
    themes: Vec<(String, String, i64)>,
    gaps: Vec<(String, String)>,
}

#[derive(Template)]
#[template(path = "campaigns/year.html")]
struct YearPage<'a> {
    c: Chrome<'a>,
    id: i64,
    months: Vec<MonthCard>,
}

fn theme(tr: &Tr, t: &str) -> String {
    tr.t(&format!("theme.{t}"))
}

/// A gap as a sentence and the link that plans an activity into it.
fn gap(tr: &Tr, g: &Gap, district_name: impl Fn(i64) -> String) -> (String, String) {
    match g.district_id {
        Some(d) => (
            tr.f2("campaign.gap_host", district_name(d), theme(tr, &g.theme)),
            format!("/activities/new?district_id={d}&theme={}&date={}", g.theme, g.date),
        ),
        None => (tr.f("campaign.gap_theme", theme(tr, &g.theme)), format!("/activities/new?theme={}&date={}", g.theme, g.date)),
    }
}

fn host_name(hosts: &[Host]) -> impl Fn(i64) -> String + '_ {
    move |d| hosts.iter().find(|h| h.district_id == d).map_or(String::new(), |h| h.district_name.clone())
}

async fn month(
    State(s): State<AppState>,
    p: PageUser,
    uri: OriginalUri,
    Path(id): Path<i64>,
    Query(q): Query<Vec<(String, String)>>,
) -> Response {
    let tr = Tr { cat: &s.cat, lang: p.lang };
    let now = tongxing_store::now_ms();
    let month = q
        .iter()
        .find(|(k, _)| k == "month")
        .map(|(_, v)| v.clone())
        .unwrap_or_else(|| tongxing_domain::time::region_date(now).format("%Y-%m").to_string());
    let m = match s.svc.campaign_month(&p.user, id, &month, now).await {
        Ok(x) => x,
        Err(e) => return service_error(&s, p.lang, e),
    };
    let Some((first, _)) = month_span(&m.month) else { return service_error(&s, p.lang, tongxing_service::Error::NotFound) };
    let hosts = m
        .hosts
        .iter()
        .map(|h| {
            let st = h.status.as_str();
            (
                h.district_name.clone(),
                h.theme.clone(),
                theme(&tr, &h.theme),
                st.to_string(),
                tr.t(&format!("slot.{st}")),
                format!("{} ~ {}", h.starts_on, h.ends_on),
            )
        })
        .collect();
    let gaps = m.gaps.iter().map(|g| gap(&tr, g, host_name(&m.hosts))).collect();
    let mut days: Vec<(String, Vec<DayLine>)> = Vec::new();
    for a in &m.activities {
        if days.last().is_none_or(|d| d.0 != a.date) {
            days.push((a.date.clone(), Vec::new()));
        }
        if let Some(d) = days.last_mut() {
            d.1.push((a.id, a.title.clone(), a.theme.clone(), theme(&tr, &a.theme), a.community_name.clone()));
        }
    }
    let label = tr.f2("calendar.month", first.format("%Y"), first.format("%-m"));
    let c = Chrome::for_page(&s, tr, &p, format!("{} · {}", m.name, tr.t("campaign.month_view")), &uri.0.to_string());
    render(StatusCode::OK, &MonthPage { c, id, label, prev: shift_month(first, -1), next: shift_month(first, 1), hosts, gaps, days })
}

async fn year(State(s): State<AppState>, p: PageUser, uri: OriginalUri, Path(id): Path<i64>) -> Response {
    let tr = Tr { cat: &s.cat, lang: p.lang };
    let now = tongxing_store::now_ms();
    let months = match s.svc.campaign_year(&p.user, id, now).await {
        Ok(x) => x,
        Err(e) => return service_error(&s, p.lang, e),
    };
    let name = months.first().map(|(m, _)| m.name.clone()).unwrap_or_default();
    let months = months
        .into_iter()
        .map(|(m, counts)| {
            let first = month_span(&m.month).map(|x| x.0).unwrap_or_default();
            MonthCard {
                label: tr.f2("calendar.month", first.format("%Y"), first.format("%-m")),
                hosts: m.hosts.iter().map(|h| (h.district_name.clone(), h.theme.clone(), theme(&tr, &h.theme))).collect(),
                themes: counts.iter().map(|(t, n)| (t.clone(), theme(&tr, t), *n)).collect(),
                gaps: m.gaps.iter().map(|g| gap(&tr, g, host_name(&m.hosts))).collect(),
                month: m.month,
            }
        })
        .collect();
    let c = Chrome::for_page(&s, tr, &p, format!("{} · {}", name, tr.t("campaign.year_view")), &uri.0.to_string());
    render(StatusCode::OK, &YearPage { c, id, months })
}
