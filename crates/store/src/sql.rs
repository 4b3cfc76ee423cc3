//! Building WHERE clauses whose bind values are known only at run time,
//! with `$N` placeholders that both drivers accept.

use tongxing_domain::paging::Page;

/// A bind value of one of the kinds our filters use.
#[derive(Debug, Clone)]
pub(crate) enum Arg {
    I64(i64),
    Text(String),
    Bool(bool),
    F64(f64),
}

#[derive(Debug, Default)]
pub(crate) struct Where {
    clauses: Vec<String>,
    pub args: Vec<Arg>,
}

impl Where {
    /// Adds `clause` AND-ed to the rest; each `?` in it takes the next arg.
    pub fn and(&mut self, clause: &str, args: impl IntoIterator<Item = Arg>) -> &mut Self {
        let mut parts = clause.split('?');
        let mut out = parts.next().unwrap_or_default().to_string();
        for (k, part) in parts.enumerate() {
            out.push_str(&format!("${}{part}", self.args.len() + k + 1));
        }
        self.args.extend(args);
        self.clauses.push(format!("({out})"));
        self
    }

    pub fn next_index(&self) -> usize {
        self.args.len() + 1
    }

    pub fn sql(&self) -> String {
        if self.clauses.is_empty() {
            String::new()
        } else {
            format!(" WHERE {}", self.clauses.join(" AND "))
        }
    }
}

/// A `LIKE … ESCAPE '\'` pattern matching names that contain `q` as typed:
/// `%` and `_` in a search are letters, not wildcards.
pub(crate) fn contains(q: &str) -> Arg {
    let escaped: String = q.chars().flat_map(|c| if matches!(c, '%' | '_' | '\\') { vec!['\\', c] } else { vec![c] }).collect();
    Arg::Text(format!("%{escaped}%"))
}

/// `$a, $b, …` for an IN list of `n` values starting at placeholder `first`.
pub(crate) fn placeholders(first: usize, n: usize) -> String {
    (first..first + n).map(|i| format!("${i}")).collect::<Vec<_>>().join(", ")
}

/// Binds every `Arg` of a `Where` onto a query or query_as, in order.
macro_rules! bind_args {
    ($q:expr, $args:expr) => {{
        let mut q = $q;
        for a in $args.iter() {
            q = match a {
                $crate::sql::Arg::I64(v) => q.bind(*v),
                // PostgreSQL refuses a NUL in text, and no stored text holds one.
                $crate::sql::Arg::Text(s) => q.bind(s.replace('\0', "")),
                $crate::sql::Arg::Bool(b) => q.bind(*b),
                $crate::sql::Arg::F64(v) => q.bind(*v),
            };
        }
        q
    }};
}

impl rusqlite::ToSql for Arg {
    fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
        match self {
            Arg::I64(v) => v.to_sql(),
            Arg::Text(s) => s.to_sql(),
            Arg::Bool(b) => b.to_sql(),
            Arg::F64(v) => v.to_sql(),
        }
    }
}

/// A short page that is not past the end already tells the total: no COUNT needed.
fn total_known(rows: usize, page: Page) -> Option<i64> {
    let n = rows as i64;
    (n < page.limit() && (n > 0 || page.offset() == 0)).then_some(page.offset() + n)
}

/// One page of `select` filtered by `w` and ordered by `order`, with the total
/// count of `from` under the same filter: the shape of every list. On SQLite
/// both are one direct read (direct.rs).
pub(crate) async fn paged<R>(db: &crate::Db, select: &str, from: &str, w: &Where, order: &str, page: Page) -> crate::Result<(Vec<R>, i64)>
where
    R: Send + Unpin + serde::de::DeserializeOwned + for<'r> sqlx::FromRow<'r, sqlx::postgres::PgRow>,
{
    let n = w.next_index();
    let sql = format!("{select}{} ORDER BY {order} LIMIT ${n} OFFSET ${}", w.sql(), n + 1);
    let count = format!("SELECT COUNT(*) FROM {from}{}", w.sql());
    match db {
        crate::Db::Sqlite { direct, .. } => {
            let mut args = w.args.clone();
            args.extend([Arg::I64(page.limit()), Arg::I64(page.offset())]);
            direct.read(|c| {
                let rows: Vec<R> = crate::direct::all(c, &sql, rusqlite::params_from_iter(&args))?;
                let total = match total_known(rows.len(), page) {
                    Some(t) => t,
                    None => crate::direct::first::<(i64,)>(c, &count, rusqlite::params_from_iter(&w.args))?.map_or(0, |(t,)| t),
                };
                Ok((rows, total))
            })
        }
        crate::Db::Postgres(p) => {
            let rows: Vec<R> =
                bind_args!(sqlx::query_as(sqlx::AssertSqlSafe(&*sql)), w.args).bind(page.limit()).bind(page.offset()).fetch_all(p).await?;
            let total: i64 = match total_known(rows.len(), page) {
                Some(t) => t,
                None => bind_args!(sqlx::query_scalar(sqlx::AssertSqlSafe(&*count)), w.args).fetch_one(p).await?,
            };
            Ok((rows, total))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_numbered_in_order() {
        let mut w = Where::default();
        w.and("a = ?", [Arg::I64(1)]).and("b >= ? AND b < ?", [Arg::Text("x".into()), Arg::Text("y".into())]);
        assert_eq!(w.sql(), " WHERE (a = $1) AND (b >= $2 AND b < $3)");
        assert_eq!(w.args.len(), 3);
        assert_eq!(placeholders(4, 3), "$4, $5, $6");
    }

    #[test]
    fn searches_treat_wildcards_as_letters() {
        let Arg::Text(p) = contains("100%_a\\") else { panic!("text") };
        assert_eq!(p, "%100\\%\\_a\\\\%");
    }
}
