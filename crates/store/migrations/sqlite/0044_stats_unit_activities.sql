-- A unit's activities held (issue 17): the activities its volunteers served
-- in (an entry stamped with the unit), which the activities rollup (0034)
-- cannot key, so a filter naming a unit read every activity of the period
-- and probed the ledger for each (786 ms at 300,000 activities). Per unit,
-- region month (grain 'm') and day (grain 'd') of the start, team,
-- district, theme and project, one activity per unit that served in it:
-- kept with the ledger entry that first ties a unit to an activity and
-- with each activity's cancellation and change of theme
-- (store::stats::held), rebuilt after bulk loads.
CREATE TABLE stats_unit_activities (
    unit_id INTEGER NOT NULL,
    grain TEXT NOT NULL CHECK (grain IN ('m', 'd')),
    period TEXT NOT NULL,
    team_id INTEGER NOT NULL,
    district_id INTEGER NOT NULL,
    theme TEXT NOT NULL,
    project_id INTEGER NOT NULL,
    activities INTEGER NOT NULL,
    PRIMARY KEY (unit_id, grain, period, team_id, district_id, theme, project_id)
) WITHOUT ROWID;

-- The units' activities as the ledger stands (store::stats::held::rebuild).
INSERT INTO stats_unit_activities (unit_id, grain, period, team_id, district_id, theme, project_id, activities) SELECT u.unit_id, g.column1, CASE WHEN g.column1 = 'm' THEN substr(strftime('%Y-%m-%d', a.starts_at / 1000 + 28800, 'unixepoch'), 1, 7) ELSE strftime('%Y-%m-%d', a.starts_at / 1000 + 28800, 'unixepoch') END, a.team_id, a.district_id, COALESCE(a.theme, ''), COALESCE(a.project_id, 0), 1 * COUNT(*) FROM (SELECT DISTINCT e.activity_id, e.unit_id FROM hours_entries e WHERE e.activity_id IS NOT NULL AND e.unit_id IS NOT NULL) u JOIN activities a ON a.id = u.activity_id CROSS JOIN (VALUES ('m'), ('d')) g WHERE a.cancelled_at IS NULL GROUP BY 1, 2, 3, 4, 5, 6, 7;
