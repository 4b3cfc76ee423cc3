//! Childcare writes: the center keeps terms, classes and the rota; the door
//! and the day log are for the center and the class's own head and
//! caretakers on duty (none in this world), so every other role is refused;
//! a liaison's enrolment sheet takes only their own unit's families.

use serde_json::json;

use super::rows::{json_row, row, Body, Row, CENTER};
use super::world::World;

pub(super) fn rows(w: &World) -> Vec<Row> {
    let c = w.fx.communities[1];
    let term = json!({"name": "2026 暑期", "starts_on": "2026-07-13", "ends_on": "2026-08-21"});
    let class = json!({"term_id": 1, "name": "照辅一班", "community_id": c, "min_age": 6, "max_age": 12, "capacity": 30,
                       "children_per_caretaker": 10, "daily_from": "08:00", "daily_to": "17:30"});
    let door = json!({"enrolment_id": 1, "kind": "in", "by_name": "王建国"});
    let log = json!({"enrolment_id": 1, "date": "2026-07-14", "meal": "all"});
    let absence = json!({"enrolment_id": 1, "date": "2026-07-14", "reason": "发烧"});
    let why = "the childcare programme: kept by the center";
    let day = "a class day's children: the center, or the class's head and caretakers on duty";
    vec![
        json_row("POST /api/v1/childcare/terms", why, "/api/v1/childcare/terms".into(), term, CENTER),
        json_row("POST /api/v1/childcare/classes", why, "/api/v1/childcare/classes".into(), class, CENTER),
        row("POST /api/v1/childcare/classes/{id}/rota", why, "/api/v1/childcare/classes/1/rota".into(), Body::None, CENTER),
        row(
            "POST /api/v1/childcare/enrolments/by-id/{id}/cancel",
            why,
            "/api/v1/childcare/enrolments/by-id/1/cancel".into(),
            Body::None,
            CENTER,
        ),
        json_row("POST /api/v1/childcare/classes/{id}/attendance", day, "/api/v1/childcare/classes/1/attendance".into(), door, CENTER),
        json_row("POST /api/v1/childcare/classes/{id}/logs", day, "/api/v1/childcare/classes/1/logs".into(), log, CENTER),
        json_row("POST /api/v1/childcare/classes/{id}/absences", day, "/api/v1/childcare/classes/1/absences".into(), absence, CENTER),
        row(
            "POST /api/v1/childcare/enrolments/import",
            "a sheet enrolling a child of unit 1's employee: the center, or unit 1's liaison",
            "/api/v1/childcare/enrolments/import".into(),
            Body::EnrolmentSheet("照辅一班,王小雨,2017-05-01,王建国,13912345678,东胜公司,王建国,父亲,13912345678"),
            CENTER,
        ),
    ]
}
