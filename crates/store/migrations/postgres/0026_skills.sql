-- 技能传承: trades and the five-level ladder, people's certifications,
-- training classes with lessons, attendance and exam results, 师带徒
-- agreements, and the board of front-line production problems (一线生产难题).
-- People are registry volunteers (a worker of a member unit need not serve).
CREATE TABLE skill_trades (
    id BIGSERIAL PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL UNIQUE,
    created_at BIGINT NOT NULL
);
-- What moving up from `level` asks in a trade; a missing row takes the
-- domain's default (skills::ladder::default_rule).
CREATE TABLE skill_trade_rules (
    trade_id BIGINT NOT NULL REFERENCES skill_trades(id),
    level BIGINT NOT NULL CHECK (level BETWEEN 1 AND 4),
    years BIGINT NOT NULL CHECK (years BETWEEN 0 AND 20),
    hours BIGINT NOT NULL CHECK (hours BETWEEN 0 AND 2000),
    PRIMARY KEY (trade_id, level)
);
CREATE TABLE skill_certifications (
    id BIGSERIAL PRIMARY KEY,
    volunteer_id BIGINT NOT NULL REFERENCES volunteers(id),
    trade_id BIGINT NOT NULL REFERENCES skill_trades(id),
    level BIGINT NOT NULL CHECK (level BETWEEN 1 AND 5),
    certified_on TEXT NOT NULL,
    certificate_no TEXT NOT NULL,
    issuer TEXT NOT NULL,
    -- a level reached without the one below (破格/直接认定), with its reason
    direct_reason TEXT,
    recorded_by BIGINT REFERENCES users(id),
    created_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX skill_certifications_number ON skill_certifications (issuer, certificate_no);
-- One certificate per person, trade and level: a racing second entry fails here.
CREATE UNIQUE INDEX skill_certifications_person ON skill_certifications (volunteer_id, trade_id, level);
CREATE INDEX skill_certifications_trade ON skill_certifications (trade_id, level, volunteer_id);
CREATE TABLE skill_trainings (
    id BIGSERIAL PRIMARY KEY,
    title TEXT NOT NULL,
    trade_id BIGINT NOT NULL REFERENCES skill_trades(id),
    level BIGINT CHECK (level BETWEEN 1 AND 5),
    unit_id BIGINT REFERENCES units(id),
    starts_on TEXT NOT NULL,
    ends_on TEXT NOT NULL,
    capacity BIGINT NOT NULL CHECK (capacity > 0),
    pass_mark BIGINT NOT NULL CHECK (pass_mark BETWEEN 0 AND 100),
    created_by BIGINT REFERENCES users(id),
    created_at BIGINT NOT NULL,
    CHECK (ends_on >= starts_on)
);
CREATE INDEX skill_trainings_trade ON skill_trainings (trade_id, starts_on);
CREATE TABLE skill_training_teachers (
    training_id BIGINT NOT NULL REFERENCES skill_trainings(id),
    volunteer_id BIGINT NOT NULL REFERENCES volunteers(id),
    PRIMARY KEY (training_id, volunteer_id)
);
CREATE INDEX skill_training_teachers_volunteer ON skill_training_teachers (volunteer_id);
CREATE TABLE skill_training_lessons (
    id BIGSERIAL PRIMARY KEY,
    training_id BIGINT NOT NULL REFERENCES skill_trainings(id),
    held_on TEXT NOT NULL,
    topic TEXT NOT NULL,
    hours DOUBLE PRECISION NOT NULL CHECK (hours > 0 AND hours <= 12)
);
CREATE INDEX skill_training_lessons_training ON skill_training_lessons (training_id, held_on);
-- An enrolment and, once examined, its score (passed: score >= the class's pass mark).
CREATE TABLE skill_training_enrolments (
    training_id BIGINT NOT NULL REFERENCES skill_trainings(id),
    volunteer_id BIGINT NOT NULL REFERENCES volunteers(id),
    score BIGINT CHECK (score BETWEEN 0 AND 100),
    passed BOOLEAN NOT NULL DEFAULT FALSE,
    enrolled_at BIGINT NOT NULL,
    PRIMARY KEY (training_id, volunteer_id)
);
CREATE INDEX skill_training_enrolments_volunteer ON skill_training_enrolments (volunteer_id, training_id, passed);
CREATE TABLE skill_training_attendance (
    lesson_id BIGINT NOT NULL REFERENCES skill_training_lessons(id),
    volunteer_id BIGINT NOT NULL REFERENCES volunteers(id),
    PRIMARY KEY (lesson_id, volunteer_id)
);
CREATE INDEX skill_training_attendance_volunteer ON skill_training_attendance (volunteer_id, lesson_id);
CREATE TABLE skill_apprenticeships (
    id BIGSERIAL PRIMARY KEY,
    mentor_id BIGINT NOT NULL REFERENCES volunteers(id),
    apprentice_id BIGINT NOT NULL REFERENCES volunteers(id),
    trade_id BIGINT NOT NULL REFERENCES skill_trades(id),
    from_level BIGINT NOT NULL CHECK (from_level BETWEEN 1 AND 5),
    target_level BIGINT NOT NULL CHECK (target_level BETWEEN 1 AND 5),
    starts_on TEXT NOT NULL,
    ends_on TEXT NOT NULL,
    goals TEXT,
    -- 出师: the day the apprentice completed, with the final assessment's score
    completed_on TEXT,
    final_score BIGINT CHECK (final_score BETWEEN 0 AND 100),
    created_by BIGINT REFERENCES users(id),
    created_at BIGINT NOT NULL,
    CHECK (mentor_id <> apprentice_id),
    CHECK (target_level > from_level),
    CHECK (ends_on >= starts_on)
);
CREATE INDEX skill_apprenticeships_mentor ON skill_apprenticeships (mentor_id, apprentice_id);
CREATE INDEX skill_apprenticeships_apprentice ON skill_apprenticeships (apprentice_id);
CREATE TABLE skill_apprenticeship_assessments (
    id BIGSERIAL PRIMARY KEY,
    apprenticeship_id BIGINT NOT NULL REFERENCES skill_apprenticeships(id),
    scope TEXT NOT NULL CHECK (scope IN ('monthly', 'quarterly', 'yearly')),
    period TEXT NOT NULL,
    score BIGINT NOT NULL CHECK (score BETWEEN 0 AND 100),
    comment TEXT,
    recorded_by BIGINT REFERENCES users(id),
    recorded_at BIGINT NOT NULL,
    UNIQUE (apprenticeship_id, scope, period)
);
CREATE TABLE skill_problems (
    id BIGSERIAL PRIMARY KEY,
    title TEXT NOT NULL,
    description TEXT NOT NULL,
    unit_id BIGINT NOT NULL REFERENCES units(id),
    trade_id BIGINT REFERENCES skill_trades(id),
    site TEXT,
    impact TEXT,
    -- 难题首提人: the first proposer, with when
    proposer_id BIGINT NOT NULL REFERENCES volunteers(id),
    proposed_at BIGINT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('proposed', 'claimed', 'solution', 'field_test', 'rolled_out', 'closed')),
    team_id BIGINT REFERENCES teams(id),
    claimed_at BIGINT,
    award TEXT,
    updated_at BIGINT NOT NULL
);
CREATE INDEX skill_problems_board ON skill_problems (unit_id, trade_id, status, id);
CREATE INDEX skill_problems_team ON skill_problems (team_id, status);
CREATE INDEX skill_problems_proposer ON skill_problems (proposer_id);
CREATE TABLE skill_problem_steps (
    id BIGSERIAL PRIMARY KEY,
    problem_id BIGINT NOT NULL REFERENCES skill_problems(id),
    step TEXT NOT NULL,
    note TEXT NOT NULL,
    at BIGINT NOT NULL,
    user_id BIGINT REFERENCES users(id),
    team_id BIGINT REFERENCES teams(id)
);
CREATE INDEX skill_problem_steps_problem ON skill_problem_steps (problem_id, id);
