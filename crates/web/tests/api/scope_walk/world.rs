//! The objects the walk aims at: the fixture's second unit and team (unit 1,
//! team 1, volunteer 2), given something of every kind a write can touch —
//! needs at every step, activities, ledger entries, a dispute, a call, a
//! dead delivery, another user's notification — plus a deactivated row of
//! each registry kind for the reactivations.

use reqwest::StatusCode;
use serde_json::{json, Value};
use tongxing_domain::paging::Page;
use tongxing_domain::role::Role;
use tongxing_domain::time::rfc3339;
use tongxing_store::now_ms;

use crate::helpers::{body, Fixture, TestApp};

const HOUR: i64 = 3_600_000;

/// Ids of everything the rows name. `Default` (all zero) is enough to list
/// the rows' operations without a server.
#[derive(Debug, Clone, Default)]
pub struct World {
    pub fx: Fixture,
    /// Deactivated rows, in unit 1 / team 1 / district 1 where that applies.
    pub off_district: i64,
    pub off_community: i64,
    pub off_unit: i64,
    pub off_team: i64,
    pub off_beneficiary: i64,
    pub off_volunteer: i64,
    pub off_user: i64,
    /// A beneficiary in community 1.
    pub beneficiary: i64,
    /// A second team of unit 1 in district 1, fitting the same needs as team 1.
    pub team1b: i64,
    /// The account of team 1's leader, with an unread notification.
    pub leader1: i64,
    pub leader1_notification: i64,
    /// An adult of unit 0: within the liaison's reach.
    pub unit0_adult: i64,
    /// Needs in district 1: submitted, published (fits team 1 only), held
    /// by team 1 (with team 1b's open take-over request), rated-to-be.
    pub need_submitted: i64,
    pub need_published: i64,
    pub need_held1: i64,
    pub takeover: i64,
    pub need_done: i64,
    pub need_done_code: String,
    /// A need in district 0 held by team 0: the leader's own.
    pub need_held0: i64,
    /// Team 1's activity under way now, volunteer 2 signed up.
    pub activity_now: i64,
    /// Team 1's ended activity with volunteer 2's check-in, not confirmed yet.
    pub activity_ended: i64,
    /// Volunteer 2's ledger: a confirmed activity entry (disputed) and a need entry.
    pub entry_activity: i64,
    pub entry_need: i64,
    pub dispute: i64,
    pub call: i64,
    /// A waiting application to join team 1 of unit 1.
    pub application: i64,
    /// A delivery given up after failing.
    pub dead_delivery: i64,
    /// 双进双报到: a party organisation in community 1, and a deactivated one.
    pub party_org: i64,
    pub off_party_org: i64,
    /// A catalogue project owned by team 1, with team 1's activity ahead.
    pub project: i64,
    /// 技能传承: unit 1's training class and its lesson; problems of unit 1,
    /// one open, one held by team 1.
    pub skill_training: i64,
    pub skill_lesson: i64,
    pub skill_problem_open: i64,
    pub skill_problem_held: i64,
    /// A drawing the coordinator attached to the held problem.
    pub skill_attachment: i64,
    /// An oilfield competition, and volunteer 2's (unit 1's) 师带徒 agreement.
    pub skill_competition: i64,
    pub skill_mentorship: i64,
    /// 爱心守护: volunteer 2's pair with 刘奶奶, and its in-person visit with a concern.
    pub care_pair: i64,
    pub care_visit: i64,
    /// A round of recognition taking nominations.
    pub honour_round: i64,
}

async fn ok(resp: reqwest::Response, what: &str) -> Value {
    let status = resp.status();
    let text = resp.text().await.unwrap();
    assert!(status.is_success(), "setting up {what}: {status} {text}");
    serde_json::from_str(&text).unwrap_or(Value::Null)
}

async fn made(app: &TestApp, role: Role, path: &str, b: Value) -> i64 {
    ok(app.post(role, path, &b).await, path).await["id"].as_i64().unwrap()
}

/// A need submitted by a resident in `community`; (id, tracking code).
async fn need(app: &TestApp, community: i64, phone: &str) -> (i64, String) {
    let b = json!({"title": "帮忙修理水管", "description": "厨房水管漏水", "category": "elderly_care",
                   "community_id": community, "requester_name": "王大爷", "requester_phone": phone});
    let r = ok(app.api.post(app.url("/api/v1/needs")).json(&b).send().await.unwrap(), "a need").await;
    (r["id"].as_i64().unwrap(), r["tracking_code"].as_str().unwrap().to_string())
}

