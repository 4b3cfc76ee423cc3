-- The dashboard rollups' queue (issue 17): a ledger entry credited 30-60
-- rollup rows in its own transaction (hours at 10 levels x 2 grains, day
-- bits and first days at 10 levels, a unit's activities), six to seven
-- times the cost of the entry itself. The entry's transaction now only
-- names it here; store::stats::pending drains the queue into the rollups
-- a few seconds behind (the serve loop), and every read of the rollups
-- drains it first, so the figures stay exact. Entries already in the
-- ledger were credited when they were written.
CREATE TABLE stats_pending (
    entry_id BIGINT PRIMARY KEY
);
