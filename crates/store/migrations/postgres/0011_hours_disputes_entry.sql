-- A volunteer's hours summary marks each listed entry that has an open
-- dispute: look the disputes up by entry instead of scanning them all.
CREATE INDEX hours_disputes_entry ON hours_disputes (entry_id, status);
