-- Child-days (a child checked in on a day counts once that day) kept per
-- guardian's unit, day or month, and class, so the dashboard sums a few
-- hundred rows instead of reading a period's attendance with a DISTINCT.
-- `unit_id` 0 holds every child; a child whose guardian names a unit is
-- also counted under it. Kept with each first check-in of a child's day
-- (store::childcare::days), filled again on a restore.
CREATE TABLE childcare_child_days (
    unit_id INTEGER NOT NULL,
    grain TEXT NOT NULL CHECK (grain IN ('d', 'm')),
    period TEXT NOT NULL,
    class_id INTEGER NOT NULL REFERENCES childcare_classes(id),
    children INTEGER NOT NULL,
    PRIMARY KEY (unit_id, grain, period, class_id)
) WITHOUT ROWID;
INSERT INTO childcare_child_days (unit_id, grain, period, class_id, children)
SELECT CASE WHEN s.k = 0 THEN 0 ELSE e.guardian_unit_id END, g.grain,
       CASE WHEN g.grain = 'd' THEN f.day ELSE substr(f.day, 1, 7) END, f.class_id, COUNT(*)
  FROM (SELECT DISTINCT class_id, enrolment_id, day FROM childcare_attendance WHERE kind = 'in') f
  JOIN childcare_enrolments e ON e.id = f.enrolment_id
  CROSS JOIN (SELECT 0 AS k UNION ALL SELECT 1) s
  CROSS JOIN (SELECT 'd' AS grain UNION ALL SELECT 'm') g
 WHERE s.k = 0 OR e.guardian_unit_id IS NOT NULL
 GROUP BY 1, 2, 3, 4;
-- The dashboard's incidents of a period, without reading every day log.
CREATE INDEX childcare_logs_incident ON childcare_logs (day, class_id, enrolment_id) WHERE incident IS NOT NULL;
