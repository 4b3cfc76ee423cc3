//! The registry's life cycle (create, read, update, deactivate, reactivate —
//! never delete), volunteer search and filters, the .xlsx export, categories.

use reqwest::StatusCode;
use serde_json::{json, Value};
use tongxing_domain::role::Role;

use crate::helpers::{body, spawn_app, TestApp};

/// Asserts every field of `input` comes back as sent, except `skip`.
fn assert_matches(detail: &Value, input: &Value, skip: &[&str], what: &str) {
    for (k, v) in input.as_object().unwrap() {
        if !skip.contains(&k.as_str()) {
            assert_eq!(&detail[k], v, "{what}: field {k} in {detail}");
        }
    }
}

async fn listed_ids(app: &TestApp, path: &str, query: &str) -> Vec<i64> {
    let list = body(app.get(Role::Coordinator, &format!("{path}?per_page=500{query}")).await).await;
    list["items"].as_array().unwrap().iter().map(|i| i["id"].as_i64().unwrap()).collect()
}

/// create → read → update → read → deactivate → hidden → shown with include_inactive → reactivate.
async fn life_cycle(app: &TestApp, path: &str, create: Value, update: Value, skip: &[&str]) -> i64 {
    let resp = app.post(Role::Coordinator, path, &create).await;
    assert_eq!(resp.status(), StatusCode::CREATED, "create in {path}");
    let id = body(resp).await["id"].as_i64().unwrap();
    let detail = body(app.get(Role::Coordinator, &format!("{path}/{id}")).await).await;
    assert_eq!(detail["id"], id);
    assert_eq!(detail["active"], true);
    assert_matches(&detail, &create, skip, path);

    let resp = app.put(Role::Coordinator, &format!("{path}/{id}"), &update).await;
    assert_eq!(resp.status(), StatusCode::OK, "update in {path}");
    assert_eq!(body(resp).await["id"], id);
    let detail = body(app.get(Role::Coordinator, &format!("{path}/{id}")).await).await;
    assert_matches(&detail, &update, skip, path);

    let resp = app.post(Role::Coordinator, &format!("{path}/{id}/deactivate"), &json!({})).await;
    assert_eq!(resp.status(), StatusCode::NO_CONTENT, "deactivate in {path}");
    assert!(!listed_ids(app, path, "").await.contains(&id), "{path}: the default list hides it");
    assert!(listed_ids(app, path, "&include_inactive=true").await.contains(&id), "{path}: include_inactive shows it");
    let detail = body(app.get(Role::Coordinator, &format!("{path}/{id}")).await).await;
    assert_eq!(detail["active"], false, "{path}: the row stays, marked inactive");
    assert_matches(&detail, &update, skip, path);

    let resp = app.post(Role::Coordinator, &format!("{path}/{id}/reactivate"), &json!({})).await;
    assert_eq!(resp.status(), StatusCode::NO_CONTENT, "reactivate in {path}");
    assert!(listed_ids(app, path, "").await.contains(&id), "{path}: back in the default list");
    let kinds: Vec<String> = app.audit().await.into_iter().filter(|a| a.2 == Some(id)).map(|a| a.0).collect();
    for action in ["save", "deactivate", "reactivate"] {
        assert!(kinds.iter().any(|k| k == action), "{path}: {action} is audited, got {kinds:?}");
    }
    id
}

#[tokio::test]
async fn districts_live_and_are_never_deleted() {
    let app = spawn_app().await;
    life_cycle(&app, "/api/v1/districts", json!({"name": "河口片区"}), json!({"name": "河口新片区"}), &[]).await;
}

#[tokio::test]
async fn communities_live_and_are_never_deleted() {
    let app = spawn_app().await;
    let (d0, d1) = (app.fx.districts[0], app.fx.districts[1]);
    let create = json!({"name": "胜利花园", "district_id": d0, "lat": 37.46, "lng": 118.51});
    let update = json!({"name": "胜利花园北区", "district_id": d1, "lat": 37.47, "lng": 118.52});
    let id = life_cycle(&app, "/api/v1/communities", create, update, &[]).await;
    let c = body(app.get(Role::Viewer, &format!("/api/v1/communities/{id}")).await).await;
    assert_eq!(c["district_name"], "现河片区");
    let by_district = listed_ids(&app, "/api/v1/communities", &format!("&district_id={d1}")).await;
    assert!(by_district.contains(&id) && !by_district.contains(&app.fx.communities[0]));
}

