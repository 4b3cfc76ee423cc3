-- Activities held (not cancelled) per region month (grain 'm') and day
-- (grain 'd') of their start, at each level without a unit of
-- domain::stats::rollup::LEVELS, by project: the dashboard's activity
-- figures without reading every activity of the period. Kept with each
-- activity's creation, cancellation and change of theme
-- (store::stats::held::count), rebuilt after bulk loads.
CREATE TABLE stats_activities (
    level INTEGER NOT NULL,
    grain TEXT NOT NULL CHECK (grain IN ('m', 'd')),
    period TEXT NOT NULL,
    team_id INTEGER NOT NULL,
    district_id INTEGER NOT NULL,
    theme TEXT NOT NULL,
    project_id INTEGER NOT NULL,
    activities INTEGER NOT NULL,
    PRIMARY KEY (level, grain, period, team_id, district_id, theme, project_id)
) WITHOUT ROWID;

-- The activities as they stand (store::stats::held::rebuild).
INSERT INTO stats_activities (level, grain, period, team_id, district_id, theme, project_id, activities) SELECT l.column1, g.column1, CASE WHEN g.column1 = 'm' THEN substr(strftime('%Y-%m-%d', a.starts_at / 1000 + 28800, 'unixepoch'), 1, 7) ELSE strftime('%Y-%m-%d', a.starts_at / 1000 + 28800, 'unixepoch') END, CASE WHEN (l.column1 & 1) <> 0 THEN a.team_id ELSE 0 END, CASE WHEN (l.column1 & 2) <> 0 THEN a.district_id ELSE 0 END, CASE WHEN (l.column1 & 4) <> 0 THEN COALESCE(a.theme, '') ELSE '' END, COALESCE(a.project_id, 0), 1 * COUNT(*) FROM activities a CROSS JOIN (VALUES (0), (1), (2), (3), (4), (5), (6), (7)) l CROSS JOIN (VALUES ('m'), ('d')) g WHERE a.cancelled_at IS NULL AND TRUE GROUP BY 1, 2, 3, 4, 5, 6, 7 ON CONFLICT (level, grain, period, team_id, district_id, theme, project_id) DO UPDATE SET activities = stats_activities.activities + excluded.activities;
