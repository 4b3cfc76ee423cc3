//! A versioned, backend-neutral dump of the whole database as JSON Lines, so a
//! region can move between SQLite and PostgreSQL. Line 1 is a header; every
//! other line is one row: `{"t": table, "r": [values in column order]}`.

use std::io::{BufRead, Write};

use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine;
use serde_json::{json, Value};
use sqlx::Row;

use crate::{Db, Error, Result};

pub const FORMAT: &str = "tongxing-dump";
pub const VERSION: i64 = 1;

#[derive(Clone, Copy, Debug)]
enum Ty {
    Int,
    Real,
    Text,
    Bool,
    /// A file's bytes, as standard base64 text in the dump.
    Bytes,
}

use Ty::*;

mod tables;
pub mod undo;
use tables::TABLES;

fn io(e: std::io::Error) -> Error {
    Error::Dump(format!("i/o: {e}"))
}

/// Reads one column of any row type into JSON.
macro_rules! cell {
    ($row:expr, $i:expr, $ty:expr) => {
        match $ty {
            Int => $row.try_get::<Option<i64>, _>($i)?.map(Value::from),
            Real => $row.try_get::<Option<f64>, _>($i)?.map(Value::from),
            Text => $row.try_get::<Option<String>, _>($i)?.map(Value::from),
            Bool => $row.try_get::<Option<bool>, _>($i)?.map(Value::from),
            Bytes => $row.try_get::<Option<Vec<u8>>, _>($i)?.map(|b| Value::from(BASE64.encode(b))),
        }
        .unwrap_or(Value::Null)
    };
}

/// Writes the header, then every row of every table. `meta` is stored in the
/// header for the caller (e.g. which encryption key the ID numbers need).
/// Returns the number of rows written.
pub async fn dump(db: &Db, meta: Value, out: &mut impl Write) -> Result<u64> {
    let header = json!({"format": FORMAT, "version": VERSION, "schema_version": Db::schema_version(), "meta": meta});
    writeln!(out, "{header}").map_err(io)?;
    let mut n = 0;
    for (table, cols) in TABLES.iter() {
        let names: Vec<&str> = cols.iter().map(|c| c.0).collect();
        let sql = format!("SELECT {} FROM {table} ORDER BY {}", names.join(", "), names[0]);
        let mut rows: Vec<Value> = db_read!(db, |p| {
            let mut out = Vec::new();
            for row in sqlx::query(sqlx::AssertSqlSafe(&*sql)).fetch_all(p).await? {
                let vals: Vec<Value> = cols.iter().enumerate().map(|(i, (_, ty))| Ok(cell!(row, i, ty))).collect::<Result<_>>()?;
                out.push(Value::Array(vals));
            }
            out
        });
        // Link tables have no id; their text columns sort by each database's
        // collation, so order them here to make dumps comparable across backends.
        if cols[0].0 != "id" {
            rows.sort_by_cached_key(|r| r.to_string());
        }
        for r in rows {
            writeln!(out, "{}", json!({"t": table, "r": r})).map_err(io)?;
            n += 1;
        }
    }
    Ok(n)
}

/// Reads a dump's header line and returns its `meta`, refusing other formats
/// and newer versions.
pub fn read_header(line: &str) -> Result<Value> {
    let h: Value = serde_json::from_str(line).map_err(|e| Error::Dump(format!("not a Tongxing dump: {e}")))?;
    if h["format"] != FORMAT {
        return Err(Error::Dump("not a Tongxing dump".into()));
    }
    let version = h["version"].as_i64().unwrap_or(0);
    if version > VERSION || h["schema_version"].as_i64().unwrap_or(0) > Db::schema_version() {
        return Err(Error::Dump(format!("dump version {version} is newer than this binary; upgrade Tongxing first")));
    }
    Ok(h["meta"].clone())
}

/// The restored rollups hold twelve-month windows.
const WINDOWS: &str = "SELECT EXISTS (SELECT 1 FROM stats_firsts WHERE scope = 'w')";

