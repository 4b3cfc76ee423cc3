-- The queue filters by status, warning level and district and lists the
-- longest-waiting first: with status_since in the index a page is read in
-- order and stops after 50 rows, instead of sorting every match (a closed
-- status in one district is ~15,000 rows in a region's year).
DROP INDEX needs_queue;
CREATE INDEX needs_queue ON needs (status, warning_level, district_id, status_since);
