-- Distinct volunteers by their first day (issue 17): the year so far and
-- this month so far (and their previous periods) read one row per active
-- volunteer from stats_people (100,000 a year at the bench's size, twice
-- per dashboard). Per level, year (scope 'y') or month (scope 'm') and
-- dimensions, how many volunteers first served on each day, the day kept
-- as its word and lowest bit of stats_people's row: such a period is a
-- sum of at most a few hundred counts (store::stats::firsts, kept with the
-- ledger). A unit alone gets its own level (8) in both ledger rollups, so
-- a liaison's dashboard reads rows keyed exactly by it.
CREATE TABLE stats_firsts (
    level INTEGER NOT NULL,
    scope TEXT NOT NULL CHECK (scope IN ('y', 'm')),
    period TEXT NOT NULL,
    team_id INTEGER NOT NULL,
    district_id INTEGER NOT NULL,
    theme TEXT NOT NULL,
    unit_id INTEGER NOT NULL,
    word INTEGER NOT NULL,
    low INTEGER NOT NULL,
    people INTEGER NOT NULL,
    PRIMARY KEY (level, scope, period, team_id, district_id, theme, unit_id, word, low)
) WITHOUT ROWID;

-- The unit's own level from the ledger as it stands.
INSERT INTO stats_ledger (level, grain, period, team_id, district_id, theme, unit_id, hours, entries) SELECT 8, s.grain, s.period, 0, 0, '', s.unit_id, SUM(s.hours), SUM(s.entries) FROM stats_ledger s WHERE s.level = 15 GROUP BY s.grain, s.period, s.unit_id;
INSERT INTO stats_people (level, year, team_id, district_id, theme, unit_id, volunteer_id, w0, w1, w2, w3, w4, w5) SELECT 8, x.year, 0, 0, '', x.unit_id, x.volunteer_id, SUM(x.w0), SUM(x.w1), SUM(x.w2), SUM(x.w3), SUM(x.w4), SUM(x.w5) FROM (SELECT DISTINCT substr(e.served_on, 1, 4) AS year, COALESCE(e.unit_id, 0) AS unit_id, e.volunteer_id AS volunteer_id, CASE WHEN (CAST(substr(e.served_on, 6, 2) AS INTEGER) - 1) / 2 = 0 THEN CAST(1 AS BIGINT) << (((CAST(substr(e.served_on, 6, 2) AS INTEGER) - 1) % 2) * 31 + CAST(substr(e.served_on, 9, 2) AS INTEGER) - 1) ELSE 0 END AS w0, CASE WHEN (CAST(substr(e.served_on, 6, 2) AS INTEGER) - 1) / 2 = 1 THEN CAST(1 AS BIGINT) << (((CAST(substr(e.served_on, 6, 2) AS INTEGER) - 1) % 2) * 31 + CAST(substr(e.served_on, 9, 2) AS INTEGER) - 1) ELSE 0 END AS w1, CASE WHEN (CAST(substr(e.served_on, 6, 2) AS INTEGER) - 1) / 2 = 2 THEN CAST(1 AS BIGINT) << (((CAST(substr(e.served_on, 6, 2) AS INTEGER) - 1) % 2) * 31 + CAST(substr(e.served_on, 9, 2) AS INTEGER) - 1) ELSE 0 END AS w2, CASE WHEN (CAST(substr(e.served_on, 6, 2) AS INTEGER) - 1) / 2 = 3 THEN CAST(1 AS BIGINT) << (((CAST(substr(e.served_on, 6, 2) AS INTEGER) - 1) % 2) * 31 + CAST(substr(e.served_on, 9, 2) AS INTEGER) - 1) ELSE 0 END AS w3, CASE WHEN (CAST(substr(e.served_on, 6, 2) AS INTEGER) - 1) / 2 = 4 THEN CAST(1 AS BIGINT) << (((CAST(substr(e.served_on, 6, 2) AS INTEGER) - 1) % 2) * 31 + CAST(substr(e.served_on, 9, 2) AS INTEGER) - 1) ELSE 0 END AS w4, CASE WHEN (CAST(substr(e.served_on, 6, 2) AS INTEGER) - 1) / 2 = 5 THEN CAST(1 AS BIGINT) << (((CAST(substr(e.served_on, 6, 2) AS INTEGER) - 1) % 2) * 31 + CAST(substr(e.served_on, 9, 2) AS INTEGER) - 1) ELSE 0 END AS w5 FROM hours_entries e) x GROUP BY x.year, x.unit_id, x.volunteer_id;

