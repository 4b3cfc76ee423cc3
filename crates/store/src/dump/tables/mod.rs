//! Which tables a dump moves, and each column's type, one file per part of
//! the system; this file puts them in order.

use std::sync::LazyLock;

use super::Ty;

mod programmes;
mod recognition;
mod records;
mod registry;
mod service;

/// A table's name and its columns with their types.
pub(super) type Table = (&'static str, &'static [(&'static str, Ty)]);

/// Tables in an order that satisfies every foreign key: each part only names
/// tables of the parts before it. Sessions, login failures, pending uploads
/// and one-time phone codes are transient and not moved.
pub(super) static TABLES: LazyLock<Vec<Table>> =
    LazyLock::new(|| [registry::TABLES, service::TABLES, records::TABLES, programmes::TABLES, recognition::TABLES].concat());
