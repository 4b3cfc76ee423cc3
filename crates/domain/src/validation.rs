//! Field-level validation errors, shared by the API (422 with `field`) and the forms.

use serde::Serialize;

/// One thing wrong with one field; `code` is an i18n key, `field` the input's name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldError {
    pub field: String,
    pub code: &'static str,
}

/// Everything wrong with one input, in the order found.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Invalid(pub Vec<FieldError>);

impl Invalid {
    pub fn push(&mut self, field: &str, code: &'static str) {
        self.0.push(FieldError { field: field.to_string(), code });
    }
    pub fn one(field: &str, code: &'static str) -> Self {
        let mut i = Invalid::default();
        i.push(field, code);
        i
    }
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
    /// `Ok(())` when nothing was found, so validators can end with `errors.into_result()`.
    pub fn into_result(self) -> Result<(), Invalid> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(self)
        }
    }
    /// Adds `other`'s problems for fields that have none yet.
    pub fn merge(&mut self, other: Invalid) {
        for e in other.0 {
            if !self.0.iter().any(|mine| mine.field == e.field) {
                self.0.push(e);
            }
        }
    }

    /// Records `code` for `field` when a required text is blank, too long, or
    /// holds control characters.
    pub fn text(&mut self, field: &str, value: &str, max_chars: usize) {
        if value.trim().is_empty() {
            self.push(field, "required");
        } else {
            self.optional_text(field, Some(value), max_chars);
        }
    }

    /// The same for a text that may be left out.
    pub fn optional_text(&mut self, field: &str, value: Option<&str>, max_chars: usize) {
        match value {
            Some(v) if has_control_chars(v) => self.push(field, "control_chars"),
            Some(v) if v.chars().count() > max_chars => self.push(field, "too_long"),
            _ => {}
        }
    }
}

/// Control characters (tab and line breaks aside) are never typed on purpose,
/// and PostgreSQL refuses a NUL in text outright.
pub fn has_control_chars(s: &str) -> bool {
    s.chars().any(|c| c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
}
