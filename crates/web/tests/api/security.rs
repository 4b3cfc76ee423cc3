//! Issue #12's hardening: redirects never leave the site, input never makes a
//! header invalid (a 500).

use reqwest::StatusCode;
use tongxing_domain::role::Role;

use crate::helpers::{password, spawn_app};
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
