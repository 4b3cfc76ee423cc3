//! Recognition in the pages and in the record: a round opened, nominated,
//! reviewed, noticed and published from its pages; an upheld objection
//! barring the next round; the honour in the honouree's record, on their
//! certificate and by SMS; the round's audit trail.

use reqwest::StatusCode;
use serde_json::{json, Value};
use tongxing_domain::role::Role;
use tongxing_service::auth::NewAccount;
use tongxing_service::Settings;
use tongxing_store::now_ms;

use crate::helpers::{body, expect_error, spawn_app, spawn_app_with};
use crate::honours::{credit, nominate, open, post, real_name, round, today, DAY};
use crate::pages::{location, page, submit};

fn id_in(location: &str) -> i64 {
    location.trim_start_matches("/honours/rounds/").split('?').next().unwrap().parse().unwrap()
}

#[tokio::test]
async fn a_round_is_opened_nominated_reviewed_and_noticed_from_its_pages() {
    let app = spawn_app().await;
    let v0 = app.fx.volunteers[0];
    credit(&app, v0, 30.0).await;
    let (center, csrf) = app.browser_as(Role::Coordinator).await;
    let year = &today()[..4];
    let (from, to) = (format!("{year}-01-01"), format!("{year}-12-31"));
    let form = |hours: &'static str| {
        vec![
            ("_csrf", csrf.as_str()),
            ("title", "年度优秀志愿者"),
            ("kind", "volunteer"),
            ("period_from", from.as_str()),
            ("period_to", to.as_str()),
            ("min_hours", "20"),
            ("nominate_until", to.as_str()),
            ("notice_days", "7"),
            ("weight_hours", hours),
            ("weight_emergency_attended", "30"),
        ]
    };
    let (status, html) = page(&app, &center, "/honours/rounds/new").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("id=\"round-weights\""), "{html}");
    let r = submit(&app, &center, "/honours/rounds", &form("60")).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().await.unwrap().contains("各项权重之和须为100"), "the reason by the weights");
    let r = submit(&app, &center, "/honours/rounds", &form("70")).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let id = id_in(&location(&r));
    assert!(page(&app, &center, "/honours/rounds").await.1.contains(&format!("/honours/rounds/{id}")));

    // The liaison's first screen leads to the form, which offers their unit's eligible people by name.
    let (liaison, lcsrf) = app.browser_as(Role::Liaison).await;
    let home = page(&app, &liaison, "/").await.1;
    assert!(home.contains("home-honours") && home.contains(&format!("/honours/rounds/{id}#nominate")), "{home}");
    let html = page(&app, &liaison, &format!("/honours/rounds/{id}")).await.1;
    assert!(html.contains("id=\"nominate\"") && html.contains("张晓静"), "{html}");
    let subject = v0.to_string();
    let nominate_form = |citation: &'static str| {
        vec![("_csrf", lcsrf.as_str()), ("kind", "volunteer"), ("subject", subject.as_str()), ("citation", citation)]
    };
    let r = submit(&app, &liaison, &format!("/honours/rounds/{id}/nominate"), &nominate_form("")).await;
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY, "a citation is needed");
    let r = submit(&app, &liaison, &format!("/honours/rounds/{id}/nominate"), &nominate_form("十年如一日照顾孤寡老人")).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert!(!page(&app, &liaison, &format!("/honours/rounds/{id}")).await.1.contains("id=\"nominate\""), "nobody left to nominate");

    // The center closes nominations; a reviewer of the nominee's own unit sees the conflict, not the form.
    let center_home = page(&app, &center, "/").await.1;
    assert!(center_home.contains(&format!("/honours/rounds/{id}")), "{center_home}");
    let go = |action: &str| format!("/honours/rounds/{id}/{action}");
    assert_eq!(submit(&app, &center, &go("review"), &[("_csrf", &csrf)]).await.status(), StatusCode::SEE_OTHER);
    let insider = NewAccount {
        login: "center-unit0".into(),
        password: "pw-center-unit0-secret".into(),
        role: Role::Coordinator,
        unit_id: Some(app.fx.units[0]),
        team_id: None,
        volunteer_id: None,
        name: Some("孙评审".into()),
    };
    let (insider, _) = app.browser_with(&app.account(&insider).await).await;
    let html = page(&app, &insider, &format!("/honours/rounds/{id}")).await.1;
    assert!(html.contains("已声明回避") && !html.contains("class=\"decide\""), "{html}");
    let html = page(&app, &center, &format!("/honours/rounds/{id}")).await.1;
    assert!(html.contains("class=\"decide\"") && html.contains("十年如一日照顾孤寡老人"), "{html}");
    let noms = body(app.get(Role::Coordinator, &format!("/api/v1/honours/rounds/{id}/nominations")).await).await;
    let nid = noms["items"][0]["id"].as_i64().unwrap();
    let decide = [("_csrf", csrf.as_str()), ("decision", "approve"), ("note", "事迹属实")];
    let r = submit(&app, &center, &format!("/honours/rounds/{id}/nominations/{nid}/decision"), &decide).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    assert_eq!(submit(&app, &center, &go("notice"), &[("_csrf", &csrf)]).await.status(), StatusCode::SEE_OTHER);

    // On notice: publishing is refused with the reason; an objection is answered from the page.
    let html = page(&app, &center, &format!("/honours/rounds/{id}")).await.1;
    assert!(html.contains("id=\"publish-blocked\"") && html.contains("公示期未满"), "{html}");
    let r = submit(&app, &center, &go("publish"), &[("_csrf", &csrf)]).await;
    assert_eq!(r.status(), StatusCode::CONFLICT);
    assert!(r.text().await.unwrap().contains("公示期未满"));
    let objection = json!({"nomination_id": nid, "reason": "有居民反映情况不实"});
    let r = app.api.post(app.url(&format!("/api/v1/honours/rounds/{id}/objections"))).json(&objection).send().await.unwrap();
    let oid = body(r).await["id"].as_i64().unwrap();
    let html = page(&app, &center, &format!("/honours/rounds/{id}")).await.1;
    assert!(html.contains("有居民反映情况不实") && html.contains("class=\"resolve\""), "{html}");
    let resolve = [("_csrf", csrf.as_str()), ("upheld", "false"), ("finding", "经走访核实，情况属实")];
    let r = submit(&app, &center, &format!("/honours/rounds/{id}/objections/{oid}/resolve"), &resolve).await;
    assert_eq!(r.status(), StatusCode::SEE_OTHER);
    let list = body(app.get(Role::Coordinator, &format!("/api/v1/honours/rounds/{id}/objections")).await).await;
    assert_eq!(list["items"][0]["status"], "not_upheld", "{list}");
}

