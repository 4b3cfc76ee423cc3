//! The server-rendered side: login with CSRF, search pages with masked
//! phones, forms that redirect or re-render with errors, language switch,
//! role-dependent navigation — plus the OpenAPI document and /metrics.

use reqwest::{Client, Response, StatusCode};
use tongxing_domain::role::Role;
use tongxing_service::Settings;
use tongxing_web::{MetricsAccess, WebSettings};

use crate::helpers::{body, csrf_in, password, spawn_app, spawn_app_web, TestApp};

pub(crate) fn location(resp: &Response) -> String {
    resp.headers().get("location").map(|l| l.to_str().unwrap().to_string()).unwrap_or_default()
}

pub(crate) async fn page(app: &TestApp, client: &Client, path: &str) -> (StatusCode, String) {
    let resp = client.get(app.url(path)).send().await.unwrap();
    (resp.status(), resp.text().await.unwrap())
}

pub(crate) async fn submit(app: &TestApp, client: &Client, path: &str, form: &[(&str, &str)]) -> Response {
    client.post(app.url(path)).form(form).send().await.unwrap()
}

#[tokio::test]
async fn the_login_page_carries_a_form_and_a_csrf_token() {
    let app = spawn_app().await;
    let resp = app.browser().get(app.url("/login")).send().await.unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    let cookies: Vec<String> = resp.headers().get_all("set-cookie").iter().map(|c| c.to_str().unwrap().to_string()).collect();
    let html = resp.text().await.unwrap();
    assert!(html.contains("id=\"login-form\""));
    let csrf = csrf_in(&html);
    assert_eq!(csrf.len(), 32);
    assert!(cookies.iter().any(|c| c.starts_with(&format!("tx_csrf={csrf}")) && c.contains("HttpOnly")), "{cookies:?}");
}

#[tokio::test]
async fn signing_in_with_the_form_redirects_home_and_opens_pages() {
    let app = spawn_app().await;
    let browser = app.browser();
    let csrf = app.csrf(&browser).await;
    let pw = password(Role::Coordinator);
    let resp = submit(&app, &browser, "/login", &[("login", "coordinator"), ("password", &pw), ("_csrf", &csrf)]).await;
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&resp), "/");
    let session = resp.headers().get_all("set-cookie").iter().map(|c| c.to_str().unwrap()).find(|c| c.starts_with("tx_session="));
    assert!(session.is_some_and(|c| c.contains("HttpOnly")), "an HttpOnly session cookie");
    let (status, home) = page(&app, &browser, "/").await;
    assert_eq!(status, StatusCode::OK);
    // The test's coordinator account has no name: the header names its role, never the login.
    assert!(home.contains("class=\"who\">中心调度员</span>"), "the home page says who is signed in");
    // `next` brings the user back where they were going, but only within the site.
    let resp =
        submit(&app, &browser, "/login", &[("login", "coordinator"), ("password", &pw), ("_csrf", &csrf), ("next", "/volunteers")]).await;
    assert_eq!(location(&resp), "/volunteers");
    let resp =
        submit(&app, &browser, "/login", &[("login", "coordinator"), ("password", &pw), ("_csrf", &csrf), ("next", "//evil.example")])
            .await;
    assert_eq!(location(&resp), "/");
}

#[tokio::test]
async fn a_login_form_without_the_csrf_token_is_refused() {
    let app = spawn_app().await;
    let browser = app.browser();
    let csrf = app.csrf(&browser).await;
    let pw = password(Role::Coordinator);
    let resp = submit(&app, &browser, "/login", &[("login", "coordinator"), ("password", &pw)]).await;
    assert_eq!(resp.status(), StatusCode::FORBIDDEN);
    let resp = submit(&app, &browser, "/login", &[("login", "coordinator"), ("password", &pw), ("_csrf", "0".repeat(32).as_str())]).await;
    assert_eq!(resp.status(), StatusCode::FORBIDDEN);
    // A token without its cookie (another visitor's) does not work either.
    let stranger = app.browser();
    let resp = submit(&app, &stranger, "/login", &[("login", "coordinator"), ("password", &pw), ("_csrf", &csrf)]).await;
    assert_eq!(resp.status(), StatusCode::FORBIDDEN);
    assert!(resp.headers().get_all("set-cookie").iter().all(|c| !c.to_str().unwrap().starts_with("tx_session=")));
}