/// Loads a dump into an empty, migrated database, in one transaction, then
/// moves PostgreSQL's id sequences past the restored ids.
pub async fn restore(db: &Db, input: impl BufRead) -> Result<u64> {
    let mut lines = input.lines();
    let header = lines.next().ok_or_else(|| Error::Dump("empty dump".into()))?.map_err(io)?;
    read_header(&header)?;
    ensure_empty(db).await?;
    let mut rows: Vec<(usize, Vec<Value>)> = Vec::new();
    for line in lines {
        let line = line.map_err(io)?;
        if line.trim().is_empty() {
            continue;
        }
        let v: Value = serde_json::from_str(&line).map_err(|e| Error::Dump(format!("bad line: {e}")))?;
        let t = TABLES.iter().position(|(name, _)| v["t"] == *name).ok_or_else(|| Error::Dump(format!("unknown table {}", v["t"])))?;
        let r = v["r"].as_array().filter(|r| r.len() == TABLES[t].1.len()).ok_or_else(|| Error::Dump(format!("bad row for {}", v["t"])))?;
        rows.push((t, r.clone()));
    }
    // Tables may come in any order in a hand-edited file; foreign keys need ours.
    rows.sort_by_key(|(t, _)| *t);
    let statements: Vec<String> = TABLES
        .iter()
        .map(|(table, cols)| {
            let names: Vec<&str> = cols.iter().map(|c| c.0).collect();
            format!("INSERT INTO {table} ({}) VALUES ({})", names.join(", "), crate::sql::placeholders(1, names.len()))
        })
        .collect();
    let due = crate::skills::ladder::due_sql(db.backend(), "TRUE");
    db_write!(db, |p| {
        let mut tx = p.begin().await?;
        for (t, r) in &rows {
            let mut q = sqlx::query(sqlx::AssertSqlSafe(&*statements[*t]));
            for ((_, ty), v) in TABLES[*t].1.iter().zip(r) {
                q = match ty {
                    Int => q.bind(v.as_i64()),
                    Real => q.bind(v.as_f64()),
                    Text => q.bind(v.as_str().map(str::to_string)),
                    Bool => q.bind(v.as_bool()),
                    Bytes => q.bind(match v.as_str() {
                        Some(text) => Some(BASE64.decode(text).map_err(|e| Error::Dump(format!("bad bytes in {}: {e}", TABLES[*t].0)))?),
                        None => None,
                    }),
                };
            }
            q.execute(&mut *tx).await?;
        }
        // A dump from before each person's highest level was kept carries
        // none; none carries the due days, which follow the restored rules,
        // nor the child-days, which follow the restored attendance, nor a
        // unit's activities without team (or district), which follow those with.
        sqlx::query(crate::skills::ladder::FILL_HIGHEST).execute(&mut *tx).await?;
        sqlx::query(sqlx::AssertSqlSafe(&*due)).execute(&mut *tx).await?;
        sqlx::query(crate::childcare::days::FILL_CHILD_DAYS).execute(&mut *tx).await?;
        for fill in crate::stats::held::FILL_UNIT_COARSE {
            sqlx::query(fill).execute(&mut *tx).await?;
        }
        // A dump from before the twelve-month windows (migration 0049)
        // carries none: they follow the restored day bits. The heads and
        // month days (migrations 0055–0056) are never dumped: they follow
        // the day bits too. A dump from before a level was kept (a unit's
        // hours by team, 0052; a unit in a district, 0057) lacks its rows:
        // they follow the level keeping everything.
        let windows: bool = sqlx::query_scalar(WINDOWS).fetch_one(&mut *tx).await?;
        crate::stats::fill::fill_windows!(tx, db, !windows, &tongxing_domain::stats::rollup::LEVELS);
        crate::stats::fill::fill_levels!(tx, db);
        tx.commit().await?;
    });
    if let Db::Postgres(p) = db {
        for (table, _) in TABLES.iter().filter(|(_, cols)| cols[0].0 == "id") {
            let sql =
                format!("SELECT setval(pg_get_serial_sequence('{table}', 'id'), COALESCE((SELECT MAX(id) FROM {table}), 0) + 1, false)");
            sqlx::query(sqlx::AssertSqlSafe(&*sql)).execute(p).await?;
        }
    }
    Ok(rows.len() as u64)
}

async fn ensure_empty(db: &Db) -> Result<()> {
    for (table, _) in TABLES.iter() {
        let sql = format!("SELECT COUNT(*) FROM {table}");
        let n: i64 = db_read!(db, |p| sqlx::query_scalar(sqlx::AssertSqlSafe(&*sql)).fetch_one(p).await?);
        if n > 0 {
            return Err(Error::Dump(format!("the target database is not empty ({table} has {n} rows); restore into a new one")));
        }
    }
    Ok(())
}
