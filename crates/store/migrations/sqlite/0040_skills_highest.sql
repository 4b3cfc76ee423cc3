-- Each person's highest certification per trade, so the eligibility list
-- reads one row per person and trade instead of testing every certification
-- for a higher one. Kept by the store in the transaction that records a
-- certification; clustered on the person, whom the list reaches by unit.
CREATE TABLE skill_highest (
    volunteer_id INTEGER NOT NULL REFERENCES volunteers(id),
    trade_id INTEGER NOT NULL REFERENCES skill_trades(id),
    certification_id INTEGER NOT NULL REFERENCES skill_certifications(id),
    level INTEGER NOT NULL,
    certified_on TEXT NOT NULL,
    PRIMARY KEY (volunteer_id, trade_id)
) WITHOUT ROWID;
INSERT INTO skill_highest (volunteer_id, trade_id, certification_id, level, certified_on)
SELECT c.volunteer_id, c.trade_id, c.id, c.level, c.certified_on FROM skill_certifications c
WHERE NOT EXISTS (SELECT 1 FROM skill_certifications h WHERE h.volunteer_id = c.volunteer_id AND h.trade_id = c.trade_id AND h.level > c.level);
-- The whole region's list (the center's, the reminders' sweep) by day.
CREATE INDEX skill_highest_day ON skill_highest (certified_on, volunteer_id);