#[tokio::test]
async fn a_wrong_password_re_renders_the_form_with_an_error() {
    let app = spawn_app().await;
    let browser = app.browser();
    let csrf = app.csrf(&browser).await;
    let resp = submit(&app, &browser, "/login", &[("login", "coordinator"), ("password", "wrong-password"), ("_csrf", &csrf)]).await;
    assert_eq!(resp.status(), StatusCode::UNAUTHORIZED);
    let html = resp.text().await.unwrap();
    assert!(html.contains("form-error"));
    assert!(html.contains("id=\"login-form\""));
    assert!(html.contains("value=\"coordinator\""), "the login is kept");
    assert!(!html.contains("wrong-password"), "the password is not echoed");
}

#[tokio::test]
async fn signed_out_visitors_are_sent_to_login() {
    let app = spawn_app().await;
    // "/" is the public landing page (first_screens.rs).
    for path in ["/volunteers", "/districts", "/volunteers/import"] {
        let resp = app.browser().get(app.url(path)).send().await.unwrap();
        assert_eq!(resp.status(), StatusCode::SEE_OTHER, "{path}");
        assert!(location(&resp).starts_with("/login"), "{path} → {}", location(&resp));
    }
    let resp = app.browser().get(app.url("/volunteers?q=zxj")).send().await.unwrap();
    assert_eq!(location(&resp), "/login?next=%2Fvolunteers%3Fq%3Dzxj");
}

#[tokio::test]
async fn the_volunteer_search_page_finds_by_initials_and_masks_phones() {
    let app = spawn_app().await;
    let (browser, _) = app.browser_as(Role::Coordinator).await;
    let (status, html) = page(&app, &browser, "/volunteers?q=zxj").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("张晓静"));
    assert!(html.contains("138****0001"));
    assert!(!html.contains("李国强"), "only the match is listed");
}

#[tokio::test]
async fn list_pages_never_show_a_full_phone() {
    let app = spawn_app().await;
    let bene =
        serde_json::json!({"name": "孙大娘", "kind": "elderly_alone", "community_id": app.fx.communities[0], "phone": "13912345678"});
    assert_eq!(app.post(Role::Admin, "/api/v1/beneficiaries", &bene).await.status(), StatusCode::CREATED);
    for role in [Role::Admin, Role::Coordinator, Role::Liaison, Role::TeamLeader] {
        let (browser, _) = app.browser_as(role).await;
        for path in ["/volunteers", "/beneficiaries"] {
            let (status, html) = page(&app, &browser, path).await;
            if status == StatusCode::FORBIDDEN {
                continue;
            }
            assert_eq!(status, StatusCode::OK, "{role:?} {path}");
            for full in ["13800000001", "13800000002", "13800000003", "13912345678"] {
                assert!(!html.contains(full), "{role:?} {path} shows {full}");
            }
        }
    }
    let (browser, _) = app.browser_as(Role::Coordinator).await;
    let (_, html) = page(&app, &browser, "/volunteers").await;
    assert!(html.contains("138****0002") && html.contains("138****0003"));
}

