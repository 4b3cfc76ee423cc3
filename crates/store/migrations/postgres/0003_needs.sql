-- The needs marketplace and the start of the hours ledger. Times are unix ms.
CREATE TABLE needs (
    id BIGSERIAL PRIMARY KEY,
    tracking_code TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL,
    description TEXT NOT NULL,
    category TEXT NOT NULL,
    community_id BIGINT NOT NULL REFERENCES communities(id),
    district_id BIGINT NOT NULL REFERENCES districts(id),
    requester_name TEXT NOT NULL,
    requester_phone TEXT NOT NULL,
    channel TEXT NOT NULL CHECK (channel IN ('online', 'observer', 'liaison', 'joint_meeting', 'hotline')),
    volunteers_needed BIGINT NOT NULL DEFAULT 1,
    status TEXT NOT NULL CHECK (status IN ('submitted', 'published', 'rejected', 'claimed', 'completed', 'rated', 'cancelled')),
    status_since BIGINT NOT NULL,
    warning_level BIGINT NOT NULL DEFAULT 0,
    team_id BIGINT REFERENCES teams(id),
    reject_reason TEXT,
    merged_into BIGINT, -- the need this one was merged into (no FK: either may be older)
    summary TEXT,
    rating_stars BIGINT CHECK (rating_stars BETWEEN 1 AND 5),
    rating_comment TEXT,
    submitted_by BIGINT REFERENCES users(id),
    submitter_ip TEXT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX needs_queue ON needs (status, warning_level, district_id);
CREATE INDEX needs_team ON needs (team_id, status);
CREATE INDEX needs_phone ON needs (requester_phone, created_at);
CREATE INDEX needs_ip ON needs (submitter_ip, created_at);
-- Every status change: who, when, why. The tracking page shows these without names.
CREATE TABLE need_events (
    id BIGSERIAL PRIMARY KEY,
    need_id BIGINT NOT NULL REFERENCES needs(id),
    at BIGINT NOT NULL,
    status TEXT NOT NULL,
    user_id BIGINT REFERENCES users(id),
    team_id BIGINT REFERENCES teams(id),
    note TEXT
);
CREATE INDEX need_events_need ON need_events (need_id, id);
-- The hours ledger: append-only; a correction is a new entry naming the one it corrects.
CREATE TABLE hours_entries (
    id BIGSERIAL PRIMARY KEY,
    volunteer_id BIGINT NOT NULL REFERENCES volunteers(id),
    kind TEXT NOT NULL CHECK (kind IN ('need_service', 'activity', 'manual', 'correction')),
    need_id BIGINT REFERENCES needs(id),
    hours DOUBLE PRECISION NOT NULL,
    served_on TEXT NOT NULL,
    recorded_by BIGINT REFERENCES users(id),
    confirmed_by BIGINT REFERENCES users(id),
    corrects_entry_id BIGINT REFERENCES hours_entries(id),
    note TEXT,
    created_at BIGINT NOT NULL
);
CREATE INDEX hours_entries_volunteer ON hours_entries (volunteer_id);