async fn step(app: &TestApp, need: i64, action: &str, b: Value) {
    ok(app.post(Role::Coordinator, &format!("/api/v1/needs/{need}/{action}"), &b).await, action).await;
}

impl World {
    pub async fn build(app: &TestApp) -> World {
        let fx = app.fx.clone();
        let (c, a) = (Role::Coordinator, Role::Admin);
        let mut w = World { fx: fx.clone(), ..Default::default() };
        let off = |path: &'static str, b: Value| async move {
            let id = made(app, c, path, b).await;
            ok(app.post(c, &format!("{path}/{id}/deactivate"), &json!({})).await, "deactivate").await;
            id
        };
        w.off_district = off("/api/v1/districts", json!({"name": "停用片区"})).await;
        w.off_community =
            off("/api/v1/communities", json!({"name": "停用小区", "district_id": fx.districts[1], "lat": 37.4, "lng": 118.4})).await;
        w.off_unit = off("/api/v1/units", json!({"name": "停用单位", "kind": "other"})).await;
        let team = |name: &str| json!({"name": name, "district_id": fx.districts[1], "category": "elderly_care", "unit_id": fx.units[1]});
        w.off_team = off("/api/v1/teams", team("停用服务队")).await;
        let beneficiary = |name: &str| json!({"name": name, "kind": "elderly_alone", "community_id": fx.communities[1]});
        w.off_beneficiary = off("/api/v1/beneficiaries", beneficiary("停用受助人")).await;
        let person = json!({"name": "周停用", "phone": "13800000009", "unit_id": fx.units[1], "community_id": fx.communities[1],
                            "team_ids": [fx.teams[1]]});
        w.off_volunteer = off("/api/v1/volunteers", person).await;
        w.beneficiary = made(app, c, "/api/v1/beneficiaries", beneficiary("刘奶奶")).await;
        w.team1b = made(app, c, "/api/v1/teams", team("东胜第二助老服务队")).await;

        let user = json!({"login": "off-viewer", "password": "long-enough-pw", "role": "viewer"});
        w.off_user = ok(app.post(a, "/api/v1/users", &user).await, "a user").await["id"].as_i64().unwrap();
        ok(app.post(a, &format!("/api/v1/users/{}/deactivate", w.off_user), &json!({})).await, "deactivate").await;
        let leader1 = app.leader_of(fx.teams[1], "leader1").await;
        w.leader1 = app.svc.authenticate(&leader1).await.unwrap().id;
        let leader1b = app.leader_of(w.team1b, "leader1b").await;
        w.unit0_adult = crate::dispatch::adults(app, 0, 1, 900).await[0];
        w.needs(app, &leader1b).await;
        w.activities(app).await;
        w.call_and_delivery(app).await;
        w.application = application(app, &fx).await;
        let org = |name: &str| json!({"name": name, "unit_id": fx.units[1], "community_id": fx.communities[1]});
        w.party_org = made(app, c, "/api/v1/party-orgs", org("东胜公司第一党支部")).await;
        w.off_party_org = off("/api/v1/party-orgs", org("东胜公司停用党支部")).await;
        w.project = project(app, &fx).await;
        super::skills::build(app, &mut w).await;
        w.care(app).await;
        let year = &tongxing_domain::time::region_date(now_ms()).to_string()[..4];
        let round = json!({"title": "年度优秀志愿者", "kind": "volunteer", "period_from": format!("{year}-01-01"),
                           "period_to": format!("{year}-12-31"), "criteria": [{"metric": "hours", "weight": 100}],
                           "nominate_until": format!("{year}-12-31"), "notice_days": 7});
        w.honour_round = made(app, c, "/api/v1/honours/rounds", round).await;

