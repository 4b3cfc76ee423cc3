//! `spawn_app()` and the fixture region every test starts from.

use std::collections::HashMap;
use std::net::SocketAddr;

use rand::RngCore;
use reqwest::{Client, Response, StatusCode};
use serde_json::{json, Value};
use tongxing_domain::registry::{CommunityInput, TeamInput, UnitInput, VolunteerInput};
use tongxing_domain::role::Role;
use tongxing_service::auth::NewAccount;
use tongxing_service::crypto::{generate_key, Crypto};
use tongxing_service::{Db, Service, Settings};
use tongxing_web::WebSettings;

/// Ids of the fixture region: two of everything, so "own" and "other" can be told apart.
#[derive(Debug, Clone, Default)]
pub struct Fixture {
    pub districts: [i64; 2],
    pub communities: [i64; 2],
    pub units: [i64; 2],
    pub teams: [i64; 2],
    /// volunteers[0]: unit 0, team 0 (the volunteer account's own record);
    /// volunteers[1]: unit 0, no team; volunteers[2]: unit 1, team 1.
    pub volunteers: [i64; 3],
}

pub struct TestApp {
    pub base: String,
    pub svc: Service,
    pub db_url: String,
    /// No cookies: for the API.
    pub api: Client,
    pub fx: Fixture,
    tokens: HashMap<Role, String>,
}

/// A database URL nobody else uses: a new SQLite file, or a new PostgreSQL database.
pub async fn fresh_database_url() -> String {
    let mut b = [0u8; 6];
    rand::thread_rng().fill_bytes(&mut b);
    let name = format!("tx_test_{}", hex(&b));
    match std::env::var("TEST_DATABASE_URL") {
        Ok(url) if url.starts_with("postgres") => {
            use sqlx::Connection;
            let mut conn = sqlx::PgConnection::connect(&url).await.expect("TEST_DATABASE_URL is reachable");
            sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
                .execute(&mut conn)
                .await
                .expect("can create a test database");
            let (base, _) = url.rsplit_once('/').expect("URL has a database name");
            format!("{base}/{name}")
        }
        _ => format!("sqlite://{}/{name}.db", std::env::temp_dir().display()),
    }
}

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

/// Opens and migrates a database with a fresh key.
pub async fn service_for(url: &str, key: &str) -> Service {
    service_with(url, key, Settings::default()).await
}

pub async fn service_with(url: &str, key: &str, settings: Settings) -> Service {
    let db = Db::connect(url).await.expect("database opens");
    db.migrate().await.expect("migrations apply");
    Service::new(db, Crypto::from_base64(key).expect("valid key"), settings)
}

pub async fn spawn_app() -> TestApp {
    spawn_app_with(Settings::default()).await
}

/// `spawn_app` with settings of the test's own (as a config file would set them).
pub async fn spawn_app_with(settings: Settings) -> TestApp {
    spawn_app_web(settings, WebSettings::default()).await
}

/// `spawn_app_with`, and the HTTP side's settings too (cookies, /metrics).
pub async fn spawn_app_web(settings: Settings, web: WebSettings) -> TestApp {
    let db_url = fresh_database_url().await;
    let svc = service_with(&db_url, &generate_key(), settings).await;
    let fx = fixture(&svc).await;
    let tokens = accounts(&svc, &fx).await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind a free port");
    let addr = listener.local_addr().unwrap();
    let app = tongxing_web::app(tongxing_web::AppState::configured(svc.clone(), web));
    tokio::spawn(async move {
        axum::serve(listener, app.into_make_service_with_connect_info::<SocketAddr>()).await.unwrap();
    });
    TestApp { base: format!("http://{addr}"), svc, db_url, api: Client::new(), fx, tokens }
}

