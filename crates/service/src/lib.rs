//! Tongxing's use cases: permissions, references, duplicates, auditing,
//! encryption of personal data. Handlers call these; these call the store.
#![forbid(unsafe_code)]

pub mod activities;
pub mod auth;
pub mod cache;
pub mod campaigns;
pub mod care;
mod certificates;
pub mod childcare;
pub mod crypto;
pub mod delivery;
pub mod demo;
pub mod dispatch;
mod disputes;
mod error;
pub mod export;
pub mod feed;
mod group_commit;
pub mod home;
pub mod honours;
pub mod hours;
pub mod needs;
mod notifications;
pub mod registry;
pub mod skills;
pub mod stats;
pub mod upload;

pub use error::{Error, Result};
pub use tongxing_store::{Backend, Db};

use std::sync::Arc;

use tongxing_domain::model::User;
use tongxing_domain::permission::{self, Action, Resource, Scope};

/// Settings the use cases need (the rest of the config belongs to the CLI).
#[derive(Debug, Clone)]
pub struct Settings {
    /// How long a login lasts.
    pub session_ttl_hours: i64,
    /// Failed logins within `login_window_minutes` before 429, per login
    /// and address: a guesser elsewhere cannot lock the account's owner out.
    pub login_max_failures: i64,
    /// The same per login from every address: a guesser spread over many.
    pub login_max_failures_per_account: i64,
    /// The same per client address, whatever the login (many logins from one place).
    pub login_max_failures_per_ip: i64,
    pub login_window_minutes: i64,
    /// How long a need may wait at each step before each warning level.
    pub warning_limits: tongxing_domain::needs::WarningLimits,
    /// Public submissions allowed per phone, and per address, in an hour.
    pub needs_per_phone_per_hour: i64,
    pub needs_per_ip_per_hour: i64,
    /// A claim with no progress for this long goes back to the pool.
    pub claim_expiry_hours: i64,
    /// Where SMS go (an HTTP adapter taking `{"phone", "text"}`); none sends no SMS.
    pub sms_gateway_url: Option<String>,
    /// The first retry waits this long; each further one twice as long.
    pub outbox_backoff_ms: i64,
    /// Star thresholds in hours (the national rule unless a region sets its own).
    pub star_ladder: tongxing_domain::hours::StarLadder,
    /// Where people reach this server from outside, when configured: links
    /// in SMS and on QR codes start with it; unset, with the address the
    /// request that made them came to.
    pub public_url: Option<String>,
    /// Confirmed volunteers are reminded this many hours before an activity starts.
    pub activity_reminder_hours: i64,
    /// Who signs the service certificates; empty takes the catalogue's default.
    pub certificate: CertificateIssuer,
    /// People confirmed on a call ending less than this many days before a
    /// new one rank after the rested; 0 lets the score alone decide.
    pub dispatch_rest_days: u32,
    /// Public childcare enrolments allowed per guardian's phone, and per address, in an hour.
    pub childcare_per_phone_per_hour: i64,
    pub childcare_per_ip_per_hour: i64,
    /// The childcare waitlist's priority rules (points per fact).
    pub childcare_priority: tongxing_domain::childcare::enrolment::PriorityRules,
    /// Days overdue before a care pair turns blue, yellow, orange, red.
    pub care_limits: tongxing_domain::care::due::CareLimits,
    /// How many open care pairs one volunteer may carry.
    pub care_max_pairs: i64,
}

/// The issuing organisation, person in charge and contact a service
/// certificate (志愿服务证明) names.
#[derive(Debug, Clone, Default)]
pub struct CertificateIssuer {
    pub organisation: String,
    pub person_in_charge: String,
    pub contact: String,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            session_ttl_hours: 24 * 7,
            login_max_failures: 5,
            login_max_failures_per_account: 100,
            login_max_failures_per_ip: 50,
            login_window_minutes: 15,
            warning_limits: Default::default(),
            needs_per_phone_per_hour: 5,
            needs_per_ip_per_hour: 30,
            claim_expiry_hours: 72,
            sms_gateway_url: None,
            outbox_backoff_ms: 5_000,
            star_ladder: Default::default(),
            public_url: None,
            activity_reminder_hours: 24,
            certificate: CertificateIssuer::default(),
            dispatch_rest_days: 3,
            childcare_per_phone_per_hour: 5,
            childcare_per_ip_per_hour: 200,
            childcare_priority: Default::default(),
            care_limits: Default::default(),
            care_max_pairs: 5,
        }
    }
}

/// Everything a request needs, cheap to clone.
#[derive(Clone)]
pub struct Service {
    pub db: Db,
    pub crypto: Arc<crypto::Crypto>,
    pub settings: Arc<Settings>,
    /// This instance's caches (sessions, activity pages) and its sign-up queue.
    pub caches: Arc<cache::Caches>,
    /// The dispatch ranking's in-memory pool of volunteers.
    pub call_pool: Arc<dispatch::pool_cache::PoolCache>,
}

/// Who is asking: the signed-in user.
pub type Actor = User;

impl Service {
    pub fn new(db: Db, crypto: crypto::Crypto, settings: Settings) -> Service {
        Service { db, crypto: Arc::new(crypto), settings: Arc::new(settings), caches: Arc::default(), call_pool: Arc::default() }
    }

    /// The reach of `actor` for `action` on `resource`, or 403.
    pub fn require(&self, actor: &Actor, action: Action, resource: Resource) -> Result<Scope> {
        let scope = permission::scope(actor.role, action, resource);
        if scope.allowed() {
            Ok(scope)
        } else {
            Err(Error::Forbidden)
        }
    }

    pub async fn audit(&self, actor: Option<&Actor>, action: &str, kind: &str, id: Option<i64>, detail: Option<&str>) -> Result<()> {
        tongxing_store::audit::record(&self.db, actor.map(|a| a.id), action, kind, id, detail).await?;
        Ok(())
    }
}
