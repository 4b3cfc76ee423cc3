//! Configuration, layered: defaults → TOML file → `TONGXING_*` environment
//! (with `__` for nesting) → command-line flags.

use std::path::{Path, PathBuf};

use figment::providers::{Env, Format, Serialized, Toml};
use figment::Figment;
use serde::{Deserialize, Serialize};
use tongxing_domain::hours::StarLadder;

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default)]
pub struct Config {
    /// `sqlite://path.db` (relative to the working directory), `sqlite:///abs/path.db` or `postgres://user@host/db`.
    pub database_url: String,
    /// PostgreSQL connections this instance keeps (the instances sharing a
    /// database split what it can use); SQLite ignores it.
    pub database_pool: u32,
    /// Where to listen, `host:port`.
    pub listen: String,
    /// Folder for the secret key (and the default SQLite file).
    pub data_dir: PathBuf,
    /// 32 bytes, base64: encrypts ID numbers at rest. Generated into data_dir if absent.
    pub secret_key: Option<String>,
    /// A file holding `secret_key` (for secret stores that mount files).
    pub secret_key_file: Option<PathBuf>,
    /// Mark cookies Secure; unset: when public_url is https.
    pub secure_cookies: Option<bool>,
    /// Take the client address from X-Forwarded-For (behind a load balancer), for login throttling.
    pub trust_forwarded_for: bool,
    /// `auto` (JSON when not a terminal), `json` or `text`.
    pub log_format: String,
    pub session_ttl_hours: i64,
    pub login_max_failures: i64,
    pub login_window_minutes: i64,
    /// A claimed need with no progress for this many hours goes back to the pool.
    pub claim_expiry_hours: i64,
    /// Needs a resident may submit without an account, per phone and per client address, in an hour.
    pub needs_per_phone_per_hour: i64,
    pub needs_per_ip_per_hour: i64,
    /// An HTTP SMS adapter that takes `{"phone", "text"}`; unset sends no SMS.
    pub sms_gateway_url: Option<String>,
    /// How people reach this server from outside (links in SMS, QR codes); unset: the address the request came to.
    pub public_url: Option<String>,
    /// Star levels' thresholds in confirmed hours: five, strictly rising.
    pub star_ladder: Vec<f64>,
    /// Confirmed volunteers are reminded this many hours before an activity.
    pub activity_reminder_hours: i64,
    /// Named on every service certificate; empty uses the built-in wording.
    pub certificate_organisation: String,
    pub certificate_person_in_charge: String,
    pub certificate_contact: String,
    /// People confirmed on an emergency call ending less than this many days
    /// before a new one rank after the rested for it; 0 turns the rest off.
    pub dispatch_rest_days: u32,
    /// 子女照辅班's waitlist priority: points for a guardian employed by a
    /// member unit, working shifts, and with both parents on shift.
    pub childcare_priority: [i64; 3],
    /// Who may read /metrics on `listen`: `off`, `open` or `token`.
    pub metrics: String,
    /// The bearer token a scraper sends when `metrics = "token"`.
    pub metrics_token: Option<String>,
    /// A file holding `metrics_token`.
    pub metrics_token_file: Option<PathBuf>,
    /// A second address that serves /metrics alone, to anyone who reaches it.
    pub metrics_listen: Option<String>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            database_url: "sqlite://data/tongxing.db".into(),
            database_pool: tongxing_store::DEFAULT_POOL,
            listen: "127.0.0.1:8080".into(),
            data_dir: "data".into(),
            secret_key: None,
            secret_key_file: None,
            secure_cookies: None,
            trust_forwarded_for: false,
            log_format: "auto".into(),
            session_ttl_hours: 24 * 7,
            login_max_failures: 5,
            login_window_minutes: 15,
            claim_expiry_hours: 72,
            needs_per_phone_per_hour: 5,
            needs_per_ip_per_hour: 30,
            sms_gateway_url: None,
            public_url: None,
            star_ladder: vec![100.0, 300.0, 600.0, 1000.0, 1500.0],
            activity_reminder_hours: 24,
            certificate_organisation: String::new(),
            certificate_person_in_charge: String::new(),
            certificate_contact: String::new(),
            dispatch_rest_days: 3,
            childcare_priority: [100, 10, 5],
            metrics: "off".into(),
            metrics_token: None,
            metrics_token_file: None,
            metrics_listen: None,
        }
    }
}

