//! Logins, sessions and accounts.

use argon2::password_hash::{rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use rand::RngCore;
use sha2::{Digest, Sha256};
use std::sync::LazyLock;
use tokio::sync::Semaphore;
use tongxing_domain::model::{Paged, User};
use tongxing_domain::paging::Page;
use tongxing_domain::permission::{Action, Resource};
use tongxing_domain::registry::Validate;
use tongxing_domain::role::Role;
use tongxing_domain::throttle;
use tongxing_domain::Invalid;
use tongxing_store::{now_ms, sessions, throttle as store_throttle, users, Backend};

use crate::group_commit::SessionCheck;
use crate::{Actor, Error, Result, Service};

pub fn hash_password(password: &str) -> String {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default().hash_password(password.as_bytes(), &salt).expect("argon2 with default parameters").to_string()
}

fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash).map(|h| Argon2::default().verify_password(password.as_bytes(), &h).is_ok()).unwrap_or(false)
}

/// Each Argon2 hash or check holds a 19 MiB block while it runs: no more of
/// them at once than there are cores, so a burst of logins queues for the
/// CPU it needs anyway instead of multiplying that memory.
static ARGON2_SLOTS: LazyLock<Semaphore> = LazyLock::new(|| Semaphore::new(std::thread::available_parallelism().map_or(1, |n| n.get())));

/// Runs an Argon2 hash or check off the async threads, in one of the slots;
/// the slot goes with the work, so a caller that hangs up frees it only
/// when the work is done.
pub(crate) async fn argon2<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> Result<T> {
    let slot = ARGON2_SLOTS.acquire().await.map_err(|e| Error::Internal(e.to_string()))?;
    tokio::task::spawn_blocking(move || {
        let _slot = slot;
        work()
    })
    .await
    .map_err(|e| Error::Internal(e.to_string()))
}

/// Sessions are looked up by this hash, so a leaked database holds no usable token.
pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

fn new_token() -> String {
    let mut b = [0u8; 32];
    rand::thread_rng().fill_bytes(&mut b);
    hex::encode(b)
}

/// A hash checked for unknown logins, so they take as long as known ones.
fn dummy_hash() -> String {
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DUMMY.get_or_init(|| hash_password(&new_token())).clone()
}

/// How long an account's name may be, in characters.
const NAME_MAX: usize = 50;

#[derive(Debug, Clone, serde::Deserialize, utoipa::ToSchema)]
pub struct NewAccount {
    /// 3 to 64 letters, digits or `._-@`.
    #[schema(pattern = "^[A-Za-z0-9._@-]{3,64}$")]
    pub login: String,
    #[schema(min_length = 8)]
    pub password: String,
    pub role: Role,
    /// Required for a liaison.
    #[serde(default)]
    #[schema(schema_with = tongxing_domain::schema::optional_id)]
    pub unit_id: Option<i64>,
    /// Required for a team leader.
    #[serde(default)]
    #[schema(schema_with = tongxing_domain::schema::optional_id)]
    pub team_id: Option<i64>,
    /// Required for a volunteer.
    #[serde(default)]
    #[schema(schema_with = tongxing_domain::schema::optional_id)]
    pub volunteer_id: Option<i64>,
    /// The name the person is shown by; a volunteer's account may leave it
    /// out and is shown by the volunteer's name.
    #[serde(default)]
    #[schema(max_length = 50)]
    pub name: Option<String>,
}

impl Validate for NewAccount {
    fn problems(&self) -> Invalid {
        let mut e = Invalid::default();
        let login_ok =
            self.login.len() >= 3 && self.login.len() <= 64 && self.login.chars().all(|c| c.is_ascii_alphanumeric() || "._-@".contains(c));
        if !login_ok {
            e.push("login", "login_format");
        }
        if self.password.chars().count() < 8 {
            e.push("password", "password_short");
        }
        if self.role == Role::Liaison && self.unit_id.is_none() {
            e.push("unit_id", "required");
        }
        if self.role == Role::TeamLeader && self.team_id.is_none() {
            e.push("team_id", "required");
        }
        if self.role == Role::Volunteer && self.volunteer_id.is_none() {
            e.push("volunteer_id", "required");
        }
        if let Some(name) = self.name.as_deref().filter(|n| !n.trim().is_empty()) {
            e.text("name", name, NAME_MAX);
        }
        e
    }
}

impl Service {
    /// Checks a password and opens a session; repeated failures answer 429
    /// (domain/throttle.rs). Every attempt is counted before the password is
    /// checked, atomically, so racing guesses cannot all slip under a limit;
    /// a success takes its count back. A failure waits longer each time.
    pub async fn login(&self, login: &str, password: &str, ip: &str) -> Result<(String, User)> {
        let s = &self.settings;
        let (pair, account, address) = (throttle::login_pair(login, ip), throttle::login_account(login), throttle::login_address(ip));
        let window = s.login_window_minutes * 60_000;
        let now = now_ms();
        let failures = self.hit(&pair, s.login_max_failures, window, now).await?;
        self.hit(&account, s.login_max_failures_per_account, window, now).await?;
        self.hit(&address, s.login_max_failures_per_ip, window, now).await?;
        let found = users::by_login(&self.db, login).await?;
        let hash = found.as_ref().map(|(_, h)| h.clone()).unwrap_or_else(dummy_hash);
        let pw = password.to_string();
        let ok = argon2(move || verify_password(&pw, &hash)).await?;
        match found {
            Some((user, _)) if ok && user.active => {
                store_throttle::reset(&self.db, &pair).await?;
                store_throttle::reset(&self.db, &account).await?;
                store_throttle::undo(&self.db, &address).await?;
                let token = new_token();
                sessions::create(&self.db, &token_hash(&token), user.id, s.session_ttl_hours * 3_600_000).await?;
                Ok((token, user))
            }
            _ => {
                tokio::time::sleep(throttle::login_delay(failures)).await;
                Err(Error::Unauthorized)
            }
        }
    }

