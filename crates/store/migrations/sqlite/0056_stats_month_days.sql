-- Days within a month (issue 17): a period inside one month, not from its
-- 1st (a week, ten days), still merged the day bits of every volunteer of
-- the year. Per level, month and dimensions, volunteers are now counted by
-- each day they served in the month and their previous day of that month
-- (0 for none), so the period's distinct volunteers are a sum of these
-- (day in the period, previous day before it; domain::stats::head::within).
-- Kept with the heads (0055), at the same levels, by the drain and by the
-- same fills (store::stats::windows), including a first start's.
CREATE TABLE stats_month_days (
    level INTEGER NOT NULL,
    period TEXT NOT NULL,
    team_id INTEGER NOT NULL,
    district_id INTEGER NOT NULL,
    theme TEXT NOT NULL,
    unit_id INTEGER NOT NULL,
    day INTEGER NOT NULL,
    prev_day INTEGER NOT NULL,
    people INTEGER NOT NULL,
    PRIMARY KEY (level, period, team_id, district_id, theme, unit_id, day, prev_day)
) WITHOUT ROWID;
