-- 技能传承: reminders to the eligible. A certification is a person's level
-- in a trade; its row here says the person and their unit were told they
-- may apply for the next level (now, or within the window). It is inserted
-- in the transaction that tells them, so however many instances sweep, each
-- person is reminded once per level.
CREATE TABLE skill_eligibility_reminders (
    certification_id INTEGER NOT NULL PRIMARY KEY REFERENCES skill_certifications(id),
    reminded_at INTEGER NOT NULL
);