#[tokio::test]
async fn units_live_and_are_never_deleted() {
    let app = spawn_app().await;
    let create =
        json!({"name": "孤岛采油厂", "kind": "oilfield_unit", "webhook_url": "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=x"});
    let update = json!({"name": "孤岛采油厂", "kind": "other", "webhook_url": null});
    life_cycle(&app, "/api/v1/units", create, update, &[]).await;
}

#[tokio::test]
async fn teams_live_and_are_never_deleted() {
    let app = spawn_app().await;
    let fx = &app.fx;
    let create = json!({"name": "雅苑义诊队", "district_id": fx.districts[0], "category": "health", "unit_id": fx.units[0],
                        "leader_volunteer_id": fx.volunteers[0]});
    let update = json!({"name": "雅苑义诊队", "district_id": fx.districts[1], "category": "environment", "unit_id": null,
                        "leader_volunteer_id": null});
    let id = life_cycle(&app, "/api/v1/teams", create.clone(), update, &[]).await;
    app.put(Role::Coordinator, &format!("/api/v1/teams/{id}"), &create).await;
    let t = body(app.get(Role::Coordinator, &format!("/api/v1/teams/{id}")).await).await;
    assert_eq!(t["leader_name"], "张晓静");
    assert_eq!(t["unit_name"], "现河采油厂");
    let health = listed_ids(&app, "/api/v1/teams", "&category=health").await;
    assert_eq!(health, vec![id]);
}

#[tokio::test]
async fn beneficiaries_live_and_are_never_deleted() {
    let app = spawn_app().await;
    let c0 = app.fx.communities[0];
    let create =
        json!({"name": "刘奶奶", "kind": "elderly_alone", "community_id": c0, "address": "雅苑小区5号楼", "notes": "独居，腿脚不便"});
    let update = json!({"name": "刘奶奶", "kind": "disabled", "community_id": app.fx.communities[1], "address": null, "notes": null});
    life_cycle(&app, "/api/v1/beneficiaries", create, update, &[]).await;
}

#[tokio::test]
async fn volunteers_live_and_deactivating_one_keeps_the_row() {
    let app = spawn_app().await;
    let fx = app.fx.clone();
    let mut create = app.new_volunteer("13912340000");
    create["vest_number"] = json!("XC-000777");
    create["availability"] = json!("周末");
    let update = json!({"name": "赵新民", "phone": "13912340000", "unit_id": fx.units[1], "community_id": fx.communities[1],
                        "team_ids": [fx.teams[1], fx.teams[0]], "skills": ["急救", "理发"], "party_member": true});
    let id = life_cycle(&app, "/api/v1/volunteers", create, update, &["team_ids"]).await;
    let v = body(app.get(Role::Coordinator, &format!("/api/v1/volunteers/{id}")).await).await;
    let teams: Vec<i64> = v["teams"].as_array().unwrap().iter().map(|t| t["id"].as_i64().unwrap()).collect();
    let mut want = vec![fx.teams[0], fx.teams[1]];
    want.sort_unstable();
    assert_eq!(teams, want);
    assert_eq!(v["unit_name"], "东胜公司");
    assert!(v["vest_number"].is_null(), "a field left out of an update is cleared");

    let before = app.volunteer_count().await;
    assert_eq!(
        app.post(Role::Coordinator, &format!("/api/v1/volunteers/{id}/deactivate"), &json!({})).await.status(),
        StatusCode::NO_CONTENT
    );
    assert_eq!(app.volunteer_count().await, before, "deactivating deletes nothing");
    let search = body(app.get(Role::Coordinator, "/api/v1/volunteers?q=赵新民").await).await;
    assert_eq!(search["total"], 0, "an inactive volunteer is not found by default");
    let search = body(app.get(Role::Coordinator, "/api/v1/volunteers?q=赵新民&include_inactive=true").await).await;
    assert_eq!(search["total"], 1);
    assert_eq!(search["items"][0]["active"], false);
}

async fn search(app: &TestApp, query: &str) -> Vec<String> {
    let list = body(app.get(Role::Coordinator, &format!("/api/v1/volunteers?{query}")).await).await;
    let names: Vec<String> = list["items"].as_array().unwrap().iter().map(|v| v["name"].as_str().unwrap().to_string()).collect();
    assert_eq!(list["total"], names.len() as i64, "{query}: total matches the page");
    names
}

