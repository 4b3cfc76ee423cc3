-- 爱心守护: warnings and reminders lead to the pair they are about.
ALTER TABLE notifications ADD COLUMN care_pair_id BIGINT REFERENCES care_pairs(id);
-- The overdue lists read the worst first, then the longest overdue
-- (warning_level DESC, due_day, id): indexes in that order let a page stop
-- after its rows instead of sorting every overdue pair of the district.
DROP INDEX care_pairs_level;
DROP INDEX care_pairs_district;
DROP INDEX care_pairs_community;
DROP INDEX care_pairs_unit;
CREATE INDEX care_pairs_level ON care_pairs (warning_level DESC, due_day, id);
CREATE INDEX care_pairs_district ON care_pairs (district_id, warning_level DESC, due_day, id);
CREATE INDEX care_pairs_community ON care_pairs (community_id, warning_level DESC, due_day, id);
CREATE INDEX care_pairs_unit ON care_pairs (unit_id, warning_level DESC, due_day, id);
