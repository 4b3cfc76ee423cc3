-- The in-app notification centre. Rows are written in the same transaction as
-- the change that causes them.
CREATE TABLE notifications (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id),
    at INTEGER NOT NULL,
    kind TEXT NOT NULL,
    need_id INTEGER REFERENCES needs(id),
    detail TEXT,
    read_at INTEGER
);
CREATE INDEX notifications_user ON notifications (user_id, read_at, id);
-- The highest warning level already escalated, so no level is announced twice.
ALTER TABLE needs ADD COLUMN notified_level INTEGER NOT NULL DEFAULT 0;
