//! Rows for 爱心守护: pairs are arranged by the center, a liaison for their
//! unit's volunteers and a leader for their team's; a volunteer logs visits
//! to their own pairs. The world's pair is volunteer 2's (unit 1, team 1),
//! outside every fixture account's reach but the center's.

use serde_json::json;
use tongxing_domain::time::rfc3339;
use tongxing_store::now_ms;

use super::rows::{json_row, row, Body, Row, CENTER};
use super::world::World;

pub(super) fn rows(w: &World) -> Vec<Row> {
    let (fx, pair, visit) = (&w.fx, w.care_pair, w.care_visit);
    let at = |p: &str| format!("/api/v1/care/pairs/{pair}/{p}");
    let visit_body = json!({"visited_at": rfc3339(now_ms() - 3_600_000), "minutes": 30, "mode": "phone", "contact_made": true});
    vec![
        json_row(
            "POST /api/v1/care/pairs",
            "pairing unit 1's volunteer 2 (a cover for 刘奶奶)",
            "/api/v1/care/pairs".into(),
            json!({"volunteer_id": fx.volunteers[2], "beneficiary_id": w.beneficiary, "role": "cover"}),
            CENTER,
        ),
        json_row("POST /api/v1/care/pairs/{id}/visits", "volunteer 2's pair", at("visits"), visit_body, CENTER),
        json_row("POST /api/v1/care/pairs/{id}/pause", "volunteer 2's pair", at("pause"), json!({"reason": "住院"}), CENTER),
        row("POST /api/v1/care/pairs/{id}/resume", "volunteer 2's pair", at("resume"), Body::None, CENTER),
        json_row("POST /api/v1/care/pairs/{id}/end", "volunteer 2's pair", at("end"), json!({"reason": "搬走了"}), CENTER),
        json_row(
            "POST /api/v1/care/pairs/{id}/handover",
            "volunteer 2's pair, to unit 0's volunteer 1",
            at("handover"),
            json!({"volunteer_id": fx.volunteers[1], "note": "每周二上午"}),
            CENTER,
        ),
        row(
            "POST /api/v1/care/visits/{id}/confirm",
            "volunteer 2's in-person visit",
            format!("/api/v1/care/visits/{visit}/confirm"),
            Body::None,
            CENTER,
        ),
        json_row(
            "POST /api/v1/care/visits/{id}/need",
            "volunteer 2's visit with a concern",
            format!("/api/v1/care/visits/{visit}/need"),
            json!({"category": "elderly_care"}),
            CENTER,
        ),
        json_row(
            "POST /api/v1/care/visits/{id}/notes",
            "hiding volunteer 2's visit notes: the center only",
            format!("/api/v1/care/visits/{visit}/notes"),
            json!({"hidden": true}),
            CENTER,
        ),
    ]
}
