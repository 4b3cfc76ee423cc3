//! `/projects/new` and `/projects/{id}/edit`: one form for both; a refusal
//! re-renders it (422, or 409 for a name an active project has) with the
//! message beside the field, success goes to the project's page.

use axum::extract::{OriginalUri, Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use tongxing_domain::activities::{RoleInput, THEMES};
use tongxing_domain::campaigns::projects::{Project, ProjectInput};
use tongxing_domain::category::CATEGORIES;
use tongxing_domain::permission::{scope, Action, Resource};
use tongxing_domain::Invalid;
use tongxing_service::{Error, Result};

use crate::extract::{CsrfForm, PageUser};
use crate::i18n::Tr;
use crate::ui::registry::{team_options, unit_options};
use crate::ui::templates::FormPage;
use crate::ui::view::{attach_errors, read_form, values_of, Chrome, Field, Kind, Values};
use crate::ui::{render, see_other, service_error};
use crate::AppState;

/// Roles are typed on one line, "引导员×4、讲解员×2".
const ROLES: &str = "default_roles";

async fn fields(s: &AppState, p: &PageUser, v: &Values) -> Result<Vec<Field>> {
    let tr = Tr { cat: &s.cat, lang: p.lang };
    let coded = |prefix: &str, codes: &[&str]| codes.iter().map(|c| (c.to_string(), tr.t(&format!("{prefix}.{c}")))).collect::<Vec<_>>();
    let mut fs = vec![
        Field::new(&tr, "name", Kind::Text, true, v).labelled(&tr, "field.project_name"),
        Field::new(&tr, "category", Kind::Select { numeric: false }, true, v).with_options(v, coded("category", CATEGORIES)),
        Field::new(&tr, "theme", Kind::Select { numeric: false }, false, v).with_options(v, coded("theme", &THEMES)),
        Field::new(&tr, "default_minutes", Kind::Integer, false, v),
        Field::new(&tr, "default_capacity", Kind::Integer, false, v),
        Field::new(&tr, ROLES, Kind::Text, false, v),
        Field::new(&tr, "risky", Kind::Check, false, v),
        Field::new(&tr, "adults_only", Kind::Check, false, v),
        Field::new(&tr, "what_to_bring", Kind::Text, false, v),
        Field::new(&tr, "unit_id", Kind::Select { numeric: true }, false, v).with_options(v, unit_options(&s.svc, &p.user).await?),
        Field::new(&tr, "team_id", Kind::Select { numeric: true }, false, v).with_options(v, team_options(&s.svc, &p.user).await?),
        Field::new(&tr, "description", Kind::Textarea, false, v),
    ];
    if let Some(f) = fs.iter_mut().find(|f| f.name == ROLES) {
        f.label = tr.t("field.default_roles_hint");
    }
    Ok(fs)
}

async fn form(s: &AppState, p: &PageUser, path: &str, id: Option<i64>, v: &Values, invalid: Option<(&Invalid, StatusCode)>) -> Response {
    let tr = Tr { cat: &s.cat, lang: p.lang };
    let mut fs = match fields(s, p, v).await {
        Ok(f) => f,
        Err(e) => return service_error(s, p.lang, e),
    };
    if let Some((inv, _)) = invalid {
        attach_errors(&tr, &mut fs, inv);
    }
    let page = FormPage {
        form_id: "project-form",
        action: id.map(|i| format!("/projects/{i}")).unwrap_or_else(|| "/projects".into()),
        has_errors: invalid.is_some(),
        fields: fs,
        cancel_href: id.map(|i| format!("/projects/{i}")).unwrap_or_else(|| "/projects".into()),
        toggle_action: None,
        toggle_label: String::new(),
        read_only: false,
        extras: Default::default(),
        c: Chrome::for_page(s, tr, p, tr.t(if id.is_some() { "project.edit" } else { "project.new" }), path),
    };
    render(invalid.map_or(StatusCode::OK, |(_, st)| st), &page)
}

fn values(p: &Project) -> Values {
    let mut v = Values::new();
    let mut set = |k: &str, val: String| {
        v.insert(k.to_string(), vec![val]);
    };
    set("name", p.name.clone());
    set("category", p.category.clone());
    set("theme", p.theme.clone().unwrap_or_default());
    set("description", p.description.clone().unwrap_or_default());
    set("what_to_bring", p.what_to_bring.clone().unwrap_or_default());
    for (k, n) in
        [("default_minutes", p.default_minutes), ("default_capacity", p.default_capacity), ("unit_id", p.unit_id), ("team_id", p.team_id)]
    {
        set(k, n.map(|n| n.to_string()).unwrap_or_default());
    }
    set(ROLES, p.default_roles.iter().map(|r| format!("{}×{}", r.name, r.capacity)).collect::<Vec<_>>().join("、"));
    set("risky", p.risky.to_string());
    set("adults_only", p.adults_only.to_string());
    v
}

/// "引导员×4、讲解员 2" as roles; None when a part has no readable number of places.
fn roles(text: &str) -> Option<Vec<RoleInput>> {
    text.split(['、', ',', '，', ';', '；', '\n'])
        .map(str::trim)
        .filter(|part| !part.is_empty())
        .map(|part| {
            let (name, n) = part.rsplit_once(['×', 'x', 'X', '*', ':', '：', ' '])?;
            Some(RoleInput { name: name.trim().to_string(), capacity: n.trim().parse().ok()? })
        })
        .collect()
}

pub async fn new_page(State(s): State<AppState>, p: PageUser, uri: OriginalUri) -> Response {
    if !scope(p.user.role, Action::Write, Resource::Project).allowed() {
        return service_error(&s, p.lang, Error::Forbidden);
    }
    form(&s, &p, &uri.0.to_string(), None, &Values::new(), None).await
}

pub async fn edit_page(State(s): State<AppState>, p: PageUser, uri: OriginalUri, Path(id): Path<i64>) -> Response {
    if !scope(p.user.role, Action::Write, Resource::Project).allowed() {
        return service_error(&s, p.lang, Error::Forbidden);
    }
    match s.svc.get_project(&p.user, id).await {
        Ok(project) => form(&s, &p, &uri.0.to_string(), Some(id), &values(&project), None).await,
        Err(e) => service_error(&s, p.lang, e),
    }
}

async fn save(s: &AppState, p: &PageUser, path: &str, id: Option<i64>, f: &CsrfForm) -> Response {
    let v = values_of(&f.0);
    let spec = match fields(s, p, &v).await {
        Ok(fs) => fs.into_iter().filter(|f| f.name != ROLES).collect::<Vec<_>>(),
        Err(e) => return service_error(s, p.lang, e),
    };
    let typed = v.get(ROLES).and_then(|r| r.first()).map(String::as_str).unwrap_or("");
    let parsed = read_form::<ProjectInput>(&spec, &v);
    let result = match (parsed, roles(typed)) {
        (Ok(mut input), Some(r)) => {
            input.default_roles = r;
            s.svc.save_project(&p.user, id, &input).await
        }
        (Ok(_), None) => Err(Error::Validation(Invalid::one(ROLES, "role_format"))),
        (Err(mut inv), r) => {
            if r.is_none() {
                inv.push(ROLES, "role_format");
            }
            Err(Error::Validation(inv))
        }
    };
    match result {
        Ok(saved) => see_other(&format!("/projects/{saved}"), "saved"),
        Err(Error::Validation(inv)) => form(s, p, path, id, &v, Some((&to_row(inv), StatusCode::UNPROCESSABLE_ENTITY))).await,
        Err(Error::Conflict { field: Some(field), code }) => {
            form(s, p, path, id, &v, Some((&Invalid::one(field, code), StatusCode::CONFLICT))).await
        }
        Err(e) => service_error(s, p.lang, e),
    }
}

/// The rules name roles by position (`default_roles[1].capacity`); the form has one line for them.
fn to_row(inv: Invalid) -> Invalid {
    let mut out = Invalid::default();
    for e in inv.0 {
        let field = if e.field.starts_with("default_roles[") { ROLES.to_string() } else { e.field };
        out.0.push(tongxing_domain::FieldError { field, code: e.code });
    }
    out
}

pub async fn create(State(s): State<AppState>, p: PageUser, uri: OriginalUri, f: CsrfForm) -> Response {
    save(&s, &p, &uri.0.to_string(), None, &f).await
}

pub async fn update(State(s): State<AppState>, p: PageUser, uri: OriginalUri, Path(id): Path<i64>, f: CsrfForm) -> Response {
    save(&s, &p, &uri.0.to_string(), Some(id), &f).await
}

#[cfg(test)]
mod tests {
    #[test]
    fn roles_are_read_from_one_line() {
        let r = super::roles("引导员×4、讲解员 2").unwrap();
        assert_eq!((r[0].name.as_str(), r[0].capacity, r[1].name.as_str(), r[1].capacity), ("引导员", 4, "讲解员", 2));
        assert_eq!(super::roles("").unwrap().len(), 0);
        assert!(super::roles("引导员").is_none());
    }
}
