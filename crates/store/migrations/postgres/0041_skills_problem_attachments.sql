-- Drawings, photos and PDFs attached to a problem of the board or one of its
-- steps, kept in the database itself so they travel with dump/restore and
-- one backup. Each is at most 5 MiB and a problem holds at most 20
-- (domain::skills::attachments); the type is the one its bytes show.
CREATE TABLE skill_problem_attachments (
    id BIGSERIAL PRIMARY KEY,
    problem_id BIGINT NOT NULL REFERENCES skill_problems(id),
    step TEXT NOT NULL CHECK (step IN ('problem', 'solution', 'field_test', 'rolled_out')),
    file_name TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size BIGINT NOT NULL CHECK (size > 0 AND size <= 5242880),
    bytes BYTEA NOT NULL,
    uploaded_by BIGINT NOT NULL REFERENCES users(id),
    uploaded_at BIGINT NOT NULL
);
CREATE INDEX skill_problem_attachments_problem ON skill_problem_attachments (problem_id, id);
