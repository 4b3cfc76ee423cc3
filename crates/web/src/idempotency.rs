//! `Idempotency-Key` on API writes: the same key and body give the first
//! answer again (with `Idempotent-Replayed: true`), never a second effect;
//! the same key with another body is refused.

use axum::body::{to_bytes, Body};
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};
use tongxing_store::idempotency::{self, Seen};

use crate::error::ApiError;
use crate::extract::lang_of;
use crate::AppState;

/// Answers larger than this are not stored (none of ours are near it).
const MAX_STORED: usize = 1024 * 1024;

pub async fn layer(State(s): State<AppState>, req: Request, next: Next) -> Response {
    let is_write = matches!(*req.method(), Method::POST | Method::PUT | Method::PATCH | Method::DELETE);
    let key = req.headers().get("idempotency-key").and_then(|v| v.to_str().ok()).map(str::trim).map(str::to_string);
    let Some(key) = key.filter(|k| is_write && !k.is_empty() && k.len() <= 200 && req.uri().path().starts_with("/api/")) else {
        return next.run(req).await;
    };
    let lang = lang_of(req.headers());
    // The key belongs to whoever sent it: the token's hash, or nobody for public endpoints.
    let auth = req.headers().get(header::AUTHORIZATION).map(|v| v.as_bytes().to_vec()).unwrap_or_default();
    let scope = hex::encode(&Sha256::digest(&auth)[..16]);
    let (parts, body) = req.into_parts();
    let bytes = match to_bytes(body, crate::BODY_LIMIT).await {
        Ok(b) => b,
        Err(e) => {
            let status = crate::refusals::unread_body_status(e);
            return ApiError::new(status, crate::refusals::code_for(status), &s.cat, lang).into_response();
        }
    };
    let hash =
        hex::encode(Sha256::new().chain_update(parts.method.as_str()).chain_update(parts.uri.path()).chain_update(&bytes).finalize());
    let db = &s.svc.db;
    match idempotency::begin(db, &scope, &key, &hash).await {
        Ok(Seen::New) => {}
        Ok(Seen::Mismatch) => {
            return ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "idempotency_key_reused", &s.cat, lang).into_response()
        }
        Ok(Seen::InProgress) => return ApiError::new(StatusCode::CONFLICT, "idempotency_in_progress", &s.cat, lang).into_response(),
        Ok(Seen::Done(status, ct, body)) => return replay(status, &ct, body),
        Err(e) => return ApiError::from_service(e.into(), &s.cat, lang).into_response(),
    }
    let resp = next.run(Request::from_parts(parts, Body::from(bytes))).await;
    let (rparts, rbody) = resp.into_parts();
    let rbytes = match to_bytes(rbody, MAX_STORED).await {
        Ok(b) => b,
        Err(_) => {
            let _ = idempotency::abandon(db, &scope, &key).await;
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
    };
    // Server errors and throttling are not answers worth repeating: the client may retry.
    let outcome = if rparts.status.is_server_error() || rparts.status == StatusCode::TOO_MANY_REQUESTS {
        idempotency::abandon(db, &scope, &key).await
    } else {
        let ct = rparts.headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
        idempotency::finish(db, &scope, &key, rparts.status.as_u16(), ct, &rbytes).await
    };
    if let Err(e) = outcome {
        tracing::warn!(error = %e, "idempotency record not updated");
    }
    Response::from_parts(rparts, Body::from(rbytes))
}

fn replay(status: u16, content_type: &str, body: Vec<u8>) -> Response {
    let mut resp = Response::new(Body::from(body));
    *resp.status_mut() = StatusCode::from_u16(status).unwrap_or(StatusCode::OK);
    if let Ok(ct) = HeaderValue::from_str(content_type) {
        resp.headers_mut().insert(header::CONTENT_TYPE, ct);
    }
    resp.headers_mut().insert("idempotent-replayed", HeaderValue::from_static("true"));
    resp
}
