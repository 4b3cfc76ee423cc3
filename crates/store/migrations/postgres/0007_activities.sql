-- Activities, sign-ups, attendance and the rest of the hours ledger (C3, §4).
-- Times are unix ms. Counters on activities and roles are what the capacity
-- guard updates conditionally, so "never more confirmed than capacity" holds
-- under any number of racing sign-ups; the CHECKs make it a database fact too.
CREATE TABLE service_projects (
    id BIGSERIAL PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    category TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE TABLE activities (
    id BIGSERIAL PRIMARY KEY,
    team_id BIGINT NOT NULL REFERENCES teams(id),
    community_id BIGINT NOT NULL REFERENCES communities(id),
    district_id BIGINT NOT NULL REFERENCES districts(id),
    project_id BIGINT REFERENCES service_projects(id),
    series_id BIGINT, -- the first activity of a weekly series
    title TEXT NOT NULL,
    description TEXT,
    address TEXT,
    theme TEXT CHECK (theme IN ('health', 'green', 'happiness', 'harmony', 'integrity')),
    starts_at BIGINT NOT NULL,
    ends_at BIGINT NOT NULL,
    capacity BIGINT NOT NULL CHECK (capacity > 0),
    confirmed BIGINT NOT NULL DEFAULT 0,
    waitlisted BIGINT NOT NULL DEFAULT 0,
    risky BOOLEAN NOT NULL DEFAULT FALSE,
    insurance TEXT,
    adults_only BOOLEAN NOT NULL DEFAULT FALSE,
    walk_ups BOOLEAN NOT NULL DEFAULT FALSE,
    checkin_token TEXT NOT NULL UNIQUE,
    cancelled_at BIGINT,
    hours_confirmed_at BIGINT,
    hours_confirmed_by BIGINT REFERENCES users(id),
    reminded_at BIGINT,
    created_by BIGINT REFERENCES users(id),
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    CHECK (ends_at > starts_at),
    CHECK (confirmed >= 0 AND confirmed <= capacity),
    CHECK (waitlisted >= 0)
);
CREATE INDEX activities_near ON activities (community_id, starts_at);
CREATE INDEX activities_district ON activities (district_id, starts_at);
CREATE INDEX activities_team ON activities (team_id, starts_at);
CREATE INDEX activities_starts ON activities (starts_at);
CREATE TABLE activity_roles (
    id BIGSERIAL PRIMARY KEY,
    activity_id BIGINT NOT NULL REFERENCES activities(id),
    name TEXT NOT NULL,
    capacity BIGINT NOT NULL CHECK (capacity > 0),
    confirmed BIGINT NOT NULL DEFAULT 0,
    CHECK (confirmed >= 0 AND confirmed <= capacity),
    UNIQUE (activity_id, name)
);
CREATE TABLE signups (
    id BIGSERIAL PRIMARY KEY,
    activity_id BIGINT NOT NULL REFERENCES activities(id),
    volunteer_id BIGINT NOT NULL REFERENCES volunteers(id),
    role_id BIGINT REFERENCES activity_roles(id),
    status TEXT NOT NULL CHECK (status IN ('confirmed', 'waitlisted', 'cancelled')),
    -- copied from the activity so a volunteer's time conflicts are one index range
    starts_at BIGINT NOT NULL,
    ends_at BIGINT NOT NULL,
    queued_at BIGINT NOT NULL, -- waitlist order
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    UNIQUE (activity_id, volunteer_id)
);
CREATE INDEX signups_queue ON signups (activity_id, status, queued_at);
CREATE INDEX signups_volunteer ON signups (volunteer_id, starts_at);
CREATE TABLE attendance (
    activity_id BIGINT NOT NULL REFERENCES activities(id),
    volunteer_id BIGINT NOT NULL REFERENCES volunteers(id),
    checked_in_at BIGINT NOT NULL,
    checked_out_at BIGINT,
    walk_up BOOLEAN NOT NULL DEFAULT FALSE,
    -- closed by rule at the activity's end: the leader must look at it
    auto_closed BOOLEAN NOT NULL DEFAULT FALSE,
    in_by BIGINT REFERENCES users(id),
    out_by BIGINT REFERENCES users(id),
    PRIMARY KEY (activity_id, volunteer_id),
    CHECK (checked_out_at IS NULL OR checked_out_at >= checked_in_at)
);
ALTER TABLE hours_entries ADD COLUMN activity_id BIGINT REFERENCES activities(id);
ALTER TABLE hours_entries ADD COLUMN started_at BIGINT;
ALTER TABLE hours_entries ADD COLUMN ended_at BIGINT;
CREATE INDEX hours_entries_volunteer_day ON hours_entries (volunteer_id, served_on);
CREATE INDEX hours_entries_volunteer_id ON hours_entries (volunteer_id, id);
CREATE INDEX hours_entries_corrects ON hours_entries (corrects_entry_id);
-- One row per volunteer, kept in the same transaction as each ledger entry,
-- so a summary never sums millions of rows.
CREATE TABLE hours_totals (
    volunteer_id BIGINT PRIMARY KEY REFERENCES volunteers(id),
    total_hours DOUBLE PRECISION NOT NULL,
    entries BIGINT NOT NULL
);
CREATE TABLE hours_disputes (
    id BIGSERIAL PRIMARY KEY,
    entry_id BIGINT NOT NULL REFERENCES hours_entries(id),
    volunteer_id BIGINT NOT NULL REFERENCES volunteers(id),
    reason TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('open', 'answered')),
    answer TEXT,
    answered_by BIGINT REFERENCES users(id),
    created_at BIGINT NOT NULL,
    answered_at BIGINT
);
CREATE INDEX hours_disputes_volunteer ON hours_disputes (volunteer_id);
CREATE TABLE certificates (
    id BIGSERIAL PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    volunteer_id BIGINT NOT NULL REFERENCES volunteers(id),
    total_hours DOUBLE PRECISION NOT NULL,
    entries BIGINT NOT NULL,
    first_day TEXT,
    last_day TEXT,
    issued_by BIGINT REFERENCES users(id),
    issued_at BIGINT NOT NULL
);
CREATE TABLE calendar_feeds (
    token TEXT PRIMARY KEY,
    volunteer_id BIGINT REFERENCES volunteers(id),
    team_id BIGINT REFERENCES teams(id),
    created_at BIGINT NOT NULL,
    CHECK ((volunteer_id IS NULL) <> (team_id IS NULL))
);
CREATE UNIQUE INDEX calendar_feeds_volunteer ON calendar_feeds (volunteer_id) WHERE volunteer_id IS NOT NULL;
CREATE UNIQUE INDEX calendar_feeds_team ON calendar_feeds (team_id) WHERE team_id IS NOT NULL;
-- Notifications about activities (a waitlist promotion, a reminder) link to them.
ALTER TABLE notifications ADD COLUMN activity_id BIGINT REFERENCES activities(id);