impl Config {
    /// Reads the layers; `file` is `--config`, else `TONGXING_CONFIG`, else `./tongxing.toml` if present.
    pub fn load(file: Option<&Path>) -> Result<Config, String> {
        let env_file = std::env::var_os("TONGXING_CONFIG").map(PathBuf::from);
        let path = file.map(Path::to_path_buf).or(env_file).or_else(|| Some(PathBuf::from("tongxing.toml")).filter(|p| p.exists()));
        let mut fig = Figment::from(Serialized::defaults(Config::default()));
        if let Some(p) = &path {
            if !p.exists() {
                return Err(format!("config file {} does not exist", p.display()));
            }
            fig = fig.merge(Toml::file(p));
        }
        let mut cfg: Config =
            fig.merge(Env::prefixed("TONGXING_").ignore(&["config"]).split("__")).extract().map_err(|e| format!("configuration: {e}"))?;
        if let Some(f) = &cfg.secret_key_file {
            let key = std::fs::read_to_string(f).map_err(|e| format!("cannot read secret_key_file {}: {e}", f.display()))?;
            cfg.secret_key = Some(key.trim().to_string());
        }
        if let Some(f) = &cfg.metrics_token_file {
            let token = std::fs::read_to_string(f).map_err(|e| format!("cannot read metrics_token_file {}: {e}", f.display()))?;
            cfg.metrics_token = Some(token.trim().to_string());
        }
        cfg.web()?;
        StarLadder::new(cfg.star_ladder.clone()).map_err(|e| format!("configuration: star_ladder: {e}"))?;
        if !(1..=100).contains(&cfg.database_pool) {
            return Err("configuration: database_pool must be between 1 and 100".into());
        }
        if cfg.activity_reminder_hours < 1 {
            return Err("configuration: activity_reminder_hours must be at least 1".into());
        }
        Ok(cfg)
    }

    /// The demo region's certificate issuer wherever none is configured.
    pub fn fill_demo_issuer(&mut self) {
        let [organisation, person, contact] = tongxing_demo::CERTIFICATE_ISSUER;
        for (field, demo) in [
            (&mut self.certificate_organisation, organisation),
            (&mut self.certificate_person_in_charge, person),
            (&mut self.certificate_contact, contact),
        ] {
            if field.trim().is_empty() {
                *field = demo.to_string();
            }
        }
    }

    /// The HTTP side's settings; refuses a `metrics` mode it does not know.
    pub fn web(&self) -> Result<tongxing_web::WebSettings, String> {
        Ok(tongxing_web::WebSettings {
            secure_cookies: self.secure_cookies,
            trust_forwarded_for: self.trust_forwarded_for,
            metrics: tongxing_web::MetricsAccess::from_config(&self.metrics, self.metrics_token.as_deref())
                .map_err(|e| format!("configuration: {e}"))?,
            request_timeout: None,
        })
    }

    pub fn settings(&self) -> tongxing_service::Settings {
        tongxing_service::Settings {
            session_ttl_hours: self.session_ttl_hours,
            login_max_failures: self.login_max_failures,
            login_window_minutes: self.login_window_minutes,
            claim_expiry_hours: self.claim_expiry_hours,
            needs_per_phone_per_hour: self.needs_per_phone_per_hour,
            needs_per_ip_per_hour: self.needs_per_ip_per_hour,
            sms_gateway_url: self.sms_gateway_url.clone().filter(|u| !u.is_empty()),
            public_url: self.public_url.clone().filter(|u| !u.is_empty()),
            star_ladder: StarLadder::new(self.star_ladder.clone()).unwrap_or_default(),
            activity_reminder_hours: self.activity_reminder_hours,
            certificate: tongxing_service::CertificateIssuer {
                organisation: self.certificate_organisation.clone(),
                person_in_charge: self.certificate_person_in_charge.clone(),
                contact: self.certificate_contact.clone(),
            },
            dispatch_rest_days: self.dispatch_rest_days,
            childcare_priority: tongxing_domain::childcare::enrolment::PriorityRules {
                member_unit: self.childcare_priority[0],
                shift_worker: self.childcare_priority[1],
                both_parents_on_shift: self.childcare_priority[2],
            },
            ..Default::default()
        }
    }
}

