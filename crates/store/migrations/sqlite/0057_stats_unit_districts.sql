-- A unit in a district (issue 17): a dashboard filtered by both read the
-- unit's activities from stats_unit_activities (0044), whose key runs
-- unit, period, team, district, so every row of the unit in the period
-- was read to keep one district's (21,276 rows a year for one unit at
-- issue #17's size). Kept with stats_unit_activities in the same
-- statements' transactions (store::stats::held), filled from it after
-- bulk loads and on restore. The hours and day bits of a unit in a
-- district (levels 10 and 11 of stats_ledger and stats_people) are
-- derived from the level keeping everything on the first start after
-- this migration (store::stats::fill::fill_levels!), which also sets
-- their first days and windows, computed in Rust.
CREATE TABLE stats_unit_districts (
    unit_id INTEGER NOT NULL,
    district_id INTEGER NOT NULL,
    grain TEXT NOT NULL CHECK (grain IN ('m', 'd')),
    period TEXT NOT NULL,
    theme TEXT NOT NULL,
    project_id INTEGER NOT NULL,
    activities INTEGER NOT NULL,
    PRIMARY KEY (unit_id, district_id, grain, period, theme, project_id)
) WITHOUT ROWID;

-- store::stats::held::FILL_UNIT_COARSE.
INSERT INTO stats_unit_districts (unit_id, district_id, grain, period, theme, project_id, activities)
SELECT unit_id, district_id, grain, period, theme, project_id, SUM(activities)
  FROM stats_unit_activities GROUP BY unit_id, district_id, grain, period, theme, project_id;
