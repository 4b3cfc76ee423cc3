-- A team's, a project's or a campaign's hours are summed from the ledger by
-- activity and by need; without these each such sum reads the whole ledger.
CREATE INDEX IF NOT EXISTS hours_entries_activity ON hours_entries (activity_id);
CREATE INDEX IF NOT EXISTS hours_entries_need ON hours_entries (need_id);