/// A documented config file, printed by `tongxing config example`.
pub const EXAMPLE: &str = r#"# Tongxing configuration. Every key can also be set as TONGXING_<KEY>
# in the environment (which wins over this file), and some as flags.

# sqlite://relative/path.db, sqlite:///absolute/path.db, or
# postgres://user:password@host:5432/database (several instances may share one).
database_url = "sqlite://data/tongxing.db"

# PostgreSQL only: connections this instance keeps open. The database server
# does best with about four per core in all; instances sharing it split that
# (two instances on a 4-core server: 8 each). SQLite ignores it.
database_pool = 16

# Address to listen on.
listen = "127.0.0.1:8080"

# Folder for secret.key (generated on first run when secret_key is unset).
data_dir = "data"

# 32 random bytes in base64 (`openssl rand -base64 32`). Encrypts ID numbers
# at rest: keep it safe and the same on every instance; a restore needs it.
# secret_key = "..."
# secret_key_file = "/run/secrets/tongxing_key"

# Cookies are marked Secure (sent over HTTPS only) when public_url starts
# with https://. Set this only to override that, e.g. true behind an HTTPS
# proxy without a public_url.
# secure_cookies = true

# Behind a load balancer, take the client address from X-Forwarded-For
# (the last entry, added by your proxy) so login throttling is per client.
trust_forwarded_for = false

# auto (JSON when output is not a terminal), json, or text.
log_format = "auto"

# Sessions last this long.
session_ttl_hours = 168

# Failed logins per login name within the window before answering 429.
login_max_failures = 5
login_window_minutes = 15

# A claimed need with no progress for this many hours goes back to the pool.
claim_expiry_hours = 72

# Needs a resident may submit without an account in an hour, per phone and
# per client address (behind a proxy, see trust_forwarded_for); more get 429.
needs_per_phone_per_hour = 5
needs_per_ip_per_hour = 30

# SMS to residents go through an HTTP adapter you run in front of your SMS
# provider: Tongxing POSTs {"phone": "...", "text": "..."}; unset sends none.
# sms_gateway_url = "http://127.0.0.1:9000/sms"

# The address people reach this server at from their phones: links in SMS
# (an emergency call's one-tap answer) and on check-in QR codes start with
# it. Unset: the address the browser that sent the call or showed the code used.
# public_url = "https://tongxing.example.cn"

# Star levels by cumulative confirmed hours: five strictly rising thresholds.
# The national community-volunteer rule is the default; Beijing, for
# example, uses [100, 200, 500, 800, 1000].
star_ladder = [100, 300, 600, 1000, 1500]

# Confirmed volunteers are reminded (in the app, and by SMS when a gateway
# is set) this many hours before an activity starts.
activity_reminder_hours = 24

# Who a service certificate (志愿服务证明) names as issuer, person in
# charge and contact. Empty uses a generic wording; set them for your region.
# certificate_organisation = "西城志愿服务协调中心"
# certificate_person_in_charge = "王主任"
# certificate_contact = "0546-1234567"

# Emergency calls spread the load: whoever was confirmed on a call ending
# less than this many days before a new call starts (or on one still to
# come) is asked for it only after every equally eligible rested person.
# 0 turns this off (then nearness, skills and reliability alone decide).
dispatch_rest_days = 3

# 子女照辅班: once a class is full, the waitlist is ordered by these points
# (highest first, then by arrival): a guardian employed by a member unit,
# working shifts, with both parents on shift.
childcare_priority = [100, 10, 5]

# /metrics (Prometheus text: request counts and latencies by route) on the
# main address: "off" (404, the default), "open" (anyone who reaches the
# server), or "token" (a scraper sends Authorization: Bearer <metrics_token>,
# at least 16 characters, e.g. `openssl rand -hex 16`).
metrics = "off"
# metrics_token = "..."
# metrics_token_file = "/run/secrets/tongxing_metrics_token"

