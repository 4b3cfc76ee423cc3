-- 技能传承, second part: competitions at every level per trade with their
-- entrants, coaches, results and awards; and the final assessment's comment
-- of a 师带徒 agreement's completion (出师).
CREATE TABLE skill_competitions (
    id BIGSERIAL PRIMARY KEY,
    title TEXT NOT NULL,
    level TEXT NOT NULL CHECK (level IN ('unit', 'oilfield', 'city', 'province', 'national')),
    trade_id BIGINT NOT NULL REFERENCES skill_trades(id),
    -- the organising unit of a unit-level contest (its liaison keeps it)
    unit_id BIGINT REFERENCES units(id),
    held_on TEXT NOT NULL,
    created_by BIGINT REFERENCES users(id),
    created_at BIGINT NOT NULL
);
CREATE INDEX skill_competitions_trade ON skill_competitions (trade_id, held_on);
-- An entrant, their coach and, once judged, their rank and award; an entry
-- without an award is a plain entrant.
CREATE TABLE skill_competition_entries (
    competition_id BIGINT NOT NULL REFERENCES skill_competitions(id),
    volunteer_id BIGINT NOT NULL REFERENCES volunteers(id),
    coach_id BIGINT REFERENCES volunteers(id),
    place_rank BIGINT CHECK (place_rank BETWEEN 1 AND 10000),
    award TEXT CHECK (award IN ('gold', 'silver', 'bronze', 'special')),
    -- a special prize's name (e.g. 最佳操作奖)
    prize TEXT,
    recorded_by BIGINT REFERENCES users(id),
    recorded_at BIGINT NOT NULL,
    PRIMARY KEY (competition_id, volunteer_id),
    CHECK (coach_id IS NULL OR coach_id <> volunteer_id)
);
CREATE INDEX skill_competition_entries_person ON skill_competition_entries (volunteer_id, competition_id);
CREATE INDEX skill_competition_entries_coach ON skill_competition_entries (coach_id, competition_id);
ALTER TABLE skill_apprenticeships ADD COLUMN final_comment TEXT;
