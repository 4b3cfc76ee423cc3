//! The pieces every page is built from: the page chrome, table cells, form
//! fields, pagers — and the one function that reads a submitted form back
//! into the JSON shape the API takes, so forms and API share validation.

use std::collections::HashMap;

use serde::de::DeserializeOwned;
use serde_json::{json, Value};
use tongxing_domain::model::User;
use tongxing_domain::paging::Page;
use tongxing_domain::permission::{scope, Action, Resource, Scope};
use tongxing_domain::registry::Validate;
use tongxing_domain::role::Role;
use tongxing_domain::roster::split_list;
use tongxing_domain::Invalid;

use crate::extract::urlencode;
use crate::i18n::Tr;
use crate::AppState;

pub struct NavLink {
    pub href: &'static str,
    pub label: String,
    pub active: bool,
}

/// What the layout needs on every page.
pub struct Chrome<'a> {
    pub tr: Tr<'a>,
    pub title: String,
    pub css: &'a str,
    pub js: &'a str,
    pub nav: Vec<NavLink>,
    pub user: Option<String>,
    pub csrf: String,
    pub flash: Option<String>,
    pub lang_href: String,
    pub unread: i64,
    /// The event stream that keeps this page current (`crate::live`), if any.
    pub live: Option<String>,
    /// Large text (适老化), asked for with `large=1` in the query.
    pub large: bool,
    role: Option<Role>,
}

/// The navigation a role gets: only what the permission table lets it open.
fn nav_for(tr: &Tr, user: &User, path: &str) -> Vec<NavLink> {
    let links: &[(&'static str, &str, Resource, Action)] = &[
        ("/needs", "nav.needs", Resource::Need, Action::Read),
        ("/activities", "nav.activities", Resource::Activity, Action::Read),
        ("/projects", "nav.projects", Resource::Project, Action::Read),
        ("/volunteers", "nav.volunteers", Resource::Volunteer, Action::Read),
        ("/teams", "nav.teams", Resource::Team, Action::Read),
        ("/units", "nav.units", Resource::Unit, Action::Read),
        ("/communities", "nav.communities", Resource::Community, Action::Read),
        ("/districts", "nav.districts", Resource::District, Action::Read),
        ("/beneficiaries", "nav.beneficiaries", Resource::Beneficiary, Action::Read),
        ("/volunteers/import", "nav.import", Resource::Volunteer, Action::Import),
        ("/users", "nav.users", Resource::User, Action::Read),
        ("/audit", "nav.audit", Resource::AuditLog, Action::Read),
        ("/outbox", "nav.outbox", Resource::Outbox, Action::Read),
        ("/dispatch", "nav.dispatch", Resource::Dispatch, Action::Read),
        ("/campaigns", "nav.campaigns", Resource::Campaign, Action::Read),
        ("/registrations", "nav.registrations", Resource::Registration, Action::Write),
        ("/reports/report-in", "nav.report_in", Resource::ReportIn, Action::Read),
        ("/skills", "nav.skills", Resource::Problem, Action::Read),
        ("/stats", "nav.stats", Resource::Stats, Action::Read),
        ("/care", "nav.care", Resource::Care, Action::Read),
        ("/childcare", "nav.childcare", Resource::Childcare, Action::Read),
        ("/honours/rounds", "nav.honours", Resource::Honour, Action::Read),
    ];
    let mut nav = vec![NavLink { href: "/", label: tr.t("nav.home"), active: path == "/" }];
    for &(href, key, res, action) in links {
        if scope(user.role, action, res).allowed() {
            let active = path == href
                || (path.starts_with(href) && !links.iter().any(|l| l.0 != href && l.0.starts_with(href) && path.starts_with(l.0)));
            nav.push(NavLink { href, label: tr.t(key), active });
        }
    }
    nav
}

impl<'a> Chrome<'a> {
    pub fn new(s: &'a AppState, tr: Tr<'a>, user: Option<&User>, csrf: &str, title: String, path_and_query: &str) -> Chrome<'a> {
        let path = path_and_query.split('?').next().unwrap_or("/");
        let flash = path_and_query
            .split_once("flash=")
            .map(|(_, f)| f.split('&').next().unwrap_or(""))
            .filter(|f| f.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'))
            .map(|f| tr.t(&format!("flash.{f}")));
        Chrome {
            tr,
            title,
            css: &s.assets.css,
            js: &s.assets.js,
            nav: user.map(|u| nav_for(&tr, u, path)).unwrap_or_default(),
            user: user.map(|u| {
                let role = tr.t(&format!("role.{}", u.role.as_str()));
                u.name.as_ref().map_or(role.clone(), |n| format!("{n} · {role}"))
            }),
            csrf: csrf.to_string(),
            flash,
            lang_href: format!("/lang?lang={}&back={}", tr.lang.other().code(), urlencode(path_and_query)),
            unread: 0,
            live: None,
            large: path_and_query.split_once('?').is_some_and(|(_, q)| q.split('&').any(|kv| kv == "large=1")),
            role: user.map(|u| u.role),
        }
    }

    /// Whether the visitor's role may take `action` on `resource` at all: the
    /// one check every template makes before it offers a button, form or link
    /// to an action, so a page never offers what the server would refuse.
    pub fn may(&self, action: Action, resource: impl std::borrow::Borrow<Resource>) -> bool {
        self.role.is_some_and(|r| scope(r, action, *resource.borrow()).allowed())
    }

    /// `may`, across the whole region (not only the visitor's unit, team or
    /// own record): e.g. sending an emergency call, which only the center does.
    pub fn may_everywhere(&self, action: Action, resource: Resource) -> bool {
        self.role.is_some_and(|r| scope(r, action, resource) == Scope::All)
    }

    /// Keeps the page current from the stream at `path`, starting at history
    /// position `since` (read before the page's data, so nothing is missed).
    pub fn live(mut self, path: &str, since: Option<i64>) -> Chrome<'a> {
        self.live = since.map(|n| format!("{path}?since={n}"));
        self
    }

    /// The chrome for a signed-in visitor, with their unread count.
    pub fn for_page(s: &'a AppState, tr: Tr<'a>, p: &crate::extract::PageUser, title: String, path_and_query: &str) -> Chrome<'a> {
        let mut c = Chrome::new(s, tr, Some(&p.user), &p.csrf, title, path_and_query);
        c.unread = p.unread;
        c
    }
}

