-- Joining by oneself (实名注册): one-time codes sent to a phone, and the
-- applications a team leader or the unit's liaison approves or declines.
-- A code is kept only as a keyed hash; it is deleted when used.
CREATE TABLE phone_codes (
    phone TEXT PRIMARY KEY,
    code_hash TEXT NOT NULL,
    expires_at INTEGER NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL
);
CREATE TABLE registrations (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    phone TEXT NOT NULL,
    id_number_enc TEXT NOT NULL,
    id_number_hash TEXT NOT NULL,
    birth_date TEXT NOT NULL,
    unit_id INTEGER NOT NULL REFERENCES units(id),
    community_id INTEGER NOT NULL REFERENCES communities(id),
    -- Skills one per line (a skill never holds a line break: validation refuses control characters).
    skills TEXT NOT NULL,
    party_member INTEGER NOT NULL DEFAULT 0 CHECK (party_member IN (0, 1)),
    -- Chosen at registration and hashed at once; it becomes the account's on approval.
    password_hash TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'declined')),
    reason TEXT,
    decided_by INTEGER REFERENCES users(id),
    decided_at INTEGER,
    volunteer_id INTEGER REFERENCES volunteers(id),
    created_at INTEGER NOT NULL
);
-- One waiting application per phone and per ID number: the arbiter of racing submissions.
CREATE UNIQUE INDEX registrations_pending_phone ON registrations (phone) WHERE status = 'pending';
CREATE UNIQUE INDEX registrations_pending_id ON registrations (id_number_hash) WHERE status = 'pending';
CREATE INDEX registrations_status_unit ON registrations (status, unit_id);
CREATE TABLE registration_teams (
    registration_id INTEGER NOT NULL REFERENCES registrations(id),
    team_id INTEGER NOT NULL REFERENCES teams(id),
    PRIMARY KEY (registration_id, team_id)
);
CREATE INDEX registration_teams_team ON registration_teams (team_id);
