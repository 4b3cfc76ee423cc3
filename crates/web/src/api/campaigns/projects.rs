//! The service-project catalogue (服务项目库) over HTTP: list with search
//! (pinyin too) and filters, create, read with its figures, update, retire.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::{Deserialize, Serialize};
use tongxing_domain::activities::THEMES;
use tongxing_domain::campaigns::projects::{FutureActivities, Project, ProjectInput, ProjectStats};
use tongxing_domain::category;
use tongxing_domain::schema;
use tongxing_service::campaigns::projects::{Ahead, Period, Retired};
use tongxing_store::campaigns::projects::Filter;
use tongxing_store::now_ms;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::api::registry::{non_empty, respond_list};
use crate::api::{created, err, ApiResult, ListOf, ListParams, Saved};
use crate::error::ApiError;
use crate::extract::{ApiJson, ApiUser};
use crate::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list, create)).routes(routes!(get_one, update)).routes(routes!(retire))
}

tongxing_domain::field_schemas! {
    theme_param = schema::padded_choice(&THEMES);
    category_param = schema::padded_choice(tongxing_domain::category::CATEGORIES);
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ProjectQuery {
    /// Part of the name, or its pinyin (initials or full: "jkjz" finds 健康知识讲座).
    q: Option<String>,
    /// A campaign theme code.
    #[param(schema_with = theme_param)]
    theme: Option<String>,
    /// A service category code.
    #[param(schema_with = category_param)]
    category: Option<String>,
    /// `true` active only, `false` retired only; left out, both.
    active: Option<bool>,
}

impl ProjectQuery {
    fn filter(self, s: &AppState, lang: crate::i18n::Lang) -> ApiResult<Filter> {
        let theme = non_empty(self.theme);
        let category = non_empty(self.category);
        let bad = |field: &str| {
            let mut e = ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "unknown_choice", &s.cat, lang);
            e.field = Some(field.into());
            e
        };
        if theme.as_deref().is_some_and(|t| !THEMES.contains(&t)) {
            return Err(bad("theme"));
        }
        if category.as_deref().is_some_and(|c| !category::is_known(c)) {
            return Err(bad("category"));
        }
        Ok(Filter { q: non_empty(self.q), theme, category, active: self.active })
    }
}

/// Lists the catalogue, by category; `?format=xlsx` exports the filtered list.
#[utoipa::path(get, path = "/api/v1/projects", tag = "campaigns", params(ListParams, ProjectQuery),
    responses((status = 200, body = ListOf<Project>)))]
async fn list(
    State(s): State<AppState>,
    ApiUser(actor, lang): ApiUser,
    Query(p): Query<ListParams>,
    Query(q): Query<ProjectQuery>,
) -> ApiResult<Response> {
    let f = q.filter(&s, lang)?;
    let list = s.svc.list_projects(&actor, &f, p.fetch_page()).await.map_err(err(&s, lang))?;
    respond_list(&s, lang, &p, "projects", list)
}

/// Adds a project; a name an active project has is 409 `duplicate_name`.
#[utoipa::path(post, path = "/api/v1/projects", tag = "campaigns", request_body = ProjectInput,
    responses((status = 201, body = Saved), (status = 403), (status = 409), (status = 422)))]
async fn create(State(s): State<AppState>, ApiUser(actor, lang): ApiUser, ApiJson(input): ApiJson<ProjectInput>) -> ApiResult<Response> {
    Ok(created(s.svc.save_project(&actor, None, &input).await.map_err(err(&s, lang))?))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PeriodQuery {
    /// First day (YYYY-MM-DD) of the figures; default (also when blank) 1 January this year.
    from: Option<String>,
    /// Last day (YYYY-MM-DD), included; default (also when blank) 31 December this year.
    to: Option<String>,
}

/// A project with what its activities did over a period.
#[derive(Serialize, ToSchema)]
pub struct ProjectPage {
    #[serde(flatten)]
    project: Project,
    stats: ProjectStats,
}

/// A project and its figures over `from`..`to` (default this year): activities, volunteers, check-ins, hours.
#[utoipa::path(get, path = "/api/v1/projects/{id}", tag = "campaigns", params(("id" = i64, Path, minimum = 1), PeriodQuery),
    responses((status = 200, body = ProjectPage), (status = 404), (status = 422)))]
async fn get_one(
    State(s): State<AppState>,
    ApiUser(actor, lang): ApiUser,
    Path(id): Path<i64>,
    Query(q): Query<PeriodQuery>,
) -> ApiResult<Json<ProjectPage>> {
    let period = Period::read(q.from.as_deref(), q.to.as_deref(), now_ms()).map_err(err(&s, lang))?;
    let project = s.svc.get_project(&actor, id).await.map_err(err(&s, lang))?;
    let stats = s.svc.project_stats(&actor, id, period).await.map_err(err(&s, lang))?;
    Ok(Json(ProjectPage { project, stats }))
}

#[utoipa::path(put, path = "/api/v1/projects/{id}", tag = "campaigns", params(("id" = i64, Path, minimum = 1)), request_body = ProjectInput,
    responses((status = 200, body = Saved), (status = 403), (status = 404), (status = 409), (status = 422)))]
async fn update(
    State(s): State<AppState>,
    ApiUser(actor, lang): ApiUser,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<ProjectInput>,
) -> ApiResult<Json<Saved>> {
    Ok(Json(Saved { id: s.svc.save_project(&actor, Some(id), &input).await.map_err(err(&s, lang))? }))
}

#[derive(Deserialize, ToSchema)]
pub struct RetireInput {
    /// What to do with the project's activities still ahead; needed only when there are some.
    #[serde(default)]
    future_activities: Option<FutureActivities>,
}

#[derive(Serialize, ToSchema)]
pub struct RetireDone {
    /// Activities ahead that were cancelled (their volunteers told).
    cancelled: usize,
}

/// 409 `future_activities`: the activities ahead, to keep or cancel.
#[derive(Serialize, ToSchema)]
pub struct RetireAsk {
    #[schema(inline)]
    error: AskDetail,
    activities: Vec<Ahead>,
}

#[derive(Serialize, ToSchema)]
struct AskDetail {
    code: String,
    message: String,
    field: String,
}

/// Retires a project (never deleted). With activities ahead and no
/// `future_activities` choice: 409 listing them; `keep` or `cancel` proceeds.
#[utoipa::path(post, path = "/api/v1/projects/{id}/retire", tag = "campaigns", params(("id" = i64, Path, minimum = 1)), request_body = RetireInput,
    responses((status = 200, body = RetireDone), (status = 403), (status = 404),
        (status = 409, description = "Activities lie ahead (listed), or the project is already retired"), (status = 422)))]
async fn retire(
    State(s): State<AppState>,
    ApiUser(actor, lang): ApiUser,
    Path(id): Path<i64>,
    ApiJson(b): ApiJson<RetireInput>,
) -> ApiResult<Response> {
    match s.svc.retire_project(&actor, id, b.future_activities).await.map_err(err(&s, lang))? {
        Retired::Done { cancelled } => Ok(Json(RetireDone { cancelled }).into_response()),
        Retired::Ask(activities) => {
            let code = "future_activities";
            let error = AskDetail { code: code.into(), message: s.cat.get(lang, &format!("error.{code}")).into(), field: code.into() };
            Ok((StatusCode::CONFLICT, Json(RetireAsk { error, activities })).into_response())
        }
    }
}
