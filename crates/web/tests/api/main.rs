//! HTTP integration tests: each test starts Tongxing on a free port with a
//! fresh database — a temp SQLite file, or a new PostgreSQL database when
//! TEST_DATABASE_URL names one — and talks to it like a client would.

mod accounts;
mod activities;
mod activity_pages;
mod attendance_pages;
mod campaign_pages;
mod campaigns;
mod cancel;
mod delivery;
mod dispatch;
mod dispatch_pages;
mod dispatch_rest;
mod document;
mod dump_restore;
mod first_screens;
mod helpers;
mod hostile_uploads;
mod idempotency;
mod import;
mod instances;
mod joining;
mod joining_decisions;
mod live;
mod my_activities;
mod needs;
mod pages;
mod permissions;
mod personal_data;
mod record_pages;
mod records;
mod refusals;
mod registry;
mod rough_edges;
mod scope;
mod scope_walk;
mod security;
mod smoke;
mod submission_limits;
mod takeover;
mod validation;
