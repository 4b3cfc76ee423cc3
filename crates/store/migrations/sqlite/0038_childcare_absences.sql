-- A child's absence (请假) for a class day, reported by the guardian (code
-- plus mobile) or recorded by the class's staff when the guardian phones in.
-- One per child and day: a repeat is no second row, and a later check-in
-- simply shows the child came after all. An absent child raises no late
-- drop-off alert.
CREATE TABLE childcare_absences (
    id INTEGER PRIMARY KEY,
    enrolment_id INTEGER NOT NULL REFERENCES childcare_enrolments(id),
    class_id INTEGER NOT NULL REFERENCES childcare_classes(id),
    day TEXT NOT NULL,
    reason TEXT,
    -- NULL when the guardian reported it themselves
    recorded_by INTEGER REFERENCES users(id),
    recorded_at INTEGER NOT NULL,
    UNIQUE (enrolment_id, day)
);
CREATE INDEX childcare_absences_day ON childcare_absences (class_id, day);
