//! Opening the database and serving HTTP until told to stop.

use std::io::IsTerminal;
use std::net::SocketAddr;
use std::time::Duration;

use tongxing_service::crypto::{Crypto, KeySource};
use tongxing_service::{Db, Service};
use tongxing_store::redact;
use tracing_subscriber::EnvFilter;

use crate::config::Config;

pub fn init_logging(cfg: &Config) {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,tower_http=warn"));
    let json = match cfg.log_format.as_str() {
        "json" => true,
        "text" => false,
        _ => !std::io::stderr().is_terminal(),
    };
    let builder = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr);
    if json {
        builder.json().init();
    } else {
        builder.init();
    }
}

/// Connects, migrates and builds the service every command uses.
pub async fn open(cfg: &Config) -> Result<Service, String> {
    let db = Db::connect_pooled(&cfg.database_url, cfg.database_pool)
        .await
        .map_err(|e| format!("cannot open {}: {e}", redact(&cfg.database_url)))?;
    db.migrate().await.map_err(|e| e.to_string())?;
    let (crypto, source) = Crypto::load_or_create(cfg.secret_key.as_deref(), &cfg.data_dir)?;
    if source == KeySource::Generated {
        tracing::warn!(path = %cfg.data_dir.join("secret.key").display(), "generated a new secret key for ID numbers; back it up — dumps and backups need it");
    }
    let svc = Service::new(db, crypto, cfg.settings());
    let indexed = svc.index_project_names().await.map_err(|e| e.to_string())?;
    if indexed > 0 {
        tracing::info!(projects = indexed, "derived the pinyin search keys of projects stored before they existed");
    }
    Ok(svc)
}

pub async fn serve(cfg: &Config, demo: bool) -> Result<(), String> {
    let svc = open(cfg).await?;
    tracing::info!(database = %redact(&cfg.database_url), "database ready");
    if demo {
        load_demo(&svc).await?;
    }
    let listener = tokio::net::TcpListener::bind(&cfg.listen).await.map_err(|e| format!("cannot listen on {}: {e}", cfg.listen))?;
    let state = tongxing_web::AppState::configured(svc.clone(), cfg.web()?);
    let app = tongxing_web::app(state.clone());
    if let Some(addr) = &cfg.metrics_listen {
        let metrics = tokio::net::TcpListener::bind(addr).await.map_err(|e| format!("cannot listen on {addr} (metrics_listen): {e}"))?;
        let router = tongxing_web::metrics_only(state.clone());
        tokio::spawn(async move {
            if let Err(e) = axum::serve(metrics, router).await {
                tracing::warn!(error = %e, "the metrics listener stopped");
            }
        });
    }
    tokio::spawn(prune_forever(svc.clone()));
    tokio::spawn(escalate_forever(svc.clone()));
    tokio::spawn(remind_eligible_forever(svc.clone()));
    tokio::spawn(deliver_forever(svc.clone()));
    tokio::spawn(credit_rollups_forever(svc.clone()));
    println!("Tongxing 同行 is running at http://{}", cfg.listen);
    axum::serve(listener, app.into_make_service_with_connect_info::<SocketAddr>())
        .with_graceful_shutdown(async move {
            shutdown_signal().await;
            state.end_live_streams();
        })
        .await
        .map_err(|e| e.to_string())?;
    svc.db.close().await;
    tracing::info!("stopped");
    Ok(())
}

async fn load_demo(svc: &Service) -> Result<(), String> {
    let (loaded, logins) =
        svc.load_demo(tongxing_demo::DEFAULT_VOLUNTEERS, tongxing_demo::DEFAULT_BENEFICIARIES).await.map_err(|e| e.to_string())?;
    if loaded {
        let past = tongxing_demo::activities::PAST_ACTIVITIES;
        println!("Demo region loaded (西城: 76 teams, 3,200 volunteers, a year of {past} activities with their hours).");
    } else {
        println!("Demo region already present; reusing it.");
    }
    println!("Demo logins (login / password):");
    for l in logins {
        let password = match svc.password_works(&l.login, &l.password).await.map_err(|e| e.to_string())? {
            true => l.password.as_str(),
            false => "(its own password: the account existed before the demo)",
        };
        println!("  {:<12} {:<12} {password}", l.role.as_str(), l.login);
    }
    if let Some(v) = svc.demo_volunteer().await.map_err(|e| e.to_string())? {
        println!("The volunteer login is {}: {:.1} confirmed hours (star {}), {} sign-ups now or ahead.", v.name, v.hours, v.star, v.ahead);
    }
    Ok(())
}

