-- The dashboard's rollups (issue 17): its figures were aggregates over every
-- ledger entry of the period (400–800 ms at 100,000 activities). Each entry
-- now carries what it is attributed to at the time of service (the team,
-- district and theme of the activity or need it was served in, the unit of
-- the volunteer who served it), and two rollups are kept with the ledger in
-- the same transaction (store::ledger::append_in!, store::stats::rollup),
-- rebuilt after bulk loads (store::ledger::REBUILD).
ALTER TABLE hours_entries ADD COLUMN team_id INTEGER;
ALTER TABLE hours_entries ADD COLUMN district_id INTEGER;
ALTER TABLE hours_entries ADD COLUMN theme TEXT;
ALTER TABLE hours_entries ADD COLUMN unit_id INTEGER;
UPDATE hours_entries SET
    team_id = COALESCE((SELECT a.team_id FROM activities a WHERE a.id = hours_entries.activity_id),
                       (SELECT n.team_id FROM needs n WHERE n.id = hours_entries.need_id)),
    district_id = COALESCE((SELECT a.district_id FROM activities a WHERE a.id = hours_entries.activity_id),
                           (SELECT n.district_id FROM needs n WHERE n.id = hours_entries.need_id)),
    theme = (SELECT a.theme FROM activities a WHERE a.id = hours_entries.activity_id),
    unit_id = (SELECT v.unit_id FROM volunteers v WHERE v.id = hours_entries.volunteer_id);

-- Hours and entries per month (grain 'm', period YYYY-MM) and per day (grain
-- 'd', period YYYY-MM-DD) at each level of domain::stats::rollup::LEVELS: a
-- level keeps the dimensions its bits name and holds 0 (or '') in the
-- others, so any filter reads rows keyed exactly by it.
CREATE TABLE stats_ledger (
    level INTEGER NOT NULL,
    grain TEXT NOT NULL CHECK (grain IN ('m', 'd')),
    period TEXT NOT NULL,
    team_id INTEGER NOT NULL,
    district_id INTEGER NOT NULL,
    theme TEXT NOT NULL,
    unit_id INTEGER NOT NULL,
    hours REAL NOT NULL,
    entries INTEGER NOT NULL,
    PRIMARY KEY (level, grain, period, team_id, district_id, theme, unit_id)
) WITHOUT ROWID;
-- The level keeping every dimension is read for one unit.
CREATE INDEX stats_ledger_unit ON stats_ledger (level, unit_id, grain, period, team_id, district_id, theme, hours, entries);

-- Each volunteer's days of service in a year, per level: six words of two
-- months' 31 day bits (domain::stats::rollup::day_bit). Distinct volunteers
-- over any days are the rows sharing a bit with the days' mask: one row per
-- volunteer, however many entries they have.
CREATE TABLE stats_people (
    level INTEGER NOT NULL,
    year TEXT NOT NULL,
    team_id INTEGER NOT NULL,
    district_id INTEGER NOT NULL,
    theme TEXT NOT NULL,
    unit_id INTEGER NOT NULL,
    volunteer_id INTEGER NOT NULL,
    w0 INTEGER NOT NULL,
    w1 INTEGER NOT NULL,
    w2 INTEGER NOT NULL,
    w3 INTEGER NOT NULL,
    w4 INTEGER NOT NULL,
    w5 INTEGER NOT NULL,
    PRIMARY KEY (level, year, team_id, district_id, theme, unit_id, volunteer_id)
) WITHOUT ROWID;
CREATE INDEX stats_people_unit ON stats_people (level, unit_id, year, volunteer_id, w0, w1, w2, w3, w4, w5);

