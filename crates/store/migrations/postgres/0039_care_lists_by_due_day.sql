-- The overdue lists and counts read ranges of due days (an active pair's
-- level only rises as its due day gets older: "overdue" is due on or before
-- today − blue, "red" on or before today − red), so no list index carries
-- the warning level any more, and the minute's recompute of every pair's
-- level rewrites table rows only, not four indexes.
DROP INDEX care_pairs_level;
DROP INDEX care_pairs_district;
DROP INDEX care_pairs_community;
DROP INDEX care_pairs_unit;
CREATE INDEX care_pairs_district ON care_pairs (district_id, status, due_day, id);
CREATE INDEX care_pairs_community ON care_pairs (community_id, status, due_day, id);
CREATE INDEX care_pairs_unit ON care_pairs (unit_id, status, due_day, id);
