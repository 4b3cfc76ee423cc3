//! The guardian's side, without an account: the enrolment form on a phone
//! (like the public need form), and the page reached with the code and the
//! guardian's mobile showing the enrolment and their own child's day.

use askama::Template;
use axum::extract::{OriginalUri, Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use tongxing_domain::childcare::classes::Class;
use tongxing_domain::childcare::day::AbsenceInput;
use tongxing_domain::childcare::enrolment::{EnrolmentInput, PickupInput};
use tongxing_service::childcare::enrolment::Enrolled;
use tongxing_service::childcare::guardian::GuardianView;
use tongxing_service::Error;

use crate::extract::{ClientIp, CsrfForm, PageVisitor};
use crate::i18n::Tr;
use crate::ui::view::Chrome;
use crate::ui::{render, service_error};
use crate::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/childcare/enrol", get(choose))
        .route("/childcare/enrol/{id}", get(form_page).post(submit))
        .route("/childcare/mine", get(mine_page).post(mine))
        .route("/childcare/mine/act", axum::routing::post(act))
}

/// How many pick-up people the form offers.
const PICKUP_ROWS: usize = 3;

#[derive(Template)]
#[template(path = "childcare/enrol.html")]
struct EnrolPage<'a> {
    c: Chrome<'a>,
    classes: Vec<Class>,
    class: Option<Class>,
    units: Vec<(i64, String)>,
    values: Vec<(String, String)>,
    rows: Vec<usize>,
    error: Option<String>,
    done: Option<Enrolled>,
}

impl EnrolPage<'_> {
    fn v(&self, key: &str) -> &str {
        self.values.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str()).unwrap_or("")
    }
    fn pick(&self, row: &usize, part: &str) -> &str {
        self.v(&format!("pickup{row}_{part}"))
    }
    fn checked(&self, key: &str) -> bool {
        !self.v(key).is_empty()
    }
}

async fn enrol_page(
    s: &AppState,
    v: &PageVisitor,
    path: &str,
    class: Option<i64>,
    form: (Vec<(String, String)>, Option<String>, Option<Enrolled>),
    status: StatusCode,
) -> Response {
    let tr = Tr { cat: &s.cat, lang: v.lang };
    let (classes, units) = match s.svc.enrolment_choices(tongxing_store::now_ms()).await {
        Ok(x) => x,
        Err(e) => return service_error(s, v.lang, e),
    };
    let class = class.and_then(|id| classes.iter().find(|c| c.id == id).cloned());
    if class.is_none() && path.starts_with("/childcare/enrol/") {
        return crate::ui::error_page(s, v.lang, StatusCode::NOT_FOUND, "not_found");
    }
    let (values, error, done) = form;
    let c = Chrome::new(s, tr, None, &v.csrf, tr.t("childcare.enrol_title"), path);
    render(status, &EnrolPage { c, classes, class, units, values, rows: (1..=PICKUP_ROWS).collect(), error, done })
}

async fn choose(State(s): State<AppState>, v: PageVisitor, uri: OriginalUri) -> Response {
    enrol_page(&s, &v, &uri.0.to_string(), None, (Vec::new(), None, None), StatusCode::OK).await
}

async fn form_page(State(s): State<AppState>, v: PageVisitor, uri: OriginalUri, Path(id): Path<i64>) -> Response {
    enrol_page(&s, &v, &uri.0.to_string(), Some(id), (Vec::new(), None, None), StatusCode::OK).await
}

