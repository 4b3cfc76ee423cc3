//! Campaigns, their goals and rotation slots; progress read from activities and the ledger.

pub mod campaign;
pub mod progress;
pub mod slots;
