-- 技能传承, the problem board: a duplicate problem merged into the first one
-- stays, with its history, marked by what it was merged into; its proposer
-- (and its supporters) become supporters of the first, with when.
-- merged_into names a problem of this table; no foreign key, so a dump's
-- rows load in id order whichever of the two was entered first.
ALTER TABLE skill_problems ADD COLUMN merged_into INTEGER;
CREATE INDEX skill_problems_merged ON skill_problems (merged_into);
CREATE TABLE skill_problem_supporters (
    problem_id INTEGER NOT NULL REFERENCES skill_problems(id),
    volunteer_id INTEGER NOT NULL REFERENCES volunteers(id),
    -- the duplicate they proposed, and when they proposed it
    from_problem_id INTEGER NOT NULL REFERENCES skill_problems(id),
    proposed_at INTEGER NOT NULL,
    PRIMARY KEY (problem_id, volunteer_id)
);