/// The form's fields as the API's input: pick-up rows left blank are left out.
fn input_of(f: &CsrfForm) -> EnrolmentInput {
    let g = |k: &str| f.get(k).unwrap_or_default().to_string();
    let opt = |k: &str| f.get(k).map(str::trim).filter(|x| !x.is_empty()).map(str::to_string);
    let pickups = (1..=PICKUP_ROWS)
        .map(|r| PickupInput {
            name: g(&format!("pickup{r}_name")),
            relation: g(&format!("pickup{r}_relation")),
            phone: g(&format!("pickup{r}_phone")),
        })
        .filter(|p| !(p.name.trim().is_empty() && p.relation.trim().is_empty() && p.phone.trim().is_empty()))
        .collect();
    EnrolmentInput {
        child_name: g("child_name"),
        birth_date: g("birth_date"),
        guardian_name: g("guardian_name"),
        guardian_phone: g("guardian_phone"),
        guardian_unit_id: opt("guardian_unit_id").and_then(|u| u.parse().ok()),
        shift_worker: f.get("shift_worker").is_some(),
        both_parents_on_shift: f.get("both_parents_on_shift").is_some(),
        emergency_phone: opt("emergency_phone"),
        pickups,
        allergies: opt("allergies"),
        notes: opt("notes"),
        consent: f.get("consent").is_some(),
    }
}

/// The first problem in words: "field: message".
fn first_problem(tr: &Tr, e: &Error) -> String {
    let (_, code, field) = crate::error::classify(e);
    let label = field
        .map(|f| tr.t(&format!("childcare.field.{}", f.split(['[', '.']).next().unwrap_or(&f))))
        .map(|l| format!("{l}{}", tr.colon()))
        .unwrap_or_default();
    format!("{label}{}", tr.t(&format!("error.{code}")))
}

async fn submit(
    State(s): State<AppState>,
    v: PageVisitor,
    ClientIp(ip): ClientIp,
    uri: OriginalUri,
    Path(id): Path<i64>,
    f: CsrfForm,
) -> Response {
    let tr = Tr { cat: &s.cat, lang: v.lang };
    let path = uri.0.to_string();
    match s.svc.enrol_child(None, id, &input_of(&f), &ip).await {
        // The mobile just typed goes with the code to the guardian's page (in a POST, never the address).
        Ok(done) => {
            let phone = f.get("guardian_phone").unwrap_or_default().to_string();
            enrol_page(&s, &v, &path, Some(id), (vec![("guardian_phone".into(), phone)], None, Some(done)), StatusCode::CREATED).await
        }
        Err(e @ (Error::Validation(_) | Error::Conflict { .. } | Error::RateLimited { .. })) => {
            let (status, _, _) = crate::error::classify(&e);
            let values = f.0.iter().filter(|(k, _)| k != "_csrf").cloned().collect();
            enrol_page(&s, &v, &path, Some(id), (values, Some(first_problem(&tr, &e)), None), status).await
        }
        Err(e) => service_error(&s, v.lang, e),
    }
}

#[derive(Template)]
#[template(path = "childcare/mine.html")]
struct MinePage<'a> {
    c: Chrome<'a>,
    view: Option<GuardianView>,
    status: String,
    code: String,
    /// Carried in the page's forms (POST bodies), so that an action needs no second login.
    phone: String,
    /// What the last action did, or why it was refused.
    notice: Option<String>,
    error: Option<String>,
    today: String,
}

impl MinePage<'_> {
    /// "all" / "some" / "none" in words.
    fn meal(&self, m: &str) -> String {
        self.c.tr.t(&format!("childcare.meal_{m}"))
    }
    /// A check-in's time of day.
    fn clock(&self, t: &str) -> String {
        crate::ui::attendance::clock_of(t)
    }
    fn stars(&self, n: &i64) -> String {
        "★".repeat((*n).clamp(0, 5) as usize)
    }
    fn star_choices(&self) -> [i64; 5] {
        [5, 4, 3, 2, 1]
    }
}

async fn mine_page(State(s): State<AppState>, v: PageVisitor, uri: OriginalUri) -> Response {
    let tr = Tr { cat: &s.cat, lang: v.lang };
    let c = Chrome::new(&s, tr, None, &v.csrf, tr.t("childcare.mine_title"), &uri.0.to_string());
    let page = MinePage {
        c,
        view: None,
        status: String::new(),
        code: String::new(),
        phone: String::new(),
        notice: None,
        error: None,
        today: today(),
    };
    render(StatusCode::OK, &page)
}

