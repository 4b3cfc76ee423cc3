//! Terms, classes and the rota: kept by the center, listed for everyone
//! signed in (counts only, no child's data).

use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::{Deserialize, Serialize};
use tongxing_domain::childcare::classes::{Class, ClassInput, Term, TermInput};
use tongxing_service::childcare::report::Programme;
use tongxing_store::childcare::report::ClassFigures;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::api::registry::respond_list;
use crate::api::{created, err, ApiResult, ListOf, ListParams, Saved};
use crate::export::{xlsx_response, ExportRow};
use crate::extract::{ApiJson, ApiUser};
use crate::i18n::Tr;
use crate::AppState;
use tongxing_domain::model::Paged;

/// A list that is never long (two terms a year, sixteen classes each) as one page.
fn whole<T>(items: Vec<T>) -> Paged<T> {
    Paged { total: items.len() as i64, items }
}

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(terms, open_term))
        .routes(routes!(classes, create_class))
        .routes(routes!(make_rota))
        .routes(routes!(programme))
}

/// The terms, latest first. `?format=xlsx` downloads them.
#[utoipa::path(get, path = "/api/v1/childcare/terms", tag = "childcare", params(ListParams), responses((status = 200, body = ListOf<Term>)))]
async fn terms(State(s): State<AppState>, ApiUser(actor, lang): ApiUser, Query(p): Query<ListParams>) -> ApiResult<Response> {
    let list = s.svc.childcare_terms(&actor).await.map_err(err(&s, lang))?;
    respond_list(&s, lang, &p, "childcare-terms", whole(list))
}

/// The center opens a term; the last term's classes are copied as its template.
#[utoipa::path(post, path = "/api/v1/childcare/terms", tag = "childcare", request_body = TermInput,
    responses((status = 201, body = Saved), (status = 403), (status = 409), (status = 422)))]
async fn open_term(State(s): State<AppState>, ApiUser(actor, lang): ApiUser, ApiJson(input): ApiJson<TermInput>) -> ApiResult<Response> {
    Ok(created(s.svc.open_childcare_term(&actor, &input).await.map_err(err(&s, lang))?))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ClassQuery {
    /// Only this term's classes.
    #[param(minimum = 1)]
    term_id: Option<i64>,
}

/// The classes with their enrolled and waitlisted counts. `?format=xlsx` downloads them.
#[utoipa::path(get, path = "/api/v1/childcare/classes", tag = "childcare", params(ListParams, ClassQuery),
    responses((status = 200, body = ListOf<Class>)))]
async fn classes(
    State(s): State<AppState>,
    ApiUser(actor, lang): ApiUser,
    Query(p): Query<ListParams>,
    Query(q): Query<ClassQuery>,
) -> ApiResult<Response> {
    if q.term_id.is_some_and(|t| t < 1) {
        return Err(err(&s, lang)(tongxing_service::Error::Validation(tongxing_domain::Invalid::one("term_id", "out_of_range"))));
    }
    let list = s.svc.childcare_classes(&actor, q.term_id).await.map_err(err(&s, lang))?;
    respond_list(&s, lang, &p, "childcare-classes", whole(list))
}

/// The center adds a class to a term.
#[utoipa::path(post, path = "/api/v1/childcare/classes", tag = "childcare", request_body = ClassInput,
    responses((status = 201, body = Saved), (status = 403), (status = 409), (status = 422)))]
async fn create_class(
    State(s): State<AppState>,
    ApiUser(actor, lang): ApiUser,
    ApiJson(input): ApiJson<ClassInput>,
) -> ApiResult<Response> {
    Ok(created(s.svc.create_childcare_class(&actor, &input).await.map_err(err(&s, lang))?))
}

#[derive(Serialize, ToSchema)]
pub struct RotaMade {
    /// Shifts (activities) made for class days that had none.
    made: usize,
}

/// The center makes the class's rota: one activity per class day, run by
/// the class's team, that caretakers sign up for like any activity.
#[utoipa::path(post, path = "/api/v1/childcare/classes/{id}/rota", tag = "childcare", params(("id" = i64, Path, minimum = 1)),
    responses((status = 200, body = RotaMade), (status = 403), (status = 404), (status = 422)))]
async fn make_rota(State(s): State<AppState>, ApiUser(actor, lang): ApiUser, Path(id): Path<i64>) -> ApiResult<Json<RotaMade>> {
    Ok(Json(RotaMade { made: s.svc.make_childcare_rota(&actor, id).await.map_err(err(&s, lang))? }))
}

/// The programme of a term for the center and leadership: per class
/// (enrolled, waitlisted, attending per day, caretaker-hours, incidents,
/// ratings) and per unit of the guardians. `?format=xlsx` downloads the classes.
#[utoipa::path(get, path = "/api/v1/childcare/terms/{id}/programme", tag = "childcare", params(("id" = i64, Path, minimum = 1), ListParams),
    responses((status = 200, body = Programme), (status = 403), (status = 404)))]
async fn programme(
    State(s): State<AppState>,
    ApiUser(actor, lang): ApiUser,
    Path(id): Path<i64>,
    Query(p): Query<ListParams>,
) -> ApiResult<Response> {
    let prog = s.svc.childcare_programme(&actor, id).await.map_err(err(&s, lang))?;
    if p.wants_xlsx() {
        return xlsx_response(&Tr { cat: &s.cat, lang }, "childcare-programme", &prog.classes).map_err(err(&s, lang));
    }
    Ok(Json(prog).into_response())
}

impl ExportRow for ClassFigures {
    const HEADINGS: &'static [&'static str] = &[
        "field.name",
        "field.community",
        "childcare.capacity",
        "childcare.enrolled",
        "childcare.waitlisted",
        "childcare.days",
        "childcare.per_day",
        "childcare.caretaker_hours",
        "childcare.incidents",
        "childcare.rating",
    ];
    fn cells(&self, _: &Tr) -> Vec<String> {
        let per = |n: i64, d: i64| if d > 0 { format!("{:.1}", n as f64 / d as f64) } else { String::new() };
        vec![
            self.name.clone(),
            self.community_name.clone(),
            self.capacity.to_string(),
            self.enrolled.to_string(),
            self.waitlisted.to_string(),
            self.days.to_string(),
            per(self.attendances, self.days),
            format!("{:.1}", self.caretaker_hours),
            self.incidents.to_string(),
            per(self.rating_stars, self.ratings),
        ]
    }
}

impl ExportRow for Term {
    const HEADINGS: &'static [&'static str] = &["field.id", "field.name", "childcare.starts_on", "childcare.ends_on", "childcare.classes"];
    fn cells(&self, _: &Tr) -> Vec<String> {
        vec![self.id.to_string(), self.name.clone(), self.starts_on.clone(), self.ends_on.clone(), self.classes.to_string()]
    }
}

impl ExportRow for Class {
    const HEADINGS: &'static [&'static str] = &[
        "childcare.term",
        "field.name",
        "field.community",
        "childcare.ages",
        "childcare.hours",
        "childcare.capacity",
        "childcare.enrolled",
        "childcare.waitlisted",
        "childcare.head",
    ];
    fn cells(&self, _: &Tr) -> Vec<String> {
        vec![
            self.term_name.clone(),
            self.name.clone(),
            self.community_name.clone(),
            format!("{}–{}", self.min_age, self.max_age),
            format!("{}–{}", self.daily_from, self.daily_to),
            self.capacity.to_string(),
            self.enrolled.to_string(),
            self.waitlisted.to_string(),
            self.head_name.clone().unwrap_or_default(),
        ]
    }
}
