//! A round's review panel over HTTP: the center names members, each member
//! votes on the nominees (or declares a conflict), and the votes are listed.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Serialize;
use tongxing_domain::honours::panel::{PanelMember, PanelMemberInput, Vote, VoteInput};
use tongxing_store::now_ms;
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

use super::page_of;
use crate::api::{err, ApiResult, ListOf, ListParams};
use crate::export::xlsx_response;
use crate::extract::{ApiJson, ApiUser};
use crate::i18n::Tr;
use crate::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(members, add)).routes(routes!(votes)).routes(routes!(vote))
}

/// The round's panel members, by name.
#[utoipa::path(get, path = "/api/v1/honours/rounds/{id}/panel", tag = "honours", params(("id" = i64, Path, minimum = 1), ListParams),
    responses((status = 200, body = ListOf<PanelMember>), (status = 404)))]
async fn members(
    State(s): State<AppState>,
    ApiUser(actor, lang): ApiUser,
    Path(id): Path<i64>,
    Query(p): Query<ListParams>,
) -> ApiResult<Response> {
    let all = s.svc.honour_panel(&actor, id).await.map_err(err(&s, lang))?;
    if p.wants_xlsx() {
        return xlsx_response(&Tr { cat: &s.cat, lang }, "panel", &all).map_err(err(&s, lang));
    }
    Ok(Json(page_of(&all, p.page())).into_response())
}

/// The center names an account (coordinator, liaison, team leader or
/// viewer) to the panel while nominations or review are open; the same one
/// twice is 409 `already_on_panel`.
#[utoipa::path(post, path = "/api/v1/honours/rounds/{id}/panel", tag = "honours", params(("id" = i64, Path, minimum = 1)),
    request_body = PanelMemberInput,
    responses((status = 201, body = PanelMember), (status = 403), (status = 404), (status = 409), (status = 422)))]
async fn add(
    State(s): State<AppState>,
    ApiUser(actor, lang): ApiUser,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<PanelMemberInput>,
) -> ApiResult<Response> {
    let m = s.svc.name_panel_member(&actor, id, &input, now_ms()).await.map_err(err(&s, lang))?;
    Ok((StatusCode::CREATED, Json(m)).into_response())
}

/// Every member's vote on every nominee (`?format=xlsx` downloads them).
#[utoipa::path(get, path = "/api/v1/honours/rounds/{id}/votes", tag = "honours", params(("id" = i64, Path, minimum = 1), ListParams),
    responses((status = 200, body = ListOf<Vote>), (status = 404)))]
async fn votes(
    State(s): State<AppState>,
    ApiUser(actor, lang): ApiUser,
    Path(id): Path<i64>,
    Query(p): Query<ListParams>,
) -> ApiResult<Response> {
    let all = s.svc.honour_votes(&actor, id).await.map_err(err(&s, lang))?;
    if p.wants_xlsx() {
        return xlsx_response(&Tr { cat: &s.cat, lang }, "votes", &all).map_err(err(&s, lang));
    }
    Ok(Json(page_of(&all, p.page())).into_response())
}

/// The nomination's status after a vote (the panel's majority decides once all free members voted).
#[derive(Serialize, ToSchema)]
pub struct Voted {
    pub status: String,
}

/// A panel member's decision and note on a nominee under review, or a
/// declared conflict; a member of the nominee's own unit or team may only
/// declare (409 `conflict_of_interest`); not a member: 403.
#[utoipa::path(post, path = "/api/v1/honours/rounds/{id}/nominations/{nid}/votes", tag = "honours",
    params(("id" = i64, Path, minimum = 1), ("nid" = i64, Path, minimum = 1)), request_body = VoteInput,
    responses((status = 200, body = Voted), (status = 403), (status = 404), (status = 409), (status = 422)))]
async fn vote(
    State(s): State<AppState>,
    ApiUser(actor, lang): ApiUser,
    Path((id, nid)): Path<(i64, i64)>,
    ApiJson(input): ApiJson<VoteInput>,
) -> ApiResult<Json<Voted>> {
    let status = s.svc.vote_nomination(&actor, id, nid, &input, now_ms()).await.map_err(err(&s, lang))?;
    Ok(Json(Voted { status }))
}
