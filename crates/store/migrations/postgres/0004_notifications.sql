-- The in-app notification centre. Rows are written in the same transaction as
-- the change that causes them.
CREATE TABLE notifications (
    id BIGSERIAL PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users(id),
    at BIGINT NOT NULL,
    kind TEXT NOT NULL,
    need_id BIGINT REFERENCES needs(id),
    detail TEXT,
    read_at BIGINT
);
CREATE INDEX notifications_user ON notifications (user_id, read_at, id);
-- The highest warning level already escalated, so no level is announced twice.
ALTER TABLE needs ADD COLUMN notified_level BIGINT NOT NULL DEFAULT 0;
