//! Several small lists read in one round: what a page made of sections (a
//! role's first screen) needs. On SQLite the statements run as one direct
//! read on the request's thread, in one snapshot; on PostgreSQL they become
//! one statement, each list a JSON array, since each statement there is a
//! round trip. Every statement may use any of the shared `$N` arguments.

use serde::de::DeserializeOwned;
use serde_json::{Map, Number, Value};

use crate::sql::Arg;
use crate::{Db, Error, Result};

/// The rows of each statement in `sqls`, in order, as JSON objects keyed by
/// column name. Flags must be selected as numbers (SQLite has no booleans).
pub(crate) async fn read(db: &Db, sqls: &[&str], args: &[Arg]) -> Result<Vec<Vec<Value>>> {
    match db {
        Db::Sqlite { direct, .. } => direct.read(|c| sqls.iter().map(|sql| sqlite_rows(c, sql, args)).collect()),
        Db::Postgres(p) => {
            let columns: Vec<String> =
                sqls.iter().map(|sql| format!("(SELECT COALESCE(json_agg(r), '[]')::TEXT FROM ({sql}) r)")).collect();
            let sql = format!("SELECT {}", columns.join(", "));
            let row = bind_args!(sqlx::query(sqlx::AssertSqlSafe(sql)), args).fetch_one(p).await?;
            (0..sqls.len())
                .map(|i| {
                    let text: String = sqlx::Row::try_get(&row, i)?;
                    serde_json::from_str(&text).map_err(decode_error)
                })
                .collect()
        }
    }
}

/// One section's rows as `T`.
pub(crate) fn rows<T: DeserializeOwned>(rows: Vec<Value>) -> Result<Vec<T>> {
    rows.into_iter().map(|r| serde_json::from_value(r).map_err(decode_error)).collect()
}

fn decode_error(e: serde_json::Error) -> Error {
    Error::Db(sqlx::Error::Decode(Box::new(e)))
}

/// Binds each shared argument by its name (`$3`), so a statement may use any
/// of them in any order (SQLite numbers `$N` by first appearance otherwise).
fn sqlite_rows(c: &rusqlite::Connection, sql: &str, args: &[Arg]) -> rusqlite::Result<Vec<Value>> {
    let mut stmt = c.prepare_cached(sql)?;
    for (k, a) in args.iter().enumerate() {
        if let Some(i) = stmt.parameter_index(&format!("${}", k + 1))? {
            stmt.raw_bind_parameter(i, a)?;
        }
    }
    let names: Vec<String> = stmt.column_names().into_iter().map(str::to_string).collect();
    let mut rows = stmt.raw_query();
    let mut out = Vec::new();
    while let Some(r) = rows.next()? {
        let mut obj = Map::new();
        for (i, name) in names.iter().enumerate() {
            obj.insert(name.clone(), json_of(r.get_ref(i)?));
        }
        out.push(Value::Object(obj));
    }
    Ok(out)
}

fn json_of(v: rusqlite::types::ValueRef) -> Value {
    use rusqlite::types::ValueRef as V;
    match v {
        V::Null | V::Blob(_) => Value::Null,
        V::Integer(i) => Value::from(i),
        V::Real(f) => Number::from_f64(f).map_or(Value::Null, Value::Number),
        V::Text(t) => Value::String(String::from_utf8_lossy(t).into_owned()),
    }
}
