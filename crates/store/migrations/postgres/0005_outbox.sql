-- Outbound deliveries (group-robot webhooks, SMS), written in the same
-- transaction as the change that causes them and sent by a worker with retries.
CREATE TABLE outbox (
    id BIGSERIAL PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('webhook', 'sms')),
    target TEXT NOT NULL,
    body TEXT NOT NULL,
    need_id BIGINT REFERENCES needs(id),
    status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'dead')),
    attempts BIGINT NOT NULL DEFAULT 0,
    next_attempt_at BIGINT NOT NULL,
    locked_until BIGINT,
    last_error TEXT,
    created_at BIGINT NOT NULL,
    sent_at BIGINT
);
CREATE INDEX outbox_due ON outbox (status, next_attempt_at);