fn today() -> String {
    tongxing_domain::time::region_date(tongxing_store::now_ms()).to_string()
}

/// The code and the mobile come in a POST body, never in an address that
/// logs and browser histories would keep.
async fn mine(State(s): State<AppState>, v: PageVisitor, ClientIp(ip): ClientIp, uri: OriginalUri, f: CsrfForm) -> Response {
    show(&s, &v, &ip, &uri.0.to_string(), &f, None).await
}

/// The guardian's actions from their page: report an absence (请假), rate
/// the class at the end of the term, give up the place. Each proves the
/// code and mobile again, as the API does.
async fn act(State(s): State<AppState>, v: PageVisitor, ClientIp(ip): ClientIp, f: CsrfForm) -> Response {
    let tr = Tr { cat: &s.cat, lang: v.lang };
    let code = f.get("code").unwrap_or_default().trim().to_uppercase();
    let phone = f.get("phone").unwrap_or_default();
    let done = match f.get("action").unwrap_or_default() {
        "absence" => {
            let input = AbsenceInput { date: f.get("date").unwrap_or_default().to_string(), reason: f.get("reason").map(str::to_string) };
            s.svc.report_absence(&code, phone, &input, &ip).await.map(|new| {
                if new {
                    "childcare.absence_done"
                } else {
                    "childcare.absence_again"
                }
            })
        }
        "rate" => {
            let stars = f.get("stars").and_then(|x| x.parse().ok()).unwrap_or(0);
            s.svc.rate_childcare(&code, phone, stars, f.get("comment"), &ip).await.map(|_| "childcare.rated")
        }
        "cancel" => s.svc.cancel_enrolment(&code, phone, &ip).await.map(|_| "childcare.cancelled"),
        _ => Err(Error::Validation(tongxing_domain::Invalid::one("action", "unknown_choice"))),
    };
    let notice = match done {
        Ok(key) => Some((tr.t(key), false)),
        Err(e @ (Error::Validation(_) | Error::Conflict { .. })) => Some((first_problem(&tr, &e), true)),
        Err(e) => return service_error(&s, v.lang, e),
    };
    show(&s, &v, &ip, "/childcare/mine", &f, notice).await
}

async fn show(s: &AppState, v: &PageVisitor, ip: &str, path: &str, f: &CsrfForm, notice: Option<(String, bool)>) -> Response {
    let tr = Tr { cat: &s.cat, lang: v.lang };
    let c = Chrome::new(s, tr, None, &v.csrf, tr.t("childcare.mine_title"), path);
    let code = f.get("code").unwrap_or_default().trim().to_uppercase();
    let phone = f.get("phone").unwrap_or_default().to_string();
    let (notice, error) = match notice {
        Some((n, true)) => (None, Some(n)),
        Some((n, false)) => (Some(n), None),
        None => (None, None),
    };
    match s.svc.guardian_view(&code, &phone, None, ip).await {
        Ok(view) => {
            let status = match view.position {
                Some(n) => tr.f("childcare.waitlist_place", n),
                None => tr.t(&format!("childcare.status_{}", view.status.as_str())),
            };
            render(StatusCode::OK, &MinePage { c, view: Some(view), status, code, phone, notice, error, today: today() })
        }
        Err(e @ (Error::NotFound | Error::RateLimited { .. })) => {
            let (status, code_, _) = crate::error::classify(&e);
            let error = Some(tr.t(if code_ == "not_found" { "childcare.mine_not_found" } else { "error.rate_limited" }));
            render(
                status,
                &MinePage { c, view: None, status: String::new(), code, phone: String::new(), notice: None, error, today: today() },
            )
        }
        Err(e) => service_error(s, v.lang, e),
    }
}
