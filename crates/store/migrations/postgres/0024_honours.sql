-- Recognition (C8, issue #18): rounds of 评选表彰, the scores frozen when
-- review starts, nominations with their decisions, objections during the
-- public notice (公示), and the honours published with a certificate code.
CREATE TABLE honour_rounds (
    id BIGSERIAL PRIMARY KEY,
    title TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('volunteer', 'team')),
    period_from TEXT NOT NULL,
    period_to TEXT NOT NULL,
    min_hours DOUBLE PRECISION NOT NULL,
    min_activities BIGINT NOT NULL,
    -- The weighted criteria as JSON: [{"metric", "weight"}].
    criteria TEXT NOT NULL,
    quota_per_unit BIGINT,
    nominate_until TEXT NOT NULL,
    notice_days BIGINT NOT NULL CHECK (notice_days >= 7),
    stage TEXT NOT NULL CHECK (stage IN ('nominating', 'review', 'notice', 'published')),
    -- When the scores were read from the ledger and frozen (review started).
    scored_at BIGINT,
    notice_from BIGINT,
    notice_until BIGINT,
    published_at BIGINT,
    created_by BIGINT REFERENCES users(id),
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX honour_rounds_stage ON honour_rounds (stage, id);
CREATE TABLE honour_scores (
    round_id BIGINT NOT NULL REFERENCES honour_rounds(id),
    subject_id BIGINT NOT NULL,
    eligible BOOLEAN NOT NULL,
    reason TEXT,
    score DOUBLE PRECISION NOT NULL,
    -- Confirmed hours in the period, shown on the notice.
    hours DOUBLE PRECISION NOT NULL,
    -- The breakdown as JSON: [{"metric", "weight", "value", "points"}].
    breakdown TEXT NOT NULL,
    PRIMARY KEY (round_id, subject_id)
);
CREATE TABLE honour_nominations (
    id BIGSERIAL PRIMARY KEY,
    round_id BIGINT NOT NULL REFERENCES honour_rounds(id),
    volunteer_id BIGINT REFERENCES volunteers(id),
    team_id BIGINT REFERENCES teams(id),
    -- The unit (volunteers) or district (teams) whose quota it uses.
    quota_group BIGINT NOT NULL,
    citation TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('nominated', 'approved', 'rejected', 'removed', 'honoured')),
    nominated_by BIGINT REFERENCES users(id),
    decision_note TEXT,
    decided_by BIGINT REFERENCES users(id),
    decided_at BIGINT,
    created_at BIGINT NOT NULL,
    CHECK ((volunteer_id IS NULL) <> (team_id IS NULL))
);
CREATE UNIQUE INDEX honour_nominations_volunteer ON honour_nominations (round_id, volunteer_id);
CREATE UNIQUE INDEX honour_nominations_team ON honour_nominations (round_id, team_id);
CREATE INDEX honour_nominations_group ON honour_nominations (round_id, quota_group);
CREATE TABLE honour_objections (
    id BIGSERIAL PRIMARY KEY,
    round_id BIGINT NOT NULL REFERENCES honour_rounds(id),
    nomination_id BIGINT NOT NULL REFERENCES honour_nominations(id),
    reason TEXT NOT NULL,
    name TEXT,
    phone TEXT,
    status TEXT NOT NULL CHECK (status IN ('open', 'upheld', 'not_upheld')),
    finding TEXT,
    resolved_by BIGINT REFERENCES users(id),
    resolved_at BIGINT,
    created_at BIGINT NOT NULL
);
CREATE INDEX honour_objections_round ON honour_objections (round_id, status);
CREATE TABLE honour_awards (
    id BIGSERIAL PRIMARY KEY,
    round_id BIGINT NOT NULL REFERENCES honour_rounds(id),
    nomination_id BIGINT NOT NULL UNIQUE REFERENCES honour_nominations(id),
    volunteer_id BIGINT REFERENCES volunteers(id),
    team_id BIGINT REFERENCES teams(id),
    year BIGINT NOT NULL,
    code TEXT NOT NULL UNIQUE,
    issued_at BIGINT NOT NULL
);
CREATE INDEX honour_awards_year ON honour_awards (year, id);
CREATE INDEX honour_awards_volunteer ON honour_awards (volunteer_id);
