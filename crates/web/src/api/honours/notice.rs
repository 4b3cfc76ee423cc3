//! The public notice (公示), objections, publishing and the honour roll.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::{Deserialize, Serialize};
use tongxing_domain::honours::view::{Honour, Notice, Objection, ObjectionInput, ResolveInput, Round};
use tongxing_store::now_ms;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::api::{created, err, ApiResult, ListOf, Saved};
use crate::export::xlsx_response;
use crate::extract::{ApiJson, ApiLang, ApiUser, ClientIp};
use crate::i18n::Tr;
use crate::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(notice, start_notice))
        .routes(routes!(objections, object))
        .routes(routes!(resolve))
        .routes(routes!(publish))
        .routes(routes!(roll))
        .routes(routes!(of_volunteer))
}

/// Public: the proposed honourees with unit or district, hours and citation
/// (no phone, no ID), and the notice's dates.
#[utoipa::path(get, path = "/api/v1/honours/rounds/{id}/notice", tag = "honours", security(()), params(("id" = i64, Path, minimum = 1)),
    responses((status = 200, body = Notice), (status = 404)))]
async fn notice(State(s): State<AppState>, ApiLang(lang): ApiLang, Path(id): Path<i64>) -> ApiResult<Json<Notice>> {
    Ok(Json(s.svc.honour_notice(id).await.map_err(err(&s, lang))?))
}

/// Starts the public notice for the round's `notice_days`; every nomination must be decided.
#[utoipa::path(post, path = "/api/v1/honours/rounds/{id}/notice", tag = "honours", params(("id" = i64, Path, minimum = 1)),
    responses((status = 200, body = Round), (status = 403), (status = 404), (status = 409)))]
async fn start_notice(State(s): State<AppState>, ApiUser(actor, lang): ApiUser, Path(id): Path<i64>) -> ApiResult<Json<Round>> {
    s.svc.start_honour_notice(&actor, id, now_ms()).await.map_err(err(&s, lang))?;
    Ok(Json(s.svc.honour_round(&actor, id).await.map_err(err(&s, lang))?))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ObjectionQuery {
    /// Show objectors' full phones (audited; staff who call people only).
    #[serde(default)]
    reveal: bool,
    /// `xlsx` for an Excel download.
    format: Option<String>,
}

/// The round's objections for the center; phones masked unless revealed.
#[utoipa::path(get, path = "/api/v1/honours/rounds/{id}/objections", tag = "honours", params(("id" = i64, Path, minimum = 1), ObjectionQuery),
    responses((status = 200, body = ListOf<Objection>), (status = 403), (status = 404)))]
async fn objections(
    State(s): State<AppState>,
    ApiUser(actor, lang): ApiUser,
    Path(id): Path<i64>,
    Query(q): Query<ObjectionQuery>,
) -> ApiResult<Response> {
    let all = s.svc.honour_objections(&actor, id, q.reveal).await.map_err(err(&s, lang))?;
    if q.format.as_deref() == Some("xlsx") {
        return xlsx_response(&Tr { cat: &s.cat, lang }, "objections", &all).map_err(err(&s, lang));
    }
    Ok(Json(ListOf::all(all)).into_response())
}

/// Public: anyone objects to a nominee on notice, with a reason, optionally a
/// name and mobile (anonymous allowed; a few per address an hour).
#[utoipa::path(post, path = "/api/v1/honours/rounds/{id}/objections", tag = "honours", security(()), params(("id" = i64, Path, minimum = 1)),
    request_body = ObjectionInput, responses((status = 201, body = Saved), (status = 404), (status = 409), (status = 422), (status = 429)))]
async fn object(
    State(s): State<AppState>,
    ApiLang(lang): ApiLang,
    ClientIp(ip): ClientIp,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<ObjectionInput>,
) -> ApiResult<Response> {
    Ok(created(s.svc.object(id, &input, &ip, now_ms()).await.map_err(err(&s, lang))?))
}

/// The center's finding; an upheld objection removes the nominee.
#[utoipa::path(post, path = "/api/v1/honours/objections/{oid}/resolve", tag = "honours", params(("oid" = i64, Path, minimum = 1)),
    request_body = ResolveInput, responses((status = 200, body = Saved), (status = 403), (status = 404), (status = 409), (status = 422)))]
async fn resolve(
    State(s): State<AppState>,
    ApiUser(actor, lang): ApiUser,
    Path(oid): Path<i64>,
    ApiJson(input): ApiJson<ResolveInput>,
) -> ApiResult<Json<Saved>> {
    s.svc.resolve_objection(&actor, oid, &input).await.map_err(err(&s, lang))?;
    Ok(Json(Saved { id: oid }))
}

#[derive(Serialize, ToSchema)]
pub struct Published {
    /// How many were honoured.
    honoured: usize,
}

/// Publishes the round: 409 `notice_not_over` until the notice has run its
/// full length, `objections_open` while an objection is unresolved.
#[utoipa::path(post, path = "/api/v1/honours/rounds/{id}/publish", tag = "honours", params(("id" = i64, Path, minimum = 1)),
    responses((status = 200, body = Published), (status = 403), (status = 404), (status = 409)))]
async fn publish(State(s): State<AppState>, ApiUser(actor, lang): ApiUser, Path(id): Path<i64>) -> ApiResult<Response> {
    let honoured = s.svc.publish_round(&actor, id, now_ms()).await.map_err(err(&s, lang))?;
    Ok((StatusCode::OK, Json(Published { honoured })).into_response())
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RollQuery {
    #[param(minimum = 2000, maximum = 2100)]
    year: Option<i64>,
    /// `xlsx` for an Excel download.
    format: Option<String>,
}

/// Public: the honour roll of a year (or every year), newest first.
#[utoipa::path(get, path = "/api/v1/honours", tag = "honours", security(()), params(RollQuery), responses((status = 200, body = ListOf<Honour>)))]
async fn roll(State(s): State<AppState>, ApiLang(lang): ApiLang, Query(q): Query<RollQuery>) -> ApiResult<Response> {
    if q.year.is_some_and(|y| !(2000..=2100).contains(&y)) {
        return Err(err(&s, lang)(tongxing_service::Error::Validation(tongxing_domain::Invalid::one("year", "out_of_range"))));
    }
    let all = s.svc.honour_roll(q.year).await.map_err(err(&s, lang))?;
    if q.format.as_deref() == Some("xlsx") {
        return xlsx_response(&Tr { cat: &s.cat, lang }, "honours", &all).map_err(err(&s, lang));
    }
    Ok(Json(ListOf::all(all)).into_response())
}

/// A volunteer's commendations, for whoever may read their record.
#[utoipa::path(get, path = "/api/v1/volunteers/{id}/honours", tag = "honours", params(("id" = i64, Path, minimum = 1)),
    responses((status = 200, body = ListOf<Honour>), (status = 403), (status = 404)))]
async fn of_volunteer(State(s): State<AppState>, ApiUser(actor, lang): ApiUser, Path(id): Path<i64>) -> ApiResult<Json<ListOf<Honour>>> {
    Ok(Json(ListOf::all(s.svc.volunteer_honours(&actor, id).await.map_err(err(&s, lang))?)))
}
