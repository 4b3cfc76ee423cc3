//! The figures of the capabilities that exist today. A later capability's
//! source lives in its own folder; these sit here because their reads are
//! the dashboard's own (`tongxing_store::stats::figures`).

pub mod calls;
pub mod needs;
pub mod registry;
pub mod service;
