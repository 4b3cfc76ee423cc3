-- A unit's hours by team (level 9 = unit and team of stats_ledger): a
-- liaison's dashboard reads a row per team and period instead of every row
-- of the level keeping every dimension (23,149 rows a year for one unit at
-- issue #17's size). Kept with the other levels from here on.
INSERT INTO stats_ledger (level, grain, period, team_id, district_id, theme, unit_id, hours, entries)
SELECT 9, grain, period, team_id, 0, '', unit_id, SUM(hours), SUM(entries)
  FROM stats_ledger WHERE level = 15 GROUP BY grain, period, team_id, unit_id;
