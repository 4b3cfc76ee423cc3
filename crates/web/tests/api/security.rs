//! Issue #12's hardening: redirects never leave the site, input never makes a
//! header invalid (a 500), every kind of page carries a strict
//! Content-Security-Policy that it also satisfies, /metrics is closed unless
//! configured, and cookies are Secure when the public address is https.

use reqwest::{Client, Response, StatusCode};
use serde_json::json;
use tongxing_domain::role::Role;
use tongxing_service::Settings;
use tongxing_store::now_ms;
use tongxing_web::{MetricsAccess, WebSettings};

use crate::activities::{create, plan};
use crate::helpers::{password, spawn_app, spawn_app_web, spawn_app_with, TestApp};
use crate::pages::{location, submit};

/// `back` values as a crafted link would carry them in the query string.
const HOSTILE_BACKS: [&str; 7] = [
    "/%09/evil.example",
    "/%0a/evil.example",
    "/%0d%0a/evil.example",
    "//evil.example",
    "/%5Cevil.example",
    "/%252F/evil.example",
    "/%E3%80%80/evil.example",
];

#[tokio::test]
async fn the_language_switch_never_sends_anyone_off_the_site() {
    let app = spawn_app().await;
    let browser = app.browser();
    for back in HOSTILE_BACKS {
        let resp = browser.get(app.url(&format!("/lang?lang=en&back={back}"))).send().await.unwrap();
        assert_eq!(resp.status(), StatusCode::SEE_OTHER, "back={back}");
        assert_eq!(location(&resp), "/", "back={back}");
    }
    let resp = browser.get(app.url("/lang?lang=en&back=%2Fvolunteers%3Fq%3Dzxj%26page%3D2")).send().await.unwrap();
    assert_eq!(location(&resp), "/volunteers?q=zxj&page=2", "a path on the site is kept");
}

#[tokio::test]
async fn the_login_forms_next_stays_on_the_site() {
    let app = spawn_app().await;
    let browser = app.browser();
    let csrf = app.csrf(&browser).await;
    let pw = password(Role::Coordinator);
    for next in ["/\t/evil.example", "/\n/evil.example", "/\r\n/evil.example", "/\\evil.example", "/%2F/evil.example", " //evil.example"] {
        let resp = submit(&app, &browser, "/login", &[("login", "coordinator"), ("password", &pw), ("_csrf", &csrf), ("next", next)]).await;
        assert_eq!(resp.status(), StatusCode::SEE_OTHER, "next={next:?}");
        assert_eq!(location(&resp), "/", "next={next:?}");
    }
    let html = browser.get(app.url("/login?next=/%09/evil.example")).send().await.unwrap().text().await.unwrap();
    assert!(html.contains("name=\"next\" value=\"/\""), "the form does not carry the hostile path on");
}

#[tokio::test]
async fn input_that_ends_up_in_a_header_never_answers_500() {
    let app = spawn_app().await;
    let browser = app.browser();
    let resp = browser.get(app.url("/track?code=A%0AB")).send().await.unwrap();
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&resp), "/track/A%0AB", "the typed code is encoded");
    let followed = browser.get(app.url(&location(&resp))).send().await.unwrap();
    assert_eq!(followed.status(), StatusCode::NOT_FOUND, "an unknown code, said plainly");
    let resp = browser.get(app.url("/lang?lang=en&back=/%0a")).send().await.unwrap();
    assert_eq!((resp.status(), location(&resp)), (StatusCode::SEE_OTHER, "/".to_string()));
    let csrf = app.csrf(&browser).await;
    let form = [("login", "coordinator"), ("password", &password(Role::Coordinator)), ("_csrf", &csrf), ("next", "/\n")];
    let resp = submit(&app, &browser, "/login", &form).await;
    assert_eq!((resp.status(), location(&resp)), (StatusCode::SEE_OTHER, "/".to_string()));
}

/// Asserts the policy and that the page needs nothing it forbids: no inline
/// script, no style element or attribute, no on* handler, no javascript: link.
async fn assert_page_satisfies_csp(path: &str, resp: Response) {
    assert_eq!(resp.status(), StatusCode::OK, "{path}");
    let csp = resp.headers().get("content-security-policy").map(|v| v.to_str().unwrap().to_string()).unwrap_or_default();
    for directive in ["default-src 'self'", "script-src 'self'", "style-src 'self'", "frame-ancestors 'none'", "form-action 'self'"] {
        assert!(csp.contains(directive), "{path}: {directive} in {csp:?}");
    }
    assert!(!csp.contains("unsafe"), "{path}: {csp}");
    let html = resp.text().await.unwrap();
    for tag in html.split('<').skip(1).map(|t| t.split('>').next().unwrap_or("")) {
        let lower = tag.to_ascii_lowercase();
        assert!(!lower.starts_with("script") || lower.contains(" src="), "{path}: inline script <{tag}>");
        assert!(!lower.starts_with("style"), "{path}: <{tag}>");
        for attr in lower.split_whitespace().skip(1) {
            let name = attr.split('=').next().unwrap_or("");
            assert!(name != "style", "{path}: style attribute in <{tag}>");
            assert!(!(name.starts_with("on") && attr.contains('=')), "{path}: handler in <{tag}>");
        }
    }
    assert!(!html.contains("javascript:"), "{path}");
}