/// Expired sessions, rate-limit counters of a day ago and old idempotency keys are dropped hourly.
async fn prune_forever(svc: Service) {
    let mut tick = tokio::time::interval(Duration::from_secs(3600));
    loop {
        tick.tick().await;
        let before = tongxing_store::now_ms() - 24 * 3600 * 1000;
        if let Err(e) = tongxing_store::sessions::prune(&svc.db).await {
            tracing::warn!(error = %e, "pruning sessions failed");
        }
        if let Err(e) = tongxing_store::throttle::prune(&svc.db, before).await {
            tracing::warn!(error = %e, "pruning rate-limit counters failed");
        }
        if let Err(e) = tongxing_store::idempotency::prune(&svc.db).await {
            tracing::warn!(error = %e, "pruning idempotency keys failed");
        }
    }
}

/// Needs follow the clock: stale claims expire, warning levels are
/// recomputed and rises are escalated every minute. Several instances may all do it: both are
/// conditional updates, so nothing happens twice.
async fn escalate_forever(svc: Service) {
    let mut tick = tokio::time::interval(Duration::from_secs(60));
    loop {
        tick.tick().await;
        match svc.expire_stale_claims().await {
            Ok(0) => {}
            Ok(n) => tracing::info!(expired = n, "stale claims returned to the pool"),
            Err(e) => tracing::warn!(error = %e, "expiring stale claims failed"),
        }
        match svc.close_open_checkins().await {
            Ok(0) => {}
            Ok(n) => tracing::info!(closed = n, "check-ins left open closed at their activity's end"),
            Err(e) => tracing::warn!(error = %e, "closing open check-ins failed"),
        }
        match svc.remind_due_activities().await {
            Ok(0) => {}
            Ok(n) => tracing::info!(activities = n, "confirmed volunteers reminded of upcoming activities"),
            Err(e) => tracing::warn!(error = %e, "sending activity reminders failed"),
        }
        match svc.warn_campaign_slots(tongxing_store::now_ms()).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(warned = n, "campaign slots warned about (starting soon, ended owing)"),
            Err(e) => tracing::warn!(error = %e, "warning about campaign slots failed"),
        }
        match svc.raise_childcare_alerts(tongxing_store::now_ms()).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(raised = n, "childcare late drop-off and pick-up alerts raised"),
            Err(e) => tracing::warn!(error = %e, "raising childcare alerts failed"),
        }
        match svc.recompute_warnings().await {
            Ok(0) => {}
            Ok(n) => tracing::info!(changed = n, "need warning levels updated"),
            Err(e) => tracing::warn!(error = %e, "recomputing warning levels failed"),
        }
        match svc.escalate_warnings().await {
            Ok(0) => {}
            Ok(n) => tracing::info!(escalated = n, "warnings escalated"),
            Err(e) => tracing::warn!(error = %e, "escalating warnings failed"),
        }
        match svc.recompute_care_levels().await {
            Ok(0) => {}
            Ok(n) => tracing::info!(changed = n, "care pair warning levels updated"),
            Err(e) => tracing::warn!(error = %e, "recomputing care warning levels failed"),
        }
        match svc.escalate_care().await {
            Ok(0) => {}
            Ok(n) => tracing::info!(escalated = n, "overdue care pairs escalated"),
            Err(e) => tracing::warn!(error = %e, "escalating overdue care pairs failed"),
        }
        match svc.remind_care_visits().await {
            Ok(0) => {}
            Ok(n) => tracing::info!(reminded = n, "volunteers reminded of care visits due soon"),
            Err(e) => tracing::warn!(error = %e, "sending care visit reminders failed"),
        }
    }
}

/// Eligibility changes by the day, and finding who became eligible reads
/// every certification: hourly is soon enough, the first sweep ten minutes
/// after start so a restart's own work comes first. Each person is reminded
/// once per level whichever instance finds them.
async fn remind_eligible_forever(svc: Service) {
    let first = tokio::time::Instant::now() + Duration::from_secs(600);
    let mut tick = tokio::time::interval_at(first, Duration::from_secs(3600));
    loop {
        tick.tick().await;
        match svc.remind_eligible(tongxing_store::now_ms()).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(reminded = n, "people reminded they may apply for the next skill level"),
            Err(e) => tracing::warn!(error = %e, "reminding the eligible failed"),
        }
    }
}

/// Sends due webhook and SMS deliveries every two seconds.
async fn deliver_forever(svc: Service) {
    let mut tick = tokio::time::interval(Duration::from_secs(2));
    loop {
        tick.tick().await;
        if let Err(e) = svc.deliver_due().await {
            tracing::warn!(error = %e, "delivering the outbox failed");
        }
    }
}

/// Credits the ledger entries queued for the dashboard's rollups every two
/// seconds, so a dashboard read (which drains what is left first) seldom
/// has any to credit itself.
async fn credit_rollups_forever(svc: Service) {
    let mut tick = tokio::time::interval(Duration::from_secs(2));
    loop {
        tick.tick().await;
        if let Err(e) = tongxing_store::stats::pending::drain(&svc.db).await {
            tracing::warn!(error = %e, "crediting ledger entries to the dashboard's rollups failed");
        }
    }
}

/// Ctrl-C or SIGTERM: stop accepting, finish requests in flight, close the pools.
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
    tracing::info!("shutting down");
}
