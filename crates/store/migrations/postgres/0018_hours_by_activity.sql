-- A team's hours are summed from the ledger by activity (0015's covering
-- index) and by need; without this one each need sum reads the whole ledger.
CREATE INDEX IF NOT EXISTS hours_entries_need ON hours_entries (need_id);
