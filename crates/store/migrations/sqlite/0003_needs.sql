-- The needs marketplace and the start of the hours ledger. Times are unix ms.
CREATE TABLE needs (
    id INTEGER PRIMARY KEY,
    tracking_code TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL,
    description TEXT NOT NULL,
    category TEXT NOT NULL,
    community_id INTEGER NOT NULL REFERENCES communities(id),
    district_id INTEGER NOT NULL REFERENCES districts(id),
    requester_name TEXT NOT NULL,
    requester_phone TEXT NOT NULL,
    channel TEXT NOT NULL CHECK (channel IN ('online', 'observer', 'liaison', 'joint_meeting', 'hotline')),
    volunteers_needed INTEGER NOT NULL DEFAULT 1,
    status TEXT NOT NULL CHECK (status IN ('submitted', 'published', 'rejected', 'claimed', 'completed', 'rated', 'cancelled')),
    status_since INTEGER NOT NULL,
    warning_level INTEGER NOT NULL DEFAULT 0,
    team_id INTEGER REFERENCES teams(id),
    reject_reason TEXT,
    merged_into INTEGER, -- the need this one was merged into (no FK: either may be older)
    summary TEXT,
    rating_stars INTEGER CHECK (rating_stars BETWEEN 1 AND 5),
    rating_comment TEXT,
    submitted_by INTEGER REFERENCES users(id),
    submitter_ip TEXT,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX needs_queue ON needs (status, warning_level, district_id);
CREATE INDEX needs_team ON needs (team_id, status);
CREATE INDEX needs_phone ON needs (requester_phone, created_at);
CREATE INDEX needs_ip ON needs (submitter_ip, created_at);
-- Every status change: who, when, why. The tracking page shows these without names.
CREATE TABLE need_events (
    id INTEGER PRIMARY KEY,
    need_id INTEGER NOT NULL REFERENCES needs(id),
    at INTEGER NOT NULL,
    status TEXT NOT NULL,
    user_id INTEGER REFERENCES users(id),
    team_id INTEGER REFERENCES teams(id),
    note TEXT
);
CREATE INDEX need_events_need ON need_events (need_id, id);
-- The hours ledger: append-only; a correction is a new entry naming the one it corrects.
CREATE TABLE hours_entries (
    id INTEGER PRIMARY KEY,
    volunteer_id INTEGER NOT NULL REFERENCES volunteers(id),
    kind TEXT NOT NULL CHECK (kind IN ('need_service', 'activity', 'manual', 'correction')),
    need_id INTEGER REFERENCES needs(id),
    hours REAL NOT NULL,
    served_on TEXT NOT NULL,
    recorded_by INTEGER REFERENCES users(id),
    confirmed_by INTEGER REFERENCES users(id),
    corrects_entry_id INTEGER REFERENCES hours_entries(id),
    note TEXT,
    created_at INTEGER NOT NULL
);
CREATE INDEX hours_entries_volunteer ON hours_entries (volunteer_id);
