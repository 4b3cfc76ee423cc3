-- The day the years at each kept level complete, and the hours the next
-- level asks (the trade's rule for its level, else the default of
-- domain::skills::ladder::default_rule as it stands at this migration), so
-- the eligibility list compares each of a unit's rows with today and the
-- horizon directly instead of matching it against every trade and level's
-- cut-off. NULL at the top of the ladder (no next level). Kept by the store
-- with each certification and recomputed on a restore
-- (store::skills::ladder::refresh_due). Adding whole years stops at a
-- month's end (29 Feb + 1 year is 28 Feb), as chrono's does.
ALTER TABLE skill_highest ADD COLUMN years_met_on TEXT;
ALTER TABLE skill_highest ADD COLUMN hours_required INTEGER;
WITH lv (level, years, hours) AS (VALUES (1, 2, 80), (2, 3, 120), (3, 4, 160), (4, 3, 200)),
rule AS (SELECT t.id AS trade_id, lv.level AS level, COALESCE(r.years, lv.years) AS years, COALESCE(r.hours, lv.hours) AS hours
    FROM skill_trades t CROSS JOIN lv LEFT JOIN skill_trade_rules r ON r.trade_id = t.id AND r.level = lv.level)
UPDATE skill_highest SET
    years_met_on = CASE WHEN substr(date(certified_on, '+' || rule.years || ' years'), 9) = substr(certified_on, 9)
        THEN date(certified_on, '+' || rule.years || ' years')
        ELSE date(certified_on, '+' || rule.years || ' years', 'start of month', '-1 day') END,
    hours_required = rule.hours
FROM rule WHERE rule.trade_id = skill_highest.trade_id AND rule.level = skill_highest.level;
-- A unit's active people in id order, so the list's walk seeks their
-- skill_highest rows (clustered by person) in one ascending pass instead
-- of one per party_member value of volunteers_party_unit.
CREATE INDEX volunteers_unit_active ON volunteers (unit_id, active);
