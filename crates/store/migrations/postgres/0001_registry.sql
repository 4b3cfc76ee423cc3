-- Registry, accounts and audit. Times are unix milliseconds (BIGINT) on both backends.
CREATE TABLE districts (
    id BIGSERIAL PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    active BOOLEAN NOT NULL DEFAULT TRUE,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE TABLE units (
    id BIGSERIAL PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL CHECK (kind IN ('oilfield_unit', 'street_office', 'school', 'other')),
    webhook_url TEXT,
    active BOOLEAN NOT NULL DEFAULT TRUE,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE TABLE communities (
    id BIGSERIAL PRIMARY KEY,
    name TEXT NOT NULL,
    district_id BIGINT NOT NULL REFERENCES districts(id),
    lat DOUBLE PRECISION NOT NULL,
    lng DOUBLE PRECISION NOT NULL,
    active BOOLEAN NOT NULL DEFAULT TRUE,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    UNIQUE (district_id, name)
);
CREATE TABLE volunteers (
    id BIGSERIAL PRIMARY KEY,
    name TEXT COLLATE "C" NOT NULL,
    name_initials TEXT COLLATE "C" NOT NULL,
    name_pinyin TEXT COLLATE "C" NOT NULL,
    phone TEXT NOT NULL UNIQUE,
    phone_rev TEXT COLLATE "C" NOT NULL,
    id_number_enc TEXT,
    id_number_hash TEXT UNIQUE,
    birth_date TEXT,
    unit_id BIGINT NOT NULL REFERENCES units(id),
    community_id BIGINT NOT NULL REFERENCES communities(id),
    party_member BOOLEAN NOT NULL DEFAULT FALSE,
    vest_number TEXT,
    availability TEXT,
    active BOOLEAN NOT NULL DEFAULT TRUE,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX volunteers_name ON volunteers (name);
CREATE INDEX volunteers_initials ON volunteers (name_initials);
CREATE INDEX volunteers_pinyin ON volunteers (name_pinyin);
CREATE INDEX volunteers_phone_rev ON volunteers (phone_rev);
CREATE INDEX volunteers_unit ON volunteers (unit_id);
CREATE INDEX volunteers_community ON volunteers (community_id);
CREATE TABLE teams (
    id BIGSERIAL PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    district_id BIGINT NOT NULL REFERENCES districts(id),
    category TEXT NOT NULL,
    unit_id BIGINT REFERENCES units(id),
    leader_volunteer_id BIGINT REFERENCES volunteers(id),
    active BOOLEAN NOT NULL DEFAULT TRUE,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE TABLE volunteer_teams (
    volunteer_id BIGINT NOT NULL REFERENCES volunteers(id),
    team_id BIGINT NOT NULL REFERENCES teams(id),
    PRIMARY KEY (volunteer_id, team_id)
);
CREATE INDEX volunteer_teams_team ON volunteer_teams (team_id);
CREATE TABLE volunteer_skills (
    volunteer_id BIGINT NOT NULL REFERENCES volunteers(id),
    skill TEXT NOT NULL,
    PRIMARY KEY (volunteer_id, skill)
);
CREATE INDEX volunteer_skills_skill ON volunteer_skills (skill);
CREATE TABLE beneficiaries (
    id BIGSERIAL PRIMARY KEY,
    name TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('elderly_alone', 'disabled', 'hardship_family', 'child', 'other')),
    community_id BIGINT NOT NULL REFERENCES communities(id),
    phone TEXT,
    address TEXT,
    notes TEXT,
    active BOOLEAN NOT NULL DEFAULT TRUE,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX beneficiaries_community ON beneficiaries (community_id);
CREATE TABLE users (
    id BIGSERIAL PRIMARY KEY,
    login TEXT NOT NULL UNIQUE,
    password_hash TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('admin', 'coordinator', 'liaison', 'team_leader', 'volunteer', 'observer', 'viewer')),
    unit_id BIGINT REFERENCES units(id),
    team_id BIGINT REFERENCES teams(id),
    volunteer_id BIGINT REFERENCES volunteers(id),
    active BOOLEAN NOT NULL DEFAULT TRUE,
    created_at BIGINT NOT NULL
);
CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users(id),
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);
CREATE TABLE login_failures (
    id BIGSERIAL PRIMARY KEY,
    login TEXT NOT NULL,
    ip TEXT NOT NULL,
    at BIGINT NOT NULL
);
CREATE INDEX login_failures_login ON login_failures (login, at);
CREATE INDEX login_failures_ip ON login_failures (ip, at);
CREATE TABLE audit_log (
    id BIGSERIAL PRIMARY KEY,
    at BIGINT NOT NULL,
    user_id BIGINT REFERENCES users(id),
    action TEXT NOT NULL,
    subject_kind TEXT NOT NULL,
    subject_id BIGINT,
    detail TEXT
);
CREATE INDEX audit_log_at ON audit_log (at);
CREATE TABLE pending_imports (
    token TEXT PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users(id),
    created_at BIGINT NOT NULL,
    file_name TEXT NOT NULL,
    payload BYTEA NOT NULL
);