#[tokio::test]
async fn volunteers_are_found_by_name_pinyin_and_phone_tail() {
    let app = spawn_app().await;
    let cases: &[(&str, &[&str])] = &[
        ("q=张", &["张晓静"]),
        ("q=张晓静", &["张晓静"]),
        ("q=zxj", &["张晓静"]),
        ("q=ZXJ", &["张晓静"]),
        ("q=zhangx", &["张晓静"]),
        ("q=zhangxiaojing", &["张晓静"]),
        ("q=0001", &["张晓静"]),
        ("q=13800000001", &["张晓静"]),
        ("q=0002", &["李国强"]),
        ("q=lgq", &["李国强"]),
        ("q=w", &["王秀英"]),
        ("q=晓静", &[]),
        ("q=zxy", &[]),
        ("q=9999", &[]),
        ("q=%25", &[]),
        ("q=", &["张晓静", "李国强", "王秀英"]),
    ];
    for (query, want) in cases {
        assert_eq!(search(&app, query).await, *want, "{query}");
    }
}

#[tokio::test]
async fn volunteers_are_filtered_by_unit_team_skill_and_party_membership() {
    let app = spawn_app().await;
    let fx = app.fx.clone();
    assert_eq!(app.post(Role::Coordinator, "/api/v1/volunteers", &app.new_volunteer("13955550000")).await.status(), StatusCode::CREATED);
    let cases: Vec<(String, Vec<&str>)> = vec![
        (format!("unit_id={}", fx.units[0]), vec!["张晓静", "李国强", "赵新"]),
        (format!("unit_id={}", fx.units[1]), vec!["王秀英"]),
        (format!("team_id={}", fx.teams[0]), vec!["张晓静", "赵新"]),
        (format!("team_id={}", fx.teams[1]), vec!["王秀英"]),
        (format!("community_id={}", fx.communities[1]), vec!["王秀英"]),
        ("skill=急救".into(), vec!["张晓静", "李国强", "王秀英"]),
        ("skill=理发".into(), vec!["赵新"]),
        ("skill=唱歌".into(), vec![]),
        ("party_member=true".into(), vec!["张晓静", "李国强", "王秀英"]),
        ("party_member=false".into(), vec!["赵新"]),
        (format!("unit_id={}&team_id={}&q=zx", fx.units[0], fx.teams[0]), vec!["张晓静", "赵新"]),
        (format!("unit_id={}&party_member=false", fx.units[1]), vec![]),
    ];
    for (query, want) in cases {
        assert_eq!(search(&app, &query).await, want, "{query}");
    }
}

