use tongxing_domain::Invalid;

/// What a use case can answer besides success; the web layer maps each to a
/// status and the error body of API.md.
#[derive(Debug)]
pub enum Error {
    Validation(Invalid),
    NotFound,
    /// A duplicate: `code` names it, `field` the input at fault.
    Conflict {
        code: &'static str,
        field: Option<&'static str>,
    },
    Forbidden,
    /// Forbidden for a reason the caller must read (e.g. a pick-up person
    /// not on a child's list): a 403 with its own code.
    Refused {
        code: &'static str,
        field: Option<&'static str>,
    },
    Unauthorized,
    /// Too many attempts, or no room to do it now; come back after this long
    /// (the HTTP answer's Retry-After).
    RateLimited {
        retry_after_secs: u64,
    },
    /// An uploaded file larger than the limits (bytes, once decompressed,
    /// lines, time to read); `code` is an i18n key.
    TooLarge(&'static str),
    /// An uploaded file that cannot be used: unreadable, empty, or wider than
    /// the limits; `code` is an i18n key.
    Unprocessable(&'static str),
    /// Logged once, never shown to the client.
    Internal(String),
}

pub type Result<T> = std::result::Result<T, Error>;

impl Error {
    /// A 422 for a reference to a row that does not exist.
    pub fn unknown_reference(field: &str) -> Error {
        Error::Validation(Invalid::one(field, "unknown_reference"))
    }
}

impl From<Invalid> for Error {
    fn from(i: Invalid) -> Self {
        Error::Validation(i)
    }
}

impl From<tongxing_store::Error> for Error {
    fn from(e: tongxing_store::Error) -> Self {
        use tongxing_store::Error as S;
        match e {
            S::NotFound => Error::NotFound,
            S::Conflict => Error::Conflict { code: "duplicate", field: None },
            S::BadReference => Error::Validation(Invalid::one("id", "unknown_reference")),
            other => Error::Internal(other.to_string()),
        }
    }
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{self:?}")
    }
}

impl std::error::Error for Error {}
