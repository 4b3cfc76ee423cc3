-- Emergency dispatch (应急调度, C4). A call's counters are what the fill guard
-- updates conditionally, so "never more confirmed than needed" holds under any
-- number of racing acceptances; the CHECK makes it a database fact too.
-- Each call has a backing activity (activities.dispatch_id): confirmed people
-- are its sign-ups, so on-site check-in and hours confirmation are the
-- activity's own, and the ledger credits them like any activity.
CREATE TABLE dispatches (
    id INTEGER PRIMARY KEY,
    title TEXT NOT NULL,
    description TEXT,
    address TEXT,
    community_id INTEGER NOT NULL REFERENCES communities(id),
    district_id INTEGER NOT NULL REFERENCES districts(id),
    lat REAL NOT NULL,
    lng REAL NOT NULL,
    radius_km REAL NOT NULL,
    skills TEXT NOT NULL DEFAULT '', -- one wanted skill per line
    starts_at INTEGER NOT NULL,
    ends_at INTEGER NOT NULL,
    needed INTEGER NOT NULL CHECK (needed > 0),
    confirmed INTEGER NOT NULL DEFAULT 0,
    standby INTEGER NOT NULL DEFAULT 0,
    status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'filled', 'closed')),
    waves INTEGER NOT NULL DEFAULT 0,
    created_by INTEGER REFERENCES users(id),
    created_at INTEGER NOT NULL,
    filled_at INTEGER,
    closed_at INTEGER,
    updated_at INTEGER NOT NULL,
    CHECK (ends_at > starts_at),
    CHECK (confirmed >= 0 AND confirmed <= needed),
    CHECK (standby >= 0)
);
CREATE INDEX dispatches_created ON dispatches (created_at);
CREATE TABLE dispatch_units (
    dispatch_id INTEGER NOT NULL REFERENCES dispatches(id),
    unit_id INTEGER NOT NULL REFERENCES units(id),
    eligible INTEGER NOT NULL,
    quota INTEGER NOT NULL CHECK (quota >= 0),
    PRIMARY KEY (dispatch_id, unit_id)
);
-- Everyone asked or committed, and where they stand. `token` is the secret of
-- their one-tap answer link.
CREATE TABLE dispatch_responses (
    dispatch_id INTEGER NOT NULL REFERENCES dispatches(id),
    volunteer_id INTEGER NOT NULL REFERENCES volunteers(id),
    unit_id INTEGER NOT NULL REFERENCES units(id),
    wave INTEGER NOT NULL, -- 0: committed by a liaison without being asked
    score REAL,
    distance_km REAL,
    status TEXT NOT NULL CHECK (status IN ('notified', 'confirmed', 'standby', 'declined', 'withdrawn')),
    token TEXT NOT NULL UNIQUE,
    notified_at INTEGER NOT NULL,
    answered_at INTEGER,
    answered_by INTEGER REFERENCES users(id),
    queued_at INTEGER, -- standby order
    PRIMARY KEY (dispatch_id, volunteer_id)
);
CREATE INDEX dispatch_responses_standby ON dispatch_responses (dispatch_id, status, queued_at);
CREATE INDEX dispatch_responses_volunteer ON dispatch_responses (volunteer_id);
-- What the live board follows: one row per change, read by id.
CREATE TABLE dispatch_events (
    id INTEGER PRIMARY KEY,
    dispatch_id INTEGER NOT NULL REFERENCES dispatches(id),
    at INTEGER NOT NULL,
    kind TEXT NOT NULL
);
CREATE INDEX dispatch_events_dispatch ON dispatch_events (dispatch_id, id);
-- How often each volunteer was asked and said yes: the ranking spreads the
-- load by it. Kept in the same transaction as the notices and answers.
CREATE TABLE volunteer_call_stats (
    volunteer_id INTEGER PRIMARY KEY REFERENCES volunteers(id),
    last_called_at INTEGER NOT NULL,
    invited INTEGER NOT NULL DEFAULT 0,
    accepted INTEGER NOT NULL DEFAULT 0,
    updated_at INTEGER NOT NULL
);
CREATE INDEX volunteer_call_stats_updated ON volunteer_call_stats (updated_at);
-- The ranking's in-memory pool catches up on changed volunteers by this.
CREATE INDEX volunteers_updated ON volunteers (updated_at);
-- Who is busy during a call is a range over every sign-up's start.
CREATE INDEX signups_starts ON signups (starts_at);
ALTER TABLE activities ADD COLUMN dispatch_id INTEGER REFERENCES dispatches(id);
ALTER TABLE notifications ADD COLUMN dispatch_id INTEGER REFERENCES dispatches(id);