        let page = Page { page: 1, per_page: 10 };
        let inbox = tongxing_store::notifications::list(&app.svc.db, w.leader1, page).await.unwrap().0;
        w.leader1_notification = inbox.items.first().expect("team 1's leader was told of a published need").id;
        // The fixture's own accounts start with nothing unread, so that
        // marking their own notifications read changes nothing.
        for role in Role::ALL {
            ok(app.post(role, "/api/v1/notifications/read-all", &json!({})).await, "read-all").await;
        }
        w
    }

    async fn care(&mut self, app: &TestApp) {
        // Paired a week ago: the visit below, three days back, falls within the pairing.
        let starts_on = tongxing_domain::time::region_date(now_ms() - 7 * 24 * HOUR).to_string();
        let pair = json!({"volunteer_id": self.fx.volunteers[2], "beneficiary_id": self.beneficiary, "starts_on": starts_on});
        self.care_pair = made(app, Role::Coordinator, "/api/v1/care/pairs", pair).await;
        let visit = json!({"visited_at": rfc3339(now_ms() - 72 * HOUR), "minutes": 60, "mode": "in_person", "contact_made": true,
                           "notes": "聊天、量血压", "concern": "暖气不热"});
        self.care_visit = made(app, Role::Coordinator, &format!("/api/v1/care/pairs/{}/visits", self.care_pair), visit).await;
    }

    async fn needs(&mut self, app: &TestApp, leader1b: &str) {
        let (c1, c0) = (self.fx.communities[1], self.fx.communities[0]);
        let [t0, t1] = self.fx.teams;
        self.need_submitted = need(app, c1, "13977770001").await.0;
        self.need_published = need(app, c1, "13977770002").await.0;
        step(app, self.need_published, "review", json!({"decision": "publish"})).await;
        self.need_held1 = need(app, c1, "13977770003").await.0;
        step(app, self.need_held1, "review", json!({"decision": "publish"})).await;
        step(app, self.need_held1, "claim", json!({"team_id": t1})).await;
        let ask = json!({"team_id": self.team1b, "reason": "我们离得更近"});
        let path = app.url(&format!("/api/v1/needs/{}/takeover", self.need_held1));
        self.takeover =
            ok(app.api.post(path).bearer_auth(leader1b).json(&ask).send().await.unwrap(), "a take-over").await["id"].as_i64().unwrap();
        let (done, code) = need(app, c1, "13977770004").await;
        (self.need_done, self.need_done_code) = (done, code);
        step(app, done, "review", json!({"decision": "publish"})).await;
        step(app, done, "claim", json!({"team_id": t1})).await;
        let served = json!({"summary": "已修好", "hours": [{"volunteer_id": self.fx.volunteers[2], "hours": 1.0}]});
        step(app, done, "complete", served).await;
        self.need_held0 = need(app, c0, "13977770005").await.0;
        step(app, self.need_held0, "review", json!({"decision": "publish"})).await;
        step(app, self.need_held0, "claim", json!({"team_id": t0})).await;
    }

    async fn activities(&mut self, app: &TestApp) {
        let (now, v2) = (now_ms(), self.fx.volunteers[2]);
        let plan = |title: &str, starts: i64, ends: i64| {
            json!({"title": title, "team_id": self.fx.teams[1], "community_id": self.fx.communities[1],
                   "starts_at": rfc3339(starts), "ends_at": rfc3339(ends), "capacity": 5, "walk_ups": true})
        };
        let c = Role::Coordinator;
        self.activity_now = made(app, c, "/api/v1/activities", plan("社区清扫", now - HOUR, now + 2 * HOUR)).await;
        let signup = json!({"volunteer_id": v2});
        ok(app.post(c, &format!("/api/v1/activities/{}/signups", self.activity_now), &signup).await, "a sign-up").await;
        let served = made(app, c, "/api/v1/activities", plan("敬老院义剪", now - 30 * HOUR, now - 28 * HOUR)).await;
        self.activity_ended = made(app, c, "/api/v1/activities", plan("义务理发", now - 10 * HOUR, now - 8 * HOUR)).await;
        for (activity, start) in [(served, now - 30 * HOUR), (self.activity_ended, now - 10 * HOUR)] {
            for (kind, at) in [("in", start), ("out", start + 2 * HOUR)] {
                let b = json!({"volunteer_id": v2, "kind": kind, "at": rfc3339(at)});
                ok(app.post(c, &format!("/api/v1/activities/{activity}/checkins"), &b).await, "a check-in").await;
            }
        }
        ok(app.post(c, &format!("/api/v1/activities/{served}/confirm"), &json!({})).await, "a confirmation").await;
        let entries = tongxing_store::ledger::entries(&app.svc.db, v2, Page { page: 1, per_page: 50 }).await.unwrap().items;
        let of = |kind: &str| entries.iter().find(|e| e.kind == kind).unwrap_or_else(|| panic!("a {kind} entry")).id;
        (self.entry_activity, self.entry_need) = (of("activity"), of("need_service"));
        self.dispute = tongxing_store::ledger::dispute(&app.svc.db, self.entry_activity, v2, "少记了半小时").await.unwrap();
    }

    async fn call_and_delivery(&mut self, app: &TestApp) {
        crate::dispatch::adults(app, 1, 3, 910).await;
        let t = now_ms() + 2 * HOUR;
        let call = json!({"title": "清理积水", "community_id": self.fx.communities[1], "starts_at": rfc3339(t),
                          "ends_at": rfc3339(t + 4 * HOUR), "needed": 2});
        let r = app.post(Role::Coordinator, "/api/v1/dispatches", &call).await;
        assert_eq!(r.status(), StatusCode::CREATED, "a call");
        self.call = body(r).await["id"].as_i64().unwrap();
        // A liaison robot of unit 1 hears of the next published need; its delivery fails for good.
        let unit = json!({"name": "东胜公司", "kind": "oilfield_unit", "webhook_url": "https://robot.example/hook"});
        ok(app.put(Role::Coordinator, &format!("/api/v1/units/{}", self.fx.units[1]), &unit).await, "a webhook").await;
        let (n, _) = need(app, self.fx.communities[1], "13977770006").await;
        step(app, n, "review", json!({"decision": "publish"})).await;
        let due = tongxing_store::outbox::claim_due(&app.svc.db, 10).await.unwrap();
        let robot = due.iter().find(|d| d.kind == "webhook").expect("a robot message");
        tongxing_store::outbox::mark_failed(&app.svc.db, robot.id, "502 Bad Gateway", now_ms(), 1).await.unwrap();
        for other in due.iter().filter(|d| d.id != robot.id) {
            tongxing_store::outbox::mark_sent(&app.svc.db, other.id).await.unwrap();
        }
        self.dead_delivery = robot.id;
    }
}

