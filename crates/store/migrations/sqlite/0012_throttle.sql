-- Rate-limit counters, one row per key (store/src/throttle.rs): a hit is one
-- atomic UPSERT, so racing requests cannot all pass under the limit. They
-- replace counting login_failures rows, which raced.
CREATE TABLE throttle (
    key TEXT PRIMARY KEY,
    window_start BIGINT NOT NULL,
    hits BIGINT NOT NULL
);
CREATE INDEX throttle_window ON throttle (window_start);
DROP TABLE login_failures;
