//! Campaign writes: the center plans campaigns and their rotation; every
//! other role is refused, whatever district or theme the body names.

use serde_json::json;

use super::rows::{json_row, row, Body, Row, CENTER};
use super::world::World;

pub(super) fn campaigns(w: &World) -> Vec<Row> {
    let d = w.fx.districts[1];
    let campaign = json!({"name": "情暖西城 携手同行", "starts_on": "2026-01-01", "ends_on": "2026-12-31", "themes": ["health"]});
    let slot = json!({"district_id": d, "theme": "health", "starts_on": "2026-03-01", "ends_on": "2026-04-30"});
    let why = "the region's campaign: planned by the center only";
    vec![
        json_row("POST /api/v1/campaigns", why, "/api/v1/campaigns".into(), campaign.clone(), CENTER),
        json_row("PUT /api/v1/campaigns/{id}", why, "/api/v1/campaigns/1".into(), campaign, CENTER),
        json_row("POST /api/v1/campaigns/{id}/slots", why, "/api/v1/campaigns/1/slots".into(), slot.clone(), CENTER),
        json_row("PUT /api/v1/campaigns/{id}/slots/{slot_id}", why, "/api/v1/campaigns/1/slots/1".into(), slot, CENTER),
        row("DELETE /api/v1/campaigns/{id}/slots/{slot_id}", why, "/api/v1/campaigns/1/slots/1".into(), Body::None, CENTER),
        row("POST /api/v1/campaigns/{id}/rotation", why, "/api/v1/campaigns/1/rotation".into(), Body::None, CENTER),
    ]
}
