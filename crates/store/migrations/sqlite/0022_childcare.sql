-- 子女照辅班 (issue #16): terms and their classes, enrolments with the
-- people allowed to take each child home, and the append-only records of
-- each class day (attendance at the door, the day log); alerts raised once
-- per child, day and kind; the rota's shifts are activities linked to a class day.
CREATE TABLE childcare_terms (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    starts_on TEXT NOT NULL,
    ends_on TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    CHECK (ends_on >= starts_on)
);
CREATE TABLE childcare_classes (
    id INTEGER PRIMARY KEY,
    term_id INTEGER NOT NULL REFERENCES childcare_terms(id),
    name TEXT NOT NULL,
    community_id INTEGER NOT NULL REFERENCES communities(id),
    address TEXT,
    min_age INTEGER NOT NULL,
    max_age INTEGER NOT NULL,
    capacity INTEGER NOT NULL CHECK (capacity > 0),
    children_per_caretaker INTEGER NOT NULL CHECK (children_per_caretaker > 0),
    daily_from TEXT NOT NULL,
    daily_to TEXT NOT NULL,
    head_volunteer_id INTEGER REFERENCES volunteers(id),
    team_id INTEGER REFERENCES teams(id),
    -- live counters, moved in the transaction that moves an enrolment
    enrolled INTEGER NOT NULL DEFAULT 0,
    waitlisted INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL,
    UNIQUE (term_id, name),
    CHECK (max_age >= min_age),
    CHECK (enrolled >= 0 AND enrolled <= capacity),
    CHECK (waitlisted >= 0)
);
CREATE INDEX childcare_classes_head ON childcare_classes (head_volunteer_id);
CREATE TABLE childcare_enrolments (
    id INTEGER PRIMARY KEY,
    class_id INTEGER NOT NULL REFERENCES childcare_classes(id),
    code TEXT NOT NULL UNIQUE,
    child_name TEXT NOT NULL,
    birth_date TEXT NOT NULL,
    guardian_name TEXT NOT NULL,
    guardian_phone TEXT NOT NULL,
    guardian_unit_id INTEGER REFERENCES units(id),
    emergency_phone TEXT,
    allergies TEXT,
    notes TEXT,
    priority INTEGER NOT NULL DEFAULT 0,
    status TEXT NOT NULL CHECK (status IN ('enrolled', 'waitlisted', 'cancelled')),
    queued_at INTEGER NOT NULL,
    enrolled_by INTEGER REFERENCES users(id),
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
-- The waitlist in priority order, and a class's roll, read from the index.
CREATE INDEX childcare_enrolments_queue ON childcare_enrolments (class_id, status, priority DESC, queued_at, id);
CREATE TABLE childcare_pickups (
    id INTEGER PRIMARY KEY,
    enrolment_id INTEGER NOT NULL REFERENCES childcare_enrolments(id),
    name TEXT NOT NULL,
    relation TEXT NOT NULL,
    phone TEXT NOT NULL
);
CREATE INDEX childcare_pickups_enrolment ON childcare_pickups (enrolment_id);
CREATE TABLE childcare_attendance (
    id INTEGER PRIMARY KEY,
    enrolment_id INTEGER NOT NULL REFERENCES childcare_enrolments(id),
    class_id INTEGER NOT NULL REFERENCES childcare_classes(id),
    day TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('in', 'out')),
    at INTEGER NOT NULL,
    by_name TEXT NOT NULL,
    -- set when the head released the child to someone not on the list
    exception_reason TEXT,
    recorded_by INTEGER REFERENCES users(id),
    recorded_at INTEGER NOT NULL
);
CREATE INDEX childcare_attendance_day ON childcare_attendance (class_id, day, enrolment_id, id);
CREATE INDEX childcare_attendance_child ON childcare_attendance (enrolment_id, day, id);
-- The region's door today, counted from the index alone (the center's first screen).
CREATE INDEX childcare_attendance_on ON childcare_attendance (day, kind, enrolment_id);
CREATE TABLE childcare_logs (
    id INTEGER PRIMARY KEY,
    enrolment_id INTEGER NOT NULL REFERENCES childcare_enrolments(id),
    class_id INTEGER NOT NULL REFERENCES childcare_classes(id),
    day TEXT NOT NULL,
    meal TEXT CHECK (meal IN ('all', 'some', 'none')),
    nap_from TEXT,
    nap_to TEXT,
    note TEXT,
    incident TEXT,
    action TEXT,
    guardian_told INTEGER NOT NULL DEFAULT 0 CHECK (guardian_told IN (0, 1)),
    recorded_by INTEGER REFERENCES users(id),
    recorded_at INTEGER NOT NULL
);
CREATE INDEX childcare_logs_day ON childcare_logs (class_id, day, enrolment_id, id);
CREATE INDEX childcare_logs_child ON childcare_logs (enrolment_id, day, id);
-- One alert per child, day and kind, however many instances look.
CREATE TABLE childcare_alerts (
    id INTEGER PRIMARY KEY,
    enrolment_id INTEGER NOT NULL REFERENCES childcare_enrolments(id),
    class_id INTEGER NOT NULL REFERENCES childcare_classes(id),
    day TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('late_in', 'late_out')),
    at INTEGER NOT NULL,
    UNIQUE (enrolment_id, day, kind)
);
CREATE INDEX childcare_alerts_class ON childcare_alerts (class_id, day);
CREATE INDEX childcare_alerts_day ON childcare_alerts (day);
-- A class day's caretaker shift is an activity (sign-up, check-in, hours).
CREATE TABLE childcare_shifts (
    class_id INTEGER NOT NULL REFERENCES childcare_classes(id),
    day TEXT NOT NULL,
    activity_id INTEGER NOT NULL UNIQUE REFERENCES activities(id),
    PRIMARY KEY (class_id, day)
);
-- Whose shift is today (a caretaker's first screen).
CREATE INDEX childcare_shifts_day ON childcare_shifts (day, activity_id);
CREATE TABLE childcare_ratings (
    enrolment_id INTEGER PRIMARY KEY REFERENCES childcare_enrolments(id),
    stars INTEGER NOT NULL CHECK (stars BETWEEN 1 AND 5),
    comment TEXT,
    rated_at INTEGER NOT NULL
);
