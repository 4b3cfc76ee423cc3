-- Recognition (C8, issue #18): rounds of 评选表彰, the scores frozen when
-- review starts, nominations with their decisions, objections during the
-- public notice (公示), and the honours published with a certificate code.
CREATE TABLE honour_rounds (
    id INTEGER PRIMARY KEY,
    title TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('volunteer', 'team')),
    period_from TEXT NOT NULL,
    period_to TEXT NOT NULL,
    min_hours REAL NOT NULL,
    min_activities INTEGER NOT NULL,
    -- The weighted criteria as JSON: [{"metric", "weight"}].
    criteria TEXT NOT NULL,
    quota_per_unit INTEGER,
    nominate_until TEXT NOT NULL,
    notice_days INTEGER NOT NULL CHECK (notice_days >= 7),
    stage TEXT NOT NULL CHECK (stage IN ('nominating', 'review', 'notice', 'published')),
    -- When the scores were read from the ledger and frozen (review started).
    scored_at INTEGER,
    notice_from INTEGER,
    notice_until INTEGER,
    published_at INTEGER,
    created_by INTEGER REFERENCES users(id),
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX honour_rounds_stage ON honour_rounds (stage, id);
CREATE TABLE honour_scores (
    round_id INTEGER NOT NULL REFERENCES honour_rounds(id),
    subject_id INTEGER NOT NULL,
    eligible INTEGER NOT NULL CHECK (eligible IN (0, 1)),
    reason TEXT,
    score REAL NOT NULL,
    -- Confirmed hours in the period, shown on the notice.
    hours REAL NOT NULL,
    -- The breakdown as JSON: [{"metric", "weight", "value", "points"}].
    breakdown TEXT NOT NULL,
    PRIMARY KEY (round_id, subject_id)
);
CREATE TABLE honour_nominations (
    id INTEGER PRIMARY KEY,
    round_id INTEGER NOT NULL REFERENCES honour_rounds(id),
    volunteer_id INTEGER REFERENCES volunteers(id),
    team_id INTEGER REFERENCES teams(id),
    -- The unit (volunteers) or district (teams) whose quota it uses.
    quota_group INTEGER NOT NULL,
    citation TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('nominated', 'approved', 'rejected', 'removed', 'honoured')),
    nominated_by INTEGER REFERENCES users(id),
    decision_note TEXT,
    decided_by INTEGER REFERENCES users(id),
    decided_at INTEGER,
    created_at INTEGER NOT NULL,
    CHECK ((volunteer_id IS NULL) <> (team_id IS NULL))
);
CREATE UNIQUE INDEX honour_nominations_volunteer ON honour_nominations (round_id, volunteer_id);
CREATE UNIQUE INDEX honour_nominations_team ON honour_nominations (round_id, team_id);
CREATE INDEX honour_nominations_group ON honour_nominations (round_id, quota_group);
CREATE TABLE honour_objections (
    id INTEGER PRIMARY KEY,
    round_id INTEGER NOT NULL REFERENCES honour_rounds(id),
    nomination_id INTEGER NOT NULL REFERENCES honour_nominations(id),
    reason TEXT NOT NULL,
    name TEXT,
    phone TEXT,
    status TEXT NOT NULL CHECK (status IN ('open', 'upheld', 'not_upheld')),
    finding TEXT,
    resolved_by INTEGER REFERENCES users(id),
    resolved_at INTEGER,
    created_at INTEGER NOT NULL
);
CREATE INDEX honour_objections_round ON honour_objections (round_id, status);
CREATE TABLE honour_awards (
    id INTEGER PRIMARY KEY,
    round_id INTEGER NOT NULL REFERENCES honour_rounds(id),
    nomination_id INTEGER NOT NULL UNIQUE REFERENCES honour_nominations(id),
    volunteer_id INTEGER REFERENCES volunteers(id),
    team_id INTEGER REFERENCES teams(id),
    year INTEGER NOT NULL,
    code TEXT NOT NULL UNIQUE,
    issued_at INTEGER NOT NULL
);
CREATE INDEX honour_awards_year ON honour_awards (year, id);
CREATE INDEX honour_awards_volunteer ON honour_awards (volunteer_id);
