-- Activities, sign-ups, attendance and the rest of the hours ledger (C3, §4).
-- Times are unix ms. Counters on activities and roles are what the capacity
-- guard updates conditionally, so "never more confirmed than capacity" holds
-- under any number of racing sign-ups; the CHECKs make it a database fact too.
CREATE TABLE service_projects (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    category TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE TABLE activities (
    id INTEGER PRIMARY KEY,
    team_id INTEGER NOT NULL REFERENCES teams(id),
    community_id INTEGER NOT NULL REFERENCES communities(id),
    district_id INTEGER NOT NULL REFERENCES districts(id),
    project_id INTEGER REFERENCES service_projects(id),
    series_id INTEGER, -- the first activity of a weekly series
    title TEXT NOT NULL,
    description TEXT,
    address TEXT,
    theme TEXT CHECK (theme IN ('health', 'green', 'happiness', 'harmony', 'integrity')),
    starts_at INTEGER NOT NULL,
    ends_at INTEGER NOT NULL,
    capacity INTEGER NOT NULL CHECK (capacity > 0),
    confirmed INTEGER NOT NULL DEFAULT 0,
    waitlisted INTEGER NOT NULL DEFAULT 0,
    risky INTEGER NOT NULL DEFAULT 0 CHECK (risky IN (0, 1)),
    insurance TEXT,
    adults_only INTEGER NOT NULL DEFAULT 0 CHECK (adults_only IN (0, 1)),
    walk_ups INTEGER NOT NULL DEFAULT 0 CHECK (walk_ups IN (0, 1)),
    checkin_token TEXT NOT NULL UNIQUE,
    cancelled_at INTEGER,
    hours_confirmed_at INTEGER,
    hours_confirmed_by INTEGER REFERENCES users(id),
    reminded_at INTEGER,
    created_by INTEGER REFERENCES users(id),
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    CHECK (ends_at > starts_at),
    CHECK (confirmed >= 0 AND confirmed <= capacity),
    CHECK (waitlisted >= 0)
);
CREATE INDEX activities_near ON activities (community_id, starts_at);
CREATE INDEX activities_district ON activities (district_id, starts_at);
CREATE INDEX activities_team ON activities (team_id, starts_at);
CREATE INDEX activities_starts ON activities (starts_at);
CREATE TABLE activity_roles (
    id INTEGER PRIMARY KEY,
    activity_id INTEGER NOT NULL REFERENCES activities(id),
    name TEXT NOT NULL,
    capacity INTEGER NOT NULL CHECK (capacity > 0),
    confirmed INTEGER NOT NULL DEFAULT 0,
    CHECK (confirmed >= 0 AND confirmed <= capacity),
    UNIQUE (activity_id, name)
);
CREATE TABLE signups (
    id INTEGER PRIMARY KEY,
    activity_id INTEGER NOT NULL REFERENCES activities(id),
    volunteer_id INTEGER NOT NULL REFERENCES volunteers(id),
    role_id INTEGER REFERENCES activity_roles(id),
    status TEXT NOT NULL CHECK (status IN ('confirmed', 'waitlisted', 'cancelled')),
    -- copied from the activity so a volunteer's time conflicts are one index range
    starts_at INTEGER NOT NULL,
    ends_at INTEGER NOT NULL,
    queued_at INTEGER NOT NULL, -- waitlist order
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    UNIQUE (activity_id, volunteer_id)
);
CREATE INDEX signups_queue ON signups (activity_id, status, queued_at);
CREATE INDEX signups_volunteer ON signups (volunteer_id, starts_at);
CREATE TABLE attendance (
    activity_id INTEGER NOT NULL REFERENCES activities(id),
    volunteer_id INTEGER NOT NULL REFERENCES volunteers(id),
    checked_in_at INTEGER NOT NULL,
    checked_out_at INTEGER,
    walk_up INTEGER NOT NULL DEFAULT 0 CHECK (walk_up IN (0, 1)),
    -- closed by rule at the activity's end: the leader must look at it
    auto_closed INTEGER NOT NULL DEFAULT 0 CHECK (auto_closed IN (0, 1)),
    in_by INTEGER REFERENCES users(id),
    out_by INTEGER REFERENCES users(id),
    PRIMARY KEY (activity_id, volunteer_id),
    CHECK (checked_out_at IS NULL OR checked_out_at >= checked_in_at)
);
ALTER TABLE hours_entries ADD COLUMN activity_id INTEGER REFERENCES activities(id);
ALTER TABLE hours_entries ADD COLUMN started_at INTEGER;
ALTER TABLE hours_entries ADD COLUMN ended_at INTEGER;
CREATE INDEX hours_entries_volunteer_day ON hours_entries (volunteer_id, served_on);
CREATE INDEX hours_entries_volunteer_id ON hours_entries (volunteer_id, id);
CREATE INDEX hours_entries_corrects ON hours_entries (corrects_entry_id);
-- One row per volunteer, kept in the same transaction as each ledger entry,
-- so a summary never sums millions of rows.
CREATE TABLE hours_totals (
    volunteer_id INTEGER PRIMARY KEY REFERENCES volunteers(id),
    total_hours REAL NOT NULL,
    entries INTEGER NOT NULL
);
CREATE TABLE hours_disputes (
    id INTEGER PRIMARY KEY,
    entry_id INTEGER NOT NULL REFERENCES hours_entries(id),
    volunteer_id INTEGER NOT NULL REFERENCES volunteers(id),
    reason TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('open', 'answered')),
    answer TEXT,
    answered_by INTEGER REFERENCES users(id),
    created_at INTEGER NOT NULL,
    answered_at INTEGER
);
CREATE INDEX hours_disputes_volunteer ON hours_disputes (volunteer_id);
CREATE TABLE certificates (
    id INTEGER PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    volunteer_id INTEGER NOT NULL REFERENCES volunteers(id),
    total_hours REAL NOT NULL,
    entries INTEGER NOT NULL,
    first_day TEXT,
    last_day TEXT,
    issued_by INTEGER REFERENCES users(id),
    issued_at INTEGER NOT NULL
);
CREATE TABLE calendar_feeds (
    token TEXT PRIMARY KEY,
    volunteer_id INTEGER REFERENCES volunteers(id),
    team_id INTEGER REFERENCES teams(id),
    created_at INTEGER NOT NULL,
    CHECK ((volunteer_id IS NULL) <> (team_id IS NULL))
);
CREATE UNIQUE INDEX calendar_feeds_volunteer ON calendar_feeds (volunteer_id) WHERE volunteer_id IS NOT NULL;
CREATE UNIQUE INDEX calendar_feeds_team ON calendar_feeds (team_id) WHERE team_id IS NOT NULL;
-- Notifications about activities (a waitlist promotion, a reminder) link to them.
ALTER TABLE notifications ADD COLUMN activity_id INTEGER REFERENCES activities(id);