async fn fixture(svc: &Service) -> Fixture {
    use tongxing_store::registry::{communities, districts, teams, units};
    let db = &svc.db;
    let d0 = districts::create(db, "西城中心片区").await.unwrap();
    let d1 = districts::create(db, "现河片区").await.unwrap();
    let c0 = communities::create(db, &CommunityInput { name: "雅苑小区".into(), district_id: d0, lat: 37.45, lng: 118.50 }).await.unwrap();
    let c1 = communities::create(db, &CommunityInput { name: "振兴小区".into(), district_id: d1, lat: 37.44, lng: 118.46 }).await.unwrap();
    let u0 = units::create(db, &UnitInput { name: "现河采油厂".into(), kind: "oilfield_unit".into(), webhook_url: None }).await.unwrap();
    let u1 = units::create(db, &UnitInput { name: "东胜公司".into(), kind: "oilfield_unit".into(), webhook_url: None }).await.unwrap();
    let team = |name: &str, d, u| TeamInput {
        name: name.into(),
        district_id: d,
        category: "elderly_care".into(),
        unit_id: Some(u),
        leader_volunteer_id: None,
    };
    let t0 = teams::create(db, &team("现河片区助老服务队", d0, u0)).await.unwrap();
    let t1 = teams::create(db, &team("东胜助老服务队", d1, u1)).await.unwrap();
    let vol = |name: &str, phone: &str, id: Option<&str>, u, c, t: Vec<i64>| VolunteerInput {
        name: name.into(),
        phone: phone.into(),
        id_number: id.map(str::to_string),
        unit_id: u,
        community_id: c,
        team_ids: t,
        skills: vec!["急救".into()],
        party_member: true,
        ..Default::default()
    };
    let mut ids = [0; 3];
    for (i, v) in [
        vol("张晓静", "13800000001", Some("11010519491231002X"), u0, c0, vec![t0]),
        vol("李国强", "13800000002", None, u0, c0, vec![]),
        vol("王秀英", "13800000003", None, u1, c1, vec![t1]),
    ]
    .iter()
    .enumerate()
    {
        let checked = v.check().unwrap();
        ids[i] = tongxing_store::registry::volunteers::create(db, &svc.record(v, &checked)).await.unwrap();
    }
    Fixture { districts: [d0, d1], communities: [c0, c1], units: [u0, u1], teams: [t0, t1], volunteers: ids }
}

/// The password of each fixture account is `pw-<role>-secret`.
pub fn password(role: Role) -> String {
    format!("pw-{}-secret", role.as_str())
}

async fn accounts(svc: &Service, fx: &Fixture) -> HashMap<Role, String> {
    let mut tokens = HashMap::new();
    for role in Role::ALL {
        let (unit_id, team_id, volunteer_id) = match role {
            Role::Liaison => (Some(fx.units[0]), None, None),
            Role::TeamLeader => (None, Some(fx.teams[0]), None),
            Role::Volunteer => (None, None, Some(fx.volunteers[0])),
            _ => (None, None, None),
        };
        let a = NewAccount { login: role.as_str().into(), password: password(role), role, unit_id, team_id, volunteer_id, name: None };
        tokens.insert(role, signed_in(svc, &a).await);
    }
    tokens
}

/// Creates the account and returns a session token for it. Sessions are opened
/// directly: one password check per test is enough (see auth tests).
async fn signed_in(svc: &Service, a: &NewAccount) -> String {
    let user = svc.create_user(None, a).await.unwrap();
    let token = format!("test-token-{}-{}", a.login, user.id);
    tongxing_store::sessions::create(&svc.db, &tongxing_service::auth::token_hash(&token), user.id, 3_600_000).await.unwrap();
    token
}

impl TestApp {
    /// A second team leader account, of `team`; returns its token.
    pub async fn leader_of(&self, team: i64, login: &str) -> String {
        let a = NewAccount {
            login: login.into(),
            password: password(Role::TeamLeader),
            role: Role::TeamLeader,
            unit_id: None,
            team_id: Some(team),
            volunteer_id: None,
            name: None,
        };
        signed_in(&self.svc, &a).await
    }

    /// One more account of any kind; returns its token.
    pub async fn account(&self, a: &NewAccount) -> String {
        signed_in(&self.svc, a).await
    }
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub fn token(&self, role: Role) -> &str {
        &self.tokens[&role]
    }

    pub async fn get(&self, role: Role, path: &str) -> Response {
        self.api.get(self.url(path)).bearer_auth(self.token(role)).send().await.unwrap()
    }

    pub async fn post(&self, role: Role, path: &str, body: &Value) -> Response {
        self.api.post(self.url(path)).bearer_auth(self.token(role)).json(body).send().await.unwrap()
    }

    pub async fn put(&self, role: Role, path: &str, body: &Value) -> Response {
        self.api.put(self.url(path)).bearer_auth(self.token(role)).json(body).send().await.unwrap()
    }

    /// A volunteer body that passes every rule, in unit 0 and team 0.
    pub fn new_volunteer(&self, phone: &str) -> Value {
        json!({"name": "赵新", "phone": phone, "unit_id": self.fx.units[0], "community_id": self.fx.communities[0],
               "team_ids": [self.fx.teams[0]], "skills": ["理发"], "party_member": false})
    }

    /// A browser: keeps cookies, does not follow redirects (so tests see 303s).
    pub fn browser(&self) -> Client {
        Client::builder().cookie_store(true).redirect(reqwest::redirect::Policy::none()).build().unwrap()
    }
}

/// Reads a JSON body, failing the test with the status and text if it is not JSON.
pub async fn body(resp: Response) -> Value {
    let status = resp.status();
    let text = resp.text().await.unwrap();
    serde_json::from_str(&text).unwrap_or_else(|_| panic!("status {status}, not JSON: {text}"))
}