/// The icon every page links is served, as an image the CSP allows.
#[tokio::test]
async fn the_icon_every_page_links_is_served() {
    let app = spawn_app().await;
    let html = Client::new().get(app.url("/login")).send().await.unwrap().text().await.unwrap();
    let href = html.split("<link rel=\"icon\" href=\"").nth(1).and_then(|t| t.split('"').next()).expect("the page links an icon");
    assert!(href.starts_with('/'), "{href}: from the site itself (img-src 'self')");
    let resp = Client::new().get(app.url(href)).send().await.unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    assert_eq!(resp.headers()[reqwest::header::CONTENT_TYPE], "image/svg+xml");
    assert!(resp.text().await.unwrap().starts_with("<svg "));
}

/// One page of every kind: public, lists, details, forms, the QR code (inline
/// SVG), the volunteer's own pages and an error page.
#[tokio::test]
async fn every_kind_of_page_carries_a_strict_csp_it_satisfies() {
    let app = spawn_app().await;
    let need = json!({"title": "帮忙修理水管", "description": "厨房水管漏水", "category": "elderly_care",
                      "community_id": app.fx.communities[0], "requester_name": "王大爷", "requester_phone": "13911110000"});
    let need = app.api.post(app.url("/api/v1/needs")).json(&need).send().await.unwrap().json::<serde_json::Value>().await.unwrap();
    let (need_id, code) = (need["id"].as_i64().unwrap(), need["tracking_code"].as_str().unwrap().to_string());
    let day = 24 * 3_600_000;
    let activity = create(&app, plan(&app, now_ms() + day, now_ms() + day + 7_200_000, 10), json!({})).await;
    let v = app.fx.volunteers[0];
    let public = ["/login".to_string(), "/help".into(), "/track".into(), format!("/track/{code}"), "/verify".into()];
    let visitor = Client::new();
    for path in &public {
        assert_page_satisfies_csp(path, visitor.get(app.url(path)).send().await.unwrap()).await;
    }
    let admin_pages = [
        "/".to_string(),
        "/volunteers".into(),
        format!("/volunteers/{v}"),
        format!("/volunteers/{v}/edit"),
        format!("/volunteers/{v}/hours"),
        format!("/volunteers/{v}/certificate"),
        "/volunteers/new".into(),
        "/volunteers/import".into(),
        "/needs".into(),
        format!("/needs/{need_id}"),
        "/activities".into(),
        format!("/activities/{activity}"),
        format!("/activities/{activity}/roster"),
        format!("/activities/{activity}/confirm"),
        format!("/activities/{activity}/qr"),
        "/dispatch".into(),
        "/districts".into(),
        "/teams".into(),
        "/beneficiaries".into(),
        "/notifications".into(),
        "/outbox".into(),
        "/audit".into(),
        "/users".into(),
        "/users/new".into(),
        "/hours/disputes".into(),
    ];
    let (admin, _) = app.browser_as(Role::Admin).await;
    for path in &admin_pages {
        assert_page_satisfies_csp(path, admin.get(app.url(path)).send().await.unwrap()).await;
    }
    let (volunteer, _) = app.browser_as(Role::Volunteer).await;
    for path in ["/me/hours", "/calendar"] {
        assert_page_satisfies_csp(path, volunteer.get(app.url(path)).send().await.unwrap()).await;
    }
    let missing = admin.get(app.url("/volunteers/999999")).send().await.unwrap();
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
    assert!(missing.headers().contains_key("content-security-policy"), "error pages too");
}

async fn metrics_status(app: &TestApp, token: Option<&str>) -> StatusCode {
    let req = app.api.get(app.url("/metrics"));
    let req = if let Some(t) = token { req.bearer_auth(t) } else { req };
    req.send().await.unwrap().status()
}

