//! The one-shot subcommands.

use std::io::{BufReader, BufWriter, Read, Write};
use std::path::Path;
use std::time::Instant;

use indicatif::{ProgressBar, ProgressStyle};
use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tongxing_domain::model::User;
use tongxing_domain::paging::Page;
use tongxing_domain::role::Role;
use tongxing_service::auth::NewAccount;
use tongxing_service::export::{xlsx, MAX_EXPORT_ROWS};
use tongxing_service::registry::roster_import::Mode;
use tongxing_service::Service;
use tongxing_store::{dump as dumpfile, users};

use crate::config::Config;
use crate::serve::open;

fn s(e: impl std::fmt::Display) -> String {
    e.to_string()
}

pub async fn migrate(cfg: &Config) -> Result<(), String> {
    open(cfg).await?;
    println!("migrations applied");
    Ok(())
}

pub async fn create_admin(cfg: &Config, login: &str, password: &str) -> Result<(), String> {
    let svc = open(cfg).await?;
    let account = NewAccount {
        login: login.into(),
        password: password.into(),
        role: Role::Admin,
        unit_id: None,
        team_id: None,
        volunteer_id: None,
        name: None,
    };
    let user = svc.create_user(None, &account).await.map_err(|e| format!("cannot create {login}: {e}"))?;
    println!("admin {} created (id {})", user.login, user.id);
    Ok(())
}

pub async fn demo(cfg: &Config, volunteers: usize, beneficiaries: usize, needs: usize) -> Result<(), String> {
    let svc = open(cfg).await?;
    let (loaded, _) = svc.load_demo(volunteers, beneficiaries).await.map_err(s)?;
    if !loaded {
        println!("the database already has a region; nothing loaded");
        return Ok(());
    }
    if needs > 0 {
        let started = Instant::now();
        let n = crate::past_needs::load(&svc, needs).await?;
        println!("{n} needs of a past year written in {:.1} s", started.elapsed().as_secs_f64());
    }
    let past = tongxing_demo::activities::PAST_ACTIVITIES;
    println!("demo region loaded with {volunteers} volunteers and a year of {past} activities");
    Ok(())
}

pub async fn recompute_warnings(cfg: &Config) -> Result<(), String> {
    let svc = open(cfg).await?;
    let started = Instant::now();
    let changed = svc.recompute_warnings().await.map_err(s)?;
    println!("warning levels recomputed in {:.1} ms: {changed} changed", started.elapsed().as_secs_f64() * 1000.0);
    Ok(())
}

pub async fn rebuild_stats(cfg: &Config) -> Result<(), String> {
    let svc = open(cfg).await?;
    let started = Instant::now();
    tongxing_store::ledger::rebuild_all(&svc.db).await.map_err(s)?;
    println!("ledger totals and dashboard rollups rebuilt in {:.1} s", started.elapsed().as_secs_f64());
    Ok(())
}

/// The account a CLI action is recorded under: the named one, else the first admin.
async fn acting_admin(svc: &Service, login: Option<&str>) -> Result<User, String> {
    let all = users::list(&svc.db, Page { page: 1, per_page: 10_000 }).await.map_err(s)?;
    all.items
        .into_iter()
        .find(|u| u.active && u.role == Role::Admin && login.is_none_or(|l| l == u.login))
        .ok_or_else(|| "no such admin account; create one with `tongxing admin create`".to_string())
}

pub async fn import(cfg: &Config, file: &Path, partial: bool, dry_run: bool, as_login: Option<&str>) -> Result<(), String> {
    let svc = open(cfg).await?;
    let actor = acting_admin(&svc, as_login).await?;
    let bytes = std::fs::read(file).map_err(|e| format!("cannot read {}: {e}", file.display()))?;
    let bar = ProgressBar::new(0);
    bar.set_style(ProgressStyle::with_template("{msg} [{bar:40}] {pos}/{len} ({eta})").map_err(s)?.progress_chars("=> "));
    bar.set_message("importing");
    let progress = |done: usize, total: usize| {
        bar.set_length(total as u64);
        bar.set_position(done as u64);
    };
    let mode = if dry_run { Mode::Preview } else { Mode::Commit { partial } };
    let name = file.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_default();
    let report = svc.import_roster(&actor, &name, &bytes, mode, &progress).await.map_err(s)?;
    bar.finish_and_clear();
    for e in &report.errors {
        eprintln!("line {}: {} — {}", e.row, e.field, e.code);
    }
    println!(
        "{} lines read; {} created, {} updated, {} errors; {}",
        report.rows,
        report.created,
        report.updated,
        report.errors.len(),
        if report.committed { "committed" } else { "nothing written" }
    );
    if !report.errors.is_empty() && !report.committed {
        return Err("the file has errors; fix them, or pass --partial to import the good lines".into());
    }
    Ok(())
}

