use std::fmt;

/// What can go wrong in the store, in terms the service can act on.
#[derive(Debug)]
pub enum Error {
    NotFound,
    /// A unique constraint refused the write (a duplicate).
    Conflict,
    /// A foreign key refused the write (a reference to nothing).
    BadReference,
    /// The configuration named a database Tongxing cannot use.
    Config(String),
    Db(sqlx::Error),
    /// A failed read on a direct SQLite connection (`direct.rs`).
    Direct(String),
    Migrate(sqlx::migrate::MigrateError),
    Dump(String),
}

pub type Result<T> = std::result::Result<T, Error>;

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::NotFound => f.write_str("not found"),
            Error::Conflict => f.write_str("duplicate"),
            Error::BadReference => f.write_str("reference to a missing row"),
            Error::Config(m) | Error::Dump(m) => f.write_str(m),
            Error::Db(e) => write!(f, "database: {e}"),
            Error::Direct(e) => write!(f, "database: {e}"),
            Error::Migrate(e) => write!(f, "migration: {e}"),
        }
    }
}

impl std::error::Error for Error {}

impl Error {
    /// The pool was closed: the service is going away.
    pub fn pool_closed(&self) -> bool {
        matches!(self, Error::Db(sqlx::Error::PoolClosed))
    }
}

impl From<sqlx::Error> for Error {
    fn from(e: sqlx::Error) -> Self {
        use sqlx::error::ErrorKind;
        match &e {
            sqlx::Error::RowNotFound => Error::NotFound,
            // kind() works on both backends; constraint names are Postgres-only.
            sqlx::Error::Database(d) => match d.kind() {
                ErrorKind::UniqueViolation => Error::Conflict,
                ErrorKind::ForeignKeyViolation => Error::BadReference,
                _ => Error::Db(e),
            },
            _ => Error::Db(e),
        }
    }
}

impl From<sqlx::migrate::MigrateError> for Error {
    fn from(e: sqlx::migrate::MigrateError) -> Self {
        Error::Migrate(e)
    }
}