pub struct Cell {
    pub text: String,
    pub href: Option<String>,
    pub class: &'static str,
}

impl Cell {
    pub fn text(text: impl Into<String>) -> Cell {
        Cell { text: text.into(), href: None, class: "" }
    }
    pub fn link(text: impl Into<String>, href: String, class: &'static str) -> Cell {
        Cell { text: text.into(), href: Some(href), class }
    }
}

pub struct Opt {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

pub struct SelectFilter {
    pub name: &'static str,
    pub label: String,
    pub options: Vec<Opt>,
}

pub struct Pager {
    pub prev: Option<String>,
    pub next: Option<String>,
    pub label: String,
}

impl Pager {
    /// Links to the neighbouring pages, keeping every other query parameter.
    pub fn new(tr: &Tr, base: &str, query: &[(String, String)], page: Page, total: i64) -> Pager {
        let pages = page.count(total);
        let link = |n: u32| {
            let mut q: Vec<(String, String)> = query.iter().filter(|(k, _)| k != "page").cloned().collect();
            q.push(("page".into(), n.to_string()));
            format!("{base}?{}", serde_urlencoded::to_string(&q).unwrap_or_default())
        };
        Pager {
            prev: (page.page > 1).then(|| link(page.page - 1)),
            next: (page.page < pages).then(|| link(page.page + 1)),
            label: tr.f2("list.page", page.page, pages),
        }
    }
}

/// How a form field is shown and how its text becomes JSON.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Kind {
    Text,
    Password,
    Textarea,
    /// A decimal number.
    Number,
    /// A whole number typed in (an id).
    Integer,
    /// A day, YYYY-MM-DD, typed or picked from the browser's calendar.
    Date,
    /// One choice; `numeric` ids become integers.
    Select {
        numeric: bool,
    },
    /// Several ids.
    Multi,
    /// Several words from a list of choices.
    Choices,
    /// A list typed as text, separated by 、 or commas.
    List,
    Check,
}

pub struct Field {
    pub name: &'static str,
    pub label: String,
    pub kind: &'static str,
    pub input_type: &'static str,
    pub value: String,
    pub options: Vec<Opt>,
    pub required: bool,
    pub error: Option<String>,
    spec: Kind,
}

/// Field values as a form holds them: every field a list of strings.
pub type Values = HashMap<String, Vec<String>>;

pub fn values_of(pairs: &[(String, String)]) -> Values {
    let mut v: Values = HashMap::new();
    for (k, val) in pairs {
        v.entry(k.clone()).or_default().push(val.clone());
    }
    v
}