    /// Counts one hit on a rate-limit key; past `limit` in the window, 429
    /// saying when the window ends.
    pub(crate) async fn hit(&self, key: &str, limit: i64, window_ms: i64, now: i64) -> Result<i64> {
        let (hits, window_start) = store_throttle::hit(&self.db, key, window_ms, now).await?;
        if hits > limit {
            let left_ms = (window_start + window_ms - now).max(1_000);
            return Err(Error::RateLimited { retry_after_secs: ((left_ms + 999) / 1_000) as u64 });
        }
        Ok(hits)
    }

    /// The user behind a session token, or 401. A session checked within
    /// `cache::SESSION_TTL` (`SESSION_TTL_HEARD` while PostgreSQL's feed is
    /// heard) is answered from memory.
    pub async fn authenticate(&self, token: &str) -> Result<User> {
        let hash = token_hash(token);
        self.caches.feed.start(&self.db, &self.caches);
        if let Some(user) = self.caches.session(&hash) {
            return Ok(user);
        }
        let mark = self.caches.session_mark();
        let found = match self.db.backend() {
            Backend::Sqlite => users::by_session(&self.db, &hash).await?,
            Backend::Postgres => self.caches.session_checks.run(&self.db, SessionCheck(hash.clone())).await?,
        };
        let user = found.ok_or(Error::Unauthorized)?;
        self.caches.put_session(&hash, &user, mark);
        Ok(user)
    }

    /// Whether `login` is an active account that `password` opens: the
    /// start-up banner prints a demo password only where it works (an
    /// account made first with `tongxing admin create` keeps its own).
    pub async fn password_works(&self, login: &str, password: &str) -> Result<bool> {
        let found = users::by_login(&self.db, login).await?;
        match found {
            Some((u, hash)) if u.active => {
                let pw = password.to_string();
                argon2(move || verify_password(&pw, &hash)).await
            }
            _ => Ok(false),
        }
    }

    pub async fn logout(&self, token: &str) -> Result<()> {
        let hash = token_hash(token);
        self.caches.forget_session(&hash);
        Ok(sessions::delete(&self.db, &hash).await?)
    }

    /// Creates an account; `actor` is `None` only for the CLI and the demo.
    pub async fn create_user(&self, actor: Option<&Actor>, a: &NewAccount) -> Result<User> {
        if let Some(actor) = actor {
            self.require(actor, Action::Write, Resource::User)?;
        }
        a.problems().into_result()?;
        let pw = a.password.clone();
        let hash = argon2(move || hash_password(&pw)).await?;
        let new = users::NewUser {
            login: &a.login,
            password_hash: &hash,
            role: a.role,
            unit_id: a.unit_id,
            team_id: a.team_id,
            volunteer_id: a.volunteer_id,
            name: a.name.as_deref().map(str::trim).filter(|n| !n.is_empty()),
        };
        let id = match users::create(&self.db, &new).await {
            Ok(id) => id,
            Err(tongxing_store::Error::Conflict) => return Err(Error::Conflict { code: "duplicate_login", field: Some("login") }),
            Err(tongxing_store::Error::BadReference) => return Err(self.missing_reference(a).await),
            Err(other) => return Err(other.into()),
        };
        self.audit(actor, "create", "user", Some(id), Some(a.role.as_str())).await?;
        Ok(users::get(&self.db, id).await?)
    }

    /// Names the reference of `a` that a foreign key refused.
    async fn missing_reference(&self, a: &NewAccount) -> Error {
        if let Some(t) = a.team_id {
            if tongxing_store::registry::teams::get(&self.db, t).await.is_err() {
                return Error::unknown_reference("team_id");
            }
        }
        if let Some(v) = a.volunteer_id {
            if tongxing_store::registry::volunteers::get(&self.db, v).await.is_err() {
                return Error::unknown_reference("volunteer_id");
            }
        }
        Error::unknown_reference("unit_id")
    }

    /// Disables or re-enables an account (admin only; never one's own).
    pub async fn set_user_active(&self, actor: &Actor, id: i64, active: bool) -> Result<()> {
        self.require(actor, Action::Write, Resource::User)?;
        if id == actor.id && !active {
            return Err(Error::Conflict { code: "cannot_deactivate_self", field: None });
        }
        users::set_active(&self.db, id, active).await?;
        self.caches.forget_user(id);
        self.audit(Some(actor), if active { "reactivate" } else { "deactivate" }, "user", Some(id), None).await
    }

    /// Sets a new password for an account (admin only), e.g. when a liaison forgot theirs.
    pub async fn reset_password(&self, actor: &Actor, id: i64, password: &str) -> Result<()> {
        self.require(actor, Action::Write, Resource::User)?;
        if password.chars().count() < 8 {
            return Err(Error::Validation(Invalid::one("password", "password_short")));
        }
        let pw = password.to_string();
        let hash = argon2(move || hash_password(&pw)).await?;
        users::set_password(&self.db, id, &hash).await?;
        self.caches.forget_user(id);
        self.audit(Some(actor), "reset_password", "user", Some(id), None).await
    }

    pub async fn list_users(&self, actor: &Actor, page: Page) -> Result<Paged<User>> {
        self.require(actor, Action::Read, Resource::User)?;
        Ok(users::list(&self.db, page).await?)
    }
}