-- The rollups of the ledger as it stands: store::stats::rollup::REBUILD's
-- statements (the level keeping every dimension from the entries, the
-- others from it, then each volunteer's day bits).
INSERT INTO stats_ledger (level, grain, period, team_id, district_id, theme, unit_id, hours, entries) SELECT l.column1, g.column1, CASE WHEN g.column1 = 'm' THEN substr(e.served_on, 1, 7) ELSE e.served_on END, CASE WHEN (l.column1 & 1) <> 0 THEN e.team_id ELSE 0 END AS team_id, CASE WHEN (l.column1 & 2) <> 0 THEN e.district_id ELSE 0 END AS district_id, CASE WHEN (l.column1 & 4) <> 0 THEN e.theme ELSE '' END AS theme, CASE WHEN (l.column1 & 8) <> 0 THEN e.unit_id ELSE 0 END AS unit_id, SUM(e.hours), COUNT(*) FROM (SELECT id, volunteer_id, served_on, hours, COALESCE(team_id, 0) AS team_id, COALESCE(district_id, 0) AS district_id, COALESCE(theme, '') AS theme, COALESCE(unit_id, 0) AS unit_id FROM hours_entries) e CROSS JOIN (VALUES (15)) l CROSS JOIN (VALUES ('m'), ('d')) g WHERE TRUE GROUP BY 1, 2, 3, 4, 5, 6, 7 ON CONFLICT (level, grain, period, team_id, district_id, theme, unit_id) DO UPDATE SET hours = stats_ledger.hours + excluded.hours, entries = stats_ledger.entries + excluded.entries;
INSERT INTO stats_ledger (level, grain, period, team_id, district_id, theme, unit_id, hours, entries) SELECT l.column1, s.grain, s.period, CASE WHEN (l.column1 & 1) <> 0 THEN s.team_id ELSE 0 END AS team_id, CASE WHEN (l.column1 & 2) <> 0 THEN s.district_id ELSE 0 END AS district_id, CASE WHEN (l.column1 & 4) <> 0 THEN s.theme ELSE '' END AS theme, CASE WHEN (l.column1 & 8) <> 0 THEN s.unit_id ELSE 0 END AS unit_id, SUM(s.hours), SUM(s.entries) FROM stats_ledger s CROSS JOIN (VALUES (0), (1), (2), (3), (4), (5), (6), (7)) l WHERE s.level = 15 GROUP BY 1, 2, 3, 4, 5, 6, 7 ON CONFLICT (level, grain, period, team_id, district_id, theme, unit_id) DO UPDATE SET hours = stats_ledger.hours + excluded.hours, entries = stats_ledger.entries + excluded.entries;
INSERT INTO stats_people (level, year, team_id, district_id, theme, unit_id, volunteer_id, w0, w1, w2, w3, w4, w5) SELECT x.level, x.year, x.team_id, x.district_id, x.theme, x.unit_id, x.volunteer_id, SUM(x.w0), SUM(x.w1), SUM(x.w2), SUM(x.w3), SUM(x.w4), SUM(x.w5) FROM (SELECT DISTINCT l.column1 AS level, substr(e.served_on, 1, 4) AS year, CASE WHEN (l.column1 & 1) <> 0 THEN e.team_id ELSE 0 END AS team_id, CASE WHEN (l.column1 & 2) <> 0 THEN e.district_id ELSE 0 END AS district_id, CASE WHEN (l.column1 & 4) <> 0 THEN e.theme ELSE '' END AS theme, CASE WHEN (l.column1 & 8) <> 0 THEN e.unit_id ELSE 0 END AS unit_id, e.volunteer_id AS volunteer_id, CASE WHEN (CAST(substr(e.served_on, 6, 2) AS INTEGER) - 1) / 2 = 0 THEN CAST(1 AS BIGINT) << (((CAST(substr(e.served_on, 6, 2) AS INTEGER) - 1) % 2) * 31 + CAST(substr(e.served_on, 9, 2) AS INTEGER) - 1) ELSE 0 END AS w0, CASE WHEN (CAST(substr(e.served_on, 6, 2) AS INTEGER) - 1) / 2 = 1 THEN CAST(1 AS BIGINT) << (((CAST(substr(e.served_on, 6, 2) AS INTEGER) - 1) % 2) * 31 + CAST(substr(e.served_on, 9, 2) AS INTEGER) - 1) ELSE 0 END AS w1, CASE WHEN (CAST(substr(e.served_on, 6, 2) AS INTEGER) - 1) / 2 = 2 THEN CAST(1 AS BIGINT) << (((CAST(substr(e.served_on, 6, 2) AS INTEGER) - 1) % 2) * 31 + CAST(substr(e.served_on, 9, 2) AS INTEGER) - 1) ELSE 0 END AS w2, CASE WHEN (CAST(substr(e.served_on, 6, 2) AS INTEGER) - 1) / 2 = 3 THEN CAST(1 AS BIGINT) << (((CAST(substr(e.served_on, 6, 2) AS INTEGER) - 1) % 2) * 31 + CAST(substr(e.served_on, 9, 2) AS INTEGER) - 1) ELSE 0 END AS w3, CASE WHEN (CAST(substr(e.served_on, 6, 2) AS INTEGER) - 1) / 2 = 4 THEN CAST(1 AS BIGINT) << (((CAST(substr(e.served_on, 6, 2) AS INTEGER) - 1) % 2) * 31 + CAST(substr(e.served_on, 9, 2) AS INTEGER) - 1) ELSE 0 END AS w4, CASE WHEN (CAST(substr(e.served_on, 6, 2) AS INTEGER) - 1) / 2 = 5 THEN CAST(1 AS BIGINT) << (((CAST(substr(e.served_on, 6, 2) AS INTEGER) - 1) % 2) * 31 + CAST(substr(e.served_on, 9, 2) AS INTEGER) - 1) ELSE 0 END AS w5 FROM (SELECT id, volunteer_id, served_on, hours, COALESCE(team_id, 0) AS team_id, COALESCE(district_id, 0) AS district_id, COALESCE(theme, '') AS theme, COALESCE(unit_id, 0) AS unit_id FROM hours_entries) e CROSS JOIN (VALUES (0), (1), (2), (3), (4), (5), (6), (7), (15)) l WHERE TRUE) x GROUP BY x.level, x.year, x.team_id, x.district_id, x.theme, x.unit_id, x.volunteer_id ON CONFLICT (level, year, team_id, district_id, theme, unit_id, volunteer_id) DO UPDATE SET w0 = stats_people.w0 | excluded.w0, w1 = stats_people.w1 | excluded.w1, w2 = stats_people.w2 | excluded.w2, w3 = stats_people.w3 | excluded.w3, w4 = stats_people.w4 | excluded.w4, w5 = stats_people.w5 | excluded.w5;
