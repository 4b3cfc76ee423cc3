-- Heads of periods (issue 17): a period from a day other than its month's
-- 1st (twelve months to today, its previous period, a custom period) merged
-- two years of day bits of every volunteer, 100 ms at the issue's size. Per
-- level, month and dimensions, volunteers are now counted by their last day
-- of the month and their next day after it (days from the next month's
-- 1st; 366 for none within twelve months), so the period's distinct
-- volunteers are a prefix's count plus a sum of these (domain::stats::head,
-- store::stats::windows). Kept by the drain, filled from the day bits on
-- rebuild and restore; a database that already holds day bits is filled by
-- the first start after this migration (store::stats::windows::fill_new).
CREATE TABLE stats_heads (
    level BIGINT NOT NULL,
    period TEXT NOT NULL,
    team_id BIGINT NOT NULL,
    district_id BIGINT NOT NULL,
    theme TEXT NOT NULL,
    unit_id BIGINT NOT NULL,
    last_day BIGINT NOT NULL,
    next_day BIGINT NOT NULL,
    people BIGINT NOT NULL,
    PRIMARY KEY (level, period, team_id, district_id, theme, unit_id, last_day, next_day)
);
