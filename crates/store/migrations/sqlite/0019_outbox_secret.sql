-- One-time codes (joining's SMS code) go through the outbox like any SMS, but
-- nobody may read them there: the center's outbox shows that one was sent.
ALTER TABLE outbox ADD COLUMN secret INTEGER NOT NULL DEFAULT 0 CHECK (secret IN (0, 1));