-- The first days from the day bits (store::stats::firsts::YEARS, MONTHS).
INSERT INTO stats_firsts (level, scope, period, team_id, district_id, theme, unit_id, word, low, people) SELECT p.level, 'y', p.year, p.team_id, p.district_id, p.theme, p.unit_id, CASE WHEN p.w0 <> 0 THEN 0 WHEN p.w1 <> 0 THEN 1 WHEN p.w2 <> 0 THEN 2 WHEN p.w3 <> 0 THEN 3 WHEN p.w4 <> 0 THEN 4 WHEN p.w5 <> 0 THEN 5 END, CASE WHEN p.w0 <> 0 THEN p.w0 & (-p.w0) WHEN p.w1 <> 0 THEN p.w1 & (-p.w1) WHEN p.w2 <> 0 THEN p.w2 & (-p.w2) WHEN p.w3 <> 0 THEN p.w3 & (-p.w3) WHEN p.w4 <> 0 THEN p.w4 & (-p.w4) WHEN p.w5 <> 0 THEN p.w5 & (-p.w5) END, COUNT(*) FROM stats_people p WHERE TRUE GROUP BY p.level, p.year, p.team_id, p.district_id, p.theme, p.unit_id, CASE WHEN p.w0 <> 0 THEN 0 WHEN p.w1 <> 0 THEN 1 WHEN p.w2 <> 0 THEN 2 WHEN p.w3 <> 0 THEN 3 WHEN p.w4 <> 0 THEN 4 WHEN p.w5 <> 0 THEN 5 END, CASE WHEN p.w0 <> 0 THEN p.w0 & (-p.w0) WHEN p.w1 <> 0 THEN p.w1 & (-p.w1) WHEN p.w2 <> 0 THEN p.w2 & (-p.w2) WHEN p.w3 <> 0 THEN p.w3 & (-p.w3) WHEN p.w4 <> 0 THEN p.w4 & (-p.w4) WHEN p.w5 <> 0 THEN p.w5 & (-p.w5) END;
INSERT INTO stats_firsts (level, scope, period, team_id, district_id, theme, unit_id, word, low, people) SELECT s.level, 'm', s.period, s.team_id, s.district_id, s.theme, s.unit_id, s.word, s.seg & (-s.seg), COUNT(*) FROM (SELECT p.level, p.year || '-' || m.column2 AS period, p.team_id, p.district_id, p.theme, p.unit_id, (m.column1 - 1) / 2 AS word, (CASE ((m.column1 - 1) / 2) WHEN 0 THEN p.w0 WHEN 1 THEN p.w1 WHEN 2 THEN p.w2 WHEN 3 THEN p.w3 WHEN 4 THEN p.w4 WHEN 5 THEN p.w5 END & (CAST(2147483647 AS BIGINT) << (((m.column1) - 1) % 2 * 31))) AS seg FROM stats_people p CROSS JOIN (VALUES (1, '01'), (2, '02'), (3, '03'), (4, '04'), (5, '05'), (6, '06'), (7, '07'), (8, '08'), (9, '09'), (10, '10'), (11, '11'), (12, '12')) m) s WHERE s.seg <> 0 GROUP BY s.level, s.period, s.team_id, s.district_id, s.theme, s.unit_id, s.word, s.seg & (-s.seg);