pub async fn export(cfg: &Config, list: &str, out: &Path) -> Result<(), String> {
    let svc = open(cfg).await?;
    let actor = acting_admin(&svc, None).await?;
    let all = Page { page: 1, per_page: MAX_EXPORT_ROWS };
    let (headings, rows): (Vec<&str>, Vec<Vec<String>>) = match list {
        "volunteers" => {
            let l = svc.list_volunteers(&actor, Default::default(), all).await.map_err(s)?;
            let rows = l
                .items
                .into_iter()
                .map(|v| {
                    vec![
                        v.id.to_string(),
                        v.name,
                        v.phone,
                        v.unit_name,
                        v.community_name,
                        v.skills.join("、"),
                        (if v.party_member { "是" } else { "否" }).into(),
                    ]
                })
                .collect();
            (vec!["编号", "姓名", "手机号", "单位", "小区", "技能", "是否党员"], rows)
        }
        "teams" => {
            let l = svc.list_teams(&actor, &Default::default(), all).await.map_err(s)?;
            let rows = l
                .items
                .into_iter()
                .map(|t| {
                    vec![t.id.to_string(), t.name, t.district_name, t.category, t.unit_name.unwrap_or_default(), t.member_count.to_string()]
                })
                .collect();
            (vec!["编号", "名称", "片区", "服务类别", "单位", "人数"], rows)
        }
        "units" => {
            let l = svc.list_units(&actor, &Default::default(), all).await.map_err(s)?;
            (
                vec!["编号", "名称", "类型", "志愿者"],
                l.items.into_iter().map(|u| vec![u.id.to_string(), u.name, u.kind, u.volunteer_count.to_string()]).collect(),
            )
        }
        "communities" => {
            let l = svc.list_communities(&actor, &Default::default(), all).await.map_err(s)?;
            (
                vec!["编号", "名称", "片区", "纬度", "经度"],
                l.items
                    .into_iter()
                    .map(|c| vec![c.id.to_string(), c.name, c.district_name, c.lat.to_string(), c.lng.to_string()])
                    .collect(),
            )
        }
        "districts" => {
            let l = svc.list_districts(&actor, &Default::default(), all).await.map_err(s)?;
            (
                vec!["编号", "名称", "小区", "服务队"],
                l.items
                    .into_iter()
                    .map(|d| vec![d.id.to_string(), d.name, d.community_count.to_string(), d.team_count.to_string()])
                    .collect(),
            )
        }
        _ => {
            let l = svc.list_beneficiaries(&actor, &Default::default(), all).await.map_err(s)?;
            (
                vec!["编号", "姓名", "类型", "小区", "电话"],
                l.items
                    .into_iter()
                    .map(|b| vec![b.id.to_string(), b.name, b.kind, b.community_name, b.phone.unwrap_or_default()])
                    .collect(),
            )
        }
    };
    let headings: Vec<String> = headings.into_iter().map(str::to_string).collect();
    let bytes = xlsx(list, &headings, &rows).map_err(s)?;
    std::fs::write(out, bytes).map_err(|e| format!("cannot write {}: {e}", out.display()))?;
    println!("{} rows written to {}", rows.len(), out.display());
    Ok(())
}

pub async fn backup(cfg: &Config, dest: &Path) -> Result<(), String> {
    let svc = open(cfg).await?;
    if dest.exists() {
        return Err(format!("{} exists; choose a new file", dest.display()));
    }
    svc.db.backup_sqlite(&dest.to_string_lossy()).await.map_err(s)?;
    println!("backup written to {}", dest.display());
    Ok(())
}

pub async fn dump(cfg: &Config, dest: &str) -> Result<(), String> {
    let svc = open(cfg).await?;
    let meta = json!({"key_fingerprint": svc.crypto.fingerprint(), "created_at_ms": tongxing_store::now_ms()});
    let n = if dest == "-" {
        let mut out = BufWriter::new(std::io::stdout().lock());
        let n = dumpfile::dump(&svc.db, meta, &mut out).await.map_err(s)?;
        out.flush().map_err(s)?;
        n
    } else {
        let mut out = BufWriter::new(std::fs::File::create(dest).map_err(|e| format!("cannot create {dest}: {e}"))?);
        let n = dumpfile::dump(&svc.db, meta, &mut out).await.map_err(s)?;
        out.flush().map_err(s)?;
        n
    };
    eprintln!("{n} rows dumped");
    Ok(())
}

/// Restores only with the key the dump's ID numbers were encrypted with.
pub async fn restore(cfg: &Config, src: &Path) -> Result<(), String> {
    let svc = open(cfg).await?;
    let mut text = String::new();
    std::fs::File::open(src).and_then(|mut f| f.read_to_string(&mut text)).map_err(|e| format!("cannot read {}: {e}", src.display()))?;
    let header = text.lines().next().unwrap_or_default();
    let meta = dumpfile::read_header(header).map_err(s)?;
    if meta["key_fingerprint"].as_str().is_some_and(|f| f != svc.crypto.fingerprint()) {
        return Err(
            "this dump was made with another secret key; configure that key (secret_key or data_dir/secret.key) before restoring".into()
        );
    }
    let n = dumpfile::restore(&svc.db, BufReader::new(text.as_bytes())).await.map_err(s)?;
    println!("{n} rows restored");
    Ok(())
}

/// A plain HTTP/1.1 GET of /readyz, so the check needs no HTTP client library.
pub async fn healthcheck(cfg: &Config, url: Option<&str>) -> Result<(), String> {
    let target = url.map(str::to_string).unwrap_or_else(|| format!("http://{}/readyz", cfg.listen));
    let rest = target.strip_prefix("http://").ok_or("only http:// URLs are supported")?;
    let (host, path) = rest.split_once('/').map(|(h, p)| (h, format!("/{p}"))).unwrap_or((rest, "/readyz".into()));
    let check = async {
        let mut conn = tokio::net::TcpStream::connect(host).await.map_err(|e| format!("cannot connect to {host}: {e}"))?;
        conn.write_all(format!("GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n").as_bytes()).await.map_err(s)?;
        let mut buf = Vec::new();
        conn.read_to_end(&mut buf).await.map_err(s)?;
        let status = String::from_utf8_lossy(&buf).lines().next().unwrap_or_default().to_string();
        if status.split_whitespace().nth(1) == Some("200") {
            println!("ok");
            Ok(())
        } else {
            Err(format!("unhealthy: {status}"))
        }
    };
    tokio::time::timeout(std::time::Duration::from_secs(5), check).await.map_err(|_| "timed out".to_string())?
}
