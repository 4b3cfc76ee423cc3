-- 爱心守护 one-to-one care: a volunteer paired with a beneficiary, and every
-- contact logged. Nothing is deleted: a pause, an end or a handover changes
-- the pair's status, and a handover opens a new pair that names the old one
-- (previous_pair_id; the old pair never points forward, so a restore can
-- insert pairs in id order).
-- The next due day and the warning level are stored on the pair (days since
-- 1970-01-01 in the region), so the overdue lists are indexed reads.
CREATE TABLE care_pairs (
    id BIGSERIAL PRIMARY KEY,
    beneficiary_id BIGINT NOT NULL REFERENCES beneficiaries(id),
    volunteer_id BIGINT NOT NULL REFERENCES volunteers(id),
    role TEXT NOT NULL CHECK (role IN ('primary', 'cover')),
    -- the volunteer's unit when paired: whose liaison answers for the pair
    unit_id BIGINT NOT NULL REFERENCES units(id),
    community_id BIGINT NOT NULL REFERENCES communities(id),
    district_id BIGINT NOT NULL REFERENCES districts(id),
    every_days BIGINT NOT NULL CHECK (every_days > 0),
    starts_on TEXT NOT NULL,
    help TEXT,
    status TEXT NOT NULL CHECK (status IN ('active', 'paused', 'ended', 'handed_over')),
    due_day BIGINT NOT NULL,
    warning_level BIGINT NOT NULL DEFAULT 0,
    -- the highest level already announced, so no level is announced twice
    notified_level BIGINT NOT NULL DEFAULT 0,
    -- the due day the volunteer was last reminded of
    reminded_day BIGINT,
    paused_day BIGINT,
    paused_until BIGINT,
    pause_reason TEXT,
    needs_handover BOOLEAN NOT NULL DEFAULT FALSE,
    end_reason TEXT,
    ended_at BIGINT,
    previous_pair_id BIGINT REFERENCES care_pairs(id),
    handover_note TEXT,
    created_by BIGINT REFERENCES users(id),
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
-- One open pair per volunteer and beneficiary: a racing second pairing fails here.
CREATE UNIQUE INDEX care_pairs_open ON care_pairs (volunteer_id, beneficiary_id) WHERE status IN ('active', 'paused');
CREATE INDEX care_pairs_volunteer ON care_pairs (volunteer_id, status, due_day);
CREATE INDEX care_pairs_beneficiary ON care_pairs (beneficiary_id, id);
-- a handed-over pair finds the pair that took over from it
CREATE INDEX care_pairs_previous ON care_pairs (previous_pair_id);
CREATE INDEX care_pairs_due ON care_pairs (status, due_day);
CREATE INDEX care_pairs_level ON care_pairs (warning_level, due_day);
CREATE INDEX care_pairs_district ON care_pairs (district_id, warning_level, due_day);
CREATE INDEX care_pairs_community ON care_pairs (community_id, warning_level, due_day);
CREATE INDEX care_pairs_unit ON care_pairs (unit_id, warning_level, due_day);
CREATE TABLE care_visits (
    id BIGSERIAL PRIMARY KEY,
    pair_id BIGINT NOT NULL REFERENCES care_pairs(id),
    volunteer_id BIGINT NOT NULL REFERENCES volunteers(id),
    visited_at BIGINT NOT NULL,
    minutes BIGINT NOT NULL CHECK (minutes > 0 AND minutes <= 480),
    mode TEXT NOT NULL CHECK (mode IN ('in_person', 'phone', 'video', 'accompany')),
    contact_made BOOLEAN NOT NULL,
    notes TEXT,
    -- the coordinator hid the notes from later volunteers of the beneficiary
    notes_hidden BOOLEAN NOT NULL DEFAULT FALSE,
    concern TEXT,
    need_id BIGINT REFERENCES needs(id),
    hours_status TEXT NOT NULL CHECK (hours_status IN ('none', 'pending', 'confirmed')),
    recorded_by BIGINT REFERENCES users(id),
    created_at BIGINT NOT NULL
);
CREATE INDEX care_visits_pair ON care_visits (pair_id, visited_at);
CREATE INDEX care_visits_volunteer ON care_visits (volunteer_id, visited_at);
CREATE INDEX care_visits_pending ON care_visits (hours_status, volunteer_id) WHERE hours_status = 'pending';
CREATE INDEX care_visits_month ON care_visits (visited_at);
-- A care visit's minutes, once its hours are confirmed, are a ledger entry that names it.
ALTER TABLE hours_entries ADD COLUMN care_visit_id BIGINT REFERENCES care_visits(id);