/// Asserts the status and API.md's error body, returning the error object.
pub async fn expect_error(resp: Response, status: StatusCode, code: &str) -> Value {
    assert_eq!(resp.status(), status, "expected {status} {code}");
    let b = body(resp).await;
    assert_eq!(b["error"]["code"], code, "error body: {b}");
    assert!(b["error"]["message"].as_str().is_some_and(|m| !m.is_empty()), "a message: {b}");
    b["error"].clone()
}

impl TestApp {
    /// A POST with a body sent as is, for bodies that are not (valid) JSON.
    pub async fn post_raw(&self, role: Role, path: &str, content_type: &str, body: &str) -> Response {
        let req = self.api.post(self.url(path)).bearer_auth(self.token(role)).header(reqwest::header::CONTENT_TYPE, content_type);
        req.body(body.to_string()).send().await.unwrap()
    }

    /// Uploads a roster to `/api/v1/volunteers/import{query}` as multipart field `file`.
    pub async fn import(&self, role: Role, query: &str, file_name: &str, bytes: Vec<u8>) -> Response {
        let part = reqwest::multipart::Part::bytes(bytes).file_name(file_name.to_string());
        let form = reqwest::multipart::Form::new().part("file", part);
        let url = self.url(&format!("/api/v1/volunteers/import{query}"));
        self.api.post(url).bearer_auth(self.token(role)).multipart(form).send().await.unwrap()
    }

    /// The signed-in account behind a role's token.
    pub async fn user(&self, role: Role) -> tongxing_domain::model::User {
        self.svc.authenticate(self.token(role)).await.expect("the fixture token is valid")
    }

    /// The newest audit lines (up to 500), as (action, subject kind, subject id, user id).
    pub async fn audit(&self) -> Vec<(String, String, Option<i64>, Option<i64>)> {
        let page = tongxing_domain::paging::Page { page: 1, per_page: 500 };
        let list = tongxing_store::audit::list(&self.svc.db, page).await.unwrap();
        list.items.into_iter().map(|e| (e.action, e.subject_kind, e.subject_id, e.user_id)).collect()
    }

    /// Whether an audit line `action` on `kind` `id` by `role` exists.
    pub async fn audited(&self, role: Role, action: &str, kind: &str, id: i64) -> bool {
        let user = self.user(role).await.id;
        self.audit().await.iter().any(|(a, k, s, u)| a == action && k == kind && *s == Some(id) && *u == Some(user))
    }

    /// Every volunteer row, active or not, straight from the store.
    pub async fn volunteer_count(&self) -> i64 {
        let f = tongxing_store::registry::volunteers::Filter { include_inactive: true, ..Default::default() };
        tongxing_store::registry::volunteers::list(&self.svc.db, &f, tongxing_domain::paging::Page { page: 1, per_page: 1 })
            .await
            .unwrap()
            .total
    }

    /// A browser already signed in as `role` (the fixture session in the
    /// cookie, no password check), with the CSRF token its forms carry.
    pub async fn browser_as(&self, role: Role) -> (Client, String) {
        self.browser_with(self.token(role)).await
    }

    /// A browser signed in with any session token (e.g. of an account a test made).
    pub async fn browser_with(&self, token: &str) -> (Client, String) {
        let jar = std::sync::Arc::new(reqwest::cookie::Jar::default());
        jar.add_cookie_str(&format!("tx_session={token}; Path=/"), &self.base.parse().unwrap());
        let client = Client::builder().cookie_provider(jar).redirect(reqwest::redirect::Policy::none()).build().unwrap();
        let csrf = self.csrf(&client).await;
        (client, csrf)
    }

    /// Opens the login page in `client` (which sets the CSRF cookie) and returns the form's token.
    pub async fn csrf(&self, client: &Client) -> String {
        let html = client.get(self.url("/login")).send().await.unwrap().text().await.unwrap();
        csrf_in(&html)
    }
}

/// The value of the hidden `_csrf` input of a page.
pub fn csrf_in(html: &str) -> String {
    let marker = "name=\"_csrf\" value=\"";
    let start = html.find(marker).unwrap_or_else(|| panic!("no _csrf input in: {html}")) + marker.len();
    html[start..].split('"').next().unwrap().to_string()
}

/// A valid 18-character resident ID: 17 digits plus their checksum character.
pub fn id_number(first17: &str) -> String {
    const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    const CHECK: &[u8; 11] = b"10X98765432";
    assert_eq!(first17.len(), 17);
    let sum: u32 = first17.chars().zip(WEIGHTS).map(|(c, w)| c.to_digit(10).unwrap() * w).sum();
    format!("{first17}{}", CHECK[(sum % 11) as usize] as char)
}