# A second address that serves /metrics alone to anyone who reaches it;
# keep it on loopback or the monitoring network.
# metrics_listen = "127.0.0.1:9100"
"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_example_parses_to_the_defaults() {
        let from_example: Config = Figment::from(Toml::string(EXAMPLE)).extract().unwrap();
        let d = Config::default();
        assert_eq!(from_example.database_url, d.database_url);
        assert_eq!(from_example.listen, d.listen);
        assert_eq!(from_example.database_pool, d.database_pool);
        assert_eq!(from_example.session_ttl_hours, d.session_ttl_hours);
        assert_eq!(from_example.needs_per_ip_per_hour, d.needs_per_ip_per_hour);
        assert_eq!(d.settings().needs_per_phone_per_hour, tongxing_service::Settings::default().needs_per_phone_per_hour);
        assert_eq!(from_example.star_ladder, d.star_ladder);
        assert_eq!(d.settings().star_ladder, tongxing_service::Settings::default().star_ladder);
        assert_eq!(from_example.activity_reminder_hours, tongxing_service::Settings::default().activity_reminder_hours);
        assert_eq!(from_example.dispatch_rest_days, tongxing_service::Settings::default().dispatch_rest_days);
        assert_eq!(d.settings().childcare_priority, tongxing_service::Settings::default().childcare_priority);
        assert_eq!(from_example.childcare_priority, d.childcare_priority);
        assert_eq!((from_example.secure_cookies, from_example.metrics), (d.secure_cookies, d.metrics));
    }

    #[test]
    fn the_demo_names_a_certificate_issuer_only_where_none_is_configured() {
        let mut cfg = Config { certificate_contact: "0546-7777777".into(), ..Config::default() };
        cfg.fill_demo_issuer();
        let [organisation, person, _] = tongxing_demo::CERTIFICATE_ISSUER;
        let issuer = cfg.settings().certificate;
        assert_eq!((issuer.organisation.as_str(), issuer.person_in_charge.as_str()), (organisation, person));
        assert_eq!(issuer.contact, "0546-7777777");
    }

    fn load_toml(text: &str) -> Result<Config, String> {
        let dir = std::env::temp_dir().join(format!("tongxing-config-{}-{}", std::process::id(), text.len()));
        std::fs::write(&dir, text).unwrap();
        let cfg = Config::load(Some(&dir));
        std::fs::remove_file(&dir).ok();
        cfg
    }

    #[test]
    fn a_region_sets_its_own_star_ladder_and_a_bad_one_is_refused() {
        let beijing = load_toml("star_ladder = [100, 200, 500, 800, 1000]\n").unwrap();
        assert_eq!(beijing.settings().star_ladder.star(250.0), 2);
        for bad in ["[100, 50, 500, 800, 1000]", "[100, 200, 300]", "[0, 200, 500, 800, 1000]"] {
            let e = load_toml(&format!("star_ladder = {bad}\n")).unwrap_err();
            assert!(e.contains("star_ladder"), "{e}");
        }
    }

    #[test]
    fn the_database_pool_is_set_per_instance_within_bounds() {
        assert_eq!(load_toml("database_pool = 8\n").unwrap().database_pool, 8);
        for bad in ["0", "101"] {
            let e = load_toml(&format!("database_pool = {bad}\n")).unwrap_err();
            assert!(e.contains("database_pool"), "{e}");
        }
    }

    #[test]
    fn metrics_are_off_by_default_and_a_token_mode_needs_a_long_token() {
        use tongxing_web::MetricsAccess;
        assert_eq!(Config::default().web().unwrap().metrics, MetricsAccess::Off);
        let token = load_toml("metrics = \"token\"\nmetrics_token = \"0123456789abcdef\"\n").unwrap();
        assert_eq!(token.web().unwrap().metrics, MetricsAccess::Token("0123456789abcdef".into()));
        for bad in ["metrics = \"token\"\n", "metrics = \"token\"\nmetrics_token = \"short\"\n", "metrics = \"public\"\n"] {
            let e = load_toml(bad).unwrap_err();
            assert!(e.contains("metrics"), "{e}");
        }
    }
}