#[tokio::test]
async fn the_volunteer_list_exports_to_xlsx_with_masked_phones() {
    use calamine::Reader;
    let app = spawn_app().await;
    let resp = app.get(Role::Coordinator, "/api/v1/volunteers?format=xlsx").await;
    assert_eq!(resp.status(), StatusCode::OK);
    let ct = resp.headers()["content-type"].to_str().unwrap().to_string();
    assert_eq!(ct, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    assert!(resp.headers()["content-disposition"].to_str().unwrap().contains(".xlsx"));
    let bytes = resp.bytes().await.unwrap().to_vec();
    let mut book = calamine::Xlsx::new(std::io::Cursor::new(bytes)).expect("a readable workbook");
    let sheet = book.worksheet_range_at(0).expect("a first sheet").unwrap();
    let rows: Vec<Vec<String>> = sheet.rows().map(|r| r.iter().map(|c| c.to_string()).collect()).collect();
    assert_eq!(rows.len(), 4, "a heading and one row per volunteer: {rows:?}");
    let heading = &rows[0];
    let col = |name: &str| heading.iter().position(|h| h == name).unwrap_or_else(|| panic!("no {name} column in {heading:?}"));
    let (name, phone) = (col("姓名"), col("手机号"));
    let mut names: Vec<&str> = rows[1..].iter().map(|r| r[name].as_str()).collect();
    names.sort_unstable();
    let mut want = vec!["张晓静", "李国强", "王秀英"];
    want.sort_unstable();
    assert_eq!(names, want);
    for r in &rows[1..] {
        assert!(r[phone].starts_with("138****000"), "a masked phone: {r:?}");
    }
    // The export follows the same filters and scope as the list.
    let resp = app.get(Role::Liaison, "/api/v1/volunteers?format=xlsx").await;
    let mut book = calamine::Xlsx::new(std::io::Cursor::new(resp.bytes().await.unwrap().to_vec())).unwrap();
    assert_eq!(book.worksheet_range_at(0).unwrap().unwrap().rows().count(), 3, "a liaison exports their unit only");
    let resp = app.get(Role::Coordinator, "/api/v1/volunteers?format=xlsx&q=zxj").await;
    let mut book = calamine::Xlsx::new(std::io::Cursor::new(resp.bytes().await.unwrap().to_vec())).unwrap();
    assert_eq!(book.worksheet_range_at(0).unwrap().unwrap().rows().count(), 2);
}

#[tokio::test]
async fn other_registry_lists_export_to_xlsx_too() {
    use calamine::Reader;
    let app = spawn_app().await;
    for (path, rows) in [("/api/v1/districts", 3), ("/api/v1/communities", 3), ("/api/v1/units", 3), ("/api/v1/teams", 3)] {
        let resp = app.get(Role::Viewer, &format!("{path}?format=xlsx")).await;
        assert_eq!(resp.status(), StatusCode::OK, "{path}");
        let mut book = calamine::Xlsx::new(std::io::Cursor::new(resp.bytes().await.unwrap().to_vec())).unwrap();
        assert_eq!(book.worksheet_range_at(0).unwrap().unwrap().rows().count(), rows, "{path}");
    }
}

#[tokio::test]
async fn categories_are_public_with_chinese_names() {
    let app = spawn_app().await;
    let resp = app.api.get(app.url("/api/v1/categories")).send().await.unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    let list = body(resp).await;
    let items = list.as_array().unwrap();
    assert_eq!(items.len(), tongxing_domain::category::CATEGORIES.len());
    for c in items {
        let (code, name) = (c["code"].as_str().unwrap(), c["name"].as_str().unwrap());
        assert!(tongxing_domain::category::is_known(code), "{code}");
        assert!(name.chars().any(|ch| ('\u{4e00}'..='\u{9fff}').contains(&ch)), "{code} has a Chinese name: {name}");
    }
    assert!(items.iter().any(|c| c["code"] == "elderly_care" && c["name"] == "助老服务"));
    let en = body(app.api.get(app.url("/api/v1/categories")).header("accept-language", "en-US").send().await.unwrap()).await;
    let elderly = en.as_array().unwrap().iter().find(|c| c["code"] == "elderly_care").unwrap().clone();
    assert!(elderly["name"].as_str().unwrap().is_ascii(), "English when asked: {elderly}");
}

#[tokio::test]
async fn a_percent_sign_in_a_search_is_a_letter_not_a_wildcard() {
    let app = spawn_app().await;
    assert_eq!(
        app.post(Role::Coordinator, "/api/v1/districts", &serde_json::json!({"name": "百分之百%片区"})).await.status(),
        StatusCode::CREATED
    );
    let all = body(app.get(Role::Coordinator, "/api/v1/districts?q=%25").await).await;
    assert_eq!(all["total"], 1, "only the district whose name has a %: {all}");
    let underscore = body(app.get(Role::Coordinator, "/api/v1/districts?q=_").await).await;
    assert_eq!(underscore["total"], 0, "_ matches no single character: {underscore}");
}

#[tokio::test]
async fn totals_are_right_on_a_short_last_page_and_past_the_end() {
    let app = spawn_app().await;
    app.post(Role::Coordinator, "/api/v1/districts", &serde_json::json!({"name": "第三片区"})).await;
    let last = body(app.get(Role::Coordinator, "/api/v1/districts?per_page=2&page=2").await).await;
    assert_eq!((last["items"].as_array().unwrap().len(), last["total"].as_i64()), (1, Some(3)));
    let past = body(app.get(Role::Coordinator, "/api/v1/districts?per_page=2&page=5").await).await;
    assert_eq!((past["items"].as_array().unwrap().len(), past["total"].as_i64()), (0, Some(3)));
    let full = body(app.get(Role::Coordinator, "/api/v1/districts?per_page=2").await).await;
    assert_eq!((full["items"].as_array().unwrap().len(), full["total"].as_i64()), (2, Some(3)));
}
