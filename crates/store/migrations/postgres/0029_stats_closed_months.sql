-- A month closed for reporting (月报): its report as it was sent up, frozen
-- as JSON, so later ledger entries dated in it show as adjustments instead.
CREATE TABLE stats_closed_months (
    month TEXT PRIMARY KEY CHECK (length(month) = 7),
    closed_at BIGINT NOT NULL,
    closed_by BIGINT REFERENCES users(id),
    report TEXT NOT NULL
);
-- Late entries are found by when they were recorded within a closed month's days.
CREATE INDEX stats_hours_entries_served_created ON hours_entries (served_on, created_at);