#[tokio::test]
async fn metrics_are_closed_by_default_and_open_to_the_configured_token() {
    assert_eq!(metrics_status(&spawn_app().await, None).await, StatusCode::NOT_FOUND, "off unless configured");
    let token = "0123456789abcdef-scraper";
    let web = WebSettings { metrics: MetricsAccess::Token(token.into()), ..WebSettings::default() };
    let app = spawn_app_web(Settings::default(), web).await;
    assert_eq!(metrics_status(&app, None).await, StatusCode::UNAUTHORIZED);
    assert_eq!(metrics_status(&app, Some("0123456789abcdef-scrapeR")).await, StatusCode::UNAUTHORIZED);
    assert_eq!(metrics_status(&app, Some(app.token(Role::Admin))).await, StatusCode::UNAUTHORIZED, "a user's session is not the token");
    let resp = app.api.get(app.url("/metrics")).bearer_auth(token).send().await.unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    assert!(resp.text().await.unwrap().contains("tongxing_http_requests_total"));
}

#[tokio::test]
async fn a_separate_metrics_address_serves_metrics_and_nothing_else() {
    let app = spawn_app().await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let router = tongxing_web::metrics_only(tongxing_web::AppState::new(app.svc.clone()));
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    let resp = app.api.get(format!("{base}/metrics")).send().await.unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    assert!(resp.text().await.unwrap().contains("tongxing_http_request_duration_seconds"));
    for path in ["/", "/login", "/api/v1/volunteers"] {
        assert_eq!(app.api.get(format!("{base}{path}")).send().await.unwrap().status(), StatusCode::NOT_FOUND, "{path}");
    }
}

/// The Set-Cookie headers of signing in with the form (the CSRF cookie
/// comes with the login page, the session with the answer). The cookie is
/// sent back by hand: a cookie store keeps a Secure cookie from plain http.
async fn sign_in_cookies(app: &TestApp) -> Vec<String> {
    let browser = Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let page = browser.get(app.url("/login")).send().await.unwrap();
    let mut cookies: Vec<String> = page.headers().get_all("set-cookie").iter().map(|c| c.to_str().unwrap().to_string()).collect();
    let csrf = crate::helpers::csrf_in(&page.text().await.unwrap());
    let form = [("login", "coordinator"), ("password", &password(Role::Coordinator)), ("_csrf", &csrf)];
    let resp = browser.post(app.url("/login")).header("cookie", format!("tx_csrf={csrf}")).form(&form).send().await.unwrap();
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    cookies.extend(resp.headers().get_all("set-cookie").iter().map(|c| c.to_str().unwrap().to_string()));
    assert!(cookies.iter().any(|c| c.starts_with("tx_session=")) && cookies.iter().any(|c| c.starts_with("tx_csrf=")), "{cookies:?}");
    cookies
}

#[tokio::test]
async fn a_signed_in_page_downloads_its_exports_with_the_session_but_never_writes_with_it() {
    let app = spawn_app().await;
    let jar: Vec<String> = sign_in_cookies(&app).await.iter().map(|c| c.split(';').next().unwrap().to_string()).collect();
    let cookie = jar.join("; ");
    let resp = app.api.get(app.url("/api/v1/care/coverage?format=xlsx")).header("cookie", &cookie).send().await.unwrap();
    assert_eq!(resp.status(), StatusCode::OK, "the page's export link works for whoever is signed in");
    assert!(resp.headers()["content-type"].to_str().unwrap().contains("spreadsheetml"));
    let resp = app.api.get(app.url("/api/v1/childcare/enrolments/import/template")).header("cookie", &cookie).send().await.unwrap();
    assert_eq!(resp.status(), StatusCode::OK, "and the import template");
    let term = serde_json::json!({"name": "2027 寒假", "starts_on": "2027-01-18", "ends_on": "2027-02-20"});
    let resp = app.api.post(app.url("/api/v1/childcare/terms")).header("cookie", &cookie).json(&term).send().await.unwrap();
    assert_eq!(resp.status(), StatusCode::UNAUTHORIZED, "a write needs the bearer token, never the cookie alone");
    assert_eq!(app.api.get(app.url("/api/v1/care/coverage")).send().await.unwrap().status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn cookies_are_secure_when_the_public_address_is_https_unless_configured_otherwise() {
    let https = || Settings { public_url: Some("https://tongxing.example.cn".into()), ..Settings::default() };
    let cookies = sign_in_cookies(&spawn_app_with(https()).await).await;
    assert!(cookies.iter().all(|c| c.ends_with("; Secure")), "{cookies:?}");
    let cookies = sign_in_cookies(&spawn_app().await).await;
    assert!(cookies.iter().all(|c| !c.contains("Secure")), "plain http by default: {cookies:?}");
    let explicit = WebSettings { secure_cookies: Some(false), ..WebSettings::default() };
    let cookies = sign_in_cookies(&spawn_app_web(https(), explicit).await).await;
    assert!(cookies.iter().all(|c| !c.contains("Secure")), "the configured value wins: {cookies:?}");
}