impl Field {
    pub fn new(tr: &Tr, name: &'static str, spec: Kind, required: bool, values: &Values) -> Field {
        let current = values.get(name).cloned().unwrap_or_default();
        let (kind, input_type) = match spec {
            // A phone number opens the digit keyboard.
            Kind::Text if name == "phone" || name.ends_with("_phone") => ("text", "tel"),
            Kind::Text | Kind::List => ("text", "text"),
            Kind::Password => ("text", "password"),
            Kind::Textarea => ("textarea", "text"),
            Kind::Number => ("number", "text"),
            Kind::Integer => ("number", "number"),
            Kind::Date => ("text", "date"),
            Kind::Select { .. } => ("select", ""),
            Kind::Multi | Kind::Choices => ("multi", ""),
            Kind::Check => ("check", "checkbox"),
        };
        let value = match spec {
            Kind::List => current.join("、"),
            Kind::Check => (current.iter().any(|v| v == "true")).to_string(),
            _ => current.first().cloned().unwrap_or_default(),
        };
        Field { name, label: tr.t(&format!("field.{name}")), kind, input_type, value, options: Vec::new(), required, error: None, spec }
    }

    /// Uses another catalogue key for the label (a person's "name" is 姓名, not 名称).
    pub fn labelled(mut self, tr: &Tr, key: &str) -> Field {
        self.label = tr.t(key);
        self
    }

    /// Adds choices, marking those the current value selects.
    pub fn with_options(mut self, values: &Values, options: impl IntoIterator<Item = (String, String)>) -> Field {
        let current = values.get(self.name).cloned().unwrap_or_default();
        self.options = options.into_iter().map(|(value, label)| Opt { selected: current.contains(&value), value, label }).collect();
        self
    }
}

/// Reads a submitted form into the input type the API takes, with every
/// problem at once: unreadable or missing values, then the input's own rules.
pub fn read_form<T: DeserializeOwned + Validate>(fields: &[Field], values: &Values) -> Result<T, Invalid> {
    let (json, mut bad) = to_json(fields, values);
    match serde_json::from_value::<T>(json) {
        Ok(input) => {
            bad.merge(input.problems());
            bad.into_result().map(|_| input)
        }
        Err(e) => {
            let field = e.to_string().split('`').nth(1).unwrap_or("").to_string();
            bad.merge(Invalid::one(&field, "required"));
            Err(bad)
        }
    }
}

/// JSON for `serde` plus the values that could not be read. A missing or
/// unreadable id becomes 0 so the rest of the input can still be checked.
fn to_json(fields: &[Field], values: &Values) -> (Value, Invalid) {
    let mut obj = serde_json::Map::new();
    let mut bad = Invalid::default();
    for f in fields {
        let raw: Vec<&str> = values.get(f.name).map(|v| v.iter().map(|s| s.trim()).filter(|s| !s.is_empty()).collect()).unwrap_or_default();
        let first = raw.first().copied();
        let placeholder = || match f.spec {
            Kind::Select { numeric: true } | Kind::Integer | Kind::Number => json!(0),
            _ => json!(""),
        };
        if f.required && first.is_none() && f.spec != Kind::Check {
            bad.push(f.name, "required");
            obj.insert(f.name.to_string(), placeholder());
            continue;
        }
        let v = match (f.spec, first) {
            (Kind::Check, _) => json!(raw.contains(&"true")),
            (Kind::Multi, _) => match raw.iter().map(|s| s.parse::<i64>()).collect::<Result<Vec<_>, _>>() {
                Ok(ids) => json!(ids),
                Err(_) => {
                    bad.push(f.name, "unknown_choice");
                    json!([])
                }
            },
            (Kind::List, _) => json!(raw.iter().flat_map(|s| split_list(s)).collect::<Vec<_>>()),
            (Kind::Choices, _) => json!(raw),
            (_, None) => Value::Null,
            (Kind::Number, Some(s)) => s.parse::<f64>().map(|n| json!(n)).unwrap_or_else(|_| {
                bad.push(f.name, "number_format");
                placeholder()
            }),
            (Kind::Select { numeric: true } | Kind::Integer, Some(s)) => s.parse::<i64>().map(|n| json!(n)).unwrap_or_else(|_| {
                bad.push(f.name, if f.spec == Kind::Integer { "number_format" } else { "unknown_choice" });
                placeholder()
            }),
            (_, Some(s)) => json!(s),
        };
        obj.insert(f.name.to_string(), v);
    }
    (Value::Object(obj), bad)
}

/// Puts each field's error message next to it.
pub fn attach_errors(tr: &Tr, fields: &mut [Field], invalid: &Invalid) {
    for e in &invalid.0 {
        if let Some(f) = fields.iter_mut().find(|f| f.name == e.field) {
            f.error.get_or_insert_with(|| tr.t(&format!("error.{}", e.code)));
        }
    }
}
