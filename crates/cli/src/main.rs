//! `tongxing`: the one binary a coordination center runs.
#![forbid(unsafe_code)]

mod commands;
mod config;
mod past_needs;
mod serve;

use std::path::PathBuf;

use clap::{Parser, Subcommand};

use config::Config;

/// mimalloc rather than glibc's malloc: a login's password check takes a
/// 19 MiB block for a moment (Argon2), and glibc, once such a block is
/// freed, keeps the next ones in whichever thread's arena asked — 20 MiB more
/// resident for each thread that ever checked a password. mimalloc gives
/// them back.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(name = "tongxing", version, about = "同行 Tongxing — regional volunteer coordination")]
struct Cli {
    /// A TOML config file (default: $TONGXING_CONFIG, else ./tongxing.toml if present).
    #[arg(long, global = true)]
    config: Option<PathBuf>,
    /// Overrides database_url.
    #[arg(long, global = true)]
    database_url: Option<String>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Start the web server.
    Serve {
        /// Load the demo region on first start and print the demo logins.
        #[arg(long)]
        demo: bool,
        /// Overrides listen (host:port).
        #[arg(long)]
        listen: Option<String>,
    },
    /// Apply database migrations and exit.
    Migrate,
    /// Manage accounts.
    Admin {
        #[command(subcommand)]
        action: AdminAction,
    },
    /// Load a demo region of any size (for trials and benchmarks).
    Demo {
        #[arg(long, default_value_t = tongxing_demo::DEFAULT_VOLUNTEERS)]
        volunteers: usize,
        #[arg(long, default_value_t = tongxing_demo::DEFAULT_BENEFICIARIES)]
        beneficiaries: usize,
        /// Also write this many needs of a past year in bulk, mostly closed,
        /// on top of the few hundred the demo walks through the service.
        #[arg(long, default_value_t = 0)]
        needs: usize,
    },
    /// The needs marketplace's upkeep.
    Needs {
        #[command(subcommand)]
        action: NeedsAction,
    },
    /// The leadership dashboard's upkeep.
    Stats {
        #[command(subcommand)]
        action: StatsAction,
    },
    /// Import a volunteer roster (.xlsx or .csv).
    Import {
        file: PathBuf,
        /// Import the good lines even if others have errors.
        #[arg(long)]
        partial: bool,
        /// Check only; write nothing.
        #[arg(long)]
        dry_run: bool,
        /// The admin account the import is recorded under (default: the first admin).
        #[arg(long = "as")]
        as_login: Option<String>,
    },
    /// Export a list to .xlsx.
    Export {
        #[arg(value_parser = ["volunteers", "teams", "units", "communities", "districts", "beneficiaries"])]
        list: String,
        #[arg(long, short)]
        out: PathBuf,
    },
    /// Copy a running SQLite database to DEST (online, consistent).
    Backup { dest: PathBuf },
    /// Write the whole database as a versioned, backend-neutral dump ("-" for stdout).
    Dump { dest: String },
    /// Load a dump into an empty database (any backend).
    Restore { src: PathBuf },
    /// Exit 0 if the server at `listen` answers /readyz.
    Healthcheck {
        #[arg(long)]
        url: Option<String>,
    },
    /// Configuration helpers.
    Config {
        #[command(subcommand)]
        action: ConfigAction,
    },
}

#[derive(Subcommand)]
enum AdminAction {
    /// Create an administrator account.
    Create {
        #[arg(long)]
        login: String,
        #[arg(long)]
        password: String,
    },
}

#[derive(Subcommand)]
enum NeedsAction {
    /// Recompute every open need's warning level now (the server does it every
    /// minute) and print how many changed and how long it took.
    Recompute,
}

#[derive(Subcommand)]
enum StatsAction {
    /// Set the ledger's running totals and the dashboard's rollups again from
    /// every entry (after entries were written with SQL, as the benchmarks do)
    /// and print how long it took.
    Rebuild,
}

#[derive(Subcommand)]
enum ConfigAction {
    /// Print a documented example config file.
    Example,
}

fn main() {
    let cli = Cli::parse();
    if let Command::Config { action: ConfigAction::Example } = cli.command {
        print!("{}", config::EXAMPLE);
        return;
    }
    let mut cfg = match Config::load(cli.config.as_deref()) {
        Ok(c) => c,
        Err(e) => fail(&e),
    };
    if let Some(url) = cli.database_url {
        cfg.database_url = url;
    }
    serve::init_logging(&cfg);
    let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build().unwrap_or_else(|e| fail(&e.to_string()));
    if let Err(e) = rt.block_on(run(cli.command, cfg)) {
        fail(&e);
    }
}

async fn run(command: Command, mut cfg: Config) -> Result<(), String> {
    match command {
        Command::Serve { demo, listen } => {
            if let Some(l) = listen {
                cfg.listen = l;
            }
            if demo {
                cfg.fill_demo_issuer();
            }
            serve::serve(&cfg, demo).await
        }
        Command::Migrate => commands::migrate(&cfg).await,
        Command::Admin { action: AdminAction::Create { login, password } } => commands::create_admin(&cfg, &login, &password).await,
        Command::Demo { volunteers, beneficiaries, needs } => commands::demo(&cfg, volunteers, beneficiaries, needs).await,
        Command::Needs { action: NeedsAction::Recompute } => commands::recompute_warnings(&cfg).await,
        Command::Stats { action: StatsAction::Rebuild } => commands::rebuild_stats(&cfg).await,
        Command::Import { file, partial, dry_run, as_login } => commands::import(&cfg, &file, partial, dry_run, as_login.as_deref()).await,
        Command::Export { list, out } => commands::export(&cfg, &list, &out).await,
        Command::Backup { dest } => commands::backup(&cfg, &dest).await,
        Command::Dump { dest } => commands::dump(&cfg, &dest).await,
        Command::Restore { src } => commands::restore(&cfg, &src).await,
        Command::Healthcheck { url } => commands::healthcheck(&cfg, url.as_deref()).await,
        Command::Config { .. } => Ok(()),
    }
}

fn fail(msg: &str) -> ! {
    eprintln!("tongxing: {msg}");
    std::process::exit(1)
}
