-- A unit's activities by theme and project (issue 17): a liaison's
-- dashboard reads its unit's activities, projects, activities by month and
-- by theme, which keep no team or district, yet stats_unit_activities
-- (0044) keeps both, at 23,390 rows a year for one unit at issue #17's
-- size. Kept with stats_unit_activities in the same statements'
-- transactions (store::stats::held), filled from it after bulk loads and
-- on restore.
CREATE TABLE stats_unit_themes (
    unit_id BIGINT NOT NULL,
    grain TEXT NOT NULL CHECK (grain IN ('m', 'd')),
    period TEXT NOT NULL,
    theme TEXT NOT NULL,
    project_id BIGINT NOT NULL,
    activities BIGINT NOT NULL,
    PRIMARY KEY (unit_id, grain, period, theme, project_id)
);

-- store::stats::held::FILL_UNIT_THEMES.
INSERT INTO stats_unit_themes (unit_id, grain, period, theme, project_id, activities)
SELECT unit_id, grain, period, theme, project_id, SUM(activities)
  FROM stats_unit_activities GROUP BY unit_id, grain, period, theme, project_id;
