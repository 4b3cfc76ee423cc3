-- Joining by oneself (实名注册): one-time codes sent to a phone, and the
-- applications a team leader or the unit's liaison approves or declines.
-- A code is kept only as a keyed hash; it is deleted when used.
CREATE TABLE phone_codes (
    phone TEXT PRIMARY KEY,
    code_hash TEXT NOT NULL,
    expires_at BIGINT NOT NULL,
    attempts BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL
);
CREATE TABLE registrations (
    id BIGSERIAL PRIMARY KEY,
    name TEXT NOT NULL,
    phone TEXT NOT NULL,
    id_number_enc TEXT NOT NULL,
    id_number_hash TEXT NOT NULL,
    birth_date TEXT NOT NULL,
    unit_id BIGINT NOT NULL REFERENCES units(id),
    community_id BIGINT NOT NULL REFERENCES communities(id),
    -- Skills one per line (a skill never holds a line break: validation refuses control characters).
    skills TEXT NOT NULL,
    party_member BOOLEAN NOT NULL DEFAULT FALSE,
    -- Chosen at registration and hashed at once; it becomes the account's on approval.
    password_hash TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'declined')),
    reason TEXT,
    decided_by BIGINT REFERENCES users(id),
    decided_at BIGINT,
    volunteer_id BIGINT REFERENCES volunteers(id),
    created_at BIGINT NOT NULL
);
-- One waiting application per phone and per ID number: the arbiter of racing submissions.
CREATE UNIQUE INDEX registrations_pending_phone ON registrations (phone) WHERE status = 'pending';
CREATE UNIQUE INDEX registrations_pending_id ON registrations (id_number_hash) WHERE status = 'pending';
CREATE INDEX registrations_status_unit ON registrations (status, unit_id);
CREATE TABLE registration_teams (
    registration_id BIGINT NOT NULL REFERENCES registrations(id),
    team_id BIGINT NOT NULL REFERENCES teams(id),
    PRIMARY KEY (registration_id, team_id)
);
CREATE INDEX registration_teams_team ON registration_teams (team_id);