#[tokio::test]
async fn an_upheld_objection_bars_the_next_round_and_the_honour_is_in_the_record_and_told_by_sms() {
    let app = spawn_app_with(Settings { sms_gateway_url: Some("http://127.0.0.1:9/sms".into()), ..Settings::default() }).await;
    let v0 = app.fx.volunteers[0];
    let v3 = real_name(&app, 0, "13800000013", "11010519800101001", "周建华").await;
    credit(&app, v0, 30.0).await;
    credit(&app, v3, 40.0).await;
    let id = open(&app, &round(None)).await;
    for v in [v0, v3] {
        assert_eq!(nominate(&app, Role::Coordinator, id, v).await.status(), StatusCode::CREATED);
    }
    assert_eq!(post(&app, &format!("/api/v1/honours/rounds/{id}/review")).await.status(), StatusCode::OK);
    let noms = body(app.get(Role::Coordinator, &format!("/api/v1/honours/rounds/{id}/nominations")).await).await;
    let nid = |v: i64| noms["items"].as_array().unwrap().iter().find(|n| n["volunteer_id"] == v).unwrap()["id"].as_i64().unwrap();
    for v in [v0, v3] {
        let path = format!("/api/v1/honours/rounds/{id}/nominations/{}/decision", nid(v));
        assert_eq!(app.post(Role::Coordinator, &path, &json!({"decision": "approve"})).await.status(), StatusCode::OK);
    }
    assert_eq!(post(&app, &format!("/api/v1/honours/rounds/{id}/notice")).await.status(), StatusCode::OK);
    let objection = json!({"nomination_id": nid(v3), "reason": "服务时长有虚报"});
    let r = app.api.post(app.url(&format!("/api/v1/honours/rounds/{id}/objections"))).json(&objection).send().await.unwrap();
    let oid = body(r).await["id"].as_i64().unwrap();
    let finding = json!({"upheld": true, "finding": "经核实部分时长为重复登记"});
    assert_eq!(app.post(Role::Coordinator, &format!("/api/v1/honours/objections/{oid}/resolve"), &finding).await.status(), StatusCode::OK);
    let center = app.user(Role::Coordinator).await;
    assert_eq!(app.svc.publish_round(&center, id, now_ms() + 7 * DAY + 1_000).await.unwrap(), 1);

    // The upheld objection is a dispute found against v3: the next round of the period refuses them with it.
    let next = open(&app, &round(None)).await;
    let c = body(app.get(Role::Coordinator, &format!("/api/v1/honours/rounds/{next}/candidates")).await).await;
    let reason = |v: i64| c["items"].as_array().unwrap().iter().find(|i| i["volunteer_id"] == v).unwrap()["reason"].clone();
    assert_eq!(reason(v3), "upheld_dispute", "{c}");
    assert_eq!(reason(v0), Value::Null);
    let e = expect_error(nominate(&app, Role::Coordinator, next, v3).await, StatusCode::UNPROCESSABLE_ENTITY, "upheld_dispute").await;
    assert_eq!(e["field"], "volunteer_id");

    // The honour: told by SMS through the outbox, in the honouree's record and on their service certificate.
    let roll = body(app.api.get(app.url("/api/v1/honours")).send().await.unwrap()).await;
    let code = roll["items"][0]["code"].as_str().unwrap().to_string();
    let page_size = tongxing_domain::paging::Page { page: 1, per_page: 50 };
    let sms = tongxing_store::outbox::list(&app.svc.db, None, page_size).await.unwrap();
    assert!(sms.items.iter().any(|d| d.kind == "sms" && d.target == "13800000001" && d.body.contains(&code)), "{sms:?}");
    assert_eq!(sms.items.iter().filter(|d| d.kind == "sms").count(), 1, "only the honouree is told");
    let (mine, _) = app.browser_as(Role::Volunteer).await;
    let html = page(&app, &mine, "/me/hours").await.1;
    assert!(html.contains("id=\"honours\"") && html.contains(&code), "{html}");
    assert!(page(&app, &mine, "/").await.1.contains("/me/hours#honours"));
    let (staff, _) = app.browser_as(Role::Coordinator).await;
    assert!(page(&app, &staff, &format!("/volunteers/{v0}")).await.1.contains(&code));
    app.svc.issue_certificate(&center, v0).await.unwrap();
    let html = page(&app, &staff, &format!("/volunteers/{v0}/certificate")).await.1;
    assert!(html.contains("id=\"certificate-honours\"") && html.contains(&code), "{html}");
    let (status, html) = page(&app, &app.browser(), &format!("/verify/{code}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("年度优秀志愿者"));

    // The whole round's audit trail, as JSON and .xlsx, for the center only.
    let trail = body(app.get(Role::Coordinator, &format!("/api/v1/honours/rounds/{id}/audit?per_page=100")).await).await;
    let actions: Vec<&str> = trail["items"].as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap()).collect();
    for a in ["honour_round.open", "honour.nominate", "honour_round.review", "honour.decide", "honour_round.notice", "honour.object"] {
        assert!(actions.contains(&a), "{a} in {actions:?}");
    }
    assert!(actions.contains(&"honour.resolve") && actions.last() == Some(&"honour_round.publish"), "{actions:?}");
    let x = app.get(Role::Coordinator, &format!("/api/v1/honours/rounds/{id}/audit?format=xlsx")).await;
    assert!(x.headers()["content-type"].to_str().unwrap().contains("spreadsheet"));
    expect_error(app.get(Role::Liaison, &format!("/api/v1/honours/rounds/{id}/audit")).await, StatusCode::FORBIDDEN, "forbidden").await;
}