#[tokio::test]
async fn the_volunteer_detail_page_masks_for_a_viewer_and_not_for_a_coordinator() {
    let app = spawn_app().await;
    let path = format!("/volunteers/{}", app.fx.volunteers[0]);
    let (viewer, _) = app.browser_as(Role::Viewer).await;
    let (status, html) = page(&app, &viewer, &path).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("138****0001") && !html.contains("13800000001"));
    assert!(!html.contains("11010519491231002X"));
    let (coordinator, _) = app.browser_as(Role::Coordinator).await;
    let (_, html) = page(&app, &coordinator, &path).await;
    assert!(html.contains("13800000001"));
    assert!(html.contains("1101**********002X") && !html.contains("11010519491231002X"));
    let (_, html) = page(&app, &coordinator, &format!("{path}?reveal=id_number")).await;
    assert!(html.contains("11010519491231002X"));
    assert!(app.audited(Role::Coordinator, "read_id_number", "volunteer", app.fx.volunteers[0]).await);
}

#[tokio::test]
async fn creating_a_district_through_its_form_redirects_to_it() {
    let app = spawn_app().await;
    let (browser, csrf) = app.browser_as(Role::Coordinator).await;
    let resp = submit(&app, &browser, "/districts", &[("name", "河口片区"), ("_csrf", &csrf)]).await;
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    let to = location(&resp);
    assert!(to.starts_with("/districts/") && to.contains("flash=saved"), "{to}");
    let list = body(app.get(Role::Coordinator, "/api/v1/districts?q=河口").await).await;
    assert_eq!(list["total"], 1);
    let (status, html) = page(&app, &browser, &to).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("河口片区") && html.contains("class=\"flash\""));
    // Without the token, nothing is created.
    let resp = submit(&app, &browser, "/districts", &[("name", "孤岛片区")]).await;
    assert_eq!(resp.status(), StatusCode::FORBIDDEN);
    assert_eq!(body(app.get(Role::Coordinator, "/api/v1/districts?q=孤岛").await).await["total"], 0);
    // A role that may not write gets a 403 page, not a district.
    let (viewer, viewer_csrf) = app.browser_as(Role::Viewer).await;
    let resp = submit(&app, &viewer, "/districts", &[("name", "孤岛片区"), ("_csrf", &viewer_csrf)]).await;
    assert_eq!(resp.status(), StatusCode::FORBIDDEN);
    assert_eq!(body(app.get(Role::Coordinator, "/api/v1/districts?q=孤岛").await).await["total"], 0);
}

#[tokio::test]
async fn a_volunteer_form_with_a_bad_phone_comes_back_with_the_error_by_the_field() {
    let app = spawn_app().await;
    let (browser, csrf) = app.browser_as(Role::Coordinator).await;
    let (u0, c0) = (app.fx.units[0].to_string(), app.fx.communities[0].to_string());
    let form = [("name", "赵新"), ("phone", "12345"), ("unit_id", u0.as_str()), ("community_id", c0.as_str()), ("_csrf", csrf.as_str())];
    let resp = submit(&app, &browser, "/volunteers", &form).await;
    assert_eq!(resp.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = resp.text().await.unwrap();
    assert!(html.contains("field-error"));
    assert!(html.contains("value=\"赵新\""), "what was typed is kept");
    assert_eq!(app.volunteer_count().await, 3);
    // Fixed, it goes through.
    let mut good = form;
    good[1] = ("phone", "13912345678");
    let resp = submit(&app, &browser, "/volunteers", &good).await;
    assert_eq!(resp.status(), StatusCode::SEE_OTHER, "{}", resp.text().await.unwrap_or_default());
    assert_eq!(app.volunteer_count().await, 4);
}

#[tokio::test]
async fn the_language_switch_sticks_for_the_next_pages() {
    let app = spawn_app().await;
    let (browser, _) = app.browser_as(Role::Coordinator).await;
    let (_, html) = page(&app, &browser, "/").await;
    assert!(html.contains("<html lang=\"zh-CN\">"), "Chinese first");
    let resp = browser.get(app.url("/lang?lang=en&back=/")).send().await.unwrap();
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&resp), "/");
    let (_, html) = page(&app, &browser, "/").await;
    assert!(html.contains("<html lang=\"en\">"));
    let (_, html) = page(&app, &browser, "/volunteers").await;
    assert!(html.contains("<html lang=\"en\">"));
    let resp = browser.get(app.url("/lang?lang=zh&back=https://evil.example/")).send().await.unwrap();
    assert_eq!(location(&resp), "/", "never sent off-site");
    let (_, html) = page(&app, &browser, "/").await;
    assert!(html.contains("<html lang=\"zh-CN\">"));
}

