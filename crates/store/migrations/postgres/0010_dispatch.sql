-- Emergency dispatch (应急调度, C4). A call's counters are what the fill guard
-- updates conditionally, so "never more confirmed than needed" holds under any
-- number of racing acceptances; the CHECK makes it a database fact too.
-- Each call has a backing activity (activities.dispatch_id): confirmed people
-- are its sign-ups, so on-site check-in and hours confirmation are the
-- activity's own, and the ledger credits them like any activity.
CREATE TABLE dispatches (
    id BIGSERIAL PRIMARY KEY,
    title TEXT NOT NULL,
    description TEXT,
    address TEXT,
    community_id BIGINT NOT NULL REFERENCES communities(id),
    district_id BIGINT NOT NULL REFERENCES districts(id),
    lat DOUBLE PRECISION NOT NULL,
    lng DOUBLE PRECISION NOT NULL,
    radius_km DOUBLE PRECISION NOT NULL,
    skills TEXT NOT NULL DEFAULT '', -- one wanted skill per line
    starts_at BIGINT NOT NULL,
    ends_at BIGINT NOT NULL,
    needed BIGINT NOT NULL CHECK (needed > 0),
    confirmed BIGINT NOT NULL DEFAULT 0,
    standby BIGINT NOT NULL DEFAULT 0,
    status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'filled', 'closed')),
    waves BIGINT NOT NULL DEFAULT 0,
    created_by BIGINT REFERENCES users(id),
    created_at BIGINT NOT NULL,
    filled_at BIGINT,
    closed_at BIGINT,
    updated_at BIGINT NOT NULL,
    CHECK (ends_at > starts_at),
    CHECK (confirmed >= 0 AND confirmed <= needed),
    CHECK (standby >= 0)
);
CREATE INDEX dispatches_created ON dispatches (created_at);
CREATE TABLE dispatch_units (
    dispatch_id BIGINT NOT NULL REFERENCES dispatches(id),
    unit_id BIGINT NOT NULL REFERENCES units(id),
    eligible BIGINT NOT NULL,
    quota BIGINT NOT NULL CHECK (quota >= 0),
    PRIMARY KEY (dispatch_id, unit_id)
);
-- Everyone asked or committed, and where they stand. `token` is the secret of
-- their one-tap answer link.
CREATE TABLE dispatch_responses (
    dispatch_id BIGINT NOT NULL REFERENCES dispatches(id),
    volunteer_id BIGINT NOT NULL REFERENCES volunteers(id),
    unit_id BIGINT NOT NULL REFERENCES units(id),
    wave BIGINT NOT NULL, -- 0: committed by a liaison without being asked
    score DOUBLE PRECISION,
    distance_km DOUBLE PRECISION,
    status TEXT NOT NULL CHECK (status IN ('notified', 'confirmed', 'standby', 'declined', 'withdrawn')),
    token TEXT NOT NULL UNIQUE,
    notified_at BIGINT NOT NULL,
    answered_at BIGINT,
    answered_by BIGINT REFERENCES users(id),
    queued_at BIGINT, -- standby order
    PRIMARY KEY (dispatch_id, volunteer_id)
);
CREATE INDEX dispatch_responses_standby ON dispatch_responses (dispatch_id, status, queued_at);
CREATE INDEX dispatch_responses_volunteer ON dispatch_responses (volunteer_id);
-- What the live board follows: one row per change, read by id.
CREATE TABLE dispatch_events (
    id BIGSERIAL PRIMARY KEY,
    dispatch_id BIGINT NOT NULL REFERENCES dispatches(id),
    at BIGINT NOT NULL,
    kind TEXT NOT NULL
);
CREATE INDEX dispatch_events_dispatch ON dispatch_events (dispatch_id, id);
-- How often each volunteer was asked and said yes: the ranking spreads the
-- load by it. Kept in the same transaction as the notices and answers.
CREATE TABLE volunteer_call_stats (
    volunteer_id BIGINT PRIMARY KEY REFERENCES volunteers(id),
    last_called_at BIGINT NOT NULL,
    invited BIGINT NOT NULL DEFAULT 0,
    accepted BIGINT NOT NULL DEFAULT 0,
    updated_at BIGINT NOT NULL
);
CREATE INDEX volunteer_call_stats_updated ON volunteer_call_stats (updated_at);
-- The ranking's in-memory pool catches up on changed volunteers by this.
CREATE INDEX volunteers_updated ON volunteers (updated_at);
-- Who is busy during a call is a range over every sign-up's start.
CREATE INDEX signups_starts ON signups (starts_at);
ALTER TABLE activities ADD COLUMN dispatch_id BIGINT REFERENCES dispatches(id);
ALTER TABLE notifications ADD COLUMN dispatch_id BIGINT REFERENCES dispatches(id);
