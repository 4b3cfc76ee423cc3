//! Recognition writes: the center runs rounds, names panels, decides and
//! resolves; a liaison or leader nominates only their own unit's or team's
//! people; only a round's panel members vote.

use serde_json::json;

use super::rows::{json_row, row, Body, Row, CENTER, NOBODY};
use super::world::World;

pub(super) fn honours(w: &World) -> Vec<Row> {
    let r = w.honour_round;
    let round = json!({"title": "2026 年度优秀志愿者", "kind": "volunteer", "period_from": "2026-01-01", "period_to": "2026-12-31",
                       "criteria": [{"metric": "hours", "weight": 100}], "nominate_until": "2026-12-31", "notice_days": 7});
    let center = "a round of recognition: run by the center only";
    vec![
        json_row("POST /api/v1/honours/rounds", center, "/api/v1/honours/rounds".into(), round, CENTER),
        json_row(
            "POST /api/v1/honours/rounds/{id}/nominations",
            "volunteer 2 of unit 1 and team 1: outside the liaison's unit and the leader's team",
            format!("/api/v1/honours/rounds/{r}/nominations"),
            json!({"volunteer_id": w.fx.volunteers[2], "citation": "常年服务社区"}),
            CENTER,
        ),
        json_row(
            "POST /api/v1/honours/rounds/{id}/nominations/{nid}/decision",
            center,
            format!("/api/v1/honours/rounds/{r}/nominations/1/decision"),
            json!({"decision": "approve"}),
            CENTER,
        ),
        json_row(
            "POST /api/v1/honours/rounds/{id}/panel",
            center,
            format!("/api/v1/honours/rounds/{r}/panel"),
            json!({"user_id": 1}),
            CENTER,
        ),
        json_row(
            "POST /api/v1/honours/rounds/{id}/nominations/{nid}/votes",
            "a panel member's vote: nobody sits on this round's panel",
            format!("/api/v1/honours/rounds/{r}/nominations/1/votes"),
            json!({"decision": "approve"}),
            NOBODY,
        ),
        row("POST /api/v1/honours/rounds/{id}/review", center, format!("/api/v1/honours/rounds/{r}/review"), Body::None, CENTER),
        row("POST /api/v1/honours/rounds/{id}/notice", center, format!("/api/v1/honours/rounds/{r}/notice"), Body::None, CENTER),
        row("POST /api/v1/honours/rounds/{id}/publish", center, format!("/api/v1/honours/rounds/{r}/publish"), Body::None, CENTER),
        json_row(
            "POST /api/v1/honours/objections/{oid}/resolve",
            center,
            "/api/v1/honours/objections/1/resolve".into(),
            json!({"upheld": false, "finding": "经核实不属实"}),
            CENTER,
        ),
    ]
}