/// The main navigation of a page.
fn nav_of(html: &str) -> &str {
    let start = html.find("<nav id=\"main-nav\"").expect("a signed-in page has the main navigation");
    let end = html[start..].find("</nav>").unwrap() + start;
    &html[start..end]
}

#[tokio::test]
async fn the_navigation_offers_accounts_to_an_admin_only() {
    let app = spawn_app().await;
    for role in Role::ALL {
        let (browser, _) = app.browser_as(role).await;
        let (status, html) = page(&app, &browser, "/").await;
        assert_eq!(status, StatusCode::OK, "{role:?}");
        let html = nav_of(&html);
        assert_eq!(html.contains("href=\"/users\""), role == Role::Admin, "{role:?}: link to /users");
        assert_eq!(html.contains("href=\"/audit\""), role == Role::Admin, "{role:?}: link to /audit");
        let may_read_volunteers = !matches!(role, Role::Observer);
        assert_eq!(html.contains("href=\"/volunteers\""), may_read_volunteers, "{role:?}: link to /volunteers");
    }
    let (coordinator, _) = app.browser_as(Role::Coordinator).await;
    assert_eq!(page(&app, &coordinator, "/users").await.0, StatusCode::FORBIDDEN, "the page refuses what the menu hides");
}

#[tokio::test]
async fn the_openapi_document_describes_the_contracts_paths() {
    let app = spawn_app().await;
    let doc = body(app.api.get(app.url("/api/v1/openapi.json")).send().await.unwrap()).await;
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    let paths = doc["paths"].as_object().unwrap();
    for p in [
        "/api/v1/auth/login",
        "/api/v1/users",
        "/api/v1/categories",
        "/api/v1/districts",
        "/api/v1/communities",
        "/api/v1/units",
        "/api/v1/teams",
        "/api/v1/volunteers",
        "/api/v1/volunteers/{id}",
        "/api/v1/volunteers/import",
        "/api/v1/beneficiaries",
        "/api/v1/needs/{id}/takeover",
        "/api/v1/needs/{id}/takeover/{request_id}",
        "/api/v1/outbox",
        "/api/v1/outbox/{id}/retry",
    ] {
        assert!(paths.contains_key(p), "{p} is described");
    }
    assert!(paths["/api/v1/volunteers"].get("post").is_some() && paths["/api/v1/volunteers"].get("get").is_some());
    assert!(paths["/api/v1/auth/login"]["post"]["security"].as_array().is_some(), "login is marked public");
}

#[tokio::test]
async fn metrics_count_requests_by_route_template() {
    let open = WebSettings { metrics: MetricsAccess::Open, ..WebSettings::default() };
    let app = spawn_app_web(Settings::default(), open).await;
    assert_eq!(app.get(Role::Coordinator, "/api/v1/volunteers").await.status(), StatusCode::OK);
    assert_eq!(app.get(Role::Coordinator, &format!("/api/v1/volunteers/{}", app.fx.volunteers[0])).await.status(), StatusCode::OK);
    let text = app.api.get(app.url("/metrics")).send().await.unwrap().text().await.unwrap();
    assert!(text.contains("tongxing_http_requests_total"));
    assert!(text.contains("route=\"/api/v1/volunteers\""), "{text}");
    assert!(text.contains("tongxing_http_requests_total{method=\"GET\",route=\"/api/v1/volunteers\",status=\"200\"} 1"), "{text}");
    assert!(text.contains("route=\"/api/v1/volunteers/{id}\""), "ids are folded into the template");
    assert!(!text.contains(&format!("/api/v1/volunteers/{}\"", app.fx.volunteers[0])));
    assert!(text.contains("\ntongxing_instances 1\n"), "one instance on its database: {text}");
}
