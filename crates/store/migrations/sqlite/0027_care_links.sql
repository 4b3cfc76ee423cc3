-- 爱心守护 warnings and reminders lead to the pair they are about.
ALTER TABLE notifications ADD COLUMN care_pair_id INTEGER REFERENCES care_pairs(id);
