//! Rows for 双进双报到: party organisations are the center's; a report is
//! made by the member themself, their unit's liaison or the center.

use serde_json::json;

use super::rows::{json_row, row, Body, Row, CENTER};
use super::world::World;

pub(super) fn rows(w: &World) -> Vec<Row> {
    let fx = &w.fx;
    let org = json!({"name": "东胜公司第一党支部", "unit_id": fx.units[1], "community_id": fx.communities[1]});
    let new = json!({"name": "东胜公司第二党支部", "community_id": fx.communities[1]});
    vec![
        json_row("POST /api/v1/party-orgs", "a new party organisation: the center's", "/api/v1/party-orgs".into(), new, CENTER),
        json_row("PUT /api/v1/party-orgs/{id}", "unit 1's organisation", format!("/api/v1/party-orgs/{}", w.party_org), org, CENTER),
        row(
            "POST /api/v1/party-orgs/{id}/deactivate",
            "unit 1's organisation",
            format!("/api/v1/party-orgs/{}/deactivate", w.party_org),
            Body::None,
            CENTER,
        ),
        row(
            "POST /api/v1/party-orgs/{id}/reactivate",
            "a deactivated organisation",
            format!("/api/v1/party-orgs/{}/reactivate", w.off_party_org),
            Body::None,
            CENTER,
        ),
        json_row(
            "POST /api/v1/volunteers/{id}/report-in",
            "unit 1's party member (volunteer 2)",
            format!("/api/v1/volunteers/{}/report-in", fx.volunteers[2]),
            json!({"community_id": fx.communities[1], "party_org_id": w.party_org}),
            CENTER,
        ),
        row(
            "POST /api/v1/report-ins/import",
            "a sheet reporting unit 1's party member (volunteer 2)",
            "/api/v1/report-ins/import".into(),
            Body::ReportSheet("13800000003,振兴小区"),
            CENTER,
        ),
    ]
}