/// A project of team 1 with an activity ahead, volunteer 2 signed up: a
/// retirement that slipped through would cancel it and tell them.
async fn project(app: &TestApp, fx: &Fixture) -> i64 {
    let b = json!({"name": "敬老院义剪", "category": "elderly_care", "team_id": fx.teams[1], "unit_id": fx.units[1]});
    let id = made(app, Role::Coordinator, "/api/v1/projects", b).await;
    let t = now_ms() + 48 * HOUR;
    let plan = json!({"title": "敬老院义剪", "team_id": fx.teams[1], "community_id": fx.communities[1], "starts_at": rfc3339(t),
                      "ends_at": rfc3339(t + HOUR), "capacity": 5, "project_id": id});
    let activity = made(app, Role::Coordinator, "/api/v1/activities", plan).await;
    let signup = json!({"volunteer_id": fx.volunteers[2]});
    ok(app.post(Role::Coordinator, &format!("/api/v1/activities/{activity}/signups"), &signup).await, "a sign-up").await;
    id
}

/// Stored straight, as the join flow would after its code: the walk's server
/// has no SMS gateway, so no code could be read back from an outbox.
async fn application(app: &TestApp, fx: &Fixture) -> i64 {
    let id = crate::helpers::id_number("37050219900101003");
    let new = tongxing_store::registry::registrations::NewRegistration {
        name: "吴申请".into(),
        phone: "13900000031".into(),
        id_number_enc: app.svc.crypto.encrypt(&id),
        id_number_hash: app.svc.crypto.keyed_hash(&id),
        birth_date: "1990-01-01".into(),
        unit_id: fx.units[1],
        community_id: fx.communities[1],
        skills: Vec::new(),
        party_member: false,
        password_hash: tongxing_service::auth::hash_password("applicant-secret"),
        team_ids: vec![fx.teams[1]],
    };
    tongxing_store::registry::registrations::create(&app.svc.db, &new, now_ms()).await.expect("an application")
}
