//! The OpenAPI document's frame: the bearer scheme, API.md's error body, and
//! the error statuses every operation shares — given once here, by what an
//! operation is (public or not, with a body or parameters, a write), rather
//! than repeated on each handler, so a new endpoint is documented right.

use utoipa::openapi::header::{Header, HeaderBuilder};
use utoipa::openapi::path::{Operation, ParameterIn};
use utoipa::openapi::schema::{ObjectBuilder, Type};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::{Content, ContentBuilder, Ref, RefOr, ResponseBuilder};
use utoipa::{Modify, OpenApi, PartialSchema};

use crate::error::ErrorBody;

#[derive(OpenApi)]
#[openapi(
    info(title = "Tongxing 同行 API", version = "1", description = "Regional volunteer coordination. Errors: {\"error\": {\"code\", \"message\", \"field\"?}}."),
    modifiers(&BearerAuth),
    security(("bearer" = []))
)]
pub(super) struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme("bearer", SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()));
    }
}

/// Adds the shared error responses to every operation of the finished
/// document (a `Modify` of `ApiDoc` would run before the routes are merged).
pub struct SharedErrors;

/// (status, component name, when it is answered).
const SHARED: [(&str, &str, &str); 10] = [
    ("400", "BadRequest", "Malformed: an unreadable body, path or query parameter"),
    ("401", "Unauthorized", "No valid bearer token"),
    ("403", "Forbidden", "The caller's role may not do this"),
    ("404", "NotFound", "No such record, or not one the caller may see"),
    ("408", "RequestTimeout", "No answer within 60 s (e.g. a body that stopped arriving)"),
    ("409", "Conflict", "The record's state does not allow it, or the same Idempotency-Key is still being processed"),
    ("413", "PayloadTooLarge", "The body is over 20 MiB"),
    ("414", "UriTooLong", "The address is over 8 KiB"),
    ("422", "Invalid", "A field breaks a rule; `field` names it"),
    ("431", "HeadersTooLarge", "The headers are over 32 KiB"),
];

impl Modify for SharedErrors {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.schemas.insert("Error".into(), ErrorBody::schema());
        for (_, name, description) in SHARED {
            let response = ResponseBuilder::new().description(description).content("application/json", error_content());
            components.responses.insert(name.into(), response.build().into());
        }
        for item in openapi.paths.paths.values_mut() {
            let ops = [&mut item.get, &mut item.put, &mut item.post, &mut item.delete, &mut item.patch];
            for (op, write) in ops.into_iter().zip([false, true, true, true, true]) {
                if let Some(op) = op.as_mut() {
                    add_shared(op, write);
                }
            }
        }
    }
}

fn add_shared(op: &mut Operation, write: bool) {
    let public = op.security.as_ref().is_some_and(|s| serde_json::to_value(s).is_ok_and(|v| v == serde_json::json!([{}])));
    let params = op.parameters.as_deref().unwrap_or_default();
    let in_path = params.iter().any(|p| p.parameter_in == ParameterIn::Path);
    let has_input = op.request_body.is_some() || params.iter().any(|p| p.parameter_in == ParameterIn::Query);
    for (status, name, _) in SHARED {
        let applies = match status {
            "401" | "403" => !public,
            "404" => in_path,
            // Writes read their body for an Idempotency-Key, so any write can be too large or in progress.
            "409" | "413" => write,
            "422" => has_input || write,
            _ => true,
        };
        if applies {
            op.responses.responses.entry(status.into()).or_insert_with(|| RefOr::Ref(Ref::new(format!("#/components/responses/{name}"))));
        }
    }
    // A handler's own error statuses (`(status = 409)` with a description of
    // when) answer the same body; a 429 says when to come back.
    for (status, response) in op.responses.responses.iter_mut() {
        if let RefOr::T(r) = response {
            if status.starts_with('4') && r.content.is_empty() {
                r.content.insert("application/json".into(), error_content());
            }
            if status == "429" {
                r.headers.insert("Retry-After".into(), retry_after());
            }
        }
    }
}

fn retry_after() -> Header {
    let seconds = ObjectBuilder::new().schema_type(Type::Integer).minimum(Some(1));
    HeaderBuilder::new().schema(seconds).description(Some("Seconds until the limit lets the request through")).build()
}

fn error_content() -> Content {
    ContentBuilder::new().schema(Some(Ref::from_schema_name("Error"))).build()
}
