//! HTTP integration tests: each test starts Tongxing on a free port with a
//! fresh database — a temp SQLite file, or a new PostgreSQL database when
//! TEST_DATABASE_URL names one — and talks to it like a client would.

mod helpers;
mod idempotency;
mod smoke;
