//! Tongxing's domain: pure types and rules. No database, no HTTP, no clock —
//! time is always passed in, so every rule here is testable on its own.
#![forbid(unsafe_code)]

pub mod activities;
pub mod campaigns;
pub mod care;
pub mod category;
pub mod certificate;
pub mod childcare;
pub mod dispatch;
pub mod dispute;
pub mod first_screen;
pub mod honours;
pub mod hours;
pub mod ical;
pub mod id_number;
pub mod joining;
pub mod model;
pub mod needs;
pub mod paging;
pub mod permission;
pub mod phone;
pub mod pinyin_index;
pub mod registry;
pub mod return_path;
pub mod role;
pub mod roster;
pub mod schema;
pub mod search;
pub mod skills;
pub mod stats;
pub mod takeover;
pub mod throttle;
pub mod time;
pub mod validation;

pub use validation::{FieldError, Invalid};
